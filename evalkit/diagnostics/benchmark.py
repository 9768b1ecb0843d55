"""Partial R²s of the outcome regression that Cinelli & Hazlett's benchmarked bounds need.

The regression is OLS of the outcome on the treatment and the (encoded) covariates, the same
rows as ``estimators.regression``; the benchmark covariate's partial R² with the outcome comes
from that regression and its partial R² with the treatment from OLS of the treatment on the
covariates, both as t²/(t² + residual df) of classical OLS (C&H 2020, section 4.4).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
import statsmodels.api as sm

from evalkit.diagnostics.sensitivity import benchmarked_sensitivity
from evalkit.errors import EstimationError
from evalkit.estimators._inputs import prepare


def _partial_r2(t: np.ndarray, dof: float) -> np.ndarray:
    """Partial R² of each coefficient from its classical t-statistic."""
    return t**2 / (t**2 + dof)


def outcome_regression_r2(
    frame: pd.DataFrame, outcome: str, treatment: str, covariates: Sequence[str]
) -> dict[str, Any]:
    """Treatment estimate, classical SE and df of the outcome regression, and every covariate
    column's partial R² with the outcome (``r2y``) and with the treatment (``r2d``)."""
    p = prepare(frame, outcome, treatment, covariates, estimator="sensitivity")
    if not p.covariates:
        raise EstimationError("benchmarked sensitivity needs at least one covariate")
    y_fit = sm.OLS(p.y, np.column_stack([np.ones(p.n), p.d, p.X])).fit()
    d_fit = sm.OLS(p.d, np.column_stack([np.ones(p.n), p.X])).fit()
    r2y = _partial_r2(np.asarray(y_fit.tvalues[2:]), float(y_fit.df_resid))
    r2d = _partial_r2(np.asarray(d_fit.tvalues[1:]), float(d_fit.df_resid))
    return {
        "estimate": float(y_fit.params[1]),
        "se": float(y_fit.bse[1]),
        "dof": float(y_fit.df_resid),
        "covariates": list(p.covariates),
        "r2y": dict(zip(p.covariates, r2y.tolist(), strict=True)),
        "r2d": dict(zip(p.covariates, r2d.tolist(), strict=True)),
    }


def regression_sensitivity(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    *,
    benchmark: str | None = None,
    target: float = 0.0,
    alpha: float = 0.05,
) -> dict[str, Any]:
    """``benchmarked_sensitivity`` of the outcome regression against covariate ``benchmark``.

    ``benchmark`` names an encoded covariate column (e.g. ``work_months_24m_before``); by default
    it is the one that explains the most of the outcome's residual variance — the strongest
    observed covariate.
    """
    fit = outcome_regression_r2(frame, outcome, treatment, covariates)
    if benchmark is None:
        benchmark = max(fit["r2y"], key=fit["r2y"].get)
    elif benchmark not in fit["r2y"]:
        known = ", ".join(fit["covariates"])
        raise EstimationError(f"benchmark '{benchmark}' is not a covariate used; used: {known}")
    return benchmarked_sensitivity(
        fit["estimate"],
        fit["se"],
        fit["dof"],
        fit["r2d"][benchmark],
        fit["r2y"][benchmark],
        benchmark=benchmark,
        target=target,
        alpha=alpha,
    )
