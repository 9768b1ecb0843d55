"""matching: nearest neighbours on the score with ties and caliper, Abadie–Imbens variance."""

import numpy as np
import pandas as pd
import pytest
from simulate import COVARIATES, simulate

from evalkit.estimators.matching import control_variance, match, matching, matching_weights


def test_each_treated_unit_is_matched_to_its_nearest_control_on_the_score():
    score = np.array([0.1, 0.05, 0.9, 0.0, 0.5, 1.0])
    d = np.array([1, 1, 1, 0, 0, 0])
    y = np.array([5.0, 6.0, 9.0, 1.0, 2.0, 4.0])
    m = match(score, d, y, neighbours=1, caliper_logit=None)
    assert m.y0_hat.tolist() == [1.0, 1.0, 4.0]
    assert m.k_weight.tolist() == [2.0, 0.0, 1.0]
    assert m.n_matches.tolist() == [1, 1, 1]


def test_equidistant_controls_are_both_matches_with_half_weight():
    score = np.array([0.5, 0.4, 0.6, 2.0])
    d = np.array([1, 0, 0, 0])
    y = np.array([3.0, 1.0, 2.0, 10.0])
    m = match(score, d, y, neighbours=1, caliper_logit=None)
    assert m.n_matches.tolist() == [2]
    assert m.y0_hat.tolist() == [1.5]
    assert m.k_weight.tolist() == [0.5, 0.5, 0.0]
    assert m.k_prime.tolist() == [0.25, 0.25, 0.0]


def test_k_neighbours_average_the_k_nearest_controls():
    score = np.array([0.0, -0.1, 0.2, 0.35, 5.0])
    d = np.array([1, 0, 0, 0, 0])
    y = np.array([0.0, 1.0, 2.0, 3.0, 100.0])
    m = match(score, d, y, neighbours=2, caliper_logit=None)
    assert m.y0_hat.tolist() == [1.5]


def test_control_variance_matches_each_control_to_its_nearest_other_control():
    # sigma^2 = 1/2 (y_j - y_nearest)^2 (Abadie & Imbens 2006, J = 1)
    s2 = control_variance(np.array([0.0, 0.5, 1.2]), np.array([1.0, 2.0, 4.0]))
    assert s2.tolist() == [0.5, 0.5, 2.0]


def test_abadie_imbens_standard_error_by_hand():
    # One covariate: the logit score is affine in x, so matches on the score are matches on x.
    # Treated x = 0.1, 0.05, 0.9 match controls x = 0.0, 0.0, 1.0: tau_i = 4, 5, 5, ATT = 14/3.
    # Control x=0 is used K=2 times (K' = 2), its sigma^2 = (1 - 2)^2 / 2 = 0.5 (nearest other
    # control x = 0.5). AI (2006): V = [sum (tau_i - ATT)^2 + (K^2 - K') sigma^2] / N1^2.
    frame = pd.DataFrame(
        {
            "x": [0.1, 0.05, 0.9, 0.0, 0.5, 1.0],
            "treated": [1, 1, 1, 0, 0, 0],
            "y": [5.0, 6.0, 9.0, 1.0, 2.0, 4.0],
        }
    )
    r = matching(frame, "y", covariates=("x",), estimated_score=False)
    tau = np.array([4.0, 5.0, 5.0])
    assert r.estimate == pytest.approx(tau.mean())
    expected_var = (np.sum((tau - tau.mean()) ** 2) + (2**2 - 2) * 0.5) / 3**2
    assert r.se == pytest.approx(np.sqrt(expected_var))
    assert r.n_control == 2


def test_caliper_leaves_far_treated_unmatched_and_reports_them():
    rng = np.random.default_rng(7)
    n = 400
    x = rng.uniform(0, 1, n)
    treated = rng.binomial(1, 0.4, n)
    x[:3] = [6.0, 6.5, 7.0]  # three treated far outside the controls' range
    treated[:3] = 1
    frame = pd.DataFrame({"x": x, "treated": treated, "y": x + treated + rng.normal(size=n)})
    r = matching(frame, "y", covariates=("x",), caliper=0.2)
    assert r.details["n_unmatched"] == 3
    assert r.n_treated == int(treated.sum()) - 3
    assert any("excluded" in note for note in r.details["notes"])
    no_caliper = matching(frame, "y", covariates=("x",))
    assert no_caliper.details["n_unmatched"] == 0


def test_matching_recovers_the_known_att_where_naive_does_not():
    frame = simulate(20_000, seed=51)
    r = matching(frame, "y", covariates=COVARIATES, neighbours=4)
    assert r.ci_low < 1.0 < r.ci_high
    naive_diff = frame.y[frame.treated == 1].mean() - frame.y[frame.treated == 0].mean()
    assert naive_diff > r.ci_high + 0.3


def test_matching_estimate_is_mean_of_treated_minus_their_matches():
    frame = simulate(500, seed=52)
    r = matching(frame, "y", covariates=COVARIATES)
    w = matching_weights(frame, "y", covariates=COVARIATES)
    d = frame.treated.to_numpy()
    y = frame.y.to_numpy()
    expected = y[d == 1].mean() - np.sum(w[d == 0] * y[d == 0]) / np.sum(w[d == 1])
    assert r.estimate == pytest.approx(expected, abs=1e-12)


def test_matching_weights_balance_the_score_covariates():
    from evalkit.diagnostics.balance import balance_table

    frame = simulate(4000, seed=53)
    w = matching_weights(frame, "y", covariates=COVARIATES, neighbours=2)
    table = balance_table(frame, "treated", COVARIATES, weights=w)
    assert (table["smd_after"].abs() < 0.1).all()
    assert (table["smd_before"].abs().max()) > 0.5


def test_matching_rejects_weights_and_clusters():
    from evalkit.errors import EstimationError

    frame = simulate(200, seed=54).assign(w=1.0)
    with pytest.raises(EstimationError, match="weights or clusters"):
        matching(frame, "y", covariates=COVARIATES, weights="w")


def test_matching_a_million_rows_uses_a_sorted_search_not_pairwise_distances():
    # 1e6 x 1e6 pairwise distances would need terabytes; this completes with modest memory.
    rng = np.random.default_rng(55)
    n = 1_000_000
    score = rng.normal(size=n)
    d = (rng.uniform(size=n) < 1 / (1 + np.exp(-score))).astype(float)
    m = match(score, d, rng.normal(size=n), neighbours=1, caliper_logit=None)
    assert m.matched.all()
    assert m.k_weight.sum() == pytest.approx(d.sum())


def _brute_force_correction(frame, covariates, neighbours_cov=2):
    """Abadie & Imbens (2016) terms computed the slow way: statsmodels' logit covariance,
    neighbours by sorting all distances, one unit at a time."""
    import statsmodels.api as sm

    X = frame[list(covariates)].to_numpy(float)
    Z = np.column_stack([np.ones(len(X)), (X - X.mean(0)) / X.std(0)])
    d = frame["treated"].to_numpy(float)
    y = frame["y"].to_numpy(float)
    logit = sm.Logit(d, Z).fit(disp=0, tol=1e-12)
    v_theta = logit.cov_params()
    index = Z @ logit.params
    p = 1 / (1 + np.exp(-index))
    f = p * (1 - p)
    t, c = np.flatnonzero(d == 1), np.flatnonzero(d == 0)
    tau = np.empty(len(y))
    for i in range(len(y)):
        pool = c if d[i] == 1 else t
        j = pool[np.argmin(np.abs(index[pool] - index[i]))]
        tau[i] = y[i] - y[j] if d[i] == 1 else y[j] - y[i]
    att = tau[t].mean()
    c_t = np.zeros(Z.shape[1])
    for i in range(len(y)):
        cov = []
        for group in (c, t):
            near = group[
                np.argsort(np.abs(index[group] - index[i]), kind="stable")[:neighbours_cov]
            ]
            zc = Z[near] - Z[near].mean(0)
            cov.append(zc.T @ (y[near] - y[near].mean()) / (neighbours_cov - 1))
        c_t += f[i] * (cov[1] + p[i] / (1 - p[i]) * cov[0])
    c_t /= len(t)
    d_t = (f * (tau - att)) @ Z / len(t)
    return att, c_t @ v_theta @ c_t, d_t @ v_theta @ d_t


def test_estimated_score_correction_equals_a_brute_force_computation():
    frame = simulate(300, seed=56)
    att, c_term, d_term = _brute_force_correction(frame, COVARIATES)
    r = matching(frame, "y", covariates=COVARIATES)
    assert r.estimate == pytest.approx(att, abs=1e-12)
    assert -r.details["score_correction_c"] == pytest.approx(c_term, rel=1e-6)
    assert r.details["score_correction_d"] == pytest.approx(d_term, rel=1e-6)
    expected = r.details["variance_known_score"] - c_term + d_term
    assert r.se == pytest.approx(np.sqrt(expected), rel=1e-6)
    assert r.details["se_method"] == "Abadie-Imbens (2016), estimated score"


def test_matching_fit_weights_are_the_matching_weights():
    frame = simulate(600, seed=57)
    r = matching(frame, "y", covariates=COVARIATES, caliper=0.05)
    w = matching_weights(frame, "y", covariates=COVARIATES, caliper=0.05)
    assert np.array_equal(r.fit.weights, w.to_numpy())
    assert r.fit.n_treated_excluded == r.details["n_unmatched"]
