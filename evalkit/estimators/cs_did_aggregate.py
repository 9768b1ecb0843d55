"""Aggregations of Callaway–Sant'Anna ATT(g,t) cells, their multiplier bootstrap and Wald tests.

Mirrors R ``did::aggte``: simple, dynamic (event time), group and calendar aggregates, whose
influence functions combine the cells' influence functions with that of the estimated group-share
weights (R's ``wif``), so that analytic SEs match R exactly. No refitting, and no units × cells
matrix: before estimation each family is a (cells × aggregates) weight matrix, ``cs_did`` adds
every batch of cells into a (units × aggregates) sum as it goes, and :func:`finish` normalises.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import scipy.linalg
from scipy import stats

#: SEs below this are numerically zero; R ``did`` reports them as missing.
SE_TOLERANCE = np.sqrt(np.finfo(float).eps) * 10
#: A Wald covariance pivot below this share of the largest variance counts as zero (reduced rank).
RANK_TOLERANCE = 1e-10
MAMMEN_LOW = (1 - np.sqrt(5)) / 2
MAMMEN_HIGH = (1 + np.sqrt(5)) / 2
MAMMEN_P_LOW = (np.sqrt(5) + 1) / (2 * np.sqrt(5))


@dataclass(frozen=True)
class Cells:
    """The ATT(g,t) cells and what aggregation needs about the units."""

    att: np.ndarray  # (K,)
    group: np.ndarray  # (K,) cohort of each cell
    time: np.ndarray  # (K,) period of each cell
    unit_group: np.ndarray  # (n,) cohort of each unit, 0 = never treated
    unit_weight: np.ndarray  # (n,) unit weights
    inf: np.ndarray | None = None  # (n, K) influence functions, only for small pseudo-cell sets


@dataclass(frozen=True)
class Aggregate:
    """One aggregated effect with its influence function."""

    estimate: float
    inf: np.ndarray
    cells: np.ndarray  # indices of the cells it averages


@dataclass
class Family:
    """Aggregates that are weighted sums of cells: weights fixed before estimation, sums built after.

    ``weights[k, a]`` is cell k's share weight in aggregate a (0 when not a member); ``sums`` adds
    up weight × influence of the cells that turned out valid, unit by unit.
    """

    name: str
    weights: np.ndarray  # (K, A)
    labels: list[int | float]  # what each aggregate is about (event time, cohort or period)
    estimated_weights: bool
    sums: np.ndarray = field(init=False)

    def start(self, n: int) -> None:
        """Zeroed sums for n units."""
        self.sums = np.zeros((n, self.weights.shape[1]))


def group_shares(cells: Cells, groups: np.ndarray) -> np.ndarray:
    """P(G = g) per cohort, weighted (R ``pg``): mean over all units of w·1{G=g}."""
    total = np.bincount(
        np.searchsorted(np.unique(cells.unit_group), cells.unit_group), weights=cells.unit_weight
    )
    by_group = dict(zip(np.unique(cells.unit_group).tolist(), total.tolist(), strict=True))
    n = len(cells.unit_group)
    return np.array([by_group.get(g, 0.0) / n for g in np.asarray(groups).tolist()])


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
    """Average of cells ``keep`` (dense ``cells.inf``) with weights ∝ group shares, IF with the weights' IF."""
    keep = np.asarray(keep, dtype=int)
    if len(keep) == 0 or cells.inf is None:
        return Aggregate(np.nan, np.full(len(cells.unit_group), np.nan), keep)
    wk = pg_cell[keep] / pg_cell[keep].sum()
    est = float(cells.att[keep] @ wk)
    inf = cells.inf[:, keep] @ wk
    if estimated_weights:
        inf = inf + weights_influence_times_att(keep, pg_cell, cells.group, cells.att, cells)
    return Aggregate(est, inf, keep)


def finish(family: Family, cells: Cells, valid: np.ndarray, pg_cell: np.ndarray) -> list[Aggregate]:
    """Each aggregate of a family from its sums: normalised weights, plus the weights' IF if estimated.

    Aggregates without a valid cell come back with a NaN estimate and influence function.
    """
    out = []
    n = family.sums.shape[0]
    for a in range(family.weights.shape[1]):
        keep = np.flatnonzero(valid & (family.weights[:, a] > 0))
        if len(keep) == 0:
            out.append(Aggregate(np.nan, np.full(n, np.nan), keep))
            continue
        total = family.weights[keep, a].sum()
        est = float(cells.att[keep] @ (family.weights[keep, a] / total))
        inf = family.sums[:, a] / total
        if family.estimated_weights:
            inf = inf + weights_influence_times_att(keep, pg_cell, cells.group, cells.att, cells)
        out.append(Aggregate(est, inf, keep))
    return out


def mean_aggregate(parts: list[Aggregate]) -> Aggregate:
    """Equal-weight average of aggregates (R's overall dynamic and calendar effects)."""
    if not parts:
        return Aggregate(np.nan, np.array([]), np.array([], dtype=int))
    est = float(np.mean([p.estimate for p in parts]))
    inf = np.mean(np.column_stack([p.inf for p in parts]), axis=1)
    return Aggregate(est, inf, np.unique(np.concatenate([p.cells for p in parts])))


def analytic_se(inf: np.ndarray) -> float:
    """sqrt(mean(IF²)/n); NaN when numerically zero or undefined."""
    return se_from_sum_of_squares(float(np.dot(inf, inf)), inf.shape[0])


def se_from_sum_of_squares(sum_squares: float, n: int) -> float:
    """The analytic SE sqrt(sum IF²)/n; NaN when numerically zero or undefined."""
    se = math.sqrt(sum_squares) / n if sum_squares >= 0 else math.nan
    return se if np.isfinite(se) and se > SE_TOLERANCE else float("nan")


def wald(estimates: np.ndarray, cov: np.ndarray) -> tuple[float, int] | None:
    """Wald statistic est' V⁻ est and its rank, from a pivoted Cholesky factor of V.

    When V is positive definite this is est' V⁻¹ est (R ``did``'s pre-test). When it is singular,
    the pivoting keeps a largest set of estimates whose covariance is not (up to
    ``RANK_TOLERANCE`` of the largest variance) and tests those: a reduced-rank Wald test with as
    many degrees of freedom as V has rank, never a dropped one. None when V is zero.
    """
    m = len(estimates)
    if m == 0:
        return None
    scale = float(np.max(np.diag(cov)))
    if not scale > 0:
        return None
    factor, piv, rank, _ = scipy.linalg.lapack.dpstrf(
        cov / scale, lower=1, tol=RANK_TOLERANCE, overwrite_a=0
    )
    if rank == 0:
        return None
    keep = piv[:rank] - 1
    chol = np.tril(factor[:rank, :rank])
    z = scipy.linalg.solve_triangular(chol, estimates[keep] / math.sqrt(scale), lower=True)
    return float(z @ z), int(rank)


def wald_result(estimates: np.ndarray, cov: np.ndarray, units: int | None = None, **extra) -> dict:
    """``{stat, df, p_value}`` (plus ``extra``) of :func:`wald`; a note says when the rank was reduced.

    The p-value is chi-squared(df), or with ``units`` (how many units the covariance rests on)
    Hotelling's small-sample F: stat·(units − df)/(df·(units − 1)) ~ F(df, units − df).
    """
    out = wald(estimates, cov)
    if out is None:
        return {"stat": None, "df": 0, "p_value": None, "note": "no estimates with a variance"}
    stat, df = out
    if units is None or units <= df:
        p = float(stats.chi2.sf(stat, df))
    else:
        p = float(stats.f.sf(stat * (units - df) / (df * (units - 1)), df, units - df))
        extra = {**extra, "distribution": "F", "df_denominator": units - df}
    res = {"stat": stat, "df": df, "p_value": p, **extra}
    if df < len(estimates):
        res["note"] = (
            f"reduced rank: {len(estimates)} estimates, covariance of rank {df}; the test uses "
            f"{df} of them that are not linear combinations of the others"
        )
    return res


@dataclass(frozen=True)
class Multipliers:
    """Bootstrap multiplier draws stored compactly (one bit per unit and draw)."""

    low: np.ndarray  # (n_boot, n) bool: draw takes the low value
    kind: str

    def values(self, rows: slice | np.ndarray, units: np.ndarray | None = None) -> np.ndarray:
        """The multipliers of some draws (and optionally some units) as floats (mean 0, variance 1)."""
        lo, hi = (MAMMEN_LOW, MAMMEN_HIGH) if self.kind == "mammen" else (-1.0, 1.0)
        low = self.low[rows] if units is None else self.low[rows][:, units]
        return np.where(low, lo, hi)


def multipliers(n: int, n_boot: int, rng: np.random.Generator, kind: str = "mammen") -> Multipliers:
    """Draw multipliers for n units: Mammen's two-point weights (as R ``did``) or Rademacher."""
    if kind == "mammen":
        return Multipliers(rng.random((n_boot, n)) < MAMMEN_P_LOW, kind)
    if kind == "rademacher":
        return Multipliers(rng.random((n_boot, n)) < 0.5, kind)
    raise ValueError(f"unknown bootstrap weights '{kind}'; use 'mammen' or 'rademacher'")


def bootstrap_draws(inf: np.ndarray, v: Multipliers, chunk: int = 128) -> np.ndarray:
    """Multiplier sums v·IF per draw and estimate (n_boot, k); NaN for estimates with a NaN IF."""
    inf = inf[:, None] if inf.ndim == 1 else inf
    finite = np.all(np.isfinite(inf), axis=0)
    n_boot = v.low.shape[0]
    sums = np.full((n_boot, inf.shape[1]), np.nan)
    if finite.any():
        sub = inf[:, finite]
        for start in range(0, n_boot, chunk):
            rows = slice(start, min(start + chunk, n_boot))
            sums[rows, finite] = v.values(rows) @ sub
    return sums


def bootstrap_inference(sums: np.ndarray, n: int, level: float) -> tuple[np.ndarray, float]:
    """R ``did::mboot`` from multiplier sums: IQR-based SEs (k,) and the sup-t critical value."""
    bres = np.sqrt(n) * sums / n
    finite = np.all(np.isfinite(bres), axis=0)
    usable = finite & (np.nansum(bres**2, axis=0) > SE_TOLERANCE)
    se = np.full(bres.shape[1], np.nan)
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


def multiplier_bootstrap(
    inf: np.ndarray, v: Multipliers, level: float, chunk: int = 128
) -> tuple[np.ndarray, float]:
    """R ``did::mboot``: IQR-based bootstrap SEs (k,) and the sup-t critical value for uniform bands."""
    inf = inf[:, None] if inf.ndim == 1 else inf
    return bootstrap_inference(bootstrap_draws(inf, v, chunk), inf.shape[0], level)


def family_weights(member: Sequence[np.ndarray], pg_cell: np.ndarray) -> np.ndarray:
    """(K, A) weight matrix: cell k's group share in aggregate a where k is a member."""
    out = np.zeros((len(pg_cell), len(member)))
    for a, mask in enumerate(member):
        out[mask, a] = pg_cell[mask]
    return out
