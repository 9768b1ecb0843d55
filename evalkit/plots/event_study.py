"""Event-study plot: effect by period since start, with pointwise intervals and uniform bands."""

from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from evalkit.estimators.result import EffectResult, EffectResults


def event_time_rows(results: EffectResults) -> list[EffectResult]:
    """The per-event-time results to draw: the ``dynamic`` rows with an event time, sorted."""
    rows = [r for r in results if r.event_time is not None and r.aggregation in ("dynamic", None)]
    if not rows:
        rows = [r for r in results if r.event_time is not None]
    return sorted(rows, key=lambda r: r.event_time)


def plot_event_study(
    results: EffectResults,
    *,
    title: str | None = None,
    xlabel: str = "",
    ylabel: str = "",
    band_label: str = "",
    scale: float = 1.0,
) -> Figure:
    """Draw estimates by event time with their intervals (and uniform bands when present).

    Works for ``event_study``, ``cs_did`` (its dynamic aggregation) and ``dynamic_matching``
    results. Pre-periods are grey, post-periods dark; the reference period (estimate 0, no SE) is
    drawn as an open marker. Labels come from the caller (the report's wording module).
    """
    rows = event_time_rows(results)
    if not rows:
        raise ValueError("no results with an event time to plot")
    e = np.array([r.event_time for r in rows], dtype=float)
    est = np.array([r.estimate for r in rows]) * scale
    lo = np.array([r.ci_low for r in rows], dtype=float) * scale
    hi = np.array([r.ci_high for r in rows], dtype=float) * scale
    ref = np.array([bool(r.details.get("reference")) for r in rows])
    fig = Figure(figsize=(7.5, 4.0), layout="constrained")
    ax = fig.add_subplot()
    ax.axhline(0.0, color="0.5", linewidth=0.8)
    ax.axvline(-0.5, color="0.7", linewidth=0.8, linestyle="--")
    ulo = np.array([r.details.get("uniform_ci_low", np.nan) for r in rows], dtype=float) * scale
    uhi = np.array([r.details.get("uniform_ci_high", np.nan) for r in rows], dtype=float) * scale
    if np.isfinite(ulo).any():
        ok = np.isfinite(ulo)
        ax.fill_between(
            e[ok],
            ulo[ok],
            uhi[ok],
            color="tab:blue",
            alpha=0.15,
            step=None,
            label=band_label or None,
        )
    for post in (False, True):
        sel = ((e >= 0) == post) & ~ref
        if not sel.any():
            continue
        color = "tab:blue" if post else "0.45"
        yerr = np.vstack([est[sel] - lo[sel], hi[sel] - est[sel]])
        yerr = np.where(np.isfinite(yerr), yerr, 0.0)
        ax.errorbar(e[sel], est[sel], yerr=yerr, fmt="o", color=color, capsize=3, markersize=5)
    if ref.any():
        ax.plot(e[ref], est[ref], "o", markerfacecolor="white", markeredgecolor="0.3", markersize=6)
    ax.set_xticks(e)
    ax.set_xticklabels([str(int(v)) for v in e])
    if title:
        ax.set_title(title)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if band_label and np.isfinite(ulo).any():
        ax.legend(loc="best", frameon=False)
    return fig
