"""Difference in mean outcomes, participants minus non-participants: what follow-up alone implies."""

from __future__ import annotations

import math
from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.estimators._inputs import base_details, prepare
from evalkit.estimators.ols import robust_ols
from evalkit.estimators.result import EffectResult
from evalkit.estimators.warnings import count_warnings, merge


def welch(y1: np.ndarray, y0: np.ndarray) -> tuple[float, float, float]:
    """(difference, Welch SE, Welch–Satterthwaite df) of two samples' means."""
    n1, n0 = len(y1), len(y0)
    v1, v0 = np.var(y1, ddof=1) / n1, np.var(y0, ddof=1) / n0
    se = math.sqrt(v1 + v0)
    denom = v1**2 / (n1 - 1) + v0**2 / (n0 - 1)
    df = (v1 + v0) ** 2 / denom if denom > 0 else math.nan
    return float(y1.mean() - y0.mean()), se, float(df)


def naive(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectResult:
    """Unadjusted difference in means with a Welch SE and Welch–Satterthwaite df.

    ``covariates`` do not adjust anything; they are validated and rows missing one are dropped,
    so that naive compares the same rows as the adjusted estimators. With ``weights`` or
    ``cluster`` the difference is the treatment coefficient of a (weighted) regression on the
    treatment indicator alone, with an HC1 or cluster-robust SE (statsmodels) and t inference
    on n-2 (or G-1) df.
    """
    name = "naive"
    p = prepare(
        frame,
        outcome,
        treatment,
        covariates,
        weights=weights,
        cluster=cluster,
        estimator=name,
        min_group=2,
    )
    y1, y0 = p.y[p.d == 1], p.y[p.d == 0]
    if weights is None and cluster is None:
        diff, se, df = welch(y1, y0)
        se_method = "Welch"
    else:
        fit, df, se_method = robust_ols(p, np.column_stack([np.ones(p.n), p.d]))
        diff, se = float(fit.params[1]), float(fit.bse[1])
    details = base_details(
        p,
        mean_treated=float(y1.mean()),
        mean_control=float(y0.mean()),
        df=df,
        se_method=se_method,
    )
    details.pop("covariates_used")
    return EffectResult.from_estimate(
        name,
        outcome,
        diff,
        se,
        len(y1),
        len(y0),
        level=level,
        df=df,
        details=details,
        warnings=merge(("unadjusted",), count_warnings(len(y1))),
    )
