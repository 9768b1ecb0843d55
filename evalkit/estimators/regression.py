"""OLS regression adjustment: the treatment coefficient with HC1 or cluster-robust SE."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.errors import InsufficientDataError
from evalkit.estimators._inputs import base_details, prepare
from evalkit.estimators.ols import robust_ols
from evalkit.estimators.result import EffectResult
from evalkit.estimators.warnings import count_warnings


def regression(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectResult:
    """Coefficient on the treatment in OLS of y on [1, d, covariates] (WLS with ``weights``).

    SE is HC1 (statsmodels ``cov_type="HC1"``) or, with ``cluster``, statsmodels' cluster-robust
    SE (small-sample factor G/(G-1)·(n-1)/(n-k)). The interval uses a t distribution with n-k df
    (HC1) or G-1 df (clustered), as Stata does. ``details`` keeps the robust ``t``, the classical
    ``t_ols`` and ``dof`` (residual df n-k) for the Cinelli–Hazlett robustness value, which is
    defined on the classical OLS t-statistic, and the treatment's partial R² (from ``t_ols``).
    Under heterogeneous effects this is a variance-weighted average, not the ATT.
    """
    name = "regression"
    p = prepare(
        frame,
        outcome,
        treatment,
        covariates,
        weights=weights,
        cluster=cluster,
        estimator=name,
    )
    exog = np.column_stack([np.ones(p.n), p.d, p.X])
    k = exog.shape[1]
    if p.n <= k:
        raise InsufficientDataError(
            f"{p.n} rows cannot fit a regression with {k} terms", estimator=name, outcome=outcome
        )
    fit, df_inference, se_method = robust_ols(p, exog)
    estimate = float(fit.params[1])
    se = float(fit.bse[1])
    t = estimate / se if se > 0 else float("nan")
    se_ols = float(np.sqrt(fit.scale * fit.normalized_cov_params[1, 1]))
    dof = float(p.n - k)
    details = base_details(
        p,
        se_method=se_method,
        t=t,
        t_ols=estimate / se_ols if se_ols > 0 else None,
        dof=dof,
        df=df_inference,
        partial_r2=(estimate / se_ols) ** 2 / ((estimate / se_ols) ** 2 + dof)
        if se_ols > 0
        else None,
        r2=float(fit.rsquared),
    )
    if p.cluster is not None:
        details["n_clusters"] = int(p.cluster.max()) + 1
    return EffectResult.from_estimate(
        name,
        outcome,
        estimate,
        se,
        p.n_treated,
        p.n_control,
        level=level,
        df=df_inference,
        details=details,
        warnings=count_warnings(p.n_treated),
    )
