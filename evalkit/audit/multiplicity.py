"""Joint uncertainty of several estimates: covariances from influence functions, simultaneous
(sup-t) bands, Holm and Benjamini–Hochberg adjustments, differences and interaction tests.

Pure statistics on numbers and arrays; the pipeline hands it the estimators' influence functions
(never serialised) and stores what comes out in the results.

Influence functions. An estimator with an influence function ``psi`` over the ``n`` rows it used
(``EffectResult.influence``, scaled so that ``se = sqrt(sum psi**2) / n``) is linear to first
order: ``estimate - truth ≈ sum_i phi_i`` with ``phi_i = psi_i / n``. Two estimates computed on
the same persons — or on two samples drawn from the same registers, such as two comparison
groups — have covariance ``sum_g T_a(g) T_b(g) * G / (G - 1)``, where ``T(g)`` sums ``phi`` over
the rows of person ``g`` (a person can be several units: participant in one month, comparison
unit in others) and ``G`` counts persons. That is the cluster-robust covariance the estimators'
own standard errors use, so a difference's variance ``va + vb - 2 cov`` is consistent with them.

Simultaneous bands. With K estimates and their covariance, the sup-t critical value is the
``level`` quantile of ``max_k |Z_k|`` for ``Z ~ N(0, corr)`` (simulated with a fixed seed);
``estimate ± c · se`` then covers all K truths at once with probability ``level`` (Montiel
Olea & Plagborg-Møller 2019). It is never larger than Bonferroni's ``z(1 - alpha / 2K)`` and
equals 1.96 for one estimate.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy import stats

#: Seed of the simulated sup-t critical values (results are reproducible).
SUP_T_SEED = 20261126
#: Draws of the simulated sup-t critical value.
SUP_T_DRAWS = 20_000


@dataclass(frozen=True)
class Terms:
    """An estimate's first-order terms summed by person: ``estimate - truth ≈ totals.sum()``."""

    estimate: float
    totals: pd.Series  # index: person (cluster) id

    @property
    def n_clusters(self) -> int:
        """Persons with at least one row in the estimate."""
        return int(len(self.totals))


def person_totals(
    influence: np.ndarray, labels: pd.Index, clusters: pd.Series, estimate: float
) -> Terms:
    """``Terms`` of an estimate whose influence ``influence`` belongs to rows ``labels``.

    ``clusters`` maps row labels (of the frame the estimate was computed on) to person ids.
    """
    influence = np.asarray(influence, dtype=float)
    if len(influence) != len(labels):
        raise ValueError(f"{len(influence)} influence values for {len(labels)} rows")
    phi = pd.Series(influence / len(influence), index=labels)
    persons = clusters.reindex(labels).to_numpy()
    if pd.isna(persons).any():
        raise ValueError("every row of the influence function needs a person id")
    return Terms(float(estimate), phi.groupby(persons).sum())


def joint_covariance(terms: Sequence[Terms]) -> np.ndarray:
    """Cluster-robust covariance of several estimates from their person totals (G/(G-1))."""
    frame = pd.concat([t.totals for t in terms], axis=1, join="outer").fillna(0.0)
    matrix = frame.to_numpy()
    g = matrix.shape[0]
    if g < 2:
        return np.full((len(terms), len(terms)), math.nan)
    return matrix.T @ matrix * (g / (g - 1))


def difference_test(a: Terms, b: Terms) -> tuple[float, float, float, float]:
    """(difference a - b, its SE, z, two-sided p) with the covariance of ``joint_covariance``."""
    v = joint_covariance([a, b])
    var = float(v[0, 0] + v[1, 1] - 2 * v[0, 1])
    diff = a.estimate - b.estimate
    if not (math.isfinite(var) and var > 0 and math.isfinite(diff)):
        return diff, math.nan, math.nan, math.nan
    se = math.sqrt(var)
    z = diff / se
    return diff, se, z, float(2 * stats.norm.sf(abs(z)))


def sup_t_critical(
    covariance: np.ndarray,
    level: float = 0.95,
    *,
    draws: int = SUP_T_DRAWS,
    seed: int = SUP_T_SEED,
) -> float:
    """The ``level`` quantile of max |Z_k| for Z ~ N(0, corr(covariance)): a simultaneous band."""
    covariance = np.asarray(covariance, dtype=float)
    k = covariance.shape[0]
    if k == 0 or not np.all(np.isfinite(covariance)):
        return math.nan
    if k == 1:
        return float(stats.norm.ppf(0.5 + level / 2))
    sd = np.sqrt(np.diag(covariance))
    if not np.all(sd > 0):
        return math.nan
    corr = covariance / np.outer(sd, sd)
    vals, vecs = np.linalg.eigh((corr + corr.T) / 2)
    root = vecs * np.sqrt(np.clip(vals, 0.0, None))
    z = np.random.default_rng(seed).standard_normal((draws, k)) @ root.T
    return float(np.quantile(np.abs(z).max(axis=1), level))


def bonferroni_critical(k: int, level: float = 0.95) -> float:
    """Bonferroni's critical value for ``k`` two-sided intervals of joint coverage ``level``."""
    return float(stats.norm.ppf(1 - (1 - level) / (2 * max(k, 1))))


def holm(p_values: Sequence[float]) -> list[float]:
    """Holm's step-down adjusted p-values (NaN stays NaN and does not count)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), math.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    running = 0.0
    for rank, i in enumerate(ok[np.argsort(p[ok], kind="stable")]):
        running = max(running, min(1.0, (m - rank) * p[i]))
        out[i] = running
    return out.tolist()


def benjamini_hochberg(p_values: Sequence[float]) -> list[float]:
    """Benjamini–Hochberg adjusted p-values (false discovery rate; NaN stays NaN)."""
    p = np.asarray(p_values, dtype=float)
    out = np.full(len(p), math.nan)
    ok = np.flatnonzero(np.isfinite(p))
    m = len(ok)
    if m == 0:
        return out.tolist()
    order = ok[np.argsort(p[ok], kind="stable")]
    adjusted = p[order] * m / np.arange(1, m + 1)
    adjusted = np.minimum.accumulate(adjusted[::-1])[::-1]
    out[order] = np.minimum(adjusted, 1.0)
    return out.tolist()


def homogeneity_test(estimates: Sequence[float], ses: Sequence[float]) -> tuple[float, int, float]:
    """(Q, df, p) of H0: equal effects in independent groups (Cochran's Q, an interaction test).

    Q = sum w_k (theta_k - theta_w)^2 with w_k = 1/se_k^2 and theta_w the weighted mean; under
    H0, Q is chi-squared with K - 1 degrees of freedom. Groups without a usable SE are left out.
    """
    theta = np.asarray(estimates, dtype=float)
    se = np.asarray(ses, dtype=float)
    ok = np.isfinite(theta) & np.isfinite(se) & (se > 0)
    theta, se = theta[ok], se[ok]
    k = len(theta)
    if k < 2:
        return math.nan, max(k - 1, 0), math.nan
    w = 1.0 / se**2
    mean = float(np.sum(w * theta) / np.sum(w))
    q = float(np.sum(w * (theta - mean) ** 2))
    return q, k - 1, float(stats.chi2.sf(q, k - 1))


__all__ = [
    "SUP_T_DRAWS",
    "SUP_T_SEED",
    "Terms",
    "benjamini_hochberg",
    "bonferroni_critical",
    "difference_test",
    "holm",
    "homogeneity_test",
    "joint_covariance",
    "person_totals",
    "sup_t_critical",
]
