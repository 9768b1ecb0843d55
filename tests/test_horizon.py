"""Specifications of effects over the horizon (evalkit.audit.horizon, estimators.aipw.aipw_many)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from simulate_paths import COVARIATES, simulate_paths, true_work_months

from evalkit.audit import horizon as hz
from evalkit.estimators.aipw import aipw, aipw_many


@pytest.fixture(scope="module")
def frame() -> pd.DataFrame:
    return simulate_paths(4000, 24, seed=3)


@pytest.fixture(scope="module")
def effects(frame):
    return hz.horizon_effects(frame, COVARIATES, cluster="cluster_id", chosen=24, seed=1)


def test_aipw_many_gives_each_outcome_exactly_what_aipw_gives_it(frame):
    rows = frame[hz.observed_through(frame, 12)]
    many = aipw_many(rows, ["work_or_study_m3", "assistance_sek_m7"], covariates=COVARIATES)
    for j, outcome in enumerate(many.outcomes):
        one = aipw(rows, outcome, covariates=COVARIATES)
        assert many.estimates[j] == pytest.approx(one.estimate, abs=1e-10)
        assert np.max(np.abs(many.influence[:, j] - one.influence)) < 1e-9
        assert np.sqrt(many.covariance()[j, j]) == pytest.approx(one.se, rel=1e-10)


def test_aipw_on_the_sum_of_months_is_the_sum_of_the_monthly_aipws(frame):
    rows = frame[hz.observed_through(frame, 12)]
    paths = hz.monthly_paths(rows, 12, COVARIATES, cluster="cluster_id")
    total = aipw(rows, "work_or_study_months_12m", covariates=COVARIATES, cluster="cluster_id")
    weights = hz.combination(12, "work_months", 0.0)
    assert paths.estimates @ weights == pytest.approx(total.estimate, abs=1e-9)
    se = np.sqrt(weights @ paths.covariance() @ weights)
    assert se == pytest.approx(total.se, rel=1e-9)


def test_cumulative_effect_at_12_months_equals_aipw_on_the_cumulative_outcome(frame, effects):
    direct = aipw(frame, "work_or_study_months_12m", covariates=COVARIATES, cluster="cluster_id")
    cum = next(c for c in effects.cumulative if c.outcome == "work_or_study_months_12m")
    assert cum.estimate == pytest.approx(direct.estimate, abs=1e-9)
    assert (cum.ci_low, cum.ci_high) == pytest.approx((direct.ci_low, direct.ci_high), abs=1e-9)
    assert cum.n_treated == direct.n_treated


def test_cumulative_effects_cover_the_true_extra_months_in_work(effects):
    for h in (12, 24):
        cum = next(c for c in effects.cumulative if c.outcome == f"work_or_study_months_{h}m")
        truth = true_work_months(h, 6, -0.25, 0.15)
        assert cum.ci_low < truth < cum.ci_high, (h, cum, truth)


def test_cumulative_path_ends_at_the_cumulative_effect_of_the_horizon(effects):
    cum = next(c for c in effects.cumulative if c.outcome == "work_or_study_months_24m")
    assert effects.work_cumulative[-1].estimate == pytest.approx(cum.estimate, abs=1e-9)
    assert effects.work_cumulative[-1].se == pytest.approx(cum.se, rel=1e-9)
    assert [p.month for p in effects.path] == list(range(1, 25))


def test_lock_in_is_found_with_an_interval_that_holds_it(effects):
    lock = effects.lock_in
    assert lock.months == 6
    assert lock.ci_low <= 6 <= lock.ci_high
    assert lock.within_horizon


def test_a_measure_without_lock_in_has_lock_in_zero():
    data = simulate_paths(3000, 12, seed=4, lock_in=0, after_effect=0.2, observed_from=12)
    out = hz.horizon_effects(data, COVARIATES, chosen=12, seed=1)
    assert out.lock_in.months == 0


def test_a_path_that_never_turns_positive_is_not_within_the_horizon():
    data = simulate_paths(3000, 12, seed=5, lock_in=12, lock_in_effect=-0.2, observed_from=12)
    out = hz.horizon_effects(data, COVARIATES, chosen=12, seed=1)
    assert out.lock_in.months is None
    assert out.lock_in.reason == "not_within_horizon"
    assert out.lock_in.within_horizon is False


def test_lowest_month_is_where_the_running_total_is_lowest():
    monthly = np.array([[-1.0, -1.0, 0.5, 2.0], [1.0, 1.0, 1.0, 1.0], [-1.0, -1.0, -1.0, -1.0]])
    assert list(hz.lowest_month(monthly)) == [2, 0, 4]


def test_discounted_savings_equal_the_discounted_sum_of_monthly_savings(frame, effects):
    f = effects.functionals_at(24)
    saved = effects.savings_cumulative[-1].estimate
    assert f.estimate("savings_discounted") == pytest.approx(saved, rel=1e-12)
    undiscounted = next(c for c in effects.cumulative if c.outcome == "assistance_sek_24m")
    assert f.estimate("savings") == pytest.approx(-undiscounted.estimate, rel=1e-12)
    # every month is worth less than at the start: |discounted| < |undiscounted|
    assert abs(f.estimate("savings_discounted")) < abs(f.estimate("savings"))


def test_functionals_carry_the_covariance_of_savings_and_work_months(effects):
    f = effects.functionals_at(24)
    cov = f.cov("savings_discounted", "work_months_discounted")
    var_s, var_w = f.cov("savings", "savings"), f.cov("work_months", "work_months")
    assert cov is not None and var_s > 0 and var_w > 0
    # assistance falls with work in the simulation: savings and work months move together
    assert cov > 0


def test_discount_factors_follow_the_annual_rate_by_month():
    d = hz.discount_factors(24, 0.035)
    assert d[11] == pytest.approx(1 / 1.035)
    assert d[23] == pytest.approx(1 / 1.035**2)


@pytest.mark.parametrize(
    ("duration", "months"), [(None, 24), (4.5, 24), (12.0, 24), (13.2, 26), (30.0, 36)]
)
def test_default_horizon_is_typical_duration_plus_12_between_24_and_36(duration, months):
    assert hz.default_horizon(duration) == months


def test_horizon_is_shortened_when_too_few_participants_are_observed_that_long(frame):
    months, rule = hz.choose_months(
        frame, chosen=None, duration=10.0, treatment="treated", min_treated=30
    )
    assert (months, rule) == (24, "duration_plus_12")
    short = frame.copy()
    later = [c for c in frame.columns if c.endswith(tuple(f"_m{k}" for k in range(13, 25)))]
    short.loc[short.index[200:], later] = np.nan
    months, rule = hz.choose_months(
        short, chosen=None, duration=20.0, treatment="treated", min_treated=200
    )
    assert (months, rule) == (12, "shortened")


def test_typical_duration_is_the_median_length_of_ended_participations_in_the_intake():
    parts = pd.DataFrame(
        {
            "measure_id": ["m", "m", "m", "m", "other"],
            "start_date": ["2021-01-01", "2021-03-01", "2021-05-01", "2019-01-01", "2021-01-01"],
            "end_date": ["2021-06-30", "2021-08-31", None, "2022-12-31", "2023-01-01"],
        }
    )
    months = hz.typical_duration(parts, "m", ("2021-01", "2021-12"))
    assert months == pytest.approx(6.0, abs=0.05)


def test_a_frame_without_monthly_outcomes_gives_a_reason_not_a_horizon():
    out = hz.horizon_effects(pd.DataFrame({"treated": [0, 1], "x1": [0.0, 1.0]}), ("x1",))
    assert out.months is None and out.reason == "no_monthly_outcomes"
