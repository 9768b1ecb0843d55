"""Event-study plot: effect by period since start, with pointwise intervals and uniform bands."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from evalkit.estimators.result import EffectResult, EffectResults
from evalkit.plots.intervals import PERCENT_POINT_BOUNDS
from evalkit.plots.theme import GUIDE, MAIN, MUTED, fit_limits, format_axis, new_figure, theme


def event_time_rows(results: EffectResults) -> list[EffectResult]:
    """The per-event-time results to draw: the ``dynamic`` rows with an event time, sorted."""
    rows = [r for r in results if r.event_time is not None and r.aggregation in ("dynamic", None)]
    if not rows:
        rows = [r for r in results if r.event_time is not None]
    return sorted(rows, key=lambda r: r.event_time)


def event_time_frame(results: EffectResults, scale: float = 1.0) -> pd.DataFrame:
    """One row per event time: estimate, interval, uniform band, reference flag, period."""
    rows = event_time_rows(results)
    if not rows:
        raise ValueError("no results with an event time to plot")
    frame = pd.DataFrame(
        {
            "event_time": [float(r.event_time) for r in rows],
            "estimate": [r.estimate for r in rows],
            "ci_low": [r.ci_low for r in rows],
            "ci_high": [r.ci_high for r in rows],
            "band_low": [r.details.get("uniform_ci_low", np.nan) for r in rows],
            "band_high": [r.details.get("uniform_ci_high", np.nan) for r in rows],
            "reference": [bool(r.details.get("reference")) for r in rows],
        }
    )
    values = ["estimate", "ci_low", "ci_high", "band_low", "band_high"]
    frame[values] = frame[values].apply(pd.to_numeric, errors="coerce") * scale
    frame["post"] = frame["event_time"] >= 0
    return frame


def plot_event_study(
    results: EffectResults,
    *,
    title: str | None = None,
    xlabel: str = "",
    ylabel: str = "",
    band_label: str = "",
    scale: float = 1.0,
    lang: str = "sv",
    bounds: tuple[float, float] | None = None,
) -> Figure:
    """Draw estimates by event time with their intervals (and uniform bands when present).

    Works for ``event_study``, ``cs_did`` (its dynamic aggregation) and ``dynamic_matching``
    results. Pre-periods are grey, post-periods blue; the reference period (estimate 0, no SE) is
    an open marker. ``bounds`` is the range an effect can take (default ±100 when ``scale`` is
    100: an effect on a share in percentage points); the axis never runs beyond it. Labels come
    from the caller (the report's wording module); numbers follow ``lang``.
    """
    frame = event_time_frame(results, scale)
    if bounds is None and scale == 100:
        bounds = PERCENT_POINT_BOUNDS
    e = frame["event_time"].to_numpy()
    with theme(lang):
        fig, ax = new_figure(3.6)
        ax.axhline(0.0, color=GUIDE, linewidth=1.0)
        ax.axvline(-0.5, color=GUIDE, linewidth=1.0, linestyle="--")
        band = frame[np.isfinite(frame["band_low"]) & np.isfinite(frame["band_high"])]
        if not band.empty:
            ax.fill_between(
                band["event_time"],
                band["band_low"],
                band["band_high"],
                color=MAIN,
                alpha=0.15,
                linewidth=0,
                label=band_label or None,
            )
        points = frame[~frame["reference"]]
        for post, color in ((False, MUTED), (True, MAIN)):
            part = points[points["post"] == post]
            if part.empty:
                continue
            ok = np.isfinite(part["ci_low"]) & np.isfinite(part["ci_high"])
            ax.vlines(
                part["event_time"][ok],
                part["ci_low"][ok],
                part["ci_high"][ok],
                color=color,
                linewidth=1.4,
            )
            sns.lineplot(
                data=part,
                x="event_time",
                y="estimate",
                color=color,
                marker="o",
                markersize=5,
                linewidth=1.0,
                markeredgecolor="white",
                ax=ax,
            )
        ref = frame[frame["reference"]]
        if not ref.empty:
            ax.plot(
                ref["event_time"],
                ref["estimate"],
                "o",
                markerfacecolor="white",
                markeredgecolor="#333333",
                markersize=6,
            )
        values = frame[["estimate", "ci_low", "ci_high", "band_low", "band_high"]].to_numpy()
        ax.set_ylim(*fit_limits(values.ravel(), include=(0.0,), bounds=bounds))
        ax.set_xlim(e.min() - 0.7, e.max() + 0.7)
        format_axis(ax, "x", lang, nbins=12, integer=True)
        if len(e) <= 20:
            ax.set_xticks(e)  # a tick per event time while they are few
        format_axis(ax, "y", lang)
        if title:
            ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if band_label and not band.empty:
            ax.legend(loc="best", frameon=True, framealpha=0.9, edgecolor="none")
    return fig
