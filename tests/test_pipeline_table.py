"""Table mode: the cross-sectional estimators on the example CSV, end to end."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from evalkit.audit.disclosure import protect
from evalkit.params import load_params
from evalkit.pipeline import analyse, write_results

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def params():
    import os

    old = os.getcwd()
    os.chdir(ROOT)  # params paths resolve against the working directory (DESIGN 5)
    try:
        return load_params("examples/projekt_x.yaml").resolved(ROOT)
    finally:
        os.chdir(old)


@pytest.fixture(scope="module")
def results(params):
    """What the results file holds."""
    return protect(analyse(params)).to_json_dict()


@pytest.fixture(scope="module")
def data():
    return pd.read_csv(ROOT / "examples" / "projekt_x.csv")


def estimate(results, estimator, outcome="arbete_12m"):
    (entry,) = [
        e for e in results["estimates"] if e["estimator"] == estimator and e["outcome"] == outcome
    ]
    return entry


def test_naive_is_the_difference_in_means(results, data):
    means = data.groupby("deltog")["arbete_12m"].mean()
    assert estimate(results, "naive")["estimate"] == pytest.approx(means[1] - means[0], abs=1e-12)


def test_sample_counts_treated_and_controls(results, data):
    assert results["sample"]["n_treated"] == int((data["deltog"] == 1).sum())
    assert results["sample"]["n_control"] == int((data["deltog"] == 0).sum())
    assert results["sample"]["data_mode"] == "table"


def test_every_chosen_estimator_gives_an_estimate(results, params):
    assert {e["estimator"] for e in results["estimates"]} == set(params.estimators)
    assert results["diagnostics"]["estimator_failures"] == []


def test_adjusted_estimates_cover_the_true_effect(results):
    # examples/make_examples.py: true effect +0.08 for everyone
    for name in ("regression", "ipw", "aipw"):
        entry = estimate(results, name)
        assert entry["ci_low"] < 0.08 < entry["ci_high"], name


def test_headline_is_aipw_on_the_first_outcome(results):
    assert results["headline"] == {"outcome": "arbete_12m", "estimator": "aipw"}


def test_causal_goal_is_judged_from_the_headline(results):
    (goal,) = results["goals"]
    assert goal["value"] == pytest.approx(estimate(results, "aipw")["estimate"])


def test_subgroups_by_the_named_column(results):
    levels = {(g["subgroup"], str(g["level"])) for g in results["subgroups"]}
    assert levels == {("kvinna", "0"), ("kvinna", "1")}


def test_diagnostics_balance_lists_every_covariate(results, params):
    assert [b["covariate"] for b in results["diagnostics"]["balance"]] == params.covariates


def test_results_carry_reproducibility_fields(results):
    assert results["data_fingerprint"].startswith("sha256:")
    assert results["seed"] == 20261126
    assert "pandas" in results["packages"]
    assert results["params"]["measure_id"] == "projekt_x"


def test_no_person_identifier_in_the_results(results, data):
    text = json.dumps(results)
    assert "person_id" not in text.replace('"id": "person_id"', "")
    assert not any(pid in text for pid in data["person_id"].head(50))


def test_missing_outcome_column_is_a_data_error(params):
    from evalkit.errors import MissingColumnError

    broken = params.model_copy(update={"outcomes": ["arbete_36m"]})
    with pytest.raises(MissingColumnError) as info:
        analyse(broken)
    assert info.value.column == "arbete_36m"


def test_two_runs_write_identical_numbers(params, tmp_path):
    first = analyse(params)
    second = analyse(params)
    first, second = (protect(r.model_copy(update={"created": None})) for r in (first, second))
    a = write_results(first, tmp_path / "a.json").read_text()
    b = write_results(second, tmp_path / "b.json").read_text()
    assert a == b


def test_treatment_other_than_0_or_1_is_a_data_error_with_row_count(params, tmp_path, data):
    from evalkit.errors import DataError

    broken = data.copy()
    broken.loc[:2, "deltog"] = 2
    broken.to_csv(tmp_path / "x.csv", index=False)
    source = params.data.source.model_copy(update={"path": str(tmp_path / "x.csv")})
    bad = params.model_copy(update={"data": params.data.model_copy(update={"source": source})})
    with pytest.raises(DataError) as info:
        analyse(bad)
    assert info.value.column == "deltog" and info.value.count == 3
