"""Specifications of joint uncertainty: influence-function covariances, sup-t bands, Holm, BH."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from scipy import stats
from statsmodels.stats.multitest import multipletests

from evalkit.audit.multiplicity import (
    benjamini_hochberg,
    bonferroni_critical,
    difference_test,
    holm,
    homogeneity_test,
    joint_covariance,
    person_totals,
    sup_t_critical,
)
from evalkit.estimators._inputs import influence_se

P = [0.01, 0.04, 0.03, 0.20, 0.002]


def test_holm_matches_statsmodels():
    assert holm(P) == pytest.approx(multipletests(P, method="holm")[1].tolist())


def test_benjamini_hochberg_matches_statsmodels():
    assert benjamini_hochberg(P) == pytest.approx(multipletests(P, method="fdr_bh")[1].tolist())


def test_missing_p_values_stay_missing_and_do_not_count():
    out = holm([0.01, math.nan, 0.04])
    assert math.isnan(out[1]) and out[0] == pytest.approx(0.02) and out[2] == pytest.approx(0.04)


def test_one_estimate_has_the_usual_critical_value():
    assert sup_t_critical(np.array([[4.0]])) == pytest.approx(stats.norm.ppf(0.975))


def test_independent_estimates_need_the_sidak_critical_value():
    expected = stats.norm.ppf((1 + math.sqrt(0.95)) / 2)  # P(max |Z| < c) = (2 Phi(c) - 1)^2
    assert sup_t_critical(np.eye(2), draws=200_000) == pytest.approx(expected, abs=0.01)


def test_perfectly_correlated_estimates_need_no_adjustment():
    assert sup_t_critical(np.ones((3, 3)) * 2.0, draws=100_000) == pytest.approx(1.96, abs=0.01)


def test_sup_t_never_exceeds_bonferroni():
    cov = np.array([[1.0, 0.3, 0.1], [0.3, 1.0, 0.5], [0.1, 0.5, 1.0]])
    assert sup_t_critical(cov) <= bonferroni_critical(3) + 1e-9


def _clustered(seed: int = 0):
    rng = np.random.default_rng(seed)
    n = 600
    persons = pd.Series(rng.integers(0, 250, n), index=pd.RangeIndex(n) + 10)
    a = rng.normal(size=n)
    b = 0.6 * a + 0.8 * rng.normal(size=n)
    return persons, a - a.mean(), b - b.mean()


def test_an_estimates_own_variance_is_its_cluster_robust_se_squared():
    persons, a, _ = _clustered()
    terms = person_totals(a, persons.index, persons, 0.1)
    v = joint_covariance([terms])
    codes = pd.factorize(persons)[0]
    assert math.sqrt(v[0, 0]) == pytest.approx(influence_se(a, codes), rel=1e-12)


def test_difference_of_an_estimate_with_itself_has_no_variance():
    persons, a, _ = _clustered()
    t = person_totals(a, persons.index, persons, 0.1)
    diff, se, _, _ = difference_test(t, t)
    assert diff == 0 and math.isnan(se)  # zero variance: no test


def test_difference_variance_uses_the_covariance_of_shared_persons():
    persons, a, b = _clustered()
    ta = person_totals(a, persons.index, persons, 0.3)
    tb = person_totals(b, persons.index, persons, 0.1)
    v = joint_covariance([ta, tb])
    diff, se, z, p = difference_test(ta, tb)
    assert diff == pytest.approx(0.2)
    assert se**2 == pytest.approx(v[0, 0] + v[1, 1] - 2 * v[0, 1])
    assert v[0, 1] > 0 and se**2 < v[0, 0] + v[1, 1]  # positively correlated: a tighter test
    assert p == pytest.approx(2 * stats.norm.sf(abs(z)))


def test_estimates_on_two_samples_are_joined_by_person():
    persons, a, b = _clustered()
    half = persons.index[:300]
    ta = person_totals(a, persons.index, persons, 0.0)
    tb = person_totals(b[:300], half, persons, 0.0)
    v = joint_covariance([ta, tb])
    assert v.shape == (2, 2) and np.isfinite(v).all()


def test_rows_without_a_person_are_an_error():
    persons, a, _ = _clustered()
    with pytest.raises(ValueError, match="person id"):
        person_totals(a, persons.index + 10_000, persons, 0.0)


def test_equal_subgroup_effects_are_not_rejected_and_different_ones_are():
    _, _, p_equal = homogeneity_test([0.10, 0.11, 0.09], [0.02, 0.02, 0.03])
    q, df, p_diff = homogeneity_test([0.02, 0.20], [0.03, 0.03])
    assert p_equal > 0.5 and df == 1 and p_diff < 0.001
    assert q == pytest.approx((0.18 / math.sqrt(2 * 0.03**2)) ** 2)


def test_a_single_subgroup_level_has_no_test():
    q, df, p = homogeneity_test([0.1], [0.02])
    assert math.isnan(q) and df == 0 and math.isnan(p)
