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

from evalkit.errors import EstimationError, InsufficientDataError

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


def _error(message: str, estimator: str, outcome: str) -> EstimationError:
    return EstimationError(message, estimator=estimator, outcome=outcome)


def _as_number(series: pd.Series) -> pd.Series | None:
    """The column as numbers if it is numeric or boolean, or all its values parse as numbers."""
    if pd.api.types.is_bool_dtype(series) or pd.api.types.is_numeric_dtype(series):
        return series
    if series.dtype == object:
        try:
            return pd.to_numeric(series, errors="raise")
        except (TypeError, ValueError):
            return None
    return None


def _numeric(series: pd.Series, column: str, estimator: str, outcome: str) -> np.ndarray:
    """A numeric column as float, missing values as NaN; non-numeric columns are an error."""
    number = _as_number(series)
    if number is None:
        raise _error(f"column '{column}' is not numeric ({series.dtype})", estimator, outcome)
    return number.to_numpy(dtype=float, na_value=np.nan)


def _encode_covariates(
    frame: pd.DataFrame, covariates: Sequence[str], estimator: str, outcome: str
) -> tuple[np.ndarray, list[str], np.ndarray, list[str]]:
    """Covariates as a float matrix; text/categorical columns become 0/1 dummies (first level dropped)."""
    columns: list[np.ndarray] = []
    names: list[str] = []
    missing = np.zeros(len(frame), dtype=bool)
    notes: list[str] = []
    for name in covariates:
        series = frame[name]
        number = _as_number(series)
        if number is not None:
            values = number.to_numpy(dtype=float, na_value=np.nan)
            missing |= ~np.isfinite(values)
            columns.append(values)
            names.append(name)
            continue
        isna = series.isna().to_numpy()
        missing |= isna
        levels = sorted(series.dropna().astype(str).unique())
        text = series.astype(str).to_numpy()
        for level in levels[1:]:
            columns.append((text == level).astype(float))
            names.append(f"{name}[{level}]")
        notes.append(f"covariate '{name}' encoded as {max(len(levels) - 1, 0)} indicator(s)")
    X = np.column_stack(columns) if columns else np.empty((len(frame), 0))
    return X, names, missing, notes


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
    if not isinstance(frame, pd.DataFrame):
        raise _error("input must be a pandas DataFrame", estimator, outcome)
    if isinstance(covariates, str):
        covariates = (covariates,)
    covariates = tuple(dict.fromkeys(covariates))
    needed = [outcome, treatment, *covariates]
    needed += [c for c in (weights, cluster) if c is not None]
    for column in needed:
        if column not in frame.columns:
            raise _error(f"column '{column}' is missing from the data", estimator, outcome)
    if outcome in covariates or treatment in covariates:
        raise _error("outcome and treatment must not be covariates", estimator, outcome)

    d_all = _numeric(frame[treatment], treatment, estimator, outcome)
    n_missing_d = int(np.isnan(d_all).sum())
    if n_missing_d:
        raise _error(
            f"treatment column '{treatment}' has {n_missing_d} missing values", estimator, outcome
        )
    bad = int((~np.isin(d_all, (0.0, 1.0))).sum())
    if bad:
        raise _error(
            f"treatment column '{treatment}' must be 0/1; {bad} rows have other values",
            estimator,
            outcome,
        )
    y_all = _numeric(frame[outcome], outcome, estimator, outcome)
    X_all, names, x_missing, notes = _encode_covariates(frame, covariates, estimator, outcome)

    details: dict[str, Any] = {}
    w_all = np.ones(len(frame))
    if weights is not None:
        w_all = _numeric(frame[weights], weights, estimator, outcome)
        n_bad = int((~np.isfinite(w_all) | (w_all < 0)).sum())
        if n_bad:
            raise _error(
                f"weights column '{weights}' has {n_bad} missing or negative values",
                estimator,
                outcome,
            )
        details["weights"] = weights
    cluster_all = None
    if cluster is not None:
        codes, _ = pd.factorize(frame[cluster], use_na_sentinel=True)
        n_bad = int((codes < 0).sum())
        if n_bad:
            raise _error(
                f"cluster column '{cluster}' has {n_bad} missing values", estimator, outcome
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


def weighted_gram(design: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Z' diag(v) Z for non-negative v, as S'S with S = sqrt(v) Z.

    The symmetric product takes BLAS's syrk path, which stays fast when OpenBLAS threads
    contend for cores (a general gemm of the same size was measured 70x slower under load).
    """
    k = design.shape[1]
    out = np.zeros((k, k))
    root = np.sqrt(weights)
    for start in range(0, len(design), 250_000):  # in blocks, to bound the scaled copy's memory
        scaled = design[start : start + 250_000] * root[start : start + 250_000, None]
        out += scaled.T @ scaled
    return out


def base_details(prepared: Prepared, **extra: Any) -> dict[str, Any]:
    """Details every estimator reports: rows used, covariates used, and what was dropped."""
    out = dict(prepared.details)
    out["n_used"] = prepared.n
    out["covariates_used"] = list(prepared.covariates)
    out.update(extra)
    return out
