"""Sant'Anna & Zhao (2020) panel 2×2 DiD estimators (reg, normalised ipw, dr) with influence functions.

Vectorised over several outcome changes at once: one treated/control split with fixed covariates
serves many (g, t) cells, so the logit and the control-group design are fitted once and every cell
is a column of array operations. Formulas follow R ``DRDID::reg_did_panel``,
``std_ipw_did_panel`` and ``drdid_panel`` (with their propensity trimming at 0.995), so that
``cs_did`` reproduces R ``did::att_gt``. The propensity score is the one logit fitter's
(``logit.fit_logit``, re-exported here for ``cs_did``).
"""

from __future__ import annotations

import numpy as np

from evalkit.estimators.logit import LogitFit, fit_logit

__all__ = ["METHODS", "OVERLAP_LIMIT", "TRIM_LEVEL", "att_2x2", "design_ok", "fit_logit"]

METHODS = ("reg", "ipw", "dr")
TRIM_LEVEL = 0.995
#: R ``did`` refuses a cell whose preliminary propensity score reaches this value (no overlap).
OVERLAP_LIMIT = 0.999


def design_ok(x: np.ndarray, w: np.ndarray) -> bool:
    """Whether the weighted design X'WX is well conditioned (R ``did`` NAs the cell otherwise)."""
    if x.shape[0] < x.shape[1]:
        return False
    if x.shape[1] == 1:
        return bool(np.sum(w * x[:, 0] ** 2) > 0)
    xtx = (x * w[:, None]).T @ x
    return bool(np.linalg.cond(xtx) < 1.0 / np.finfo(float).eps)


def _ols_control(dy: np.ndarray, x: np.ndarray, w_ols: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Weighted OLS of each column of dy on x among controls: (fitted values, (X'WX/n)^-1)."""
    n = x.shape[0]
    xw = x * w_ols[:, None]
    xtx_inv = np.linalg.inv(xw.T @ x / n)
    beta = xtx_inv @ (xw.T @ dy) / n
    return x @ beta, xtx_inv


def att_2x2(
    dy: np.ndarray,
    d: np.ndarray,
    x: np.ndarray,
    w: np.ndarray,
    method: str,
    logit: LogitFit | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """ATT of k outcome changes ``dy`` (n1×k) for treated ``d`` vs controls; returns (att (k,), IF (n1×k)).

    ``x`` holds the intercept and covariates; ``w`` are unit weights. The influence function is
    on the scale of this subsample (att − truth ≈ mean of IF).
    """
    n = len(d)
    d = d.astype(float)
    w = w / w.mean()
    if method == "reg":
        return _reg(dy, d, x, w, n)
    if logit is None:
        logit = fit_logit(d, x, w)
    ps = np.minimum(logit.p, 1 - 1e-6)
    trim = np.where(d == 1, ps < 1.01, ps < TRIM_LEVEL).astype(float)
    w_treat = trim * w * d
    w_cont = trim * w * ps * (1 - d) / (1 - ps)
    score = (w * (d - ps))[:, None] * x
    asy_ps = score @ logit.h_inv  # n1×p
    if method == "ipw":
        eta_t = (w_treat @ dy) / w_treat.sum()
        eta_c = (w_cont @ dy) / w_cont.sum()
        inf_treat = w_treat[:, None] * (dy - eta_t) / w_treat.mean()
        r_c = w_cont[:, None] * (dy - eta_c)
        m2 = x.T @ r_c / n  # p×k
        inf_cont = (r_c + asy_ps @ m2) / w_cont.mean()
        return eta_t - eta_c, inf_treat - inf_cont
    if method != "dr":
        raise ValueError(f"unknown method '{method}'; use one of {', '.join(METHODS)}")
    w_ols = w * (1 - d)
    fitted, xtx_inv = _ols_control(dy, x, w_ols)
    resid = dy - fitted
    eta_t = (w_treat @ resid) / w_treat.sum()
    eta_c = (w_cont @ resid) / w_cont.sum()
    m1 = (w_treat @ x) / n
    h1 = w_ols * (x @ (xtx_inv @ m1))
    inf_treat = (w_treat[:, None] * (resid - eta_t) - h1[:, None] * resid) / w_treat.mean()
    r_c = w_cont[:, None] * (resid - eta_c)
    m2 = x.T @ r_c / n
    m3 = (w_cont @ x) / n
    h3 = w_ols * (x @ (xtx_inv @ m3))
    inf_cont = (r_c + asy_ps @ m2 - h3[:, None] * resid) / w_cont.mean()
    return eta_t - eta_c, inf_treat - inf_cont


def _reg(
    dy: np.ndarray, d: np.ndarray, x: np.ndarray, w: np.ndarray, n: int
) -> tuple[np.ndarray, np.ndarray]:
    """Outcome-regression DiD (Heckman, Ichimura & Todd 1997) as in ``DRDID::reg_did_panel``."""
    w_ols = w * (1 - d)
    fitted, xtx_inv = _ols_control(dy, x, w_ols)
    w_t = w * d
    eta_t = (w_t @ dy) / w_t.sum()
    eta_c = (w_t @ fitted) / w_t.sum()
    inf_treat = w_t[:, None] * (dy - eta_t) / w_t.mean()
    m1 = (w_t @ x) / n
    h1 = w_ols * (x @ (xtx_inv @ m1))
    inf_cont = (w_t[:, None] * (fitted - eta_c) + h1[:, None] * (dy - fitted)) / w_t.mean()
    return eta_t - eta_c, inf_treat - inf_cont
