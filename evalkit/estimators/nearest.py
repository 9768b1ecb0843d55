"""The one nearest-neighbour matcher on a one-dimensional score, used by every matching estimator.

Tie rule: a query's neighbours are its ``k`` nearest pool units **and every pool unit exactly as
close as the k-th nearest** (up to float rounding), each weighing 1/M_i where M_i is how many
there are (Abadie & Imbens 2006 keep ties the same way). On a sorted score the neighbours of a
query form one contiguous run of the sorted pool, so matching is two binary searches per query:
O(n log n) and about a second for a million rows, without pairwise distances. A caliper removes
neighbours farther away than it; a query with none left is unmatched (an empty run).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


def _tolerance(values: np.ndarray) -> np.ndarray:
    """Slack for float rounding when comparing distances on the score scale."""
    return 1e-12 * np.maximum(1.0, np.abs(values))


def _kth_distance(sorted_scores: np.ndarray, targets: np.ndarray, k: int) -> np.ndarray:
    """Distance from each target to its k-th nearest value in ``sorted_scores``."""
    n = len(sorted_scores)
    k = min(k, n)
    pos = np.searchsorted(sorted_scores, targets)
    idx = pos[:, None] + np.arange(-k, k)[None, :]
    valid = (idx >= 0) & (idx < n)
    dist = np.abs(sorted_scores[np.clip(idx, 0, n - 1)] - targets[:, None])
    dist[~valid] = np.inf
    return np.partition(dist, k - 1, axis=1)[:, k - 1]


@dataclass(frozen=True)
class Runs:
    """Each query's neighbours as the run ``[lo, hi)`` of a sorted pool (minus itself if ``own``)."""

    pool: SortedPool
    lo: np.ndarray
    hi: np.ndarray
    own: np.ndarray | None = None  # sorted position of the query itself, excluded from its run

    @property
    def count(self) -> np.ndarray:
        """M_i: how many neighbours each query has (0 = unmatched)."""
        return self.hi - self.lo - (0 if self.own is None else 1)

    @property
    def matched(self) -> np.ndarray:
        """Queries with at least one neighbour."""
        return self.count > 0

    def sums(self, values: np.ndarray) -> np.ndarray:
        """Sum of ``values`` (pool order; 1-D or n-by-p) over each query's neighbours."""
        v = np.asarray(values, dtype=float)[self.pool.order]
        cum = np.concatenate([np.zeros((1, *v.shape[1:])), np.cumsum(v, axis=0)])
        out = cum[self.hi] - cum[self.lo]
        if self.own is not None:
            out = out - v[self.own]
        return out

    def means(self, values: np.ndarray) -> np.ndarray:
        """Mean of ``values`` over each query's neighbours (NaN when unmatched)."""
        count = self.count.astype(float)
        count = count.reshape(-1, *([1] * (np.ndim(values) - 1)))
        with np.errstate(invalid="ignore", divide="ignore"):
            return np.where(count > 0, self.sums(values) / np.maximum(count, 1), np.nan)

    def covariances(self, x: np.ndarray, y: np.ndarray) -> np.ndarray:
        """Sample covariance (divisor M_i − 1) of each column of ``x`` with ``y`` over the
        neighbours of each query (pool order inputs); 0 where M_i < 2."""
        m = self.count.astype(float)[:, None]
        sx = self.sums(x)
        sy = self.sums(y)[:, None]
        sxy = self.sums(x * y[:, None])
        with np.errstate(invalid="ignore", divide="ignore"):
            cov = (sxy - sx * sy / m) / (m - 1)
        return np.where(m > 1, cov, 0.0)

    def usage(self) -> tuple[np.ndarray, np.ndarray]:
        """Per pool unit (pool order): K = sum_i 1{j in J(i)}/M_i and K' = sum_i 1{j in J(i)}/M_i^2."""
        n = len(self.pool.order)
        m = self.count
        inv = np.where(m > 0, 1.0 / np.maximum(m, 1), 0.0)
        k_sorted = np.zeros(n + 1)
        kp_sorted = np.zeros(n + 1)
        for diff, weight in ((k_sorted, inv), (kp_sorted, inv**2)):
            np.add.at(diff, self.lo, weight)
            np.add.at(diff, self.hi, -weight)
            if self.own is not None:
                np.add.at(diff, self.own, -weight)
                np.add.at(diff, self.own + 1, weight)
        k = np.empty(n)
        kp = np.empty(n)
        k[self.pool.order] = np.cumsum(k_sorted)[:n]
        kp[self.pool.order] = np.cumsum(kp_sorted)[:n]
        return k, kp


@dataclass(frozen=True)
class SortedPool:
    """Pool units sorted by score, ready to be matched to."""

    scores: np.ndarray  # pool order
    order: np.ndarray  # pool positions in ascending score
    sorted_scores: np.ndarray

    @classmethod
    def of(cls, scores: np.ndarray) -> SortedPool:
        """Sort a pool's scores once (stable)."""
        scores = np.asarray(scores, dtype=float)
        order = np.argsort(scores, kind="stable")
        return cls(scores, order, scores[order])

    def __len__(self) -> int:
        return len(self.order)

    def match(self, queries: np.ndarray, k: int, caliper: float | None = None) -> Runs:
        """The ``k`` nearest pool units of each query, ties kept, none beyond ``caliper``."""
        queries = np.asarray(queries, dtype=float)
        radius = _kth_distance(self.sorted_scores, queries, k)
        if caliper is not None:
            radius = np.minimum(radius, caliper)
        radius = radius + _tolerance(queries)
        lo = np.searchsorted(self.sorted_scores, queries - radius, side="left")
        hi = np.searchsorted(self.sorted_scores, queries + radius, side="right")
        return Runs(self, lo, hi)

    def match_within(self, k: int) -> Runs:
        """Each pool unit's ``k`` nearest *other* pool units (ties kept), in pool order."""
        if len(self) < 2:
            empty = np.zeros(len(self), dtype=int)
            return Runs(self, empty, empty + 1, np.arange(len(self)))
        # the (k+1)-th nearest value counting the unit itself is its k-th nearest other unit
        runs = self.match(self.scores, k + 1)
        own = np.empty(len(self), dtype=int)
        own[self.order] = np.arange(len(self))
        return Runs(self, runs.lo, runs.hi, own)
