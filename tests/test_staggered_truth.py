"""Known truth: a staggered panel with effects that differ by cohort and time (tests/simulate_panel.py).

Two-way fixed effects is biased here (already-treated units act as controls for later cohorts,
Goodman-Bacon 2021); cs_did and dynamic_matching recover the true effects.
"""

from __future__ import annotations

import numpy as np
import pytest
from simulate_panel import simulate_panel

from evalkit.estimators.cs_did import cs_did
from evalkit.estimators.dynamic_matching import dynamic_matching
from evalkit.estimators.twfe import twfe


@pytest.fixture(scope="module")
def sim():
    return simulate_panel(n_units=3000, seed=20261126)


@pytest.fixture(scope="module")
def cs(sim):
    return cs_did(sim.frame, "y", unit="unit", time="period", cohort="cohort")


def test_twfe_is_biased_under_heterogeneous_dynamic_effects(sim):
    res = twfe(sim.frame, "y", unit="unit", time="period", treatment="d")
    truth = sim.treated_obs_att()
    assert not res.ci_low <= truth <= res.ci_high
    assert truth - res.estimate > 10 * res.se  # biased towards zero by forbidden comparisons


def test_cs_did_simple_recovers_the_average_effect(sim, cs):
    simple = cs.filter(aggregation="simple")[0]
    assert abs(simple.estimate - sim.simple_att()) < 3 * simple.se


def test_cs_did_dynamic_recovers_the_effect_path(sim, cs):
    rows = [
        r
        for r in cs.filter(aggregation="dynamic")
        if r.event_time is not None and r.event_time >= 0
    ]
    assert len(rows) == 9
    for r in rows:
        assert abs(r.estimate - sim.dynamic_att(r.event_time)) < 3.5 * r.se, r.event_time


def test_cs_did_att_gt_cells_recover_each_cohort_and_period(sim, cs):
    truth = sim.att_gt()
    z = [(r.estimate - truth[(r.group, r.time)]) / r.se for r in cs.filter(aggregation="att_gt")]
    assert len(z) == 4 * 11
    assert np.max(np.abs(z)) < 4.0
    assert np.mean(np.abs(z) < 1.96) > 0.85


def test_cs_did_with_not_yet_treated_controls_and_covariate_recovers_truth(sim):
    res = cs_did(
        sim.frame,
        "y",
        unit="unit",
        time="period",
        cohort="cohort",
        covariates=["x"],
        control_group="not_yet_treated",
        aggregations=["simple"],
    )
    simple = res.filter(aggregation="simple")[0]
    assert abs(simple.estimate - sim.simple_att()) < 3 * simple.se


def test_dynamic_matching_recovers_joining_now_versus_waiting(sim):
    res = dynamic_matching(sim.stacked(range(0, 9)), ["y"], covariates=["x"])
    for r in res:
        assert abs(r.estimate - sim.sianesi_att(r.event_time)) < 3 * r.se, r.event_time


@pytest.mark.slow
def test_cs_did_interval_covers_truth_in_monte_carlo():
    hits, z = [], []
    for seed in range(200, 240):
        sim = simulate_panel(n_units=800, seed=seed)
        res = cs_did(
            sim.frame, "y", unit="unit", time="period", cohort="cohort", aggregations=["simple"]
        )
        simple = res.filter(aggregation="simple")[0]
        truth = sim.simple_att()
        hits.append(simple.ci_low <= truth <= simple.ci_high)
        z.append((simple.estimate - truth) / simple.se)
    assert np.mean(hits) >= 0.85
    assert abs(np.mean(z)) < 4 / np.sqrt(len(z))
    assert 0.7 < np.std(z) < 1.3


@pytest.mark.slow
def test_cs_did_uniform_band_covers_the_whole_effect_path_in_monte_carlo():
    covered = []
    for seed in range(300, 330):
        sim = simulate_panel(n_units=800, seed=seed)
        res = cs_did(
            sim.frame,
            "y",
            unit="unit",
            time="period",
            cohort="cohort",
            bootstrap=True,
            n_boot=499,
            seed=seed,
            aggregations=["dynamic"],
        )
        rows = [
            r
            for r in res.filter(aggregation="dynamic")
            if r.event_time is not None and r.event_time >= 0
        ]
        covered.append(
            all(
                r.details["uniform_ci_low"]
                <= sim.dynamic_att(r.event_time)
                <= r.details["uniform_ci_high"]
                for r in rows
            )
        )
    # nominal 95 % simultaneous coverage of 9 event times (post and pre rows share the band)
    assert np.mean(covered) >= 0.85
