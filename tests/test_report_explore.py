"""Specifications of the explore helpers: aggregated views, small counts hidden."""

from __future__ import annotations

from types import SimpleNamespace

import pandas as pd
import pytest

from evalkit import explore
from evalkit.errors import ParamsError


def registers() -> explore.Registers:
    """Measure A: 12 participations of 10 persons (persons a0, a1 twice), 3 ongoing, all starting
    in 2022Q1 except 4 in 2022Q2; measure B: 3 persons, 2022Q1. Assistance: 6 households in
    2021, 3 in 2022."""
    a_people = [f"a{i}" for i in range(10)] + ["a0", "a1"]
    a_start = ["2022-01-15"] * 8 + ["2022-04-01"] * 4
    a_end = ["2022-06-30"] * 9 + [None] * 3
    a_reason = ["arbete_osubventionerat"] * 6 + ["avbrott"] * 3 + ["pagaende"] * 3
    participations = pd.DataFrame(
        {
            "person_id": a_people + ["b0", "b1", "b2"],
            "measure_id": ["A"] * 12 + ["B"] * 3,
            "start_date": pd.to_datetime(a_start + ["2022-02-01"] * 3),
            "end_date": pd.to_datetime(a_end + ["2022-03-31"] * 3),
            "end_reason": a_reason + ["studier"] * 3,
        }
    )
    measures = pd.DataFrame({"measure_id": ["A", "B"], "name": ["Jobbspår", "Praktik"]})
    assistance = pd.DataFrame(
        {
            "household_id": [f"h{i}" for i in range(6)] + ["h0", "h1", "h2"],
            "month": pd.to_datetime(["2021-03-01"] * 6 + ["2022-03-01"] * 3),
            "amount_sek": [1000.0] * 6 + [2000.0] * 3,
        }
    )
    report = SimpleNamespace(
        rows=[
            {
                "table": "participations",
                "rule": "R104",
                "description": "end before start",
                "count": 2,
                "examples": [4, 9],
            }
        ]
    )
    validated = SimpleNamespace(
        tables={"participations": participations, "measures": measures, "assistance": assistance},
        report=report,
    )
    return explore.Registers(validated, "test")


def test_participants_per_measure_count_people_once_and_hide_small_counts():
    table = explore.participants_by_measure(registers(), min_cell=5)
    a = table.loc["Jobbspår"]
    assert (a["Deltagare"], a["Påbörjade"]) == (10, 12)
    assert pd.isna(a["Pågående"])  # 3 ongoing < 5
    b = table.loc["Praktik"]
    assert pd.isna(b["Deltagare"]) and pd.isna(b["Påbörjade"])  # 3 participants
    assert b["Pågående"] == 0  # zero names no one and is shown


def test_flows_hide_small_cells_and_protect_them_against_totals():
    table = explore.flows(registers(), freq="Q", min_cell=5)
    starts = table["Påbörjade"]
    # 2022Q1: A 8, B 3 (small), total 11; 2022Q2: A 4 (small), B 0, total 4 (small);
    # totals: A 12, B 3 (small), 15.
    assert pd.isna(starts.loc["2022Q1", "Praktik"])
    assert pd.isna(starts.loc["2022Q2", "Jobbspår"])
    assert pd.isna(starts.loc["Totalt", "Praktik"])
    assert starts.loc["2022Q2", "Praktik"] == 0
    assert starts.loc["Totalt", "Totalt"] == 15
    # No row or column may hold exactly one hidden cell (it could be recovered from the total).
    for _, row in starts.iterrows():
        assert row.isna().sum() != 1
    for column in starts.columns:
        assert starts[column].isna().sum() != 1


def test_flows_count_ends_by_period_of_the_end_date():
    ends = explore.flows(registers(), freq="Q", min_cell=1)["Avslutade"]
    # A: 9 ended in 2022Q2; B: 3 ended in 2022Q1 (min_cell 1 shows everything)
    assert ends.loc["2022Q2", "Jobbspår"] == 9
    assert ends.loc["2022Q1", "Praktik"] == 3


def test_assistance_trend_hides_amounts_with_their_small_household_counts():
    table = explore.assistance_trend(registers(), freq="Y", min_cell=5)
    assert table.loc["2021", "Hushåll med försörjningsstöd"] == 6
    assert table.loc["2021", "Utbetalt, kr"] == 6000
    assert pd.isna(table.loc["2022", "Hushåll med försörjningsstöd"])
    assert pd.isna(table.loc["2022", "Utbetalt, kr"])


def test_end_reasons_by_measure_use_report_words_and_totals():
    table = explore.end_reasons_by_measure(registers(), min_cell=1, lang="en")
    assert table.loc["Jobbspår", "Work (unsubsidised)"] == 6
    assert table.loc["Total", "Total"] == 15


def test_data_quality_lists_rule_breaches_without_row_examples():
    table = explore.data_quality(registers())
    assert table.to_dict("records") == [
        {"Tabell": "participations", "Regel": "R104", "": "end before start", "Rader": 2}
    ]


def test_unknown_period_is_a_params_error():
    with pytest.raises(ParamsError, match="freq"):
        explore.flows(registers(), freq="W")
