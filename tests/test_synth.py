"""The synthetic municipality: determinism, register format, the six effect types, known faults."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

from evalkit.data import synth
from evalkit.data.pseudonym import is_valid_personnummer
from evalkit.data.sample import (
    BASE_COVARIATES,
    DEFAULT_COVARIATES,
    STANDARD_OUTCOMES,
    build_sample,
)
from evalkit.data.schema import BIRTH_REGION, EDUCATION, END_REASON, SEX, STATUS, TABLES

SMALL = 2_000
MEASURE_IDS = {
    "jobbspar_vard",
    "arbetsmarknadsanstallning",
    "praktik",
    "sprakpraktik",
    "coachning",
    "mentorprogram",
}


@pytest.fixture(scope="module")
def small() -> synth.SynthData:
    return synth.generate(persons=SMALL, seed=11)


@pytest.fixture(scope="module")
def demo() -> synth.SynthData:
    """The demo city of `evalkit synth`: 30,000 persons, the default seed, scenario dip."""
    return synth.generate()


MID = 8_000  # persons in the cities that show what each scenario does (no truth: fast)


@pytest.fixture(scope="module")
def cities() -> dict[str, synth.SynthData]:
    """A mid-sized city per scenario, the same seed, registers only."""
    return {
        name: synth.generate(MID, seed=3, scenario=name, truth=False) for name in synth.SCENARIOS
    }


def registers(data: synth.SynthData) -> dict[str, pd.DataFrame]:
    """Registers as the sample reads them (the loader would hash the personnummer)."""
    return {n: f.rename(columns={"personnummer": "person_id"}) for n, f in data.tables.items()}


def test_same_seed_gives_identical_tables_and_truth_file_bytes(tmp_path):
    one = synth.write_synth(tmp_path / "one.duckdb", persons=SMALL, seed=5)
    two = synth.write_synth(tmp_path / "two.duckdb", persons=SMALL, seed=5)
    assert (tmp_path / "one.truth.json").read_bytes() == (tmp_path / "two.truth.json").read_bytes()
    a, b = synth.generate(SMALL, seed=5), synth.generate(SMALL, seed=5)
    for name in a.tables:
        pd.testing.assert_frame_equal(a.tables[name], b.tables[name])
    assert one.exists() and two.exists()


def test_different_seed_gives_different_registers():
    a, b = synth.generate(SMALL, seed=5), synth.generate(SMALL, seed=6)
    assert not a.tables["status"].equals(b.tables["status"])
    assert a.truth != b.truth


def test_tables_have_the_register_columns(small):
    for name, frame in small.tables.items():
        expected = [c if c != "person_id" else "personnummer" for c in TABLES[name].column_names]
        assert list(frame.columns) == expected, name


def test_codes_come_from_the_schema_code_lists(small):
    t = small.tables
    assert set(t["persons"]["sex"]) <= set(SEX)
    assert set(t["persons"]["birth_region"]) <= set(BIRTH_REGION)
    assert set(t["persons"]["education"]) <= set(EDUCATION)
    assert set(t["status"]["status"]) <= set(STATUS)
    assert set(t["participations"]["end_reason"]) <= set(END_REASON)


def test_personnummer_are_unique_samordningsnummer_with_a_luhn_check_digit(small):
    pnr = small.tables["persons"]["personnummer"]
    assert pnr.is_unique
    assert pnr.str.fullmatch(r"\d{8}-\d{4}").all()
    assert (pnr.str.slice(6, 8).astype(int) > 60).all()  # day + 60
    # Luhn over YYMMDDNNN with weights 2,1,2,...: the sum of the digits of the products
    # plus the check digit is a multiple of ten
    digits = np.array([[int(c) for c in p[2:8] + p[9:13]] for p in pnr])
    products = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2, 1])
    assert ((products // 10 + products % 10).sum(axis=1) % 10 == 0).all()
    assert all(is_valid_personnummer(p) for p in pnr.iloc[:20])


def test_status_is_monthly_for_every_person_over_the_period(small):
    st = small.tables["status"]
    assert len(st) == SMALL * 96
    assert st["month"].min() == pd.Timestamp("2018-01-01")
    assert st["month"].max() == pd.Timestamp("2025-12-01")
    assert (st["month"].dt.day == 1).all()


def test_assistance_amounts_are_positive_and_per_known_household(small):
    a, p = small.tables["assistance"], small.tables["persons"]
    assert (a["amount_sek"] > 0).all()
    assert set(a["household_id"]) <= set(p["household_id"])
    assert not a.duplicated(["household_id", "month"]).any()


def test_participations_end_after_they_start_or_are_ongoing(small):
    p = small.tables["participations"]
    ended = p["end_date"].notna()
    assert (p.loc[ended, "end_date"] >= p.loc[ended, "start_date"]).all()
    assert (p.loc[~ended, "end_reason"] == "pagaende").all()


def test_a_person_takes_each_measure_at_most_once(small):
    p = small.tables["participations"]
    assert not p.duplicated(["personnummer", "measure_id"]).any()


def test_measures_are_the_six_agreed_ids_with_owner_and_decision_ref(small):
    m = small.tables["measures"]
    assert set(m["measure_id"]) == MEASURE_IDS
    assert m["owner"].notna().all()
    assert m["decision_ref"].str.match(r"^[A-Z]+ \d{4}/\d+$").all()


def test_costs_have_some_external_funding(small):
    c = small.tables["costs"]
    assert (c["cost_sek"] >= 0).all()
    assert (c["external_funding_sek"] > 0).any()
    assert (c["external_funding_sek"] <= c["cost_sek"]).all()


def test_truth_has_every_measure_and_standard_outcome(demo):
    assert set(demo.truth) == MEASURE_IDS
    for effects in demo.truth.values():
        assert set(effects) == set(STANDARD_OUTCOMES)


def test_participation_is_300_to_1500_per_measure_over_2019_2024(demo):
    p = demo.tables["participations"]
    p = p[(p["start_date"] >= "2019-01-01") & (p["start_date"] < "2025-01-01")]
    counts = p.groupby("measure_id").size()
    for m in MEASURE_IDS - {"mentorprogram"}:
        assert 300 <= counts[m] <= 1500, m


def test_mentorprogram_has_too_few_participants_for_a_verdict(demo):
    p = demo.tables["participations"]
    in_intake = p[(p["measure_id"] == "mentorprogram") & (p["start_date"] >= "2021-01-01")]
    in_intake = in_intake[in_intake["start_date"] < "2024-01-01"]
    assert 0 < len(in_intake) < 15


def test_jobbspar_vard_is_clearly_positive(demo):
    t = demo.truth["jobbspar_vard"]
    assert t["work_or_study_12m"] > 0.15
    assert t["assistance_sek_12m"] < -5_000


def test_arbetsmarknadsanstallning_locks_in_then_helps(demo):
    t = demo.truth["arbetsmarknadsanstallning"]
    assert t["work_or_study_6m"] < -0.05  # in a municipal job, which is not work
    assert t["work_or_study_24m"] > 0.1
    assert t["assistance_sek_12m"] < -20_000  # the job pays a wage


def test_praktik_has_no_effect(demo):
    t = demo.truth["praktik"]
    assert abs(t["work_or_study_12m"]) < 0.015
    assert abs(t["assistance_sek_12m"]) < 1_500


def test_sprakpraktik_has_a_small_positive_effect(demo):
    t = demo.truth["sprakpraktik"]
    assert 0 < t["work_or_study_12m"] < 0.08
    assert 0 < t["work_or_study_24m"] < 0.08


def test_coachning_is_negative(demo):
    t = demo.truth["coachning"]
    assert t["work_or_study_12m"] < -0.04
    assert t["assistance_sek_12m"] > 0


def test_participants_differ_from_non_participants_on_observables(demo):
    """Selection on observables: jobbspar takes more women, coachning younger persons."""
    t = demo.tables
    joined = t["persons"].merge(
        t["participations"][["personnummer", "measure_id"]], on="personnummer", how="left"
    )
    share_women = joined.groupby(joined["measure_id"] == "jobbspar_vard")["sex"].apply(
        lambda s: (s == "K").mean()
    )
    assert share_women[True] > share_women[False] + 0.1


@pytest.mark.parametrize("scenario", sorted(synth.SCENARIOS))
def test_copies_of_the_population_follow_identical_paths(scenario):
    """The counterfactual machinery: a copy with no intervention reproduces the factual world."""
    n = 1_500
    pop = synth._population(n, np.random.default_rng([3, 1]), 2018)
    kw = {
        "seed": 3,
        "start": 2018 * 12,
        "months": 96,
        "measures": synth.MEASURES,
        "scenario": synth.get_scenario(scenario),
    }
    rows = np.arange(n)
    a = synth._simulate(pop, rows, pop.household, np.full(n, -1), **kw)
    never = np.full(n, 10**6)
    b = synth._simulate(pop, rows, pop.household, np.full(n, -1), fresh_from=never, **kw)
    assert np.array_equal(a.status, b.status)
    assert np.array_equal(a.assistance, b.assistance)


def test_dirty_counts_are_recorded_per_table_and_rule(tmp_path):
    path = synth.write_synth(tmp_path / "dirty.duckdb", persons=SMALL, seed=2, dirty=True)
    counts = json.loads((tmp_path / "dirty.dirty.json").read_text())
    assert counts == {
        "assistance": {"R102": 5, "R105": 11},
        "participations": {"R106": 7},
        "persons": {"R102": 6, "R104": 9, "R108": 13},
        "status": {"R103": 25},
    }
    assert path.exists()


def test_validator_finds_exactly_the_injected_faults(tmp_path, monkeypatch):
    from evalkit.data.validate import load_and_validate

    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", "test-key")
    path = synth.write_synth(tmp_path / "dirty.duckdb", persons=SMALL, seed=2, dirty=True)
    v = load_and_validate({"kind": "duckdb", "path": str(path)}, period=synth.PERIOD)
    expected = json.loads((tmp_path / "dirty.dirty.json").read_text())
    assert v.report.counts() == expected


def test_dirty_rows_are_added_and_clean_rows_kept():
    clean = synth.generate(SMALL, seed=2)
    dirty = synth.generate(SMALL, seed=2, dirty=True)
    assert clean.truth == dirty.truth
    for name, frame in clean.tables.items():
        added = sum(n for n in dirty.dirty_counts.get(name, {}).values())
        assert len(dirty.tables[name]) == len(frame) + added, name
        head = dirty.tables[name].iloc[: len(frame)].reset_index(drop=True)
        pd.testing.assert_frame_equal(head, frame, check_dtype=False)


def test_clean_data_pass_validation(tmp_path, monkeypatch):
    from evalkit.data.validate import load_and_validate

    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", "test-key")
    path = synth.write_synth(tmp_path / "clean.duckdb", persons=SMALL, seed=4)
    v = load_and_validate({"kind": "duckdb", "path": str(path)}, period=synth.PERIOD)
    assert v.report.counts() == {}
    assert not (tmp_path / "clean.dirty.json").exists()


# --- scenarios (issue 10 item 1) -------------------------------------------------------------------


def test_scenarios_are_the_five_agreed_names_and_dip_is_the_default():
    assert set(synth.SCENARIOS) == {"observables", "dip", "hidden_drive", "calendar", "attrition"}
    assert synth.generate.__kwdefaults__["scenario"] == "dip"
    assert synth.write_synth.__kwdefaults__["scenario"] == "dip"


def test_unknown_scenario_is_an_error_naming_the_known_ones():
    with pytest.raises(ValueError, match="known: observables, dip"):
        synth.generate(SMALL, scenario="boom")


def test_every_scenario_writes_the_register_columns(cities):
    for name, data in cities.items():
        for table, frame in data.tables.items():
            expected = [
                c if c != "person_id" else "personnummer" for c in TABLES[table].column_names
            ]
            assert list(frame.columns) == expected, (name, table)


def test_scenarios_differ_only_from_the_first_month_they_change(cities):
    # calendar changes intake from 2021-01 and job finding in 2022: before 2021 it is dip
    dip, cal = cities["dip"].tables["status"], cities["calendar"].tables["status"]
    early = dip["month"] < "2021-01-01"
    assert dip[early].equals(cal[cal["month"] < "2021-01-01"])
    assert not dip.equals(cal)


def test_truth_of_every_scenario_has_every_measure_and_outcome(tmp_path):
    for name in ("observables", "attrition"):
        synth.write_synth(tmp_path / f"{name}.duckdb", persons=SMALL, seed=5, scenario=name)
        truth = json.loads((tmp_path / f"{name}.truth.json").read_text())
        assert set(truth) == MEASURE_IDS
        assert all(set(t) == set(STANDARD_OUTCOMES) for t in truth.values())


def test_cli_synth_writes_the_chosen_scenario(tmp_path, capsys):
    from evalkit import cli

    out = tmp_path / "a.duckdb"
    assert (
        cli.main(["synth", "--out", str(out), "--persons", "500", "--scenario", "attrition"]) == 0
    )
    assert "scenario attrition" in capsys.readouterr().out
    assert out.exists() and (tmp_path / "a.truth.json").exists()


def test_observables_selects_on_todays_covariates_only():
    intercept, coef, drive = synth._hazard(synth.MEASURES, synth.SCENARIOS["observables"])
    used = {c for row in coef for c, v in zip(synth.SELECTION_COVARIATES, row, strict=True) if v}
    assert used <= set(BASE_COVARIATES)
    assert not drive.any()


def test_dip_participants_enter_after_a_job_loss(cities):
    """Jobbspår picks recent job losers: in work months before start, out of work the month
    before; the comparison units were mostly out of work long before."""
    frame = build_sample(registers(cities["dip"]), "jobbspar_vard").frame
    mean = frame.groupby("treated")[["work_or_study_b1", "work_or_study_b4", "months_out_of_work"]]
    m = mean.mean()
    assert m.loc[1, "work_or_study_b1"] == 0 == m.loc[0, "work_or_study_b1"]
    assert m.loc[1, "work_or_study_b4"] > m.loc[0, "work_or_study_b4"] + 0.3
    assert m.loc[1, "months_out_of_work"] < m.loc[0, "months_out_of_work"] - 6


def _monthly_job_finding(status: pd.DataFrame, lo: int, hi: int) -> float:
    """Share of person-months out of work after ``lo``..``hi`` months out that end in work."""
    st = status.sort_values(["personnummer", "month"])
    work = st["status"].isin(["arbete", "arbete_subventionerat", "studier"]).to_numpy()
    person = st["personnummer"].to_numpy()
    # months out of work so far: the position within the current run of non-work months
    run = np.r_[True, (person[1:] != person[:-1]) | work[1:] | work[:-1]]
    start = np.maximum.accumulate(np.where(run, np.arange(len(work)), 0))
    spell = np.arange(len(work)) - start + 1
    follows = np.r_[person[1:] == person[:-1], False]
    found = np.r_[work[1:], False]
    at_risk = ~work & follows & (spell >= lo) & (spell <= hi)
    return float(found[at_risk].mean())


def test_dip_job_finding_slows_the_longer_a_person_is_out_of_work(cities):
    """Duration dependence: the fall in job finding from short to long spells is steeper under
    dip than under observables (where only unobserved differences between people make it fall)."""
    ratio = {}
    for name in ("observables", "dip"):
        st = cities[name].tables["status"]
        ratio[name] = _monthly_job_finding(st, 24, 60) / _monthly_job_finding(st, 1, 3)
    assert ratio["dip"] < 0.7 * ratio["observables"]


def test_hidden_drive_selects_on_the_unrecorded_drive():
    _, _, dip = synth._hazard(synth.MEASURES, synth.SCENARIOS["dip"])
    _, _, hidden = synth._hazard(synth.MEASURES, synth.SCENARIOS["hidden_drive"])
    demo_drive = {m.measure_id for m, d in zip(synth.MEASURES, dip, strict=True) if d}
    assert demo_drive == {"sprakpraktik"}  # the demo's one measure that cannot be trusted
    assert (hidden > 0).all()


@pytest.mark.slow
def test_hidden_drive_leaves_a_trace_in_work_25_to_36_months_before_start():
    """Adjusted for everything the registers hold up to 24 months back, participants were
    still more often in work 25-36 months before start: the drive, not the measure."""
    from evalkit.estimators import get

    effects = {}
    for name in ("dip", "hidden_drive"):
        data = synth.generate(15_000, seed=7, scenario=name, truth=False)
        frame = build_sample(registers(data), "jobbspar_vard").frame
        outcome = "placebo_work_or_study_months_25_36m_before"
        rows = frame.dropna(subset=[outcome])
        effects[name] = get("aipw")(
            rows, outcome, covariates=DEFAULT_COVARIATES, cluster="cluster_id"
        )
    assert effects["hidden_drive"].estimate > 0 and effects["hidden_drive"].p_value < 0.01
    assert effects["dip"].p_value > 0.05


def test_calendar_intake_is_uneven_by_quarter(cities):
    def per_quarter(name: str) -> pd.Series:
        p = cities[name].tables["participations"]
        p = p[(p["start_date"] >= "2021-01-01") & (p["start_date"] < "2024-01-01")]
        return p.groupby(p["start_date"].dt.to_period("Q")).size()

    cal, dip = per_quarter("calendar"), per_quarter("dip")
    assert cal.std() / cal.mean() > 1.5 * dip.std() / dip.mean()


def test_calendar_recession_lowers_work_for_everyone_in_2022(cities):
    def share(name: str, year: int) -> float:
        st = cities[name].tables["status"]
        st = st[st["month"].dt.year == year]
        return st["status"].isin(["arbete", "arbete_subventionerat", "studier"]).mean()

    assert share("calendar", 2022) < share("dip", 2022) - 0.02
    assert share("calendar", 2020) == share("dip", 2020)


def test_attrition_households_move_as_a_whole_and_their_rows_end(cities):
    data = cities["attrition"]
    st = data.tables["status"]
    last = st.groupby("personnummer")["month"].max()
    assert (last < "2025-12-01").mean() > 0.1  # a good share moved away
    moved = (
        last.rename("last")
        .reset_index()
        .merge(data.tables["persons"][["personnummer", "household_id"]])
    )
    assert (moved.groupby("household_id")["last"].nunique() == 1).all()
    # no gaps: a person's rows run from the first month to the last without holes
    months = st.groupby("personnummer")["month"].agg(["min", "max", "size"])
    span = (months["max"].dt.year - months["min"].dt.year) * 12 + months["max"].dt.month
    assert (span - months["min"].dt.month + 1 == months["size"]).all()
    assert len(cities["dip"].tables["status"]) == MID * 96


def test_attrition_measures_of_movers_end_with_flytt_at_their_last_month(cities):
    data = cities["attrition"]
    last = data.tables["status"].groupby("personnummer")["month"].max()
    p = data.tables["participations"].merge(last.rename("last"), on="personnummer")
    end = p["end_date"].dt.to_period("M").dt.to_timestamp()
    moved = (p["last"] < "2025-12-01") & (p["start_date"] <= p["last"])
    # nothing a mover took part in runs past the month they left ...
    assert not (moved & (p["end_date"].isna() | (end > p["last"]))).any()
    # ... and what ended in that month ended because they moved (a few found work first)
    last_month = moved & (end == p["last"])
    assert last_month.sum() > 10
    assert (p.loc[last_month, "end_reason"] == "flytt").mean() > 0.8


def test_attrition_movers_have_nan_outcomes_in_the_sample(cities):
    sample = build_sample(registers(cities["attrition"]), "jobbspar_vard")
    f = sample.frame
    lost = f["observed_12m"] == 0
    assert lost.any()
    assert f.loc[lost, "work_or_study_12m"].isna().all()
    assert f.loc[lost, "assistance_sek_12m"].isna().all()
    assert (f.loc[f["observed_12m"] == 1, "work_or_study_12m"].notna()).all()
    att = sample.describe()["attrition"]["12m"]
    assert att["control"]["n_not_observed"] > 0
