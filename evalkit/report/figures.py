"""The report's figures, drawn from results-dict aggregates only (no person-level data).

Each function returns a matplotlib Figure (no I/O); words come from the wording module.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
from matplotlib.figure import Figure

from evalkit.report.render import is_share_outcome, number
from evalkit.report.wording import label, words

BLUE = "#1f4e79"
GREY = "#888888"
ORANGE = "#c55a11"


def _scale(outcome: str | None) -> float:
    """Shares are drawn in percentage points."""
    return 100.0 if is_share_outcome(outcome) else 1.0


def _unit(outcome: str | None, lang: str) -> str:
    """The axis unit of an outcome's effects."""
    w = words(lang)["figures"]
    if is_share_outcome(outcome):
        return w["pp"]
    return w["sek"] if outcome and "_sek" in outcome else ""


def forest(rows: Sequence[dict[str, Any]], outcome: str, lang: str = "sv") -> Figure:
    """Estimates and intervals of several estimators for one outcome, the first on top."""
    scale = _scale(outcome)
    n = max(len(rows), 1)
    fig = Figure(figsize=(7.5, 1.0 + 0.42 * n), layout="constrained")
    ax = fig.add_subplot()
    ticks, names = [], []
    for i, r in enumerate(rows):
        y = n - 1 - i
        est = number(r.get("estimate"))
        lo, hi = number(r.get("ci_low")), number(r.get("ci_high"))
        ticks.append(y)
        names.append(label(lang, "estimators", r.get("estimator")))
        if est is None:
            continue
        color = GREY if r.get("estimator") == "naive" else BLUE
        if lo is not None and hi is not None:
            ax.errorbar(
                est * scale,
                y,
                xerr=[[est * scale - lo * scale], [hi * scale - est * scale]],
                fmt="o",
                color=color,
                capsize=3,
            )
        else:
            ax.plot(est * scale, y, "o", color=color)
    ax.axvline(0, color=GREY, linewidth=1, linestyle="--")
    ax.set_yticks(ticks, names)
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(f"{label(lang, 'outcomes', outcome)} ({_unit(outcome, lang)})")
    ax.grid(axis="x", alpha=0.3)
    return fig


def path(series: dict[str, Sequence[dict[str, Any]]], outcome: str, lang: str = "sv") -> Figure:
    """Effects by month since start, one line with an interval band per estimator."""
    scale = _scale(outcome)
    fig = Figure(figsize=(7.5, 3.6), layout="constrained")
    ax = fig.add_subplot()
    colors = [BLUE, ORANGE, "#548235", "#7030a0"]
    for i, (name, rows) in enumerate(series.items()):
        pts = [
            (int(r["event_time"]), number(r.get("estimate")), r.get("ci_low"), r.get("ci_high"))
            for r in rows
            if number(r.get("estimate")) is not None and r.get("event_time") is not None
        ]
        if not pts:
            continue
        pts.sort()
        k = np.array([p[0] for p in pts])
        est = np.array([p[1] for p in pts]) * scale
        lo = np.array([number(p[2]) if number(p[2]) is not None else np.nan for p in pts]) * scale
        hi = np.array([number(p[3]) if number(p[3]) is not None else np.nan for p in pts]) * scale
        color = colors[i % len(colors)]
        ax.fill_between(k, lo, hi, color=color, alpha=0.15, linewidth=0)
        ax.plot(k, est, "o-", color=color, label=label(lang, "estimators", name), markersize=4)
    ax.axhline(0, color=GREY, linewidth=1, linestyle="--")
    ax.axvline(-0.5, color=GREY, linewidth=0.8, linestyle=":")
    ax.set_xlabel(words(lang)["figures"]["month"])
    ax.set_ylabel(f"{label(lang, 'outcomes', outcome)} ({_unit(outcome, lang)})")
    ax.grid(alpha=0.3)
    ax.legend(loc="best", frameon=False)
    return fig


def love(balance: Sequence[dict[str, Any]], lang: str = "sv") -> Figure:
    """Standardised mean differences per covariate before and after adjustment (love plot)."""
    w = words(lang)["figures"]
    rows = [r for r in balance if number(r.get("smd_before")) is not None]
    n = max(len(rows), 1)
    fig = Figure(figsize=(7.5, 1.0 + 0.32 * n), layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(len(rows))[::-1]
    before = [abs(number(r.get("smd_before")) or 0.0) for r in rows]
    after = [
        abs(number(r.get("smd_after"))) if number(r.get("smd_after")) is not None else np.nan
        for r in rows
    ]
    ax.plot(before, ys, "o", color=GREY, label=w["before"], fillstyle="none")
    ax.plot(after, ys, "o", color=BLUE, label=w["after"])
    ax.axvline(0.1, color=ORANGE, linewidth=1, linestyle="--")
    ax.set_yticks(ys, [str(r.get("covariate")) for r in rows])
    ax.set_xlabel(f"|{w['smd']}|")
    ax.grid(axis="x", alpha=0.3)
    ax.legend(loc="lower right", frameon=False)
    return fig


def overlap(summary: dict[str, Any], lang: str = "sv") -> Figure:
    """Propensity-score histograms of both groups from binned counts (suppressed bins left out)."""
    w = words(lang)["figures"]
    edges = np.asarray(summary.get("bin_edges") or [], dtype=float)
    fig = Figure(figsize=(7.5, 3.2), layout="constrained")
    axes = fig.subplots(2, 1, sharex=True)
    for ax, key, name, color in (
        (axes[0], "treated_counts", w["treated"], BLUE),
        (axes[1], "control_counts", w["control"], GREY),
    ):
        counts = [number(c) for c in summary.get(key) or []]
        if len(edges) == len(counts) + 1:
            shown = [(edges[i], edges[i + 1] - edges[i], c) for i, c in enumerate(counts) if c]
            if shown:
                ax.bar(
                    [s[0] for s in shown],
                    [s[2] for s in shown],
                    width=[s[1] for s in shown],
                    align="edge",
                    color=color,
                    alpha=0.8,
                )
        ax.set_ylabel(name)
        ax.grid(axis="y", alpha=0.3)
    axes[1].set_xlabel(w["propensity"])
    return fig
