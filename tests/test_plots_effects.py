"""Effect plots: forest, love and overlap figures are returned, labelled by the caller, never saved."""

import matplotlib
import pytest
from matplotlib.figure import Figure
from simulate import COVARIATES, simulate

from evalkit.diagnostics import diagnose
from evalkit.estimators import EffectResults, get
from evalkit.plots.balance import love_plot
from evalkit.plots.forest import forest_plot
from evalkit.plots.overlap import overlap_plot


@pytest.fixture(scope="module")
def data():
    return simulate(1500, seed=101)


@pytest.fixture(scope="module")
def results(data):
    return EffectResults(
        [get(n)(data, "y", covariates=COVARIATES) for n in ("naive", "regression", "aipw")]
    )


def _tick_labels(fig, axis="y"):
    ax = fig.axes[0]
    ticks = ax.get_yticklabels() if axis == "y" else ax.get_xticklabels()
    return [t.get_text() for t in ticks]


def test_forest_plot_has_one_row_per_estimator_with_callers_words(results):
    fig = forest_plot(results, labels={"naive": "Okorrigerad", "aipw": "Dubbelt robust"})
    assert isinstance(fig, Figure)
    assert _tick_labels(fig) == ["Okorrigerad", "regression", "Dubbelt robust"]


def test_forest_plot_accepts_the_results_frame(results):
    fig = forest_plot(results.to_frame(), xlabel="Effekt")
    assert fig.axes[0].get_xlabel() == "Effekt"


def test_love_plot_from_diagnose_rows_labels_covariates(data):
    d = diagnose(data, "treated", COVARIATES)
    fig = love_plot(d["balance"], labels={"x1": "Ålder"})
    assert "Ålder" in _tick_labels(fig)
    assert len(fig.axes[0].collections) == 2  # before and after markers


def test_overlap_plot_draws_from_counts_only_and_tolerates_suppressed_bins(data):
    d = diagnose(data, "treated", COVARIATES)
    summary = dict(d["overlap"])
    summary["control_counts"] = [None, *summary["control_counts"][1:]]
    fig = overlap_plot(summary, treated_label="Deltagare", control_label="Jämförelsegrupp")
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels == ["Deltagare", "Jämförelsegrupp"]


def test_plots_do_not_open_pyplot_figures(results):
    import matplotlib.pyplot as plt

    before = len(plt.get_fignums())
    forest_plot(results)
    assert len(plt.get_fignums()) == before
    assert matplotlib.get_backend()  # no show() call needed to build the figure
