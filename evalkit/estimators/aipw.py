"""Doubly robust (augmented IPW) ATT: outcome regression on controls plus a logit score."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import Prepared, prepare
from evalkit.estimators.columns import Where, numeric_column, require_columns
from evalkit.estimators.logit import weighted_gram
from evalkit.estimators.propensity import AttWeights, att_weights_of
from evalkit.estimators.result import EffectResult


def _control_ols(
    y: np.ndarray, design: np.ndarray, w0: np.ndarray, name: str, outcome: str
) -> tuple[np.ndarray, np.ndarray]:
    """Weighted OLS of the columns of y (n by K) on the design among controls; returns
    (coefficients, inverse X'WX/n)."""
    n = len(y)
    xtx = weighted_gram(design, w0) / n
    xty = design.T @ (w0[:, None] * y) / n
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
    att_w = _weights(p, trim, penalty, name)
    att, influence = _aipw_core(p, att_w, p.y, name)
    return att_w.result(
        p,
        float(att),
        influence,
        level,
        penalty=penalty,
        se_method="influence function (estimated score and outcome model)",
    )


def _weights(
    p: Prepared, trim: tuple[float, float] | float | None, penalty: float, name: str
) -> AttWeights:
    """The ATT weights of the logit score, after checking the outcome model can be fitted."""
    att_w = att_weights_of(p, trim=trim, penalty=penalty)
    terms = att_w.design.shape[1]
    if p.n_control <= terms:
        raise InsufficientDataError(
            f"{p.n_control} controls cannot fit an outcome model with {terms} terms",
            estimator=name,
            outcome=p.outcome,
        )
    return att_w


@dataclass(frozen=True)
class AipwMany:
    """AIPW on several outcomes of the same rows with one score and one outcome design.

    ``influence`` is n by K (``se_k = sqrt(sum(influence[:, k]**2)) / n`` without clusters);
    ``cluster`` holds the cluster code of each row (None without clusters); ``index`` the row
    labels used. Any linear combination ``c`` of the outcomes has estimate ``estimates @ c`` and
    influence ``influence @ c``: exactly what ``aipw`` gives on the combined outcome.
    """

    outcomes: tuple[str, ...]
    estimates: np.ndarray
    influence: np.ndarray
    cluster: np.ndarray | None
    index: pd.Index
    n_treated: int
    n_control: int

    def covariance(self) -> np.ndarray:
        """K by K covariance of the estimates (influence summed within clusters, G/(G-1))."""
        n = len(self.index)
        inf = self.influence
        if self.cluster is None:
            return inf.T @ inf / n**2
        g = int(self.cluster.max()) + 1
        totals = np.zeros((g, inf.shape[1]))
        np.add.at(totals, self.cluster, inf)
        return totals.T @ totals * g / (g - 1) / n**2


def aipw_many(
    frame: pd.DataFrame,
    outcomes: Sequence[str],
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    trim: tuple[float, float] | float | None = None,
    penalty: float = 0.0,
) -> AipwMany:
    """``aipw`` on every outcome at once, on the rows where all of them are observed.

    One score and one outcome design serve all outcomes, so their influence functions give the
    joint covariance (of a monthly path, of costs against effects).
    """
    name = "aipw"
    outcomes = tuple(outcomes)
    if not outcomes:
        raise EstimationError("aipw_many needs at least one outcome", estimator=name)
    require_columns(frame, outcomes, Where("data", name, outcomes[0]))
    rows = frame.dropna(subset=list(outcomes))
    p = prepare(
        rows, outcomes[0], treatment, covariates, weights=weights, cluster=cluster, estimator=name
    )
    Y = np.column_stack(
        [numeric_column(rows.loc[p.index], c, Where("data", name, c)) for c in outcomes]
    )
    att_w = _weights(p, trim, penalty, name)
    att, influence = _aipw_core(p, att_w, Y, name)
    return AipwMany(outcomes, att, influence, p.cluster, p.index, att_w.n_treated, att_w.n_control)


def _aipw_core(
    p: Prepared, att_w: AttWeights, y: np.ndarray, name: str
) -> tuple[np.ndarray, np.ndarray]:
    """ATT and influence function for one outcome (``y`` of shape n) or many (n by K) at once.

    Every step is linear in ``y`` given the score and the design, so K outcomes cost one logit
    and one OLS with K right-hand sides, and the result of a linear combination of outcomes is
    the same combination of their results.
    """
    n = p.n
    design, w1, w0 = att_w.design, att_w.w1, att_w.w0
    two_d = y.ndim == 2
    Y = y if two_d else y[:, None]
    w_ols = p.w * (1 - p.d)
    beta, xtx_inv = _control_ols(Y, design, w_ols, name, p.outcome)
    resid = Y - design @ beta
    mw1, mw0 = w1.mean(), w0.mean()
    eta1 = (w1 @ resid) / n / mw1
    eta0 = (w0 @ resid) / n / mw0
    att = eta1 - eta0

    # Estimation effects of the OLS and logit coefficients, as vectors (no n-by-k matrices):
    # (w_ols resid z' (X'WX/n)^-1) @ M  ==  w_ols resid * (z @ ((X'WX/n)^-1 M)).
    ols_weight = w_ols[:, None] * resid
    m1 = design.T @ w1 / n
    m2 = design.T @ (w0[:, None] * (resid - eta0)) / n
    m3 = design.T @ w0 / n
    ols_effect_1 = ols_weight * (design @ (xtx_inv @ m1))[:, None]
    ols_effect_3 = ols_weight * (design @ (xtx_inv @ m3))[:, None]
    logit_effect = np.column_stack(
        [att_w.logit.estimation_effect(p.d, p.w, m2[:, j]) for j in range(m2.shape[1])]
    )
    inf_treat = (w1[:, None] * resid - w1[:, None] * eta1 - ols_effect_1) / mw1
    inf_control = (w0[:, None] * resid - w0[:, None] * eta0 + logit_effect - ols_effect_3) / mw0
    influence = inf_treat - inf_control
    return (att, influence) if two_d else (att[0], influence[:, 0])
