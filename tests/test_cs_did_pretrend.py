"""cs_did's pre-trend tests: the event-time Wald test in ``details["pretrend"]`` (always computed,
reduced rank when needed) and R ``did``'s cell-level test in ``details["pretrend_cells"]``."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.estimators.cs_did import cs_did
from evalkit.estimators.cs_did_aggregate import wald, wald_result


def staggered(
    seed: int,
    *,
    units: int = 1500,
    months: int = 36,
    cohorts: range = range(13, 31),
    dip: float = 0.0,
    share_treated: float = 0.3,
) -> pd.DataFrame:
    """Monthly panel with many small cohorts; parallel trends hold unless ``dip`` lowers the
    outcome in the three months before start (an Ashenfelter dip)."""
    rng = np.random.default_rng(seed)
    g = np.where(rng.random(units) < share_treated, rng.choice(list(cohorts), units), 0)
    t = np.arange(1, months + 1)
    e = t[None, :] - g[:, None]
    treated = g[:, None] > 0
    y = rng.normal(size=units)[:, None] + 0.02 * t + rng.normal(scale=0.5, size=(units, months))
    y = y + np.where(treated & (e >= 0), 0.3, 0.0) - np.where(treated & (e < 0) & (e >= -3), dip, 0)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(units), months),
            "month": np.tile(t, units),
            "cohort": np.repeat(g, months),
            "y": y.ravel(),
        }
    )


def _fit(frame: pd.DataFrame, **kw):
    return cs_did(frame, "y", unit="id", time="month", cohort="cohort", **kw)


def test_event_time_pretrend_is_the_wald_test_of_the_pre_period_dynamic_aggregates():
    res = _fit(staggered(1), aggregations=["dynamic"], min_e=-6)
    pre = [
        r
        for r in res.filter(aggregation="dynamic")
        if r.event_time is not None and r.event_time < 0
    ]
    est = np.array([r.estimate for r in pre])
    inf = np.column_stack([r.influence for r in pre])
    cov = inf.T @ inf / inf.shape[0] ** 2
    test = res.details["pretrend"]
    assert test["event_times"] == [-6, -5, -4, -3, -2, -1]
    assert test["df"] == 6
    assert test["stat"] == pytest.approx(float(est @ np.linalg.solve(cov, est)), rel=1e-9)


def test_event_time_pretrend_does_not_need_the_dynamic_aggregation():
    with_dynamic = _fit(staggered(2), aggregations=["simple", "dynamic"])
    without = _fit(staggered(2), aggregations=["simple"])
    assert without.details["pretrend"]["stat"] == pytest.approx(
        with_dynamic.details["pretrend"]["stat"], rel=1e-12
    )
    assert not without.filter(aggregation="dynamic")


def test_with_small_cohorts_only_the_event_time_test_is_computed_and_passes_under_parallel_trends():
    res = _fit(staggered(3), control_group="not_yet_treated", aggregations=["simple"])
    assert res.details["pretrend_cells"]["stat"] is None
    assert "too few for a test over cells" in res.details["pretrend_cells"]["note"]
    # event times -28 .. -1 exist; -21 and before rest on the few latest cohorts (~25 units each)
    assert res.details["pretrend"]["event_times"] == list(range(-20, 0))
    assert res.details["pretrend"]["left_out"].startswith("event times -28 to -21")
    assert res.details["pretrend"]["p_value"] > 0.05


def test_event_time_pretrend_rejects_a_dip_before_start():
    res = _fit(staggered(3, dip=0.3), control_group="not_yet_treated", aggregations=["simple"])
    assert res.details["pretrend"]["p_value"] < 1e-6


def test_min_e_limits_the_event_times_tested():
    res = _fit(staggered(4), aggregations=["simple"], min_e=-12, max_e=24)
    assert res.details["pretrend"]["event_times"] == list(range(-12, 0))


def test_universal_base_reference_event_time_is_left_out_of_the_test():
    res = _fit(staggered(5), aggregations=["simple"], base_period="universal", min_e=-4)
    # e = -1 is the normalised reference (estimate 0, no variance)
    assert res.details["pretrend"]["event_times"] == [-4, -3, -2]


def test_anticipation_excludes_the_anticipated_periods_from_the_test():
    res = _fit(staggered(6), aggregations=["simple"], anticipation=2, min_e=-6)
    assert res.details["pretrend"]["event_times"] == [-6, -5, -4, -3]


def test_reduced_rank_wald_tests_the_estimates_that_are_not_combinations_of_others():
    rng = np.random.default_rng(0)
    a = rng.normal(size=(200, 3))
    inf = np.column_stack([a, a[:, 0] + a[:, 1]])  # the fourth estimate is the sum of two others
    est = np.array([0.1, -0.2, 0.05, -0.1])
    cov = inf.T @ inf / 200**2
    stat, df = wald(est, cov)
    assert df == 3
    full = wald(est[:3], cov[:3, :3])
    assert stat == pytest.approx(full[0], rel=1e-8)
    assert "reduced rank" in wald_result(est, cov)["note"]


def test_full_rank_wald_equals_the_textbook_formula():
    rng = np.random.default_rng(1)
    inf = rng.normal(size=(300, 5))
    est = rng.normal(size=5) / 20
    cov = inf.T @ inf / 300**2
    stat, df = wald(est, cov)
    assert df == 5
    assert stat == pytest.approx(float(est @ np.linalg.solve(cov, est)), rel=1e-10)


@pytest.mark.slow
def test_event_time_pretrend_holds_its_size_with_many_small_cohorts():
    # 200 panels with parallel trends; rejection at 5 % must stay near 5 %
    p = [
        _fit(
            staggered(seed, units=600, months=24, cohorts=range(9, 19)),
            control_group="not_yet_treated",
            aggregations=["simple"],
        ).details["pretrend"]["p_value"]
        for seed in range(200)
    ]
    rate = float(np.mean(np.asarray(p) < 0.05))
    assert 0.015 <= rate <= 0.085, rate


def test_overall_aggregates_carry_the_event_time_pretrend_in_their_json_entry():
    res = _fit(staggered(7), aggregations=["simple", "dynamic"], min_e=-6)
    simple = res.filter(aggregation="simple")[0].to_dict()
    assert simple["details"]["pretrend"]["p_value"] == res.details["pretrend"]["p_value"]
    per_e = [r for r in res.filter(aggregation="dynamic") if r.event_time is not None]
    assert all("pretrend" not in r.details for r in per_e)
