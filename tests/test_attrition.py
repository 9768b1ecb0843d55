"""attrition: IPCW weights on observed_{h}m and Lee (2009) bounds against hand-worked examples."""

import json
import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from simulate_designs import simulate_censored

from evalkit.estimators.aipw import aipw
from evalkit.estimators.attrition import (
    attrition_summary,
    censoring_weights,
    imbens_manski_critical,
    lee_bounds,
    trimmed_mean,
)


def _two_groups(y_treated, n_treated, y_control, n_control) -> pd.DataFrame:
    """Units with outcomes; the missing ones (NaN) are those who left."""
    y1 = list(y_treated) + [np.nan] * (n_treated - len(y_treated))
    y0 = list(y_control) + [np.nan] * (n_control - len(y_control))
    return pd.DataFrame({"treated": [1] * n_treated + [0] * n_control, "y": y1 + y0})


def test_lee_bounds_trim_the_treated_when_more_of_them_are_observed():
    # q1 = 8/10, q0 = 5/10: trim (0.8 - 0.5) / 0.8 = 3 of the 8 observed treated;
    # lower = mean(1..5) - 3 = 0, upper = mean(4..8) - 3 = 3
    frame = _two_groups(range(1, 9), 10, [2, 2, 3, 3, 5], 10)
    b = lee_bounds(frame, "y", reps=0)
    assert b.trim_share == pytest.approx(0.375) and b.trimmed_group == "treated"
    assert (b.lower, b.upper) == (pytest.approx(0.0), pytest.approx(3.0))
    assert (b.observed_share_treated, b.observed_share_control) == (0.8, 0.5)


def test_lee_bounds_trim_the_controls_when_more_of_them_are_observed():
    # q0 = 0.8 > q1 = 0.5: trim 3 of 8 controls; 6 - mean(4..8) = 0, 6 - mean(1..5) = 3
    frame = _two_groups([4, 4, 6, 6, 10], 10, range(1, 9), 10)
    b = lee_bounds(frame, "y", reps=0)
    assert b.trimmed_group == "control"
    assert (b.lower, b.upper) == (pytest.approx(0.0), pytest.approx(3.0))


def test_equal_attrition_gives_a_point():
    frame = _two_groups([1, 2, 3], 4, [0, 1, 2], 4)
    b = lee_bounds(frame, "y", reps=0)
    assert b.lower == b.upper == pytest.approx(1.0) and b.trimmed_group is None


def test_ties_are_trimmed_by_exact_shares_of_weight():
    y = np.array([1.0, 1.0, 1.0, 0.0])
    assert trimmed_mean(y, np.ones(4), 0.3, "top") == pytest.approx(1.8 / 2.8)
    assert trimmed_mean(y, np.ones(4), 0.25, "bottom") == pytest.approx(1.0)
    assert trimmed_mean(y, np.array([1.0, 1.0, 1.0, 2.0]), 0.2, "bottom") == pytest.approx(3 / 4)


def test_imbens_manski_critical_value_runs_from_two_to_one_sided():
    assert imbens_manski_critical(0.0, 0.0, 1.0, 1.0, 0.95) == pytest.approx(1.95996, abs=1e-4)
    assert imbens_manski_critical(0.0, 100.0, 1.0, 1.0, 0.95) == pytest.approx(1.64485, abs=1e-4)


def test_lee_interval_contains_the_bounds_and_is_reproducible():
    rng = np.random.default_rng(1)
    frame = _two_groups(rng.normal(1, 1, 300), 400, rng.normal(0, 1, 250), 400)
    a = lee_bounds(frame, "y", reps=99, seed=3)
    b = lee_bounds(frame, "y", reps=99, seed=3)
    assert a == b
    assert a.ci_low < a.lower <= a.upper < a.ci_high
    json.dumps(a.to_dict(), allow_nan=False)


def test_an_observed_flag_without_an_outcome_is_an_error():
    frame = _two_groups([1, 2], 3, [1], 3).assign(observed_12m=1)
    with pytest.raises(Exception, match="marked observed"):
        lee_bounds(frame, "y", observed="observed_12m", reps=0)


def test_ipcw_weights_are_one_over_the_logit_probability_of_being_observed():
    frame, _ = simulate_censored(2000, 4)
    cw = censoring_weights(frame, 12, covariates=["x"])
    fit = sm.Logit(frame.observed_12m, sm.add_constant(frame[["treated", "x"]])).fit(disp=0)
    expected = np.where(frame.observed_12m == 1, 1 / fit.predict(), 0.0)
    np.testing.assert_allclose(cw.weights.to_numpy(), expected, rtol=1e-6)
    assert cw.n_censored_treated + cw.n_censored_control == int((frame.observed_12m == 0).sum())


def test_ipcw_weights_remove_the_bias_of_complete_cases():
    frame, truth = simulate_censored(40_000, 5)
    complete = aipw(frame, "y", covariates=["x"])
    frame["w"] = censoring_weights(frame, 12, covariates=["x"], interact=True).weights
    weighted = aipw(frame, "y", covariates=["x"], weights="w")
    assert abs(complete.estimate - truth) > 5 * complete.se
    assert abs(weighted.estimate - truth) < 3 * weighted.se


def test_rows_with_a_missing_covariate_get_weight_zero():
    frame, _ = simulate_censored(500, 6)
    frame.loc[frame.index[:3], "x"] = np.nan
    cw = censoring_weights(frame, 12, covariates=["x"])
    assert cw.n_missing_covariates == 3 and (cw.weights.iloc[:3] == 0).all()


def test_everyone_observed_gives_unit_weights_without_a_model():
    frame, _ = simulate_censored(200, 7)
    frame["observed_12m"] = 1
    cw = censoring_weights(frame, 12, covariates=["x"], interact=True)
    assert (cw.weights == 1).all() and math.isclose(cw.max_weight, 1.0)


def test_attrition_summary_counts_per_group_and_horizon():
    frame = pd.DataFrame(
        {
            "treated": [1, 1, 0, 0, 0],
            "observed_6m": [1, 1, 1, 1, 0],
            "observed_12m": [1, 0, 1, 0, 0],
        }
    )
    rows = attrition_summary(frame)
    assert {
        "horizon": 12,
        "group": "treated",
        "n": 2,
        "n_observed": 1,
        "share_observed": 0.5,
    } in rows
    assert len(rows) == 4
