"""What every section shares: the opening (ProtectedResults only, language, failed runs) and units."""

from __future__ import annotations

import functools
from collections.abc import Callable

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evalkit.report.render import (
    Section,
    fmt_num,
    kind_of,
    section,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    MeasureResults,
    ProtectedResults,
    require_protected,
)

EMPTY = ""


#: What a section builder returns: the parts of its section, or None for an empty section.
Parts = list[str] | None


def measure_section(
    key: str, *, on_failure: Callable[[ProtectedResults], Section] | None = None
) -> Callable[[Callable[[ProtectedResults, str], Parts]], Callable[[ProtectedResults], Section]]:
    """The opening every section shares: ``ProtectedResults`` only, its language, failed runs.

    The decorated builder gets the results and the language and returns the section's parts
    (None: nothing to show). A failed run shows ``on_failure`` (default: an empty section).
    """

    def wrap(build: Callable[[ProtectedResults, str], Parts]) -> Callable[..., Section]:
        @functools.wraps(build)
        def make(results: ProtectedResults) -> Section:
            r = require_protected(results)
            if r.is_failed:
                return on_failure(r) if on_failure else Section(key, EMPTY)
            parts = build(r, r.lang)
            return section(key, r.lang, *parts) if parts is not None else Section(key, EMPTY)

        return make

    return wrap


def outcome_kind(results: MeasureResults, outcome: str) -> str:
    """``share`` (0/1 outcome: effects in percentage points), ``sek`` or ``num``.

    Standard outcomes are known by name; for a table- or panel-mode outcome the MDE diagnostic
    says whether it is binary.
    """
    kind = kind_of(outcome)
    if kind != "num":
        return kind
    mde = results.diagnostics_of(outcome).mde
    return "share" if mde is not None and mde.binary is True else "num"


def unit_label(kind: str, lang: str) -> str:
    """The unit of an outcome's effects: percentage points, SEK, or none."""
    f = words(lang)["figures"]
    return f["pp"] if kind == "share" else f["sek"] if kind == "sek" else ""


def scale(kind: str) -> float:
    """Shares are drawn in percentage points."""
    return 100.0 if kind == "share" else 1.0


def axis_label(outcome: str, kind: str, lang: str) -> str:
    """An axis label: the outcome's name and the unit of its effects."""
    unit = unit_label(kind, lang)
    name = label(lang, "outcomes", outcome)
    return f"{name} ({unit})" if unit else name


def tidy_axis(fig: Figure, lang: str, axis: str, *, months_on_x: bool = False) -> Figure:
    """Fewer ticks, in the report language's number style (the shared plots use defaults)."""
    for ax in fig.axes:
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_locator(MaxNLocator(nbins=6))
        target.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_num(x, lang, 0)))
        if months_on_x:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_num(x, lang, 0)))
    return fig
