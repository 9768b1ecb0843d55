"""Dynamic propensity-score matching (Sianesi 2004): joining in month u versus waiting.

Input is the "stacked" frame of CONTRACTS.md: one row per person × start month u for persons
eligible in u who have not joined before u; ``treated`` = joined in u; covariates measured at u;
outcome columns ``<name>_m<k>`` = outcome k months after u. For each u a logit propensity score is
fitted on that month's rows and each joiner is matched (nearest neighbours on the logit of the
score, with replacement, optional caliper) to persons at risk in u who did not join in u — they may
join later, so the estimand is the effect of joining now rather than waiting (Sianesi 2004),
which includes the lock-in while in the measure. The effect path is reported by k. Matches are
bias-corrected by default (Abadie & Imbens 2011), which removes the small bias that nearest-
neighbour matching leaves where joiners are dense and waiting persons sparse.

Standard errors: Abadie & Imbens (2006) variance for matching with replacement, which uses the
match counts K (how often a control row serves as a match) and conditional variances estimated by
matching controls to controls within u. Because one person can be a control in several months,
the match counts of a person's rows are added up as if that person's rows were perfectly
correlated — conservative, and cheap; a bootstrap would be both slow (refitting every month) and
not valid for nearest-neighbour matching with a fixed number of matches (Abadie & Imbens 2008).
Propensity estimation error is ignored, as in Abadie & Imbens (2006).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import DataError, InsufficientDataError
from evalkit.estimators._panel import covariate_matrix, numeric_column, require_columns
from evalkit.estimators.drdid import fit_logit
from evalkit.estimators.result import EffectResult, EffectResults

ESTIMATOR = "dynamic_matching"
TABLE = "stacked"


@dataclass(frozen=True)
class _Matched:
    """Matches of one start month for one outcome horizon."""

    treated_rows: np.ndarray  # row positions (in the whole frame) of matched joiners
    matches: np.ndarray  # (n_t, M) row positions of their matched controls
    gaps: np.ndarray  # (n_t,) joiner's outcome minus its matches' mean (bias-corrected if asked)
    sigma2_control: np.ndarray  # conditional variance estimate per control row used
    control_rows: np.ndarray  # row positions of those controls
    n_dropped: int  # joiners without a match inside the caliper


def outcome_horizons(frame: pd.DataFrame, name: str) -> list[int]:
    """The k of every column ``<name>_m<k>``, sorted."""
    pattern = re.compile(rf"^{re.escape(name)}_m(\d+)$")
    ks = sorted(int(m.group(1)) for c in frame.columns if (m := pattern.match(str(c))))
    if not ks:
        raise DataError(
            f"no outcome columns named '{name}_m<k>'",
            table=TABLE,
            column=f"{name}_m<k>",
            rule="outcome_path",
        )
    return ks


def _nearest(sorted_vals: np.ndarray, queries: np.ndarray, m: int) -> tuple[np.ndarray, np.ndarray]:
    """Positions and distances of the m nearest sorted values to each query (ties: lower first)."""
    n = len(sorted_vals)
    m = min(m, n)
    pos = np.searchsorted(sorted_vals, queries)
    offsets = np.arange(-m, m)
    cand = np.clip(pos[:, None] + offsets[None, :], 0, n - 1)
    dist = np.abs(sorted_vals[cand] - queries[:, None])
    # drop duplicated candidate positions produced by clipping at the edges
    dup = np.zeros_like(cand, dtype=bool)
    dup[:, 1:] = cand[:, 1:] == cand[:, :-1]
    dist = np.where(dup, np.inf, dist)
    order = np.argsort(dist, axis=1, kind="stable")[:, :m]
    return np.take_along_axis(cand, order, axis=1), np.take_along_axis(dist, order, axis=1)


def _nearest_other(score: np.ndarray) -> np.ndarray:
    """For each control, the position of its nearest other control on the score."""
    order = np.argsort(score, kind="stable")
    s = score[order]
    left = np.r_[np.inf, np.diff(s)]
    right = np.r_[np.diff(s), np.inf]
    nn_sorted = order[np.where(left <= right, np.arange(len(s)) - 1, np.arange(len(s)) + 1)]
    nn = np.empty_like(order)
    nn[order] = nn_sorted
    return nn


@dataclass(frozen=True)
class _MonthPlan:
    """Matches of one start month for one pattern of observed outcomes (reused across k)."""

    t_kept: np.ndarray  # local positions of matched joiners
    matches: np.ndarray  # (n_t, M) local positions of their matches
    c_idx: np.ndarray  # local positions of the waiting persons with an observed outcome
    nn: np.ndarray  # for each of them, the position (in c_idx) of its nearest other one
    x_gap: np.ndarray | None  # joiner's covariates minus its matches' mean (for bias correction)
    proj: np.ndarray | None  # pseudo-inverse of the controls' design [1, x]
    n_dropped: int


def _plan_month(
    score: np.ndarray,
    d: np.ndarray,
    ok: np.ndarray,
    x: np.ndarray,
    neighbours: int,
    caliper: float | None,
    bias_correction: bool,
) -> _MonthPlan | None:
    """Nearest-neighbour matching of joiners to waiting persons within one start month."""
    t_idx = np.flatnonzero(ok & (d == 1))
    c_idx = np.flatnonzero(ok & (d == 0))
    if len(t_idx) == 0 or len(c_idx) == 0:
        return None
    order = np.argsort(score[c_idx], kind="stable")
    c_sorted = c_idx[order]
    pos, dist = _nearest(score[c_sorted], score[t_idx], neighbours)
    keep = np.ones(len(t_idx), dtype=bool)
    if caliper is not None:
        keep = dist[:, 0] <= caliper
    matches = c_sorted[pos[keep]]
    t_kept = t_idx[keep]
    nn = _nearest_other(score[c_idx]) if len(c_idx) > 1 else np.zeros(1, dtype=int)
    x_gap = proj = None
    if bias_correction and x.shape[1]:
        x_gap = x[t_kept] - x[matches].mean(axis=1)
        proj = np.linalg.pinv(np.column_stack([np.ones(len(c_idx)), x[c_idx]]))
    return _MonthPlan(t_kept, matches, c_idx, nn, x_gap, proj, int((~keep).sum()))


def _apply_plan(plan: _MonthPlan, y: np.ndarray, rows: np.ndarray) -> _Matched:
    """Gaps, and the controls' conditional variances, of one outcome under a month's matches."""
    gaps = y[plan.t_kept] - y[plan.matches].mean(axis=1)
    if plan.proj is not None:
        # Abadie & Imbens (2011): remove the part of the gap due to covariate differences,
        # predicted by a linear regression of the outcome on the covariates among controls
        beta = plan.proj @ y[plan.c_idx]
        gaps = gaps - plan.x_gap @ beta[1:]
    yc = y[plan.c_idx]
    # σ²(x) of each control by matching it to its nearest other control: ½(y − y_nn)²
    sigma2 = 0.5 * (yc - yc[plan.nn]) ** 2 if len(yc) > 1 else np.zeros_like(yc)
    return _Matched(
        rows[plan.t_kept], rows[plan.matches], gaps, sigma2, rows[plan.c_idx], plan.n_dropped
    )


def _propensity_scores(
    frame: pd.DataFrame, period: str, treatment: str, x: np.ndarray
) -> tuple[np.ndarray, dict[Any, str]]:
    """Logit of the propensity score fitted separately for each start month; notes per skipped month."""
    score = np.full(len(frame), np.nan)
    notes: dict[Any, str] = {}
    d = numeric_column(frame, treatment, table=TABLE)
    design = np.column_stack([np.ones(len(frame)), x])
    for u, idx in frame.groupby(period, sort=True).indices.items():
        du = d[idx]
        if du.sum() == 0 or du.sum() == len(du):
            notes[_plain(u)] = "no joiners" if du.sum() == 0 else "no one waiting"
            continue
        xu = design[idx]
        # drop covariates constant within the month (else the logit is singular)
        varying = (
            np.r_[True, np.ptp(xu[:, 1:], axis=0) > 0] if xu.shape[1] > 1 else np.array([True])
        )
        fit = fit_logit(du, xu[:, varying], np.ones(len(idx)))
        p = np.clip(fit.p, 1e-10, 1 - 1e-10)
        score[idx] = np.log(p / (1 - p))
        if not fit.converged:
            notes[_plain(u)] = "propensity logit did not converge (separation); matches may be poor"
    return score, notes


def _plain(value: Any) -> Any:
    """A numpy scalar as a plain Python value."""
    return value.item() if hasattr(value, "item") else value


def _ai_variance(
    persons: np.ndarray, matched: list[_Matched], estimate: float, neighbours: int
) -> float:
    """Abadie–Imbens variance with match counts summed per person (conservative across months)."""
    n1 = sum(len(m.treated_rows) for m in matched)
    resid = np.concatenate([m.gaps - estimate for m in matched])
    first = float(np.sum(resid**2))
    counts = pd.Series(np.concatenate([m.matches.ravel() for m in matched])).value_counts()
    sig = pd.Series(
        np.concatenate([m.sigma2_control for m in matched]),
        index=np.concatenate([m.control_rows for m in matched]),
    )
    sig = sig[~sig.index.duplicated()]
    used = pd.DataFrame({"k": counts, "sigma2": sig.reindex(counts.index).to_numpy()})
    used["person"] = persons[used.index.to_numpy()]
    per = used.groupby("person").agg(k=("k", "sum"), sigma2=("sigma2", "mean"))
    second = float(np.sum(per["k"] * (per["k"] - 1) / neighbours**2 * per["sigma2"]))
    return (first + second) / n1**2


def dynamic_matching(
    stacked: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    unit: str = "unit_id",
    period: str = "start_period",
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    neighbours: int = 1,
    caliper: float | None = None,
    bias_correction: bool = True,
    level: float = 0.95,
) -> EffectResults:
    """Effect of joining in u (vs not yet) k months later, pooled over u: one result per outcome × k.

    ``caliper`` is in standard deviations of the logit propensity score (within each u); joiners
    without a match inside it are dropped and counted in ``details["n_unmatched"]``.
    ``bias_correction`` applies Abadie & Imbens' (2011) regression adjustment of each match for
    the remaining covariate difference (linear in the covariates, fitted on that month's controls).
    """
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    require_columns(stacked, [unit, period, treatment, *covariates], table=TABLE)
    d = numeric_column(stacked, treatment, table=TABLE)
    if not np.isin(d, (0.0, 1.0)).all():
        raise DataError(
            "values must be 0 or 1",
            table=TABLE,
            column=treatment,
            rule="binary",
            count=int((~np.isin(d, (0.0, 1.0))).sum()),
        )
    dup = stacked.duplicated([unit, period])
    if dup.any():
        raise DataError(
            f"duplicate ({unit}, {period}) rows",
            table=TABLE,
            column=unit,
            rule="unique_unit_period",
            count=int(dup.sum()),
        )
    joins = stacked.loc[d == 1, unit].value_counts()
    if (joins > 1).any():
        raise DataError(
            f"{int((joins > 1).sum())} persons join in more than one start month "
            "(count: their joining rows)",
            table=TABLE,
            column=treatment,
            rule="single_join",
            count=int(joins[joins > 1].sum()),
        )
    if d.sum() == 0:
        raise InsufficientDataError("no joiners in the stacked frame", estimator=ESTIMATOR)
    x, _ = covariate_matrix(stacked, covariates, table=TABLE)
    if x.shape[1]:
        x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    score, notes = _propensity_scores(stacked, period, treatment, x)
    persons = pd.factorize(stacked[unit].astype(str))[0]
    months = stacked.groupby(period, sort=True).indices
    plans: dict[tuple[Any, bytes], _MonthPlan | None] = {}
    results: list[EffectResult] = []
    for name in outcomes:
        for k in outcome_horizons(stacked, name):
            col = f"{name}_m{k}"
            y = numeric_column(stacked, col, table=TABLE, allow_missing=True)
            matched, n_dropped = [], 0
            for u, idx in months.items():
                if not np.isfinite(score[idx]).all():
                    continue
                ok = np.isfinite(y[idx])
                key = (u, ok.tobytes())
                if key not in plans:
                    cal = None if caliper is None else caliper * float(np.std(score[idx]))
                    plans[key] = _plan_month(
                        score[idx], d[idx], ok, x[idx], neighbours, cal, bias_correction
                    )
                plan = plans[key]
                if plan is None:
                    continue
                n_dropped += plan.n_dropped
                if len(plan.t_kept):
                    matched.append(_apply_plan(plan, y[idx], idx))
            if not matched:
                continue
            gaps = np.concatenate([m.gaps for m in matched])
            est = float(gaps.mean())
            se = float(np.sqrt(_ai_variance(persons, matched, est, neighbours)))
            control_persons = np.unique(
                persons[np.concatenate([m.matches.ravel() for m in matched])]
            )
            results.append(
                EffectResult.from_estimate(
                    ESTIMATOR,
                    name,
                    est,
                    se,
                    len(gaps),
                    len(control_persons),
                    level=level,
                    aggregation="dynamic",
                    event_time=int(k),
                    details={"n_start_months": len(matched), "n_unmatched": n_dropped},
                )
            )
    if not results:
        raise InsufficientDataError(
            "no start month has both joiners and waiting persons", estimator=ESTIMATOR
        )
    details: dict[str, Any] = {
        "neighbours": neighbours,
        "bias_correction": bias_correction,
        "caliper": caliper,
        "se_method": "Abadie-Imbens (2006) with match counts summed per person",
        "propensity": "logit per start month",
        "skipped_start_months": notes,
    }
    return EffectResults(results, details=details)
