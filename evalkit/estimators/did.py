"""The 2×2 difference-in-differences: (treated after − before) − (control after − before).

Estimated as the interaction in y ~ 1 + treated + post + treated·post by OLS, which equals the
double difference of the four cell means; SEs are cluster-robust by unit (or by ``cluster``) with
Stata's small-sample factor G/(G − 1)·(N − 1)/(N − K) and t(G − 1) inference, so that serial
correlation within a unit does not overstate precision (Bertrand, Duflo & Mullainathan 2004).
Works for a panel and for repeated cross-sections (then ``unit`` only identifies clusters).
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from evalkit.errors import InsufficientDataError
from evalkit.estimators._panel import TABLE, numeric_column, require_columns
from evalkit.estimators.columns import Where, binary_column
from evalkit.estimators.result import EffectResult
from evalkit.estimators.warnings import count_warnings

ESTIMATOR = "did"


def cluster_robust_cov(x: np.ndarray, resid: np.ndarray, clusters: np.ndarray) -> np.ndarray:
    """CR1 covariance: (X'X)^-1 (Σ_g X_g'e_g e_g'X_g) (X'X)^-1 · G/(G−1) · (N−1)/(N−K)."""
    n, k = x.shape
    codes, groups = pd.factorize(pd.Series(clusters))
    g = len(groups)
    scores = np.zeros((g, k))
    np.add.at(scores, codes, x * resid[:, None])
    bread = np.linalg.inv(x.T @ x)
    meat = scores.T @ scores
    factor = g / (g - 1) * (n - 1) / (n - k)
    return factor * bread @ meat @ bread


def did(
    frame: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    treatment: str,
    post: str,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectResult:
    """ATT from the 2×2 DiD of ``outcome`` between ``treatment`` groups (0/1) and ``post`` periods (0/1)."""
    require_columns(frame, [unit, time, outcome, treatment, post, cluster])
    y = numeric_column(frame, outcome)
    d = binary_column(frame, treatment, Where(TABLE, ESTIMATOR, outcome))
    p = binary_column(frame, post, Where(TABLE, ESTIMATOR, outcome))
    cells = {(a, b): int(np.sum((d == a) & (p == b))) for a in (0, 1) for b in (0, 1)}
    empty = [
        f"{'treated' if a else 'control'}/{'post' if b else 'pre'}"
        for (a, b), c in cells.items()
        if c == 0
    ]
    if empty:
        raise InsufficientDataError(
            f"no observations in cell(s) {', '.join(empty)}", estimator=ESTIMATOR, outcome=outcome
        )
    x = np.column_stack([np.ones_like(y), d, p, d * p])
    beta, *_ = np.linalg.lstsq(x, y, rcond=None)
    resid = y - x @ beta
    clusters = frame[cluster if cluster else unit].astype(str).to_numpy()
    n_clusters = len(np.unique(clusters))
    if n_clusters < 2:
        raise InsufficientDataError(
            "at least two clusters are needed", estimator=ESTIMATOR, outcome=outcome
        )
    cov = cluster_robust_cov(x, resid, clusters)
    units = frame[unit].astype(str).to_numpy()
    n_treated = len(np.unique(units[d == 1]))
    n_control = len(np.unique(units[d == 0]))
    means = {
        f"{'treated' if a else 'control'}_{'post' if b else 'pre'}": float(
            y[(d == a) & (p == b)].mean()
        )
        for a, b in cells
    }
    return EffectResult.from_estimate(
        ESTIMATOR,
        outcome,
        beta[3],
        float(np.sqrt(cov[3, 3])),
        n_treated,
        n_control,
        level=level,
        df=n_clusters - 1,
        details={
            "n_obs": len(y),
            "n_clusters": n_clusters,
            "cell_counts": {f"{a}{b}": c for (a, b), c in cells.items()},
            "cell_means": means,
        },
        warnings=count_warnings(n_treated),
    )
