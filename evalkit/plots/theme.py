"""The one evalkit look for figures: seaborn theme, colour-blind-safe palette, print-size text.

Every figure function draws inside ``theme(lang)`` so that the report's figures share one style
without changing the caller's global matplotlib settings. Numbers on axes follow the report
language (Swedish: decimal comma, space between thousands, true minus sign).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

import matplotlib as mpl
import numpy as np
import seaborn as sns
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

#: Okabe & Ito's colour-blind-safe colours that reach 3:1 contrast on white (WCAG 1.4.11):
#: blue 5.2:1, vermillion 3.9:1, bluish green 3.4:1, reddish purple 3.1:1, black.
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#000000")
MAIN = PALETTE[0]
HIGHLIGHT = PALETTE[1]
#: Grey for secondary marks (before adjustment, periods before start): 4.5:1 on white.
MUTED = "#767676"
#: Light grey for guide lines that carry no data.
GUIDE = "#9a9a9a"

#: Figure width in inches: 6.5 in = 624 CSS px, which fits an A4 page within 15 mm margins, so a
#: figure prints at its natural size and its text keeps the sizes below.
WIDTH_IN = 6.5
#: Text sizes in points; at natural size 1 pt = 4/3 CSS px, so the smallest text (9 pt) is 12 px.
FONT_PT = 10.0
SMALL_PT = 9.0
CSS_PX_PER_PT = 96 / 72

#: Tick steps (times a power of ten) that read as round numbers.
ROUND_STEPS = (1, 2, 2.5, 5, 10)

#: Resolution of PNG figures (SVG is preferred where it is smaller).
PNG_DPI = 150

_NUMBER_STYLE = {
    "sv": {"decimal": ",", "thousands": "\u00a0", "percent": "\u00a0%"},
    "en": {"decimal": ".", "thousands": ",", "percent": "%"},
}
_MINUS = "\u2212"


def theme_rc() -> dict[str, object]:
    """The matplotlib settings of the evalkit theme (seaborn's white grid, evalkit's sizes)."""
    rc = dict(sns.axes_style("whitegrid"))
    rc.update(sns.plotting_context("paper"))
    rc.update(
        {
            "font.size": FONT_PT,
            "axes.titlesize": FONT_PT + 1,
            "axes.titleweight": "bold",
            "axes.labelsize": FONT_PT,
            "xtick.labelsize": SMALL_PT,
            "ytick.labelsize": SMALL_PT,
            "legend.fontsize": SMALL_PT,
            "legend.title_fontsize": SMALL_PT,
            "axes.edgecolor": "#595959",
            "axes.labelcolor": "#1b1b1b",
            "text.color": "#1b1b1b",
            "xtick.color": "#1b1b1b",
            "ytick.color": "#1b1b1b",
            "grid.color": "#e3e3e3",
            "axes.prop_cycle": mpl.cycler(color=list(PALETTE)),
            "axes.unicode_minus": True,
            "svg.fonttype": "none",
            "figure.dpi": 100,
        }
    )
    return rc


@contextmanager
def theme(lang: str = "sv") -> Iterator[None]:
    """Draw inside the evalkit theme; the caller's settings are restored afterwards."""
    del lang  # one look for both languages; numbers are set per axis (``format_axis``)
    with mpl.rc_context(theme_rc()):
        yield


def new_figure(height: float, width: float = WIDTH_IN) -> tuple[Figure, Axes]:
    """A figure and its one axes (no pyplot state), laid out to keep labels inside."""
    fig = Figure(figsize=(width, height), layout="constrained")
    return fig, fig.add_subplot()


def format_number(value: float, lang: str = "sv", decimals: int = 0) -> str:
    """A number in the language's style: '12 345,6' and '−3' in Swedish, '12,345.6' in English."""
    style = _NUMBER_STYLE.get(lang, _NUMBER_STYLE["sv"])
    if not math.isfinite(value):
        return ""
    if round(value, decimals) == 0:
        value = 0.0
    text = f"{abs(value):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", style["decimal"])
    text = text.replace("\x00", style["thousands"])
    return _MINUS + text if value < 0 else text


def format_percent(value: float, lang: str = "sv", decimals: int = 0) -> str:
    """A share 0–1 as a percentage in the language's style ('43 %' or '43%')."""
    style = _NUMBER_STYLE.get(lang, _NUMBER_STYLE["sv"])
    return format_number(100 * value, lang, decimals) + style["percent"]


def _decimals_for(ticks: Iterable[float]) -> int:
    """Fewest decimals that tell the tick values apart (at most 3)."""
    values = [t for t in ticks if math.isfinite(t)]
    for d in range(4):
        if len({round(t, d) for t in values}) == len(values) and all(
            abs(t - round(t, d)) < 1e-9 * max(1.0, abs(t)) for t in values
        ):
            return d
    return 3


def number_formatter(lang: str = "sv", *, percent: bool = False, absolute: bool = False):
    """A tick formatter in the language's number style (shares as percent, optionally |x|)."""

    def fmt(x: float, _pos: int | None = None) -> str:
        v = abs(x) if absolute else x
        if percent:
            return format_percent(v, lang, _decimals_for([v * 100]))
        return format_number(v, lang, _decimals_for([v]))

    return FuncFormatter(fmt)


def format_axis(
    ax: Axes,
    axis: str,
    lang: str = "sv",
    *,
    percent: bool = False,
    absolute: bool = False,
    nbins: int = 6,
    integer: bool = False,
) -> None:
    """Few, round ticks on one axis, labelled in the report language's number style."""
    target = ax.xaxis if axis == "x" else ax.yaxis
    target.set_major_locator(MaxNLocator(nbins=nbins, steps=ROUND_STEPS, integer=integer))
    target.set_major_formatter(number_formatter(lang, percent=percent, absolute=absolute))


def fit_limits(
    values: Iterable[float],
    *,
    include: Iterable[float] = (),
    bounds: tuple[float, float] | None = None,
    pad: float = 0.06,
) -> tuple[float, float]:
    """Axis limits that hold every finite value (and ``include``), padded, within ``bounds``.

    ``bounds`` is the range the quantity can take (a share 0–1, an effect on a share −100 to
    100 percentage points): the axis never runs beyond it.
    """
    arr = np.array([*values, *include], dtype=float)
    arr = arr[np.isfinite(arr)]
    if arr.size == 0:
        lo, hi = (0.0, 1.0) if bounds is None else bounds
        return float(lo), float(hi)
    lo, hi = float(arr.min()), float(arr.max())
    span = hi - lo if hi > lo else max(abs(hi), 1.0)
    lo, hi = lo - pad * span, hi + pad * span
    if bounds is not None:
        lo, hi = max(lo, bounds[0]), min(hi, bounds[1])
    return lo, hi


def text_sizes_px(fig: Figure) -> list[float]:
    """The size in CSS px, at the figure's natural print size, of every visible text in it."""
    fig.draw_without_rendering()
    sizes = []
    for text in fig.findobj(mpl.text.Text):
        if text.get_visible() and text.get_text().strip():
            sizes.append(float(text.get_fontsize()) * CSS_PX_PER_PT)
    return sizes
