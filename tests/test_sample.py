"""The analysis sample on hand-made registers (tests/registers_small.py): every number by hand.

Month arithmetic used below: data months run 2019-01 (period 1) .. 2022-08 (period 44).
Household h1 (persons a, b) had assistance 2020-10 5000, 2020-11 5000, 2020-12 6000,
2021-02 4000, 2021-05 3000, 2022-01 2500; h2 (c) 2020-12 2000; h3 (d) 1000 in each month
2020-06..2021-01 (8 months); h4 (e) never. With eligibility_months=3 and intake
2021-01..2021-03 the eligible person-months are a, b and d in 2021-01, 02 and 03
(c is 16 in 2021, e's household never had assistance). Every unit, treated or not, must also be
out of work and studies in the month before its reference month.
"""

from __future__ import annotations

import math

import pandas as pd
import pytest
from small_registers import small_registers

from evalkit.data.sample import (
    ATTRITION_COLUMNS,
    DEFAULT_COVARIATES,
    HISTORY_COLUMNS,
    PLACEBO_OUTCOMES,
    STANDARD_OUTCOMES,
    build_sample,
    post_path_columns,
    pre_path_columns,
)
from evalkit.errors import DataError, MissingColumnError, MissingTableError, ParamsError

INTAKE = ("2021-01", "2021-03")
NAN = math.nan


def build(comparison: str = "not_yet_treated", **kw):
    return build_sample(
        small_registers(), "m1", intake=INTAKE, comparison=comparison, control_share=1.0, **kw
    )


def units(sample) -> dict[tuple[int, str], pd.Series]:
    """Rows keyed by (cluster_id, ref month 'YYYY-MM'); cluster ids follow person_id order a..e."""
    f = sample.frame
    return {
        (int(r.cluster_id), r.ref_month.strftime("%Y-%m")): r for r in f.itertuples(index=False)
    }


def test_treated_unit_is_the_first_eligible_start_in_the_intake():
    # a starts m1 2021-02 (eligible: h1 had assistance 2020-12); c starts 2021-03 at age 16,
    # e starts 2021-01 without household assistance; d starts 2021-05, after the intake.
    f = build().frame
    treated = f[f["treated"] == 1]
    months = treated["ref_month"].dt.strftime("%Y-%m")
    assert list(zip(treated["cluster_id"], months, strict=True)) == [(1, "2021-02")]


def test_excluded_participants_are_counted_by_reason():
    info = build().describe()
    assert info["n_participants_in_intake"] == 3
    assert info["n_participants_excluded"] == {"age_outside": 1, "no_recent_assistance": 1}


def test_not_yet_treated_comparison_takes_eligible_months_out_of_work_the_month_before():
    # a@01 (before joining; 2020-12 arbetslos), b@02 (2021-01 kommunal_insats is not work),
    # b@03 (2021-02 arbetslos; studier in 2021-03 itself does not matter), d@01 and d@03 (d joins
    # later, in 2021-05). Excluded: a@02/03 (in m1), b@01 (still in m2 until 2021-01-20),
    # d@02 (arbete in 2021-01, the month before).
    got = sorted(k for k, r in units(build()).items() if r.treated == 0)
    assert got == [(1, "2021-01"), (2, "2021-02"), (2, "2021-03"), (4, "2021-01"), (4, "2021-03")]


def test_treated_and_comparison_units_follow_one_rule_on_the_month_before():
    # the treated unit a@02 was out of work in 2021-01, like every comparison unit
    f = build().frame
    assert (f["work_or_study_b1"] == 0).all()


def test_participant_in_work_the_month_before_start_is_excluded_by_reason():
    tables = small_registers()
    st = tables["status"]
    st.loc[(st["person_id"] == "a") & (st["month"] == "2021-01-01"), "status"] = "arbete"
    info = build_sample(tables, "m1", intake=INTAKE, control_share=1.0).describe()
    assert info["n_treated"] == 0
    assert info["n_participants_excluded"]["working_before_start"] == 1


def test_never_treated_comparison_keeps_only_persons_who_never_join():
    got = sorted(k for k, r in units(build("never_treated")).items() if r.treated == 0)
    assert got == [(2, "2021-02"), (2, "2021-03")]


def test_eligible_comparison_also_keeps_persons_in_other_measures():
    # as not_yet_treated plus b@01, who is in m2 that month (out of work in 2020-12).
    got = sorted(k for k, r in units(build("eligible")).items() if r.treated == 0)
    assert got == [
        (1, "2021-01"),
        (2, "2021-01"),
        (2, "2021-02"),
        (2, "2021-03"),
        (4, "2021-01"),
        (4, "2021-03"),
    ]


def test_describe_gives_the_share_of_comparison_units_who_start_later():
    # a@01, d@01 and d@03 start m1 later (a in 2021-02, d in 2021-05); b never does
    info = build().describe()
    assert (info["n_control_start_later"], info["n_control"]) == (3, 5)
    assert info["share_control_start_later"] == pytest.approx(0.6)


def test_covariates_of_the_treated_unit_are_measured_before_start():
    a = units(build())[(1, "2021-02")]
    # age 2021-1990; born in Sweden so years in Sweden = age; h1 has two persons.
    assert (a.age, a.female, a.born_europe, a.born_outside_europe, a.years_in_sweden) == (
        31,
        1,
        0,
        0,
        31,
    )
    assert (a.edu_gymnasial, a.edu_eftergymnasial, a.edu_unknown, a.household_size) == (1, 0, 0, 2)
    # 2020-02..2021-01: 2020-10, 11, 12 -> 3 months, 5000 + 5000 + 6000 SEK (nothing earlier)
    assert (a.assistance_months_12m_before, a.assistance_sek_12m_before) == (3, 16000)
    assert (a.assistance_months_24m_before, a.assistance_sek_24m_before) == (3, 16000)
    # 2019-02..2021-01: arbete 2020-01..06 (2019-01 falls outside the 24 months)
    assert a.work_months_24m_before == 6
    assert a.earlier_measures == 0


def test_covariates_of_a_foreign_born_comparison_with_an_earlier_measure():
    b = units(build())[(2, "2021-02")]
    assert (b.age, b.female, b.born_outside_europe, b.years_in_sweden) == (36, 0, 1, 6)
    assert (b.edu_gymnasial, b.edu_eftergymnasial, b.edu_unknown) == (0, 0, 0)
    # subsidised work 2019-06..08 counts as work; kommunal_insats in m2 does not
    assert b.work_months_24m_before == 3
    assert b.earlier_measures == 1  # m2 started 2020-11


def test_assistance_covariates_count_household_months_in_each_window():
    d = units(build())[(4, "2021-03")]
    # h3 2020-06..2021-01 lies inside 2020-03..2021-02: 8 months of 1000 SEK
    assert (d.assistance_months_12m_before, d.assistance_sek_12m_before) == (8, 8000)
    assert d.household_size == 1
    assert d.edu_eftergymnasial == 1
    assert d.work_months_24m_before == 1  # arbete 2021-01


def test_outcomes_of_the_treated_unit_follow_the_start_month():
    a = units(build())[(1, "2021-02")]
    assert a.work_or_study_6m == 1  # 2021-08 arbete
    assert a.work_or_study_12m == 0  # 2022-02 arbetslos
    # household h1 in 2021-03..2022-02: 2021-05 3000 + 2022-01 2500
    assert (a.assistance_sek_12m, a.assistance_months_12m) == (5500, 2)


def test_municipal_measure_status_is_not_work():
    d = units(build())[(4, "2021-03")]
    assert d.work_or_study_6m == 0  # 2021-09 kommunal_insats
    assert d.assistance_sek_12m == 0  # h3 has nothing after 2021-01


def test_outcomes_past_the_data_end_are_nan_not_zero():
    s = build()
    f = s.frame
    # 24 months after any 2021 intake month is after 2022-08
    assert f["work_or_study_24m"].isna().all()
    assert f["assistance_sek_24m"].isna().all()
    assert f["work_or_study_12m"].notna().all()
    missing = s.describe()["n_outcome_missing"]
    assert missing == {
        "work_or_study_6m": 0,
        "work_or_study_12m": 0,
        "work_or_study_24m": 6,
        "assistance_sek_12m": 0,
        "assistance_sek_24m": 6,
        "assistance_months_12m": 0,
        "work_or_study_months_12m": 0,
        "work_or_study_months_24m": 6,
        "work_or_study_months_36m": 6,
        "assistance_sek_36m": 6,
    }


def test_placebo_outcomes_are_nan_when_25_to_36_months_back_reach_before_the_data():
    # months 36..25 before 2021-01..03 start in 2018-01..03, before the data (2019-01)
    f = build().frame
    for name in PLACEBO_OUTCOMES:
        assert f[name].isna().all(), name


def test_placebo_outcomes_count_months_25_to_36_before():
    # a moved to start m1 in 2022-03; at 2022-02 she is out of work (2022-01 arbetslos) and
    # eligible (h1 paid 2022-01). Months 36..25 before 2022-02 are 2019-02..2020-01: arbete in
    # 2020-01 only (2019-01 lies 37 months back); h1 had no assistance then.
    tables = small_registers()
    tables["participations"].loc[0, ["start_date", "end_date"]] = [
        pd.Timestamp("2022-03-10"),
        pd.NaT,
    ]
    s = build_sample(tables, "m1", intake=("2022-02", "2022-02"), control_share=1.0)
    a = units(s)[(1, "2022-02")]
    assert a.placebo_work_or_study_months_25_36m_before == 1
    assert a.placebo_assistance_sek_25_36m_before == 0


def test_eligibility_counts_persons_and_person_months():
    info = build().describe()
    assert (info["n_eligible"], info["n_eligible_person_months"]) == (3, 9)
    assert (info["n_treated"], info["n_control"], info["n_control_persons"]) == (1, 5, 3)
    assert (info["data_start"], info["data_end"]) == ("2019-01", "2022-08")


def test_frame_has_the_contract_columns():
    f = build().frame
    for col in ("unit_id", "treated", "ref_month", "sex", "age_group", "birth_region"):
        assert col in f.columns
    numeric = [c for c in DEFAULT_COVARIATES if c != "start_quarter"]
    for col in (*numeric, *HISTORY_COLUMNS, *STANDARD_OUTCOMES, *PLACEBO_OUTCOMES):
        assert f[col].dtype == "float64", col
    for col in (*ATTRITION_COLUMNS, *pre_path_columns(), *post_path_columns()):
        assert f[col].dtype == "float64", col
    assert f["start_quarter"].tolist() == ["2021Q1"] * len(f)
    assert f["unit_id"].is_unique


def test_age_group_and_subgroup_columns():
    rows = units(build())
    assert rows[(1, "2021-02")].age_group == "30-44"
    assert rows[(4, "2021-03")].age_group == "45-64"
    assert rows[(2, "2021-02")].birth_region == "utanfor_europa"


def test_panel_has_every_month_for_sample_persons_with_start_period_as_cohort():
    p = build().panel()
    assert len(p) == 3 * 44  # a, b, d x 2019-01..2022-08
    cohorts = p.groupby("unit_id")["cohort"].first().to_dict()
    # a starts 2021-02 = period 26, d 2021-05 = period 29, b never
    assert cohorts == {1: 26, 2: 0, 4: 29}
    a = p[p["unit_id"] == 1].set_index("period")
    assert a.loc[1, "work_or_study"] == 1  # 2019-01 arbete
    assert a.loc[22, "assistance_sek"] == 5000  # 2020-10
    assert a.loc[23, "assistance_sek"] == 5000 and a.loc[24, "assistance_sek"] == 6000


def test_stacked_rows_are_joiners_and_not_yet_joined_with_monthly_outcomes():
    st = build().stacked(horizon=3)
    keys = sorted(zip(st["unit_id"], st["start_period"], st["treated"], strict=True))
    # periods: 2021-01 = 25, 2021-02 = 26, 2021-03 = 27; the comparison pool of the frame
    assert keys == [(1, 25, 0), (1, 26, 1), (2, 26, 0), (2, 27, 0), (4, 25, 0), (4, 27, 0)]
    a = st[(st["unit_id"] == 1) & (st["treated"] == 1)].iloc[0]
    assert [a[f"work_or_study_m{k}"] for k in (1, 2, 3)] == [0, 0, 1]  # 03, 04 insats; 05 arbete
    assert [a[f"assistance_sek_m{k}"] for k in (1, 2, 3)] == [0, 0, 3000]
    for c in DEFAULT_COVARIATES:
        assert c in st.columns


def test_control_draws_are_seeded_and_come_from_the_pool():
    kw = {"intake": INTAKE, "control_share": 0.5}
    one = build_sample(small_registers(), "m1", seed=7, **kw).frame
    two = build_sample(small_registers(), "m1", seed=7, **kw).frame
    pd.testing.assert_frame_equal(one, two)
    pool = {(1, "2021-01"), (2, "2021-02"), (2, "2021-03"), (4, "2021-01"), (4, "2021-03")}
    drawn = {k for k, r in units(build_sample(small_registers(), "m1", seed=7, **kw)).items()}
    assert {k for k in drawn if k != (1, "2021-02")} <= pool


def test_default_control_share_is_one_over_intake_months():
    s = build_sample(small_registers(), "m1", intake=INTAKE)
    assert s.describe()["control_share"] == pytest.approx(1 / 3)


def test_unknown_comparison_is_a_params_error():
    with pytest.raises(ParamsError, match="comparison"):
        build_sample(small_registers(), "m1", comparison="random")


def test_missing_table_names_the_table():
    tables = small_registers()
    del tables["status"]
    with pytest.raises(MissingTableError) as err:
        build_sample(tables, "m1", intake=INTAKE)
    assert err.value.table == "status"


def test_missing_column_names_table_and_column():
    tables = small_registers()
    tables["assistance"] = tables["assistance"].drop(columns="amount_sek")
    with pytest.raises(MissingColumnError) as err:
        build_sample(tables, "m1", intake=INTAKE)
    assert (err.value.table, err.value.column) == ("assistance", "amount_sek")


def test_unknown_measure_is_a_data_error():
    with pytest.raises(DataError) as err:
        build_sample(small_registers(), "nope", intake=INTAKE)
    assert (err.value.table, err.value.column) == ("participations", "measure_id")


def test_intake_outside_the_data_is_a_data_error():
    with pytest.raises(DataError, match="outside the data"):
        build_sample(small_registers(), "m1", intake=("2024-01", "2024-12"))


def test_error_messages_carry_no_person_identifiers():
    tables = small_registers()
    tables["persons"]["person_id"] = ["pid-secret-" + x for x in "abcde"]
    with pytest.raises(DataError) as err:
        build_sample(tables, "nope", intake=INTAKE)
    assert "pid-secret" not in str(err.value)


def test_eligibility_needs_household_assistance_within_the_last_n_months():
    # With one month: h1 paid 2020-12 and 2021-02, so a and b are eligible in 2021-01 and 03
    # but not 02 (a's start month); h3 paid 2020-12 and 2021-01, so d in 2021-01 and 02;
    # h2 paid only 2020-12, so c's 2021-03 start now fails on assistance (checked before age).
    s = build_sample(small_registers(), "m1", intake=INTAKE, eligibility_months=1)
    info = s.describe()
    assert (info["n_eligible"], info["n_eligible_person_months"]) == (3, 6)
    assert info["n_treated"] == 0
    assert info["n_participants_excluded"] == {"no_recent_assistance": 3}


# --- histories, paths and attrition (issue 10 items 2 and 4) -------------------------------------


def test_work_histories_count_months_before_u_in_each_window():
    a = units(build())[(1, "2021-02")]
    # a: arbete 2019-01 and 2020-01..06; windows end in 2021-01
    got = [getattr(a, f"work_months_{w}m_before") for w in (3, 6, 12, 24, 36)]
    assert got == [0, 0, 5, 6, 7]


def test_spells_are_measured_back_from_u_minus_1():
    rows = units(build())
    a = rows[(1, "2021-02")]
    # last work 2020-06: out of work 2020-07..2021-01 (7 months), last work 8 months back;
    # h1 had no assistance in 2021-01, so no current assistance spell
    assert (a.months_out_of_work, a.months_since_work, a.months_on_assistance) == (7, 8, 0)
    a_jan = rows[(1, "2021-01")]
    assert a_jan.months_on_assistance == 3  # h1 paid 2020-10, 11, 12


def test_spells_are_capped_when_nothing_happened_within_the_window():
    d = units(build())[(4, "2021-01")]
    # d: no work 2019-01..2020-12 (24 months) and none in the data before: capped at 24 / 36
    assert (d.months_out_of_work, d.months_since_work) == (24, 36)
    assert d.months_on_assistance == 7  # h3 paid 2020-06..12


def test_pre_paths_read_k_months_before_u_and_are_nan_before_the_data():
    rows = units(build())
    a = rows[(1, "2021-02")]
    assert (a.work_or_study_b7, a.work_or_study_b8) == (0, 1)  # 2020-07, 2020-06 arbete
    assert (a.assistance_sek_b2, a.assistance_sek_b3) == (6000, 5000)  # 2020-12, 2020-11
    a_jan = rows[(1, "2021-01")]
    assert a_jan.work_or_study_b24 == 1  # 2019-01 arbete
    assert math.isnan(a_jan.work_or_study_b25)  # 2018-12, before the data


def test_post_paths_read_k_months_after_u_and_are_nan_past_the_data():
    a = units(build())[(1, "2021-02")]
    assert [getattr(a, f"work_or_study_m{k}") for k in (1, 2, 3)] == [
        0,
        0,
        1,
    ]  # 03, 04 insats; 05 arbete
    assert a.assistance_sek_m3 == 3000  # 2021-05
    assert a.work_or_study_m18 == 0 and math.isnan(a.work_or_study_m19)  # 2022-08 is the last


def test_cumulative_outcomes_sum_the_months_after_start():
    a = units(build())[(1, "2021-02")]
    # 2021-03..2022-02: insats 03, 04; arbete 05..12 (8 months); arbetslos 2022-01, 02
    assert a.work_or_study_months_12m == 8
    assert math.isnan(a.work_or_study_months_24m)


def test_start_quarter_is_the_calendar_quarter_of_u():
    # intake 2021-04..06: b@2021-05 is the only unit (a has joined m1; d was in work in 2021-01
    # but is in m1 from 2021-05; b@04 was in studier in 2021-03)
    s = build_sample(small_registers(), "m1", intake=("2021-04", "2021-06"), control_share=1.0)
    rows = units(s)
    assert rows[(2, "2021-05")].start_quarter == "2021Q2"


def moved_away(person: str, last: str) -> dict[str, pd.DataFrame]:
    """The small registers with ``person``'s status rows ending in month ``last`` (moved)."""
    tables = small_registers()
    st = tables["status"]
    tables["status"] = st[(st["person_id"] != person) | (st["month"] <= f"{last}-01")]
    return tables


def test_outcomes_after_the_registers_end_are_nan_not_zero():
    # b's status rows end in 2021-06: at b@02 the 6-month outcome (2021-08) is unobserved,
    # although h1 (with a) is still there and has assistance rows
    s = build_sample(moved_away("b", "2021-06"), "m1", intake=INTAKE, control_share=1.0)
    b = units(s)[(2, "2021-02")]
    assert math.isnan(b.work_or_study_6m) and math.isnan(b.assistance_sek_12m)
    assert b.work_or_study_m4 == 0 and math.isnan(b.work_or_study_m5)
    assert (b.months_observed, b.observed_6m, b.observed_12m) == (4, 0, 0)
    assert math.isnan(b.observed_24m)  # 2023-02 lies past the data: not attrition
    a = units(s)[(1, "2021-02")]
    assert (a.months_observed, a.observed_6m, a.observed_12m) == (18, 1, 1)


def test_describe_reports_attrition_per_group_and_horizon():
    s = build_sample(moved_away("b", "2021-06"), "m1", intake=INTAKE, control_share=1.0)
    att = s.describe()["attrition"]
    # b@02 and b@03 are unobserved at 6 and 12 months; a@01, d@01, d@03 observed
    assert att["6m"]["control"] == {"n": 5, "n_not_observed": 2, "share_not_observed": 0.4}
    assert att["12m"]["treated"] == {"n": 1, "n_not_observed": 0, "share_not_observed": 0.0}
    assert att["24m"]["control"]["n"] == 0  # no horizon inside the data


def test_persons_whose_registers_ended_are_neither_units_nor_household_members():
    # b's rows end in 2020-12: b is no unit in 2021, and h1 counts only a in 2021-01
    s = build_sample(moved_away("b", "2020-12"), "m1", intake=INTAKE, control_share=1.0)
    assert 2 not in set(s.frame["cluster_id"])
    assert units(s)[(1, "2021-02")].household_size == 1


def test_participant_whose_registers_ended_is_excluded_by_reason():
    s = build_sample(moved_away("a", "2021-01"), "m1", intake=INTAKE, control_share=1.0)
    assert s.describe()["n_participants_excluded"]["registers_ended"] == 1


def test_stacked_gives_pre_paths_on_request():
    st = build().stacked(horizon=2, pre=3)
    a = st[(st["unit_id"] == 1) & (st["treated"] == 1)].iloc[0]
    assert [a[f"work_or_study_b{k}"] for k in (1, 2, 3)] == [0, 0, 0]
    assert "work_or_study_b4" not in st.columns


def test_parquet_folders_partitioned_by_year_give_the_same_sample(tmp_path):
    tables = small_registers()
    for name, frame in tables.items():
        if "month" in frame.columns:
            part = frame.assign(year=frame["month"].dt.year)
            part.to_parquet(tmp_path / name, partition_cols=["year"], index=False)
        else:
            frame.to_parquet(tmp_path / f"{name}.parquet", index=False)
    paths = {
        name: tmp_path / (name if "month" in frame.columns else f"{name}.parquet")
        for name, frame in tables.items()
    }
    kw = {"intake": INTAKE, "control_share": 1.0}
    from_files = build_sample(paths, "m1", memory_limit="1GB", temp_directory=tmp_path / "t", **kw)
    pd.testing.assert_frame_equal(from_files.frame, build_sample(tables, "m1", **kw).frame)


def test_repeated_status_rows_change_nothing_and_any_work_row_counts_as_work():
    tables = small_registers()
    st = tables["status"]
    tables["status"] = pd.concat([st, st[st["person_id"].isin(["b", "d"])]], ignore_index=True)
    pd.testing.assert_frame_equal(build_sample(tables, "m1", **{"intake": INTAKE,
        "control_share": 1.0}).frame, build().frame)  # fmt: skip
    extra = st[(st["person_id"] == "a") & (st["month"] == "2021-01-01")].assign(status="arbete")
    tables["status"] = pd.concat([st, extra], ignore_index=True)
    info = build_sample(tables, "m1", intake=INTAKE, control_share=1.0).describe()
    assert info["n_participants_excluded"]["working_before_start"] == 1
