"""Love plot: absolute standardised mean differences before and after adjustment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.figure import Figure

from evalkit.plots.theme import HIGHLIGHT, MAIN, MUTED, fit_limits, format_axis, new_figure, theme


def love_frame(
    balance: pd.DataFrame | Sequence[Mapping[str, Any]], labels: Mapping[str, str] | None = None
) -> pd.DataFrame:
    """One row per covariate, largest |SMD| before adjustment on top: label, y, before, after."""
    frame = pd.DataFrame(list(balance) if not isinstance(balance, pd.DataFrame) else balance)
    labels = dict(labels or {})
    before = pd.to_numeric(frame["smd_before"], errors="coerce").abs()
    after = (
        pd.to_numeric(frame["smd_after"], errors="coerce").abs()
        if "smd_after" in frame
        else before * np.nan
    )
    out = pd.DataFrame(
        {
            "covariate": frame["covariate"].astype(str),
            "before": before.to_numpy(dtype=float),
            "after": after.to_numpy(dtype=float),
        }
    )
    out["label"] = [labels.get(c, c) for c in out["covariate"]]
    order = np.argsort(out["before"].fillna(0).to_numpy(), kind="stable")
    out = out.iloc[order].reset_index(drop=True)
    out["y"] = np.arange(len(out), dtype=float)
    return out


def love_plot(
    balance: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Before",
    after_label: str = "After",
    xlabel: str = "|Standardised mean difference|",
    threshold: float | None = 0.1,
    title: str | None = None,
    lang: str = "sv",
) -> Figure:
    """|SMD| per covariate before (open grey circles) and after (filled blue) weighting/matching.

    ``balance`` is ``balance_table(...)`` or the ``diagnostics.balance`` rows; ``labels`` maps
    covariate names to display words; a dashed line marks ``threshold`` (0.1 by convention).
    Covariates are sorted by |SMD| before adjustment, largest on top; numbers follow ``lang``.
    """
    rows = love_frame(balance, labels)
    has_after = bool(np.isfinite(rows["after"]).any())
    with theme(lang):
        fig, ax = new_figure(1.3 + 0.3 * max(len(rows), 1))
        if has_after:
            for r in rows.itertuples(index=False):
                if np.isfinite(r.before) and np.isfinite(r.after):
                    ax.plot([r.before, r.after], [r.y, r.y], color="#cfcfcf", linewidth=1.0)
        sns.scatterplot(
            data=rows,
            x="before",
            y="y",
            facecolors="none",
            edgecolor=MUTED,
            linewidth=1.2,
            s=36,
            label=before_label,
            zorder=3,
            ax=ax,
        )
        if has_after:
            sns.scatterplot(
                data=rows, x="after", y="y", color=MAIN, s=36, label=after_label, zorder=4, ax=ax
            )
        if threshold is not None:
            ax.axvline(threshold, color=HIGHLIGHT, linewidth=1.0, linestyle="--")
        values = [*rows["before"], *rows["after"]]
        ax.set_xlim(0, fit_limits(values, include=(0.0, threshold or 0.0))[1])
        ax.set_ylim(-0.7, len(rows) - 0.3)
        ax.set_yticks(rows["y"].tolist(), rows["label"].tolist())
        ax.set_xlabel(xlabel)
        ax.set_ylabel("")
        ax.grid(axis="y", visible=False)
        format_axis(ax, "x", lang)
        if title:
            ax.set_title(title)
        ax.legend(loc="lower right", frameon=True, framealpha=0.9, edgecolor="none")
    return fig
