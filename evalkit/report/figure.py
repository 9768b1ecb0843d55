"""Figures for report pages: an inline image with an alt text that states the finding, and the
figure's data as an accessible HTML table (collapsed on screen, printed in full).

The page stays self-contained: the image is a data URI (SVG where that is smaller, otherwise PNG
at ``PNG_DPI``), nothing is fetched. Words (alt text, captions, the "show the data" label, column
headers) and formatted numbers come from the caller, i.e. the report's wording module.
"""

from __future__ import annotations

import base64
import html
import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal
from urllib.parse import quote

import matplotlib as mpl
from matplotlib.figure import Figure

from evalkit.plots.theme import CSS_PX_PER_PT, PNG_DPI

ImageFormat = Literal["auto", "svg", "png"]
#: Characters kept as they are in an SVG data URI (the rest is percent-encoded); no quote,
#: no '#', no '%', no '<' or '>' so the URI is safe inside a double-quoted attribute.
_SVG_SAFE = " /:=;,.-_'()!*+?@~[]{}$"
_SVG_PROLOGUE = re.compile(r"\A.*?(?=<svg[\s>])", re.DOTALL)
_SVG_METADATA = re.compile(r"\s*<metadata>.*?</metadata>", re.DOTALL)


@dataclass(frozen=True)
class DataTable:
    """The numbers behind a figure, ready to show: caption, column headers and formatted rows.

    The first column names the row (it is marked up as the row header); ``numeric`` lists the
    columns to right-align.
    """

    caption: str
    header: Sequence[str]
    rows: Sequence[Sequence[Any]]
    numeric: Iterable[int] = field(default_factory=tuple)


@dataclass(frozen=True)
class EncodedImage:
    """A figure as a data URI with its display size in CSS px."""

    uri: str
    mime: str
    width: int
    height: int


def _esc(value: Any) -> str:
    return html.escape("" if value is None else str(value), quote=True)


def _svg(fig: Figure) -> str:
    """The figure as SVG with real text (small, sharp, searchable) and stable ids; without the
    XML prologue, DOCTYPE and RDF metadata, which an inline image does not need."""
    buf = io.BytesIO()
    with mpl.rc_context({"svg.fonttype": "none", "svg.hashsalt": "evalkit"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    svg = buf.getvalue().decode("utf-8")
    svg = _SVG_PROLOGUE.sub("", svg, count=1)
    return _SVG_METADATA.sub("", svg, count=1)


def _png(fig: Figure, dpi: int) -> bytes:
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    return buf.getvalue()


def encode_figure(fig: Figure, fmt: ImageFormat = "auto", *, dpi: int = PNG_DPI) -> EncodedImage:
    """A data URI of the figure: SVG or PNG, or with ``auto`` whichever is smaller.

    Its display size is the figure's natural size (1 in = 96 CSS px), so text keeps its point
    size on screen and in print whatever the format.
    """
    width_in, height_in = fig.get_size_inches()
    width = round(width_in * 72 * CSS_PX_PER_PT)
    height = round(height_in * 72 * CSS_PX_PER_PT)
    candidates = []
    if fmt in ("auto", "svg"):
        svg = _svg(fig)
        candidates.append(("image/svg+xml", "data:image/svg+xml," + quote(svg, safe=_SVG_SAFE)))
    if fmt in ("auto", "png"):
        data = base64.b64encode(_png(fig, dpi)).decode("ascii")
        candidates.append(("image/png", "data:image/png;base64," + data))
    if not candidates:
        raise ValueError(f"unknown image format {fmt!r}: use 'auto', 'svg' or 'png'")
    mime, uri = min(candidates, key=lambda c: len(c[1]))
    return EncodedImage(uri=uri, mime=mime, width=width, height=height)


def image_html(fig: Figure, alt: str, *, fmt: ImageFormat = "auto") -> str:
    """An ``<img>`` of the figure at its natural size, with its alt text."""
    image = encode_figure(fig, fmt)
    return (
        f'<img src="{image.uri}" alt="{_esc(alt)}" width="{image.width}" '
        f'height="{image.height}" class="evalkit-chart">'
    )


def scroll_region(inner: str, label: str) -> str:
    """Wide content in its own labelled, keyboard-focusable region that scrolls sideways.

    The page itself never scrolls sideways (WCAG 1.4.10 reflow at 320 CSS px); a table wider
    than the screen scrolls inside this region, which a keyboard user can focus and scroll.
    """
    return (
        f'<div class="table-wrap" role="region" aria-label="{_esc(label)}" tabindex="0">'
        f"{inner}</div>"
    )


def table_html(data: DataTable, *, css_class: str = "evalkit-table") -> str:
    """An accessible table: caption, column headers, the first cell of each row as row header."""
    num = set(data.numeric)

    def cls(i: int) -> str:
        return ' class="num"' if i in num else ""

    head = "".join(f'<th scope="col"{cls(i)}>{_esc(h)}</th>' for i, h in enumerate(data.header))
    body = []
    for row in data.rows:
        cells = [
            f'<th scope="row"{cls(i)}>{_esc(v)}</th>' if i == 0 else f"<td{cls(i)}>{_esc(v)}</td>"
            for i, v in enumerate(row)
        ]
        body.append(f"<tr>{''.join(cells)}</tr>")
    table = (
        f'<table class="{css_class}"><caption>{_esc(data.caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )
    return scroll_region(table, data.caption)


def alt_text(what: str, finding: str = "") -> str:
    """The alt text of a chart: what it shows, then the finding in a sentence (when there is one).

    ``what`` is e.g. "Diagram: effekten på andelen i arbete eller studier enligt fem metoder.";
    ``finding`` states the result, e.g. "Alla metoder utom den okorrigerade visar en ökning med
    5–8 procentenheter."
    """
    return " ".join(part.strip() for part in (what, finding) if part and part.strip())


def figure_with_data(
    fig: Figure,
    *,
    alt: str,
    data: DataTable,
    show_data: str,
    caption: str | None = None,
    fmt: ImageFormat = "auto",
) -> str:
    """A chart with its alt text, optional visible caption (above it), and its data table.

    The table sits in a ``<details>`` element whose summary is ``show_data`` (e.g. "Visa
    diagrammets data som tabell"): collapsed on screen, expanded when printed (the print
    stylesheet opens it). Build ``alt`` with ``alt_text(what, finding)``. On a narrow screen the
    chart keeps a width at which its text stays legible and scrolls sideways in its own region.
    """
    cap = f"<figcaption>{_esc(caption)}</figcaption>" if caption else ""
    chart = scroll_region(image_html(fig, alt, fmt=fmt), caption or data.caption)
    return (
        f'<figure class="evalkit-figure">{cap}{chart.replace("table-wrap", "chart-wrap", 1)}'
        f'<details class="figure-data"><summary>{_esc(show_data)}</summary>'
        f"{table_html(data)}</details></figure>"
    )
