"""Costs and savings: what a measure costs per participant against what it saves in assistance.

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
  funding is then unknown and gross = net. Costs are book figures: no interval.
- **Savings per participant** over ``h`` months = minus the headline effect (ATT) on
  ``assistance_sek_<h>m`` (``MeasureResults.headline_estimate``), interval mirrored.
- **Municipality view.** Net cost = own (net) cost − savings; net saving = − net cost, over 12
  and 24 months; ``net_saving`` (used by goals) is the longest horizon estimated. Break-even: the
  first month after start in which cumulative savings reach the own cost, from the monthly path of
  effects on ``assistance_sek`` when the results hold one, else interpolated linearly through the
  12- and 24-month totals; never extrapolated beyond the last horizon (then
  ``within_horizon: false``). The optimistic and pessimistic months use the interval's bounds
  (month by month on a path, so the band is conservative).
- **Cost per additional person in work or studies** = own cost per participant ÷ effect on
  ``work_or_study_12m``, with Fieller's interval (the cost is fixed, so this equals cost divided
  by the effect's bounds). ``net_cost_per_additional`` puts the municipality's net cost over 12
  months in the numerator (Fieller with the covariance of the two effects when given, else
  assumed zero and said so). When the effect is not positive there is no cost per additional
  person (``defined: false``); when its interval includes zero the interval of the ratio is
  unbounded (``bounded: false``, bounds ``null``): the data cannot say how much each additional
  person costs.
- **Public-finance view** (wider, approximate): gross cost (external funding is public money too)
  against assistance savings plus tax revenue from additional work. Additional work-months over
  ``h`` months ≈ effect on ``work_or_study_<h>m`` × ``h`` × ``ramp`` (0.5: the effect grows from
  zero at start), times ``work_share`` (studies pay no tax); each work-month yields
  ``monthly_earnings_sek × (income_tax_rate + employer_contribution_rate)``. These are
  assumptions, listed in the output. Its interval adds the two intervals' half-widths, which is
  conservative whatever the correlation (sd(X+Y) ≤ sd X + sd Y).
"""

from __future__ import annotations

import math
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.data.months import month_number, month_numbers
from evalkit.errors import DataError, MissingColumnError
from evalkit.results import (
    BreakEven,
    CostPerParticipant,
    CostRatio,
    Costs,
    EffectInterval,
    Estimate,
    Interval,
    MeasureResults,
    MunicipalityView,
    PublicFinanceView,
    PublicNetCost,
    TaxRevenue,
)

HORIZONS = (12, 24)


@dataclass(frozen=True)
class PublicFinanceAssumptions:
    """Documented assumptions of the public-finance view (override per municipality)."""

    #: Monthly gross earnings of an additional person in work (an entry-level wage).
    monthly_earnings_sek: float = 25_000.0
    #: Average municipal + regional income tax rate.
    income_tax_rate: float = 0.32
    #: Statutory employer social contributions (arbetsgivaravgifter, 2024).
    employer_contribution_rate: float = 0.3142
    #: Share of "work or studies" that is work (studies yield no tax).
    work_share: float = 0.7
    #: Mean share of the horizon over which the effect is in place (linear build-up from start).
    ramp: float = 0.5

    @property
    def revenue_per_work_month_sek(self) -> float:
        """Tax and contributions per additional month in work."""
        return self.monthly_earnings_sek * (self.income_tax_rate + self.employer_contribution_rate)


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
        "method": "fieller",
    }
    est = effect.estimate if effect else None
    if cost is None or est is None:
        return CostRatio(**base, defined=False, bounded=False, reason="data_missing")
    if est <= 0:
        return CostRatio(**base, defined=False, bounded=False, reason="no_positive_effect")
    se = effect.se
    if se is None or se <= 0:
        lo, hi = effect.ci_low, effect.ci_high
        z = float(stats.norm.ppf(0.5 + level / 2))
        se = (hi - lo) / (2 * z) if lo is not None and hi is not None else math.inf
    ratio = fieller_ratio(cost, se_cost, est, se, cov=cov, level=level)
    reason = None if ratio.bounded else "effect_ci_includes_zero"
    return ratio.model_copy(update={**base, "defined": True, "reason": reason})


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
        estimator=saving.estimator,
        n_treated=saving.n_treated,
        horizon_months=saving.horizon_months,
    )


def _negate(entry: EffectInterval) -> EffectInterval:
    """Net saving = − net cost."""
    est, lo, hi = _mirror(entry)
    return entry.model_copy(update={"estimate": est, "ci_low": lo, "ci_high": hi})


def municipality_view(results: MeasureResults, own_cost: float | None) -> MunicipalityView:
    """Own cost against assistance savings, per horizon, with break-even."""
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
    out["break_even"] = break_even(results, own_cost)
    return MunicipalityView(**out)


def _scaled(value: float | None, scale: float) -> float | None:
    return value * scale if value is not None else None


def public_finance_view(
    results: MeasureResults, gross_cost: float | None, assumptions: PublicFinanceAssumptions
) -> PublicFinanceView:
    """Gross cost against assistance savings plus tax revenue from additional work (approximate)."""
    per_month = assumptions.revenue_per_work_month_sek
    out: dict[str, Any] = {
        "cost": gross_cost,
        "assumptions": {**asdict(assumptions), "revenue_per_work_month_sek": per_month},
    }
    for h in HORIZONS:
        effect = results.headline_estimate(f"work_or_study_{h}m")
        saving = savings(results, h)
        if effect is None or effect.estimate is None or saving is None or gross_cost is None:
            out[f"tax_revenue_{h}m"] = out[f"net_cost_{h}m"] = None
            continue
        scale = h * assumptions.ramp * assumptions.work_share * per_month
        tax = TaxRevenue(
            estimate=effect.estimate * scale,
            ci_low=_scaled(effect.ci_low, scale),
            ci_high=_scaled(effect.ci_high, scale),
            estimator=effect.estimator,
        )
        out[f"tax_revenue_{h}m"] = tax
        est = gross_cost - saving.estimate - tax.estimate
        bounds = (None, None)
        if None not in (saving.ci_low, saving.ci_high, tax.ci_low, tax.ci_high):
            bounds = (
                gross_cost - saving.ci_high - tax.ci_high,
                gross_cost - saving.ci_low - tax.ci_low,
            )
        out[f"net_cost_{h}m"] = PublicNetCost(
            estimate=est,
            ci_low=bounds[0],
            ci_high=bounds[1],
            interval="conservative_sum",
            horizon_months=h,
        )
    return PublicFinanceView(**out)


def cost_summary(
    results: MeasureResults,
    *,
    costs: pd.DataFrame | None = None,
    n_participants: float | None = None,
    months: tuple[str, str] | None = None,
    price_per_month_sek: float | None = None,
    mean_months_in_measure: float | None = None,
    participant_months: float | None = None,
    cov_assistance_work_12m: float | None = None,
    assumptions: PublicFinanceAssumptions | None = None,
    level: float = 0.95,
) -> Costs:
    """Everything the report's cost section shows (``results.costs``)."""
    assumptions = assumptions or PublicFinanceAssumptions()
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
    effect = results.headline_estimate("work_or_study_12m")
    saving_12 = savings(results, 12)
    municipality = municipality_view(results, own)
    net_ratio: CostRatio | None = None
    if own is not None and saving_12 is not None and saving_12.se is not None:
        net = municipality.net_cost_12m
        net_ratio = cost_per_additional(
            net.estimate,
            effect,
            se_cost=saving_12.se,
            cov=cov_assistance_work_12m or 0.0,
            level=level,
        ).model_copy(
            update={
                "covariance": "given" if cov_assistance_work_12m is not None else "assumed_zero",
                "pays_for_itself": bool(net.estimate < 0),
            }
        )
    return Costs(
        available=per.available,
        reason=per.reason,
        level=level,
        n_participants=per.n_participants,
        cost_per_participant=per,
        savings={f"{h}m": savings(results, h) for h in HORIZONS},
        municipality=municipality,
        cost_per_additional=cost_per_additional(own, effect, level=level),
        net_cost_per_additional=net_ratio,
        public_finance=public_finance_view(results, gross, assumptions),
    )


def cost_table(summary: Costs) -> pd.DataFrame:
    """The cost summary as rows ``item, view, estimate, ci_low, ci_high, note`` for display.

    ``note`` carries the reason code of a ratio without a bounded interval
    (``effect_ci_includes_zero``, ``no_positive_effect``, ``data_missing``), else None.
    """
    rows: list[dict[str, Any]] = []
    per = summary.cost_per_participant
    for item in ("gross", "external_funding", "net"):
        value = getattr(per, item) if per is not None else None
        if value is not None:
            rows.append({"item": f"cost_{item}", "view": "municipality", "estimate": value})
    for h, entry in summary.savings.items():
        if entry:
            rows.append({"item": f"savings_{h}", "view": "municipality", **_pick(entry)})
    muni = summary.municipality
    for h in HORIZONS:
        entry = getattr(muni, f"net_cost_{h}m", None) if muni else None
        if entry:
            rows.append({"item": f"net_cost_{h}m", "view": "municipality", **_pick(entry)})
    for key in ("cost_per_additional", "net_cost_per_additional"):
        ratio = getattr(summary, key)
        if ratio:
            rows.append({"item": key, "view": "municipality", **_pick(ratio), "note": ratio.reason})
    public = summary.public_finance
    for h in HORIZONS:
        for key in (f"tax_revenue_{h}m", f"net_cost_{h}m"):
            entry = getattr(public, key, None) if public else None
            if entry:
                rows.append({"item": key, "view": "public_finance", **_pick(entry)})
    columns = ["item", "view", "estimate", "ci_low", "ci_high", "note"]
    return pd.DataFrame([{"note": None, **r} for r in rows], columns=columns)


def _pick(entry: Interval) -> dict[str, Any]:
    """Estimate and bounds of an interval."""
    return {"estimate": entry.estimate, "ci_low": entry.ci_low, "ci_high": entry.ci_high}
