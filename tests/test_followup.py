"""Today's follow-up on the hand-made registers (tests/registers_small.py), counted by hand.

Measure m1 participations starting 2021-01..2021-03: e (2021-01, ended, 'annat'),
a (2021-02, ended, 'arbete_osubventionerat'), c (2021-03, ended, 'studier').
d starts 2021-05 and is still in the measure ('pagaende'). Status runs to 2022-08.
"""

from __future__ import annotations

from small_registers import small_registers

from evalkit.data.followup import followup

INTAKE = ("2021-01", "2021-03")


def shares(result: dict) -> dict[str, tuple[int, int, float | None]]:
    return {s["horizon"]: (s["n"], s["n_in_work_or_study"], s["share"]) for s in result["shares"]}


def test_participants_are_counted_by_start_in_the_intake():
    r = followup(small_registers(), "m1", intake=INTAKE)
    assert (r["n_participants"], r["n_persons"]) == (3, 3)


def test_share_at_exit_uses_end_reasons_work_and_studies():
    # arbete_osubventionerat and studier count, annat does not: 2 of 3 ended
    assert shares(followup(small_registers(), "m1", intake=INTAKE))["exit"] == (3, 2, 2 / 3)


def test_share_six_months_after_start_reads_the_status_register():
    # e 2021-07 arbetslos, a 2021-08 arbete, c 2021-09 studier
    assert shares(followup(small_registers(), "m1", intake=INTAKE))["6m"] == (3, 2, 2 / 3)


def test_share_twelve_months_after_start():
    # e 2022-01 arbete, a 2022-02 arbetslos, c 2022-03 arbetslos
    assert shares(followup(small_registers(), "m1", intake=INTAKE))["12m"] == (3, 1, 1 / 3)


def test_horizon_past_the_data_has_no_denominator():
    # 24 months after 2021-01..03 is after 2022-08: nobody observed that long
    assert shares(followup(small_registers(), "m1", intake=INTAKE))["24m"] == (0, 0, None)


def test_end_reasons_are_counted():
    r = followup(small_registers(), "m1", intake=INTAKE)
    assert r["end_reasons"] == [
        {"reason": "annat", "n": 1},
        {"reason": "arbete_osubventionerat", "n": 1},
        {"reason": "studier", "n": 1},
    ]


def test_ongoing_participations_are_pagaende_and_not_in_the_exit_denominator():
    r = followup(small_registers(), "m1", intake=("2021-05", "2021-05"))
    assert r["end_reasons"] == [{"reason": "pagaende", "n": 1}]
    assert shares(r)["exit"] == (0, 0, None)
    assert shares(r)["6m"] == (1, 0, 0.0)  # 2021-11 kommunal_insats is not work


def test_other_measures_are_not_counted():
    r = followup(small_registers(), "m2", intake=INTAKE)
    assert r["n_participants"] == 0


def test_persons_whose_registers_ended_are_left_out_not_counted_as_without_work():
    # a's status rows end in 2021-06 (moved away): a's 6- and 12-month months (2021-08,
    # 2022-02) are unobserved, so only e (2021-07 arbetslos) and c (2021-09 studier) count
    tables = small_registers()
    st = tables["status"]
    tables["status"] = st[(st["person_id"] != "a") | (st["month"] <= "2021-06-01")]
    r = followup(tables, "m1", intake=INTAKE)
    six = next(s for s in r["shares"] if s["horizon"] == "6m")
    assert (six["n"], six["n_in_work_or_study"]) == (2, 1)
