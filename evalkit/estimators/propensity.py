"""Logit propensity score fitted by Newton's method, with what M-estimation needs downstream.

IPW, matching and AIPW share this fit. The score equations of the logit,
``sum_i w_i (d_i - p_i) z_i = 0``, are stacked with each estimator's own moment conditions so
that standard errors account for the estimated score (Newey & McFadden 1994, section 6).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.special import expit

from evalkit.errors import EstimationError
from evalkit.estimators._inputs import prepare, weighted_gram

#: |logit| beyond this means fitted probabilities within ~1e-13 of 0 or 1: (quasi-)separation.
SEPARATION_LOGIT = 30.0


@dataclass(frozen=True)
class PropensityFit:
    """A fitted logit: scores, the design used and the inverse of the average information."""

    ps: np.ndarray
    design: np.ndarray
    coef: np.ndarray
    info_inv: np.ndarray
    iterations: int
    separation: bool

    @property
    def logit(self) -> np.ndarray:
        """The linear predictor (log-odds of treatment)."""
        return self.design @ self.coef

    def linear_representation(self, d: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Per-unit influence of the logit coefficients: w (d - p) z' times the inverse information."""
        return (w * (d - self.ps))[:, None] * self.design @ self.info_inv

    def estimation_effect(self, d: np.ndarray, w: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        """``linear_representation(d, w) @ gradient`` without forming the n-by-k matrix."""
        return w * (d - self.ps) * (self.design @ (self.info_inv @ gradient))


def fit_propensity(
    d: np.ndarray,
    design: np.ndarray,
    w: np.ndarray | None = None,
    *,
    penalty: float = 0.0,
    max_iter: int = 100,
    tol: float = 1e-10,
    estimator: str = "propensity",
    outcome: str | None = None,
) -> PropensityFit:
    """Weighted logit of ``d`` on ``design`` (which includes the intercept) by damped Newton steps.

    ``penalty`` adds ``penalty/2 * |beta|^2`` on the non-intercept coefficients (off by default).
    Non-convergence raises ``EstimationError``; separation is flagged, not hidden.
    """
    n, k = design.shape
    w = np.ones(n) if w is None else w
    ridge = np.full(k, float(penalty))
    ridge[0] = 0.0

    def loglik(beta: np.ndarray) -> float:
        eta = design @ beta
        return float(np.sum(w * (d * eta - np.logaddexp(0.0, eta))) - 0.5 * ridge @ beta**2)

    mean_d = float(np.sum(w * d) / np.sum(w))
    beta = np.zeros(k)
    beta[0] = np.log(mean_d / (1 - mean_d))
    current = loglik(beta)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007
        p = expit(design @ beta)
        grad = design.T @ (w * (d - p)) - ridge * beta
        info = weighted_gram(design, w * p * (1 - p)) + np.diag(ridge)
        try:
            step = np.linalg.solve(info, grad)
        except np.linalg.LinAlgError:
            step = np.linalg.lstsq(info, grad, rcond=None)[0]
        decrement = float(grad @ step)
        if decrement / 2 < tol:
            converged = True
            break
        t = 1.0
        while t > 1e-10:
            candidate = beta + t * step
            value = loglik(candidate)
            if value >= current - 1e-12 * abs(current):
                break
            t /= 2
        beta, current = candidate, value
        if np.max(np.abs(design @ beta)) > 50:
            break
    eta = design @ beta
    separation = bool(np.max(np.abs(eta)) > SEPARATION_LOGIT)
    if not converged and not separation:
        raise EstimationError(
            f"propensity score logit did not converge in {max_iter} iterations",
            estimator=estimator,
            outcome=outcome,
        )
    p = expit(eta)
    info = weighted_gram(design, w * p * (1 - p)) / n + np.diag(ridge) / n
    try:
        info_inv = np.linalg.inv(info)
    except np.linalg.LinAlgError:
        info_inv = np.linalg.pinv(info)
    return PropensityFit(
        ps=p,
        design=design,
        coef=beta,
        info_inv=info_inv,
        iterations=iterations,
        separation=separation,
    )


def trim_mask(ps: np.ndarray, trim: tuple[float, float] | float | None) -> np.ndarray:
    """Units kept after trimming scores outside ``[lo, hi]`` (a single number t means [t, 1-t])."""
    if trim is None:
        return np.ones(len(ps), dtype=bool)
    if np.isscalar(trim):
        lo, hi = float(trim), 1.0 - float(trim)
    else:
        lo, hi = (float(v) for v in trim)  # type: ignore[union-attr]
    if not 0.0 <= lo < hi <= 1.0:
        raise EstimationError(f"trim bounds must satisfy 0 <= lo < hi <= 1, got ({lo}, {hi})")
    return (ps >= lo) & (ps <= hi)


def propensity_score(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    *,
    weights: str | None = None,
    penalty: float = 0.0,
) -> pd.Series:
    """Fitted logit score per row of ``frame`` (NaN where a covariate is missing)."""
    p = prepare(frame, treatment, treatment, covariates, weights=weights, estimator="propensity")
    fit = fit_propensity(p.d, p.design(), p.w, penalty=penalty, estimator="propensity")
    out = pd.Series(np.nan, index=frame.index, name="propensity_score")
    out.loc[p.index] = fit.ps
    return out
