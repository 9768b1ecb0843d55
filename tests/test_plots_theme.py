"""The evalkit figure theme: colour-blind-safe colours with contrast, print-size text, numbers in
the report's language, axes that fit the data and never show impossible values."""

from __future__ import annotations

import matplotlib as mpl
import numpy as np
import pytest
from matplotlib.figure import Figure

from evalkit.estimators.result import EffectResult, EffectResults
from evalkit.plots.balance import love_plot
from evalkit.plots.event_study import plot_event_study
from evalkit.plots.forest import forest_plot
from evalkit.plots.overlap import overlap_plot
from evalkit.plots.portfolio import forest_plot as portfolio_forest
from evalkit.plots.theme import (
    MUTED,
    PALETTE,
    WIDTH_IN,
    fit_limits,
    format_number,
    format_percent,
    text_sizes_px,
    theme,
)


def _result(name: str, est: float, lo: float, hi: float, **kw) -> EffectResult:
    return EffectResult(
        estimator=name,
        outcome="work_or_study_12m",
        estimate=est,
        se=(hi - lo) / 3.92,
        ci_low=lo,
        ci_high=hi,
        p_value=0.2,
        n_treated=40,
        n_control=600,
        **kw,
    )


SMALL_GROUP = [
    _result("naive", 0.60, 0.171, 1.029),  # 5 v 5: the interval runs past 100 %
    _result("aipw", 0.10, -0.05, 0.25),
]
OVERLAP = {
    "bin_edges": list(np.linspace(0, 1, 21)),
    "treated_counts": [5] + [0] * 19,  # all participants in one bin: a share of 100 %
    "control_counts": [3, None, 2] + [0] * 17,
}
BALANCE = [
    {"covariate": "age", "smd_before": 0.43, "smd_after": 0.02},
    {"covariate": "female", "smd_before": -0.08, "smd_after": 0.01},
]
PATH = EffectResults(
    [_result("cs_did", 0.0, float("nan"), float("nan"), event_time=-1, details={"reference": 1})]
    + [_result("cs_did", 0.05 * k, 0.05 * k - 0.1, 0.05 * k + 0.1, event_time=k) for k in range(8)]
)
PORTFOLIO = {
    "outcome": "work_or_study_12m",
    "measures": [
        {"measure_id": "a", "title": "A", "status": "ranked", "rank_effect": 1, "estimate": 0.1,
         "ci_low": -0.2, "ci_high": 1.2},
        {"measure_id": "b", "title": "B", "status": "not_ranked", "reason": "failed"},
    ],
}  # fmt: skip


def every_figure() -> dict[str, Figure]:
    return {
        "forest": forest_plot(SMALL_GROUP, scale=100, xlabel="Effekt (procentenheter)"),
        "love": love_plot(BALANCE),
        "overlap": overlap_plot(OVERLAP),
        "event_study": plot_event_study(PATH, scale=100, title="t", xlabel="x", ylabel="y"),
        "portfolio": portfolio_forest(PORTFOLIO),
    }


def _contrast_on_white(hex_colour: str) -> float:
    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (channel(int(hex_colour[i : i + 2], 16) / 255) for i in (1, 3, 5))
    return 1.05 / (0.2126 * r + 0.7152 * g + 0.0722 * b + 0.05)


def test_swedish_numbers_have_a_decimal_comma_a_space_for_thousands_and_a_true_minus():
    assert format_number(-12345.67, "sv", 1) == "\u221212\u00a0345,7"
    assert format_percent(0.433, "sv") == "43\u00a0%"


def test_english_numbers_have_a_decimal_point_and_comma_thousands():
    assert format_number(12345.67, "en", 1) == "12,345.7"
    assert format_percent(0.433, "en") == "43%"


def test_a_number_that_rounds_to_zero_has_no_minus_sign():
    assert format_number(-0.04, "sv", 1) == "0,0"


def test_every_palette_colour_reaches_3_to_1_contrast_on_white():
    assert min(_contrast_on_white(c) for c in (*PALETTE, MUTED)) >= 3.0


def test_drawing_leaves_the_callers_matplotlib_settings_alone():
    before = dict(mpl.rcParams)
    with theme("sv"):
        assert mpl.rcParams["svg.fonttype"] == "none"
    every_figure()
    assert dict(mpl.rcParams) == before


@pytest.mark.parametrize("name", ["forest", "love", "overlap", "event_study", "portfolio"])
def test_every_text_is_at_least_10_px_at_print_size(name):
    fig = every_figure()[name]
    assert fig.get_size_inches()[0] <= WIDTH_IN  # prints at natural size on A4
    assert min(text_sizes_px(fig)) >= 10


def test_fit_limits_hold_the_values_and_never_pass_the_bounds():
    lo, hi = fit_limits([0.2, 0.98], bounds=(0.0, 1.0))
    assert lo < 0.2 and hi == 1.0
    assert fit_limits([17.1, 102.9], include=(0,), bounds=(-100, 100)) == (-0.06 * 102.9, 100)


def test_effect_on_a_share_never_runs_past_100_percentage_points():
    ax = every_figure()["forest"].axes[0]
    lo, hi = ax.get_xlim()
    assert hi == 100 and lo >= -100
    arrows = [ln for ln in ax.get_lines() if ln.get_marker() == ">"]
    assert len(arrows) == 1  # the cut interval ends in an arrow head


def test_portfolio_forest_of_share_effects_stays_within_100_points():
    lo, hi = every_figure()["portfolio"].axes[0].get_xlim()
    assert hi <= 100 and lo >= -100


def test_overlap_share_axis_never_passes_100_percent():
    ax = every_figure()["overlap"].axes[0]
    lo, hi = ax.get_ylim()
    assert hi <= 1.0 and lo >= -1.0
    assert hi == pytest.approx(1.0)  # one bin holds every participant


def test_overlap_score_axis_spans_the_bins_that_hold_anyone():
    lo, hi = every_figure()["overlap"].axes[0].get_xlim()
    assert lo == 0.0 and hi == pytest.approx(0.2)  # bins 0–0.15 used, one bin to spare


def test_event_study_axis_holds_every_interval_and_zero():
    ax = every_figure()["event_study"].axes[0]
    lo, hi = ax.get_ylim()
    assert lo <= -10 and hi >= 45 and hi < 60


def test_tick_labels_use_the_decimal_comma_in_swedish_reports():
    fig = love_plot(BALANCE, lang="sv")
    fig.draw_without_rendering()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert "0,1" in labels and not any("." in t for t in labels)


def test_tick_labels_use_the_decimal_point_in_english_reports():
    fig = love_plot(BALANCE, lang="en")
    fig.draw_without_rendering()
    labels = [t.get_text() for t in fig.axes[0].get_xticklabels() if t.get_text()]
    assert "0.1" in labels


def test_overlap_share_ticks_are_percentages_on_both_sides():
    fig = overlap_plot(OVERLAP, lang="sv")
    fig.draw_without_rendering()
    labels = {t.get_text() for t in fig.axes[0].get_yticklabels()}
    assert "50\u00a0%" in labels and not any(t.startswith("\u2212") for t in labels)


def test_figures_use_the_palette_for_their_marks():
    ax = forest_plot(SMALL_GROUP, highlight="aipw").axes[0]
    colours = {mpl.colors.to_hex(c) for col in ax.collections for c in col.get_facecolors()}
    assert colours <= {c.lower() for c in PALETTE}
    assert len(colours) == 2
