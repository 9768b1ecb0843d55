"""regression: OLS adjustment equals statsmodels exactly, HC1 and clustered."""

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm
from simulate import COVARIATES, simulate

from evalkit.estimators.regression import regression


@pytest.fixture(scope="module")
def data():
    frame = simulate(1500, seed=21)
    frame["firm"] = np.random.default_rng(5).integers(0, 40, size=len(frame))
    return frame


def _statsmodels(frame, **fit):
    exog = sm.add_constant(frame[["treated", *COVARIATES]].astype(float))
    return sm.OLS(frame["y"], exog).fit(**fit)


def test_regression_equals_statsmodels_ols_hc1_to_1e8(data):
    r = regression(data, "y", covariates=COVARIATES)
    ref = _statsmodels(data, cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8
    assert abs(r.se - ref.bse["treated"]) < 1e-8


def test_clustered_regression_equals_statsmodels_cluster(data):
    r = regression(data, "y", covariates=COVARIATES, cluster="firm")
    ref = _statsmodels(data, cov_type="cluster", cov_kwds={"groups": data["firm"]})
    assert abs(r.estimate - ref.params["treated"]) < 1e-8
    assert abs(r.se - ref.bse["treated"]) < 1e-8
    assert r.details["n_clusters"] == 40
    assert r.details["df"] == 39


def test_weighted_regression_equals_statsmodels_wls_hc1(data):
    w = np.where(data.x2 > 0, 3.0, 1.0)
    r = regression(data.assign(w=w), "y", covariates=COVARIATES, weights="w")
    exog = sm.add_constant(data[["treated", *COVARIATES]].astype(float))
    ref = sm.WLS(data["y"], exog, weights=w).fit(cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8
    assert abs(r.se - ref.bse["treated"]) < 1e-8


def test_regression_keeps_classical_t_and_residual_df_for_robustness_value(data):
    r = regression(data, "y", covariates=COVARIATES)
    ref = _statsmodels(data)
    assert r.details["t_ols"] == pytest.approx(ref.tvalues["treated"], rel=1e-9)
    assert r.details["dof"] == ref.df_resid == len(data) - 6


def test_text_covariate_is_encoded_as_indicators_like_statsmodels_dummies(data):
    region = pd.Series(np.where(data.x3 > 0.5, "north", np.where(data.x3 < -0.5, "south", "mid")))
    frame = data.assign(region=region.astype("string"))
    r = regression(frame, "y", covariates=("x1", "region"))
    dummies = pd.get_dummies(region, drop_first=True, dtype=float)
    exog = sm.add_constant(pd.concat([data[["treated", "x1"]].astype(float), dummies], axis=1))
    ref = sm.OLS(data["y"], exog).fit(cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8
    assert r.details["covariates_used"] == ["x1", "region=north", "region=south"]


def test_collinear_covariate_is_dropped_with_a_note(data):
    frame = data.assign(x1_twice=2 * data.x1 + 1)
    r = regression(frame, "y", covariates=(*COVARIATES, "x1_twice"))
    assert r.details["dropped_covariates"] == ["x1_twice"]
    ref = _statsmodels(data, cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8


def test_rows_with_missing_covariate_are_dropped_and_counted(data):
    frame = data.copy()
    frame.loc[frame.index[:5], "x2"] = np.nan
    r = regression(frame, "y", covariates=COVARIATES)
    assert r.details["n_dropped_missing_covariates"] == 5
    ref = _statsmodels(data.iloc[5:], cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8


def test_numbers_stored_as_text_objects_are_used_as_numbers(data):
    frame = data.assign(x1=data.x1.astype(object))
    r = regression(frame, "y", covariates=COVARIATES)
    ref = _statsmodels(data, cov_type="HC1")
    assert abs(r.estimate - ref.params["treated"]) < 1e-8
    assert r.details["covariates_used"] == list(COVARIATES)
