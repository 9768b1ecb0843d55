"""How measures compare: rankings by effect and by cost per effect, with uncertainty.

Rules (quoted by the report's portfolio page):

- Each measure is represented by its headline estimate on ``work_or_study_12m``
  (``MeasureResults.headline_estimate``: the estimator named in its ``headline``, else the first
  of ``HEADLINE_ORDER``; never naive).
- A measure is **not ranked** (shown with its reason) when its run failed (``failed``), it has no
  such estimate (``no_estimate``), or the estimate rests on fewer than
  ``MIN_TREATED_FOR_EFFECT`` treated units, or the sample has fewer, or its count was
  suppressed by disclosure control (``too_few_participants``).
- **By effect**: ranked from the largest estimate down.
- **By cost per additional person in work or studies** (``costs.cost_per_additional``): only
  measures with a positive effect have one; measures whose ratio interval is bounded are ranked
  first, cheapest first, then those with an unbounded interval (effect interval includes zero),
  cheapest first and flagged ``interval_unbounded``. Measures without a positive effect or
  without cost data are listed as not ranked by cost.
- **Probability that measure A has a larger effect than B**: ``Φ((θ_A − θ_B) / √(se_A² + se_B²))``,
  a normal approximation that treats the two estimates as independent. Measures drawing
  comparison persons from the same pool are in fact positively correlated, which would make the
  true probabilities more extreme than shown; the approximation is therefore cautious.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from scipy import stats

from evalkit.audit.goals import MIN_TREATED_FOR_EFFECT
from evalkit.results import CostRatio, MeasureResults, Part

DEFAULT_OUTCOME = "work_or_study_12m"


class PortfolioRow(Part):
    """One measure on the portfolio page: its headline estimate, cost per effect and ranks."""

    measure_id: str
    title: str | None = None
    status: str = "ranked"
    reason: str | None = None
    estimator: str | None = None
    estimate: float | None = None
    se: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    n_treated: int | None = None
    cost_per_additional: CostRatio | None = None
    rank_effect: int | None = None
    rank_cost: int | None = None
    cost_flag: str | None = None

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
    """Rankings by effect and by cost per effect, pairwise probabilities, unranked measures."""

    outcome: str
    method: str = "normal_independent"
    min_treated: int = MIN_TREATED_FOR_EFFECT
    measures: list[PortfolioRow] = []
    effect_ranking: list[str] = []
    cost_ranking: list[str] = []
    not_ranked: list[NotRanked] = []
    prob_better: dict[str, dict[str, float]] = {}

    def row(self, measure_id: str) -> PortfolioRow | None:
        """The row of one measure."""
        return next((r for r in self.measures if r.measure_id == measure_id), None)


def measure_entry(
    results: MeasureResults,
    outcome: str = DEFAULT_OUTCOME,
    *,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> PortfolioRow:
    """One measure's portfolio row: headline estimate, cost per effect and ranking status."""
    row = PortfolioRow(measure_id=results.measure_id, title=results.title)
    if results.is_failed:
        return row.model_copy(update={"status": "not_ranked", "reason": "failed"})
    entry = results.headline_estimate(outcome)
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
            "cost_per_additional": results.costs.cost_per_additional if results.costs else None,
        }
    )
    too_few = (n is not None and n < min_treated) or (
        n_sample is not None and n_sample < min_treated
    )
    if too_few:
        return row.model_copy(update={"status": "not_ranked", "reason": "too_few_participants"})
    return row


def prob_better(a: PortfolioRow, b: PortfolioRow) -> float:
    """P(effect of a > effect of b) under independent normal estimates."""
    diff = a.estimate - b.estimate
    scale = math.sqrt(a.se**2 + b.se**2)
    if scale == 0:
        return 1.0 if diff > 0 else 0.0 if diff < 0 else 0.5
    return float(stats.norm.cdf(diff / scale))


def _cost_key(row: PortfolioRow) -> tuple[int, float]:
    """Sort key: bounded intervals first, then cheapest first."""
    cpa = row.cost_per_additional
    return (0 if cpa.bounded else 1, cpa.estimate)


def portfolio(
    all_results: list[MeasureResults],
    *,
    outcome: str = DEFAULT_OUTCOME,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> PortfolioSummary:
    """Rankings by effect and by cost per effect, pairwise probabilities, and unranked measures."""
    rows = [measure_entry(r, outcome, min_treated=min_treated) for r in all_results]
    ranked = sorted((r for r in rows if r.ranked), key=lambda r: -r.estimate)
    for i, row in enumerate(ranked, start=1):
        row.rank_effect = i
    costed = [
        r
        for r in ranked
        if r.cost_per_additional
        and r.cost_per_additional.defined
        and r.cost_per_additional.estimate is not None
    ]
    costed.sort(key=_cost_key)
    for i, row in enumerate(costed, start=1):
        row.rank_cost = i
        row.cost_flag = None if row.cost_per_additional.bounded else "interval_unbounded"
    probs = {
        a.measure_id: {b.measure_id: prob_better(a, b) for b in ranked if b is not a}
        for a in ranked
    }
    return PortfolioSummary(
        outcome=outcome,
        min_treated=min_treated,
        measures=rows,
        effect_ranking=[r.measure_id for r in ranked],
        cost_ranking=[r.measure_id for r in costed],
        not_ranked=[
            NotRanked(measure_id=r.measure_id, title=r.title, reason=r.reason)
            for r in rows
            if not r.ranked
        ],
        prob_better=probs,
    )


def effect_table(summary: PortfolioSummary) -> pd.DataFrame:
    """The portfolio as one row per measure (ranked first, in rank order), for display."""
    rows = []
    for r in summary.measures:
        cpa = r.cost_per_additional if r.ranked and r.cost_per_additional else None
        defined = bool(cpa and cpa.defined)
        rows.append(
            {
                "measure_id": r.measure_id,
                "title": r.title,
                "status": r.status,
                "reason": r.reason,
                "rank_effect": r.rank_effect,
                "estimator": r.estimator,
                "estimate": r.estimate,
                "ci_low": r.ci_low,
                "ci_high": r.ci_high,
                "n_treated": r.n_treated,
                "rank_cost": r.rank_cost,
                "cost_per_additional": cpa.estimate if defined else None,
                "cost_ci_low": cpa.ci_low if defined else None,
                "cost_ci_high": cpa.ci_high if defined else None,
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


def prob_better_frame(summary: PortfolioSummary) -> pd.DataFrame:
    """Square table: row measure's probability of a larger effect than the column measure's."""
    ids = summary.effect_ranking
    data: dict[str, Any] = {b: [summary.prob_better[a].get(b) for a in ids] for b in ids}
    return pd.DataFrame(data, index=pd.Index(ids, name="measure_id"))
