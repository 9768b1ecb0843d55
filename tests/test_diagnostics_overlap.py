"""overlap_summary: shared bins, counts per group, share outside common support."""

import numpy as np
import pytest

from evalkit.diagnostics.overlap import overlap_summary


def test_counts_per_group_on_shared_fixed_bins():
    ps = np.array([0.05, 0.12, 0.55, 0.56, 0.95, 0.32, 0.33, 0.65])
    d = np.array([1, 1, 1, 1, 1, 0, 0, 0])
    s = overlap_summary(ps, d, bins=10)
    assert s["bin_edges"] == pytest.approx(np.linspace(0, 1, 11).tolist())
    assert s["treated_counts"] == [1, 1, 0, 0, 0, 2, 0, 0, 0, 1]
    assert s["control_counts"] == [0, 0, 0, 2, 0, 0, 1, 0, 0, 0]


def test_share_outside_common_support_is_a_share_of_participants_by_hand():
    # support = [max(0.05, 0.32), min(0.95, 0.65)] = [0.32, 0.65]; outside: 0.05, 0.12, 0.95,
    # all three participants: 3 of 5 participants (3 of all 8 units)
    ps = np.array([0.05, 0.12, 0.55, 0.56, 0.95, 0.32, 0.33, 0.65])
    d = np.array([1, 1, 1, 1, 1, 0, 0, 0])
    s = overlap_summary(ps, d)
    assert s["denominator"] == "participants" and s["n_participants"] == 5
    assert s["n_participants_outside_support"] == 3
    assert s["share_outside_support"] == pytest.approx(3 / 5)
    assert s["share_all_units_outside_support"] == pytest.approx(3 / 8)


def test_many_comparison_units_outside_support_do_not_count_against_participants():
    # the 84.8 % of issue 11 was a share of comparison units: comparison persons with scores no
    # participant has are harmless for the ATT
    ps = np.r_[np.linspace(0.3, 0.6, 10), np.linspace(0.001, 0.6, 90)]
    d = np.r_[np.ones(10), np.zeros(90)]
    s = overlap_summary(ps, d)
    assert s["share_outside_support"] == 0.0
    assert s["share_all_units_outside_support"] > 0.4


def test_participants_left_out_by_the_estimate_are_counted_from_its_trimmed_mask():
    ps = np.array([0.2, 0.5, 0.9, 0.3, 0.6, 0.7])
    d = np.array([1, 1, 1, 0, 0, 0])
    trimmed = np.array([False, False, True, False, False, True])
    s = overlap_summary(ps, d, trimmed=trimmed)
    assert s["n_participants_trimmed"] == 1 and s["share_trimmed"] == pytest.approx(1 / 3)
    assert s["n_trimmed"] == 2
    # 0.2 and 0.9 are outside [0.3, 0.7]; 0.9 is also trimmed: 2 of 3 excluded
    assert s["share_excluded"] == pytest.approx(2 / 3)


def test_trim_counts_units_outside_the_bounds():
    ps = np.array([0.005, 0.5, 0.995, 0.2])
    d = np.array([1, 0, 0, 1])
    assert overlap_summary(ps, d, trim=(0.01, 0.99))["n_trimmed"] == 2
    assert overlap_summary(ps, d)["n_trimmed"] == 0


def test_counts_add_up_to_group_sizes():
    rng = np.random.default_rng(1)
    ps = rng.uniform(size=500)
    d = rng.binomial(1, ps)
    s = overlap_summary(ps, d, bins=17)
    assert sum(s["treated_counts"]) == d.sum()
    assert sum(s["control_counts"]) == (1 - d).sum()
