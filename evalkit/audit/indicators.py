"""The value of a goal's indicator on one measure's results (the vocabulary is in params.goals).

Descriptive indicators read the follow-up (all participants, no interval); causal ones read the
headline estimate (``MeasureResults.headline_estimate``) or the cost summary, with its interval.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from evalkit.params.goals import INDICATORS, indicator_spec
from evalkit.results import MeasureResults

#: End reasons that count as "work or studies" at exit (Kolada's definition).
WORK_OR_STUDY_AT_EXIT = frozenset({"arbete_osubventionerat", "arbete_subventionerat", "studier"})


@dataclass(frozen=True)
class IndicatorValue:
    """An indicator's value with its denominator or interval, and where it came from."""

    value: float | None = None
    n: float | None = None
    ci_low: float | None = None
    ci_high: float | None = None
    estimator: str | None = None
    bounded: bool | None = None
    defined: bool | None = None


def _end_reason_share(
    results: MeasureResults, good: frozenset[str] | None, bad: frozenset[str]
) -> IndicatorValue:
    """A share over ended participations from the end-reason counts."""
    reasons = results.followup.end_reasons if results.followup else []
    counts = {r.reason: r.n for r in reasons}
    ended = {k: v for k, v in counts.items() if k != "pagaende"}
    if not ended or any(v is None for v in ended.values()):
        return IndicatorValue()
    n = sum(ended.values())
    hits = sum(v for k, v in ended.items() if (k in good if good else k not in bad))
    return IndicatorValue(value=hits / n if n else None, n=int(n))


def descriptive_value(results: MeasureResults, indicator: str) -> IndicatorValue:
    """Value and denominator of a descriptive indicator."""
    followup = results.followup
    if indicator == "participants":
        n = results.n_participants()
        return IndicatorValue(value=n, n=n)
    if indicator == "share_work_or_study_exit":
        row = followup.share_at("exit") if followup else None
        if row is not None:
            return IndicatorValue(value=row.share, n=row.n)
        return _end_reason_share(results, WORK_OR_STUDY_AT_EXIT, frozenset())
    if indicator == "share_completed":
        return _end_reason_share(results, None, frozenset({"avbrott"}))
    horizon = INDICATORS[indicator].horizon_months  # descriptive names are all in INDICATORS
    row = followup.share_at(str(horizon)) if followup else None
    return IndicatorValue(value=row.share, n=row.n) if row is not None else IndicatorValue()


def _value_of(entry: Any, **extra: Any) -> IndicatorValue:
    """Value, interval, estimator and n treated of an estimate-like part (or nothing)."""
    if entry is None:
        return IndicatorValue()
    return IndicatorValue(
        value=entry.estimate,
        ci_low=entry.ci_low,
        ci_high=entry.ci_high,
        estimator=entry.estimator,
        n=entry.n_treated,
        **extra,
    )


def causal_value(results: MeasureResults, indicator: str) -> IndicatorValue:
    """Estimate, interval, estimator and n treated of a causal indicator."""
    costs = results.costs
    if indicator == "net_saving_per_participant":
        return _value_of(costs.municipality.net_saving if costs and costs.municipality else None)
    if indicator == "cost_per_additional_in_work_or_study":
        ratio = costs.cost_per_additional if costs else None
        extra = {"bounded": ratio.bounded, "defined": ratio.defined} if ratio else {}
        return _value_of(ratio, **extra)
    spec = indicator_spec(indicator)
    outcome = spec.outcome if spec else None
    return _value_of(results.headline_estimate(outcome) if outcome else None)
