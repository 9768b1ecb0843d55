"""Specifications of the portfolio rankings and forest plot (evalkit.audit.portfolio)."""

from __future__ import annotations

import json
import math

import pandas as pd
import pytest
from matplotlib.figure import Figure
from scipy import stats

from evalkit.audit.portfolio import (
    PortfolioRow,
    effect_table,
    portfolio,
    prob_better,
    prob_better_frame,
)
from evalkit.plots.portfolio import forest_plot
from evalkit.results import MeasureResults


def _measure(
    mid: str, est: float | None, se: float = 0.02, n: int = 300, cpa=None, **extra
) -> dict:
    estimates = []
    if est is not None:
        estimates.append(
            {
                "outcome": "work_or_study_12m",
                "estimator": "aipw",
                "estimate": est,
                "se": se,
                "ci_low": est - 1.96 * se,
                "ci_high": est + 1.96 * se,
                "n_treated": n,
                "n_control": 5000,
            }
        )
    results = {
        "measure_id": mid,
        "title": mid.title(),
        "status": "ok",
        "sample": {"n_treated": n},
        "estimates": estimates,
        "costs": {"cost_per_additional": cpa} if cpa else {},
    }
    results.update(extra)
    return MeasureResults.model_validate(results)


def _cpa(est: float | None, lo=None, hi=None, bounded=True, defined=True) -> dict:
    return {"estimate": est, "ci_low": lo, "ci_high": hi, "bounded": bounded, "defined": defined}


def _runs() -> list[MeasureResults]:
    return [
        _measure("praktik", 0.02, cpa=_cpa(600_000, None, None, bounded=False)),
        _measure("jobbspar", 0.10, cpa=_cpa(150_000, 110_000, 240_000)),
        _measure("sprak", 0.05, cpa=_cpa(100_000, 60_000, 300_000)),
        _measure("noll", -0.01, cpa=_cpa(None, defined=False)),
        _measure("liten", 0.3, n=12),
        _measure("trasig", None, status="failed"),
        _measure("tom", None),
    ]


def test_measures_are_ranked_by_headline_effect_largest_first():
    out = portfolio(_runs())
    assert out.effect_ranking == ["jobbspar", "sprak", "praktik", "noll"]


def test_measures_with_too_little_data_or_failed_runs_are_listed_not_ranked():
    out = portfolio(_runs())
    reasons = {r.measure_id: r.reason for r in out.not_ranked}
    assert reasons == {
        "liten": "too_few_participants",
        "trasig": "failed",
        "tom": "no_estimate",
    }


def test_cost_ranking_puts_bounded_intervals_first_and_skips_measures_without_positive_effect():
    out = portfolio(_runs())
    assert out.cost_ranking == ["sprak", "jobbspar", "praktik"]
    flags = {r.measure_id: r.cost_flag for r in out.measures}
    assert flags["praktik"] == "interval_unbounded" and flags["sprak"] is None


def test_probability_of_a_larger_effect_is_the_normal_difference_probability():
    out = portfolio(_runs())
    expected = stats.norm.cdf((0.10 - 0.05) / math.sqrt(0.02**2 + 0.02**2))  # 0.961
    assert out.prob_better["jobbspar"]["sprak"] == pytest.approx(expected)
    assert out.prob_better["sprak"]["jobbspar"] == pytest.approx(1 - expected)


def test_equal_estimates_with_zero_se_are_even():
    a = PortfolioRow(measure_id="a", estimate=0.1, se=0.0)
    assert prob_better(a, a.model_copy(update={"measure_id": "b"})) == 0.5


def test_probability_table_is_square_over_ranked_measures():
    frame = prob_better_frame(portfolio(_runs()))
    assert list(frame.index) == list(frame.columns) == ["jobbspar", "sprak", "praktik", "noll"]
    assert frame.loc["jobbspar", "sprak"] + frame.loc["sprak", "jobbspar"] == pytest.approx(1)


def test_effect_table_lists_ranked_measures_first_then_the_rest():
    table = effect_table(portfolio(_runs()))
    assert list(table["measure_id"][:4]) == ["jobbspar", "sprak", "praktik", "noll"]
    assert set(table["status"][4:]) == {"not_ranked"}


def test_portfolio_is_json_safe():
    json.dumps(portfolio(_runs()).to_json_dict())


def test_forest_plot_draws_one_row_per_measure_and_names_unranked_ones():
    summary = portfolio(_runs()).model_dump()
    fig = forest_plot(summary, reason_labels={"too_few_participants": "för få"})
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    ticks = [t.get_text() for t in ax.get_yticklabels()]
    assert ticks == ["Jobbspar", "Sprak", "Praktik", "Noll", "Liten", "Trasig", "Tom"]
    assert "för få" in [t.get_text() for t in ax.texts]


def test_unranked_measure_shows_no_cost_per_additional_person():
    small = _measure("liten2", 0.3, n=12, cpa=_cpa(90_000, 50_000, 200_000))
    table = effect_table(portfolio([*_runs(), small])).set_index("measure_id")
    assert pd.isna(table.loc["liten2", "cost_per_additional"])
    assert table.loc["jobbspar", "cost_per_additional"] == 150_000


def test_measure_whose_sample_count_was_suppressed_is_not_ranked_for_too_few_participants():
    from evalkit.audit.disclosure import protect

    tiny = protect(_measure("pytteliten", 0.4, n=3), 5)
    out = portfolio([*_runs(), tiny])
    reasons = {r.measure_id: r.reason for r in out.not_ranked}
    assert reasons["pytteliten"] == "too_few_participants"
