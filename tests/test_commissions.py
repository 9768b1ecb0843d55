"""Specifications of goals rolled up per commission (evalkit.audit.commissions)."""

from __future__ import annotations

from datetime import date

from evalkit.audit.commissions import commission_status, goals_by_document
from evalkit.results import MeasureResults


def _goal(gid: str, dnr: str, verdict: str, title: str = "Uppdrag", decided: str = "2023-06-15"):
    return {
        "id": gid,
        "source": {"title": title, "dnr": dnr, "decided": decided},
        "text": f"Mål {gid}",
        "indicator": "effect_work_or_study_12m",
        "unit": "share_points",
        "target": 0.05,
        "direction": "at_least",
        "deadline": "2025-12-31",
        "value": 0.07,
        "verdict": verdict,
    }


def _measure(mid: str, goals: list[dict], **extra) -> MeasureResults:
    return MeasureResults.model_validate(
        {
            "measure_id": mid,
            "title": mid.title(),
            "status": "ok",
            "sample": {"intake_start": "2021-01", "intake_end": "2023-12", "data_end": "2024-12"},
            "goals": goals,
            **extra,
        }
    )


def _runs() -> list[MeasureResults]:
    return [
        _measure(
            "a",
            [
                _goal("G1", "AMN 2023/112", "uppfyllt"),
                _goal("G2", "KS 2022/118", "uppfyllt", "Mål och budget", "2022-11-28"),
            ],
        ),
        _measure("b", [_goal("G1", "AMN 2023/112", "kan_ej_bedomas")]),
        _measure("c", [_goal("G1", "AMN 2023/112", "ej_uppfyllt")]),
        _measure("d", [_goal("G9", "AMN 2023/112", "uppfyllt")], status="failed"),
    ]


def test_goals_of_every_measure_are_grouped_by_diarienummer():
    groups = {g.dnr: g for g in goals_by_document(_runs())}
    assert set(groups) == {"AMN 2023/112", "KS 2022/118"}
    assert [(g.measure_id, g.goal_id) for g in groups["AMN 2023/112"].goals] == [
        ("a", "G1"),
        ("b", "G1"),
        ("c", "G1"),
    ]


def test_a_commission_counts_its_goals_by_verdict():
    group = next(g for g in goals_by_document(_runs()) if g.dnr == "AMN 2023/112")
    assert group.n_goals == 3
    assert group.counts == {"uppfyllt": 1, "delvis": 0, "ej_uppfyllt": 1, "kan_ej_bedomas": 1}
    assert group.status == "not_fulfilled"


def test_commissions_come_oldest_decision_first_with_their_decision_date():
    groups = goals_by_document(_runs())
    assert [g.dnr for g in groups] == ["KS 2022/118", "AMN 2023/112"]
    assert groups[0].decided == date(2022, 11, 28)
    assert groups[0].status == "fulfilled"


def test_each_goal_carries_its_measurement_period():
    goal = goals_by_document(_runs())[0].goals[0]
    period = goal.measurement_period
    assert (period.intake_start, period.intake_end, period.data_end) == (
        "2021-01",
        "2023-12",
        "2024-12",
    )
    assert goal.deadline == date(2025, 12, 31) and goal.target == 0.05


def test_a_commission_is_done_only_when_every_goal_is_met():
    assert commission_status({"uppfyllt": 3}) == "fulfilled"
    assert commission_status({"uppfyllt": 2, "kan_ej_bedomas": 1}) == "cannot_judge"
    assert commission_status({"uppfyllt": 2, "delvis": 1}) == "partly"
    assert commission_status({"uppfyllt": 1, "ej_uppfyllt": 1, "kan_ej_bedomas": 1}) == (
        "not_fulfilled"
    )
    assert commission_status({}) is None
