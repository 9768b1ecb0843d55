"""Love plot: absolute standardised mean differences before and after adjustment."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd
from matplotlib.figure import Figure


def love_plot(
    balance: pd.DataFrame | Sequence[Mapping[str, Any]],
    *,
    labels: Mapping[str, str] | None = None,
    before_label: str = "Before",
    after_label: str = "After",
    xlabel: str = "|Standardised mean difference|",
    threshold: float | None = 0.1,
    title: str | None = None,
) -> Figure:
    """|SMD| per covariate before (open) and after (filled) weighting/matching.

    ``balance`` is ``balance_table(...)`` or the ``diagnostics.balance`` rows; ``labels`` maps
    covariate names to display words; a dashed line marks ``threshold`` (0.1 by convention).
    Covariates are sorted by |SMD| before adjustment, largest on top.
    """
    frame = pd.DataFrame(list(balance) if not isinstance(balance, pd.DataFrame) else balance)
    labels = dict(labels or {})
    before = frame["smd_before"].astype(float).abs()
    after = frame["smd_after"].astype(float).abs() if "smd_after" in frame else before * np.nan
    order = np.argsort(before.fillna(0).to_numpy(), kind="stable")
    n = len(frame)
    fig = Figure(figsize=(7.0, 1.2 + 0.32 * max(n, 1)), layout="constrained")
    ax = fig.add_subplot()
    ys = np.arange(n)
    b = before.to_numpy()[order]
    a = after.to_numpy()[order]
    ax.scatter(b, ys, facecolors="none", edgecolors="#7f7f7f", label=before_label, zorder=3)
    if np.isfinite(a).any():
        ax.scatter(a, ys, color="#1f4e79", label=after_label, zorder=3)
        for y, x0, x1 in zip(ys, b, a, strict=True):
            if np.isfinite(x0) and np.isfinite(x1):
                ax.plot([x0, x1], [y, y], color="0.8", linewidth=0.8, zorder=1)
    names = frame["covariate"].astype(str).to_numpy()[order]
    ax.set_yticks(ys, [labels.get(c, c) for c in names])
    if threshold is not None:
        ax.axvline(threshold, color="#b5472a", linewidth=0.8, linestyle="--")
    ax.set_xlim(left=0)
    ax.set_xlabel(xlabel)
    if title:
        ax.set_title(title)
    ax.legend(loc="lower right", frameon=False)
    ax.grid(axis="x", alpha=0.3)
    return fig
