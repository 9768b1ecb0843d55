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
  ``assistance_sek_<h>m``, interval mirrored.
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

from evalkit.audit.goals import ADJUSTED_ESTIMATORS, headline_estimate
from evalkit.errors import DataError, MissingColumnError

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


def _num(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _interval(estimate: float | None, lo: float | None, hi: float | None, **extra: Any) -> dict:
    """A JSON-safe ``{estimate, ci_low, ci_high, ...}``."""
    return {"estimate": _num(estimate), "ci_low": _num(lo), "ci_high": _num(hi), **extra}


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
) -> dict[str, Any]:
    """Gross, external and net cost per participant, from the costs table or a monthly price.

    With ``participant_months`` (all participants' months in the measure within the costs'
    months) and ``mean_months_in_measure``, the table's cost per participant-month is scaled to
    one participant's stay, which avoids mixing participants outside the intake into the count.
    """
    n = _num(n_participants)
    pm, months_in = _num(participant_months), _num(mean_months_in_measure)
    if costs is not None and measure_id is not None:
        missing = [c for c in ("measure_id", "month", "cost_sek") if c not in costs.columns]
        if missing:
            raise MissingColumnError("costs table lacks a column", table="costs", column=missing[0])
        rows = costs[costs["measure_id"].astype("string") == str(measure_id)]
        if months is not None:
            month = pd.to_datetime(rows["month"].astype("string").str[:7] + "-01")
            lo, hi = (pd.Timestamp(str(m)[:7] + "-01") for m in months)
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
                return {
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
            if not n or n <= 0:
                return {"available": False, "reason": "no_participants", "source": "costs_table"}
            return {
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
    price = _num(price_per_month_sek)
    if price is not None and months_in is not None:
        if price < 0 or months_in < 0:
            raise DataError(
                "price per participant-month and months in the measure must be non-negative",
                table="measures",
                column="cost_per_participant_month_sek",
                rule="non_negative",
            )
        per = price * months_in
        return {
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
    return {"available": False, "reason": "no_cost_data", "source": None}


# --- ratios ----------------------------------------------------------------------------------


def fieller_ratio(
    num: float,
    se_num: float,
    den: float,
    se_den: float,
    *,
    cov: float = 0.0,
    level: float = 0.95,
) -> dict[str, Any]:
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
        return _interval(estimate, None, None, bounded=False, method="fieller")
    disc = max(b**2 - a * c, 0.0)
    lo, hi = (b - math.sqrt(disc)) / a, (b + math.sqrt(disc)) / a
    return _interval(estimate, lo, hi, bounded=True, method="fieller")


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
    effect: dict[str, Any] | None,
    *,
    se_cost: float = 0.0,
    cov: float = 0.0,
    level: float = 0.95,
) -> dict[str, Any]:
    """Cost per additional person in work or studies: ``cost / effect`` with Fieller's interval."""
    base = {
        "estimator": (effect or {}).get("estimator"),
        "n_treated": (effect or {}).get("n_treated"),
        "method": "fieller",
    }
    est, se = _num((effect or {}).get("estimate")), _num((effect or {}).get("se"))
    if cost is None or est is None:
        return {
            **_interval(None, None, None),
            **base,
            "defined": False,
            "bounded": False,
            "reason": "data_missing",
        }
    if est <= 0:
        return {
            **_interval(None, None, None),
            **base,
            "defined": False,
            "bounded": False,
            "reason": "no_positive_effect",
        }
    if se is None or se <= 0:
        lo, hi = _num(effect.get("ci_low")), _num(effect.get("ci_high"))
        z = float(stats.norm.ppf(0.5 + level / 2))
        se = (hi - lo) / (2 * z) if lo is not None and hi is not None else math.inf
    ratio = fieller_ratio(cost, se_cost, est, se, cov=cov, level=level)
    reason = None if ratio["bounded"] else "effect_ci_includes_zero"
    return {**ratio, **base, "defined": True, "reason": reason}


# --- savings and break-even ------------------------------------------------------------------


def savings(results: dict[str, Any], horizon: int) -> dict[str, Any] | None:
    """Assistance saved per participant over ``horizon`` months: minus the headline effect."""
    entry = headline_estimate(results, f"assistance_sek_{horizon}m")
    if entry is None or _num(entry.get("estimate")) is None:
        return None
    lo, hi = _num(entry.get("ci_low")), _num(entry.get("ci_high"))
    return _interval(
        -float(entry["estimate"]),
        -hi if hi is not None else None,
        -lo if lo is not None else None,
        se=_num(entry.get("se")),
        estimator=entry.get("estimator"),
        n_treated=entry.get("n_treated"),
        horizon_months=horizon,
    )


def monthly_savings_path(results: dict[str, Any]) -> dict[str, list[float]] | None:
    """Monthly savings (estimate, low, high) for months 1.. from effects on ``assistance_sek``."""
    entries = [
        e
        for e in results.get("estimates") or []
        if e.get("outcome") == "assistance_sek"
        and e.get("event_time") is not None
        and int(e["event_time"]) >= 1
        and e.get("group") is None
        and e.get("time") is None
        and e.get("subgroup") is None
        and _num(e.get("estimate")) is not None
    ]
    if not entries:
        return None
    names = [(results.get("headline") or {}).get("estimator"), *ADJUSTED_ESTIMATORS, "event_study"]
    chosen = next((n for n in names if n and any(e["estimator"] == n for e in entries)), None)
    chosen = chosen or entries[0]["estimator"]
    by_month = {int(e["event_time"]): e for e in entries if e["estimator"] == chosen}
    months = []
    for k in range(1, max(by_month) + 1):
        if k not in by_month:
            break
        months.append(by_month[k])
    if not months:
        return None

    def bound(e: dict[str, Any], key: str) -> float:
        value = _num(e.get(key))
        return -(value if value is not None else float(e["estimate"]))

    return {
        "estimator": chosen,
        "estimate": [-float(e["estimate"]) for e in months],
        "low": [bound(e, "ci_high") for e in months],
        "high": [bound(e, "ci_low") for e in months],
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


def break_even(results: dict[str, Any], cost: float | None) -> dict[str, Any]:
    """Months until assistance savings repay the own cost per participant (see module docstring)."""
    if cost is None:
        return {"months": None, "within_horizon": False, "reason": "no_cost_data"}
    path = monthly_savings_path(results)
    if path is not None:
        cums = {k: list(np.cumsum(path[k])) for k in ("estimate", "low", "high")}
        horizon, method = len(path["estimate"]), "path"
    else:
        totals = {h: savings(results, h) for h in HORIZONS}
        totals = {h: s for h, s in totals.items() if s is not None}
        if not totals:
            return {"months": None, "within_horizon": False, "reason": "no_savings_estimate"}
        horizon, method = max(totals), "interpolated"
        cums = {}
        for key, field in (("estimate", "estimate"), ("low", "ci_low"), ("high", "ci_high")):
            pts = {
                h: s[field] if s[field] is not None else s["estimate"] for h, s in totals.items()
            }
            cums[key] = _cumulative_interpolated(pts, horizon)
    months = _first_month(cums["estimate"], cost)
    return {
        "months": months,
        "months_optimistic": _first_month(cums["high"], cost),
        "months_pessimistic": _first_month(cums["low"], cost),
        "within_horizon": months is not None,
        "horizon_months": horizon,
        "method": method,
        "reason": None if months is not None else "not_within_horizon",
    }


# --- the views -------------------------------------------------------------------------------


def _minus(cost: float, saving: dict[str, Any]) -> dict[str, Any]:
    """Net cost = cost − savings, interval mirrored."""
    return _interval(
        cost - saving["estimate"],
        cost - saving["ci_high"] if saving["ci_high"] is not None else None,
        cost - saving["ci_low"] if saving["ci_low"] is not None else None,
        estimator=saving.get("estimator"),
        n_treated=saving.get("n_treated"),
        horizon_months=saving.get("horizon_months"),
    )


def _negate(entry: dict[str, Any]) -> dict[str, Any]:
    """Net saving = − net cost."""
    out = dict(entry)
    lo, hi = entry.get("ci_low"), entry.get("ci_high")
    out["estimate"] = -entry["estimate"] if entry["estimate"] is not None else None
    out["ci_low"], out["ci_high"] = (
        (-hi if hi is not None else None),
        (-lo if lo is not None else None),
    )
    return out


def municipality_view(results: dict[str, Any], own_cost: float | None) -> dict[str, Any]:
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
    return out


def public_finance_view(
    results: dict[str, Any], gross_cost: float | None, assumptions: PublicFinanceAssumptions
) -> dict[str, Any]:
    """Gross cost against assistance savings plus tax revenue from additional work (approximate)."""
    out: dict[str, Any] = {"cost": gross_cost, "assumptions": asdict(assumptions)}
    per_month = assumptions.revenue_per_work_month_sek
    out["assumptions"]["revenue_per_work_month_sek"] = per_month
    for h in HORIZONS:
        effect = headline_estimate(results, f"work_or_study_{h}m")
        saving = savings(results, h)
        if effect is None or saving is None or gross_cost is None:
            out[f"tax_revenue_{h}m"] = out[f"net_cost_{h}m"] = None
            continue
        scale = h * assumptions.ramp * assumptions.work_share * per_month
        tax = _interval(
            float(effect["estimate"]) * scale,
            _num(effect.get("ci_low")) * scale if _num(effect.get("ci_low")) is not None else None,
            _num(effect.get("ci_high")) * scale
            if _num(effect.get("ci_high")) is not None
            else None,
            estimator=effect.get("estimator"),
        )
        out[f"tax_revenue_{h}m"] = tax
        est = gross_cost - saving["estimate"] - tax["estimate"]
        bounds = None
        if None not in (saving["ci_low"], saving["ci_high"], tax["ci_low"], tax["ci_high"]):
            bounds = (
                gross_cost - saving["ci_high"] - tax["ci_high"],
                gross_cost - saving["ci_low"] - tax["ci_low"],
            )
        out[f"net_cost_{h}m"] = _interval(
            est, *(bounds or (None, None)), interval="conservative_sum", horizon_months=h
        )
    return out


def intake_months(results: dict[str, Any]) -> tuple[str, str] | None:
    """The intake window (``sample`` or ``followup`` ``intake_start``/``intake_end``), if known."""
    for part in ("sample", "followup"):
        block = results.get(part) or {}
        if block.get("intake_start") and block.get("intake_end"):
            return (str(block["intake_start"]), str(block["intake_end"]))
    return None


def cost_summary(
    results: dict[str, Any],
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
) -> dict[str, Any]:
    """Everything the report's cost section shows, as a JSON-safe dict (``results["costs"]``)."""
    assumptions = assumptions or PublicFinanceAssumptions()
    if n_participants is None:
        n_participants = (results.get("followup") or {}).get("n_participants")
    if n_participants is None:
        n_participants = (results.get("sample") or {}).get("n_treated")
    if months is None:
        months = intake_months(results)
    per = cost_per_participant(
        n_participants=n_participants,
        costs=costs,
        measure_id=results.get("measure_id"),
        months=months,
        price_per_month_sek=price_per_month_sek,
        mean_months_in_measure=mean_months_in_measure,
        participant_months=participant_months,
    )
    own = per.get("net") if per.get("available") else None
    gross = per.get("gross") if per.get("available") else None
    effect = headline_estimate(results, "work_or_study_12m")
    saving_12 = savings(results, 12)
    municipality = municipality_view(results, own)
    net_ratio: dict[str, Any] | None = None
    if own is not None and saving_12 is not None and saving_12.get("se") is not None:
        net = municipality["net_cost_12m"]
        net_ratio = cost_per_additional(
            net["estimate"],
            effect,
            se_cost=float(saving_12["se"]),
            cov=cov_assistance_work_12m or 0.0,
            level=level,
        )
        net_ratio["covariance"] = "given" if cov_assistance_work_12m is not None else "assumed_zero"
        net_ratio["pays_for_itself"] = bool(net["estimate"] < 0)
    return {
        "available": bool(per.get("available")),
        "reason": per.get("reason"),
        "level": level,
        "n_participants": per.get("n_participants"),
        "cost_per_participant": per,
        "savings": {f"{h}m": savings(results, h) for h in HORIZONS},
        "municipality": municipality,
        "cost_per_additional": cost_per_additional(own, effect, level=level),
        "net_cost_per_additional": net_ratio,
        "public_finance": public_finance_view(results, gross, assumptions),
    }


def cost_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The cost summary as rows ``item, view, estimate, ci_low, ci_high, note`` for display.

    ``note`` carries the reason code of a ratio without a bounded interval
    (``effect_ci_includes_zero``, ``no_positive_effect``, ``data_missing``), else None.
    """
    rows: list[dict[str, Any]] = []
    per = summary.get("cost_per_participant") or {}
    for item in ("gross", "external_funding", "net"):
        if per.get(item) is not None:
            rows.append({"item": f"cost_{item}", "view": "municipality", "estimate": per[item]})
    for h, entry in (summary.get("savings") or {}).items():
        if entry:
            rows.append({"item": f"savings_{h}", "view": "municipality", **_pick(entry)})
    muni = summary.get("municipality") or {}
    for h in HORIZONS:
        if muni.get(f"net_cost_{h}m"):
            rows.append(
                {"item": f"net_cost_{h}m", "view": "municipality", **_pick(muni[f"net_cost_{h}m"])}
            )
    for key in ("cost_per_additional", "net_cost_per_additional"):
        if summary.get(key):
            note = summary[key].get("reason")
            rows.append({"item": key, "view": "municipality", **_pick(summary[key]), "note": note})
    public = summary.get("public_finance") or {}
    for h in HORIZONS:
        for key in (f"tax_revenue_{h}m", f"net_cost_{h}m"):
            if public.get(key):
                rows.append({"item": key, "view": "public_finance", **_pick(public[key])})
    columns = ["item", "view", "estimate", "ci_low", "ci_high", "note"]
    return pd.DataFrame([{"note": None, **r} for r in rows], columns=columns)


def _pick(entry: dict[str, Any]) -> dict[str, Any]:
    """Estimate and bounds of an interval dict."""
    return {k: entry.get(k) for k in ("estimate", "ci_low", "ci_high")}
