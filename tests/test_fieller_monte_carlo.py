"""Monte Carlo (slow): Fieller intervals of the cost ratios cover the truth when cost and effect
are correlated, because they use the influence functions' covariance (benchmarks/mc_fieller.py
runs the same with more replications and prints the figures)."""

from __future__ import annotations

import numpy as np
import pytest

from benchmarks.mc_fieller import SCENARIOS, replicate

REPS = 300


@pytest.fixture(scope="module")
def rows() -> list[dict]:
    scenario = SCENARIOS["lock_in_then_positive"]
    return [replicate(scenario, 2000, 700_000 + r) for r in range(REPS)]


def _coverage(rows: list[dict], key: str) -> float:
    return float(np.mean([r[key][0] for r in rows]))


@pytest.mark.slow
def test_net_cost_per_extra_month_with_covariance_covers_the_truth_about_95_percent(rows):
    assert 0.92 <= _coverage(rows, "per_month:covariance") <= 0.98


@pytest.mark.slow
def test_numerator_and_denominator_are_strongly_correlated_in_this_design(rows):
    # more months in work, less assistance: the net cost falls as the effect rises
    assert np.mean([r["per_month:covariance"][2] for r in rows]) < -0.9


@pytest.mark.slow
def test_assuming_zero_covariance_undercovers_when_cost_and_effect_are_correlated(rows):
    assert _coverage(rows, "per_month:assumed_zero") < _coverage(rows, "per_month:covariance")
