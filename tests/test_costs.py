"""Specifications of costs, savings, ratios and break-even (evalkit.audit.costs)."""

from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

from evalkit.audit import costs as audit_costs
from evalkit.audit.costs import covariance_from_influence
from evalkit.errors import DataError, MissingColumnError
from evalkit.params import CostAssumptions
from evalkit.results import Costs, Estimate, MeasureResults

Z = 1.959963984540054


# The cost functions take and return typed parts; these specifications read them as the
# results file holds them (``to_json_dict``), from results written as mappings.


def typed(results: dict) -> MeasureResults:
    return MeasureResults.model_validate(results)


def json_of(part):
    return part.to_json_dict() if part is not None else None


def cost_per_participant(**kw) -> dict:
    return json_of(audit_costs.cost_per_participant(**kw))


def savings(results: dict, horizon: int) -> dict | None:
    return json_of(audit_costs.savings(typed(results), horizon))


def fieller_ratio(*args, **kw) -> dict:
    return json_of(audit_costs.fieller_ratio(*args, **kw))


def cost_per_additional(cost: float, effect: dict, **kw) -> dict:
    return json_of(audit_costs.cost_per_additional(cost, Estimate.model_validate(effect), **kw))


def break_even(results: dict, cost: float) -> dict:
    return json_of(audit_costs.break_even(typed(results), cost))


def cost_summary(results: dict, **kw) -> dict:
    return json_of(audit_costs.cost_summary(typed(results), **kw))


def cost_table(summary: dict) -> pd.DataFrame:
    return audit_costs.cost_table(Costs.model_validate(summary))


def _est(outcome: str, est: float, se: float, estimator: str = "aipw", **extra) -> dict:
    return {
        "outcome": outcome,
        "estimator": estimator,
        "estimate": est,
        "se": se,
        "ci_low": est - Z * se,
        "ci_high": est + Z * se,
        "n_treated": 200,
        "n_control": 2000,
        **extra,
    }


def _results(**changes) -> dict:
    results = {
        "measure_id": "m1",
        "status": "ok",
        "followup": {"n_participants": 100},
        "estimates": [
            _est("work_or_study_12m", 0.10, 0.02),
            _est("work_or_study_24m", 0.12, 0.025),
            _est("assistance_sek_12m", -12_000.0, 2_000.0),
            _est("assistance_sek_24m", -30_000.0, 5_000.0),
        ],
    }
    results.update(changes)
    return results


def _costs() -> pd.DataFrame:
    return pd.DataFrame(
        {
            "measure_id": ["m1", "m1", "m1", "m2"],
            "month": ["2022-01-01", "2022-02-01", "2024-01-01", "2022-01-01"],
            "cost_sek": [1_000_000.0, 500_000.0, 300_000.0, 9_999_999.0],
            "external_funding_sek": [200_000.0, None, 100_000.0, 0.0],
        }
    )


def test_cost_per_participant_from_costs_table_is_shown_gross_and_net_of_funding():
    out = cost_per_participant(n_participants=100, costs=_costs(), measure_id="m1")
    # gross (1.0 + 0.5 + 0.3) MSEK / 100 = 18 000; external (0.2 + 0 + 0.1) MSEK / 100 = 3 000
    assert (out["gross"], out["external_funding"], out["net"]) == (18_000.0, 3_000.0, 15_000.0)
    assert out["source"] == "costs_table"


def test_cost_months_can_be_limited_to_the_intake_period():
    out = cost_per_participant(
        n_participants=100, costs=_costs(), measure_id="m1", months=("2022-01", "2023-12")
    )
    assert out["gross"] == 15_000.0


def test_cost_per_participant_falls_back_to_price_times_months_in_measure():
    out = cost_per_participant(
        n_participants=100, price_per_month_sek=8_000, mean_months_in_measure=4.5
    )
    assert out["gross"] == out["net"] == 36_000.0
    assert out["external_funding_known"] is False


def test_cost_per_participant_without_any_cost_data_says_so():
    out = cost_per_participant(n_participants=100)
    assert (out["available"], out["reason"]) == (False, "no_cost_data")


def test_negative_cost_is_a_data_error_naming_table_and_column():
    bad = _costs()
    bad.loc[0, "cost_sek"] = -5.0
    with pytest.raises(DataError, match="table 'costs', column 'cost_sek'"):
        cost_per_participant(n_participants=100, costs=bad, measure_id="m1")


def test_costs_table_without_cost_column_is_a_missing_column_error():
    with pytest.raises(MissingColumnError, match="cost_sek"):
        cost_per_participant(
            n_participants=10, costs=_costs().drop(columns="cost_sek"), measure_id="m1"
        )


def test_savings_are_minus_the_effect_on_assistance_with_mirrored_interval():
    s = savings(_results(), 12)
    assert s["estimate"] == 12_000.0
    assert s["ci_low"] == pytest.approx(12_000 - Z * 2_000)
    assert s["ci_high"] == pytest.approx(12_000 + Z * 2_000)


def test_fieller_with_fixed_numerator_equals_cost_over_the_effect_bounds():
    out = fieller_ratio(15_000.0, 0.0, 0.10, 0.02)
    assert out["bounded"]
    assert out["estimate"] == pytest.approx(150_000.0)
    assert out["ci_low"] == pytest.approx(15_000 / (0.10 + Z * 0.02))
    assert out["ci_high"] == pytest.approx(15_000 / (0.10 - Z * 0.02))


def test_fieller_interval_matches_the_quadratic_with_both_terms_uncertain():
    a, sa, b, sb, cov = 10.0, 2.0, 5.0, 1.0, 0.5
    out = fieller_ratio(a, sa, b, sb, cov=cov)
    for t in (out["ci_low"], out["ci_high"]):  # the bounds solve the Fieller equality
        assert (a - t * b) ** 2 == pytest.approx(Z**2 * (sa**2 - 2 * t * cov + t**2 * sb**2))


def test_fieller_is_unbounded_when_the_denominator_interval_includes_zero():
    out = fieller_ratio(15_000.0, 0.0, 0.02, 0.02)
    assert out["bounded"] is False and out["ci_low"] is None and out["ci_high"] is None


def test_cost_per_additional_with_effect_ci_including_zero_is_flagged_not_bounded():
    out = cost_per_additional(15_000.0, _est("work_or_study_12m", 0.02, 0.02))
    assert (out["defined"], out["bounded"], out["reason"]) == (
        True,
        False,
        "effect_indistinguishable_from_zero",
    )
    assert out["ci_high"] is None


def test_cost_per_additional_without_positive_effect_is_undefined():
    out = cost_per_additional(15_000.0, _est("work_or_study_12m", -0.01, 0.02))
    assert (out["defined"], out["estimate"], out["reason"]) == (
        False,
        None,
        "effect_indistinguishable_from_zero",
    )


def test_cost_per_additional_of_a_clearly_negative_effect_says_the_effect_is_negative():
    out = cost_per_additional(15_000.0, _est("work_or_study_12m", -0.08, 0.02))
    assert (out["defined"], out["reason"]) == (False, "effect_negative")


def test_break_even_interpolates_through_the_12_and_24_month_savings():
    # cumulative savings: 1 000 SEK/month to month 12, then (30 000 - 12 000)/12 = 1 500/month;
    # a cost of 15 000 is reached at 12 000 + 1 500 * 2 = 15 000, i.e. month 14
    out = break_even(_results(), 15_000.0)
    assert (out["months"], out["method"], out["within_horizon"]) == (14, "interpolated", True)
    assert out["months_optimistic"] <= 14 <= out["months_pessimistic"]


def test_break_even_beyond_the_last_horizon_is_not_extrapolated():
    out = break_even(_results(), 40_000.0)
    assert (out["months"], out["within_horizon"], out["reason"]) == (
        None,
        False,
        "not_within_horizon",
    )


def test_break_even_uses_the_monthly_path_when_present():
    path = [
        _est("assistance_sek", -500.0 * k, 100.0, estimator="dynamic_matching", event_time=k)
        for k in range(1, 7)
    ]
    # cumulative 500, 1500, 3000, 5000, 7500, 10500 -> a cost of 5 000 is repaid in month 4
    out = break_even(_results(estimates=path), 5_000.0)
    assert (out["months"], out["method"]) == (4, "path")


def test_net_saving_is_savings_minus_own_cost_per_horizon():
    out = cost_summary(_results(), costs=_costs())
    muni = out["municipality"]
    assert muni["net_saving_12m"]["estimate"] == pytest.approx(12_000 - 15_000)
    assert muni["net_saving_24m"]["estimate"] == pytest.approx(30_000 - 15_000)
    assert muni["net_saving"]["horizon_months"] == 24


def test_municipality_view_uses_own_cost_and_public_view_gross_cost():
    out = cost_summary(_results(), costs=_costs())
    assert out["municipality"]["cost"] == 15_000.0
    assert out["public_finance"]["cost"] == 18_000.0


def test_covariance_from_influence_follows_the_result_type_scaling():
    class R:
        def __init__(self, influence):
            self.influence = influence

    rng = np.random.default_rng(1)
    x = rng.normal(size=400)
    # se = sqrt(sum(if^2)) / n, so var = sum(if^2) / n^2 and cov(a, a) must equal that
    assert covariance_from_influence(R(x), R(x)) == pytest.approx(np.sum(x**2) / 400**2)
    assert covariance_from_influence(R(x), R(None)) is None


def test_cost_summary_without_cost_data_still_reports_savings():
    out = cost_summary(_results())
    assert out["available"] is False and out["reason"] == "no_cost_data"
    assert out["savings"]["12m"]["estimate"] == 12_000.0
    assert out["cost_per_additional"]["defined"] is False


def test_cost_summary_is_json_safe_and_tabulates():
    out = cost_summary(_results(), costs=_costs())
    text = json.dumps(out)
    assert "NaN" not in text and "Infinity" not in text
    table = cost_table(out)
    assert {"cost_net", "savings", "cost_per_additional"} <= set(table["item"])
    assert not any(isinstance(v, float) and math.isnan(v) for v in table["estimate"])


def test_cost_per_participant_month_from_the_table_is_scaled_to_one_stay():
    # 1.8 MSEK gross over 300 participant-months = 6 000 per month; a stay of 4 months = 24 000
    out = cost_per_participant(
        n_participants=100,
        costs=_costs(),
        measure_id="m1",
        participant_months=300,
        mean_months_in_measure=4,
    )
    assert out["source"] == "costs_table_per_month"
    got = (out["gross"], out["external_funding"], out["net"])
    assert got == pytest.approx((24_000.0, 4_000.0, 20_000.0))


def test_cost_table_notes_why_a_ratio_has_no_interval():
    results = _results()
    results["estimates"][0] = _est("work_or_study_12m", -0.01, 0.02)
    table = cost_table(cost_summary(results, costs=_costs())).set_index(["item", "months"])
    assert table.loc[("cost_per_additional", 12), "note"] == "effect_indistinguishable_from_zero"
    assert pd.isna(table.loc[("savings", 12), "note"])


def test_cost_months_default_to_the_intake_window_named_in_the_results():
    results = _results(sample={"intake_start": "2021-01", "intake_end": "2023-12"})
    out = cost_summary(results, costs=_costs())["cost_per_participant"]
    assert out["gross"] == 15_000.0  # the 2024-01 cost lies after the intake window


def test_path_bound_of_exactly_zero_is_kept_not_replaced_by_the_estimate():
    path = [
        {**_est("assistance_sek", -1000.0, 100.0, event_time=k), "ci_high": 0.0}
        for k in range(1, 4)
    ]
    # pessimistic monthly savings are exactly 0, so the cost is never repaid on that bound
    out = break_even(_results(estimates=path), 1_500.0)
    assert (out["months"], out["months_pessimistic"]) == (2, None)


# --- over the horizon: functionals of the monthly path with their covariance ----------------

NAMES = [
    "savings",
    "savings_discounted",
    "work_months",
    "work_months_discounted",
    "work_share_at_end",
]


def _functionals(months: int, est: list[float], sd: list[float], corr: float = 0.0) -> dict:
    """Functionals with the given SDs; savings and work months correlated by ``corr``."""
    cov = np.diag(np.square(sd))
    for a in (0, 1):
        for b in (2, 3, 4):
            cov[a, b] = cov[b, a] = corr * sd[a] * sd[b]
    cov[0, 1] = cov[1, 0] = sd[0] * sd[1]
    cov[2, 3] = cov[3, 2] = sd[2] * sd[3]
    return {
        "horizon_months": months,
        "names": NAMES,
        "estimates": est,
        "covariance": cov.tolist(),
        "n_treated": 300,
    }


def _with_horizon(corr: float = 0.5, **changes) -> dict:
    saved = [
        {"month": k, "estimate": 1_000.0 * k, "ci_low": 700.0 * k, "ci_high": 1_300.0 * k}
        for k in range(1, 25)
    ]
    horizon = {
        "months": 24,
        "discount_rate": 0.035,
        "functionals": [
            _functionals(
                24, [30_000, 29_000, 3.0, 2.9, 0.2], [5_000, 4_800, 1.0, 0.95, 0.05], corr
            ),
            _functionals(
                12, [12_000, 11_800, 1.0, 0.98, 0.1], [2_000, 1_950, 0.5, 0.49, 0.04], corr
            ),
        ],
        "savings_cumulative": saved,
    }
    return _results(horizon=horizon, **changes)


def test_municipality_view_over_the_horizon_is_own_cost_minus_discounted_savings():
    muni = cost_summary(_with_horizon(), costs=_costs())["municipality"]
    assert muni["savings"]["estimate"] == 29_000
    assert muni["net_cost"]["estimate"] == pytest.approx(15_000 - 29_000)
    assert muni["net_cost"]["ci_high"] == pytest.approx(15_000 - 29_000 + Z * 4_800)


def test_break_even_on_the_savings_path_has_an_interval_from_its_bounds():
    # cumulative savings 1 000 k (700 k .. 1 300 k): 15 000 reached in month 15, on the
    # upper bound in month 12 (15 600), on the lower bound in month 22 (15 400)
    be = cost_summary(_with_horizon(), costs=_costs())["municipality"]["break_even"]
    assert (be["months"], be["months_optimistic"], be["months_pessimistic"]) == (15, 12, 22)
    assert be["discounted"] is True and be["within_horizon"] is True


def test_break_even_whose_lower_bound_never_reaches_the_cost_has_an_open_interval():
    costs = _costs()
    costs.loc[0, "cost_sek"] = 1_500_000.0  # own cost (2.3 - 0.3) MSEK / 100 = 20 000
    be = cost_summary(_with_horizon(), costs=costs)["municipality"]["break_even"]
    # estimate 1 000 k reaches 20 000 in month 20; the lower bound 700 k not within 24 months
    assert (be["months"], be["months_pessimistic"]) == (20, None)


def test_public_sector_adds_tax_revenue_from_the_extra_work_months_along_the_path():
    a = CostAssumptions()
    out = cost_summary(_with_horizon(corr=0.5), costs=_costs(), assumptions=a)["public_finance"]
    k = 25_000 * (0.3237 + 0.3142) * 0.7
    assert out["tax_revenue"]["estimate"] == pytest.approx(2.9 * k)
    assert out["net_cost"]["estimate"] == pytest.approx(18_000 - 29_000 - 2.9 * k)
    var = 4_800**2 + k**2 * 0.95**2 + 2 * k * 0.5 * 4_800 * 0.95
    assert out["net_cost"]["ci_high"] - out["net_cost"]["estimate"] == pytest.approx(
        Z * math.sqrt(var)
    )
    assert out["net_cost"]["interval"] == "influence_function"
    assert out["tax_revenue_12m"]["estimate"] == pytest.approx(1.0 * k)  # undiscounted at 12


def test_cost_per_extra_month_uses_the_covariance_of_net_cost_and_effect():
    with_cov = cost_summary(_with_horizon(corr=0.6), costs=_costs())["cost_per_extra_month_in_work"]
    no_cov = cost_summary(_with_horizon(corr=0.0), costs=_costs())["cost_per_extra_month_in_work"]
    # net cost 15 000 - 29 000 = -14 000 over 2.9 discounted months: the measure pays for itself
    assert with_cov["estimate"] == pytest.approx(-14_000 / 2.9)
    assert with_cov["pays_for_itself"] is True
    assert with_cov["covariance"] == "influence_function"
    assert with_cov["correlation"] == pytest.approx(-0.6)
    assert with_cov["ci_high"] != pytest.approx(no_cov["ci_high"])
    # the bounds solve Fieller's equality with cov(net cost, months) = -cov(savings, months)
    cov = -0.6 * 4_800 * 0.95
    for t in (with_cov["ci_low"], with_cov["ci_high"]):
        lhs = (-14_000 - t * 2.9) ** 2
        assert lhs == pytest.approx(Z**2 * (4_800**2 - 2 * t * cov + t**2 * 0.95**2))


def test_cost_per_extra_person_uses_the_effect_in_the_horizons_last_month():
    out = cost_summary(_with_horizon(), costs=_costs())["net_cost_per_additional"]
    assert out["estimate"] == pytest.approx(-14_000 / 0.2)
    assert out["horizon_months"] == 24


def test_ratio_of_an_effect_indistinguishable_from_zero_is_unbounded_with_that_reason():
    horizon = _with_horizon()
    horizon["horizon"]["functionals"][0]["estimates"][3] = 0.5  # SD 0.95: interval spans zero
    out = cost_summary(horizon, costs=_costs())["cost_per_extra_month_in_work"]
    assert (out["defined"], out["bounded"]) == (True, False)
    assert out["reason"] == "effect_indistinguishable_from_zero"


def test_ratio_of_a_clearly_negative_effect_is_undefined_because_the_effect_is_negative():
    horizon = _with_horizon()
    horizon["horizon"]["functionals"][0]["estimates"][3] = -3.0
    out = cost_summary(horizon, costs=_costs())["cost_per_extra_month_in_work"]
    assert (out["defined"], out["reason"]) == (False, "effect_negative")


def test_costs_record_the_horizon_the_discount_rate_and_every_assumption():
    out = cost_summary(
        _with_horizon(), costs=_costs(), assumptions=CostAssumptions(discount_rate=0.03)
    )
    assert (out["horizon_months"], out["discount_rate"]) == (24, 0.03)
    assert out["assumptions"]["monthly_wage_sek"] == 25_000
    assert out["assumptions"]["revenue_per_work_month_sek"] == pytest.approx(25_000 * 0.6379)


def test_cost_table_over_the_horizon_gives_every_total_an_interval():
    table = cost_table(cost_summary(_with_horizon(), costs=_costs()))
    totals = table[table["months"].notna()]
    assert {"savings", "net_cost", "tax_revenue", "cost_per_extra_month_in_work"} <= set(
        totals["item"]
    )
    assert totals["ci_low"].notna().all() and totals["ci_high"].notna().all()
