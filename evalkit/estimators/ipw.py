"""Inverse-probability weighting for the ATT: treated weight 1, controls p/(1-p), normalised."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from evalkit.errors import InsufficientDataError
from evalkit.estimators._inputs import base_details, influence_se, prepare
from evalkit.estimators.propensity import fit_propensity, propensity_score, trim_mask
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
    function within clusters.
    """
    name = "ipw"
    p = prepare(
        frame, outcome, treatment, covariates, weights=weights, cluster=cluster, estimator=name
    )
    design = p.design()
    fit = fit_propensity(p.d, design, p.w, penalty=penalty, estimator=name, outcome=outcome)
    e = fit.ps
    keep = trim_mask(e, trim)
    n_trimmed = int((~keep).sum())
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where(p.d == 0, e / (1 - e), 0.0)
    w1 = p.w * p.d * keep
    w0 = np.where(keep & (p.d == 0), p.w * odds, 0.0)  # trimmed controls weigh 0, not NaN
    n_treated = int(((p.d == 1) & keep).sum())
    n_control = int(((p.d == 0) & keep).sum())
    n_infinite = int((~np.isfinite(w0)).sum())
    if n_infinite:
        raise InsufficientDataError(
            f"{n_infinite} controls have a propensity score of 1 (infinite weight): trim the "
            "scores (trim=...) or drop covariates that separate the groups",
            estimator=name,
            outcome=outcome,
        )
    if w1.sum() <= 0 or w0.sum() <= 0:
        raise InsufficientDataError(
            "no treated or no control units with usable propensity weights after trimming",
            estimator=name,
            outcome=outcome,
        )
    y = p.y
    mw1, mw0 = w1.mean(), w0.mean()
    mu1 = np.sum(w1 * y) / np.sum(w1)
    mu0 = np.sum(w0 * y) / np.sum(w0)
    att = mu1 - mu0

    m2 = design.T @ (w0 * (y - mu0)) / p.n
    inf_treat = w1 * (y - mu1) / mw1
    inf_control = (w0 * (y - mu0) + fit.estimation_effect(p.d, p.w, m2)) / mw0
    influence = inf_treat - inf_control
    se = influence_se(influence, p.cluster)

    ess = float(w0.sum() ** 2 / np.sum(w0**2))
    details = base_details(
        p,
        n_trimmed=n_trimmed,
        trim=None if trim is None else list(np.atleast_1d(trim).astype(float)),
        mean_treated=float(mu1),
        mean_control_weighted=float(mu0),
        effective_n_control=ess,
        max_control_weight_share=float(w0.max() / w0.sum()),
        ps_separation=fit.separation,
        penalty=penalty,
        se_method="influence function (M-estimation, estimated score)",
    )
    return EffectResult.from_estimate(
        name,
        outcome,
        att,
        se,
        n_treated,
        n_control,
        level=level,
        details=details,
        influence=influence,
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
