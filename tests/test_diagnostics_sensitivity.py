"""E-values (VanderWeele & Ding 2017) and robustness values (Cinelli & Hazlett 2020)."""

import math

import pytest

from evalkit.diagnostics.sensitivity import (
    e_value,
    e_value_for_difference,
    robustness_value,
    rr_from_proportions,
    rr_from_smd,
)
from evalkit.errors import EstimationError


def test_e_value_of_risk_ratio_3_9_is_7_26():
    # VanderWeele & Ding (2017): RR = 3.9 -> E = 3.9 + sqrt(3.9 * 2.9) = 7.26
    assert e_value(3.9)["e_value"] == pytest.approx(3.9 + math.sqrt(3.9 * 2.9))
    assert round(e_value(3.9)["e_value"], 2) == 7.26


def test_e_value_of_the_lower_bound_when_rr_above_one():
    # their example's CI lower bound 1.8 -> 1.8 + sqrt(1.8 * 0.8) = 3.00
    assert e_value(3.9, lo=1.8, hi=8.7)["e_value_ci"] == pytest.approx(3.0)


def test_protective_risk_ratio_uses_its_inverse():
    assert e_value(0.5)["e_value"] == pytest.approx(2 + math.sqrt(2))
    assert e_value(0.5, lo=0.2, hi=0.8)["e_value_ci"] == pytest.approx(
        1.25 + math.sqrt(1.25 * 0.25)
    )


def test_interval_including_one_has_ci_e_value_one():
    assert e_value(1.4, lo=0.9, hi=2.1)["e_value_ci"] == 1.0
    assert e_value(0.8, lo=0.6, hi=1.1)["e_value_ci"] == 1.0


def test_non_positive_risk_ratio_is_an_error():
    with pytest.raises(EstimationError):
        e_value(0.0)


def test_difference_in_proportions_converts_to_risk_ratio():
    # treated share 0.45, effect 0.15 -> untreated share 0.30 -> RR 1.5
    assert rr_from_proportions(0.45, 0.15) == pytest.approx(1.5)
    out = e_value_for_difference(0.15, 0.05, 0.25, binary=True, treated_mean=0.45)
    assert out["e_value"] == pytest.approx(1.5 + math.sqrt(1.5 * 0.5))
    assert out["e_value_ci"] == pytest.approx(e_value(0.45 / 0.40)["e_value"])


def test_smd_converts_to_risk_ratio_exp_0_91_d():
    assert rr_from_smd(0.5) == pytest.approx(math.exp(0.455))
    out = e_value_for_difference(1000.0, 200.0, 1800.0, binary=False, outcome_sd=2000.0)
    assert out["rr"] == pytest.approx(math.exp(0.91 * 0.5))
    assert out["e_value_ci"] == pytest.approx(e_value(math.exp(0.91 * 0.1))["e_value"])


def test_robustness_value_reproduces_cinelli_hazlett_darfur_example():
    # Cinelli & Hazlett (2020), directlyharmed: t = 4.18445, df = 783 -> RV = 13.9%,
    # RV_{alpha=0.05} = 7.6%, partial R2 = 2.19%.
    rv = robustness_value(t=4.18445, dof=783)
    assert round(rv["rv_q"], 3) == 0.139
    assert round(rv["rv_qa"], 3) == 0.076
    assert round(rv["partial_r2"], 4) == 0.0219


def test_robustness_value_formula_by_hand():
    t, dof, q = 3.0, 100.0, 0.5
    f = q * t / math.sqrt(dof)
    expected = 0.5 * (math.sqrt(f**4 + 4 * f**2) - f**2)
    assert robustness_value(t=t, dof=dof, q=q)["rv_q"] == pytest.approx(expected)


def test_robustness_value_alpha_is_zero_for_an_insignificant_estimate():
    assert robustness_value(t=1.5, dof=500)["rv_qa"] == 0.0


def test_robustness_value_reads_t_and_df_from_a_regression_result():
    from simulate import COVARIATES, simulate

    from evalkit.estimators.regression import regression

    r = regression(simulate(600, seed=81), "y", covariates=COVARIATES)
    rv = robustness_value(r)
    assert rv["t"] == r.details["t_ols"] and rv["dof"] == r.details["dof"]
