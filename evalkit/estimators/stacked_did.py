"""Conditional doubly robust DiD on the stacked month-by-month risk sets of the analysis sample.

Each participant starting in month u is compared with the comparison units of the same risk set
(eligible at u, out of work at u-1, not in the measure at u): one row per unit, with the pre
paths ``{stem}_b{k}`` (k months before u) and post paths ``{stem}_m{k}``. For event time e the
outcome is the change ``Y(u+e) - base``, where the base is the mean of months u-18..u-13, and
the ATT(e) is Sant'Anna & Zhao's (2020) doubly robust DiD (``drdid.att_2x2``: logit score,
linear outcome model of the change among comparison units) with risk-set (reference-month) fixed
effects in both models and covariates measured before the base. A person may be a comparison
unit in several months and a participant later, so standard errors are cluster-robust by person
from the stacked influence functions. Fixed traits that the registers miss (drive, ability)
difference out; that is the assumption this design adds beside AIPW's selection on observables.

Design choices (``BASE_LAG``, ``BASE_MONTHS``, ``pre_base_histories``, ``PretrendTest``):

- Base u-18..u-13: before the eligibility window (u-3..u-1) and the out-of-work condition at
  u-1 that the sample rule imposes, before the months in which an Ashenfelter dip builds up
  (a base inside the dip credits the measure with the recovery from it), and before the whole
  pre-trend window, so that every pre-trend point is measured against the same base as the
  effects. Six months are averaged because a single base month's noise shifts the whole path
  (``benchmarks/mc_stacked_did.py`` compares u-4 and u-13 alone).
- Covariates: the recorded traits the caller gives (age, sex, education, household ...) plus
  work months, assistance months and assistance paid in 19..24, 19..30 and 19..36 months before
  start, from the pre paths. Histories measured at u-1 (``*_{h}m_before``, current spell
  lengths) are left out and named: they end after the base and inside the pre-trend window, so
  conditioning on them would adjust the pre-trend test's outcomes away. Calendar covariates
  constant within a reference month (``start_quarter``) are absorbed by the risk-set effects.
- Pre-trend tests on e = -12..-2 (e = -1 is the month the sample rule conditions on: everyone
  is out of work): a Wald test that all ATT(e) are zero, with their joint cluster-robust
  influence-function covariance (a singular covariance uses its pseudo-inverse with the rank as
  degrees of freedom, so the test is always computed, never dropped), and a one-degree-of-freedom
  test of their linear trend, each at alpha/2.
- What it does not fix: selection on transitory shocks that last past the base or the horizon
  (a differential dip), and a trait that sorts who is newly out of work in a world of
  long-lasting shocks; the pre-trend tests are how such failures show.

Event time h is mapped onto the cross-sectional outcomes: ``work_or_study_{h}m`` is the change in
the month-h status, ``work_or_study_months_{h}m``, ``assistance_sek_{h}m`` and
``assistance_months_{h}m`` the change in the sum over months 1..h against h times the base month,
so that the estimates can be set beside AIPW's on the same outcome.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
from scipy import stats

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import prepare
from evalkit.estimators.drdid import METHODS, att_2x2
from evalkit.estimators.result import EffectResult, EffectResults

ESTIMATOR = "stacked_did"
#: The base starts this many months before the start (u-13): before the dip and pre-trend window.
BASE_LAG = 13
#: Months averaged into the base (u-13..u-18): one month's noise would shift the whole path.
BASE_MONTHS = 6
#: Event times of the joint pre-trend test.
PRETREND_WINDOW = (-12, -2)
#: Lengths of the history windows used as covariates (they start before the pre-trend window).
HISTORY_WINDOWS = (6, 12, 24)
#: Months of pre and post paths the analysis sample holds.
PATH_MONTHS = 36
#: Path stems and how their month values are summed for the ``_{h}m`` outcomes.
PATH_STEMS = ("work_or_study", "assistance_sek")
#: Covariates measured at u-1 that describe the months after the base (left out by default).
AFTER_BASE = ("months_out_of_work", "months_on_assistance", "months_since_work")
_WINDOW_NAME = re.compile(r"_(\d+)m_before$")
#: ``name -> (stem, kind)``; kind says how months 1..h become the outcome.
_HORIZON_OUTCOMES = (
    (re.compile(r"^work_or_study_(\d+)m$"), "work_or_study", "point"),
    (re.compile(r"^work_or_study_months_(\d+)m$"), "work_or_study", "sum"),
    (re.compile(r"^assistance_sek_(\d+)m$"), "assistance_sek", "sum"),
    (re.compile(r"^assistance_months_(\d+)m$"), "assistance_sek", "count"),
)
_RISK = "_risk_set"
_EVENT_KEY = re.compile(r"e-?\d+")


@dataclass(frozen=True)
class HorizonOutcome:
    """A cross-sectional outcome as a change on a path: stem, months 1..h, point/sum/count."""

    name: str
    stem: str
    horizon: int
    kind: str


def horizon_outcome(name: str) -> HorizonOutcome | None:
    """The path form of a ``_{h}m`` outcome name, or None if it is not one."""
    for pattern, stem, kind in _HORIZON_OUTCOMES:
        match = pattern.match(name)
        if match:
            h = int(match.group(1))
            return HorizonOutcome(name, stem, h, kind) if 1 <= h <= PATH_MONTHS else None
    return None


def default_horizon_outcomes(stem: str, horizons: Sequence[int] = (12, 24)) -> list[str]:
    """The ``_{h}m`` outcomes of a path stem that the cross-sectional estimators report."""
    if stem == "work_or_study":
        return [f"work_or_study_{h}m" for h in horizons] + [
            f"work_or_study_months_{h}m" for h in horizons
        ]
    if stem == "assistance_sek":
        return [f"assistance_sek_{h}m" for h in horizons] + (
            ["assistance_months_12m"] if 12 in horizons else []
        )
    return []


def covariates_after_base(covariates: Sequence[str]) -> list[str]:
    """Covariates measured after the base month: the sample's windows ending at u-1, spell lengths.

    Every ``*_{h}m_before`` history of the analysis sample ends at u-1, so it lies after any base.
    """
    return [c for c in covariates if c in AFTER_BASE or _WINDOW_NAME.search(c)]


def absorbed_by(frame: pd.DataFrame, covariates: Sequence[str], risk_set: str) -> list[str]:
    """Covariates constant within every risk set (e.g. ``start_quarter``): its effects absorb them."""
    if not covariates:
        return []
    counts = frame.groupby(frame[risk_set].astype(str))[list(covariates)].nunique(dropna=False)
    return [c for c in covariates if bool((counts[c] <= 1).all())]


def history_start(
    base_lag: int, base_months: int = 1, pretrend_window: tuple[int, int] = PRETREND_WINDOW
) -> int:
    """First month back (k) of the history covariates: before the base and the pre-trend window."""
    return max(base_lag + base_months - 1, -min(pretrend_window[0], -1)) + 1


def pre_base_histories(
    frame: pd.DataFrame,
    start: int,
    windows: Sequence[int] = HISTORY_WINDOWS,
) -> pd.DataFrame:
    """Work months, assistance months and assistance paid in months start..start+w-1 before u.

    Computed from the pre paths ``work_or_study_b{k}`` and ``assistance_sek_b{k}``; a window is
    cut at the 36 months the paths hold (its name gives the months it covers). Where the data
    begin inside a window (early reference months), the months observed stand for the window
    (their sum scaled to its length) if they are at least half of it; otherwise it is missing.
    """
    out: dict[str, pd.Series] = {}
    for w in windows:
        end = min(start + w - 1, PATH_MONTHS)
        if end < start:
            continue
        ks = range(start, end + 1)
        work = frame[[f"work_or_study_b{k}" for k in ks]]
        sek = frame[[f"assistance_sek_b{k}" for k in ks]]
        seen = work.notna().sum(axis=1)
        scale = (len(ks) / seen).where(seen >= len(ks) / 2)
        tag = f"{start}_{end}m_before"
        out[f"work_months_{tag}"] = work.sum(axis=1) * scale
        out[f"assistance_months_{tag}"] = (sek > 0).where(sek.notna()).sum(axis=1) * scale
        out[f"assistance_sek_{tag}"] = sek.sum(axis=1) * scale
    return pd.DataFrame(out, index=frame.index)


def _path(frame: pd.DataFrame, stem: str, e: int) -> pd.Series:
    """The value of the path ``stem`` at event time e (e < 0: b{-e}; e > 0: m{e})."""
    column = f"{stem}_b{-e}" if e < 0 else f"{stem}_m{e}"
    return frame[column]


def base_value(
    frame: pd.DataFrame, stem: str, base_lag: int, base_months: int, kind: str = "point"
) -> pd.Series:
    """The base of the changes: the mean of the path over months base_lag..base_lag+base_months-1
    before start (for ``kind="count"`` the share of those months with a positive value)."""
    ks = range(base_lag, base_lag + base_months)
    values = frame[[f"{stem}_b{k}" for k in ks]]
    if kind == "count":
        values = (values > 0).astype(float).where(values.notna())
    return values.mean(axis=1, skipna=False)


def _change(
    frame: pd.DataFrame, outcome: HorizonOutcome, base_lag: int, base_months: int
) -> pd.Series:
    """The change of a ``_{h}m`` outcome against the base (h times the base for sums)."""
    base = base_value(frame, outcome.stem, base_lag, base_months, outcome.kind)
    if outcome.name in frame.columns:
        value = frame[outcome.name].astype(float)
    else:
        months = frame[[f"{outcome.stem}_m{k}" for k in range(1, outcome.horizon + 1)]]
        if outcome.kind == "count":
            months = (months > 0).astype(float).where(months.notna())
        if outcome.kind == "point":
            value = months.iloc[:, -1]
        else:
            value = months.sum(axis=1, min_count=outcome.horizon)
    scale = 1.0 if outcome.kind == "point" else float(outcome.horizon)
    return value - scale * base


@dataclass(frozen=True)
class PretrendTest:
    """Pre-trend tests of the pre-period ATT(e), from their joint IF covariance.

    Two tests, each at ``alpha / 2`` (Bonferroni, so that together they reject a true null at
    most ``alpha`` of the time): the joint Wald test that every ATT(e) is zero (any departure)
    and a one-degree-of-freedom test of the least-squares slope of ATT(e) on e (a trend, which
    the Wald test spreads over many degrees of freedom and sees late).
    """

    event_times: tuple[int, ...]
    statistic: float
    df: int
    p_value: float
    slope: float
    slope_se: float
    slope_p_value: float
    alpha: float
    rank_deficient: bool

    @property
    def passes(self) -> bool:
        """Whether neither test rejects parallel pre-trends (each at ``alpha / 2``)."""
        finite = [p for p in (self.p_value, self.slope_p_value) if np.isfinite(p)]
        return bool(finite) and all(p >= self.alpha / 2 for p in finite)

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary for ``details["pretrend"]``."""
        return {
            "test": "wald + linear trend (Bonferroni)",
            "event_times": list(self.event_times),
            "statistic": self.statistic,
            "df": self.df,
            "p_value": self.p_value,
            "slope_per_month": self.slope,
            "slope_se": self.slope_se,
            "slope_p_value": self.slope_p_value,
            "alpha": self.alpha,
            "passes": self.passes,
            "computed": bool(self.event_times),
            "rank_deficient": self.rank_deficient,
            "covariance": "cluster-robust influence function (pseudo-inverse if singular)",
        }


def trend_test(
    event_times: np.ndarray, theta: np.ndarray, vcov: np.ndarray
) -> tuple[float, float, float]:
    """(slope, SE, p-value) of the least-squares slope of theta on event time (with intercept)."""
    if len(theta) < 3:
        return math.nan, math.nan, math.nan
    centred = event_times - event_times.mean()
    weights = centred / np.sum(centred**2)
    slope = float(weights @ theta)
    var = float(weights @ vcov @ weights)
    if not var > 0:
        return slope, math.nan, math.nan
    se = math.sqrt(var)
    return slope, se, float(2 * stats.norm.sf(abs(slope / se)))


def wald_test(theta: np.ndarray, vcov: np.ndarray) -> tuple[float, int, float, bool]:
    """(statistic, rank, p-value, rank deficient) of H0: theta = 0, pseudo-inverse if singular."""
    k = len(theta)
    if k == 0 or not np.all(np.isfinite(theta)) or not np.all(np.isfinite(vcov)):
        return math.nan, 0, math.nan, True
    vals, vecs = np.linalg.eigh((vcov + vcov.T) / 2)
    tol = max(vals.max(), 0.0) * k * np.finfo(float).eps * 1e3
    keep = vals > tol
    rank = int(keep.sum())
    if rank == 0:
        return math.nan, 0, math.nan, True
    proj = vecs[:, keep].T @ theta
    stat = float(np.sum(proj**2 / vals[keep]))
    return stat, rank, float(stats.chi2.sf(stat, rank)), rank < k


@dataclass
class _Cells:
    """Estimates and per-cluster influence totals of every estimated change (one column each)."""

    n_rows: int
    n_clusters: int
    att: dict[str, float]
    totals: dict[str, np.ndarray]
    counts: dict[str, tuple[int, int, int]]
    rows: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)

    def influence(self, key: str) -> np.ndarray | None:
        """Per-row influence of ``key`` over all rows (0 for rows not used), so that
        ``influence_se(influence, cluster)`` is its SE; None if it has no per-row terms."""
        if key not in self.rows:
            return None
        positions, values = self.rows[key]
        out = np.zeros(self.n_rows)
        out[positions] = values
        return out

    def vcov(self, keys: Sequence[str]) -> np.ndarray:
        """Cluster-robust covariance of the estimates ``keys`` (G/(G-1) small-sample factor)."""
        s = np.column_stack([self.totals[k] for k in keys])
        g = self.n_clusters
        return s.T @ s / self.n_rows**2 * (g / (g - 1) if g > 1 else math.nan)


def _with_warnings(result: EffectResult, codes: Sequence[str]) -> EffectResult:
    """Attach warning codes that the result does not carry yet."""
    return result.with_warnings(*codes) if codes else result


def _identified(design: np.ndarray, d: np.ndarray) -> tuple[np.ndarray, list[int]]:
    """The design's columns that the comparison units identify (pivoted QR on their rows).

    The outcome model is fitted on comparison units only, so a column that is constant or
    collinear among them (e.g. a level only participants have) cannot stay.
    """
    controls = design[d == 0]
    _, r, pivot = scipy.linalg.qr(controls, mode="economic", pivoting=True)
    diag = np.abs(np.diag(r))
    rank = int(np.sum(diag > diag[0] * max(controls.shape) * np.finfo(float).eps * 1e3))
    keep = np.sort(pivot[:rank])
    if 0 not in keep:  # the intercept always stays
        keep = np.sort(np.r_[0, keep[:-1]])
    dropped = sorted(set(range(design.shape[1])) - set(keep.tolist()))
    return (design[:, keep], dropped) if dropped else (design, [])


def _estimate_cells(
    work: pd.DataFrame,
    changes: dict[str, pd.Series],
    covariates: list[str],
    weights: str | None,
    method: str,
    cluster_codes: np.ndarray,
    n_clusters: int,
) -> tuple[_Cells, dict[str, Any]]:
    """ATT of every change column, one DR DiD per set of units with the same observed changes."""
    base = prepare(
        work.assign(_one=1.0),
        "_one",
        "_d",
        [*covariates, _RISK],
        weights=weights,
        estimator=ESTIMATOR,
    )
    pos_all = work.index.get_indexer(base.index)
    x_all = base.X
    names = list(base.covariates)
    risk_codes = pd.factorize(work[_RISK].to_numpy()[pos_all])[0]
    values = np.column_stack([changes[k].to_numpy(dtype=float)[pos_all] for k in changes])
    keys = list(changes)
    finite = np.isfinite(values)
    groups: dict[bytes, list[int]] = {}
    for j in range(len(keys)):
        groups.setdefault(np.packbits(finite[:, j]).tobytes(), []).append(j)
    n = len(work)
    cells = _Cells(n, n_clusters, {}, {}, {})
    info: dict[str, Any] = {
        "covariates_used": [c for c in names if not c.startswith(_RISK)],
        "n_risk_sets": int(risk_codes.max() + 1) if len(risk_codes) else 0,
        "n_dropped_missing_covariates": int(base.details.get("n_dropped_missing_covariates", 0)),
    }
    for cols in groups.values():
        rows = finite[:, cols[0]]
        d = base.d[rows]
        rs = risk_codes[rows]
        treated_in = np.bincount(rs, weights=d, minlength=risk_codes.max() + 1)
        control_in = np.bincount(rs, weights=1 - d, minlength=risk_codes.max() + 1)
        both = (treated_in > 0) & (control_in > 0)
        rows = np.flatnonzero(rows)[both[rs]]
        d = base.d[rows]
        n1, n0 = int(d.sum()), int(len(d) - d.sum())
        if n1 < 2 or n0 < 2:
            for j in cols:
                cells.att[keys[j]] = math.nan
                cells.counts[keys[j]] = (n1, n0, len(rows))
            continue
        x = x_all[rows]
        varying = np.ptp(x, axis=0) > 0 if x.shape[1] else np.zeros(0, dtype=bool)
        sub = replace(base, X=np.ascontiguousarray(x[:, varying]), y=d, d=d, w=base.w[rows])
        design, dropped = _identified(sub.design(), d)
        if dropped:
            names_sub = ["(intercept)", *np.array(names)[varying]]
            info.setdefault("dropped_in_subsample", set()).update(
                str(names_sub[j]) for j in dropped if not names_sub[j].startswith(_RISK)
            )
        try:
            att, inf = att_2x2(values[np.ix_(rows, cols)], d, design, base.w[rows], method)
        except np.linalg.LinAlgError as exc:
            raise EstimationError(
                "the outcome model on comparison units is singular (too few units per risk set "
                "for the covariates)",
                estimator=ESTIMATOR,
            ) from exc
        clusters = cluster_codes[pos_all[rows]]
        scale = n / len(rows)
        for j, col in enumerate(cols):
            key = keys[col]
            cells.att[key] = float(att[j])
            cells.totals[key] = np.bincount(
                clusters, weights=inf[:, j] * scale, minlength=n_clusters
            )
            if not _EVENT_KEY.fullmatch(key):  # per-row terms of the _{h}m outcomes only (memory)
                cells.rows[key] = (pos_all[rows], inf[:, j] * scale)
            cells.counts[key] = (n1, n0, len(rows))
    if "dropped_in_subsample" in info:
        info["dropped_in_subsample"] = sorted(info["dropped_in_subsample"])
    return cells, info


def stacked_did(
    frame: pd.DataFrame,
    outcome: str = "work_or_study",
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    event_times: Sequence[int] | None = None,
    horizon_outcomes: Sequence[str] | None = None,
    base_lag: int = BASE_LAG,
    base_months: int = BASE_MONTHS,
    pretrend_window: tuple[int, int] = PRETREND_WINDOW,
    history_windows: Sequence[int] = HISTORY_WINDOWS,
    keep_covariates_after_base: bool = False,
    risk_set: str | None = "ref_month",
    cluster: str = "cluster_id",
    weights: str | None = None,
    method: str = "dr",
    alpha: float = 0.05,
    level: float = 0.95,
    uniform_draws: int = 10_000,
    seed: int = 20261126,
) -> EffectResults:
    """Event-time ATT path of ``outcome`` (a path stem), its post-period mean and ``_{h}m`` outcomes.

    Returns results with ``event_time`` set for the path (pre-period points included, the base
    month omitted), one with ``aggregation="simple"`` (mean of ATT(e) over e = 1..max), and one
    per ``horizon_outcomes`` name (default: the stem's 12- and 24-month outcomes) comparable with
    the cross-sectional estimators. ``details["pretrend"]`` of the collection, of the ``simple``
    result and of the stem's ``_{h}m`` results holds the pre-trend tests on ``pretrend_window``;
    a failed test adds the warning ``pretrend_failed`` to every post-period result. The stem's
    ``_{h}m`` results also hold ``details["trend_adjusted"]``: the estimate if the pre-period
    linear trend went on (a sensitivity check; see ``_trend_adjusted``). ``details["uniform_band"]`` holds the sup-t critical value of the
    post-period path (``ci_low_uniform``/``ci_high_uniform`` in each post result's details).
    """
    if outcome not in PATH_STEMS and not any(c.startswith(f"{outcome}_m") for c in frame.columns):
        raise EstimationError(
            f"'{outcome}' is not a path stem (expected one of {', '.join(PATH_STEMS)} with "
            f"columns {outcome}_b{{k}} and {outcome}_m{{k}})",
            estimator=ESTIMATOR,
            outcome=outcome,
        )
    if method not in METHODS:
        raise EstimationError(f"unknown method '{method}'; use one of {', '.join(METHODS)}")
    if base_lag < 2 or base_months < 1 or base_lag + base_months - 1 > PATH_MONTHS:
        raise EstimationError(
            f"the base months {base_lag}..{base_lag + base_months - 1} before start must lie in "
            f"2..{PATH_MONTHS}",
            estimator=ESTIMATOR,
        )
    base_range = range(base_lag, base_lag + base_months)
    lo, hi = pretrend_window
    if event_times is None:
        event_times = [*range(lo, 0), *range(1, 25)]
    times = sorted({int(e) for e in event_times if e not in (0, -1) and -e not in base_range})
    times = [e for e in times if -PATH_MONTHS <= e <= PATH_MONTHS]
    horizon_outcomes = (
        default_horizon_outcomes(outcome) if horizon_outcomes is None else list(horizon_outcomes)
    )
    mapped = [horizon_outcome(name) for name in horizon_outcomes]
    unknown = [n for n, m in zip(horizon_outcomes, mapped, strict=True) if m is None]
    if unknown:
        raise EstimationError(
            f"cannot map {', '.join(unknown)} onto a path (expected names like work_or_study_12m)",
            estimator=ESTIMATOR,
        )
    needed = [treatment, cluster, *([risk_set] if risk_set else []), *covariates]
    stems = {outcome, *(m.stem for m in mapped if m)}
    needed += [f"{stem}_b{k}" for stem in sorted(stems) for k in base_range]
    needed += [_path_name(outcome, e) for e in times]
    missing = sorted({c for c in needed if c not in frame.columns})
    if missing:
        raise EstimationError(
            f"column(s) missing from the data: {', '.join(missing[:5])}"
            + (f" and {len(missing) - 5} more" if len(missing) > 5 else ""),
            estimator=ESTIMATOR,
            outcome=outcome,
        )

    frame = frame.reset_index(drop=True)
    after = [] if keep_covariates_after_base else covariates_after_base(covariates)
    chosen = [c for c in covariates if c not in after]
    absorbed = absorbed_by(frame, chosen, risk_set) if risk_set else []
    chosen = [c for c in chosen if c not in absorbed]
    start = history_start(base_lag, base_months, pretrend_window)
    histories = pre_base_histories(frame, start, history_windows)
    work = pd.concat(
        [frame[[treatment, *chosen, *([weights] if weights else [])]], histories], axis=1
    )
    work = work.loc[:, ~work.columns.duplicated()]
    work["_d"] = frame[treatment]
    work[_RISK] = frame[risk_set].astype(str) if risk_set else "all"
    codes, uniques = pd.factorize(frame[cluster], use_na_sentinel=True)
    if (codes < 0).any():
        raise EstimationError(
            f"cluster column '{cluster}' has {int((codes < 0).sum())} missing values",
            estimator=ESTIMATOR,
            outcome=outcome,
        )
    changes: dict[str, pd.Series] = {}
    base = base_value(frame, outcome, base_lag, base_months)
    for e in times:
        changes[f"e{e}"] = _path(frame, outcome, e) - base
    for m in mapped:
        assert m is not None
        changes[m.name] = _change(frame, m, base_lag, base_months)
    cells, info = _estimate_cells(
        work,
        changes,
        [*chosen, *histories.columns],
        weights,
        method,
        codes,
        len(uniques),
    )
    if not any(np.isfinite(v) for v in cells.att.values()):
        raise InsufficientDataError(
            "no event time has treated and comparison units in a common risk set",
            estimator=ESTIMATOR,
            outcome=outcome,
        )

    pre_keys = [f"e{e}" for e in times if lo <= e <= hi and np.isfinite(cells.att[f"e{e}"])]
    theta = np.array([cells.att[k] for k in pre_keys])
    vcov = cells.vcov(pre_keys) if pre_keys else np.zeros((0, 0))
    stat, df, p, deficient = wald_test(theta, vcov)
    pre_times = np.array([int(k[1:]) for k in pre_keys], dtype=float)
    pretrend = PretrendTest(
        tuple(int(e) for e in pre_times), stat, df, p, *trend_test(pre_times, theta, vcov),
        alpha, deficient,
    ).to_dict()  # fmt: skip
    warn = [] if pretrend["passes"] or not pre_keys else ["pretrend_failed"]

    post_keys = [f"e{e}" for e in times if e > 0 and np.isfinite(cells.att[f"e{e}"])]
    crit = _sup_t(cells, post_keys, level, uniform_draws, seed)
    common = {
        "base_period": [-(base_lag + base_months - 1), -base_lag],
        "method": method,
        "comparison": "same risk set (reference month)" if risk_set else "pooled",
        "se_method": f"influence function, clustered by {cluster}",
    }
    results: list[EffectResult] = []

    def build(key: str, name: str, **fields_: Any) -> EffectResult:
        est = cells.att[key]
        n1, n0, n_used = cells.counts[key]
        se = math.sqrt(cells.vcov([key])[0, 0]) if np.isfinite(est) else math.nan
        return EffectResult.from_estimate(
            ESTIMATOR,
            name,
            est,
            se,
            n1,
            n0,
            level=level,
            details={**common, "n_used": n_used, **fields_.pop("details", {})},
            influence=cells.influence(key),
            **fields_,
        )

    for e in times:
        r = build(f"e{e}", outcome, event_time=e)
        if e > 0 and np.isfinite(r.estimate) and math.isfinite(crit):
            r = r.with_(
                details={
                    **r.details,
                    "ci_low_uniform": r.estimate - crit * r.se,
                    "ci_high_uniform": r.estimate + crit * r.se,
                }
            )
            r = _with_warnings(r, warn)
        results.append(r)
    if post_keys:
        cells.att["simple"] = float(np.mean([cells.att[k] for k in post_keys]))
        cells.totals["simple"] = np.mean([cells.totals[k] for k in post_keys], axis=0)
        n1 = max(cells.counts[k][0] for k in post_keys)
        n0 = max(cells.counts[k][1] for k in post_keys)
        cells.counts["simple"] = (n1, n0, len(work))
        agg = build(
            "simple",
            outcome,
            aggregation="simple",
            details={"event_times": [int(k[1:]) for k in post_keys], "pretrend": pretrend},
        )
        results.append(_with_warnings(agg, warn))
    for m in mapped:
        assert m is not None
        r = build(
            m.name,
            m.name,
            details={
                "event_time": m.horizon,
                "change": m.kind,
                "path": m.stem,
                "pretrend": pretrend if m.stem == outcome else None,
                "trend_adjusted": _trend_adjusted(
                    cells, m, pre_keys, pre_times, base_lag + (base_months - 1) / 2, level
                )
                if m.stem == outcome
                else None,
            },
        )
        results.append(_with_warnings(r, warn if m.stem == outcome else []))
    details = {
        **common,
        **info,
        "outcome": outcome,
        "pretrend": pretrend,
        "uniform_band": {"critical_value": crit, "level": level, "event_times": "post"},
        "covariates_excluded_after_base": after,
        "covariates_absorbed_by_risk_set": absorbed,
        "history_months": [start, min(start + max(history_windows) - 1, PATH_MONTHS)]
        if history_windows
        else [],
        "n_clusters": len(uniques),
    }
    return EffectResults(results, details=details)


def _path_name(stem: str, e: int) -> str:
    return f"{stem}_b{-e}" if e < 0 else f"{stem}_m{e}"


def _trend_adjusted(
    cells: _Cells,
    outcome: HorizonOutcome,
    pre_keys: list[str],
    pre_times: np.ndarray,
    base_mid: float,
    level: float,
) -> dict[str, Any] | None:
    """The estimate if the pre-period linear trend went on: ATT minus the slope times the months
    from the base's middle (summed over months 1..h for sums), with its IF standard error.

    A sensitivity check (the linear-extrapolation case of Rambachan & Roth 2023), because the
    pre-trend test has little power against a trend small enough to hide in its noise but large
    enough, extrapolated over 25 or more months, to move the estimate. Not for counts of months
    with assistance, whose path is in SEK.
    """
    if outcome.kind == "count" or len(pre_keys) < 3 or not np.isfinite(cells.att[outcome.name]):
        return None
    centred = pre_times - pre_times.mean()
    weights = centred / np.sum(centred**2)
    slope = float(weights @ np.array([cells.att[k] for k in pre_keys]))
    h = outcome.horizon
    months = h + base_mid if outcome.kind == "point" else h * (h + 1) / 2 + h * base_mid
    key = f"{outcome.name}:trend_adjusted"
    cells.att[key] = cells.att[outcome.name] - months * slope
    cells.totals[key] = cells.totals[outcome.name] - months * sum(
        w * cells.totals[k] for w, k in zip(weights, pre_keys, strict=True)
    )
    se = math.sqrt(cells.vcov([key])[0, 0])
    z = float(stats.norm.ppf(0.5 + level / 2))
    est = cells.att[key]
    return {
        "estimate": est,
        "se": se,
        "ci_low": est - z * se,
        "ci_high": est + z * se,
        "slope_per_month": slope,
        "months_extrapolated": months,
    }


def _sup_t(cells: _Cells, keys: list[str], level: float, draws: int, seed: int) -> float:
    """Critical value of a uniform band: the ``level`` quantile of max |t| under the joint normal."""
    if len(keys) < 2:
        return float(stats.norm.ppf(0.5 + level / 2)) if keys else math.nan
    v = cells.vcov(keys)
    sd = np.sqrt(np.diag(v))
    if not np.all(sd > 0):
        return math.nan
    corr = v / np.outer(sd, sd)
    vals, vecs = np.linalg.eigh(corr)
    root = vecs * np.sqrt(np.clip(vals, 0, None))
    z = np.random.default_rng(seed).standard_normal((draws, len(keys))) @ root.T
    return float(np.quantile(np.abs(z).max(axis=1), level))


def stacked_did_outcome(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    **options: Any,
) -> EffectResult:
    """The stacked DiD of one ``_{h}m`` outcome (registry signature), with its path's pre-trend test."""
    mapped = horizon_outcome(outcome)
    if mapped is None:
        raise EstimationError(
            "stacked_did needs an outcome like work_or_study_12m or assistance_sek_24m",
            estimator=ESTIMATOR,
            outcome=outcome,
        )
    lo = options.get("pretrend_window", PRETREND_WINDOW)[0]
    options.setdefault("event_times", list(range(lo, 0)))
    results = stacked_did(
        frame, mapped.stem, treatment, covariates, horizon_outcomes=[outcome], **options
    )
    return results.filter(outcome=outcome)[0]
