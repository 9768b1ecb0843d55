"""Forest plot of the headline effect across measures, for the portfolio page."""

from __future__ import annotations

from typing import Any

import numpy as np
from matplotlib.figure import Figure

from evalkit.plots.intervals import PERCENT_POINT_BOUNDS, draw_intervals, interval_rows
from evalkit.plots.theme import MAIN, MUTED, format_axis, new_figure, theme


def _value(row: dict[str, Any], key: str, scale: float) -> float:
    """A number of a measure's row times ``scale``; NaN where absent."""
    v = row.get(key)
    return float(v) * scale if v is not None else float("nan")


def forest_plot(
    summary: dict[str, Any],
    *,
    xlabel: str | None = None,
    not_ranked_label: str = "–",
    reason_labels: dict[str, str] | None = None,
    percent: bool | None = None,
    lang: str = "sv",
) -> Figure:
    """Estimates and intervals of every ranked measure, largest on top; unranked ones named below.

    ``summary`` is ``evalkit.audit.portfolio.portfolio(...)``. Words come from the caller (the
    report's wording module): ``xlabel``, and ``reason_labels`` for measures not ranked. Effects
    on shares are drawn in percentage points and never beyond ±100; numbers follow ``lang``.
    """
    rows = summary.get("measures") or []
    ranked = sorted(
        (r for r in rows if r.get("status") == "ranked"), key=lambda r: r.get("rank_effect") or 0
    )
    unranked = [r for r in rows if r.get("status") != "ranked"]
    outcome = summary.get("outcome", "")
    if percent is None:
        percent = outcome.startswith("work_or_study")
    scale = 100.0 if percent else 1.0
    ordered = [*ranked, *unranked]
    n = len(ordered)
    drawn = interval_rows(
        np.array([_value(r, "estimate", scale) for r in ranked] + [np.nan] * len(unranked)),
        np.array([_value(r, "ci_low", scale) for r in ranked] + [np.nan] * len(unranked)),
        np.array([_value(r, "ci_high", scale) for r in ranked] + [np.nan] * len(unranked)),
        [MAIN] * n,
    )
    reasons = reason_labels or {}
    with theme(lang):
        fig, ax = new_figure(1.2 + 0.42 * max(n, 1))
        draw_intervals(ax, drawn, bounds=PERCENT_POINT_BOUNDS if percent else None)
        for y, r in zip(drawn["y"].iloc[len(ranked) :], unranked, strict=True):
            ax.annotate(
                reasons.get(r.get("reason") or "", not_ranked_label),
                xy=(0, y),
                xycoords=("axes fraction", "data"),
                xytext=(6, 0),
                textcoords="offset points",
                va="center",
                color=MUTED,
                fontstyle="italic",
            )
        if ranked and unranked:
            ax.axhline(len(unranked) - 0.5, color="#cccccc", linewidth=0.8)
        ax.set_yticks(
            drawn["y"].tolist(), [str(r.get("title") or r.get("measure_id")) for r in ordered]
        )
        ax.set_xlabel(xlabel or (f"{outcome} (%-points)" if percent else outcome))
        format_axis(ax, "x", lang)
    return fig
