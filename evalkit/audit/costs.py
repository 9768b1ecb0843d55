"""Costs and savings per perspective: what a measure costs against what it saves, with intervals.

Definitions (quoted by the report's method appendix):

- **Cost per participant.** From the ``costs`` table: the sum of ``cost_sek`` over the measure's
  months within the intake window (when the results name it; else all months) divided by the
  number of participants who started in it (the follow-up's count; the caller may pass
  another). This assumes a steady flow: costs of earlier starters inside the window balance the
  costs of the window's starters after it. Better, when the caller knows them: the cost per
  participant-month (all participant-months in those months) times the mean months one
  participant spends in the measure. *Gross* is all cost; *net* subtracts
  ``external_funding_sek`` (e.g. ESF or Arbetsförmedlingen money), so net is the municipality's
  own outlay. Without a ``costs`` table: the price per participant-month (params or
  ``measures.cost_per_participant_month_sek``) times the mean months in the measure; external
  funding is then unknown and gross = net. Costs are book figures counted at the start: no
  interval, not discounted.
- **Over the horizon** (``results.horizon``, ``audit.horizon``): the effects on assistance and
  on work or studies month by month after start, on the same persons with one score, give every
  total below as a linear combination of the monthly path with its own influence function, so
  each has an exact interval and any two have their covariance. Month k is discounted by
  ``(1 + r) ** (-k / 12)`` (``costs.discount_rate``, default 3.5 % real per year, ASEK).
- **The municipality** (``municipality``): own (net) cost − assistance saved over months
  1..H (discounted), per participant, with an interval. Also, undiscounted, over 12 and 24
  months from the headline effects on ``assistance_sek_<h>m`` (``net_saving``, used by goals,
  is the longest of them). **Break-even**: the first month whose discounted cumulative savings
  reach the own cost; its interval inverts the pointwise tests of the cumulative savings path
  (the first month whose upper bound reaches the cost, the first whose lower bound does), or
  "not within the horizon". Never extrapolated. Without a monthly path: linear through the 12-
  and 24-month savings.
- **The public sector** (``public_finance``): gross cost (external funding is public money too)
  − assistance saved − tax revenue from the extra months in work along the monthly path: each
  extra month in work or studies × ``work_share`` (studies pay no tax) × ``monthly_wage_sek`` ×
  (``income_tax_rate`` + ``employer_contribution_rate``), discounted. Its interval uses the
  covariance of savings and work months. The assumptions are listed in ``assumptions``.
- **Cost per extra month in work or studies** (``cost_per_extra_month_in_work``): the
  municipality's discounted net cost over the horizon ÷ the discounted extra months in work or
  studies; **per extra person** (``net_cost_per_additional``): the same net cost ÷ the effect on
  being in work or studies in month H. Both with Fieller's interval using the covariance of
  numerator and denominator (``covariance: influence_function``). ``cost_per_additional`` is the
  own cost ÷ the effect on ``work_or_study_12m`` (goals read it). A ratio is **not defined**
  when the effect is not above zero, and its interval is **unbounded** when the effect's
  interval includes zero; ``reason`` says which: ``effect_negative`` (the effect is clearly
  below zero) or ``effect_indistinguishable_from_zero``.
"""

from __future__ import annotations

import math
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.data.months import month_number, month_numbers
from evalkit.errors import DataError, MissingColumnError
from evalkit.params import CostAssumptions
from evalkit.results import (
    BreakEven,
    CostPerParticipant,
    CostRatio,
    Costs,
    EffectInterval,
    Estimate,
    Functionals,
    Interval,
    MeasureResults,
    MunicipalityView,
    PathPoint,
    PublicFinanceView,
    PublicNetCost,
    TaxRevenue,
)

HORIZONS = (12, 24)

#: The assumptions of the public-sector view (params ``costs:``; defaults documented there).
PublicFinanceAssumptions = CostAssumptions


# --- cost per participant --------------------------------------------------------------------


def cost_per_participant(
    *,
    n_participants: float | None,
    costs: pd.DataFrame | None = None,
    measure_id: str | None = None,
    months: tuple[str, str] | None = None,
    price_per_month_sek: float | None = None,
    mean_months_in_measure: float | None = None,
    participant_months: float | None = None,
) -> CostPerParticipant:
    """Gross, external and net cost per participant, from the costs table or a monthly price.

    With ``participant_months`` (all participants' months in the measure within the costs'
    months) and ``mean_months_in_measure``, the table's cost per participant-month is scaled to
    one participant's stay, which avoids mixing participants outside the intake into the count.
    """
    n = float(n_participants) if n_participants is not None else None
    pm = float(participant_months) if participant_months is not None else None
    months_in = float(mean_months_in_measure) if mean_months_in_measure is not None else None
    if costs is not None and measure_id is not None:
        missing = [c for c in ("measure_id", "month", "cost_sek") if c not in costs.columns]
        if missing:
            raise MissingColumnError("costs table lacks a column", table="costs", column=missing[0])
        rows = costs[costs["measure_id"].astype("string") == str(measure_id)]
        if months is not None:
            month = month_numbers(rows["month"])
            lo, hi = (month_number(m) for m in months)
            rows = rows[(month >= lo) & (month <= hi)]
        if len(rows):
            cost = pd.to_numeric(rows["cost_sek"], errors="coerce")
            ext = (
                pd.to_numeric(rows["external_funding_sek"], errors="coerce").fillna(0.0)
                if "external_funding_sek" in rows.columns
                else pd.Series(0.0, index=rows.index)
            )
            if cost.isna().any() or (cost < 0).any() or (ext < 0).any():
                bad = int(cost.isna().sum() + (cost < 0).sum() + (ext < 0).sum())
                raise DataError(
                    "cost amounts must be non-negative numbers",
                    table="costs",
                    column="cost_sek",
                    rule="non_negative",
                    count=bad,
                )
            gross, external = float(cost.sum()), float(ext.sum())
            if pm and pm > 0 and months_in is not None:
                scale = months_in / pm
                return CostPerParticipant(
                    **{
                        "available": True,
                        "reason": None,
                        "source": "costs_table_per_month",
                        "n_participants": int(n) if n else None,
                        "months": int(len(rows)),
                        "total_gross": gross,
                        "total_external_funding": external,
                        "participant_months": pm,
                        "mean_months_in_measure": months_in,
                        "gross": gross * scale,
                        "external_funding": external * scale,
                        "net": (gross - external) * scale,
                        "external_funding_known": True,
                    }
                )
            if not n or n <= 0:
                return CostPerParticipant(reason="no_participants", source="costs_table")
            return CostPerParticipant(
                **{
                    "available": True,
                    "reason": None,
                    "source": "costs_table",
                    "n_participants": int(n),
                    "months": int(len(rows)),
                    "total_gross": gross,
                    "total_external_funding": external,
                    "gross": gross / n,
                    "external_funding": external / n,
                    "net": (gross - external) / n,
                    "external_funding_known": True,
                }
            )
    price = float(price_per_month_sek) if price_per_month_sek is not None else None
    if price is not None and months_in is not None:
        if price < 0 or months_in < 0:
            raise DataError(
                "price per participant-month and months in the measure must be non-negative",
                table="measures",
                column="cost_per_participant_month_sek",
                rule="non_negative",
            )
        per = price * months_in
        return CostPerParticipant(
            **{
                "available": True,
                "reason": None,
                "source": "price_per_month",
                "n_participants": int(n) if n else None,
                "price_per_month": price,
                "mean_months_in_measure": months_in,
                "gross": per,
                "external_funding": None,
                "net": per,
                "external_funding_known": False,
            }
        )
    return CostPerParticipant(reason="no_cost_data")


# --- ratios ----------------------------------------------------------------------------------


def fieller_ratio(
    num: float,
    se_num: float,
    den: float,
    se_den: float,
    *,
    cov: float = 0.0,
    level: float = 0.95,
) -> CostRatio:
    """Fieller's interval for ``num / den``: bounded only when ``den`` is clearly non-zero.

    Solves ``(num - t*den)^2 <= z^2 (var_num - 2 t cov + t^2 var_den)`` for ``t``; when
    ``den^2 <= z^2 var_den`` (the denominator's interval includes zero) the set is unbounded.
    """
    z = float(stats.norm.ppf(0.5 + level / 2))
    estimate = num / den if den != 0 else None
    a = den**2 - z**2 * se_den**2
    b = num * den - z**2 * cov
    c = num**2 - z**2 * se_num**2
    if a <= 0:
        return CostRatio(estimate=estimate, bounded=False, method="fieller")
    disc = max(b**2 - a * c, 0.0)
    lo, hi = (b - math.sqrt(disc)) / a, (b + math.sqrt(disc)) / a
    return CostRatio(estimate=estimate, ci_low=lo, ci_high=hi, bounded=True, method="fieller")


def covariance_from_influence(a: Any, b: Any) -> float | None:
    """Covariance of two estimates from their influence functions on the same units, else None.

    With ``se = sqrt(sum(if**2)) / n`` (the EffectResult convention), ``cov = sum(if_a*if_b) / n**2``.
    """
    ia, ib = getattr(a, "influence", None), getattr(b, "influence", None)
    if ia is None or ib is None or len(ia) != len(ib) or len(ia) == 0:
        return None
    ia, ib = np.asarray(ia, dtype=float), np.asarray(ib, dtype=float)
    return float(np.sum(ia * ib) / len(ia) ** 2)


def effect_reason(
    estimate: float | None, ci_low: float | None, ci_high: float | None
) -> str | None:
    """Why an effect gives no (bounded) cost per extra unit: ``effect_negative`` when its interval
    lies below zero, ``effect_indistinguishable_from_zero`` when it includes zero, else None."""
    if estimate is None:
        return "data_missing"
    if ci_high is not None and ci_high < 0:
        return "effect_negative"
    if ci_low is None or ci_high is None or ci_low <= 0 <= ci_high:
        return "effect_indistinguishable_from_zero"
    return None if estimate > 0 else "effect_negative"


def ratio_of(
    num: float | None,
    var_num: float,
    den: float | None,
    var_den: float,
    *,
    cov: float = 0.0,
    level: float = 0.95,
    **fields: Any,
) -> CostRatio:
    """``num / den`` with Fieller's interval and the reason when it is undefined or unbounded.

    Undefined (``defined: false``) when the denominator (an effect) is not above zero; unbounded
    when its interval includes zero.
    """
    base = {"method": "fieller", **fields}
    if num is None or den is None:
        return CostRatio(**base, defined=False, bounded=False, reason="data_missing")
    z = float(stats.norm.ppf(0.5 + level / 2))
    se_den = math.sqrt(max(var_den, 0.0))
    reason = effect_reason(den, den - z * se_den, den + z * se_den)
    if den <= 0:
        return CostRatio(**base, defined=False, bounded=False, reason=reason)
    ratio = fieller_ratio(num, math.sqrt(max(var_num, 0.0)), den, se_den, cov=cov, level=level)
    reason = None if ratio.bounded else "effect_indistinguishable_from_zero"
    return ratio.model_copy(
        update={**base, "defined": True, "reason": reason, "pays_for_itself": bool(num < 0)}
    )


def cost_per_additional(
    cost: float | None,
    effect: Estimate | None,
    *,
    se_cost: float = 0.0,
    cov: float = 0.0,
    level: float = 0.95,
) -> CostRatio:
    """Cost per additional person in work or studies: ``cost / effect`` with Fieller's interval."""
    base = {
        "estimator": effect.estimator if effect else None,
        "n_treated": effect.n_treated if effect else None,
    }
    est = effect.estimate if effect else None
    se = effect.se if effect else None
    if effect is not None and est is not None and (se is None or se <= 0):
        lo, hi = effect.ci_low, effect.ci_high
        z = float(stats.norm.ppf(0.5 + level / 2))
        se = (hi - lo) / (2 * z) if lo is not None and hi is not None else math.inf
    out = ratio_of(cost, se_cost**2, est, (se or 0.0) ** 2, cov=cov, level=level, **base)
    return out.model_copy(update={"pays_for_itself": None})


# --- savings and break-even ------------------------------------------------------------------


def _mirror(entry: Interval) -> tuple[float | None, float | None, float | None]:
    """Minus an interval: (−estimate, −ci_high, −ci_low)."""
    neg = [None if v is None else -v for v in (entry.estimate, entry.ci_high, entry.ci_low)]
    return neg[0], neg[1], neg[2]


def savings(results: MeasureResults, horizon: int) -> EffectInterval | None:
    """Assistance saved per participant over ``horizon`` months: minus the headline effect."""
    entry = results.headline_estimate(f"assistance_sek_{horizon}m")
    if entry is None or entry.estimate is None:
        return None
    est, lo, hi = _mirror(entry)
    return EffectInterval(
        estimate=est,
        ci_low=lo,
        ci_high=hi,
        se=entry.se,
        estimator=entry.estimator,
        n_treated=entry.n_treated,
        horizon_months=horizon,
    )


def monthly_savings_path(results: MeasureResults) -> dict[str, Any] | None:
    """Monthly savings (estimate, low, high) for months 1.. from the leading path of effects on
    ``assistance_sek`` (``MeasureResults.headline_path``)."""
    months = results.headline_path("assistance_sek")
    if not months:
        return None

    def bound(e: Estimate, value: float | None) -> float:
        return -(value if value is not None else e.estimate)

    return {
        "estimator": months[0].estimator,
        "estimate": [-e.estimate for e in months],
        "low": [bound(e, e.ci_high) for e in months],
        "high": [bound(e, e.ci_low) for e in months],
    }


def _cumulative_interpolated(points: dict[int, float], horizon: int) -> list[float]:
    """Cumulative savings for months 1..horizon, linear through (0, 0) and the given totals."""
    xs = [0, *sorted(points)]
    ys = [0.0, *(points[k] for k in sorted(points))]
    return [float(np.interp(m, xs, ys)) for m in range(1, horizon + 1)]


def _first_month(cumulative: list[float], cost: float) -> int | None:
    """First month whose cumulative savings reach the cost, or None."""
    if cost <= 0:
        return 0
    for m, value in enumerate(cumulative, start=1):
        if value >= cost:
            return m
    return None


def break_even(results: MeasureResults, cost: float | None) -> BreakEven:
    """Months until assistance savings repay the own cost per participant (see module docstring)."""
    if cost is None:
        return BreakEven(reason="no_cost_data")
    path = monthly_savings_path(results)
    if path is not None:
        cums = {k: list(np.cumsum(path[k])) for k in ("estimate", "low", "high")}
        horizon, method = len(path["estimate"]), "path"
    else:
        totals = {h: savings(results, h) for h in HORIZONS}
        totals = {h: s for h, s in totals.items() if s is not None}
        if not totals:
            return BreakEven(reason="no_savings_estimate")
        horizon, method = max(totals), "interpolated"
        cums = {}
        for key, field in (("estimate", "estimate"), ("low", "ci_low"), ("high", "ci_high")):
            pts = {
                h: getattr(s, field) if getattr(s, field) is not None else s.estimate
                for h, s in totals.items()
            }
            cums[key] = _cumulative_interpolated(pts, horizon)
    months = _first_month(cums["estimate"], cost)
    return BreakEven(
        months=months,
        months_optimistic=_first_month(cums["high"], cost),
        months_pessimistic=_first_month(cums["low"], cost),
        within_horizon=months is not None,
        horizon_months=horizon,
        method=method,
        reason=None if months is not None else "not_within_horizon",
    )


# --- the views -------------------------------------------------------------------------------


def _minus(cost: float, saving: EffectInterval) -> EffectInterval:
    """Net cost = cost − savings, interval mirrored."""
    return EffectInterval(
        estimate=cost - saving.estimate,
        ci_low=cost - saving.ci_high if saving.ci_high is not None else None,
        ci_high=cost - saving.ci_low if saving.ci_low is not None else None,
        se=saving.se,
        estimator=saving.estimator,
        n_treated=saving.n_treated,
        horizon_months=saving.horizon_months,
    )


def _negate(entry: EffectInterval) -> EffectInterval:
    """Net saving = − net cost."""
    est, lo, hi = _mirror(entry)
    return entry.model_copy(update={"estimate": est, "ci_low": lo, "ci_high": hi})


def _normal(estimate: float, variance: float, level: float) -> dict[str, float | None]:
    """Estimate, SE and normal interval."""
    se = math.sqrt(variance) if variance > 0 else 0.0
    z = float(stats.norm.ppf(0.5 + level / 2))
    return {
        "estimate": estimate,
        "se": se,
        "ci_low": estimate - z * se,
        "ci_high": estimate + z * se,
    }


def horizon_savings(
    f: Functionals, *, discounted: bool = True, level: float = 0.95
) -> EffectInterval:
    """Assistance saved per participant over the functionals' horizon."""
    name = "savings_discounted" if discounted else "savings"
    numbers = _normal(f.estimate(name), f.cov(name, name), level)
    return EffectInterval(
        **numbers, estimator="aipw", n_treated=f.n_treated, horizon_months=f.horizon_months
    )


def break_even_on_path(points: list[PathPoint], cost: float) -> BreakEven:
    """Break-even on the discounted cumulative savings path, with the inverted-test interval."""
    horizon = len(points)
    if cost <= 0:
        return BreakEven(
            months=0,
            months_optimistic=0,
            months_pessimistic=0,
            within_horizon=True,
            horizon_months=horizon,
            method="path_influence",
            discounted=True,
        )

    def first(values: list[float | None]) -> int | None:
        return next((m for m, v in enumerate(values, start=1) if v is not None and v >= cost), None)

    months = first([p.estimate for p in points])
    return BreakEven(
        months=months,
        months_optimistic=first([p.ci_high for p in points]),
        months_pessimistic=first([p.ci_low for p in points]),
        within_horizon=months is not None,
        horizon_months=horizon,
        method="path_influence",
        reason=None if months is not None else "not_within_horizon",
        discounted=True,
    )


def municipality_view(
    results: MeasureResults, own_cost: float | None, *, level: float = 0.95
) -> MunicipalityView:
    """Own cost against assistance savings: over the horizon (discounted) and at 12 and 24
    months (undiscounted), with break-even."""
    out: dict[str, Any] = {"cost": own_cost}
    longest = None
    for h in HORIZONS:
        saving = savings(results, h)
        if saving is None or own_cost is None:
            out[f"net_cost_{h}m"] = out[f"net_saving_{h}m"] = None
            continue
        out[f"net_cost_{h}m"] = _minus(own_cost, saving)
        out[f"net_saving_{h}m"] = _negate(out[f"net_cost_{h}m"])
        longest = h
    out["net_saving"] = out[f"net_saving_{longest}m"] if longest else None
    horizon = results.horizon
    f = horizon.functionals_at() if horizon is not None else None
    if f is not None:
        out["savings"] = horizon_savings(f, level=level)
        if own_cost is not None:
            out["net_cost"] = _minus(own_cost, out["savings"])
    if own_cost is None:
        out["break_even"] = BreakEven(reason="no_cost_data")
    elif horizon is not None and horizon.savings_cumulative:
        out["break_even"] = break_even_on_path(horizon.savings_cumulative, own_cost)
    else:
        out["break_even"] = break_even(results, own_cost)
    return MunicipalityView(**out)


def _tax_and_net(
    f: Functionals,
    gross_cost: float,
    assumptions: CostAssumptions,
    *,
    discounted: bool,
    level: float,
) -> tuple[TaxRevenue, PublicNetCost]:
    """Tax revenue from the extra months in work along the path, and the public net cost
    (gross − savings − tax) with the covariance of savings and work months."""
    k = assumptions.revenue_per_work_month_sek * assumptions.work_share
    s, w = (
        ("savings_discounted", "work_months_discounted")
        if discounted
        else ("savings", "work_months")
    )
    tax = _normal(k * f.estimate(w), k**2 * f.cov(w, w), level)
    net_est = gross_cost - f.estimate(s) - k * f.estimate(w)
    net_var = f.cov(s, s) + k**2 * f.cov(w, w) + 2 * k * f.cov(s, w)
    net = _normal(net_est, net_var, level)
    return (
        TaxRevenue(
            estimate=tax["estimate"], ci_low=tax["ci_low"], ci_high=tax["ci_high"], estimator="aipw"
        ),
        PublicNetCost(
            estimate=net["estimate"],
            ci_low=net["ci_low"],
            ci_high=net["ci_high"],
            interval="influence_function",
            horizon_months=f.horizon_months,
        ),
    )


def public_finance_view(
    results: MeasureResults,
    gross_cost: float | None,
    assumptions: CostAssumptions,
    *,
    level: float = 0.95,
) -> PublicFinanceView:
    """Gross cost against assistance saved plus tax revenue along the monthly path."""
    out: dict[str, Any] = {"cost": gross_cost, "assumptions": assumption_values(assumptions)}
    horizon = results.horizon
    if gross_cost is None or horizon is None:
        return PublicFinanceView(**out)
    for h in HORIZONS:
        f = horizon.functionals_at(h)
        if f is not None:
            out[f"tax_revenue_{h}m"], out[f"net_cost_{h}m"] = _tax_and_net(
                f, gross_cost, assumptions, discounted=False, level=level
            )
    f = horizon.functionals_at()
    if f is not None:
        out["tax_revenue"], out["net_cost"] = _tax_and_net(
            f, gross_cost, assumptions, discounted=True, level=level
        )
    return PublicFinanceView(**out)


def assumption_values(assumptions: CostAssumptions) -> dict[str, float]:
    """The assumptions as recorded in the results (with the revenue per month they imply)."""
    return {
        **assumptions.model_dump(),
        "revenue_per_work_month_sek": assumptions.revenue_per_work_month_sek,
    }


def horizon_ratios(
    results: MeasureResults, own_cost: float | None, *, level: float = 0.95
) -> tuple[CostRatio | None, CostRatio | None]:
    """The municipality's discounted net cost over the horizon per extra month in work or
    studies (discounted) and per extra person in work or studies in the horizon's last month,
    with Fieller's intervals using the influence functions' covariance."""
    horizon = results.horizon
    f = horizon.functionals_at() if horizon is not None else None
    if f is None or own_cost is None:
        return None, None
    s = "savings_discounted"
    num = own_cost - f.estimate(s)
    out = []
    for den in ("work_months_discounted", "work_share_at_end"):
        cov = -f.cov(s, den)
        var_n, var_d = f.cov(s, s), f.cov(den, den)
        corr = cov / math.sqrt(var_n * var_d) if var_n > 0 and var_d > 0 else None
        out.append(
            ratio_of(
                num,
                var_n,
                f.estimate(den),
                var_d,
                cov=cov,
                level=level,
                estimator="aipw",
                n_treated=f.n_treated,
                covariance="influence_function",
                horizon_months=f.horizon_months,
                correlation=corr,
            )
        )
    return out[0], out[1]


def cost_summary(
    results: MeasureResults,
    *,
    costs: pd.DataFrame | None = None,
    n_participants: float | None = None,
    months: tuple[str, str] | None = None,
    price_per_month_sek: float | None = None,
    mean_months_in_measure: float | None = None,
    participant_months: float | None = None,
    assumptions: CostAssumptions | None = None,
    level: float = 0.95,
) -> Costs:
    """Everything the report's cost section shows (``results.costs``)."""
    assumptions = assumptions or CostAssumptions()
    if n_participants is None:
        n_participants = results.n_participants()
    if months is None:
        months = results.intake()
    per = cost_per_participant(
        n_participants=n_participants,
        costs=costs,
        measure_id=results.measure_id,
        months=months,
        price_per_month_sek=price_per_month_sek,
        mean_months_in_measure=mean_months_in_measure,
        participant_months=participant_months,
    )
    own = per.net if per.available else None
    gross = per.gross if per.available else None
    per_month, per_person = horizon_ratios(results, own, level=level)
    horizon = results.horizon
    return Costs(
        available=per.available,
        reason=per.reason,
        level=level,
        n_participants=per.n_participants,
        cost_per_participant=per,
        savings={f"{h}m": savings(results, h) for h in HORIZONS},
        municipality=municipality_view(results, own, level=level),
        cost_per_additional=cost_per_additional(
            own, results.headline_estimate("work_or_study_12m"), level=level
        ),
        net_cost_per_additional=per_person,
        public_finance=public_finance_view(results, gross, assumptions, level=level),
        horizon_months=horizon.months if horizon is not None else None,
        discount_rate=assumptions.discount_rate,
        assumptions=assumption_values(assumptions),
        cost_per_extra_month_in_work=per_month,
    )


#: Rows of the cost table over the horizon: (item, view, where in ``Costs``).
_HORIZON_ROWS = (
    ("savings", "municipality", ("municipality", "savings")),
    ("net_cost", "municipality", ("municipality", "net_cost")),
    ("tax_revenue", "public_finance", ("public_finance", "tax_revenue")),
    ("net_cost", "public_finance", ("public_finance", "net_cost")),
    ("cost_per_extra_month_in_work", "municipality", ("cost_per_extra_month_in_work",)),
    ("net_cost_per_additional", "municipality", ("net_cost_per_additional",)),
    ("cost_per_additional", "municipality", ("cost_per_additional",)),
)


def _at(summary: Costs, path: tuple[str, ...]) -> Any:
    value: Any = summary
    for key in path:
        value = getattr(value, key, None) if value is not None else None
    return value


def cost_table(summary: Costs) -> pd.DataFrame:
    """The cost summary as rows ``item, view, months, estimate, ci_low, ci_high, note``.

    ``months`` is the horizon of a total or ratio (None for book costs); ``note`` carries the
    reason code of a ratio without a bounded interval (``effect_indistinguishable_from_zero``,
    ``effect_negative``, ``data_missing``), else None. With a horizon the table shows the
    discounted totals over it; without one, the undiscounted 12- and 24-month totals.
    """
    rows: list[dict[str, Any]] = []
    per = summary.cost_per_participant
    for item in ("gross", "external_funding", "net"):
        value = getattr(per, item) if per is not None else None
        if value is not None:
            rows.append({"item": f"cost_{item}", "view": "municipality", "estimate": value})
    if summary.horizon_months:
        for item, view, path in _HORIZON_ROWS:
            entry = _at(summary, path)
            if entry is None:
                continue
            months = 12 if item == "cost_per_additional" else summary.horizon_months
            note = getattr(entry, "reason", None)
            rows.append(
                {"item": item, "view": view, "months": months, **_pick(entry), "note": note}
            )
    else:
        for entry in summary.savings.values():
            if entry:
                rows.append(
                    {
                        "item": "savings",
                        "view": "municipality",
                        "months": entry.horizon_months,
                        **_pick(entry),
                    }
                )
        muni = summary.municipality
        for h in HORIZONS:
            entry = getattr(muni, f"net_cost_{h}m", None) if muni else None
            if entry:
                rows.append(
                    {"item": "net_cost", "view": "municipality", "months": h, **_pick(entry)}
                )
        ratio = summary.cost_per_additional
        if ratio:
            rows.append(
                {
                    "item": "cost_per_additional",
                    "view": "municipality",
                    "months": 12,
                    **_pick(ratio),
                    "note": ratio.reason,
                }
            )
    columns = ["item", "view", "months", "estimate", "ci_low", "ci_high", "note"]
    return pd.DataFrame([{"note": None, "months": None, **r} for r in rows], columns=columns)


def _pick(entry: Interval) -> dict[str, Any]:
    """Estimate and bounds of an interval."""
    return {"estimate": entry.estimate, "ci_low": entry.ci_low, "ci_high": entry.ci_high}
