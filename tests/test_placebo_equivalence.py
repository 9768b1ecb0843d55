"""Placebo equivalence: TOST with a margin at the MDE, covariates that see the placebo months."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from simulate import COVARIATES, simulate

from evalkit.diagnostics.placebo import (
    MARGIN_POWER,
    equivalence_margin,
    placebo_covariates,
    placebo_equivalence,
    tost,
)
from evalkit.diagnostics.power import minimum_detectable_proportion


def test_tost_p_value_is_the_larger_one_sided_p_value():
    p, passes = tost(0.1, 0.05, 0.2, alpha=0.05)
    assert p == pytest.approx(max(stats.norm.sf(6.0), stats.norm.cdf(-2.0)))
    assert passes is True


def test_tost_fails_when_the_90_percent_interval_reaches_the_margin():
    # 0.15 + 1.645 * 0.05 = 0.232 > 0.2
    p, passes = tost(0.15, 0.05, 0.2)
    assert p == pytest.approx(stats.norm.cdf(-1.0)) and passes is False


def test_tost_cannot_pass_without_a_standard_error():
    assert tost(0.0, math.nan, 0.2) == (pytest.approx(math.nan, nan_ok=True), False)


def test_margin_is_the_placebo_outcomes_mde_at_90_percent_power():
    frame = pd.DataFrame({"treated": [1] * 40 + [0] * 60, "y": [1, 0] * 20 + [1, 0, 0] * 20})
    margin = equivalence_margin(frame, "y", "treated", 40, 60)
    assert MARGIN_POWER == 0.9
    assert margin == pytest.approx(minimum_detectable_proportion(40, 60, 1 / 3, 0.05, 0.9))


def test_covariates_that_reach_the_placebo_months_are_left_out_and_spells_capped():
    frame = pd.DataFrame({"months_out_of_work": [3.0, 30.0], "age": [30.0, 40.0]})
    covs = ["age", "work_months_24m_before", "work_months_36m_before", "months_out_of_work"]
    data, kept, info = placebo_covariates(frame, "placebo_assistance_sek_25_36m_before", covs)
    assert kept == ["age", "work_months_24m_before", "months_out_of_work"]
    assert info["covariates_excluded"] == ["work_months_36m_before"]
    assert data["months_out_of_work"].tolist() == [3.0, 24.0]
    assert frame["months_out_of_work"].tolist() == [3.0, 30.0]  # the caller's frame is untouched


@pytest.fixture(scope="module")
def frame():
    data = simulate(3000, seed=7)
    rng = np.random.default_rng(8)
    data["pre"] = 0.8 * data.x1 - 0.3 * data.x2 + rng.normal(size=len(data))
    data["pre_shifted"] = data["pre"] + 0.6 * data.treated
    return data


def test_the_test_reports_estimate_margin_p_values_and_decision(frame):
    t = placebo_equivalence("aipw", frame, "pre_shifted", covariates=COVARIATES)
    assert t.passes is False and t.status == "different"
    assert t.p_value_difference < 0.05 and t.p_value_equivalence > 0.05
    assert t.margin > 0 and t.ci_low < t.estimate < t.ci_high
    assert t.margin_rule.startswith("mde at 90 % power")
    json.dumps(t.to_dict(), allow_nan=False)


def test_a_wide_margin_shows_equivalence_and_a_tiny_one_is_inconclusive(frame):
    wide = placebo_equivalence("aipw", frame, "pre", covariates=COVARIATES, margin=1.0)
    tiny = placebo_equivalence("aipw", frame, "pre", covariates=COVARIATES, margin=0.01)
    assert wide.status == "equivalent" and wide.passes
    assert tiny.status in ("inconclusive", "different") and not tiny.passes
    assert wide.estimate == tiny.estimate


def test_options_reach_the_estimator(frame):
    t = placebo_equivalence("aipw", frame, "pre", covariates=COVARIATES, trim=(0.05, 0.95))
    plain = placebo_equivalence("aipw", frame, "pre", covariates=COVARIATES)
    assert t.estimate != plain.estimate
