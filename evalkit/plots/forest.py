"""Forest plot of several estimators' effects on one outcome, side by side."""

from __future__ import annotations

from collections.abc import Iterable, Mapping

import numpy as np
import pandas as pd
from matplotlib.figure import Figure

from evalkit.estimators.result import EffectResult, EffectResults


def _as_frame(results: EffectResults | Iterable[EffectResult] | pd.DataFrame) -> pd.DataFrame:
    """A frame with estimator, estimate, ci_low, ci_high from results or an existing frame."""
    if isinstance(results, pd.DataFrame):
        return results
    if not isinstance(results, EffectResults):
        results = EffectResults(list(results))
    return results.to_frame()


def forest_plot(
    results: EffectResults | Iterable[EffectResult] | pd.DataFrame,
    *,
    labels: Mapping[str, str] | None = None,
    xlabel: str = "Effect (ATT)",
    title: str | None = None,
    highlight: str | None = None,
    scale: float = 1.0,
) -> Figure:
    """Point estimates and intervals, one row per estimator (first on top), with a line at zero.

    ``labels`` maps estimator names to display words (the report's wording module provides
    them); ``scale`` multiplies values (100 for percentage points); ``highlight`` names the
    headline estimator, drawn in a stronger colour. Rows without an interval show the point only.
    """
    frame = _as_frame(results)
    labels = dict(labels or {})
    n = len(frame)
    fig = Figure(figsize=(7.0, 1.0 + 0.45 * max(n, 1)), layout="constrained")
    ax = fig.add_subplot()
    ticks, names = [], []
    for i, row in enumerate(frame.to_dict(orient="records")):
        y = n - 1 - i
        name = str(row.get("estimator", ""))
        color = "#b5472a" if highlight is not None and name == highlight else "#1f4e79"
        est = row.get("estimate")
        lo, hi = row.get("ci_low"), row.get("ci_high")
        if est is None or not np.isfinite(est):
            continue
        est *= scale
        if lo is not None and hi is not None and np.isfinite(lo) and np.isfinite(hi):
            ax.errorbar(
                est,
                y,
                xerr=[[est - lo * scale], [hi * scale - est]],
                fmt="o",
                color=color,
                ecolor=color,
                capsize=3,
            )
        else:
            ax.plot(est, y, "o", color=color)
        ticks.append(y)
        names.append(labels.get(name, name))
    ax.axvline(0.0, color="0.4", linewidth=0.8, linestyle="--")
    ax.set_yticks(ticks, names)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.grid(axis="x", alpha=0.3)
    return fig
