"""Callaway & Sant'Anna (2021) staggered difference-in-differences: ATT(g,t) and its aggregations.

Reproduces R ``did::att_gt`` + ``did::aggte`` for balanced panels (panel = TRUE): never- or
not-yet-treated controls, ``reg`` / ``ipw`` / ``dr`` 2×2 estimators with time-invariant covariates
(Sant'Anna & Zhao 2020, as R calls DRDID), anticipation, varying or universal base period,
analytic influence-function SEs (aggregates include the IF of the estimated group-share weights),
a seeded multiplier bootstrap with simultaneous bands, and pre-trend Wald tests.

Speed and memory at monthly scale (tens of thousands of units, dozens of cohorts and periods):
units are sorted by cohort, so a cohort's units are one block of rows. All cells of a cohort that
share a control group form a batch with one propensity fit, and the outcome regression is fitted
on levels once per control group (a change's fit is the difference of two levels' fits), so
batches with never-treated controls share it. A batch's influence functions stay factored,
``IF[i, k] = κ (a_i (e_i,t − e_i,b) + b_i · c_k)`` with e the units' outcome residuals, so SEs,
aggregations and bootstrap draws are matrix products over periods, never a units × cells matrix.
:func:`evalkit.estimators.drdid.att_2x2` is the cell-by-cell reference the factored form is
tested against.
"""

from __future__ import annotations

import bisect
import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
import scipy.special
from scipy import stats
from threadpoolctl import threadpool_limits

from evalkit.errors import DataError, InsufficientDataError
from evalkit.estimators._panel import WidePanel, to_wide
from evalkit.estimators.cs_did_aggregate import (
    SE_TOLERANCE,
    Aggregate,
    Cells,
    Family,
    Multipliers,
    analytic_se,
    bootstrap_inference,
    family_weights,
    finish,
    group_shares,
    mean_aggregate,
    multiplier_bootstrap,
    multipliers,
    wald_result,
    weighted_aggregate,
)
from evalkit.estimators.drdid import (
    METHODS,
    OVERLAP_LIMIT,
    TRIM_LEVEL,
    design_ok,
    fit_logit,
)
from evalkit.estimators.result import EffectResult, EffectResults

ESTIMATOR = "cs_did"
CONTROL_GROUPS = ("never_treated", "not_yet_treated")
BASE_PERIODS = ("varying", "universal")
AGGREGATIONS = ("simple", "dynamic", "group", "calendar")
#: Cohorts smaller than this are listed in ``details["small_cohorts"]`` (R ``did`` warns below 5).
SMALL_COHORT = 5
#: Pre-trend Wald tests want this many treated units per tested estimate: R ``did``'s test over
#: cells needs it in every cohort, the event-time test takes as many event times as allow it.
MIN_UNITS_PER_PRE_CELL = 10
#: DRDID caps propensity scores just below 1 before forming odds.
PS_CAP = 1 - 1e-6


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


Rows = tuple[slice, ...]


@dataclass(frozen=True)
class _Units:
    """The panel's units sorted by cohort, so that each cohort's units are one block of rows.

    Treated cohorts come first in ascending order and the never treated last, so that a
    not-yet-treated control group (later cohorts and the never treated) is one block too.
    """

    order: np.ndarray  # sorted row -> panel row
    blocks: dict[int, slice]  # cohort -> its rows
    y: np.ndarray  # (n, T) outcome minus the unit's mean (changes are unchanged, sums stay small)
    x: np.ndarray  # (n, 1 + p) intercept and covariates
    w: np.ndarray  # (n,) unit weights
    cohort: np.ndarray  # (n,) cohort of each row

    @classmethod
    def of(cls, panel: WidePanel) -> _Units:
        """Sort the panel's units by cohort, never treated last (stable: ties keep the panel's order)."""
        key = np.where(panel.cohort == 0, np.iinfo(np.int64).max, panel.cohort)
        order = np.argsort(key, kind="stable")
        cohort = panel.cohort[order]
        _, starts = np.unique(key[order], return_index=True)
        stops = np.append(starts[1:], len(order))
        blocks = {int(cohort[a]): slice(int(a), int(b)) for a, b in zip(starts, stops, strict=True)}
        y = panel.y[order]
        y = y - y.mean(axis=1, keepdims=True)
        x = np.column_stack([np.ones(len(order)), panel.x[order]])
        return cls(order, blocks, y, x, panel.weights[order], cohort)

    @property
    def n(self) -> int:
        """Number of units."""
        return len(self.order)

    @property
    def cohorts(self) -> np.ndarray:
        """The distinct cohorts, ascending (0 = never treated)."""
        return np.array(sorted(self.blocks))

    def rows(self, cohorts: Sequence[int]) -> Rows:
        """Rows of the units of some cohorts: their blocks, adjacent ones merged, in row order."""
        out: list[slice] = []
        for block in sorted((self.blocks[c] for c in cohorts if c in self.blocks), key=_start):
            if out and out[-1].stop == block.start:
                out[-1] = slice(out[-1].start, block.stop)
            else:
                out.append(block)
        return tuple(out) or (slice(0, 0),)

    def in_row_order(self, cohorts: Sequence[int]) -> list[int]:
        """The cohorts (with units) in the order of their rows."""
        return sorted((c for c in cohorts if c in self.blocks), key=lambda c: self.blocks[c].start)

    def size(self, cohorts: Sequence[int]) -> int:
        """Number of units in some cohorts."""
        return sum(self.blocks[c].stop - self.blocks[c].start for c in cohorts if c in self.blocks)

    @staticmethod
    def take(values: np.ndarray, rows: Rows, columns: np.ndarray | None = None) -> np.ndarray:
        """values[rows] (a view when the rows are one block), or values[rows][:, columns]."""
        if columns is not None and len(columns) == values.shape[1]:
            columns = None
        if len(rows) == 1:
            return values[rows[0]] if columns is None else values[rows[0], columns]
        if columns is None:
            return np.concatenate([values[r] for r in rows])
        return np.concatenate([values[r, columns] for r in rows])

    @staticmethod
    def index(rows: Rows) -> np.ndarray:
        """The row numbers of ``rows``."""
        return np.concatenate([np.arange(r.start, r.stop) for r in rows])

    def in_panel_order(self, values: np.ndarray) -> np.ndarray:
        """Per-unit values (along axis 0) back in the panel's unit order."""
        out = np.empty_like(values)
        out[self.order] = values
        return out


def _start(block: slice) -> int:
    """Where a block of rows starts."""
    return block.start


@dataclass(frozen=True)
class _Batch:
    """Cells of one cohort that share a control group, hence one propensity fit."""

    group: int
    controls: tuple[int, ...]  # cohorts whose units are the controls
    cells: np.ndarray  # cell indices, reference cells included


def _batches(plan: _Plan, cohorts: np.ndarray) -> list[_Batch]:
    """Group the planned cells by cohort and control group (never-treated: one batch per cohort)."""
    treated = [int(h) for h in cohorts if h > 0]
    later: dict[float, tuple[int, ...]] = {}  # cohorts after a threshold
    keyed: dict[tuple[int, tuple[int, ...]], list[int]] = {}
    for k, (g, thr) in enumerate(zip(plan.group, plan.threshold, strict=True)):
        if thr not in later:
            later[thr] = tuple(treated[bisect.bisect_right(treated, thr) :])
        controls = (0, *(h for h in later[thr] if h != g))
        keyed.setdefault((int(g), controls), []).append(k)
    return [_Batch(g, c, np.asarray(ks)) for (g, c), ks in keyed.items()]


@dataclass
class _Controls:
    """A control group's units, their outcome regression on levels and its residuals."""

    rows: Rows
    x: np.ndarray
    w: np.ndarray
    columns: np.ndarray  # periods the residuals are kept for
    coef: np.ndarray  # (1 + p, columns) weighted OLS of levels on covariates (zero for ipw)
    e: np.ndarray  # (units, columns) residuals
    design_ok: bool
    _products: np.ndarray | None = None

    @classmethod
    def fit(
        cls, units: _Units, cohorts: Sequence[int], columns: np.ndarray, method: str
    ) -> _Controls:
        """Fit the control group's outcome regression (reg, dr) on the levels of ``columns``."""
        rows = units.rows(cohorts)
        x, w = units.take(units.x, rows), units.take(units.w, rows)
        y = units.take(units.y, rows, columns)
        ok = method == "ipw" or (len(w) > 0 and design_ok(x, w))
        if method == "ipw" or not ok:
            coef = np.zeros((x.shape[1], len(columns)))
            e = y
        else:
            xw = x * w[:, None]
            coef = np.linalg.solve(xw.T @ x, xw.T @ y)
            e = y - x @ coef
        return cls(rows, x, w, columns, coef, e, ok)

    def products(self) -> np.ndarray:
        """[e∘e | e_t∘e_(t−1) | e], side by side: what the sums of squares multiply (kept)."""
        if self._products is None:
            e = self.e
            self._products = np.hstack([e * e, e[:, 1:] * e[:, :-1], e])
        return self._products


@dataclass(frozen=True)
class _Side:
    """The treated or the control units of a batch, with their influence functions kept factored.

    ``IF[i, k] = kappa * (a[i] * (e[i, cur[k]] - e[i, base[k]]) + b[i] @ c[:, k])``.
    """

    rows: Rows
    e: np.ndarray  # (units, columns) outcome residuals (levels)
    a: np.ndarray  # (units,)
    b: np.ndarray  # (units, q)
    c: np.ndarray  # (q, cells)
    kappa: float
    cur: np.ndarray  # column of each cell's period
    base: np.ndarray  # column of each cell's base period
    shared: _Controls | None = None  # a control group whose products are kept across batches

    def dense(self, sel: np.ndarray | slice = slice(None)) -> np.ndarray:
        """The influence functions of cells ``sel`` on this side's units (units × cells)."""
        out = _changes(self.e, self.cur[sel], self.base[sel])
        out *= (self.kappa * self.a)[:, None]
        out += self.b @ (self.kappa * self.c[:, sel])
        return out

    def sum_squares(self) -> np.ndarray:
        """Sum over this side's units of each cell's squared influence function."""
        if self.shared is None or 2 * len(self.cur) <= self.e.shape[1]:
            d = self.dense()
            return np.einsum("ij,ij->j", d, d)
        # expand (a r + b c)² with r = e_cur − e_base, from the group's shared products
        n_col = self.e.shape[1]
        a2 = self.a * self.a
        lag1 = self.base == self.cur - 1
        bases = np.unique(self.base[~lag1])
        weights = np.column_stack([a2, a2[:, None] * self.e[:, bases], self.b * self.a[:, None]])
        prod = weights.T @ self.shared.products()  # one pass over the shared products
        s, adjacent, ab = prod[0, :n_col], prod[0, n_col : 2 * n_col - 1], prod[1 + len(bases) :]
        total = s[self.cur] + s[self.base]
        cross = np.empty(len(self.cur))
        cross[lag1] = adjacent[self.base[lag1]]
        for j, b in enumerate(bases):
            sel = ~lag1 & (self.base == b)
            cross[sel] = prod[1 + j, 2 * n_col - 1 :][self.cur[sel]]
        total -= 2 * cross
        ab = ab[:, 2 * n_col - 1 :]
        total += 2 * np.einsum("jk,jk->k", self.c, ab[:, self.cur] - ab[:, self.base])
        total += np.einsum("jk,jl,lk->k", self.c, self.b.T @ self.b, self.c)
        return self.kappa**2 * total

    def add_to(self, sums: np.ndarray, cols: np.ndarray, weights: np.ndarray) -> None:
        """Add the cells' influence functions, weighted by (cells × ``cols``) ``weights``, into ``sums``."""
        sel = np.flatnonzero(np.any(weights != 0, axis=1))
        m = weights[sel]
        nonzero = m != 0
        if m.shape[1] > 1 and np.all(nonzero.sum(axis=1) == 1) and np.all(nonzero.sum(axis=0) == 1):
            # one cell per aggregate (event times, periods): scaled columns, no product over periods
            target = np.argmax(nonzero, axis=1)
            scale = self.kappa * m[np.arange(len(sel)), target]
            out = _changes(self.e, self.cur[sel], self.base[sel])
            if np.all(scale == scale[0]):
                out *= (scale[0] * self.a)[:, None]
            else:
                out *= self.a[:, None]
                out *= scale
            out += self.b @ (self.c[:, sel] * scale)
            _add(sums, self.rows, cols[target], out)
            return
        if 2 * len(sel) <= self.e.shape[1]:
            out = _changes(self.e, self.cur[sel], self.base[sel]) @ m
        else:
            q = np.zeros((self.e.shape[1], m.shape[1]))
            np.add.at(q, self.cur[sel], m)
            np.add.at(q, self.base[sel], -m)
            out = self.e @ q
        out *= (self.kappa * self.a)[:, None]
        out += self.b @ (self.kappa * (self.c[:, sel] @ m))
        _add(sums, self.rows, cols, out)

    def draws(self, v: np.ndarray) -> np.ndarray:
        """Multiplier sums (draws × cells) for multipliers ``v`` (draws × this side's units)."""
        s = (v * self.a) @ self.e
        return self.kappa * (s[:, self.cur] - s[:, self.base] + (v @ self.b) @ self.c)


def _changes(e: np.ndarray, cur: np.ndarray, base: np.ndarray) -> np.ndarray:
    """e[:, cur] − e[:, base], read through views when the columns run in steps of one."""
    if len(cur) > 1 and np.all(np.diff(cur) == 1):
        now = e[:, cur[0] : cur[-1] + 1]
        if np.all(base == cur - 1):
            return now - e[:, base[0] : base[-1] + 1]
        if np.all(base == base[0]):
            return now - e[:, base[0] : base[0] + 1]
    return e[:, cur] - e[:, base]


def _estimate_batch(
    units: _Units,
    g: int,
    controls: _Controls,
    cur: np.ndarray,
    base: np.ndarray,
    method: str,
    shared: bool,
) -> tuple[np.ndarray, list[_Side]] | str:
    """ATT and factored influence functions of one batch's cells (periods ``cur`` vs ``base``).

    Sant'Anna & Zhao (2020) panel estimators as ``DRDID::reg_did_panel``, ``std_ipw_did_panel``
    and ``drdid_panel`` (with its propensity trimming), on the batch's treated and control units;
    returns a reason instead when the batch cannot be estimated.
    """
    trows = units.rows((g,))
    n_t, n_c = units.size((g,)), len(controls.w)
    if n_t == 0:
        return "no treated units"
    if n_c == 0:
        return "no control units"
    if method in ("reg", "dr") and not controls.design_ok:
        return "covariate design of the control group is singular"
    n_s = n_t + n_c
    x_t, x_c = units.take(units.x, trows), controls.x
    w_t = units.take(units.w, trows)
    scale = (w_t.sum() + controls.w.sum()) / n_s
    w_t, w_c = w_t / scale, controls.w / scale
    columns, e_c, coef = controls.columns, controls.e, controls.coef
    used = np.searchsorted(columns, np.unique(np.r_[cur, base]))
    if 2 * len(used) <= len(columns):  # a few cells of a shared group: only their periods
        columns, e_c, coef, shared = columns[used], e_c[:, used], coef[:, used], False
    y_t = units.take(units.y, trows)
    if len(columns) < units.y.shape[1]:
        y_t = y_t[:, columns]
    e_t = y_t - x_t @ coef
    cur_c, base_c = np.searchsorted(columns, cur), np.searchsorted(columns, base)
    kappa = units.n / n_s
    shared = controls if shared else None

    def change(s: np.ndarray) -> np.ndarray:
        return s[..., cur_c] - s[..., base_c]

    if method == "reg":
        sw_t = w_t.sum()
        mu_t = sw_t / n_s
        att = change(w_t @ e_t) / sw_t
        xtx_inv = np.linalg.inv((x_c * w_c[:, None]).T @ x_c / n_s)
        h1 = w_c * (x_c @ (xtx_inv @ (x_t.T @ w_t / n_s)))
        treated = _Side(
            trows, e_t, w_t / mu_t, w_t[:, None], -att[None, :] / mu_t, kappa, cur_c, base_c
        )
        control = _Side(
            controls.rows,
            e_c,
            -h1 / mu_t,
            np.zeros((n_c, 0)),
            np.zeros((0, len(cur))),
            kappa,
            cur_c,
            base_c,
            shared,
        )
        return att, [treated, control]
    logit = fit_logit(
        np.r_[np.zeros(n_c), np.ones(n_t)], np.vstack([x_c, x_t]), np.r_[w_c, w_t]
    )  # controls first, as the sides' rows
    if x_t.shape[1] > 1 and np.max(logit.p) >= OVERLAP_LIMIT:
        return "no overlap: a propensity score reaches 0.999"
    ps = np.minimum(logit.p, PS_CAP)
    ps_c, ps_t = ps[:n_c], ps[n_c:]
    w_cont = np.where(ps_c < TRIM_LEVEL, w_c * ps_c / (1 - ps_c), 0.0)
    asy_t = ((w_t * (1 - ps_t))[:, None] * x_t) @ logit.h_inv
    asy_c = ((-w_c * ps_c)[:, None] * x_c) @ logit.h_inv
    sw_t, sw_c = w_t.sum(), w_cont.sum()
    mu_t, mu_c = sw_t / n_s, sw_c / n_s
    with np.errstate(divide="ignore", invalid="ignore"):
        eta_t = change(w_t @ e_t) / sw_t
        eta_c = change(w_cont @ e_c) / sw_c
        m2 = (change((x_c * w_cont[:, None]).T @ e_c) - np.outer(x_c.T @ w_cont, eta_c)) / n_s
        a_c = -w_cont / mu_c
        if method == "dr":
            xtx_inv = np.linalg.inv((x_c * w_c[:, None]).T @ x_c / n_s)
            h1 = w_c * (x_c @ (xtx_inv @ (x_t.T @ w_t / n_s)))
            h3 = w_c * (x_c @ (xtx_inv @ (x_c.T @ w_cont / n_s)))
            a_c = a_c - h1 / mu_t + h3 / mu_c
        treated = _Side(
            trows,
            e_t,
            w_t / mu_t,
            np.column_stack([w_t, asy_t]),
            np.vstack([-eta_t / mu_t, -m2 / mu_c]),
            kappa,
            cur_c,
            base_c,
        )
        control = _Side(
            controls.rows,
            e_c,
            a_c,
            np.column_stack([w_cont, asy_c]),
            np.vstack([eta_c / mu_c, -m2 / mu_c]),
            kappa,
            cur_c,
            base_c,
            shared,
        )
    return eta_t - eta_c, [treated, control]


@dataclass
class _Estimates:
    """What the batch loop leaves behind: cells, their SEs, family sums and pre-trend blocks."""

    att: np.ndarray
    sum_squares: np.ndarray
    n_treated: np.ndarray
    n_control: np.ndarray
    batch_of: np.ndarray  # batch index of each cell
    batches: list[_Batch]
    skipped: list[dict[str, Any]]
    draws: np.ndarray | None  # (n_boot, K) multiplier sums of the cells, when bootstrapping
    cell_cov: np.ndarray | None  # IF cross-products of the pre-period cells, when tested
    pre_cells: np.ndarray  # the cells behind the rows of cell_cov


@dataclass
class _PreCells:
    """Where the pre-period cells' influence functions are gathered, one block per cohort of units."""

    cells: np.ndarray  # the pre-period cells tested
    blocks: dict[int, tuple[np.ndarray, np.ndarray]]  # cohort -> (cell positions, units × cells)


def _pre_cells(units: _Units, plan: _Plan, batches: list[_Batch], pre: np.ndarray) -> _PreCells:
    """Allocate, per cohort of units, room for the pre-period cells whose batch includes them."""
    cells = np.flatnonzero(pre & ~np.asarray(plan.reference, dtype=bool))
    position = np.full(len(plan.group), -1)
    position[cells] = np.arange(len(cells))
    members: dict[int, list[int]] = {}
    for batch in batches:
        own = batch.cells[position[batch.cells] >= 0]
        for h in (batch.group, *batch.controls):
            members.setdefault(int(h), []).extend(position[own].tolist())
    blocks = {}
    for h, pos in members.items():
        pos_arr = np.unique(np.asarray(pos, dtype=int))
        if len(pos_arr) and units.size((h,)):
            blocks[h] = (pos_arr, np.zeros((units.size((h,)), len(pos_arr))))
    return _PreCells(cells, blocks)


def _gather_pre(
    pre_cells: _PreCells,
    units: _Units,
    batch: _Batch,
    ks: np.ndarray,
    ok: np.ndarray,
    sides: list[_Side],
) -> None:
    """Copy a batch's estimated pre-period influence functions into the per-cohort blocks."""
    if len(pre_cells.cells) == 0:
        return
    position = np.searchsorted(pre_cells.cells, ks)
    found = pre_cells.cells[np.minimum(position, len(pre_cells.cells) - 1)] == ks
    is_pre = ok & (position < len(pre_cells.cells)) & found
    if not is_pre.any():
        return
    sel, pos = np.flatnonzero(is_pre), position[is_pre]
    for side, cohorts in zip(sides, ((batch.group,), batch.controls), strict=True):
        dense = side.dense(sel)
        start = 0
        for h in units.in_row_order(cohorts):
            size = units.size((h,))
            cols, values = pre_cells.blocks[int(h)]
            values[:, np.searchsorted(cols, pos)] = dense[start : start + size]
            start += size


def _cross_products(pre_cells: _PreCells) -> np.ndarray:
    """Σ over units of IF_j·IF_k for the pre-period cells, cohort block by cohort block."""
    m = len(pre_cells.cells)
    out = np.zeros((m, m))
    for cols, values in pre_cells.blocks.values():
        prod = values.T @ values
        if len(cols) == m:
            out += prod
        else:
            out[np.ix_(cols, cols)] += prod
    return out


def _add(sums: np.ndarray, rows: Rows, cols: np.ndarray, values: np.ndarray) -> None:
    """sums[rows, cols] += values, through views when the columns are adjacent."""
    target: slice | np.ndarray = cols
    if len(cols) and cols[-1] - cols[0] + 1 == len(cols):
        target = slice(int(cols[0]), int(cols[-1]) + 1)
    start = 0
    for r in rows:
        size = r.stop - r.start
        sums[r, target] += values[start : start + size]
        start += size


def _estimate_cells(
    units: _Units,
    plan: _Plan,
    method: str,
    families: list[Family],
    batches: list[_Batch],
    v: Multipliers | None,
    pre_cells: _PreCells | None,
) -> _Estimates:
    """Estimate every planned cell batch by batch, adding each batch into the families' sums."""
    K = len(plan.group)
    att = np.full(K, np.nan)
    sum_squares = np.full(K, np.nan)
    n_treated = np.zeros(K, dtype=int)
    n_control = np.zeros(K, dtype=int)
    batch_of = np.zeros(K, dtype=int)
    reference = np.asarray(plan.reference, dtype=bool)
    att[reference] = 0.0
    sum_squares[reference] = 0.0
    draws = None if v is None else np.zeros((v.low.shape[0], K))
    if draws is not None:
        draws[:, ~reference] = np.nan
    skipped: list[dict[str, Any]] = []
    for f in families:
        f.start(units.n)
    uses = {}
    for batch in batches:
        uses[batch.controls] = uses.get(batch.controls, 0) + 1
    shared: dict[tuple[int, ...], _Controls] = {}
    t_idx, base_idx = np.asarray(plan.t_idx), np.asarray(plan.base_idx)
    all_periods = np.arange(units.y.shape[1])
    sorted_v = None if v is None else Multipliers(v.low[:, units.order], v.kind)  # by row
    # every product below has a side of at most a few hundred: threads only wait on each other
    with threadpool_limits(limits=1, user_api="blas"):
        for j, batch in enumerate(batches):
            g = batch.group
            batch_of[batch.cells] = j
            n_treated[batch.cells] = units.size((g,))
            n_control[batch.cells] = units.size(batch.controls)
            ks = batch.cells[~reference[batch.cells]]
            if len(ks) == 0:
                continue
            cur, base = t_idx[ks], base_idx[ks]
            if uses[batch.controls] > 1:
                if batch.controls not in shared:
                    shared[batch.controls] = _Controls.fit(
                        units, batch.controls, all_periods, method
                    )
                controls = shared[batch.controls]
            else:
                columns = np.unique(np.r_[cur, base])
                controls = _Controls.fit(units, batch.controls, columns, method)
            fitted = _estimate_batch(
                units, g, controls, cur, base, method, uses[batch.controls] > 1
            )
            if isinstance(fitted, str):
                skipped.extend(
                    {"group": g, "time": plan.time[k], "reason": fitted} for k in ks.tolist()
                )
                continue
            att_b, sides = fitted
            att[ks] = att_b
            ok = np.isfinite(att_b)
            sum_squares[ks] = sum(side.sum_squares() for side in sides)
            for f in families:
                w = f.weights[ks] * ok[:, None]
                cols = np.flatnonzero(np.any(w != 0, axis=0))
                if len(cols):
                    for side in sides:
                        side.add_to(f.sums, cols, w[:, cols])
            if draws is not None:
                total = 0.0
                for side in sides:
                    values = [sorted_v.values(slice(None), r) for r in side.rows]
                    total = total + side.draws(np.concatenate(values, axis=1))
                draws[:, ks] = np.where(ok, total, np.nan)
            if pre_cells is not None:
                _gather_pre(pre_cells, units, batch, ks, ok, sides)
    cov = _cross_products(pre_cells) if pre_cells is not None else None
    tested = pre_cells.cells if pre_cells is not None else np.array([], dtype=int)
    return _Estimates(
        att, sum_squares, n_treated, n_control, batch_of, batches, skipped, draws, cov, tested
    )


def _inference(estimate: float, se: float, z: float) -> tuple[float, float, float]:
    """Normal CI (critical value ``z``) and p-value; NaN when the SE is missing."""
    if not (np.isfinite(estimate) and np.isfinite(se)) or se <= 0:
        return (math.nan, math.nan, math.nan)
    p = math.erfc(abs(estimate / se) / math.sqrt(2))
    return (estimate - z * se, estimate + z * se, p)


def _intervals(
    estimate: np.ndarray, se: np.ndarray, z: float
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """:func:`_inference` for arrays of estimates and SEs."""
    ok = np.isfinite(estimate) & np.isfinite(se) & (se > 0)
    with np.errstate(invalid="ignore", divide="ignore"):
        p = scipy.special.erfc(np.abs(estimate / se) / math.sqrt(2))
    nan = np.full(len(estimate), np.nan)
    return (
        np.where(ok, estimate - z * se, nan),
        np.where(ok, estimate + z * se, nan),
        np.where(ok, p, nan),
    )


def _event_times(
    cells: Cells, periods: np.ndarray, min_e: float, max_e: float, balance_e: int | None
) -> tuple[np.ndarray, np.ndarray]:
    """Event times of the dynamic aggregation and which cells may enter it (R ``aggte`` rules)."""
    e_cell = cells.time - cells.group
    include = np.ones(len(e_cell), dtype=bool)
    eseq = np.unique(e_cell)
    if balance_e is not None:
        include &= (periods.max() - cells.group) >= balance_e
        eseq = np.unique(e_cell[include])
        eseq = eseq[(eseq <= balance_e) & (eseq >= balance_e - periods.max() + periods.min())]
    eseq = eseq[(eseq >= min_e) & (eseq <= max_e)]
    return eseq, include


def _families(
    cells: Cells,
    pg_cell: np.ndarray,
    aggregations: Sequence[str],
    periods: np.ndarray,
    event_window: tuple[float, float, int | None],
    anticipation: int,
) -> dict[str, Family]:
    """Weight matrices of the asked aggregations, and of the pre-period event times (pre-trend)."""
    post = cells.group <= cells.time
    out: dict[str, Family] = {}
    if "simple" in aggregations:
        out["simple"] = Family("simple", family_weights([post], pg_cell), [0], True)
    eseq, include = _event_times(cells, periods, *event_window)
    e_cell = cells.time - cells.group
    if "dynamic" not in aggregations:
        eseq = eseq[eseq < -anticipation]  # only what the pre-trend test needs
    member = [include & (e_cell == e) for e in eseq]
    out["dynamic"] = Family("dynamic", family_weights(member, pg_cell), eseq.tolist(), True)
    if "group" in aggregations:
        glist = np.unique(cells.group)
        member = [(cells.group == g) & post for g in glist]
        out["group"] = Family("group", family_weights(member, pg_cell), glist.tolist(), False)
    if "calendar" in aggregations:
        tlist = [t for t in periods if t >= cells.group.min()]
        member = [(cells.time == t) & post for t in tlist]
        out["calendar"] = Family("calendar", family_weights(member, pg_cell), tlist, True)
    return out


def _thin_cohort(units: _Units, plan: _Plan, pre: np.ndarray) -> tuple[int, int, int] | None:
    """The cohort with the fewest units per pre-period cell (cohort, units, cells) if below the minimum.

    A cohort's pre-period cells get their covariance mostly from its own units. With m cells and
    n units the Wald statistic behaves like Hotelling's T², about (n − 1)/(n − m) times a
    chi-squared(m): with fewer than ``MIN_UNITS_PER_PRE_CELL`` units per cell it rejects far too
    often (and with n ≤ m the covariance is singular). R ``did`` reports it anyway.
    """
    groups = np.asarray(plan.group)
    tested = pre & ~np.asarray(plan.reference, dtype=bool)
    worst = None
    for g in np.unique(groups[tested]):
        m = int(np.sum(tested & (groups == g)))
        size = units.size((int(g),))
        if size < MIN_UNITS_PER_PRE_CELL * m and (worst is None or size / m < worst[1] / worst[2]):
            worst = (int(g), size, m)
    return worst


def _pretrend_cells(est: _Estimates, pre: np.ndarray, n: int, thin: str | None) -> dict[str, Any]:
    """R ``did``'s pre-test: Wald test that all pre-treatment ATT(g,t) are zero (analytic V).

    V = IF'IF/n² over the pre-period cells with a variance, as R; a reduced-rank test when V is
    singular. Not computed (``note`` says why) when a cohort has too few units for its cells.
    """
    if thin is not None:
        return {"stat": None, "df": int(np.sum(pre)), "p_value": None, "note": thin}
    usable = np.isfinite(est.att) & (est.sum_squares > 0)
    rows = np.flatnonzero(usable[est.pre_cells])
    if est.cell_cov is None or len(rows) == 0:
        return {
            "stat": None,
            "df": 0,
            "p_value": None,
            "note": "no pre-treatment cells with a variance",
        }
    cov = est.cell_cov[np.ix_(rows, rows)] / n**2
    return wald_result(est.att[est.pre_cells[rows]], cov, test="cells")


def _pretrend_event_times(
    parts: list[Aggregate], eseq: list[int], cells: Cells, units: _Units, anticipation: int
) -> dict[str, Any]:
    """Wald test that the pre-period event-time aggregates (dynamic, e < −anticipation) are all zero.

    Each aggregate pools the cohorts' cells at one event time, so its covariance (from the
    aggregated influence functions) is well estimated even when cohorts are small. Event times
    far before start rest on the few cohorts observed that long: the test takes the k event
    times nearest to start for the largest k with at least ``MIN_UNITS_PER_PRE_CELL`` · k treated
    units behind each (otherwise it would reject far too often, as the cell-level test does), and
    its p-value is Hotelling's F with the fewest units behind a tested event time (measured size
    3–5 % at 5 % with cohorts of 18 units). A reduced-rank test when the covariance is singular.
    """
    usable = [
        (e, p)
        for e, p in zip(eseq, parts, strict=True)
        if e < -anticipation and np.isfinite(p.estimate) and np.isfinite(analytic_se(p.inf))
    ]
    usable.sort(key=lambda ep: -ep[0])  # nearest to start first
    behind = [units.size(np.unique(cells.group[p.cells]).tolist()) for _, p in usable]
    k = 0
    while k < len(usable) and behind[k] >= MIN_UNITS_PER_PRE_CELL * (k + 1):
        k += 1
    if not usable:
        return {"stat": None, "df": 0, "p_value": None, "note": "no pre-treatment event times"}
    if k == 0:
        note = (
            f"not computed: {behind[0]} treated units behind event time {usable[0][0]}, fewer "
            f"than {MIN_UNITS_PER_PRE_CELL}"
        )
        return {"stat": None, "df": 0, "p_value": None, "note": note}
    tested = sorted(usable[:k], key=lambda ep: ep[0])
    inf = np.column_stack([p.inf for _, p in tested])
    est = np.array([p.estimate for _, p in tested])
    n = inf.shape[0]
    out = wald_result(
        est,
        inf.T @ inf / n**2,
        units=min(behind[:k]),
        test="event_time",
        event_times=[int(e) for e, _ in tested],
    )
    if k < len(usable):
        left = [int(e) for e, _ in usable[k:]]
        out["left_out"] = (
            f"event times {min(left)} to {max(left)}: fewer than {MIN_UNITS_PER_PRE_CELL} treated "
            "units per tested event time behind them"
        )
    return out


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

    Pre-trend tests in ``details``: ``pretrend`` tests that the pre-period event-time aggregates
    (those of the dynamic aggregation, within ``min_e``) are all zero; ``pretrend_cells`` is R
    ``did``'s test over every pre-period cell, left out (with a note) when a cohort has fewer than
    ``MIN_UNITS_PER_PRE_CELL`` units per pre-period cell (then it rejects far too often).
    Aggregates carry their influence function (panel unit order); the ATT(g,t) cells do not
    (that would be a units × cells matrix).
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
    anticipation = int(anticipation)
    raw = to_wide(
        frame, outcome, unit=unit, time=time, cohort=cohort, covariates=covariates, weights=weights
    )
    panel, notes = _prepare(raw, control_group, anticipation, cohort)
    groups = np.unique(panel.cohort[panel.cohort > 0])
    if len(groups) == 0:
        raise InsufficientDataError(
            "no treated cohorts in the panel", estimator=ESTIMATOR, outcome=outcome
        )
    plan, no_pre = _plan(panel.periods, groups, control_group, anticipation, base_period)
    if no_pre:
        notes["groups_without_pre_period"] = [panel.label(g) for g in no_pre]
    if not plan.group:
        raise InsufficientDataError(
            "no cohort has a pre-treatment period", estimator=ESTIMATOR, outcome=outcome
        )
    units = _Units.of(panel)
    shape = Cells(
        np.zeros(len(plan.group)),
        np.asarray(plan.group),
        np.asarray(plan.time),
        units.cohort,
        units.w,
    )
    pg_cell = group_shares(shape, shape.group)
    families = _families(
        shape, pg_cell, aggregations, panel.periods, (min_e, max_e, balance_e), anticipation
    )
    pre = shape.time < shape.group - anticipation  # R: pre cells exclude anticipation periods
    thin = _thin_cohort(units, plan, pre)
    v = None
    if bootstrap:
        v = multipliers(panel.n, int(n_boot), np.random.default_rng(seed), boot_weights)
    batches = _batches(plan, units.cohorts)
    pre_cells = None if thin is not None else _pre_cells(units, plan, batches, pre)
    est = _estimate_cells(units, plan, method, list(families.values()), batches, v, pre_cells)
    cells = Cells(est.att, shape.group, shape.time, units.cohort, units.w)
    sizes = {panel.label(g): units.size((int(g),)) for g in groups}
    details: dict[str, Any] = {
        "method": method,
        "control_group": control_group,
        "base_period": base_period,
        "anticipation": anticipation,
        "n_units": panel.n,
        "n_never_treated": int(np.sum(panel.cohort == 0)),
        "periods": [panel.label(p) for p in panel.periods],
        "cohort_sizes": sizes,
        "small_cohorts": {g: s for g, s in sizes.items() if s < SMALL_COHORT},
        "skipped_cells": [
            {
                "group": panel.label(s["group"]),
                "time": panel.label(s["time"]),
                "reason": s["reason"],
            }
            for s in est.skipped
        ],
        "bootstrap": bool(bootstrap),
        **notes,
    }
    if bootstrap:
        details.update({"n_boot": int(n_boot), "boot_weights": boot_weights, "seed": seed})
    valid = np.isfinite(est.att)
    finished = {name: finish(f, cells, valid, pg_cell) for name, f in families.items()}
    dynamic = families["dynamic"]
    details["pretrend"] = _pretrend_event_times(
        finished["dynamic"], dynamic.labels, cells, units, anticipation
    )
    thin_note = None
    if thin is not None:
        g, size, m = thin
        thin_note = (
            f"not computed: cohort {panel.label(g)} has {size} units for {m} pre-treatment cells "
            f"(fewer than {MIN_UNITS_PER_PRE_CELL} per cell), too few for a test over cells; "
            "see 'pretrend' (event times)"
        )
    tested = pre & ~np.asarray(plan.reference, dtype=bool)
    details["pretrend_cells"] = _pretrend_cells(est, tested, panel.n, thin_note)
    builder = _Builder(outcome, level, v, est, panel, units)
    builder.overall_details = {"pretrend": details["pretrend"]}
    results = builder.cells(plan)
    context = _Context(cells, valid, pg_cell, builder, panel.periods)
    for name in aggregations:
        results += _AGGREGATORS[name](context, families[name], finished[name])
    return EffectResults(results, details=details)


@dataclass(frozen=True)
class _Context:
    """What every aggregator needs besides its own family."""

    cells: Cells
    valid: np.ndarray
    pg_cell: np.ndarray
    builder: _Builder
    periods: np.ndarray


class _Builder:
    """Turns cells and aggregates into EffectResults, with analytic or bootstrap inference."""

    def __init__(
        self,
        outcome: str,
        level: float,
        v: Multipliers | None,
        est: _Estimates,
        panel: WidePanel,
        units: _Units,
    ):
        self.outcome, self.level, self.v, self.est = outcome, level, v, est
        self.panel, self.units = panel, units
        #: added to the details of each overall aggregate (e.g. the pre-trend test behind it)
        self.overall_details: dict[str, Any] = {}
        self.z = float(stats.norm.ppf(0.5 + level / 2))

    def counts(self, cell_idx: np.ndarray) -> tuple[int, int]:
        """Units in the cohorts averaged, and distinct units used as controls in any of the cells."""
        cell_idx = np.asarray(cell_idx, dtype=int)
        if len(cell_idx) == 0:
            return 0, 0
        batches = [self.est.batches[j] for j in np.unique(self.est.batch_of[cell_idx])]
        treated = {b.group for b in batches}
        control = {c for b in batches for c in b.controls}
        return self.units.size(sorted(treated)), self.units.size(sorted(control))

    def cells(self, plan: _Plan) -> list[EffectResult]:
        """One result per ATT(g,t) cell (no influence function: see ``cs_did``)."""
        est, panel = self.est, self.panel
        n = self.units.n
        with np.errstate(invalid="ignore"):
            ses = np.sqrt(est.sum_squares) / n
        ses = np.where(np.isfinite(ses) & (ses > SE_TOLERANCE), ses, np.nan)
        crit = None
        if self.v is not None:
            ses, crit = bootstrap_inference(est.draws, n, self.level)
        ses = np.where(np.isfinite(est.att), ses, np.nan)
        lo, hi, p = _intervals(est.att, ses, self.z)
        label = {t: panel.label(t) for t in {*plan.time, *plan.group}}
        base_label = [panel.label(t) for t in panel.periods]
        out = []
        for k, (g, t) in enumerate(zip(plan.group, plan.time, strict=True)):
            estimate, se = float(est.att[k]), float(ses[k])
            d: dict[str, Any] = {"base_time": base_label[plan.base_idx[k]], "post": bool(g <= t)}
            d.update(self._band(estimate, se, crit, len(est.att)))
            out.append(
                self._result(
                    estimate,
                    se,
                    d,
                    "att_gt",
                    None,
                    (int(est.n_treated[k]), int(est.n_control[k])),
                    (float(lo[k]), float(hi[k]), float(p[k])),
                    group=label[g],
                    time=label[t],
                    event_time=int(t - g),
                )
            )
        return out

    def family(
        self, parts: list[Aggregate], *, aggregation: str, labels: list[dict[str, Any]]
    ) -> list[EffectResult]:
        """Results for one family of aggregates (with a simultaneous band when bootstrapping)."""
        if not parts:
            return []
        infs = [self.units.in_panel_order(p.inf) if len(p.inf) else p.inf for p in parts]
        crit = None
        if self.v is not None:
            ses, crit = multiplier_bootstrap(np.column_stack(infs), self.v, self.level)
        else:
            ses = np.array(
                [
                    analytic_se(i) if np.isfinite(p.estimate) else np.nan
                    for p, i in zip(parts, infs, strict=True)
                ]
            )
        out = []
        for j, part in enumerate(parts):
            est = part.estimate
            se = float(ses[j]) if np.isfinite(est) else float("nan")
            d = self._band(est, se, crit, len(parts))
            if not labels[j]:
                d.update(self.overall_details)
            out.append(
                self._result(est, se, d, aggregation, infs[j], self.counts(part.cells), **labels[j])
            )
        return out

    @staticmethod
    def _band(est: float, se: float, crit: float | None, size: int) -> dict[str, Any]:
        """The simultaneous band of a bootstrapped family of more than one estimate."""
        if crit is None or size <= 1 or not (np.isfinite(se) and np.isfinite(crit)):
            return {}
        return {
            "crit_val": crit,
            "uniform_ci_low": est - crit * se,
            "uniform_ci_high": est + crit * se,
        }

    def _result(
        self,
        est: float,
        se: float,
        details: dict[str, Any],
        aggregation: str,
        influence: np.ndarray | None,
        counts: tuple[int, int],
        interval: tuple[float, float, float] | None = None,
        **labels: Any,
    ) -> EffectResult:
        lo, hi, p = interval if interval is not None else _inference(est, se, self.z)
        return EffectResult(
            estimator=ESTIMATOR,
            outcome=self.outcome,
            estimate=est,
            se=se,
            ci_low=lo,
            ci_high=hi,
            p_value=p,
            n_treated=counts[0],
            n_control=counts[1],
            level=self.level,
            aggregation=aggregation,
            details=details,
            influence=influence,
            **labels,
        )


def _simple(ctx: _Context, family: Family, parts: list[Aggregate]) -> list[EffectResult]:
    """Average of post-treatment cells weighted by cohort size (R ``aggte(type='simple')``)."""
    return ctx.builder.family(parts, aggregation="simple", labels=[{}])


def _dynamic(ctx: _Context, family: Family, parts: list[Aggregate]) -> list[EffectResult]:
    """Event-study aggregates by e = t − g, and their mean over e ≥ 0 (R ``aggte(type='dynamic')``)."""
    kept = [(e, p) for e, p in zip(family.labels, parts, strict=True) if len(p.cells)]
    per_e = ctx.builder.family(
        [p for _, p in kept],
        aggregation="dynamic",
        labels=[{"event_time": int(e)} for e, _ in kept],
    )
    overall = mean_aggregate([p for e, p in kept if e >= 0])
    head = ctx.builder.family([overall], aggregation="dynamic", labels=[{}])
    return head + per_e


def _group(ctx: _Context, family: Family, parts: list[Aggregate]) -> list[EffectResult]:
    """Average effect per cohort, and their cohort-size-weighted mean (R ``aggte(type='group')``)."""
    glist = np.asarray(family.labels)
    panel = ctx.builder.panel
    per_g = ctx.builder.family(
        parts, aggregation="group", labels=[{"group": panel.label(g)} for g in glist]
    )
    ok = np.array([np.isfinite(p.estimate) for p in parts])
    cells = ctx.cells
    if ok.any():
        pgg = group_shares(cells, glist[ok])
        pseudo = Cells(
            np.array([p.estimate for p, o in zip(parts, ok, strict=True) if o]),
            glist[ok],
            glist[ok],
            cells.unit_group,
            cells.unit_weight,
            np.column_stack([p.inf for p, o in zip(parts, ok, strict=True) if o]),
        )
        overall = weighted_aggregate(pseudo, np.arange(ok.sum()), pgg, estimated_weights=True)
        used = np.concatenate([p.cells for p, o in zip(parts, ok, strict=True) if o])
        overall = Aggregate(overall.estimate, overall.inf, used)
    else:
        overall = Aggregate(np.nan, np.full(len(cells.unit_group), np.nan), np.array([], dtype=int))
    head = ctx.builder.family([overall], aggregation="group", labels=[{}])
    return head + per_g


def _calendar(ctx: _Context, family: Family, parts: list[Aggregate]) -> list[EffectResult]:
    """Average effect per calendar period among cohorts treated by then, and their mean (R ``type='calendar'``)."""
    kept = [(t, p) for t, p in zip(family.labels, parts, strict=True) if len(p.cells)]
    panel = ctx.builder.panel
    per_t = ctx.builder.family(
        [p for _, p in kept],
        aggregation="calendar",
        labels=[{"time": panel.label(t)} for t, _ in kept],
    )
    head = ctx.builder.family(
        [mean_aggregate([p for _, p in kept])], aggregation="calendar", labels=[{}]
    )
    return head + per_t


_AGGREGATORS = {"simple": _simple, "dynamic": _dynamic, "group": _group, "calendar": _calendar}
