"""Forest plot of the headline effect across measures, for the portfolio page."""

from __future__ import annotations

from typing import Any

from matplotlib.figure import Figure


def forest_plot(
    summary: dict[str, Any],
    *,
    xlabel: str | None = None,
    not_ranked_label: str = "–",
    reason_labels: dict[str, str] | None = None,
    percent: bool | None = None,
) -> Figure:
    """Estimates and intervals of every ranked measure, largest on top; unranked ones named below.

    ``summary`` is ``evalkit.audit.portfolio.portfolio(...)``. Words come from the caller (the
    report's wording module): ``xlabel``, and ``reason_labels`` for measures not ranked.
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
    n = len(ranked) + len(unranked)
    fig = Figure(figsize=(7.5, 1.2 + 0.45 * max(n, 1)), layout="constrained")
    ax = fig.add_subplot()
    labels = []
    for i, r in enumerate(ranked):
        y = n - 1 - i
        est = float(r["estimate"]) * scale
        lo = r.get("ci_low")
        hi = r.get("ci_high")
        if lo is not None and hi is not None:
            ax.errorbar(
                est,
                y,
                xerr=[[est - float(lo) * scale], [float(hi) * scale - est]],
                fmt="o",
                color="#1f4e79",
                ecolor="#1f4e79",
                capsize=3,
            )
        else:
            ax.plot(est, y, "o", color="#1f4e79")
        labels.append((y, str(r.get("title") or r.get("measure_id"))))
    reasons = reason_labels or {}
    for j, r in enumerate(unranked):
        y = n - 1 - len(ranked) - j
        note = reasons.get(r.get("reason") or "", not_ranked_label)
        ax.annotate(
            note,
            xy=(0, y),
            xycoords=("axes fraction", "data"),
            xytext=(6, 0),
            textcoords="offset points",
            va="center",
            color="#666666",
            fontstyle="italic",
        )
        labels.append((y, str(r.get("title") or r.get("measure_id"))))
    if ranked and unranked:
        ax.axhline(len(unranked) - 0.5, color="#cccccc", linewidth=0.8)
    ax.axvline(0, color="#888888", linewidth=1, linestyle="--")
    ax.set_yticks([y for y, _ in labels], [t for _, t in labels])
    ax.set_ylim(-0.7, n - 0.3)
    ax.set_xlabel(xlabel or (f"{outcome} (%-points)" if percent else outcome))
    ax.grid(axis="x", alpha=0.3)
    return fig
