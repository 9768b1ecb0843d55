"""Sensitivity to unobserved confounding: E-values, and Cinelli & Hazlett's (2020) robustness
values and bounds benchmarked on an observed covariate.

The benchmarked bounds answer: how strong would an unobserved confounder have to be, as a
multiple of the strongest observed covariate (e.g. work history), to move the estimate or its
interval across zero or a goal's target? They are pure functions of the outcome regression's
estimate, SE and residual df and of the benchmark covariate's partial R² with the treatment and
with the outcome (Cinelli & Hazlett 2020, JRSS-B 82(1), section 4.4 and footnote 10; the
numbers of R ``sensemakr::ovb_bounds``).
"""

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


def _bound_r2(r2dxj_x: float, r2yxj_dx: float, kd: float, ky: float) -> tuple[float, float]:
    """(R²_{D~Z|X}, R²_{Y~Z|D,X}) of a confounder kd (treatment) and ky (outcome) times as strong
    as covariate Xj; R²_{Y~Z|D,X} capped at 1. Raises where kd is impossible (R² >= 1)."""
    r2dz_x = kd * r2dxj_x / (1 - r2dxj_x)
    r2zxj_xd = kd * r2dxj_x**2 / ((1 - kd * r2dxj_x) * (1 - r2dxj_x))
    if r2dz_x >= 1 or not 0 <= r2zxj_xd < 1:
        raise EstimationError(f"a confounder {kd:g} times as strong as the benchmark is impossible")
    r2yz_dx = ((math.sqrt(ky) + math.sqrt(r2zxj_xd)) / math.sqrt(1 - r2zxj_xd)) ** 2 * (
        r2yxj_dx / (1 - r2yxj_dx)
    )
    return r2dz_x, min(r2yz_dx, 1.0)


def ovb_bound(
    estimate: float,
    se: float,
    dof: float,
    r2dxj_x: float,
    r2yxj_dx: float,
    *,
    kd: float = 1.0,
    ky: float | None = None,
    target: float = 0.0,
    alpha: float = 0.05,
) -> dict[str, float]:
    """The estimate and interval adjusted for a confounder kd/ky times as strong as covariate Xj.

    ``r2dxj_x`` is Xj's partial R² with the treatment (given the other covariates), ``r2yxj_dx``
    its partial R² with the outcome (given the treatment and other covariates). The confounder's
    partial R²s follow C&H's bound; the bias ``se sqrt(dof) sqrt(R²yz R²dz / (1 - R²dz))`` moves
    the estimate towards ``target`` (0: towards zero), the SE becomes
    ``se sqrt((1 - R²yz)/(1 - R²dz)) sqrt(dof/(dof-1))`` and the interval uses t(dof).
    """
    ky = kd if ky is None else ky
    r2dz_x, r2yz_dx = _bound_r2(r2dxj_x, r2yxj_dx, kd, ky)
    bias = se * math.sqrt(dof) * math.sqrt(r2yz_dx * r2dz_x / (1 - r2dz_x))
    towards = 1.0 if estimate >= target else -1.0
    adjusted = estimate - towards * bias
    adjusted_se = se * math.sqrt((1 - r2yz_dx) / (1 - r2dz_x)) * math.sqrt(dof / (dof - 1))
    crit = float(stats.t.ppf(1 - alpha / 2, dof))
    return {
        "kd": float(kd),
        "ky": float(ky),
        "r2dz_x": r2dz_x,
        "r2yz_dx": r2yz_dx,
        "adjusted_estimate": adjusted,
        "adjusted_se": adjusted_se,
        "adjusted_t": adjusted / adjusted_se if adjusted_se > 0 else math.nan,
        "adjusted_ci_low": adjusted - crit * adjusted_se,
        "adjusted_ci_high": adjusted + crit * adjusted_se,
    }


def _largest_k(r2dxj_x: float) -> float:
    """The largest multiple kd of the benchmark a confounder can have (its R² stays below 1)."""
    # R²_{D~Z|X} = kd r/(1-r) < 1 and R²_{Z~Xj|X-j,D} < 1 both say kd < (1-r)/r
    return (1 - r2dxj_x) / r2dxj_x * (1 - 1e-9)


def benchmark_multiplier(
    estimate: float,
    se: float,
    dof: float,
    r2dxj_x: float,
    r2yxj_dx: float,
    *,
    target: float = 0.0,
    alpha: float | None = 0.05,
) -> float | None:
    """How many times as strong as the benchmark covariate (kd = ky = k) a confounder must be to
    bring the interval's bound nearest ``target`` to it (``alpha=None``: the point estimate).

    0 when it is there already; None when no possible confounder (R² < 1) gets it there.
    """
    side = 1.0 if estimate >= target else -1.0
    key = "adjusted_estimate"
    if alpha is not None:
        key = "adjusted_ci_low" if side > 0 else "adjusted_ci_high"

    def gap(k: float) -> float:
        if k == 0:
            if alpha is None:
                return side * (estimate - target)
            crit = float(stats.t.ppf(1 - alpha / 2, dof))
            return side * (estimate - side * crit * se - target)
        bound = ovb_bound(
            estimate, se, dof, r2dxj_x, r2yxj_dx, kd=k, target=target, alpha=alpha or 0.05
        )
        return side * (bound[key] - target)

    if gap(0.0) <= 0:
        return 0.0
    hi = _largest_k(r2dxj_x) if r2dxj_x > 0 else 1e6
    if gap(hi) > 0:
        return None
    lo = 0.0
    for _ in range(200):  # bisection: the gap shrinks as the confounder grows
        mid = (lo + hi) / 2
        if gap(mid) > 0:
            lo = mid
        else:
            hi = mid
        if hi - lo < 1e-10 * max(1.0, hi):
            break
    return hi


def benchmarked_sensitivity(
    estimate: float,
    se: float,
    dof: float,
    r2dxj_x: float,
    r2yxj_dx: float,
    *,
    benchmark: str = "benchmark",
    target: float = 0.0,
    alpha: float = 0.05,
    multiples: tuple[float, ...] = (1.0, 2.0, 3.0),
) -> dict[str, Any]:
    """Robustness of an outcome-regression estimate, benchmarked on covariate ``benchmark``.

    ``k_estimate`` / ``k_interval``: how many times as strong as the benchmark (in partial R² with
    treatment and outcome) a confounder must be to move the estimate / the interval's bound onto
    ``target`` (None: no possible confounder does; 0: it is there already). ``rv_q`` / ``rv_qa``:
    the robustness values (share of residual variance of both treatment and outcome) for the same
    move. ``bounds``: the adjusted estimate and interval at ``multiples`` of the benchmark.
    """
    t = estimate / se
    q = abs(estimate - target) / abs(estimate) if estimate else math.inf
    rv = robustness_value(t=t, dof=dof, q=q, alpha=alpha)
    bounds = []
    for k in multiples:
        try:
            bounds.append(
                ovb_bound(estimate, se, dof, r2dxj_x, r2yxj_dx, kd=k, target=target, alpha=alpha)
            )
        except EstimationError:
            continue
    return {
        "benchmark": benchmark,
        "target": float(target),
        "alpha": float(alpha),
        "r2dxj_x": float(r2dxj_x),
        "r2yxj_dx": float(r2yxj_dx),
        "k_estimate": benchmark_multiplier(
            estimate, se, dof, r2dxj_x, r2yxj_dx, target=target, alpha=None
        ),
        "k_interval": benchmark_multiplier(
            estimate, se, dof, r2dxj_x, r2yxj_dx, target=target, alpha=alpha
        ),
        "rv_q": rv["rv_q"],
        "rv_qa": rv["rv_qa"],
        "bounds": bounds,
    }


__all__ = [
    "benchmark_multiplier",
    "benchmarked_sensitivity",
    "ovb_bound",
    "e_value",
    "e_value_for_difference",
    "robustness_value",
    "rr_from_proportions",
    "rr_from_smd",
]
