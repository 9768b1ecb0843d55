"""Goals per commission: every measure's goal verdicts rolled up by the document that set them.

Rules (quoted by the report's portfolio page):

- A **commission** is the source document of a goal, known by its diarienummer (``dnr``), else
  by its title; all goals citing it, in every measure, belong to it.
- Each goal keeps its decision date (the document's), indicator, target and direction, deadline,
  **measurement period** (participants who started in the measure's intake window, followed in
  the registers up to the data's last month) and verdict (``audit.goals``).
- A commission is **fulfilled** when every goal is ``uppfyllt``; **not fulfilled** when any goal
  is ``ej_uppfyllt``; else it **cannot be judged** yet when any goal is ``kan_ej_bedomas``; else
  (some ``delvis``) **partly** fulfilled.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from evalkit.audit.goals import DELVIS, EJ_UPPFYLLT, KAN_EJ_BEDOMAS, UPPFYLLT, VERDICTS
from evalkit.results import Count, MeasureResults, Number, Part


class MeasurementPeriod(Part):
    """Whom and when a goal's value describes: starts in the intake, registers to ``data_end``."""

    intake_start: str | None = None
    intake_end: str | None = None
    data_end: str | None = None


class CommissionGoal(Part):
    """One goal of one measure under its commission, with its verdict."""

    measure_id: str
    measure_title: str | None = None
    goal_id: str | None = None
    text: str | None = None
    indicator: str | None = None
    unit: str | None = None
    target: Number = None
    direction: str | None = None
    deadline: date | None = None
    measurement_period: MeasurementPeriod | None = None
    value: Number = None
    ci_low: Number = None
    ci_high: Number = None
    n: Count = None
    verdict: str | None = None
    reason: str | None = None


class CommissionGoals(Part):
    """A commission (source document) with its goals across measures and how many are met."""

    document: str
    dnr: str | None = None
    decided: date | None = None
    n_goals: int = 0
    counts: dict[str, int] = {}
    status: str | None = None
    goals: list[CommissionGoal] = []


def commission_status(counts: dict[str, int]) -> str | None:
    """``fulfilled``, ``not_fulfilled``, ``cannot_judge`` or ``partly`` (see the module rules)."""
    total = sum(counts.values())
    if total == 0:
        return None
    if counts.get(UPPFYLLT, 0) == total:
        return "fulfilled"
    if counts.get(EJ_UPPFYLLT, 0):
        return "not_fulfilled"
    if counts.get(KAN_EJ_BEDOMAS, 0):
        return "cannot_judge"
    return "partly" if counts.get(DELVIS, 0) else None


def _period(results: MeasureResults) -> MeasurementPeriod:
    intake = results.intake()
    end = results.sample.data_end or (results.followup.data_end if results.followup else None)
    return MeasurementPeriod(
        intake_start=intake[0] if intake else None,
        intake_end=intake[1] if intake else None,
        data_end=str(end) if end else None,
    )


def goals_by_document(all_results: list[MeasureResults]) -> list[CommissionGoals]:
    """Every measure's goal verdicts grouped by commission, oldest decision first."""
    groups: dict[str, CommissionGoals] = {}
    for results in all_results:
        if results.is_failed:
            continue
        period = _period(results)
        for g in results.goals:
            source = g.source
            key = (source.dnr or source.title) if source else ""
            group = groups.setdefault(
                key,
                CommissionGoals(
                    document=source.title if source else "",
                    dnr=source.dnr if source else None,
                    decided=source.decided if source else None,
                ),
            )
            group.goals.append(
                CommissionGoal(
                    measure_id=results.measure_id,
                    measure_title=results.title,
                    goal_id=g.id,
                    text=g.text,
                    indicator=g.indicator,
                    unit=g.unit,
                    target=g.target,
                    direction=g.direction,
                    deadline=g.deadline,
                    measurement_period=period,
                    value=g.value,
                    ci_low=g.ci_low,
                    ci_high=g.ci_high,
                    n=g.n,
                    verdict=g.verdict,
                    reason=g.reason,
                )
            )
    out = []
    for group in groups.values():
        tally = Counter(g.verdict for g in group.goals if g.verdict in VERDICTS)
        counts = {v: tally.get(v, 0) for v in VERDICTS}
        out.append(
            group.model_copy(
                update={
                    "n_goals": len(group.goals),
                    "counts": counts,
                    "status": commission_status(counts),
                }
            )
        )
    return sorted(out, key=lambda c: (c.decided or date.max, c.dnr or c.document))
