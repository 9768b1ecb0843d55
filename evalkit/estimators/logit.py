"""The one logit fitter: weighted, optionally ridge-penalised, by damped Newton steps.

Every propensity score in evalkit comes from here (ipw, aipw, matching, the 2×2 DiD cells of
``cs_did`` via ``drdid``, the pooled model of ``dynamic_matching``). The fit keeps what
M-estimation needs downstream: the inverse of the average information, so that estimators can
stack the logit score equations ``sum_i w_i (d_i - p_i) z_i = 0`` with their own moment conditions
(Newey & McFadden 1994, section 6). It never raises for numerical trouble: non-convergence and
(quasi-)separation are flags on the result, which estimators turn into warnings.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy.special import expit

#: |logit| beyond this means fitted probabilities within ~1e-13 of 0 or 1: (quasi-)separation.
SEPARATION_LOGIT = 30.0
#: Newton stops once a linear predictor passes this: the likelihood has no finite maximum.
DIVERGED_LOGIT = 50.0


def weighted_gram(design: np.ndarray, weights: np.ndarray) -> np.ndarray:
    """Z' diag(v) Z for non-negative v, as S'S with S = sqrt(v) Z.

    The symmetric product takes BLAS's syrk path, which stays fast when OpenBLAS threads
    contend for cores (a general gemm of the same size was measured 70x slower under load).
    """
    k = design.shape[1]
    out = np.zeros((k, k))
    root = np.sqrt(weights)
    for start in range(0, len(design), 250_000):  # in blocks, to bound the scaled copy's memory
        scaled = design[start : start + 250_000] * root[start : start + 250_000, None]
        out += scaled.T @ scaled
    return out


@dataclass(frozen=True)
class LogitFit:
    """A fitted logit: scores, design, coefficients and the inverse of the average information."""

    ps: np.ndarray
    design: np.ndarray
    coef: np.ndarray
    info_inv: np.ndarray  # (Z' diag(w p (1-p)) Z / n + diag(penalty) / n)^-1
    iterations: int
    converged: bool
    separation: bool
    penalty: np.ndarray

    @property
    def p(self) -> np.ndarray:
        """The fitted probabilities (``ps``), under the name the DiD formulas use."""
        return self.ps

    @property
    def h_inv(self) -> np.ndarray:
        """The inverse average Hessian (``info_inv``), under the name the DiD formulas use."""
        return self.info_inv

    @property
    def logit(self) -> np.ndarray:
        """The linear predictor (log-odds of treatment)."""
        return self.design @ self.coef

    def linear_representation(self, d: np.ndarray, w: np.ndarray) -> np.ndarray:
        """Per-unit influence of the coefficients: w (d - p) z' times the inverse information."""
        return (w * (d - self.ps))[:, None] * self.design @ self.info_inv

    def estimation_effect(self, d: np.ndarray, w: np.ndarray, gradient: np.ndarray) -> np.ndarray:
        """``linear_representation(d, w) @ gradient`` without forming the n-by-k matrix."""
        return w * (d - self.ps) * (self.design @ (self.info_inv @ gradient))


def _penalty_vector(penalty: float | np.ndarray, design: np.ndarray) -> np.ndarray:
    """Per-coefficient ridge weights; a scalar spares column 0 when it is the intercept."""
    k = design.shape[1]
    if np.ndim(penalty):
        out = np.asarray(penalty, dtype=float)
        if out.shape != (k,):
            raise ValueError(f"penalty has {out.size} entries for {k} design columns")
        return out
    out = np.full(k, float(penalty))
    if k and np.all(design[:, 0] == 1.0):
        out[0] = 0.0
    return out


def _inverse(matrix: np.ndarray) -> np.ndarray:
    """Inverse, or the pseudo-inverse of a singular matrix."""
    try:
        return np.linalg.inv(matrix)
    except np.linalg.LinAlgError:
        return np.linalg.pinv(matrix)


def _solve(matrix: np.ndarray, vector: np.ndarray) -> np.ndarray:
    """matrix^-1 vector, or the minimum-norm least-squares solution if the matrix is singular
    (a design with collinear columns: the fitted probabilities are still identified)."""
    if np.linalg.cond(matrix) < 1e12:
        return np.linalg.solve(matrix, vector)
    return np.linalg.lstsq(matrix, vector, rcond=None)[0]


def fit_logit(
    d: np.ndarray,
    design: np.ndarray,
    w: np.ndarray | None = None,
    *,
    penalty: float | np.ndarray = 0.0,
    max_iter: int = 100,
    tol: float = 1e-10,
) -> LogitFit:
    """Weighted logit of ``d`` on ``design`` by Newton steps halved until the likelihood rises.

    ``penalty`` adds ``1/2 sum_j penalty_j beta_j^2`` to the negative log-likelihood: a scalar
    penalises every coefficient but an intercept in column 0; an array gives one weight per
    column (0 = unpenalised). Stops after the step that brings half the Newton decrement below
    ``tol``. ``converged`` is False after ``max_iter`` steps and under ``separation`` (a linear
    predictor beyond ±30: some fitted probabilities are 0 or 1 to machine precision, and the
    likelihood has no finite maximum).
    """
    n, k = design.shape
    w = np.ones(n) if w is None else np.asarray(w, dtype=float)
    ridge = _penalty_vector(penalty, design)
    mean_d = float(np.sum(w * d) / np.sum(w))
    if not 0.0 < mean_d < 1.0:  # one group only: nothing to fit
        return LogitFit(
            np.full(n, mean_d), design, np.zeros(k), np.zeros((k, k)), 0, False, True, ridge
        )

    def loglik(beta: np.ndarray) -> float:
        eta = design @ beta
        return float(np.sum(w * (d * eta - np.logaddexp(0.0, eta))) - 0.5 * ridge @ beta**2)

    beta = np.zeros(k)
    if k and np.all(design[:, 0] == 1.0):
        beta[0] = np.log(mean_d / (1 - mean_d))
    current = loglik(beta)
    converged = False
    iterations = 0
    for iterations in range(1, max_iter + 1):  # noqa: B007
        p = expit(design @ beta)
        grad = design.T @ (w * (d - p)) - ridge * beta
        info = weighted_gram(design, w * p * (1 - p)) + np.diag(ridge)
        step = _solve(info, grad)
        if float(grad @ step) / 2 < tol:
            # Newton converges quadratically here: one last full step leaves the coefficients at
            # the maximum to machine precision rather than within sqrt(tol) of it
            beta = beta + step
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
        if np.max(np.abs(design @ beta)) > DIVERGED_LOGIT:
            break
    eta = design @ beta
    separation = bool(k and np.max(np.abs(eta)) > SEPARATION_LOGIT)
    converged = converged and not separation  # no finite maximum: nothing converged to
    p = expit(eta)
    info_inv = _inverse((weighted_gram(design, w * p * (1 - p)) + np.diag(ridge)) / n)
    return LogitFit(p, design, beta, info_inv, iterations, converged, separation, ridge)
