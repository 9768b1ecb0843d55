"""Forest plot of several estimators' effects on one outcome, side by side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit.estimators.result import EffectResult, EffectResults
from evalkit.plots.intervals import PERCENT_POINT_BOUNDS, draw_intervals, interval_rows
from evalkit.plots.theme import HIGHLIGHT, MAIN, format_axis, new_figure, theme


def _as_frame(results: EffectResults | Iterable[EffectResult] | pd.DataFrame) -> pd.DataFrame:
    """A frame with estimator, estimate, ci_low, ci_high from results or an existing frame."""
    if isinstance(results, pd.DataFrame):
        return results
    if not isinstance(results, EffectResults):
        results = EffectResults(list(results))
    return results.to_frame()


def _column(frame: pd.DataFrame, name: str) -> np.ndarray:
    """A numeric column (NaN where absent or not a number)."""
    if name not in frame:
        return np.full(len(frame), np.nan)
    return pd.to_numeric(frame[name], errors="coerce").to_numpy(dtype=float)


def forest_plot(
    results: EffectResults | Iterable[EffectResult] | pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    xlabel: str = "Effect (ATT)",
    title: str | None = None,
    highlight: str | None = None,
    scale: float = 1.0,
    lang: str = "sv",
    bounds: tuple[float, float] | None = None,
) -> Figure:
    """Point estimates and intervals, one row per estimator (first on top), with a line at zero.

    ``labels`` maps estimator names to display words (the report's wording module provides
    them); ``scale`` multiplies values (100 for percentage points); ``highlight`` names the
    headline estimator, drawn in the contrasting colour. ``bounds`` is the range an effect can
    take (default ±100 when ``scale`` is 100, i.e. an effect on a share); intervals past it are
    cut with an arrow head. Numbers on the axis follow ``lang``. Rows without an interval show
    the point only.
    """
    frame = _as_frame(results).reset_index(drop=True)
    labels = dict(labels or {})
    names = frame["estimator"].astype(str).tolist() if "estimator" in frame else [""] * len(frame)
    if bounds is None and scale == 100:
        bounds = PERCENT_POINT_BOUNDS
    colors = [HIGHLIGHT if highlight is not None and n == highlight else MAIN for n in names]
    rows = interval_rows(
        _column(frame, "estimate") * scale,
        _column(frame, "ci_low") * scale,
        _column(frame, "ci_high") * scale,
        colors,
    )
    with theme(lang):
        fig, ax = new_figure(1.1 + 0.42 * max(len(frame), 1))
        draw_intervals(ax, rows, bounds=bounds)
        shown = rows[np.isfinite(rows["estimate"])]
        ax.set_yticks(shown["y"].tolist(), [labels.get(names[i], names[i]) for i in shown.index])
        ax.set_xlabel(xlabel)
        format_axis(ax, "x", lang)
        if title:
            ax.set_title(title)
    return fig
