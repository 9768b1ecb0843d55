"""The one input normaliser of the cross-sectional estimators, and influence-function inference.

Every cross-sectional estimator (naive, regression, ipw, matching, aipw) validates its frame here,
so they all fail the same way on the same bad input (cf. linearmodels' ``data.py``). Messages
name columns and row counts, never values.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import InsufficientDataError
from evalkit.estimators.columns import (
    Where,
    binary_column,
    encode_covariates,
    numeric_column,
    require_columns,
)

#: A covariate whose residual variance, after the intercept and earlier covariates, is below this
#: share of its own variance is treated as collinear and dropped.
COLLINEAR_TOL = 1e-9


@dataclass(frozen=True)
class Prepared:
    """Validated numeric arrays of one estimation problem; rows with a missing outcome removed."""

    estimator: str
    outcome: str
    y: np.ndarray
    d: np.ndarray
    X: np.ndarray
    covariates: tuple[str, ...]
    w: np.ndarray
    cluster: np.ndarray | None
    index: pd.Index
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def n(self) -> int:
        """Rows used."""
        return len(self.y)

    @property
    def n_treated(self) -> int:
        """Treated rows used."""
        return int(self.d.sum())

    @property
    def n_control(self) -> int:
        """Control rows used."""
        return self.n - self.n_treated

    @property
    def weighted(self) -> bool:
        """Whether sampling weights were given."""
        return bool(self.details.get("weights"))

    def design(self) -> np.ndarray:
        """Intercept plus standardised covariates (fitted values are invariant to the scaling)."""
        k = self.X.shape[1]
        out = np.empty((self.n, k + 1))
        out[:, 0] = 1.0
        if k:
            mean = self.X.mean(axis=0)
            sd = self.X.std(axis=0)
            sd[sd == 0] = 1.0
            np.subtract(self.X, mean, out=out[:, 1:])
            out[:, 1:] /= sd
        return out


def _independent_columns(X: np.ndarray) -> tuple[list[int], list[int]]:
    """Split columns into (kept, collinear): a column is kept if not a linear function of kept ones."""
    if X.shape[1] == 0:
        return [], []
    n, k = X.shape
    mean = X.mean(axis=0)
    gram = np.zeros((k + 1, k + 1))
    gram[0, 0] = 1.0
    for start in range(0, n, 200_000):  # centred cross-products, in chunks to bound memory
        chunk = X[start : start + 200_000] - mean
        gram[1:, 1:] += chunk.T @ chunk
    gram[1:, 1:] /= n
    kept: list[int] = [0]
    dropped: list[int] = []
    for j in range(1, k + 1):
        own = gram[j, j]
        sub = gram[np.ix_(kept, kept)]
        beta = np.linalg.lstsq(sub, gram[kept, j], rcond=None)[0]
        resid = own - gram[j, kept] @ beta
        if own <= 0 or resid <= COLLINEAR_TOL * own:
            dropped.append(j - 1)
        else:
            kept.append(j)
    return [k - 1 for k in kept[1:]], dropped


def prepare(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    estimator: str = "estimator",
    min_group: int = 1,
) -> Prepared:
    """Validate and convert one estimation problem; the shared entry point of every estimator.

    Missing columns, a non-binary or missing treatment, non-numeric outcome, negative or missing
    weights and missing cluster ids are errors. Rows with a missing outcome or covariate are
    dropped and counted in ``details``; constant and collinear covariates are dropped with a note.
    Fewer than ``min_group`` treated or control rows raises ``InsufficientDataError``.
    """
    where = Where("data", estimator, outcome)
    if isinstance(covariates, str):
        covariates = (covariates,)
    covariates = tuple(dict.fromkeys(covariates))
    require_columns(frame, [outcome, treatment, *covariates, weights, cluster], where)
    if outcome in covariates or treatment in covariates:
        raise where.error("outcome and treatment must not be covariates", rule="not_covariate")

    d_all = binary_column(frame, treatment, where)
    y_all = numeric_column(frame, outcome, where, allow_missing=True)
    encoded = encode_covariates(frame, covariates, where)
    X_all, names, x_missing = encoded.matrix, encoded.names, encoded.missing
    notes = list(encoded.notes)

    details: dict[str, Any] = {}
    w_all = np.ones(len(frame))
    if weights is not None:
        w_all = numeric_column(frame, weights, where, allow_missing=True)
        n_bad = int((~np.isfinite(w_all) | (w_all < 0)).sum())
        if n_bad:
            raise where.error(
                f"weights column '{weights}' has {n_bad} missing or negative values",
                column=weights,
                rule="non_negative",
                count=n_bad,
            )
        details["weights"] = weights
    cluster_all = None
    if cluster is not None:
        codes, _ = pd.factorize(frame[cluster], use_na_sentinel=True)
        n_bad = int((codes < 0).sum())
        if n_bad:
            raise where.error(
                f"cluster column '{cluster}' has {n_bad} missing values",
                column=cluster,
                rule="not_missing",
                count=n_bad,
            )
        cluster_all = codes
        details["cluster"] = cluster

    y_missing = ~np.isfinite(y_all)
    keep = ~y_missing & ~x_missing & (w_all > 0)
    details["n_dropped_missing_outcome"] = int(y_missing.sum())
    details["n_dropped_missing_covariates"] = int((x_missing & ~y_missing).sum())
    if weights is not None:
        details["n_dropped_zero_weight"] = int(((w_all == 0) & ~y_missing & ~x_missing).sum())

    if keep.all():
        y, d, X, w = y_all, d_all, X_all, w_all
    else:
        y, d, X, w = y_all[keep], d_all[keep], X_all[keep], w_all[keep]
    n_treated = int(d.sum())
    n_control = len(d) - n_treated
    if n_treated < max(min_group, 1) or n_control < max(min_group, 1):
        raise InsufficientDataError(
            f"need at least {max(min_group, 1)} treated and {max(min_group, 1)} control rows "
            f"with an outcome; have {n_treated} treated and {n_control} control",
            estimator=estimator,
            outcome=outcome,
        )

    dropped: list[str] = []
    if X.shape[1]:
        constant = [j for j in range(X.shape[1]) if np.ptp(X[:, j]) == 0]
        if constant:
            dropped_const = [names[j] for j in constant]
            notes.append("constant covariate(s) dropped: " + ", ".join(dropped_const))
            dropped += dropped_const
        varying = [j for j in range(X.shape[1]) if j not in constant]
        kept, collinear = _independent_columns(X[:, varying])
        if collinear:
            dropped_col = [names[varying[j]] for j in collinear]
            notes.append("collinear covariate(s) dropped: " + ", ".join(dropped_col))
            dropped += dropped_col
        cols = [varying[j] for j in kept]
        if cols != list(range(X.shape[1])):
            X = X[:, cols]
        names = [names[j] for j in cols]
    details["dropped_covariates"] = dropped
    if notes:
        details["notes"] = notes

    return Prepared(
        estimator=estimator,
        outcome=outcome,
        y=y,
        d=d,
        X=np.ascontiguousarray(X),
        covariates=tuple(names),
        w=w / w.mean(),
        cluster=None if cluster_all is None else pd.factorize(cluster_all[keep])[0],
        index=frame.index[keep],
        details=details,
    )


def influence_se(influence: np.ndarray, cluster: np.ndarray | None = None) -> float:
    """SE of a mean-zero influence function: sqrt(sum IF^2)/n, or summed within clusters first.

    With clusters, the sum of squares is over cluster totals and scaled by G/(G-1) (the usual
    small-sample factor of cluster-robust variances).
    """
    n = len(influence)
    if cluster is None:
        return float(math.sqrt(float(np.sum(influence**2))) / n)
    totals = np.bincount(cluster, weights=influence)
    g = len(totals)
    if g < 2:
        return math.nan
    return float(math.sqrt(float(np.sum(totals**2)) * g / (g - 1)) / n)


def base_details(prepared: Prepared, **extra: Any) -> dict[str, Any]:
    """Details every estimator reports: rows used, covariates used, and what was dropped."""
    out = dict(prepared.details)
    out["n_used"] = prepared.n
    out["covariates_used"] = list(prepared.covariates)
    out.update(extra)
    return out
