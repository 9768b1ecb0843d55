"""How measures compare: rankings by the effect over the horizon and by net cost per extra month.

Rules (quoted by the report's portfolio page):

- **The horizon** of the portfolio is the longest of the measures' chosen horizons
  (``results.horizon.months``: typical duration + 12 months, at least 24), so that a measure
  with a long lock-in is judged after it; every measure is compared at that horizon. Each is
  represented by its headline estimate (``MeasureResults.headline_estimate``; never naive) of
  the extra months in work or studies over months 1..H (``work_or_study_months_<H>m``), else the
  cumulative effect of its horizon block. Without any cumulative effect (table or panel data)
  the portfolio falls back to ``work_or_study_12m``. The 12-month cumulative effect is shown
  beside it.
- A measure is **not ranked** (listed with the reason) when its run failed (``failed``), it has
  no estimate at the horizon (``no_estimate``), it rests on fewer than
  ``MIN_TREATED_FOR_EFFECT`` participants or its count was suppressed
  (``too_few_participants``), or its credibility grade for that outcome (else for its headline
  outcome) is Låg (``low_credibility``).
- **By effect**: ranked from the largest estimate down.
- **Probability of being best**: the share of ``draws`` joint draws, one normal draw per ranked
  measure around its estimate with its standard error, in which the measure has the largest
  effect. Measures are drawn independently (they are estimated on different participants; the
  comparison pools overlap, which the results files cannot tell). Shown as "> 99 %" and "< 1 %"
  at the extremes.
- **By net cost per extra month in work or studies** (``costs.cost_per_extra_month_in_work``:
  the municipality's discounted net cost over the measure's horizon per discounted extra month,
  Fieller interval): only ranked measures with a positive effect have one. First those whose
  interval is bounded and that pay for themselves (net cost below zero), largest saving per
  participant first; then bounded ones, cheapest first; then those with an unbounded interval
  (effect indistinguishable from zero), cheapest first and flagged ``interval_unbounded``.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from evalkit.audit.goals import MIN_TREATED_FOR_EFFECT
from evalkit.results import (
    BreakEven,
    CostRatio,
    Estimate,
    Interval,
    LockIn,
    MeasureResults,
    Part,
)

#: The fallback outcome when no measure has a cumulative effect (table and panel data).
DEFAULT_OUTCOME = "work_or_study_12m"
#: The horizon when no measure chose one.
DEFAULT_MONTHS = 24
#: Joint draws behind the probability of being best.
DRAWS = 20_000
#: Seed of those draws (the results are reproducible).
SEED = 20261126


def cumulative_outcome(months: int) -> str:
    """The outcome of extra months in work or studies over months 1..months."""
    return f"work_or_study_months_{months}m"


class PortfolioRow(Part):
    """One measure on the portfolio page: its effect over the horizon, costs and ranks."""

    measure_id: str
    title: str | None = None
    status: str = "ranked"
    reason: str | None = None
    credibility: str | None = None
    outcome: str | None = None
    months: int | None = None
    estimator: str | None = None
    estimate: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_treated: int | None = None
    effect_12m: Interval | None = None
    lock_in: LockIn | None = None
    net_cost_municipality: Interval | None = None
    net_cost_public: Interval | None = None
    cost_months: int | None = None
    cost_per_extra_month: CostRatio | None = None
    cost_per_additional: CostRatio | None = None
    break_even: BreakEven | None = None
    rank_effect: int | None = None
    rank_cost: int | None = None
    cost_flag: str | None = None
    p_best: float | None = None

    @property
    def ranked(self) -> bool:
        """Whether the measure is ranked by effect."""
        return self.status == "ranked"


class NotRanked(Part):
    """A measure left out of the ranking, with the reason."""

    measure_id: str
    title: str | None = None
    reason: str | None = None


class PortfolioSummary(Part):
    """Rankings by effect and by net cost per extra month, probabilities of being best."""

    outcome: str
    horizon_months: int | None = None
    discount_rate: float | None = None
    method: str = "normal_independent_draws"
    draws: int = DRAWS
    min_treated: int = MIN_TREATED_FOR_EFFECT
    measures: list[PortfolioRow] = []
    effect_ranking: list[str] = []
    cost_ranking: list[str] = []
    not_ranked: list[NotRanked] = []

    def row(self, measure_id: str) -> PortfolioRow | None:
        """The row of one measure."""
        return next((r for r in self.measures if r.measure_id == measure_id), None)


def portfolio_months(all_results: list[MeasureResults]) -> int:
    """The longest of the measures' chosen horizons (default 24)."""
    chosen = [
        r.horizon.months
        for r in all_results
        if not r.is_failed and r.horizon is not None and r.horizon.months
    ]
    return max(chosen) if chosen else DEFAULT_MONTHS


def effect_at(results: MeasureResults, outcome: str) -> Estimate | None:
    """The headline estimate of ``outcome``, else the horizon block's cumulative effect."""
    entry = results.headline_estimate(outcome)
    if entry is not None and entry.estimate is not None:
        return entry
    return results.horizon.estimate(outcome) if results.horizon else None


def grade_of(results: MeasureResults, outcome: str) -> str | None:
    """The credibility grade of ``outcome``, else of the headline outcome."""
    grade = results.credibility_of(outcome)
    if grade is None and results.headline is not None:
        grade = results.credibility_of(results.headline.outcome)
    return grade.grade if grade is not None else None


def _interval(entry: Any) -> Interval | None:
    """Estimate and bounds of an interval-like part, or None."""
    if entry is None or getattr(entry, "estimate", None) is None:
        return None
    return Interval(estimate=entry.estimate, ci_low=entry.ci_low, ci_high=entry.ci_high)


def _cost_fields(results: MeasureResults) -> dict[str, Any]:
    """The municipality's and the public sector's net cost and the cost ratios."""
    costs = results.costs
    if costs is None:
        return {}
    muni, public = costs.municipality, costs.public_finance
    return {
        "net_cost_municipality": _interval(muni.net_cost if muni else None),
        "net_cost_public": _interval(public.net_cost if public else None),
        "cost_months": costs.horizon_months,
        "cost_per_extra_month": costs.cost_per_extra_month_in_work,
        "cost_per_additional": costs.cost_per_additional,
        "break_even": muni.break_even if muni else None,
    }


def measure_entry(
    results: MeasureResults,
    outcome: str,
    *,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> PortfolioRow:
    """One measure's portfolio row: effect over the horizon, costs and ranking status."""
    row = PortfolioRow(measure_id=results.measure_id, title=results.title, outcome=outcome)
    if results.is_failed:
        return row.model_copy(update={"status": "not_ranked", "reason": "failed"})
    months = int(outcome.rsplit("_", 1)[-1].removesuffix("m")) if "months" in outcome else None
    row = row.model_copy(
        update={
            "months": months,
            "credibility": grade_of(results, outcome),
            "effect_12m": _interval(effect_at(results, cumulative_outcome(12))),
            "lock_in": results.horizon.lock_in if results.horizon else None,
            **_cost_fields(results),
        }
    )
    entry = effect_at(results, outcome)
    n_sample = results.sample.n_treated
    hidden = set(results.disclosure.suppressed if results.disclosure else [])
    if entry is None or entry.estimate is None or entry.se is None:
        small = (n_sample is not None and n_sample < min_treated) or "sample.n_treated" in hidden
        reason = "too_few_participants" if small else "no_estimate"
        return row.model_copy(update={"status": "not_ranked", "reason": reason})
    n = entry.n_treated
    row = row.model_copy(
        update={
            "estimator": entry.estimator,
            "estimate": entry.estimate,
            "se": entry.se,
            "ci_low": entry.ci_low,
            "ci_high": entry.ci_high,
            "n_treated": n,
        }
    )
    if (n is not None and n < min_treated) or (n_sample is not None and n_sample < min_treated):
        return row.model_copy(update={"status": "not_ranked", "reason": "too_few_participants"})
    if row.credibility == "lag":
        return row.model_copy(update={"status": "not_ranked", "reason": "low_credibility"})
    return row


def p_best(rows: list[PortfolioRow], *, draws: int = DRAWS, seed: int = SEED) -> list[float]:
    """Per row, the share of joint normal draws in which it has the largest effect."""
    if not rows:
        return []
    mean = np.array([r.estimate for r in rows])
    sd = np.array([r.se for r in rows])
    z = np.random.default_rng(seed).standard_normal((draws, len(rows)))
    best = np.argmax(mean + z * sd, axis=1)
    return [float(v) for v in np.bincount(best, minlength=len(rows)) / draws]


def _cost_key(row: PortfolioRow) -> tuple[int, float]:
    """Sort key: paying for itself (largest saving first), then bounded, then unbounded."""
    ratio = row.cost_per_extra_month
    if not ratio.bounded:
        return (2, ratio.estimate)
    if ratio.pays_for_itself and row.net_cost_municipality is not None:
        return (0, row.net_cost_municipality.estimate)
    return (1, ratio.estimate)


def portfolio(
    all_results: list[MeasureResults],
    *,
    months: int | None = None,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
    draws: int = DRAWS,
    seed: int = SEED,
) -> PortfolioSummary:
    """Rankings by the effect over the horizon and by net cost per extra month, P(best)."""
    months = months or portfolio_months(all_results)
    outcome = cumulative_outcome(months)
    if not any(effect_at(r, outcome) for r in all_results if not r.is_failed):
        outcome = DEFAULT_OUTCOME
    rows = [measure_entry(r, outcome, min_treated=min_treated) for r in all_results]
    ranked = sorted((r for r in rows if r.ranked), key=lambda r: -r.estimate)
    best = p_best(ranked, draws=draws, seed=seed)
    for i, (row, p) in enumerate(zip(ranked, best, strict=True), start=1):
        row.rank_effect, row.p_best = i, p
    costed = [
        r
        for r in ranked
        if r.cost_per_extra_month
        and r.cost_per_extra_month.defined
        and r.cost_per_extra_month.estimate is not None
    ]
    costed.sort(key=_cost_key)
    for i, row in enumerate(costed, start=1):
        row.rank_cost = i
        row.cost_flag = None if row.cost_per_extra_month.bounded else "interval_unbounded"
    rates = [r.costs.discount_rate for r in all_results if r.costs and r.costs.discount_rate]
    return PortfolioSummary(
        outcome=outcome,
        horizon_months=months if outcome != DEFAULT_OUTCOME else None,
        discount_rate=rates[0] if rates else None,
        draws=draws,
        min_treated=min_treated,
        measures=rows,
        effect_ranking=[r.measure_id for r in ranked],
        cost_ranking=[r.measure_id for r in costed],
        not_ranked=[
            NotRanked(measure_id=r.measure_id, title=r.title, reason=r.reason)
            for r in rows
            if not r.ranked
        ],
    )


def effect_table(summary: PortfolioSummary) -> pd.DataFrame:
    """The portfolio as one row per measure (ranked first, in rank order), for display."""
    rows = []
    for r in summary.measures:
        ratio = r.cost_per_extra_month if r.ranked else None
        defined = bool(ratio and ratio.defined)
        rows.append(
            {
                "measure_id": r.measure_id,
                "title": r.title,
                "status": r.status,
                "reason": r.reason,
                "credibility": r.credibility,
                "outcome": r.outcome,
                "rank_effect": r.rank_effect,
                "estimator": r.estimator,
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "n_treated": r.n_treated,
                "p_best": r.p_best,
                "rank_cost": r.rank_cost,
                "cost_per_extra_month": ratio.estimate if defined else None,
                "cost_ci_low": ratio.ci_low if defined else None,
                "cost_ci_high": ratio.ci_high if defined else None,
                "cost_flag": r.cost_flag,
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    order = frame["rank_effect"].fillna(len(frame) + 1)
    return (
        frame.assign(_o=order)
        .sort_values("_o", kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )
