"""Overlap plot of propensity scores by group, drawn from histogram counts (no person-level data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from evalkit.plots.theme import HIGHLIGHT, MAIN, fit_limits, format_axis, new_figure, theme


def overlap_frame(summary: Mapping[str, Any]) -> pd.DataFrame:
    """One row per bin and group: bin edges, count (NaN if suppressed) and share of the group.

    Shares are of the group's known counts; a suppressed bin has no share.
    """
    edges = np.asarray(summary["bin_edges"], dtype=float)
    parts = []
    for group in ("treated", "control"):
        raw = list(summary.get(f"{group}_counts") or [])
        counts = np.array([np.nan if c is None else float(c) for c in raw], dtype=float)
        total = np.nansum(counts)
        parts.append(
            pd.DataFrame(
                {
                    "group": group,
                    "left": edges[:-1][: len(counts)],
                    "right": edges[1:][: len(counts)],
                    "count": counts,
                    "share": counts / total if total > 0 else counts * 0,
                }
            )
        )
    return pd.concat(parts, ignore_index=True)


def _occupied_range(rows: pd.DataFrame, edges: np.ndarray) -> tuple[float, float]:
    """The score range of bins holding anyone (or suppressed), widened by a bin on each side."""
    occupied = rows[(rows["count"] != 0)]
    if occupied.empty:
        return float(edges[0]), float(edges[-1])
    width = float(np.diff(edges).max())
    lo = max(float(edges[0]), float(occupied["left"].min()) - width)
    hi = min(float(edges[-1]), float(occupied["right"].max()) + width)
    return lo, hi


def overlap_plot(
    summary: Mapping[str, Any],
    *,
    treated_label: str = "Participants",
    control_label: str = "Comparison group",
    xlabel: str = "Propensity score",
    ylabel: str = "Share of group",
    title: str | None = None,
    lang: str = "sv",
) -> Figure:
    """Mirrored histogram: participants above the axis, comparisons below, as shares of each group.

    ``summary`` is ``overlap_summary(...)`` (or the report's disclosure-protected copy, whose
    suppressed bins are None and are drawn hatched as unknown). The score axis spans the bins that
    hold anyone, the share axis never runs beyond 100 %; numbers follow ``lang``.
    """
    rows = overlap_frame(summary)
    edges = np.asarray(summary["bin_edges"], dtype=float)
    shares = rows["share"].to_numpy(dtype=float)
    top = fit_limits(np.abs(shares), include=(0.0,), bounds=(0.0, 1.0))[1]
    with theme(lang):
        fig, ax = new_figure(3.4)
        for group, sign, color, label in (
            ("treated", 1.0, MAIN, treated_label),
            ("control", -1.0, HIGHLIGHT, control_label),
        ):
            part = rows[rows["group"] == group]
            centres = ((part["left"] + part["right"]) / 2).to_numpy()
            sns.histplot(
                x=centres,
                weights=sign * part["share"].fillna(0.0).to_numpy(),
                bins=edges.tolist(),
                color=color,
                alpha=0.85,
                edgecolor="white",
                linewidth=0.5,
                label=label,
                ax=ax,
            )
            missing = part["count"].isna().to_numpy()
            if missing.any():
                ax.bar(
                    part["left"].to_numpy()[missing],
                    np.full(missing.sum(), sign * 0.1 * top),
                    width=(part["right"] - part["left"]).to_numpy()[missing],
                    align="edge",
                    color="none",
                    edgecolor=color,
                    hatch="//",
                )
        ax.axhline(0, color="#595959", linewidth=0.8)
        ax.set_xlim(*_occupied_range(rows, edges))
        ax.set_ylim(-top, top)
        format_axis(ax, "x", lang)
        format_axis(ax, "y", lang, percent=True, absolute=True)
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        if title:
            ax.set_title(title)
        ax.legend(loc="upper right", frameon=True, framealpha=0.9, edgecolor="none")
    return fig
