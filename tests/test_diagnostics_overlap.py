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


def test_share_outside_common_support_by_hand():
    # support = [max(0.05, 0.32), min(0.95, 0.65)] = [0.32, 0.65]; outside: 0.05, 0.12, 0.95
    ps = np.array([0.05, 0.12, 0.55, 0.56, 0.95, 0.32, 0.33, 0.65])
    d = np.array([1, 1, 1, 1, 1, 0, 0, 0])
    s = overlap_summary(ps, d)
    assert s["share_outside_support"] == pytest.approx(3 / 8)
    assert s["share_treated_outside_support"] == pytest.approx(3 / 5)


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
