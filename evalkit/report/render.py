"""HTML building blocks for reports: number formats, escaped tables, inline figures, sections.

Everything returns plain HTML strings (or a ``Section`` that displays as HTML in JupyterLab), so
a report is self-contained: images are base64 PNG with alt text, nothing refers to the network.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from matplotlib.figure import Figure

from evalkit.report.wording import words


@dataclass(frozen=True)
class Section:
    """One report section: a key (its anchor id) and its HTML; renders as HTML in notebooks."""

    key: str
    html: str

    def _repr_html_(self) -> str:
        return self.html

    def __str__(self) -> str:
        return self.html


def esc(value: Any) -> str:
    """HTML-escape any value as text."""
    return html.escape("" if value is None else str(value), quote=True)


def number(value: Any) -> float | None:
    """A finite float, or None (suppressed, missing, NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def fmt_num(value: Any, lang: str = "sv", decimals: int = 0) -> str:
    """A number in the language's style (Swedish: 12 345,6 and a true minus sign); – if absent."""
    x = number(value)
    w = words(lang)
    if x is None:
        return w["suppressed"]
    if round(x, decimals) == 0:
        x = 0.0
    text = f"{abs(x):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", w["decimal"]).replace("\x00", w["thousands"])
    return (w["minus"] + text) if x < 0 else text


def fmt_count(value: Any, lang: str = "sv") -> str:
    """A count (integer); – when suppressed."""
    return fmt_num(value, lang, 0)


def fmt_share(value: Any, lang: str = "sv", decimals: int = 0) -> str:
    """A share 0–1 as a percentage: '43 %' (sv) or '43%' (en)."""
    x = number(value)
    if x is None:
        return words(lang)["suppressed"]
    return fmt_num(100 * x, lang, decimals) + ("\u00a0%" if lang == "sv" else "%")


def is_share_outcome(outcome: str | None) -> bool:
    """Whether an outcome is a 0/1 share (its effects are percentage points)."""
    return bool(outcome) and str(outcome).startswith("work_or_study")


def is_sek_outcome(outcome: str | None) -> bool:
    """Whether an outcome is an amount in SEK."""
    return bool(outcome) and "_sek" in str(outcome)


def fmt_effect(value: Any, outcome: str | None, lang: str = "sv") -> str:
    """An effect in its natural unit: percentage points for shares, SEK for amounts."""
    x = number(value)
    if x is None:
        return words(lang)["suppressed"]
    if is_share_outcome(outcome):
        return fmt_num(100 * x, lang, 1)
    if is_sek_outcome(outcome):
        return fmt_num(x, lang, 0)
    return fmt_num(x, lang, 2)


def fmt_interval(lo: Any, hi: Any, outcome: str | None, lang: str = "sv") -> str:
    """An interval 'lo – hi' in the outcome's unit; – when a bound is absent."""
    if number(lo) is None or number(hi) is None:
        return words(lang)["suppressed"]
    return f"{fmt_effect(lo, outcome, lang)}\u2009–\u2009{fmt_effect(hi, outcome, lang)}"


def fmt_p(value: Any, lang: str = "sv") -> str:
    """A p-value: '<0,001' below a thousandth, else three decimals."""
    x = number(value)
    if x is None:
        return words(lang)["suppressed"]
    if x < 0.001:
        return "<" + fmt_num(0.001, lang, 3)
    return fmt_num(x, lang, 3)


NUM = ' class="num"'


def table(
    header: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
    css_class: str = "evalkit-table",
) -> str:
    """An escaped HTML table (in a scrolling wrapper); columns in ``numeric`` are right-aligned."""
    num = set(numeric)
    head = "".join(
        f'<th scope="col"{NUM if i in num else ""}>{esc(h)}</th>' for i, h in enumerate(header)
    )
    body = []
    for row in rows:
        cells = "".join(f"<td{NUM if i in num else ''}>{esc(v)}</td>" for i, v in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    cap = f"<caption>{esc(caption)}</caption>" if caption else ""
    return (
        f'<div class="table-wrap"><table class="{css_class}">{cap}<thead><tr>{head}</tr></thead>'
        f"<tbody>{''.join(body)}</tbody></table></div>"
    )


def figure_img(fig: Figure, alt: str, *, dpi: int = 110) -> str:
    """A figure as an inline base64 PNG ``<img>`` with alt text (no metadata, no file)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, metadata={"Software": None})
    data = base64.b64encode(buf.getvalue()).decode("ascii")
    return f'<figure><img src="data:image/png;base64,{data}" alt="{esc(alt)}"></figure>'


def paragraph(text: str, css_class: str | None = None) -> str:
    """An escaped paragraph."""
    cls = f' class="{css_class}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>"


def heading(key: str, text: str, level: int = 2) -> str:
    """A heading with an anchor id (the table of contents links to level-2 headings)."""
    return f'<h{level} id="{esc(key)}">{esc(text)}</h{level}>'


def section(key: str, lang: str, *parts: str, lead: bool = True) -> Section:
    """A section with its heading and (optionally) its lead paragraph from the wording."""
    w = words(lang)
    body = [heading(key, w["sections"][key])]
    if lead and key in w["lead"]:
        body.append(paragraph(w["lead"][key], "lead"))
    body.extend(p for p in parts if p)
    return Section(
        key,
        f'<section class="evalkit-section" data-section="{esc(key)}">'
        + "".join(body)
        + "</section>",
    )
