"""ipw: normalised ATT weights, M-estimation SE with the estimated score, trimming."""

import numpy as np
import pytest
import statsmodels.api as sm
from drdid._estimators import std_ipw_did_panel
from simulate import COVARIATES, simulate

from evalkit.estimators.ipw import att_weights, ipw


@pytest.fixture(scope="module")
def data():
    return simulate(3000, seed=31)


def test_ipw_equals_drdid_normalised_ipw_with_its_influence_function(data):
    # DRDID's std_ipw_did_panel with y0 = 0 is the cross-sectional Hájek ATT (Sant'Anna & Zhao 2020).
    X = data[list(COVARIATES)].to_numpy(float)
    att, inf = std_ipw_did_panel(
        data["y"].to_numpy(), np.zeros(len(data)), data["treated"].to_numpy(), X, trim_level=0.99999
    )
    r = ipw(data, "y", covariates=COVARIATES)
    assert r.estimate == pytest.approx(att, abs=1e-7)
    assert np.max(np.abs(r.influence - inf)) < 1e-5
    assert r.se == pytest.approx(np.std(inf) / np.sqrt(len(data)), rel=1e-6)


def test_ipw_se_is_root_sum_of_squared_influence_over_n(data):
    r = ipw(data, "y", covariates=COVARIATES)
    assert abs(r.influence.mean()) < 1e-8
    assert r.se == pytest.approx(np.sqrt(np.sum(r.influence**2)) / len(data), rel=1e-12)


def test_ipw_estimate_is_hajek_weighted_difference_from_statsmodels_logit(data):
    exog = sm.add_constant(data[list(COVARIATES)].astype(float))
    ps = sm.Logit(data["treated"], exog).fit(disp=0, tol=1e-12).predict()
    d, y = data["treated"].to_numpy(), data["y"].to_numpy()
    w0 = (1 - d) * ps / (1 - ps)
    expected = y[d == 1].mean() - np.sum(w0 * y) / np.sum(w0)
    assert ipw(data, "y", covariates=COVARIATES).estimate == pytest.approx(expected, abs=1e-8)


def test_ipw_recovers_the_known_att_where_naive_does_not():
    frame = simulate(20_000, seed=32)
    r = ipw(frame, "y", covariates=COVARIATES)
    assert abs(r.estimate - 1.0) < 3 * r.se
    assert r.ci_low < 1.0 < r.ci_high


def test_trimming_excludes_and_counts_units_outside_the_bounds(data):
    exog = sm.add_constant(data[list(COVARIATES)].astype(float))
    ps = sm.Logit(data["treated"], exog).fit(disp=0, tol=1e-12).predict()
    outside = (ps < 0.1) | (ps > 0.9)
    r = ipw(data, "y", covariates=COVARIATES, trim=(0.1, 0.9))
    assert r.details["n_trimmed"] == int(outside.sum()) > 0
    assert r.n_treated + r.n_control == len(data) - int(outside.sum())
    d, y = data["treated"].to_numpy(), data["y"].to_numpy()
    keep = ~np.asarray(outside)
    w0 = (1 - d) * keep * ps / (1 - ps)
    expected = y[(d == 1) & keep].mean() - np.sum(w0 * y) / np.sum(w0)
    assert r.estimate == pytest.approx(expected, abs=1e-8)


def test_integer_weights_give_the_estimate_of_duplicated_rows(data):
    w = np.where(data.x3 > 0, 2, 1)
    weighted = ipw(data.assign(w=w), "y", covariates=COVARIATES, weights="w")
    duplicated = data.loc[data.index.repeat(w)].reset_index(drop=True)
    assert weighted.estimate == pytest.approx(ipw(duplicated, "y", covariates=COVARIATES).estimate)


def test_one_unit_per_cluster_scales_se_by_root_n_over_n_minus_one(data):
    a = ipw(data.assign(id=np.arange(len(data))), "y", covariates=COVARIATES, cluster="id")
    b = ipw(data, "y", covariates=COVARIATES)
    n = len(data)
    assert a.se == pytest.approx(b.se * np.sqrt(n / (n - 1)), rel=1e-10)


def test_att_weights_are_one_for_treated_and_odds_for_controls(data):
    w = att_weights(data, "treated", COVARIATES)
    assert (w[data.treated == 1] == 1).all()
    assert (w[data.treated == 0] > 0).all()


def test_trimming_under_strong_selection_gives_a_finite_estimate_and_se():
    frame = simulate(3000, seed=33, selection=4.0)
    r = ipw(frame, "y", covariates=COVARIATES, trim=(0.02, 0.98))
    assert r.details["n_trimmed"] > 0
    assert np.isfinite(r.estimate) and np.isfinite(r.se)
