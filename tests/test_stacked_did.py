"""stacked_did: conditional DR DiD on the stacked risk sets, its pre-trend test and the _{h}m map."""

import json
import math

import numpy as np
import pandas as pd
import pytest
from simulate_designs import STATIC_COVARIATES, simulate_stacked

from evalkit.errors import EstimationError
from evalkit.estimators._inputs import influence_se
from evalkit.estimators.stacked_did import (
    covariates_after_base,
    horizon_outcome,
    pre_base_histories,
    stacked_did,
    stacked_did_outcome,
    wald_test,
)

STATIC = list(STATIC_COVARIATES)


def _tiny(n_per_cell: int = 3) -> pd.DataFrame:
    """Two reference months with random 0/1 pre and post paths (36 months each way)."""
    rows = []
    rng = np.random.default_rng(0)
    for month in ("2021-01-01", "2021-02-01"):
        for d in (1, 0):
            for _ in range(n_per_cell):
                rows.append({"ref_month": month, "treated": d})
    frame = pd.DataFrame(rows)
    frame["cluster_id"] = np.arange(len(frame))
    paths = {
        f"{stem}_{side}{k}": rng.integers(0, 2, len(frame)).astype(float)
        for stem in ("work_or_study", "assistance_sek")
        for side in ("b", "m")
        for k in range(1, 37)
    }
    return pd.concat([frame, pd.DataFrame(paths)], axis=1)


def _plain_did(frame: pd.DataFrame, change: pd.Series) -> float:
    d = frame["treated"] == 1
    return float(change[d].mean() - change[~d].mean())


def test_without_covariates_or_risk_sets_the_path_is_the_difference_of_mean_changes():
    frame = _tiny()
    res = stacked_did(
        frame, "work_or_study", risk_set=None, history_windows=(), event_times=[-5, 12]
    )
    base = frame[[f"work_or_study_b{k}" for k in range(13, 19)]].mean(axis=1)
    for e, col in ((12, "work_or_study_m12"), (-5, "work_or_study_b5")):
        got = res.filter(event_time=e)[0].estimate
        assert got == pytest.approx(_plain_did(frame, frame[col] - base), abs=1e-10)


def test_sums_over_months_are_changes_against_h_times_the_base():
    frame = _tiny()
    res = stacked_did(
        frame,
        "assistance_sek",
        risk_set=None,
        history_windows=(),
        event_times=[12],
        horizon_outcomes=["assistance_sek_12m", "assistance_months_12m"],
    )
    months = frame[[f"assistance_sek_m{k}" for k in range(1, 13)]]
    base_cols = frame[[f"assistance_sek_b{k}" for k in range(13, 19)]]
    sek = months.sum(axis=1) - 12 * base_cols.mean(axis=1)
    count = (months > 0).sum(axis=1) - 12 * (base_cols > 0).mean(axis=1)
    assert res.filter(outcome="assistance_sek_12m")[0].estimate == pytest.approx(
        _plain_did(frame, sek)
    )
    assert res.filter(outcome="assistance_months_12m")[0].estimate == pytest.approx(
        _plain_did(frame, count)
    )


def test_an_outcome_column_in_the_frame_is_used_for_its_horizon():
    frame = _tiny()
    frame["work_or_study_12m"] = frame["work_or_study_m12"]
    frame.loc[0, "work_or_study_12m"] = np.nan  # e.g. attrition marked on the outcome only
    res = stacked_did(frame, "work_or_study", risk_set=None, history_windows=(), event_times=[12])
    assert res.filter(outcome="work_or_study_12m")[0].n_treated == 5
    assert res.filter(event_time=12)[0].n_treated == 6


def test_risk_set_effects_compare_participants_with_their_own_month():
    # month 2 has a calendar jump of +1 for everyone and most participants: pooling mistakes it
    # for an effect, comparing within the reference month does not
    frame = _tiny(n_per_cell=4)
    frame = pd.concat([frame, frame[frame.ref_month == "2021-02-01"].assign(treated=1)])
    frame["cluster_id"] = np.arange(len(frame))
    for k in range(1, 37):
        frame[f"work_or_study_m{k}"] = (frame.ref_month == "2021-02-01").astype(float)
        frame[f"work_or_study_b{k}"] = 0.0
    pooled = stacked_did(
        frame, "work_or_study", risk_set=None, history_windows=(), event_times=[12]
    )
    within = stacked_did(frame, "work_or_study", event_times=[12])
    assert pooled.filter(event_time=12)[0].estimate > 0.2
    assert within.filter(event_time=12)[0].estimate == pytest.approx(0.0, abs=1e-10)


def test_event_times_12_and_24_are_the_12m_and_24m_outcomes():
    world = simulate_stacked(1500, seed=3, truth_reps=2)
    res = stacked_did(world.frame, "work_or_study", covariates=STATIC)
    for h in (12, 24):
        path = res.filter(event_time=h)[0]
        mapped = res.filter(outcome=f"work_or_study_{h}m")[0]
        assert mapped.estimate == pytest.approx(path.estimate)
        assert mapped.se == pytest.approx(path.se)
        assert mapped.details["event_time"] == h and mapped.event_time is None


def test_recovers_the_effect_with_a_dip_and_a_fixed_unobserved_trait():
    world = simulate_stacked(6000, seed=11, hidden=0.8, truth_reps=5)
    res = stacked_did(world.frame, "work_or_study", covariates=STATIC)
    for h in (12, 24):
        r = res.filter(outcome=f"work_or_study_{h}m")[0]
        assert abs(r.estimate - world.truth[f"work_or_study_{h}m"]) < 3 * r.se
    assert res.details["pretrend"]["passes"] is True


def test_a_differential_trend_fails_the_pretrend_test_and_warns():
    world = simulate_stacked(3000, seed=5, trend=0.15, truth_reps=1)
    res = stacked_did(world.frame, "work_or_study", covariates=STATIC)
    assert res.details["pretrend"]["p_value"] < 0.05
    r = res.filter(outcome="work_or_study_12m")[0]
    codes = getattr(r, "warnings", None) or r.details.get("warnings", [])
    assert "pretrend_failed" in codes


def test_pretrend_test_is_computed_when_its_covariance_is_singular():
    frame = _tiny(n_per_cell=6)
    frame["work_or_study_b3"] = frame["work_or_study_b2"]  # two identical pre-period cells
    res = stacked_did(
        frame, "work_or_study", risk_set=None, history_windows=(), event_times=[-3, -2, 12]
    )
    test = res.details["pretrend"]
    assert test["rank_deficient"] is True and test["df"] == 1
    assert math.isfinite(test["statistic"]) and 0 <= test["p_value"] <= 1


def test_wald_statistic_is_theta_vinv_theta_with_full_rank():
    theta = np.array([0.1, -0.2])
    vcov = np.array([[0.01, 0.002], [0.002, 0.02]])
    stat, df, p, deficient = wald_test(theta, vcov)
    assert stat == pytest.approx(float(theta @ np.linalg.solve(vcov, theta)))
    assert df == 2 and not deficient and p == pytest.approx(math.exp(-stat / 2))


def test_a_person_in_many_risk_sets_counts_once_in_the_standard_error():
    frame = _tiny(n_per_cell=8)
    once = stacked_did(frame, "work_or_study", risk_set=None, history_windows=(), event_times=[12])
    twice = stacked_did(
        pd.concat([frame, frame], ignore_index=True),
        "work_or_study",
        risk_set=None,
        history_windows=(),
        event_times=[12],
    )
    a, b = once.filter(event_time=12)[0], twice.filter(event_time=12)[0]
    assert b.estimate == pytest.approx(a.estimate)
    assert b.se == pytest.approx(a.se)


def test_outcome_results_carry_per_row_influence_that_gives_their_se():
    frame = _tiny(n_per_cell=8)
    frame.loc[frame.index[::2], "cluster_id"] = 0  # some persons in several rows
    res = stacked_did(frame, "work_or_study", risk_set=None, history_windows=(), event_times=[12])
    r = res.filter(outcome="work_or_study_12m")[0]
    codes = pd.factorize(frame["cluster_id"])[0]
    assert len(r.influence) == len(frame)
    assert influence_se(r.influence, codes) == pytest.approx(r.se, rel=1e-12)


def test_histories_after_the_base_are_left_out_and_named():
    assert covariates_after_base(
        ["age", "work_months_12m_before", "months_out_of_work", "assistance_sek_24m_before"]
    ) == ["work_months_12m_before", "months_out_of_work", "assistance_sek_24m_before"]
    world = simulate_stacked(1200, seed=2, truth_reps=1)
    res = stacked_did(world.frame, "work_or_study", covariates=[*STATIC, "work_months_12m_before"])
    assert res.details["covariates_excluded_after_base"] == ["work_months_12m_before"]
    assert res.details["covariates_absorbed_by_risk_set"] == ["start_quarter"]
    assert "work_months_19_36m_before" in res.details["covariates_used"]


def test_pre_base_histories_sum_the_pre_paths_of_their_window():
    frame = _tiny()
    h = pre_base_histories(frame, 19, (6,))
    cols = [f"work_or_study_b{k}" for k in range(19, 25)]
    assert list(h.columns) == [
        "work_months_19_24m_before",
        "assistance_months_19_24m_before",
        "assistance_sek_19_24m_before",
    ]
    assert h["work_months_19_24m_before"].tolist() == frame[cols].sum(axis=1).tolist()


def test_horizon_names_map_onto_paths():
    assert horizon_outcome("work_or_study_12m").kind == "point"
    assert horizon_outcome("work_or_study_months_24m").kind == "sum"
    assert horizon_outcome("assistance_months_12m").stem == "assistance_sek"
    assert horizon_outcome("placebo_work_or_study_25m_before") is None


def test_one_outcome_call_returns_one_result_with_the_pretrend_test():
    world = simulate_stacked(1200, seed=4, truth_reps=1)
    r = stacked_did_outcome(world.frame, "assistance_sek_24m", covariates=STATIC)
    assert r.outcome == "assistance_sek_24m" and r.estimator == "stacked_did"
    assert set(r.details["pretrend"]["event_times"]) == set(range(-12, -1))


def test_missing_path_columns_are_named():
    frame = _tiny().drop(columns=["work_or_study_m12"])
    with pytest.raises(EstimationError, match="work_or_study_m12"):
        stacked_did(frame, "work_or_study", event_times=[12])


def test_results_are_json_safe():
    world = simulate_stacked(1200, seed=6, truth_reps=1)
    res = stacked_did(world.frame, "assistance_sek", covariates=STATIC)
    json.dumps(res.to_dicts(), allow_nan=False)
    json.dumps(res.details["pretrend"], allow_nan=False)
    assert {r.aggregation for r in res} == {None, "simple"}


def test_a_covariate_the_comparison_units_cannot_identify_is_dropped_and_named():
    world = simulate_stacked(1500, seed=8, truth_reps=1)
    frame = world.frame.assign(only_treated=lambda f: f.treated * (f.age > 40))
    plain = stacked_did(frame, "work_or_study", covariates=STATIC, event_times=[12])
    extra = stacked_did(
        frame, "work_or_study", covariates=[*STATIC, "only_treated"], event_times=[12]
    )
    assert extra.details["dropped_in_subsample"] == ["only_treated"]
    assert extra.filter(event_time=12)[0].estimate == pytest.approx(
        plain.filter(event_time=12)[0].estimate
    )


def test_a_history_window_the_data_only_half_cover_is_scaled_up_and_less_is_missing():
    frame = _tiny()
    frame.loc[0, [f"work_or_study_b{k}" for k in range(22, 25)]] = np.nan  # 3 of 6 seen
    frame.loc[1, [f"work_or_study_b{k}" for k in range(21, 25)]] = np.nan  # 2 of 6 seen
    h = pre_base_histories(frame, 19, (6,))["work_months_19_24m_before"]
    seen = frame.loc[0, [f"work_or_study_b{k}" for k in range(19, 22)]].sum()
    assert h[0] == pytest.approx(2 * seen)
    assert math.isnan(h[1])


def test_the_trend_adjusted_estimate_removes_a_linear_drift():
    world = simulate_stacked(3000, seed=5, trend=0.15, truth_reps=2)
    res = stacked_did(world.frame, "work_or_study", covariates=STATIC)
    r = res.filter(outcome="work_or_study_12m")[0]
    adjusted = r.details["trend_adjusted"]
    truth = world.truth["work_or_study_12m"]
    assert abs(r.estimate - truth) > 5 * r.se
    assert abs(adjusted["estimate"] - truth) < 3 * adjusted["se"]
    assert adjusted["slope_per_month"] == pytest.approx(0.15 / 12, abs=0.005)
    assert adjusted["months_extrapolated"] == 12 + 15.5
    months = res.filter(outcome="work_or_study_months_12m")[0].details["trend_adjusted"]
    assert months["months_extrapolated"] == 12 * 13 / 2 + 12 * 15.5
