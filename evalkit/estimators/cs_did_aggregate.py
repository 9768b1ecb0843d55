"""Aggregations of Callaway–Sant'Anna ATT(g,t) cells and their multiplier bootstrap.

Mirrors R ``did::aggte``: simple, dynamic (event time), group and calendar aggregates, whose
influence functions combine the cells' influence functions with that of the estimated group-share
weights (R's ``wif``), so that analytic SEs match R exactly. No refitting: everything is array
algebra on the (units × cells) influence matrix kept by ``cs_did``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import stats

#: SEs below this are numerically zero; R ``did`` reports them as missing.
SE_TOLERANCE = np.sqrt(np.finfo(float).eps) * 10
MAMMEN_LOW = (1 - np.sqrt(5)) / 2
MAMMEN_HIGH = (1 + np.sqrt(5)) / 2
MAMMEN_P_LOW = (np.sqrt(5) + 1) / (2 * np.sqrt(5))


@dataclass(frozen=True)
class Cells:
    """The ATT(g,t) cells and what aggregation needs about the units."""

    att: np.ndarray  # (K,)
    inf: np.ndarray  # (n, K) influence functions, att - truth ≈ mean over units
    group: np.ndarray  # (K,) cohort of each cell
    time: np.ndarray  # (K,) period of each cell
    unit_group: np.ndarray  # (n,) cohort of each unit, 0 = never treated
    unit_weight: np.ndarray  # (n,) unit weights


@dataclass(frozen=True)
class Aggregate:
    """One aggregated effect with its influence function."""

    estimate: float
    inf: np.ndarray
    cells: np.ndarray  # indices of the cells it averages


def group_shares(cells: Cells, groups: np.ndarray) -> np.ndarray:
    """P(G = g) per cohort, weighted (R ``pg``): mean over all units of w·1{G=g}."""
    return np.array([np.mean(cells.unit_weight * (cells.unit_group == g)) for g in groups])


def weights_influence_times_att(
    keep: np.ndarray, pg: np.ndarray, group_of: np.ndarray, att: np.ndarray, cells: Cells
) -> np.ndarray:
    """R's ``wif(keepers, ...) %*% att[keepers]`` without forming the n × |keep| matrix."""
    pgk, attk, gk = pg[keep], att[keep], group_of[keep]
    s = pgk.sum()
    uniq, inv = np.unique(gk, return_inverse=True)
    att_by_g = np.bincount(inv, weights=attk, minlength=len(uniq))
    count_by_g = np.bincount(inv, minlength=len(uniq)).astype(float)
    pos = np.searchsorted(uniq, cells.unit_group)
    pos = np.clip(pos, 0, len(uniq) - 1)
    member = uniq[pos] == cells.unit_group
    w = cells.unit_weight
    a_i = np.where(member, w * att_by_g[pos], 0.0)
    c_i = np.where(member, w * count_by_g[pos], 0.0)
    if1_att = (a_i - pgk @ attk) / s
    rowsum = c_i - pgk.sum()
    if2_att = rowsum * (pgk @ attk) / s**2
    return if1_att - if2_att


def weighted_aggregate(
    cells: Cells, keep: np.ndarray, pg_cell: np.ndarray, *, estimated_weights: bool
) -> Aggregate:
    """Average of cells ``keep`` with weights ∝ group shares, IF including the weights' IF if estimated."""
    keep = np.asarray(keep, dtype=int)
    if len(keep) == 0:
        return Aggregate(np.nan, np.full(cells.inf.shape[0], np.nan), keep)
    wk = pg_cell[keep] / pg_cell[keep].sum()
    est = float(cells.att[keep] @ wk)
    inf = cells.inf[:, keep] @ wk
    if estimated_weights:
        inf = inf + weights_influence_times_att(keep, pg_cell, cells.group, cells.att, cells)
    return Aggregate(est, inf, keep)


def mean_aggregate(parts: list[Aggregate]) -> Aggregate:
    """Equal-weight average of aggregates (R's overall dynamic and calendar effects)."""
    if not parts:
        return Aggregate(np.nan, np.array([]), np.array([], dtype=int))
    est = float(np.mean([p.estimate for p in parts]))
    inf = np.mean(np.column_stack([p.inf for p in parts]), axis=1)
    return Aggregate(est, inf, np.unique(np.concatenate([p.cells for p in parts])))


def analytic_se(inf: np.ndarray) -> float:
    """sqrt(mean(IF²)/n); NaN when numerically zero or undefined."""
    n = inf.shape[0]
    se = float(np.sqrt(np.mean(inf**2) / n))
    return se if np.isfinite(se) and se > SE_TOLERANCE else float("nan")


@dataclass(frozen=True)
class Multipliers:
    """Bootstrap multiplier draws stored compactly (one bit per unit and draw)."""

    low: np.ndarray  # (n_boot, n) bool: draw takes the low value
    kind: str

    def values(self, rows: slice) -> np.ndarray:
        """The multipliers of some draws as floats (mean 0, variance 1)."""
        lo, hi = (MAMMEN_LOW, MAMMEN_HIGH) if self.kind == "mammen" else (-1.0, 1.0)
        return np.where(self.low[rows], lo, hi)


def multipliers(n: int, n_boot: int, rng: np.random.Generator, kind: str = "mammen") -> Multipliers:
    """Draw multipliers for n units: Mammen's two-point weights (as R ``did``) or Rademacher."""
    if kind == "mammen":
        return Multipliers(rng.random((n_boot, n)) < MAMMEN_P_LOW, kind)
    if kind == "rademacher":
        return Multipliers(rng.random((n_boot, n)) < 0.5, kind)
    raise ValueError(f"unknown bootstrap weights '{kind}'; use 'mammen' or 'rademacher'")


def multiplier_bootstrap(
    inf: np.ndarray, v: Multipliers, level: float, chunk: int = 128
) -> tuple[np.ndarray, float]:
    """R ``did::mboot``: IQR-based bootstrap SEs (k,) and the sup-t critical value for uniform bands."""
    inf = np.atleast_2d(inf.T).T if inf.ndim == 1 else inf
    n = inf.shape[0]
    finite = np.all(np.isfinite(inf), axis=0)
    n_boot = v.low.shape[0]
    bres = np.full((n_boot, inf.shape[1]), np.nan)
    if finite.any():
        sub = inf[:, finite]
        for start in range(0, n_boot, chunk):
            rows = slice(start, min(start + chunk, n_boot))
            bres[rows, finite] = np.sqrt(n) * (v.values(rows) @ sub) / n
    usable = finite & (np.nansum(bres**2, axis=0) > SE_TOLERANCE)
    se = np.full(inf.shape[1], np.nan)
    if not usable.any():
        return se, float("nan")
    b = bres[:, usable]
    q75 = np.quantile(b, 0.75, axis=0, method="inverted_cdf")
    q25 = np.quantile(b, 0.25, axis=0, method="inverted_cdf")
    sigma = (q75 - q25) / (stats.norm.ppf(0.75) - stats.norm.ppf(0.25))
    sigma = np.where(sigma > SE_TOLERANCE, sigma, np.nan)
    t_max = np.nanmax(np.abs(b / sigma), axis=1)
    t_max = t_max[np.isfinite(t_max)]
    crit = float(np.quantile(t_max, level, method="inverted_cdf")) if len(t_max) else float("nan")
    se[usable] = sigma / np.sqrt(n)
    return se, crit
