"""Callaway & Sant'Anna (2021) staggered difference-in-differences: ATT(g,t) and its aggregations.

Reproduces R ``did::att_gt`` + ``did::aggte`` for balanced panels (panel = TRUE): never- or
not-yet-treated controls, ``reg`` / ``ipw`` / ``dr`` 2×2 estimators with time-invariant covariates
(Sant'Anna & Zhao 2020, as R calls DRDID), anticipation, varying or universal base period,
analytic influence-function SEs (aggregates include the IF of the estimated group-share weights),
and a seeded multiplier bootstrap with simultaneous bands.

Speed: the outcome is held as a units × periods matrix; cells sharing a treated/control split
(all of a cohort's cells with never-treated controls) are estimated in one vectorised call, so
monthly panels with dozens of cohorts and periods take seconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.linalg
from scipy import stats

from evalkit.errors import DataError, InsufficientDataError
from evalkit.estimators._panel import WidePanel, to_wide
from evalkit.estimators.cs_did_aggregate import (
    Aggregate,
    Cells,
    Multipliers,
    analytic_se,
    group_shares,
    mean_aggregate,
    multiplier_bootstrap,
    multipliers,
    weighted_aggregate,
)
from evalkit.estimators.drdid import METHODS, OVERLAP_LIMIT, att_2x2, design_ok, fit_logit
from evalkit.estimators.result import EffectResult, EffectResults

ESTIMATOR = "cs_did"
CONTROL_GROUPS = ("never_treated", "not_yet_treated")
BASE_PERIODS = ("varying", "universal")
AGGREGATIONS = ("simple", "dynamic", "group", "calendar")
#: Cohorts smaller than this are listed in ``details["small_cohorts"]`` (R ``did`` warns below 5).
SMALL_COHORT = 5


@dataclass
class _Plan:
    """Which cells exist, their base periods and control sets (before any estimation)."""

    group: list[int] = field(default_factory=list)
    time: list[Any] = field(default_factory=list)
    t_idx: list[int] = field(default_factory=list)
    base_idx: list[int] = field(default_factory=list)
    threshold: list[float] = field(default_factory=list)  # controls: cohort 0 or cohort > threshold
    reference: list[bool] = field(default_factory=list)  # universal base: the normalised cell


def _prepare(
    panel: WidePanel, control_group: str, anticipation: int, cohort: str
) -> tuple[WidePanel, dict[str, Any]]:
    """Apply R ``did``'s pre-processing rules and report each one's count."""
    notes: dict[str, Any] = {}
    g = panel.cohort.copy()
    periods = panel.periods
    late = g > periods.max()
    if late.any():
        notes["recoded_never_treated"] = int(late.sum())  # treated after the last period
        g[late] = 0
    first = (g > 0) & (g <= periods[0])
    keep = ~first
    if first.any():
        notes["dropped_treated_in_first_period"] = int(first.sum())
    y = panel.y
    if not np.any(g[keep] == 0):
        if control_group == "never_treated":
            raise InsufficientDataError(
                "no never-treated units; use control_group='not_yet_treated'", estimator=ESTIMATOR
            )
        gmax = g[keep].max()
        tkeep = periods < gmax - anticipation
        notes["no_never_treated"] = (
            f"periods from {panel.label(gmax - anticipation)} on dropped; cohort {panel.label(gmax)} "
            "used as never treated"
        )
        periods, y = periods[tkeep], y[:, tkeep]
        g = np.where(g == gmax, 0, g)
    # a cohort inside the window must be one of its periods (after the last one it has only pre cells)
    bad_cohort = (g > 0) & ~np.isin(g, periods) & keep & (g <= periods.max())
    if bad_cohort.any():
        raise DataError(
            f"{int(bad_cohort.sum())} units have a cohort that is not one of the panel's periods "
            "(count: their rows)",
            table="panel",
            column=cohort,
            rule="cohort_in_periods",
            count=int(bad_cohort.sum()) * len(periods),
        )
    if len(periods) < 2:
        raise InsufficientDataError("at least two periods are needed", estimator=ESTIMATOR)
    out = WidePanel(
        panel.units[keep],
        periods,
        y[keep],
        g[keep],
        panel.x[keep],
        panel.weights[keep],
        panel.covariates,
        panel.months,
    )
    return out, notes


def _plan(
    periods: np.ndarray, groups: np.ndarray, control_group: str, anticipation: int, base_period: str
) -> tuple[_Plan, list]:
    """List the ATT(g,t) cells as R ``did::att_gt`` loops over them; groups without a pre-period are skipped."""
    plan, no_pre = _Plan(), []
    T = len(periods)
    universal = base_period == "universal"
    for g in groups:
        pre = np.flatnonzero(periods + anticipation < g)
        if len(pre) == 0:
            no_pre.append(int(g))
            continue
        last_pre = int(pre[-1])
        for ti in range(0 if universal else 1, T):
            cur = periods[ti]
            base = last_pre if universal or g <= cur else ti - 1
            threshold = (
                np.inf
                if control_group == "never_treated"
                else max(cur, periods[base]) + anticipation
            )
            plan.group.append(int(g))
            plan.time.append(cur.item() if hasattr(cur, "item") else cur)
            plan.t_idx.append(ti)
            plan.base_idx.append(base)
            plan.threshold.append(float(threshold))
            plan.reference.append(bool(universal and base == ti))
    return plan, no_pre


def _estimate_cells(
    panel: WidePanel, plan: _Plan, method: str
) -> tuple[np.ndarray, np.ndarray, dict[str, Any]]:
    """Estimate every planned cell; returns att (K,), IF (n×K), and per-cell counts and problems."""
    n, K = panel.n, len(plan.group)
    att = np.full(K, np.nan)
    inf = np.zeros((n, K))
    n_treated = np.zeros(K, dtype=int)
    n_control = np.zeros(K, dtype=int)
    control_masks: dict[tuple[int, float], np.ndarray] = {}
    cell_batch: list[tuple[int, float]] = []
    skipped: list[dict[str, Any]] = []
    x = np.column_stack([np.ones(n), panel.x])
    groups = np.asarray(plan.group)
    thresholds = np.asarray(plan.threshold)
    batches: dict[tuple[int, float], list[int]] = {}
    for k in range(K):
        key = (int(groups[k]), float(thresholds[k]))
        batches.setdefault(key, []).append(k)
        cell_batch.append(key)
    for (g, thr), ks in batches.items():
        treat = panel.cohort == g
        control = (panel.cohort == 0) | ((panel.cohort > thr) & (panel.cohort != g))
        control_masks[(g, thr)] = control
        n_treated[ks], n_control[ks] = int(treat.sum()), int(control.sum())
        ks = [k for k in ks if not plan.reference[k]]
        if not ks:
            continue
        reason = _batch_problem(treat, control, x, panel.weights, method)
        if reason is None and method in ("ipw", "dr"):
            sub = treat | control
            logit = fit_logit(
                treat[sub].astype(float), x[sub], panel.weights[sub] / panel.weights[sub].mean()
            )
            if panel.x.shape[1] and np.max(logit.p) >= OVERLAP_LIMIT:
                reason = "no overlap: a propensity score reaches 0.999"
        else:
            logit = None
        if reason is not None:
            skipped.extend(
                {"group": panel.label(g), "time": panel.label(plan.time[k]), "reason": reason}
                for k in ks
            )
            continue
        sub = np.flatnonzero(treat | control)
        cur = np.asarray([plan.t_idx[k] for k in ks])
        base = np.asarray([plan.base_idx[k] for k in ks])
        y_sub = panel.y[sub]
        dy = y_sub[:, cur] - y_sub[:, base]
        a, f = att_2x2(dy, treat[sub], x[sub], panel.weights[sub], method, logit)
        att[ks] = a
        inf[np.ix_(sub, ks)] = (n / len(sub)) * f
    for k in range(K):
        if plan.reference[k]:
            att[k] = 0.0
    info = {
        "n_treated": n_treated,
        "n_control": n_control,
        "control_masks": control_masks,
        "cell_batch": cell_batch,
        "skipped": skipped,
    }
    return att, inf, info


def _batch_problem(
    treat: np.ndarray, control: np.ndarray, x: np.ndarray, w: np.ndarray, method: str
) -> str | None:
    """Why a treated/control split cannot be estimated, or None."""
    if not treat.any():
        return "no treated units"
    if not control.any():
        return "no control units"
    if method in ("reg", "dr") and not design_ok(x[control], w[control]):
        return "covariate design of the control group is singular"
    return None


def _inference(estimate: float, se: float, z: float) -> tuple[float, float, float]:
    """Normal CI (critical value ``z``) and p-value; NaN when the SE is missing."""
    if not (np.isfinite(estimate) and np.isfinite(se)) or se <= 0:
        return (math.nan, math.nan, math.nan)
    p = math.erfc(abs(estimate / se) / math.sqrt(2))
    return (estimate - z * se, estimate + z * se, p)


def _crossproduct_by_cohort(a: np.ndarray, unit_group: np.ndarray) -> np.ndarray:
    """A'A summed over cohorts, each over only the cells its units enter (IFs are zero elsewhere)."""
    out = np.zeros((a.shape[1], a.shape[1]))
    for g in np.unique(unit_group):
        block = a[unit_group == g]
        cols = np.flatnonzero(np.any(block != 0, axis=0))
        if len(cols):
            sub = block[:, cols]
            out[np.ix_(cols, cols)] += sub.T @ sub
    return out


def _pretrend(
    att: np.ndarray, inf: np.ndarray, pre: np.ndarray, unit_group: np.ndarray
) -> dict[str, Any]:
    """Wald test that all pre-treatment ATT(g,t) are zero (R ``did``'s pre-test, analytic V).

    V = IF'IF/n², solved by Cholesky. As in R, no test is returned when V is singular (e.g. more
    pre-treatment cells than units); then ``stat`` and ``p_value`` are None and ``note`` says why.
    """
    idx = np.flatnonzero(pre & np.isfinite(att) & np.all(np.isfinite(inf), axis=0))
    idx = idx[np.einsum("ij,ij->j", inf[:, idx], inf[:, idx]) > 0]
    n, m = inf.shape[0], len(idx)
    if m == 0:
        return {
            "stat": None,
            "df": 0,
            "p_value": None,
            "note": "no pre-treatment cells with a variance",
        }
    if m >= n:
        note = f"not computed: {m} pre-treatment cells for {n} units (singular covariance)"
        return {"stat": None, "df": m, "p_value": None, "note": note}
    v = _crossproduct_by_cohort(inf[:, idx], unit_group) / n**2
    try:
        chol = np.linalg.cholesky(v)
    except np.linalg.LinAlgError:
        chol = None
    if chol is None or np.min(np.diag(chol)) ** 2 < np.max(np.diag(v)) * m * np.finfo(float).eps:
        note = f"not computed: the covariance of the {m} pre-treatment cells is singular"
        return {"stat": None, "df": m, "p_value": None, "note": note}
    z = scipy.linalg.solve_triangular(chol, att[idx], lower=True)
    stat = float(z @ z)
    return {"stat": stat, "df": m, "p_value": float(stats.chi2.sf(stat, m))}


def cs_did(
    frame: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
    control_group: str = "never_treated",
    method: str = "dr",
    anticipation: int = 0,
    base_period: str = "varying",
    weights: str | None = None,
    bootstrap: bool = False,
    n_boot: int = 999,
    boot_weights: str = "mammen",
    seed: int | None = None,
    level: float = 0.95,
    min_e: float = -math.inf,
    max_e: float = math.inf,
    balance_e: int | None = None,
    aggregations: Sequence[str] = AGGREGATIONS,
) -> EffectResults:
    """ATT(g,t) for every cohort g and period t, plus simple/dynamic/group/calendar aggregates.

    ``frame`` is a balanced long panel (``cohort`` = first treated period, 0/empty = never).
    ``covariates`` must be constant within unit. ``min_e``, ``max_e`` and ``balance_e`` restrict
    the dynamic (event-time) aggregation as in R ``aggte``. With ``bootstrap`` the SEs come from a
    seeded multiplier bootstrap (``n_boot`` draws, Mammen or Rademacher weights) and each family
    (cells, event times, groups, periods) gets a simultaneous band in ``details`` (``uniform_ci_low``,
    ``uniform_ci_high``, ``crit_val``); the pointwise interval stays in ``ci_low``/``ci_high``.
    """
    if control_group not in CONTROL_GROUPS:
        raise ValueError(f"control_group must be one of {CONTROL_GROUPS}, got '{control_group}'")
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got '{method}'")
    if base_period not in BASE_PERIODS:
        raise ValueError(f"base_period must be one of {BASE_PERIODS}, got '{base_period}'")
    if anticipation < 0 or int(anticipation) != anticipation:
        raise ValueError("anticipation must be a non-negative whole number of periods")
    unknown = set(aggregations) - set(AGGREGATIONS)
    if unknown:
        raise ValueError(f"unknown aggregations {sorted(unknown)}; use {AGGREGATIONS}")
    raw = to_wide(
        frame, outcome, unit=unit, time=time, cohort=cohort, covariates=covariates, weights=weights
    )
    panel, notes = _prepare(raw, control_group, int(anticipation), cohort)
    groups = np.unique(panel.cohort[panel.cohort > 0])
    if len(groups) == 0:
        raise InsufficientDataError(
            "no treated cohorts in the panel", estimator=ESTIMATOR, outcome=outcome
        )
    plan, no_pre = _plan(panel.periods, groups, control_group, int(anticipation), base_period)
    if no_pre:
        notes["groups_without_pre_period"] = [panel.label(g) for g in no_pre]
    if not plan.group:
        raise InsufficientDataError(
            "no cohort has a pre-treatment period", estimator=ESTIMATOR, outcome=outcome
        )
    att, inf, info = _estimate_cells(panel, plan, method)
    cells = Cells(
        att, inf, np.asarray(plan.group), np.asarray(plan.time), panel.cohort, panel.weights
    )
    sizes = {panel.label(g): int(np.sum(panel.cohort == g)) for g in groups}
    details: dict[str, Any] = {
        "method": method,
        "control_group": control_group,
        "base_period": base_period,
        "anticipation": int(anticipation),
        "n_units": panel.n,
        "n_never_treated": int(np.sum(panel.cohort == 0)),
        "periods": [panel.label(p) for p in panel.periods],
        "cohort_sizes": sizes,
        "small_cohorts": {g: s for g, s in sizes.items() if s < SMALL_COHORT},
        "skipped_cells": info["skipped"],
        "bootstrap": bool(bootstrap),
        **notes,
    }
    pre = cells.time < cells.group - int(anticipation)  # R: pre cells exclude anticipation periods
    details["pretrend"] = _pretrend(att, inf, pre, panel.cohort)
    v = None
    if bootstrap:
        rng = np.random.default_rng(seed)
        v = multipliers(panel.n, int(n_boot), rng, boot_weights)
        details.update({"n_boot": int(n_boot), "boot_weights": boot_weights, "seed": seed})
    builder = _Builder(outcome, level, v, info, panel)
    results = builder.family(
        [Aggregate(float(att[k]), inf[:, k], np.array([k])) for k in range(len(att))],
        aggregation="att_gt",
        labels=[
            {
                "group": panel.label(plan.group[k]),
                "time": panel.label(plan.time[k]),
                "event_time": int(plan.time[k] - plan.group[k]),
            }
            for k in range(len(att))
        ],
        cell_details=[
            {
                "base_time": panel.label(panel.periods[plan.base_idx[k]]),
                "post": bool(plan.group[k] <= plan.time[k]),
            }
            for k in range(len(att))
        ],
    )
    valid = np.isfinite(att)
    pg_cell = group_shares(cells, cells.group)
    for name in aggregations:
        results += _AGGREGATORS[name](
            cells, valid, pg_cell, builder, min_e, max_e, balance_e, panel.periods
        )
    return EffectResults(results, details=details)


class _Builder:
    """Turns aggregates into EffectResults, with analytic or bootstrap inference."""

    def __init__(
        self,
        outcome: str,
        level: float,
        v: Multipliers | None,
        info: dict[str, Any],
        panel: WidePanel,
    ):
        self.outcome, self.level, self.v, self.info, self.panel = outcome, level, v, info, panel
        self.z = float(stats.norm.ppf(0.5 + level / 2))

    def counts(self, cell_idx: np.ndarray, group: np.ndarray) -> tuple[int, int]:
        """Units in the cohorts averaged, and distinct units used as controls in any of the cells."""
        cell_idx = np.asarray(cell_idx, dtype=int)
        if len(cell_idx) == 0:
            return 0, 0
        treated = int(np.isin(self.panel.cohort, np.unique(group[cell_idx])).sum())
        keys = {self.info["cell_batch"][k] for k in cell_idx}
        control = np.zeros(self.panel.n, dtype=bool)
        for key in keys:
            control |= self.info["control_masks"][key]
        return treated, int(control.sum())

    def family(
        self,
        parts: list[Aggregate],
        *,
        aggregation: str,
        labels: list[dict[str, Any]],
        cell_details: list[dict[str, Any]] | None = None,
        group_of_cell: np.ndarray | None = None,
    ) -> list[EffectResult]:
        """Results for one family of estimates (with a simultaneous band when bootstrapping)."""
        if not parts:
            return []
        crit = None
        if self.v is not None:
            ses, crit = multiplier_bootstrap(
                np.column_stack([p.inf for p in parts]), self.v, self.level
            )
        else:
            ses = np.array(
                [analytic_se(p.inf) if np.isfinite(p.estimate) else np.nan for p in parts]
            )
        out = []
        for j, part in enumerate(parts):
            est = part.estimate
            se = float(ses[j]) if np.isfinite(est) else float("nan")
            lo, hi, p = _inference(est, se, self.z)
            d: dict[str, Any] = dict(cell_details[j]) if cell_details else {}
            if crit is not None and len(parts) > 1 and np.isfinite(se) and np.isfinite(crit):
                d.update(
                    {
                        "crit_val": crit,
                        "uniform_ci_low": est - crit * se,
                        "uniform_ci_high": est + crit * se,
                    }
                )
            if aggregation == "att_gt":
                k = int(part.cells[0])
                nt, nc = int(self.info["n_treated"][k]), int(self.info["n_control"][k])
            else:
                nt, nc = self.counts(part.cells, group_of_cell)
            out.append(
                EffectResult(
                    estimator=ESTIMATOR,
                    outcome=self.outcome,
                    estimate=est,
                    se=se,
                    ci_low=lo,
                    ci_high=hi,
                    p_value=p,
                    n_treated=nt,
                    n_control=nc,
                    level=self.level,
                    aggregation=aggregation,
                    details=d,
                    influence=part.inf,
                    **labels[j],
                )
            )
        return out


def _simple(cells, valid, pg_cell, b, min_e, max_e, balance_e, periods) -> list[EffectResult]:
    """Average of post-treatment cells weighted by cohort size (R ``aggte(type='simple')``)."""
    keep = np.flatnonzero(valid & (cells.group <= cells.time))
    agg = weighted_aggregate(cells, keep, pg_cell, estimated_weights=True)
    return b.family([agg], aggregation="simple", labels=[{}], group_of_cell=cells.group)


def _dynamic(cells, valid, pg_cell, b, min_e, max_e, balance_e, periods) -> list[EffectResult]:
    """Event-study aggregates by e = t − g, and their mean over e ≥ 0 (R ``aggte(type='dynamic')``)."""
    e_cell = cells.time - cells.group
    include = valid.copy()
    eseq = np.unique(e_cell[valid])
    if balance_e is not None:
        include &= (periods.max() - cells.group) >= balance_e
        eseq = np.unique(e_cell[include])
        eseq = eseq[(eseq <= balance_e) & (eseq >= balance_e - periods.max() + periods.min())]
    eseq = eseq[(eseq >= min_e) & (eseq <= max_e)]
    parts = [
        weighted_aggregate(
            cells, np.flatnonzero(include & (e_cell == e)), pg_cell, estimated_weights=True
        )
        for e in eseq
    ]
    per_e = b.family(
        parts,
        aggregation="dynamic",
        labels=[{"event_time": int(e)} for e in eseq],
        group_of_cell=cells.group,
    )
    overall = mean_aggregate([p for p, e in zip(parts, eseq, strict=True) if e >= 0])
    head = b.family([overall], aggregation="dynamic", labels=[{}], group_of_cell=cells.group)
    return head + per_e


def _group(cells, valid, pg_cell, b, min_e, max_e, balance_e, periods) -> list[EffectResult]:
    """Average effect per cohort, and their cohort-size-weighted mean (R ``aggte(type='group')``)."""
    glist = np.unique(cells.group)
    parts = [
        weighted_aggregate(
            cells,
            np.flatnonzero(valid & (cells.group == g) & (cells.group <= cells.time)),
            pg_cell,
            estimated_weights=False,
        )
        for g in glist
    ]
    per_g = b.family(
        parts,
        aggregation="group",
        labels=[{"group": b.panel.label(g)} for g in glist],
        group_of_cell=cells.group,
    )
    ok = np.array([np.isfinite(p.estimate) for p in parts])
    if ok.any():
        pgg = group_shares(cells, glist[ok])
        pseudo = Cells(
            np.array([p.estimate for p, o in zip(parts, ok, strict=True) if o]),
            np.column_stack([p.inf for p, o in zip(parts, ok, strict=True) if o]),
            glist[ok],
            glist[ok],
            cells.unit_group,
            cells.unit_weight,
        )
        overall = weighted_aggregate(pseudo, np.arange(ok.sum()), pgg, estimated_weights=True)
        used = np.concatenate([p.cells for p, o in zip(parts, ok, strict=True) if o])
        overall = Aggregate(overall.estimate, overall.inf, used)
    else:
        overall = Aggregate(np.nan, np.full(cells.inf.shape[0], np.nan), np.array([], dtype=int))
    head = b.family([overall], aggregation="group", labels=[{}], group_of_cell=cells.group)
    return head + per_g


def _calendar(cells, valid, pg_cell, b, min_e, max_e, balance_e, periods) -> list[EffectResult]:
    """Average effect per calendar period among cohorts treated by then, and their mean (R ``type='calendar'``)."""
    tlist = [t for t in periods if t >= cells.group.min()]
    parts, labels = [], []
    for t in tlist:
        keep = np.flatnonzero(valid & (cells.time == t) & (cells.group <= cells.time))
        if len(keep) == 0:
            continue
        parts.append(weighted_aggregate(cells, keep, pg_cell, estimated_weights=True))
        labels.append({"time": b.panel.label(t)})
    per_t = b.family(parts, aggregation="calendar", labels=labels, group_of_cell=cells.group)
    head = b.family(
        [mean_aggregate(parts)], aggregation="calendar", labels=[{}], group_of_cell=cells.group
    )
    return head + per_t


_AGGREGATORS = {"simple": _simple, "dynamic": _dynamic, "group": _group, "calendar": _calendar}
