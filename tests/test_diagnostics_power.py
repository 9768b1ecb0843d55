"""Minimum detectable effect at 80% power."""

import math

import pytest
from scipy import stats

from evalkit.diagnostics.power import minimum_detectable_effect, minimum_detectable_proportion
from evalkit.errors import InsufficientDataError


def test_mde_of_100_per_arm_with_unit_sd():
    # (1.95996 + 0.84162) * sqrt(1/100 + 1/100) = 0.3962
    assert minimum_detectable_effect(100, 100, 1.0) == pytest.approx(0.39621, abs=1e-5)


def test_a_true_effect_of_the_mde_is_detected_with_80_percent_power():
    mde = minimum_detectable_effect(250, 900, 3.0)
    se = 3.0 * math.sqrt(1 / 250 + 1 / 900)
    z = stats.norm.ppf(0.975)
    power = stats.norm.sf(z - mde / se) + stats.norm.cdf(-z - mde / se)
    assert power == pytest.approx(0.80, abs=1e-3)


def test_covariates_explaining_variance_shrink_the_mde():
    full = minimum_detectable_effect(100, 100, 1.0)
    assert minimum_detectable_effect(100, 100, 1.0, r2=0.75) == pytest.approx(full / 2)


def test_mde_for_a_proportion_uses_bernoulli_sd():
    assert minimum_detectable_proportion(400, 400, 0.3) == pytest.approx(
        minimum_detectable_effect(400, 400, math.sqrt(0.21))
    )


def test_mde_without_treated_units_is_an_error():
    with pytest.raises(InsufficientDataError):
        minimum_detectable_effect(0, 100, 1.0)
