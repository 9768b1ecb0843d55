"""Specifications of the typed results (evalkit.results): conversion, headline, accessors, files."""

from __future__ import annotations

import json
import math
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd

import evalkit
from evalkit.audit.disclosure import protect
from evalkit.estimators.result import EffectResult
from evalkit.results import (
    HEADLINE_ORDER,
    Estimate,
    MeasureResults,
    choose_headline,
    json_safe,
    lead_of,
)

ROOT = Path(__file__).resolve().parent.parent


def _entry(estimator: str, est: float = 0.1, outcome: str = "work_or_study_12m", **extra) -> dict:
    return {
        "outcome": outcome,
        "estimator": estimator,
        "estimate": est,
        "se": 0.02,
        "ci_low": est - 0.04,
        "ci_high": est + 0.04,
        "p_value": 0.01,
        "n_treated": 300,
        "n_control": 3000,
        **extra,
    }


def _results(*entries: dict, **changes) -> MeasureResults:
    return MeasureResults.model_validate({"measure_id": "m", "estimates": list(entries), **changes})


# --- conversion ------------------------------------------------------------------------------


def test_an_effect_result_round_trips_through_an_estimate_without_loss():
    result = EffectResult.from_estimate(
        "cs_did",
        "work_or_study",
        0.05,
        0.01,
        40,
        400,
        level=0.9,
        estimand="ATT(g,t)",
        aggregation="att_gt",
        group=25,
        time=30,
        event_time=5,
        subgroup="sex",
        details={"base_period": "varying", "n_cells": np.int64(3)},
    )
    back = Estimate.from_result(result).to_result()
    assert back == result
    assert (back.level, back.estimand, back.group, back.time, back.subgroup) == (
        0.9,
        "ATT(g,t)",
        25,
        30,
        "sex",
    )


def test_a_suppressed_estimate_becomes_nan_in_the_result_type():
    entry = {**_entry("aipw"), "estimate": None, "ci_low": None, "ci_high": None}
    back = Estimate.model_validate(entry).to_result()
    assert math.isnan(back.estimate)


def test_numbers_that_are_not_finite_are_none():
    e = Estimate.model_validate(_entry("aipw", se=float("nan"), p_value=np.float64("inf")))
    assert e.se is None and e.p_value is None


def test_json_safe_unwraps_numpy_and_writes_dates_as_iso_text():
    value = {
        "a": np.int64(3),
        "b": (np.float64(0.5), float("nan")),
        "c": pd.Timestamp("2021-03-01"),
        "d": date(2024, 12, 31),
        "e": np.array([1, 2]),
        4: pd.NA,
    }
    assert json_safe(value) == {
        "a": 3,
        "b": [0.5, None],
        "c": "2021-03-01",
        "d": "2024-12-31",
        "e": [1, 2],
        "4": None,
    }


def test_optional_estimate_keys_are_written_only_when_set():
    written = Estimate.model_validate(_entry("aipw")).to_json_dict()
    assert "event_time" not in written and "details" not in written and "warnings" not in written
    path_point = Estimate.model_validate(_entry("aipw", event_time=3, warnings=["few_treated"]))
    assert path_point.to_json_dict()["warnings"] == ["few_treated"]


# --- the one headline ------------------------------------------------------------------------


def test_headline_order_starts_with_the_doubly_robust_estimator_and_never_holds_naive():
    assert HEADLINE_ORDER[0] == "aipw" and "naive" not in HEADLINE_ORDER


def test_the_headline_is_the_first_outcome_with_an_adjusted_estimate():
    estimates = [
        Estimate.model_validate(_entry("naive", outcome="work_or_study_6m")),
        Estimate.model_validate(_entry("regression")),
        Estimate.model_validate(_entry("ipw")),
    ]
    headline = choose_headline(estimates, ["work_or_study_6m", "work_or_study_12m"])
    assert (headline.outcome, headline.estimator) == ("work_or_study_12m", "ipw")


def test_panel_mode_leads_with_cs_did_before_twfe():
    estimates = [
        Estimate.model_validate(_entry("twfe", outcome="y")),
        Estimate.model_validate(_entry("cs_did", outcome="y", aggregation="simple")),
        Estimate.model_validate(_entry("cs_did", outcome="y", aggregation="dynamic")),
    ]
    assert lead_of(e for e in estimates if e.is_overall).aggregation == "simple"


def test_the_estimator_named_in_the_headline_leads_every_outcome_it_estimated():
    results = _results(
        _entry("aipw"),
        _entry("regression"),
        _entry("aipw", outcome="assistance_sek_12m"),
        headline={"outcome": "work_or_study_12m", "estimator": "regression"},
    )
    assert results.headline_estimate().estimator == "regression"
    assert results.headline_estimate("assistance_sek_12m").estimator == "aipw"


def test_the_headline_path_prefers_dynamic_matching_to_cs_did_and_stops_at_a_gap():
    points = [
        _entry(name, -100.0 * k, outcome="assistance_sek", event_time=k, aggregation="dynamic")
        for name in ("cs_did", "dynamic_matching")
        for k in (1, 2, 4)
    ]
    path = _results(*points).headline_path("assistance_sek")
    assert [p.estimator for p in path] == ["dynamic_matching"] * 2
    assert [p.event_time for p in path] == [1, 2]


# --- accessors -------------------------------------------------------------------------------


def test_overall_leaves_out_path_points_cells_and_subgroups():
    results = _results(
        _entry("aipw"),
        _entry("cs_did", aggregation="simple"),
        _entry("cs_did", aggregation="group", group=25),
        _entry("dynamic_matching", event_time=3, aggregation="dynamic"),
    )
    assert [e.estimator for e in results.overall("work_or_study_12m")] == ["aipw", "cs_did"]
    assert list(results.paths("work_or_study_12m")) == ["dynamic_matching"]


def test_one_outcomes_diagnostics_are_never_applied_to_another():
    results = _results(
        _entry("aipw"),
        _entry("aipw", outcome="assistance_sek_12m"),
        headline={"outcome": "work_or_study_12m", "estimator": "aipw"},
        diagnostics={"mde": {"mde": 0.05}},
    )
    assert results.diagnostics_of("work_or_study_12m").mde.mde == 0.05
    assert results.diagnostics_of("assistance_sek_12m").mde is None


def test_a_failed_run_says_so():
    failed = _results(status="failed", error={"type": "DataError", "message": "x", "stage": "data"})
    assert failed.is_failed and not _results().is_failed


# --- files -----------------------------------------------------------------------------------


def test_a_minimal_failed_file_of_an_older_runner_loads_with_the_params_language():
    old = {
        "measure_id": "x",
        "title": "X",
        "status": "failed",
        "error": {"type": "RunError", "message": "kernel died", "stage": "kernel"},
        "params": {"report": {"lang": "en"}},
        "costs": {},
        "diagnostics": {},
    }
    results = MeasureResults.model_validate(old)
    assert results.lang == "en" and results.costs is None and results.error.stage == "kernel"


def test_unknown_keys_are_kept_through_a_round_trip():
    results = _results(_entry("aipw", new_field=1), sample={"n_treated": 300, "later": "x"})
    again = MeasureResults.model_validate(results.to_json_dict())
    assert again.estimates[0].new_field == 1 and again.sample.later == "x"


def test_a_suppressed_value_is_written_as_null_not_left_out():
    results = _results(sample={"n_treated": 3, "n_control": 400, "n_eligible": 403})
    written = protect(results, 5).to_json_dict()["sample"]
    assert written["n_treated"] is None and written["n_eligible"] is None


def test_the_demo_results_file_reads_as_results():
    fixture = MeasureResults.read(ROOT / "tests" / "fixtures" / "results_example.json")
    assert fixture.headline_estimate().estimator == "aipw"
    assert fixture.costs.cost_per_participant.available


def test_the_public_api_is_at_the_top_of_the_package(monkeypatch):
    monkeypatch.chdir(ROOT)
    params = evalkit.load_params("examples/projekt_x.yaml")
    results = evalkit.analyse(params)
    assert isinstance(results, evalkit.MeasureResults)
    assert isinstance(evalkit.protect(results), evalkit.ProtectedResults)
    assert json.dumps(results.to_json_dict())
