"""Point estimates with confidence intervals on horizontal rows: the part both forest plots share."""

from __future__ import annotations

import numpy as np
import pandas as pd
import seaborn as sns
from matplotlib.axes import Axes

from evalkit.plots.theme import GUIDE, fit_limits

#: Share outcomes are drawn in percentage points: an effect on a share lies within ±100.
PERCENT_POINT_BOUNDS = (-100.0, 100.0)


def interval_rows(
    estimate: np.ndarray, ci_low: np.ndarray, ci_high: np.ndarray, colors: list[str]
) -> pd.DataFrame:
    """The rows to draw, top to bottom: y position, point, interval and colour."""
    n = len(estimate)
    return pd.DataFrame(
        {
            "y": np.arange(n - 1, -1, -1, dtype=float),
            "estimate": np.asarray(estimate, dtype=float),
            "ci_low": np.asarray(ci_low, dtype=float),
            "ci_high": np.asarray(ci_high, dtype=float),
            "color": colors,
        }
    )


def draw_intervals(
    ax: Axes,
    rows: pd.DataFrame,
    *,
    bounds: tuple[float, float] | None = None,
    y_extent: int | None = None,
) -> None:
    """Intervals as lines with caps, points on top, a dashed line at zero; the x axis fits the data.

    Where an interval runs past ``bounds`` (the range the quantity can take) it is cut at the
    bound and ends in an arrow head, so the axis never shows impossible values.
    """
    drawn = rows[np.isfinite(rows["estimate"])]
    lo, hi = drawn["ci_low"].to_numpy(), drawn["ci_high"].to_numpy()
    has_ci = np.isfinite(lo) & np.isfinite(hi)
    left, right = fit_limits(
        [*drawn["estimate"], *lo[has_ci], *hi[has_ci]], include=(0.0,), bounds=bounds
    )
    for row, ok in zip(drawn.itertuples(index=False), has_ci, strict=True):
        if not ok:
            continue
        a, b = max(row.ci_low, left), min(row.ci_high, right)
        ax.hlines(row.y, a, b, color=row.color, linewidth=1.6, zorder=2)
        for end, cut, marker in ((a, row.ci_low < left, "<"), (b, row.ci_high > right, ">")):
            if cut:
                ax.plot(end, row.y, marker=marker, color=row.color, markersize=6, zorder=3)
            else:
                ax.vlines(end, row.y - 0.15, row.y + 0.15, color=row.color, linewidth=1.2)
    sns.scatterplot(
        data=drawn,
        x="estimate",
        y="y",
        hue="color",
        palette={c: c for c in drawn["color"].unique()},
        s=42,
        edgecolor="white",
        linewidth=0.6,
        legend=False,
        zorder=4,
        ax=ax,
    )
    ax.axvline(0.0, color=GUIDE, linewidth=1.0, linestyle="--", zorder=1)
    ax.set_xlim(left, right)
    extent = len(rows) if y_extent is None else y_extent
    ax.set_ylim(-0.7, extent - 0.3)
    ax.set_ylabel("")
    ax.grid(axis="y", visible=False)
