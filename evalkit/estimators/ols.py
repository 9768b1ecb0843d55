"""Robust OLS on prepared data: the fit shared by ``naive`` (with weights or clusters) and
``regression``, so that both compute the same SE the same way."""

from __future__ import annotations

from typing import Any

import numpy as np
import statsmodels.api as sm

from evalkit.estimators._inputs import Prepared


def robust_ols(p: Prepared, exog: np.ndarray) -> tuple[Any, float, str]:
    """statsmodels OLS (WLS with sampling weights) of ``p.y`` on ``exog`` with a robust SE.

    Returns (fit, df, se_method): HC1 with n − k df, or, with clusters, statsmodels'
    cluster-robust covariance (factor G/(G−1)·(n−1)/(n−k)) with G − 1 df, as Stata does.
    """
    model = sm.WLS(p.y, exog, weights=p.w) if p.weighted else sm.OLS(p.y, exog)
    if p.cluster is not None:
        fit = model.fit(cov_type="cluster", cov_kwds={"groups": p.cluster})
        return fit, float(p.cluster.max()), "cluster-robust"
    return model.fit(cov_type="HC1"), float(p.n - exog.shape[1]), "HC1"
