"""placebo: the estimator on a pre-period outcome; diagnose: JSON-safe aggregates only."""

import json

import numpy as np
import pytest
from simulate import COVARIATES, simulate

from evalkit.diagnostics import diagnose
from evalkit.diagnostics.placebo import placebo
from evalkit.estimators.result import EffectResults


@pytest.fixture(scope="module")
def data():
    frame = simulate(4000, seed=91)
    rng = np.random.default_rng(92)
    frame["pre_ok"] = 0.8 * frame.x1 - 0.3 * frame.x2 + rng.normal(size=len(frame))
    frame["pre_bad"] = frame["pre_ok"] + 0.5 * frame.treated
    return frame


def test_placebo_outcome_explained_by_covariates_passes(data):
    # equivalence within a quarter of the outcome's SD (the default margin is the MDE; its
    # pass rate under no confounding is measured in benchmarks/mc_placebo.py)
    r = placebo("aipw", data, "pre_ok", covariates=COVARIATES, margin=0.25)
    assert r.details["placebo"] is True
    assert r.details["placebo_passes"] is True
    assert r.outcome == "pre_ok"


def test_placebo_outcome_with_a_hidden_difference_fails(data):
    r = placebo("aipw", data, "pre_bad", covariates=COVARIATES)
    assert r.details["placebo_passes"] is False
    assert r.details["placebo_test"]["status"] == "different"


def test_several_placebo_outcomes_give_a_collection(data):
    rs = placebo("ipw", data, ["pre_ok", "pre_bad"], covariates=COVARIATES)
    assert isinstance(rs, EffectResults) and [r.outcome for r in rs] == ["pre_ok", "pre_bad"]


def test_diagnose_has_the_contract_blocks_and_is_json_safe(data):
    d = diagnose(data, "treated", COVARIATES, outcome="y", placebo_outcomes=["pre_ok"])
    json.dumps(d, allow_nan=False)
    assert set(d["balance"][0]) == {"covariate", "smd_before", "smd_after", "vr_before", "vr_after"}
    assert {
        "bin_edges",
        "treated_counts",
        "control_counts",
        "share_outside_support",
        "n_trimmed",
    } <= set(d["overlap"])
    assert {"e_value", "e_value_ci", "robustness_value"} <= set(d["sensitivity"])
    assert d["mde"]["mde"] > 0
    assert d["placebo"][0]["outcome"] == "pre_ok"
    assert "errors" not in d


def test_diagnose_returns_no_person_level_values(data):
    d = diagnose(data, "treated", COVARIATES, outcome="y")
    text = json.dumps(d)
    for value in data["y"].iloc[:50]:
        assert repr(float(value)) not in text

    def longest_list(obj):
        if isinstance(obj, dict):
            return max((longest_list(v) for v in obj.values()), default=0)
        if isinstance(obj, list):
            return max([len(obj), *(longest_list(v) for v in obj)])
        return 0

    assert longest_list(d) < 50


def test_diagnose_balance_after_ipw_weighting_is_small(data):
    d = diagnose(data, "treated", COVARIATES)
    assert max(abs(r["smd_after"]) for r in d["balance"]) < 0.1
    assert max(abs(r["smd_before"]) for r in d["balance"]) > 0.5


def test_diagnose_of_a_binary_outcome_uses_risk_ratio_e_values(data):
    frame = data.assign(work=(data.y > 1.5).astype(int))
    d = diagnose(frame, "treated", COVARIATES, outcome="work")
    assert d["sensitivity"]["method"].startswith("risk ratio from difference")
    assert d["mde"]["binary"] is True
