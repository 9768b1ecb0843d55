"""Covariate balance: standardised mean differences and variance ratios before and after adjustment."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError
from evalkit.estimators.columns import Where, encode_covariates

COLUMNS = (
    "covariate",
    "mean_treated",
    "mean_control",
    "mean_treated_after",
    "mean_control_after",
    "smd_before",
    "smd_after",
    "vr_before",
    "vr_after",
)


def _weighted_mean_var(x: np.ndarray, w: np.ndarray) -> tuple[float, float]:
    """Weighted mean and unbiased ('reliability') weighted variance; ddof=1 when weights are 1."""
    sw = w.sum()
    if sw <= 0:
        return float("nan"), float("nan")
    mean = float(np.sum(w * x) / sw)
    denom = sw - np.sum(w**2) / sw
    var = float(np.sum(w * (x - mean) ** 2) / denom) if denom > 0 else float("nan")
    return mean, var


def balance_table(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    weights: str | np.ndarray | pd.Series | None = None,
) -> pd.DataFrame:
    """SMD and variance ratio of each covariate, before and (with ``weights``) after adjustment.

    SMD = (mean1 - mean0) / sqrt((s1^2 + s0^2)/2), the pooled-SD definition of Austin (2009,
    Stat Med 28), with the *unweighted* group variances in the denominator both before and after,
    so that the after-SMD changes only through the means. Variance ratio = s1^2 / s0^2 (weighted
    variances after). ``weights`` (a column name or values aligned with ``frame``) are ATT
    weights, e.g. an estimate's own ``EffectResult.fit.weights``; rows with a missing weight are
    left out of the after columns. Without weights the after columns are NaN. Missing covariate
    values are left out per covariate. A text covariate gives one row per level, ``x=level``
    (the one encoder of ``estimators.columns``).
    """
    if treatment not in frame.columns:
        raise EstimationError(f"column '{treatment}' is missing from the data", estimator="balance")
    d = frame[treatment].to_numpy(dtype=float, na_value=np.nan)
    if weights is None:
        w = None
    elif isinstance(weights, str):
        if weights not in frame.columns:
            raise EstimationError(
                f"column '{weights}' is missing from the data", estimator="balance"
            )
        w = frame[weights].to_numpy(dtype=float, na_value=np.nan)
    else:
        w = np.asarray(weights, dtype=float)
        if len(w) != len(frame):
            raise EstimationError(
                f"weights have {len(w)} values for {len(frame)} rows", estimator="balance"
            )
    encoded = encode_covariates(frame, covariates, Where("data", "balance"), drop_first=False)
    rows = []
    for name, x in zip(encoded.names, encoded.matrix.T, strict=True):
        ok = np.isfinite(x) & np.isfinite(d)
        x1, x0 = x[ok & (d == 1)], x[ok & (d == 0)]
        m1, v1 = _weighted_mean_var(x1, np.ones(len(x1)))
        m0, v0 = _weighted_mean_var(x0, np.ones(len(x0)))
        pooled = np.sqrt((v1 + v0) / 2)
        row = {
            "covariate": name,
            "mean_treated": m1,
            "mean_control": m0,
            "smd_before": (m1 - m0) / pooled if pooled > 0 else 0.0,
            "vr_before": v1 / v0 if v0 > 0 else float("nan"),
            "mean_treated_after": float("nan"),
            "mean_control_after": float("nan"),
            "smd_after": float("nan"),
            "vr_after": float("nan"),
        }
        if w is not None:
            okw = ok & np.isfinite(w)
            a1, av1 = _weighted_mean_var(x[okw & (d == 1)], w[okw & (d == 1)])
            a0, av0 = _weighted_mean_var(x[okw & (d == 0)], w[okw & (d == 0)])
            row.update(
                mean_treated_after=a1,
                mean_control_after=a0,
                smd_after=(a1 - a0) / pooled if pooled > 0 else 0.0,
                vr_after=av1 / av0 if av0 > 0 else float("nan"),
            )
        rows.append(row)
    return pd.DataFrame(rows, columns=list(COLUMNS))
