"""dynamic_matching (Sianesi 2004): hand-checked matches and SEs, the effect path, bad input."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from simulate_panel import simulate_panel

from evalkit.errors import DataError
from evalkit.estimators.dynamic_matching import dynamic_matching


def _month(
    u: int, ids: list[str], treated: list[int], x: list[float], y: list[float]
) -> pd.DataFrame:
    return pd.DataFrame({"unit_id": ids, "start_period": u, "treated": treated, "x": x, "y_m1": y})


def test_each_joiner_is_matched_to_the_nearest_waiting_person_in_its_month():
    # month 1: joiners at x=1 (y 5) and x=3 (y 7); nearest waiting: x=0.8 (y 3) and x=2.5 (y 6)
    stacked = _month(
        1, list("abcdef"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1]
    )
    res = dynamic_matching(stacked, ["y"], covariates=["x"], bias_correction=False)
    assert res[0].estimate == pytest.approx(((5 - 3) + (7 - 6)) / 2)


def test_abadie_imbens_se_with_each_control_used_once():
    stacked = _month(
        1, list("abcdef"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1]
    )
    res = dynamic_matching(stacked, ["y"], covariates=["x"], bias_correction=False)
    # V = Σ_treated (gap − τ)² / N1² = (0.5² + 0.5²) / 4; no control is reused so K(K−1) = 0
    assert res[0].se == pytest.approx(np.sqrt(0.5 / 4))


def test_abadie_imbens_se_adds_reuse_term_for_a_control_matched_twice():
    # both joiners (x=1, 1.2) match the waiting person at x=1.1 (y 3); gaps 2 and 3
    stacked = _month(
        1, list("abcdef"), [1, 1, 0, 0, 0, 0], [1, 1.2, 1.1, -1, 3, 0], [5, 6, 3, 0, 4, 1]
    )
    res = dynamic_matching(stacked, ["y"], covariates=["x"], bias_correction=False)
    assert res[0].estimate == pytest.approx(2.5)
    # σ² of that control: its nearest other control is x=0 (y 1): ½(3 − 1)² = 2; K = 2, M = 1
    expected_var = ((2 - 2.5) ** 2 + (3 - 2.5) ** 2 + 2 * 1 * 2.0) / 2**2
    assert res[0].se == pytest.approx(np.sqrt(expected_var))


def test_a_person_waiting_in_two_months_has_match_counts_summed():
    one = _month(1, list("abcdef"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1])
    # month 2: same layout, person "d" (x=0.8) waits again and is matched again
    two = _month(2, list("ghidjk"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1])
    res = dynamic_matching(pd.concat([one, two]), ["y"], covariates=["x"], bias_correction=False)
    # gaps 2, 1, 2, 1 → τ = 1.5; person d: K = 1 + 1 = 2, σ² = ½(3 − 1)² = 2 in each month
    expected_var = (4 * 0.5**2 + 2 * 1 * 2.0) / 4**2
    assert res[0].se == pytest.approx(np.sqrt(expected_var))
    assert res[0].n_control == 3  # persons d, e and (month 2) j


def test_bias_correction_removes_the_covariate_gap_of_a_match():
    # y = 2x among the waiting; the joiner (x=1, y=2+1) matches x=0.8 (y=1.6): raw gap 1.4, corrected 1.0
    stacked = _month(
        1, list("abcde"), [1, 0, 0, 0, 0], [1.0, 0.8, -1, 2.5, 0], [3.0, 1.6, -2, 5, 0]
    )
    raw = dynamic_matching(stacked, ["y"], covariates=["x"], bias_correction=False)[0]
    corrected = dynamic_matching(stacked, ["y"], covariates=["x"], bias_correction=True)[0]
    assert raw.estimate == pytest.approx(1.4)
    assert corrected.estimate == pytest.approx(1.0)


def test_caliper_drops_joiners_without_a_close_match():
    stacked = _month(
        1,
        list("abcdefg"),
        [1, 1, 0, 0, 0, 0, 0],
        [0, 9, 0.1, 0.2, -0.1, 0.05, 0.3],
        [1, 1, 0, 0, 0, 0, 0],
    )
    res = dynamic_matching(stacked, ["y"], covariates=["x"], caliper=0.5)
    assert res[0].n_treated == 1
    assert res[0].details["n_unmatched"] == 1


def test_one_result_per_outcome_and_months_since_start():
    sim = simulate_panel(n_units=600, seed=2)
    res = dynamic_matching(sim.stacked(range(0, 3)), ["y"], covariates=["x"])
    assert [(r.outcome, r.event_time, r.aggregation) for r in res] == [
        ("y", k, "dynamic") for k in range(3)
    ]


def test_outcome_months_beyond_the_data_use_only_start_months_observed_that_long():
    sim = simulate_panel(n_units=600, seed=2)
    res = dynamic_matching(sim.stacked(range(0, 9)), ["y"], covariates=["x"])
    by_k = {r.event_time: r for r in res}
    joiners = sim.units["cohort"].value_counts()
    # periods end at 12: k = 8 is seen only for those starting in 4; k = 2 for all cohorts
    assert by_k[8].n_treated == joiners[4]
    assert by_k[2].n_treated == joiners[[4, 6, 8, 10]].sum()


def test_recovers_the_effect_of_joining_now_rather_than_waiting():
    sim = simulate_panel(seed=20261126)
    res = dynamic_matching(sim.stacked(range(0, 9)), ["y"], covariates=["x"])
    for r in res:
        truth = sim.sianesi_att(r.event_time)
        assert abs(r.estimate - truth) < 3 * r.se, (r.event_time, r.estimate, truth)


def test_lock_in_then_gain_path_is_visible():
    sim = simulate_panel(seed=20261126)
    res = {
        r.event_time: r for r in dynamic_matching(sim.stacked(range(0, 3)), ["y"], covariates=["x"])
    }
    assert res[0].ci_high < 0 < res[2].ci_low


def test_a_person_joining_twice_is_refused():
    stacked = pd.concat(
        [
            _month(1, ["a", "b"], [1, 0], [0, 1], [1, 2]),
            _month(2, ["a", "c"], [1, 0], [0, 1], [1, 2]),
        ]
    )
    with pytest.raises(DataError, match="1 persons join in more than one start month") as err:
        dynamic_matching(stacked, ["y"], covariates=["x"])
    assert err.value.count == 2  # both joining rows


def test_missing_outcome_path_columns_are_named():
    stacked = _month(1, ["a", "b"], [1, 0], [0, 1], [1, 2])
    with pytest.raises(DataError, match="wage_m<k>"):
        dynamic_matching(stacked, ["wage"], covariates=["x"])


@pytest.mark.slow
def test_monte_carlo_coverage_of_the_abadie_imbens_interval():
    hits, errors = [], []
    for seed in range(1000, 1040):
        sim = simulate_panel(n_units=1500, seed=seed)
        res = dynamic_matching(sim.stacked(range(0, 5)), ["y"], covariates=["x"])
        for r in res:
            truth = sim.sianesi_att(r.event_time)
            hits.append(r.ci_low <= truth <= r.ci_high)
            errors.append(r.estimate - truth)
    # per-person summed match counts make the interval conservative, never too narrow
    assert np.mean(hits) >= 0.90
    assert abs(np.mean(errors)) < 4 * np.std(errors) / np.sqrt(len(errors) / 5)


def test_a_month_whose_joiners_are_separated_still_gets_a_finite_pooled_score():
    # a logit on month 1 alone separates (its joiner has the highest x); the pooled model
    # shares the slope on x with month 2 and converges
    separated = _month(1, list("abcd"), [1, 0, 0, 0], [5.0, 0.0, 0.1, 0.2], [2, 1, 1, 1])
    fine = _month(
        2, list("efghij"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1]
    )
    res = dynamic_matching(
        pd.concat([separated, fine]), ["y"], covariates=["x"], bias_correction=False
    )
    assert res[0].details["propensity"]["converged"] is True
    assert "no_convergence" not in res[0].warnings and "separation" not in res[0].warnings
    assert res[0].n_treated == 3
    assert res[0].estimate == pytest.approx(((2 - 1) + (5 - 3) + (7 - 6)) / 3)


def test_a_propensity_model_that_cannot_converge_is_recorded_in_warnings_and_json():
    # every joiner has a higher x than everyone waiting: without the ridge penalty the
    # likelihood has no finite maximum
    one = _month(1, list("abcd"), [1, 0, 0, 0], [5.0, 0.0, 0.1, 0.2], [2, 1, 1, 1])
    two = _month(2, list("efgh"), [1, 0, 0, 0], [4.0, 0.3, 0.1, 0.2], [2, 1, 1, 1])
    res = dynamic_matching(pd.concat([one, two]), ["y"], covariates=["x"], penalty=0.0)
    entry = res[0].to_dict()
    assert entry["details"]["propensity"]["converged"] is False
    assert entry["details"]["propensity"]["separation"] is True
    assert {"no_convergence", "separation"} <= set(entry["warnings"])
    penalised = dynamic_matching(pd.concat([one, two]), ["y"], covariates=["x"])
    assert penalised[0].details["propensity"]["converged"] is True


def test_a_month_without_joiners_is_skipped_and_noted():
    empty = _month(1, list("abc"), [0, 0, 0], [0.0, 0.1, 0.2], [1, 1, 1])
    fine = _month(
        2, list("efghij"), [1, 1, 0, 0, 0, 0], [1, 3, -1, 0.8, 2.5, 0], [5, 7, 0, 3, 6, 1]
    )
    res = dynamic_matching(pd.concat([empty, fine]), ["y"], covariates=["x"], bias_correction=False)
    assert res.details["skipped_start_months"] == {1: "no joiners"}
    assert res[0].estimate == pytest.approx(1.5)


def test_text_covariate_is_dummy_coded():
    sim = simulate_panel(n_units=600, seed=2)
    stacked = sim.stacked(range(0, 2))
    group = np.where(stacked["x"] > 0, "high", "low")
    a = dynamic_matching(stacked.assign(g=group), ["y"], covariates=["g"])
    b = dynamic_matching(stacked.assign(g=(group == "low").astype(float)), ["y"], covariates=["g"])
    assert [r.estimate for r in a] == pytest.approx([r.estimate for r in b], abs=1e-12)


def _many_small_months(
    seed: int, tau: tuple[float, ...] = (-0.2, 0.3)
) -> tuple[pd.DataFrame, list]:
    """36 start months × 1,000 at risk, ~24 joiners a month, 14 covariates of which 6 are rare
    0/1 traits (4 %): a logit per month separates in most months. The outcome k months after u is
    linear in the covariates plus tau_k for joiners, so the effect of joining now is tau_k."""
    rng = np.random.default_rng(seed)
    months, at_risk = 36, 1000
    n = months * at_risk
    u = np.repeat(np.arange(1, months + 1), at_risk)
    x = np.column_stack(
        [
            rng.normal(size=(n, 5)),
            rng.binomial(1, 0.4, size=(n, 3)),
            rng.binomial(1, 0.04, size=(n, 6)),
        ]
    ).astype(float)
    beta = np.array([0.8, -0.6, 0.5, 0.3, 0.0, 0.7, -0.5, 0.4, 0.5, -0.5, 0.3, 0.0, 0.2, -0.3])
    month_effect = 0.4 * np.sin(np.arange(months) / 3)
    d = rng.binomial(1, 1 / (1 + np.exp(-(-4.7 + month_effect[u - 1] + x @ beta))))
    gamma = np.array([1.0, 0.5, -0.5, 0.2, 0.1, 0.5, 0.3, -0.2, 0.5, 0.2, -0.3, 0.1, 0.0, 0.4])
    names = [f"x{j}" for j in range(x.shape[1])]
    frame = pd.DataFrame(x, columns=names)
    frame["unit_id"] = np.arange(n).astype(str)
    frame["start_period"] = u
    frame["treated"] = d
    for k, effect in enumerate(tau, start=1):
        frame[f"y_m{k}"] = 1 + x @ gamma + 0.05 * u + effect * d + rng.normal(size=n)
    return frame, names


def test_pooled_model_converges_and_recovers_the_truth_where_monthly_logits_separate():
    from evalkit.estimators.logit import fit_logit

    frame, names = _many_small_months(seed=0)
    z = (frame[names] - frame[names].mean()) / frame[names].std()
    failing = 0
    for _, rows in z.groupby(frame["start_period"]):
        month = fit_logit(
            frame.loc[rows.index, "treated"].to_numpy(float),
            np.column_stack([np.ones(len(rows)), rows.to_numpy()]),
        )
        failing += (not month.converged) or month.separation
    assert failing >= 30  # of 36 months
    res = dynamic_matching(frame, ["y"], covariates=names)
    assert res[0].details["propensity"]["converged"] is True and not res[0].warnings
    for r, truth in zip(res, (-0.2, 0.3), strict=True):
        assert abs(r.estimate - truth) < 3 * r.se, (r.event_time, r.estimate, truth)


@pytest.mark.slow
def test_monte_carlo_coverage_with_the_pooled_propensity_model():
    # measured: 0.95 over 40 draws x 2 horizons
    hits, errors = [], []
    for seed in range(100, 125):
        frame, names = _many_small_months(seed)
        res = dynamic_matching(frame, ["y"], covariates=names)
        for r, truth in zip(res, (-0.2, 0.3), strict=True):
            hits.append(r.ci_low <= truth <= r.ci_high)
            errors.append(r.estimate - truth)
    assert 0.88 <= np.mean(hits) <= 0.99
    assert abs(np.mean(errors)) < 3 * np.std(errors) / np.sqrt(len(errors))
