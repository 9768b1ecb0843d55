"""Sensitivity to unobserved confounding: E-values and the Cinelli–Hazlett robustness value."""

from __future__ import annotations

import math
from typing import Any

from scipy import stats

from evalkit.errors import EstimationError

#: VanderWeele & Ding (2017): a standardised mean difference d corresponds to RR ≈ exp(0.91 d).
SMD_TO_LOG_RR = 0.91


def _e(rr: float) -> float:
    """E-value of a risk ratio on the harmful side (rr >= 1): rr + sqrt(rr (rr - 1))."""
    return rr + math.sqrt(rr * (rr - 1.0))


def e_value(rr: float, lo: float | None = None, hi: float | None = None) -> dict[str, float | None]:
    """E-values of a risk ratio and of its CI bound nearest 1 (VanderWeele & Ding 2017, Ann Intern Med).

    For RR < 1 the inverse is used. The CI E-value is 1 when the interval includes 1, and None
    when no bound is given. Returns ``{"e_value": ..., "e_value_ci": ...}``.
    """
    if rr is None or not math.isfinite(rr) or rr <= 0:
        raise EstimationError(f"a risk ratio must be positive and finite, got {rr}")
    point = _e(rr if rr >= 1 else 1.0 / rr)
    ci: float | None = None
    if rr >= 1 and lo is not None:
        ci = 1.0 if lo <= 1 else _e(lo)
    elif rr < 1 and hi is not None:
        ci = 1.0 if hi >= 1 else _e(1.0 / hi)
    return {"e_value": point, "e_value_ci": ci}


def rr_from_proportions(p_treated: float, difference: float) -> float | None:
    """Risk ratio implied by a difference in proportions: p1 / (p1 - difference).

    Infinite when p1 - difference <= 0 < p1 (the difference removes every untreated event);
    None when the treated proportion is not positive.
    """
    if p_treated <= 0:
        return None
    p0 = p_treated - difference
    return math.inf if p0 <= 0 else p_treated / p0


def rr_from_smd(d: float) -> float:
    """Approximate risk ratio of a standardised mean difference: exp(0.91 d) (VanderWeele & Ding)."""
    return math.exp(SMD_TO_LOG_RR * d)


def e_value_for_difference(
    estimate: float,
    ci_low: float | None,
    ci_high: float | None,
    *,
    binary: bool,
    treated_mean: float | None = None,
    outcome_sd: float | None = None,
) -> dict[str, Any]:
    """E-values of an ATT on the outcome scale, via a risk ratio (binary) or an SMD (continuous).

    Binary outcomes: RR = p1/(p1 - ATT) with p1 the treated mean, and likewise at the CI bounds.
    Continuous outcomes: d = ATT / ``outcome_sd`` and RR ≈ exp(0.91 d) (VanderWeele & Ding 2017).
    """
    if binary:
        if treated_mean is None:
            raise EstimationError("E-value of a binary outcome needs the treated mean")

        def to_rr(x: float | None) -> float | None:
            return None if x is None else rr_from_proportions(treated_mean, x)

        method = "risk ratio from difference in proportions"
    else:
        if not outcome_sd or outcome_sd <= 0:
            raise EstimationError("E-value of a continuous outcome needs a positive outcome SD")

        def to_rr(x: float | None) -> float | None:
            return None if x is None else rr_from_smd(x / outcome_sd)

        method = "risk ratio exp(0.91 d) from standardised mean difference"
    rr = to_rr(estimate)
    if rr is None or not math.isfinite(rr):
        return {"e_value": None, "e_value_ci": None, "rr": None, "method": method}
    out = e_value(rr, lo=to_rr(ci_low), hi=to_rr(ci_high))
    return {**out, "rr": rr, "method": method}


def robustness_value(
    result: Any = None,
    *,
    t: float | None = None,
    dof: float | None = None,
    q: float = 1.0,
    alpha: float = 0.05,
) -> dict[str, float]:
    """Cinelli & Hazlett (2020, JRSS-B 82) robustness values RV_q and RV_{q,alpha}.

    From a ``regression`` result (its ``details["t_ols"]`` or ``["t"]`` and ``["dof"]``) or
    from ``t`` and ``dof``. With f_q = q|t|/sqrt(dof) and f* = |t_{alpha/2, dof-1}|/sqrt(dof-1):
    RV_q = (sqrt(f_q^4 + 4 f_q^2) - f_q^2)/2; RV_{q,alpha} is the same in f_q - f*, 0 when
    f_q <= f*, and (f_q^2 - f*^2)/(1 + f_q^2) when f_q > 1/f*. The share of residual variance of
    both treatment and outcome that a confounder must explain to cut the estimate by 100q%
    (RV_q) or to make it insignificant at alpha (RV_{q,alpha}).
    """
    if result is not None:
        details = getattr(result, "details", None) or {}
        t = details.get("t_ols", details.get("t")) if t is None else t
        dof = details.get("dof") if dof is None else dof
    if t is None or dof is None or not math.isfinite(t) or dof <= 1:
        raise EstimationError("robustness value needs a t-statistic and residual df (> 1)")
    if q <= 0 or not 0 < alpha < 1:
        raise EstimationError(f"need q > 0 and 0 < alpha < 1, got q={q}, alpha={alpha}")

    def rv(f: float) -> float:
        return 0.5 * (math.sqrt(f**4 + 4 * f**2) - f**2)

    fq = q * abs(t) / math.sqrt(dof)
    f_crit = abs(stats.t.ppf(alpha / 2, dof - 1)) / math.sqrt(dof - 1)
    fqa = fq - f_crit
    if fqa <= 0:
        rv_qa = 0.0
    elif fq > 1 / f_crit:
        rv_qa = (fq**2 - f_crit**2) / (1 + fq**2)
    else:
        rv_qa = rv(fqa)
    return {
        "rv_q": rv(fq),
        "rv_qa": float(rv_qa),
        "t": float(t),
        "dof": float(dof),
        "q": float(q),
        "alpha": float(alpha),
        "partial_r2": float(t**2 / (t**2 + dof)),
    }


__all__ = [
    "e_value",
    "e_value_for_difference",
    "robustness_value",
    "rr_from_proportions",
    "rr_from_smd",
]
