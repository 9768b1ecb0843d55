"""naive: difference in means with Welch inference; and the shared input rules every estimator follows."""

import math

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from scipy import stats
from simulate import COVARIATES, simulate

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators import CROSS_SECTIONAL, get
from evalkit.estimators.naive import naive


@pytest.fixture(scope="module")
def data():
    return simulate(800, seed=11)


def test_naive_equals_scipy_welch_t_test_difference_se_and_df(data):
    y1 = data.loc[data.treated == 1, "y"]
    y0 = data.loc[data.treated == 0, "y"]
    welch = stats.ttest_ind(y1, y0, equal_var=False)
    r = naive(data, "y")
    diff = y1.mean() - y0.mean()
    assert r.estimate == pytest.approx(diff, abs=1e-12)
    assert r.se == pytest.approx(diff / welch.statistic, rel=1e-10)
    assert r.details["df"] == pytest.approx(welch.df, rel=1e-10)
    assert r.p_value == pytest.approx(welch.pvalue, rel=1e-8)


def test_naive_interval_uses_welch_satterthwaite_t_quantile(data):
    r = naive(data, "y")
    q = stats.t.ppf(0.975, r.details["df"])
    assert r.ci_high - r.estimate == pytest.approx(q * r.se, rel=1e-12)


def test_naive_is_biased_under_selection_on_observables():
    frame = simulate(20_000, seed=2)
    r = naive(frame, "y")
    assert abs(r.estimate - 1.0) > 10 * r.se


def test_naive_with_weights_equals_wls_on_treatment_with_hc1(data):
    frame = data.assign(w=np.where(data.x3 > 0, 2.0, 1.0))
    r = naive(frame, "y", weights="w")
    exog = sm.add_constant(frame["treated"].astype(float))
    ref = sm.WLS(frame["y"], exog, weights=frame["w"]).fit(cov_type="HC1")
    assert r.estimate == pytest.approx(ref.params["treated"], abs=1e-10)
    assert r.se == pytest.approx(ref.bse["treated"], rel=1e-8)
    assert r.estimator == "naive"


@pytest.mark.parametrize("name", CROSS_SECTIONAL)
def test_missing_column_error_names_the_column(name, data):
    with pytest.raises(EstimationError, match="'nonexistent'"):
        get(name)(data, "y", covariates=("x1", "nonexistent"))


@pytest.mark.parametrize("name", CROSS_SECTIONAL)
def test_rows_with_missing_outcome_are_dropped_and_counted(name, data):
    frame = data.copy()
    frame.loc[frame.index[:7], "y"] = np.nan
    r = get(name)(frame, "y", covariates=COVARIATES)
    assert r.details["n_dropped_missing_outcome"] == 7
    assert r.details["n_used"] == len(frame) - 7


@pytest.mark.parametrize("name", CROSS_SECTIONAL)
def test_no_controls_raises_insufficient_data(name, data):
    treated_only = data[data.treated == 1]
    with pytest.raises(InsufficientDataError):
        get(name)(treated_only, "y", covariates=COVARIATES)


@pytest.mark.parametrize("name", CROSS_SECTIONAL)
def test_non_binary_treatment_is_an_error_naming_column_and_count(name, data):
    frame = data.assign(treated=data.treated.replace({1: 2}))
    n_bad = int((frame.treated == 2).sum())
    with pytest.raises(EstimationError, match=rf"'treated' must be 0/1; {n_bad} rows"):
        get(name)(frame, "y", covariates=COVARIATES)


@pytest.mark.parametrize("name", ("regression", "ipw", "aipw", "matching"))
def test_constant_covariate_is_dropped_with_a_note_and_changes_nothing(name, data):
    with_constant = data.assign(const=3.0)
    a = get(name)(with_constant, "y", covariates=(*COVARIATES, "const"))
    b = get(name)(data, "y", covariates=COVARIATES)
    assert a.details["dropped_covariates"] == ["const"]
    assert any("const" in note for note in a.details["notes"])
    assert a.estimate == pytest.approx(b.estimate, abs=1e-9)


def test_boolean_treatment_is_accepted_as_zero_one(data):
    a = naive(data.assign(treated=data.treated.astype(bool)), "y")
    b = naive(data, "y")
    assert a.estimate == b.estimate and a.n_treated == b.n_treated


def test_error_message_contains_no_data_values():
    frame = pd.DataFrame({"y": [1.5, 2.5, 3.5], "treated": [0, 1, 7]})
    with pytest.raises(EstimationError) as info:
        naive(frame, "y")
    assert "7" not in str(info.value) and "3.5" not in str(info.value)


def test_naive_se_is_finite_and_positive_for_two_per_group():
    frame = pd.DataFrame({"y": [1.0, 2.0, 4.0, 8.0], "treated": [1, 1, 0, 0]})
    r = naive(frame, "y")
    assert r.estimate == -4.5
    assert r.se == pytest.approx(math.sqrt(0.5 / 2 + 8.0 / 2))
