"""Inverse-probability weighting for the ATT: treated weight 1, controls p/(1-p), normalised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.estimators._inputs import prepare
from evalkit.estimators.propensity import att_weights_of, propensity_score, trim_mask
from evalkit.estimators.result import EffectResult


def ipw(
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
    """Hájek (normalised) IPW estimate of the ATT with an SE that accounts for the estimated score.

    With ``e(x)`` a logit score, treated weights ``w1 = d`` and control weights
    ``w0 = (1-d) e/(1-e)`` (times sampling weights), ATT = sum(w1 y)/sum(w1) - sum(w0 y)/sum(w0).
    The SE stacks the logit score equations with the two weighted means (M-estimation); the
    influence function is that of Sant'Anna & Zhao (2020, J. Econometrics 219(1),
    101-122; R ``DRDID::std_ipw_did_panel``) with the outcome change replaced by the outcome:

        IF_i = w1_i (y_i - mu1)/E[w1] - [w0_i (y_i - mu0) + l_i' M2]/E[w0],
        M2 = E[w0 (y - mu0) z],  l_i = w_i (d_i - e_i) z_i' E[w e (1-e) z z']^{-1}.

    ``trim=(lo, hi)`` excludes units whose score lies outside ``[lo, hi]`` (count in
    ``details["n_trimmed"]``); the score is fitted on all units. ``cluster`` sums the influence
    function within clusters. The result's ``fit`` holds the scores and weights used, and its
    ``warnings`` flag non-convergence, separation, poor overlap, extreme weights and few treated.
    """
    name = "ipw"
    p = prepare(
        frame, outcome, treatment, covariates, weights=weights, cluster=cluster, estimator=name
    )
    att_w = att_weights_of(p, trim=trim, penalty=penalty)
    w1, w0, y = att_w.w1, att_w.w0, p.y
    mw1, mw0 = w1.mean(), w0.mean()
    mu1 = np.sum(w1 * y) / np.sum(w1)
    mu0 = np.sum(w0 * y) / np.sum(w0)
    att = mu1 - mu0

    m2 = att_w.design.T @ (w0 * (y - mu0)) / p.n
    inf_treat = w1 * (y - mu1) / mw1
    inf_control = (w0 * (y - mu0) + att_w.logit.estimation_effect(p.d, p.w, m2)) / mw0
    return att_w.result(
        p,
        att,
        inf_treat - inf_control,
        level,
        mean_treated=float(mu1),
        mean_control_weighted=float(mu0),
        penalty=penalty,
        se_method="influence function (M-estimation, estimated score)",
    )


def att_weights(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    *,
    trim: tuple[float, float] | float | None = None,
    penalty: float = 0.0,
) -> pd.Series:
    """ATT weights per row (treated 1, controls p/(1-p); 0 if trimmed; NaN if a covariate is missing).

    For balance tables after weighting; the same score as ``ipw`` without sampling weights.
    """
    ps = propensity_score(frame, treatment, covariates, penalty=penalty)
    d = frame[treatment].to_numpy(dtype=float)
    e = ps.to_numpy()
    with np.errstate(divide="ignore", invalid="ignore"):
        w = np.where(d == 1, 1.0, e / (1 - e))
    keep = trim_mask(np.nan_to_num(e, nan=0.5), trim)
    w = np.where(np.isnan(e), np.nan, np.where(keep, w, 0.0))
    return pd.Series(w, index=frame.index, name="att_weight")
