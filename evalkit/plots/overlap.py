"""Overlap plot of propensity scores by group, drawn from histogram counts (no person-level data)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np
from matplotlib.figure import Figure


def overlap_plot(
    summary: Mapping[str, Any],
    *,
    treated_label: str = "Participants",
    control_label: str = "Comparison group",
    xlabel: str = "Propensity score",
    ylabel: str = "Share of group",
    title: str | None = None,
) -> Figure:
    """Mirrored histogram: participants above the axis, comparisons below, as shares of each group.

    ``summary`` is ``overlap_summary(...)`` (or the report's disclosure-protected copy, whose
    suppressed bins are None and are drawn hatched as unknown).
    """
    edges = np.asarray(summary["bin_edges"], dtype=float)
    widths = np.diff(edges)
    fig = Figure(figsize=(7.0, 3.6), layout="constrained")
    ax = fig.add_subplot()
    for key, sign, color, label in (
        ("treated_counts", 1, "#1f4e79", treated_label),
        ("control_counts", -1, "#b5472a", control_label),
    ):
        raw = list(summary.get(key) or [])
        known = np.array([np.nan if c is None else float(c) for c in raw])
        total = np.nansum(known)
        share = known / total if total > 0 else known * 0
        ax.bar(
            edges[:-1],
            sign * np.nan_to_num(share),
            width=widths,
            align="edge",
            color=color,
            alpha=0.8,
            label=label,
        )
        missing = np.isnan(known)
        if missing.any():
            height = sign * np.nanmax(np.abs(share)) if np.isfinite(share).any() else sign
            ax.bar(
                edges[:-1][missing],
                np.full(missing.sum(), height * 0.1),
                width=widths[missing],
                align="edge",
                color="none",
                edgecolor=color,
                hatch="//",
            )
    ax.axhline(0, color="0.3", linewidth=0.8)
    ax.set_xlim(edges[0], edges[-1])
    ticks = ax.get_yticks()
    ax.set_yticks(ticks, [f"{abs(t):.0%}" for t in ticks])
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="upper right", frameon=False)
    return fig
