"""event_study: relative-time effects, the joint pre-trend test, and the event-study plot."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from simulate_panel import LOCK_IN, simulate_panel

from evalkit.errors import EstimationError
from evalkit.estimators.cs_did import cs_did
from evalkit.estimators.event_study import event_study
from evalkit.plots.event_study import plot_event_study

#: one effect slope for every cohort: homogeneous effects, where the event study is unbiased
HOMOGENEOUS = {4: 0.25, 6: 0.25, 8: 0.25, 10: 0.25}


@pytest.fixture(scope="module")
def homogeneous():
    return simulate_panel(n_units=2000, seed=5, slopes=HOMOGENEOUS)


@pytest.fixture(scope="module")
def fitted(homogeneous):
    return event_study(homogeneous.frame, "y", unit="unit", time="period", cohort="cohort")


def test_recovers_homogeneous_effect_path(fitted):
    for r in fitted:
        if r.event_time >= 0:
            truth = LOCK_IN if r.event_time == 0 else 0.25 * r.event_time
            assert abs(r.estimate - truth) < 3.5 * r.se, r.event_time


def test_pre_period_coefficients_are_near_zero_under_parallel_trends(fitted):
    pre = [r for r in fitted if r.event_time < -1]
    assert all(abs(r.estimate) < 3.5 * r.se for r in pre)


def test_pretrend_test_counts_every_pre_period_coefficient(fitted):
    pretrend = fitted.details["pretrend"]
    n_pre = sum(1 for r in fitted if r.event_time < -1)
    assert pretrend["df"] == n_pre == 8
    assert {"stat", "df", "p_value"} <= set(pretrend)


def test_pretrend_test_rejects_when_treated_units_trend_apart():
    sim = simulate_panel(n_units=2000, seed=5, slopes=HOMOGENEOUS, pretrend=0.05)
    res = event_study(sim.frame, "y", unit="unit", time="period", cohort="cohort")
    assert res.details["pretrend"]["p_value"] < 1e-6


def test_pretrend_statistic_is_the_wald_form_of_the_clustered_covariance(homogeneous):
    # with a single pre-period coefficient the Wald statistic is its squared t-statistic
    res = event_study(
        homogeneous.frame, "y", unit="unit", time="period", cohort="cohort", min_rel=-2, max_rel=8
    )
    lead = next(r for r in res if r.event_time == -2)
    assert res.details["pretrend"]["df"] == 1
    assert res.details["pretrend"]["stat"] == pytest.approx(
        (lead.estimate / lead.se) ** 2, rel=1e-8
    )


def test_reference_period_is_reported_as_zero_without_se(fitted):
    ref = next(r for r in fitted if r.event_time == -1)
    assert ref.estimate == 0.0
    assert np.isnan(ref.se)
    assert ref.details["reference"] is True


def test_binning_far_leads_and_lags_into_end_points(homogeneous):
    res = event_study(
        homogeneous.frame, "y", unit="unit", time="period", cohort="cohort", min_rel=-3, max_rel=3
    )
    assert [r.event_time for r in res] == [-3, -2, -1, 0, 1, 2, 3]
    binned = {r.event_time for r in res if r.details.get("binned")}
    assert binned == {-3, 3}
    assert res.details["window"] == [-3, 3]


def test_other_reference_period(homogeneous):
    res = event_study(homogeneous.frame, "y", unit="unit", time="period", cohort="cohort", ref=-2)
    assert next(r for r in res if r.event_time == -2).details["reference"]
    assert any(r.event_time == -1 and np.isfinite(r.se) for r in res)


def test_without_never_treated_units_unbinned_is_refused(homogeneous):
    frame = homogeneous.frame[homogeneous.frame["cohort"] > 0]
    with pytest.raises(EstimationError, match="never-treated"):
        event_study(frame, "y", unit="unit", time="period", cohort="cohort")


def test_results_are_dynamic_rows_with_event_time(fitted):
    entries = fitted.to_dicts()
    assert {e["estimator"] for e in entries} == {"event_study"}
    assert all("event_time" in e and e["aggregation"] == "dynamic" for e in entries)


def test_plot_returns_a_figure_with_one_point_per_event_time(fitted):
    fig = plot_event_study(fitted, title="t", xlabel="x", ylabel="y")
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert [int(t) for t in ax.get_xticks()] == [r.event_time for r in fitted]


def test_plot_draws_uniform_band_for_bootstrapped_cs_did(homogeneous):
    res = cs_did(
        homogeneous.frame,
        "y",
        unit="unit",
        time="period",
        cohort="cohort",
        bootstrap=True,
        n_boot=99,
        seed=1,
        aggregations=["dynamic"],
    )
    fig = plot_event_study(res, band_label="uniform")
    assert len(fig.axes[0].collections) >= 1  # the band (fill_between)
    assert fig.axes[0].get_legend() is not None


def test_plot_of_results_without_event_time_is_refused(fitted):
    from evalkit.estimators.result import EffectResults

    with pytest.raises(ValueError, match="event time"):
        plot_event_study(EffectResults([r.with_(event_time=None) for r in fitted]))


def test_month_dates_give_the_same_coefficients(homogeneous, fitted):
    frame = homogeneous.frame
    label = {p: f"2022-{p:02d}-01" for p in range(1, 13)}
    monthly = frame.assign(
        period=frame["period"].map(label), cohort=frame["cohort"].map(label).fillna("0")
    )
    res = event_study(monthly, "y", unit="unit", time="period", cohort="cohort")
    assert [r.event_time for r in res] == [r.event_time for r in fitted]
    assert [r.estimate for r in res] == pytest.approx([r.estimate for r in fitted], abs=1e-10)
