"""Doubly robust (augmented IPW) ATT: outcome regression on controls plus a logit score."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import prepare
from evalkit.estimators.logit import weighted_gram
from evalkit.estimators.propensity import att_weights_of
from evalkit.estimators.result import EffectResult


def _control_ols(
    y: np.ndarray, design: np.ndarray, w0: np.ndarray, name: str, outcome: str
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted OLS of y on the design among controls; returns (coefficients, inverse X'WX/n)."""
    n = len(y)
    xtx = weighted_gram(design, w0) / n
    xty = design.T @ (w0 * y) / n
    try:
        xtx_inv = np.linalg.inv(xtx)
    except np.linalg.LinAlgError as exc:
        raise EstimationError(
            "outcome regression on controls is singular (too few controls for the covariates)",
            estimator=name,
            outcome=outcome,
        ) from exc
    return xtx_inv @ xty, xtx_inv


def aipw(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    trim: tuple[float, float] | float | None = None,
    penalty: float = 0.0,
    level: float = 0.95,
) -> EffectResult:
    """Doubly robust ATT with an influence-function SE (Sant'Anna & Zhao 2020, cross-section).

    m(x) is a linear OLS fit of y on the covariates among controls; e(x) a logit score. With
    ``w1 = d`` and ``w0 = (1-d) e/(1-e)``,

        ATT = E[w1 (y - m)]/E[w1] - E[w0 (y - m)]/E[w0],

    consistent if either model is right. The influence function is Sant'Anna & Zhao's (2020,
    J. Econometrics 219(1), 101-122; R ``DRDID::drdid_panel``) with the outcome change replaced by
    the outcome; it includes the estimation effect of both the OLS and the logit coefficients.
    ``trim=(lo, hi)`` excludes units whose score lies outside ``[lo, hi]``
    (``details["n_trimmed"]``).
    """
    name = "aipw"
    p = prepare(
        frame, outcome, treatment, covariates, weights=weights, cluster=cluster, estimator=name
    )
    n = p.n
    att_w = att_weights_of(p, trim=trim, penalty=penalty)
    design, w1, w0 = att_w.design, att_w.w1, att_w.w0
    if p.n_control <= design.shape[1]:
        raise InsufficientDataError(
            f"{p.n_control} controls cannot fit an outcome model with {design.shape[1]} terms",
            estimator=name,
            outcome=outcome,
        )
    y = p.y
    w_ols = p.w * (1 - p.d)
    beta, xtx_inv = _control_ols(y, design, w_ols, name, outcome)
    m = design @ beta
    resid = y - m
    mw1, mw0 = w1.mean(), w0.mean()
    eta1 = np.mean(w1 * resid) / mw1
    eta0 = np.mean(w0 * resid) / mw0
    att = eta1 - eta0

    # Estimation effects of the OLS and logit coefficients, as vectors (no n-by-k matrices):
    # (w_ols resid z' (X'WX/n)^-1) @ M  ==  w_ols resid * (z @ ((X'WX/n)^-1 M)).
    ols_weight = w_ols * resid
    m1 = design.T @ w1 / n
    m2 = design.T @ (w0 * (resid - eta0)) / n
    m3 = design.T @ w0 / n
    ols_effect_1 = ols_weight * (design @ (xtx_inv @ m1))
    ols_effect_3 = ols_weight * (design @ (xtx_inv @ m3))
    inf_treat = (w1 * resid - w1 * eta1 - ols_effect_1) / mw1
    inf_control = (
        w0 * resid - w0 * eta0 + att_w.logit.estimation_effect(p.d, p.w, m2) - ols_effect_3
    ) / mw0
    return att_w.result(
        p,
        att,
        inf_treat - inf_control,
        level,
        penalty=penalty,
        se_method="influence function (estimated score and outcome model)",
    )
