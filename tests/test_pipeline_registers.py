"""Registers mode end to end on a small synthetic city: validate, sample, estimate, audit."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

from evalkit.audit.disclosure import protect
from evalkit.data.sample import STANDARD_OUTCOMES
from evalkit.params import validate_params
from evalkit.pipeline import analyse, write_results
from evalkit.pipeline.registers import QUARANTINE_ENV, quarantine_dir

ROOT = Path(__file__).resolve().parent.parent
PERSONS = 3000
SEED = 7
MEASURE = "jobbspar_vard"


@pytest.fixture(scope="module")
def key():
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("EVALKIT_PSEUDONYM_KEY", "test-key-for-synthetic-data")
        yield


@pytest.fixture(scope="module")
def city(tmp_path_factory, key):
    from evalkit.data.synth import write_synth

    return write_synth(tmp_path_factory.mktemp("city") / "city.duckdb", persons=PERSONS, seed=SEED)


@pytest.fixture(scope="module")
def dirty_city(tmp_path_factory, key):
    from evalkit.data.synth import write_synth

    folder = tmp_path_factory.mktemp("dirty")
    return write_synth(folder / "dirty.duckdb", persons=PERSONS, seed=SEED, dirty=True)


def demo_params(data: Path, measure: str = MEASURE):
    """The demo params of a measure (defaults merged), pointed at ``data``."""
    raw = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    raw.update(yaml.safe_load((ROOT / "params" / f"{measure}.yaml").read_text(encoding="utf-8")))
    raw["data"]["source"]["path"] = str(data)
    return validate_params(raw)


def file_of(results) -> dict:
    """What the results file holds: the results through disclosure control, as JSON."""
    return protect(results).to_json_dict()


@pytest.fixture(scope="module")
def run(city, tmp_path_factory):
    out = tmp_path_factory.mktemp("run")
    return file_of(analyse(demo_params(city), out_dir=out)), out


@pytest.fixture(scope="module")
def results(run):
    return run[0]


def entries(results, estimator, outcome=None):
    return [
        e
        for e in results["estimates"]
        if e["estimator"] == estimator and (outcome is None or e["outcome"] == outcome)
    ]


def test_every_outcome_has_every_cross_sectional_estimator(results):
    params = results["params"]
    pairs = {(e["outcome"], e["estimator"]) for e in results["estimates"]}
    for outcome in params["outcomes"]:
        for name in ("naive", "regression", "ipw", "matching", "aipw"):
            assert (outcome, name) in pairs


def test_no_estimator_failed_on_the_synthetic_city(results):
    assert results["diagnostics"]["estimator_failures"] == []


def test_aipw_intervals_cover_the_synthetic_truth_at_12_months(results, city):
    truth = json.loads(city.with_suffix(".truth.json").read_text())[MEASURE]
    for outcome in ("work_or_study_12m", "assistance_sek_12m"):
        (entry,) = entries(results, "aipw", outcome)
        assert entry["ci_low"] < truth[outcome] < entry["ci_high"], outcome


def test_naive_differs_from_aipw_because_of_selection(results):
    (naive,) = entries(results, "naive", "work_or_study_12m")
    (aipw,) = entries(results, "aipw", "work_or_study_12m")
    assert naive["estimate"] > aipw["estimate"]


def test_stacked_did_replaces_cs_did_in_the_registers_defaults(results):
    assert "stacked_did" in results["params"]["estimators"]
    assert "cs_did" not in results["params"]["estimators"]


def test_stacked_did_gives_the_path_and_the_params_outcomes_with_its_pretrend_test(results):
    path = entries(results, "stacked_did", "work_or_study")
    months = {e["event_time"] for e in path if "event_time" in e}
    assert set(range(-12, -1)) | set(range(1, 25)) <= months
    for outcome in results["params"]["outcomes"]:
        (entry,) = entries(results, "stacked_did", outcome)
        pretrend = entry["details"]["pretrend"]
        assert pretrend["computed"] and pretrend["p_value"] is not None
        if not pretrend["passes"]:
            assert "pretrend_failed" in entry["warnings"]


def test_every_warning_in_the_file_is_a_known_code(results):
    from evalkit.estimators.warnings import WARNINGS

    seen = {w for e in results["estimates"] for w in e.get("warnings", [])}
    assert seen <= set(WARNINGS)


def test_placebo_tests_are_equivalence_tests_of_the_headline_estimator(results):
    placebo = results["diagnostics"]["placebo"]
    assert {p["outcome"] for p in placebo} == {
        "placebo_work_or_study_months_25_36m_before",
        "placebo_assistance_sek_25_36m_before",
    }
    for p in placebo:
        assert p["estimator"] == results["headline"]["estimator"]
        assert p["margin"] > 0 and p["margin_rule"].startswith("mde at 90 % power")
        assert p["status"] in ("equivalent", "different", "inconclusive")
        assert p["p_value_difference"] == p["p_value"]
        assert 0 <= p["p_value_equivalence"] <= 1


def test_balance_covers_the_pre_programme_path_under_the_headline_fit(results):
    diagnostics = results["diagnostics"]
    path = {b["covariate"] for b in diagnostics["balance_path"]}
    assert {"work_or_study_b1", "work_or_study_b36", "assistance_sek_b36"} <= path
    assert diagnostics["balance_weighting"].startswith("aipw")


def test_designs_with_other_assumptions_are_compared_with_the_headline(results):
    designs = results["diagnostics"]["designs"]
    outcomes = set(results["params"]["outcomes"])
    assert {(d["outcome"], d["design"]) for d in designs} == {
        (o, name) for o in outcomes for name in ("stacked_did", "comparison:eligible")
    }
    for d in designs:
        assert d["headline_estimator"] == "aipw"
        assert d["covariance"].startswith("influence functions")
        assert d["se_difference"] > 0 and 0 <= d["p_value"] <= 1
        assert d["usable"] == (d.get("reason") is None)


def test_verdict_intervals_are_adjusted_across_the_goal_outcomes(results):
    block = results["diagnostics"]["multiplicity"]
    assert block["method"] == "sup-t"
    assert block["outcomes"] == ["work_or_study_12m", "assistance_sek_12m"]  # G2 and G3
    assert 1.96 < block["critical_value"] < 2.25  # never above Bonferroni's 2.24
    causal = {g["indicator"]: g for g in results["goals"] if g["kind"] == "causal"}
    g2 = causal["effect_work_or_study_12m"]
    assert g2["adjustment"] == "sup-t" and g2["decision_ci_low"] < g2["ci_low"]


def test_every_credibility_rule_is_stored_with_its_status(results):
    for entry in results["credibility"]:
        names = [r["rule"] for r in entry["rules"]]
        assert names == [
            "adjusted",
            "participants",
            "placebo",
            "balance",
            "overlap",
            "designs",
            "pretrend",
            "sensitivity",
            "attrition",
        ]
        assert entry["grade"] in ("hog", "medel", "lag")


def test_sample_block_counts_attrition_per_group_and_horizon(results):
    rows = results["sample"]["attrition"]
    assert {(r["horizon"], r["group"]) for r in rows} == {
        (h, g) for h in (6, 12, 24, 36) for g in ("treated", "control")
    }


def test_subgroup_differences_are_tested_with_an_fdr_adjustment(results):
    tests = results["diagnostics"]["subgroup_tests"]
    assert tests and all(t["adjustment"] == "benjamini-hochberg" for t in tests)
    for t in tests:
        if t["p_value"] is not None:
            assert t["p_value_adjusted"] >= t["p_value"]


def test_dynamic_matching_gives_a_path_by_month_since_start(results):
    months = {e["event_time"] for e in entries(results, "dynamic_matching", "work_or_study")}
    assert set(range(1, 25)) <= months


def test_sample_block_says_how_the_sample_was_formed(results):
    sample = results["sample"]
    assert sample["intake_start"] == "2021-01" and sample["intake_end"] == "2023-12"
    assert sample["comparison"] == "not_yet_treated"
    assert sample["data_mode"] == "registers"
    assert sample["n_treated"] >= 5 and sample["n_control"] > sample["n_treated"]


def test_followup_and_goals_and_costs_are_filled(results):
    assert {s["horizon"] for s in results["followup"]["shares"]} >= {"6m", "12m", "24m"}
    assert [g["id"] for g in results["goals"]] == ["G1", "G2", "G3"]
    assert results["costs"]["available"] is True
    assert results["credibility"]


def test_headline_diagnostics_and_other_outcomes_keyed(results):
    diagnostics = results["diagnostics"]
    assert {"balance", "overlap", "sensitivity", "mde", "placebo"} <= set(diagnostics)
    others = set(results["params"]["outcomes"]) - {results["headline"]["outcome"]}
    assert set(diagnostics["by_outcome"]) == others


def test_subgroups_for_every_outcome_and_grouping(results):
    seen = {(g["outcome"], g["subgroup"]) for g in results["subgroups"]}
    params = results["params"]
    assert seen == {(o, s) for o in params["outcomes"] for s in params["subgroups"]}


def test_disclosure_control_was_applied(results):
    assert results["disclosure"]["min_cell"] == 5


def test_quarantine_file_is_written_beside_the_reports_never_into_the_run_folder(run):
    results, out = run
    name = results["validation"]["quarantine_file"]
    assert (out.parent.parent / "quarantine" / out.name / name).is_file()
    assert not list(out.glob("*.quarantine.*"))
    assert results["validation"]["n_quarantined"] == 0


def test_quarantine_folder_can_be_chosen_by_the_environment(tmp_path, monkeypatch):
    monkeypatch.setenv(QUARANTINE_ENV, str(tmp_path / "secure"))
    assert quarantine_dir(tmp_path / "reports" / "run1") == tmp_path / "secure" / "run1"


def test_dirty_rows_are_counted_per_table_and_rule(dirty_city, tmp_path):
    results = analyse(demo_params(dirty_city), out_dir=tmp_path)
    expected = json.loads(dirty_city.with_suffix(".dirty.json").read_text())
    got: dict[str, dict[str, int]] = {}
    for row in results.validation.rows:
        got.setdefault(row.table, {})[row.rule] = row.count
    assert got == expected


def test_no_person_level_data_in_the_results(results):
    identifiers = {"person_id", "unit_id", "cluster_id", "personnummer", "household_id"}

    def keys(value):
        if isinstance(value, dict):
            for k, v in value.items():
                yield k
                yield from keys(v)
        elif isinstance(value, list):
            for v in value:
                yield from keys(v)

    assert not identifiers & set(keys(results))
    n_units = results["sample"]["n_treated"] + results["sample"]["n_control"]

    def lists(value):
        if isinstance(value, dict):
            for v in value.values():
                yield from lists(v)
        elif isinstance(value, list):
            yield value
            for v in value:
                yield from lists(v)

    assert all(len(x) < n_units for x in lists(results))


def test_two_runs_on_the_same_data_and_seed_give_identical_files(city, tmp_path):
    first = analyse(demo_params(city), out_dir=tmp_path / "a")
    second = analyse(demo_params(city), out_dir=tmp_path / "b")
    first, second = (protect(r.model_copy(update={"created": None})) for r in (first, second))
    a = write_results(first, tmp_path / "a.json").read_text()
    b = write_results(second, tmp_path / "b.json").read_text()
    assert a == b


@pytest.fixture(scope="module")
def moving_city(tmp_path_factory, key):
    from evalkit.data.synth import write_synth

    folder = tmp_path_factory.mktemp("moving")
    return write_synth(folder / "moving.duckdb", persons=PERSONS, seed=SEED, scenario="attrition")


def test_people_whose_registers_end_are_weighted_not_counted_as_without_work(moving_city, tmp_path):
    params = demo_params(moving_city).model_copy(
        update={"estimators": ["naive", "aipw"], "subgroups": []}
    )
    results = analyse(params, out_dir=tmp_path)
    lost = {(r.horizon, r.group): r.n_not_observed for r in results.sample.attrition}
    assert lost[(12, "treated")] + lost[(12, "control")] > 0
    attrition = results.diagnostics.attrition
    weighted = {c.outcome: c for c in attrition.ipcw}
    assert weighted["work_or_study_12m"].weighted
    assert weighted["work_or_study_12m"].observed_share_control < 1
    (aipw,) = [e for e in results.overall("work_or_study_12m") if e.estimator == "aipw"]
    (naive,) = [e for e in results.overall("work_or_study_12m") if e.estimator == "naive"]
    assert aipw.details["weights"] == "_ipcw_12m" and "weights" not in naive.details
    lee = attrition.lee_bounds
    assert lee.outcome == results.headline.outcome and lee.lower <= lee.upper


def test_every_standard_outcome_is_accepted(city, tmp_path):
    params = demo_params(city).model_copy(
        update={"outcomes": list(STANDARD_OUTCOMES), "estimators": ["naive"], "subgroups": []}
    )
    results = file_of(analyse(params, out_dir=tmp_path))
    assert {e["outcome"] for e in entries(results, "naive")} == set(STANDARD_OUTCOMES)


def test_each_municipality_of_a_tree_run_gets_its_own_quarantine_folder_of_that_run(tmp_path):
    run = tmp_path / "reports" / "2026-11-27_020001"
    assert quarantine_dir(run / "ale") == tmp_path / "quarantine" / "2026-11-27_020001" / "ale"
    assert quarantine_dir(run) == tmp_path / "quarantine" / "2026-11-27_020001"
