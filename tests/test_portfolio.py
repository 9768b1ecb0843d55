"""Specifications of the portfolio rankings and forest plot (evalkit.audit.portfolio)."""

from __future__ import annotations

import json

import pandas as pd
import pytest
from matplotlib.figure import Figure

from evalkit.audit.portfolio import effect_table, p_best, portfolio
from evalkit.plots.portfolio import forest_plot
from evalkit.results import MeasureResults


def _est(outcome: str, est: float, se: float, n: int) -> dict:
    return {
        "outcome": outcome,
        "estimator": "aipw",
        "estimate": est,
        "se": se,
        "ci_low": est - 1.96 * se,
        "ci_high": est + 1.96 * se,
        "n_treated": n,
        "n_control": 5000,
    }


def _ratio(est: float | None, lo=None, hi=None, bounded=True, defined=True, pays=None) -> dict:
    return {
        "estimate": est,
        "ci_low": lo,
        "ci_high": hi,
        "bounded": bounded,
        "defined": defined,
        "pays_for_itself": pays if pays is not None else (est is not None and est < 0),
    }


def _measure(
    mid: str,
    months_24: float | None,
    *,
    at_12: float = 0.5,
    se: float = 0.4,
    n: int = 300,
    months: int = 24,
    grade: str | None = "medel",
    ratio: dict | None = None,
    net_cost: float | None = None,
    **extra,
) -> MeasureResults:
    estimates = [_est("work_or_study_months_12m", at_12, 0.2, n)]
    if months_24 is not None:
        estimates.append(_est(f"work_or_study_months_{months}m", months_24, se, n))
    costs = {"horizon_months": months, "discount_rate": 0.035}
    if ratio is not None:
        costs["cost_per_extra_month_in_work"] = {**ratio, "horizon_months": months}
    if net_cost is not None:
        costs["municipality"] = {
            "net_cost": {"estimate": net_cost, "ci_low": net_cost - 5e3, "ci_high": net_cost + 5e3}
        }
    results = {
        "measure_id": mid,
        "title": mid.title(),
        "status": "ok",
        "sample": {"n_treated": n},
        "estimates": estimates,
        "horizon": {"months": months},
        "costs": costs,
        "credibility": (
            [{"outcome": f"work_or_study_months_{months}m", "grade": grade}] if grade else []
        ),
    }
    results.update(extra)
    return MeasureResults.model_validate(results)


def _runs() -> list[MeasureResults]:
    return [
        # lock-in: fewer months in work over 1-12 but the most over 1-24
        _measure("anstallning", 3.5, at_12=-1.0, ratio=_ratio(9_000, 6_000, 14_000), net_cost=30e3),
        _measure("jobbspar", 2.0, ratio=_ratio(-4_000, -9_000, -1_000), net_cost=-8e3),
        _measure("sprak", 1.0, ratio=_ratio(-2_000, -6_000, 1_000), net_cost=-2e3),
        _measure("praktik", 0.3, ratio=_ratio(20_000, bounded=False), net_cost=6e3),
        _measure("coach", -0.8, ratio=_ratio(None, defined=False, bounded=False)),
        _measure("osaker", 4.0, grade="lag"),
        _measure("liten", 5.0, n=12),
        _measure("trasig", None, status="failed"),
        _measure("tom", None),
    ]


def test_measures_are_ranked_by_the_cumulative_effect_at_the_horizon():
    out = portfolio(_runs())
    assert out.outcome == "work_or_study_months_24m" and out.horizon_months == 24
    assert out.effect_ranking == ["anstallning", "jobbspar", "sprak", "praktik", "coach"]


def test_the_lock_in_measure_ranks_on_its_24_month_effect_not_its_12_month_one():
    row = portfolio(_runs()).row("anstallning")
    assert row.rank_effect == 1 and row.effect_12m.estimate == -1.0


def test_low_credibility_too_little_data_and_failed_runs_are_listed_not_ranked():
    reasons = {r.measure_id: r.reason for r in portfolio(_runs()).not_ranked}
    assert reasons == {
        "osaker": "low_credibility",
        "liten": "too_few_participants",
        "trasig": "failed",
        "tom": "no_estimate",
    }


def test_portfolio_horizon_is_the_longest_horizon_a_measure_chose():
    runs = [*_runs()[:3], _measure("lang", 6.0, months=36)]
    out = portfolio(runs)
    assert out.horizon_months == 36 and out.outcome == "work_or_study_months_36m"
    # measures without an estimate at 36 months are listed, not ranked
    assert out.effect_ranking == ["lang"]


def test_probabilities_of_being_best_sum_to_one_over_ranked_measures():
    out = portfolio(_runs())
    ranked = [out.row(m) for m in out.effect_ranking]
    assert sum(r.p_best for r in ranked) == pytest.approx(1.0)
    assert all(r.p_best is None for r in out.measures if not r.ranked)


def test_probability_of_being_best_matches_the_normal_for_two_measures():
    a, b = _measure("a", 1.0, se=0.2), _measure("b", 0.5, se=0.2)
    out = portfolio([a, b], draws=200_000)
    # P(a > b) = Φ(0.5 / √(0.2² + 0.2²)) = Φ(1.768) = 0.961
    assert out.row("a").p_best == pytest.approx(0.961, abs=0.003)


def test_probability_of_being_best_is_reproducible():
    rows = portfolio(_runs()).measures
    ranked = [r for r in rows if r.ranked]
    assert p_best(ranked) == p_best(ranked)


def test_cost_ranking_puts_measures_that_pay_for_themselves_first_then_bounded_then_unbounded():
    out = portfolio(_runs())
    # jobbspar saves 8 000 per participant, sprak 2 000; anstallning costs 9 000 per month;
    # praktik's interval is unbounded; coach has no positive effect
    assert out.cost_ranking == ["jobbspar", "sprak", "anstallning", "praktik"]
    flags = {r.measure_id: r.cost_flag for r in out.measures}
    assert flags["praktik"] == "interval_unbounded" and flags["jobbspar"] is None
    assert out.row("coach").rank_cost is None


def test_without_cumulative_effects_the_portfolio_falls_back_to_the_12_month_share():
    plain = MeasureResults.model_validate(
        {
            "measure_id": "x",
            "status": "ok",
            "sample": {"n_treated": 300},
            "estimates": [_est("work_or_study_12m", 0.1, 0.02, 300)],
        }
    )
    out = portfolio([plain])
    assert out.outcome == "work_or_study_12m" and out.horizon_months is None
    assert out.effect_ranking == ["x"]


def test_effect_table_lists_ranked_measures_first_then_the_rest():
    table = effect_table(portfolio(_runs()))
    assert list(table["measure_id"][:5]) == [
        "anstallning",
        "jobbspar",
        "sprak",
        "praktik",
        "coach",
    ]
    assert set(table["status"][5:]) == {"not_ranked"}


def test_unranked_measure_shows_no_cost_per_extra_month():
    small = _measure("liten2", 0.3, n=12, ratio=_ratio(9_000, 5_000, 20_000))
    table = effect_table(portfolio([*_runs(), small])).set_index("measure_id")
    assert pd.isna(table.loc["liten2", "cost_per_extra_month"])
    assert table.loc["anstallning", "cost_per_extra_month"] == 9_000


def test_portfolio_is_json_safe():
    json.dumps(portfolio(_runs()).to_json_dict())


def test_forest_plot_draws_one_row_per_measure_and_names_unranked_ones():
    summary = portfolio(_runs()).model_dump()
    fig = forest_plot(summary, reason_labels={"too_few_participants": "för få"}, percent=False)
    assert isinstance(fig, Figure)
    ticks = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert ticks[:5] == ["Anstallning", "Jobbspar", "Sprak", "Praktik", "Coach"]
    assert "för få" in [t.get_text() for t in fig.axes[0].texts]


def test_measure_whose_sample_count_was_suppressed_is_not_ranked_for_too_few_participants():
    from evalkit.audit.disclosure import protect

    tiny = protect(_measure("pytteliten", 4.0, n=3), 5)
    reasons = {r.measure_id: r.reason for r in portfolio([*_runs(), tiny]).not_ranked}
    assert reasons["pytteliten"] == "too_few_participants"
