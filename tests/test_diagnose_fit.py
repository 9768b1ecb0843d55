"""diagnose describes the headline estimate's own fit (weights, scores, trimming), never a refit."""

import json

import numpy as np
import pytest
from simulate import COVARIATES, simulate

from evalkit.diagnostics import diagnose
from evalkit.diagnostics.balance import balance_table
from evalkit.estimators.ipw import ipw
from evalkit.estimators.matching import matching


@pytest.fixture(scope="module")
def data():
    frame = simulate(3000, seed=71)
    rng = np.random.default_rng(72)
    for k in (1, 2, 3):  # a pre-programme path that depends on x1 like the outcome
        frame[f"work_or_study_b{k}"] = (frame.x1 + rng.normal(size=len(frame)) > 0).astype(float)
    return frame


def test_balance_after_uses_the_estimates_own_weights(data):
    # a heavily penalised score leaves imbalance that a default refit would hide
    r = ipw(data, "y", covariates=COVARIATES, penalty=2000.0)
    d = diagnose(data, "treated", COVARIATES, fit=r.fit)
    by_hand = balance_table(data, "treated", COVARIATES, weights=r.fit.weights)
    assert [row["smd_after"] for row in d["balance"]] == pytest.approx(
        by_hand["smd_after"].tolist(), abs=1e-12
    )
    refit = diagnose(data, "treated", COVARIATES)
    assert d["balance_summary"]["max_abs_smd_after_balance"] > 0.1
    assert refit["balance_summary"]["max_abs_smd_after_balance"] < 0.1
    assert d["balance_weighting"] == "ipw (the estimate's own fit)"
    assert refit["balance_weighting"].startswith("ipw_att (refit")


def test_the_fit_is_taken_from_the_estimate_when_not_given(data):
    r = ipw(data, "y", covariates=COVARIATES, penalty=2000.0)
    assert (
        diagnose(data, "treated", COVARIATES, estimate=r)["balance"]
        == diagnose(data, "treated", COVARIATES, fit=r.fit)["balance"]
    )


def test_extra_columns_such_as_the_pre_programme_path_get_their_own_balance_rows(data):
    r = ipw(data, "y", covariates=COVARIATES)
    path = ["work_or_study_b1", "work_or_study_b2", "work_or_study_b3"]
    d = diagnose(data, "treated", COVARIATES, fit=r.fit, balance_columns=path)
    assert [row["covariate"] for row in d["balance_extra"]] == path
    assert all(abs(row["smd_before"]) > 0.2 for row in d["balance_extra"])
    assert d["balance_summary"]["max_abs_smd_after_balance_extra"] < 0.1
    json.dumps(d, allow_nan=False)


def test_overlap_of_matching_counts_participants_left_unmatched_by_the_caliper(data):
    r = matching(data, "y", covariates=COVARIATES, caliper=0.01)
    d = diagnose(data, "treated", COVARIATES, fit=r.fit)
    ov = d["overlap"]
    assert ov["denominator"] == "participants"
    assert ov["n_participants"] == int((data.treated == 1).sum())
    assert ov["n_participants_trimmed"] == r.details["n_unmatched"] > 0


def test_trimmed_participants_of_ipw_are_reported_as_a_share_of_participants(data):
    r = ipw(data, "y", covariates=COVARIATES, trim=(0.1, 0.9))
    ov = diagnose(data, "treated", COVARIATES, fit=r.fit)["overlap"]
    n_cut = int((r.fit.trimmed & r.fit.treated).sum())
    assert ov["n_participants_trimmed"] == n_cut > 0
    assert ov["share_trimmed"] == pytest.approx(n_cut / r.fit.n_treated)


def test_a_fit_from_another_frame_is_refused_not_misread(data):
    r = ipw(data.iloc[:500], "y", covariates=COVARIATES)
    d = diagnose(data.reset_index(drop=True).iloc[1000:], "treated", COVARIATES, fit=r.fit)
    assert "balance" not in d and "does not belong" in d["errors"]["balance"]


def test_sensitivity_benchmarks_on_the_strongest_covariate_by_default(data):
    d = diagnose(data, "treated", COVARIATES, outcome="y", target=0.5)
    bench = d["sensitivity"]["benchmarked"]
    assert bench["benchmark"] == "x1"  # the outcome's strongest covariate (coefficient 2)
    assert bench["k_interval"] is None or bench["k_interval"] > 0
    assert d["sensitivity"]["benchmarked_target"]["target"] == 0.5
