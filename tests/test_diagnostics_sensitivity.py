"""E-values (VanderWeele & Ding 2017) and robustness values (Cinelli & Hazlett 2020)."""

import math

import pytest

from evalkit.diagnostics.sensitivity import (
    benchmark_multiplier,
    benchmarked_sensitivity,
    e_value,
    e_value_for_difference,
    ovb_bound,
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


# Cinelli & Hazlett (2020) darfur example, as published by R sensemakr (README and
# tests/testthat/test-02-darfur.R): peacefactor ~ directlyharmed + ..., benchmark "female".
DARFUR = {"estimate": 0.09731582, "se": 0.02325654, "dof": 783}
SENSEMAKR_BOUNDS = {  # kd = ky = 1, 2, 3
    "r2dz_x": [0.00916428667504862, 0.0183285733500972, 0.0274928600251459],
    "r2yz_dx": [0.12464092303637, 0.249324064199975, 0.374050471038094],
    "adjusted_estimate": [0.0752202712144491, 0.0529151723844518, 0.0303960234641548],
    "adjusted_se": [0.0218733277437572, 0.0203500620779637, 0.0186700648170924],
    "adjusted_ci_low": [0.032282966, 0.012968035, -0.006253282],
    "adjusted_ci_high": [0.11815758, 0.09286231, 0.06704533],
}


def _female_partial_r2s() -> tuple[float, float]:
    """female's partial R² with the treatment and the outcome, implied by the published 1x row
    (R²dz = r/(1-r); R²yz = ((1 + sqrt(R²zxj)) / sqrt(1 - R²zxj))² ry/(1-ry))."""
    r2dz, r2yz = SENSEMAKR_BOUNDS["r2dz_x"][0], SENSEMAKR_BOUNDS["r2yz_dx"][0]
    r2dxj = r2dz / (1 + r2dz)
    r2zxj = r2dxj**2 / (1 - r2dxj) ** 2
    odds = r2yz / ((1 + math.sqrt(r2zxj)) / math.sqrt(1 - r2zxj)) ** 2
    return r2dxj, odds / (1 + odds)


@pytest.mark.parametrize("row", [0, 1, 2])
def test_benchmark_bounds_reproduce_sensemakr_darfur_1x_2x_3x_female(row):
    r2dxj, r2yxj = _female_partial_r2s()
    got = ovb_bound(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=row + 1)
    for key, values in SENSEMAKR_BOUNDS.items():
        # the published estimate and SE are rounded to 7 significant digits
        assert got[key] == pytest.approx(values[row], abs=1e-8), key


def test_darfur_interval_reaches_zero_between_two_and_three_times_female():
    # sensemakr: the 2x female interval excludes zero, the 3x one does not
    r2dxj, r2yxj = _female_partial_r2s()
    k = benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj)
    assert 2 < k < 3
    at_k = ovb_bound(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=k)
    assert at_k["adjusted_ci_low"] == pytest.approx(0.0, abs=1e-9)
    point = benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, alpha=None)
    assert point > k
    assert ovb_bound(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=point)[
        "adjusted_estimate"
    ] == pytest.approx(0.0, abs=1e-9)


def test_benchmarked_summary_reports_the_published_robustness_values():
    r2dxj, r2yxj = _female_partial_r2s()
    out = benchmarked_sensitivity(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, benchmark="female")
    assert round(out["rv_q"], 4) == 0.1388 and round(out["rv_qa"], 4) == 0.0763
    assert [b["kd"] for b in out["bounds"]] == [1.0, 2.0, 3.0]


def test_a_target_between_zero_and_the_estimate_needs_a_weaker_confounder():
    r2dxj, r2yxj = _female_partial_r2s()
    to_zero = benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj)
    to_target = benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, target=0.02)
    assert 0 < to_target < to_zero
    out = benchmarked_sensitivity(
        **DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, benchmark="female", target=0.02
    )
    q = (DARFUR["estimate"] - 0.02) / DARFUR["estimate"]
    assert out["rv_q"] == pytest.approx(
        robustness_value(t=DARFUR["estimate"] / DARFUR["se"], dof=783, q=q)["rv_q"]
    )


def test_an_interval_already_across_the_target_needs_no_confounder():
    r2dxj, r2yxj = _female_partial_r2s()
    assert benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, target=0.06) == 0.0


def test_a_target_above_the_estimate_is_reached_by_bias_away_from_zero():
    r2dxj, r2yxj = _female_partial_r2s()
    k = benchmark_multiplier(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, target=0.2)
    at_k = ovb_bound(**DARFUR, r2dxj_x=r2dxj, r2yxj_dx=r2yxj, kd=k, target=0.2)
    assert at_k["adjusted_ci_high"] == pytest.approx(0.2, abs=1e-9)


def test_a_benchmark_unrelated_to_the_outcome_bounds_no_confounder_and_gives_none():
    # multiples of a covariate with no partial R² with the outcome carry no bias at any strength,
    # so the point estimate never moves (the interval still widens as R²dz grows towards 1)
    assert benchmark_multiplier(1.0, 0.01, 1000, 0.5, 0.0, alpha=None) is None
    assert benchmark_multiplier(1.0, 0.01, 1000, 0.5, 0.0) > 0


def test_benchmark_partial_r2s_are_the_residualised_r2s_of_frisch_waugh_lovell():
    import numpy as np
    from simulate import COVARIATES, simulate

    from evalkit.diagnostics.benchmark import outcome_regression_r2

    frame = simulate(800, seed=82)
    got = outcome_regression_r2(frame, "y", "treated", COVARIATES)

    def resid(v, others):
        z = np.column_stack([np.ones(len(frame)), *others])
        return v - z @ np.linalg.lstsq(z, v, rcond=None)[0]

    x1 = frame.x1.to_numpy()
    rest = [frame[c].to_numpy(float) for c in COVARIATES if c != "x1"]
    d = frame.treated.to_numpy(float)
    ry, rx = resid(frame.y.to_numpy(), [d, *rest]), resid(x1, [d, *rest])
    assert got["r2y"]["x1"] == pytest.approx(np.corrcoef(ry, rx)[0, 1] ** 2, rel=1e-9)
    rd, rx = resid(d, rest), resid(x1, rest)
    assert got["r2d"]["x1"] == pytest.approx(np.corrcoef(rd, rx)[0, 1] ** 2, rel=1e-9)
