"""HTML building blocks for reports: number formats, escaped tables, inline figures, sections.

Everything returns plain HTML strings (or a ``Section`` that displays as HTML in JupyterLab), so
a report is self-contained: images are base64 PNG with alt text, nothing refers to the network.
Tables are rendered by Jinja2 macros with autoescaping: every cell is text unless it is
deliberately ``Markup`` (a link built with ``link``), and no HTML is edited by string replacement.
"""

from __future__ import annotations

import base64
import html
import io
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from evalkit.report.wording import words

#: The table macros (kept beside the code that calls them; the page templates are nbconvert's).
_MACROS = {
    "tables.html.j2": (
        "{% macro cell(tag, value, numeric, scope=none) -%}"
        '<{{ tag }}{% if scope %} scope="{{ scope }}"{% endif %}'
        '{% if numeric %} class="num"{% endif %}>{{ value }}</{{ tag }}>'
        "{%- endmacro %}"
        "{% macro table(header, rows, caption=none, numeric=(), css_class='evalkit-table') -%}"
        '<div class="table-wrap"><table class="{{ css_class }}">'
        "{% if caption %}<caption>{{ caption }}</caption>{% endif %}"
        "<thead><tr>{% for h in header %}{{ cell('th', h, loop.index0 in numeric, 'col') }}"
        "{% endfor %}</tr></thead><tbody>"
        "{% for row in rows %}<tr>{% for v in row %}{{ cell('td', v, loop.index0 in numeric) }}"
        "{% endfor %}</tr>{% endfor %}</tbody></table></div>"
        "{%- endmacro %}"
    )
}
_JINJA = Environment(
    loader=DictLoader(_MACROS),
    autoescape=select_autoescape(default=True, default_for_string=True),
)
_TABLES = _JINJA.get_template("tables.html.j2").module


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
    """Whether an outcome is a 0/1 share (its effects are percentage points); months in work or
    studies over a horizon (``work_or_study_months_<h>m``) are a count of months, not a share."""
    text = str(outcome or "")
    return text.startswith("work_or_study") and not text.startswith("work_or_study_months")


def is_sek_outcome(outcome: str | None) -> bool:
    """Whether an outcome is an amount in SEK."""
    return bool(outcome) and "_sek" in str(outcome)


def kind_of(outcome: str | None) -> str:
    """The unit of an outcome known by its name: ``share``, ``sek`` or ``num``."""
    return "share" if is_share_outcome(outcome) else "sek" if is_sek_outcome(outcome) else "num"


def fmt_effect(value: Any, outcome: str | None, lang: str = "sv", kind: str | None = None) -> str:
    """An effect in its natural unit: percentage points for shares, SEK for amounts.

    ``kind`` (``share``, ``sek``, ``num``) is the outcome's unit where the caller knows it (a
    binary table-mode outcome); by default it follows from the outcome's name.
    """
    x = number(value)
    if x is None:
        return words(lang)["suppressed"]
    kind = kind or kind_of(outcome)
    if kind == "share":
        return fmt_num(100 * x, lang, 1)
    if kind == "sek":
        return fmt_num(x, lang, 0)
    return fmt_num(x, lang, 2)


def fmt_interval(
    lo: Any, hi: Any, outcome: str | None, lang: str = "sv", kind: str | None = None
) -> str:
    """An interval 'lo – hi' in the outcome's unit; – when a bound is absent."""
    if number(lo) is None or number(hi) is None:
        return words(lang)["suppressed"]
    a, b = fmt_effect(lo, outcome, lang, kind), fmt_effect(hi, outcome, lang, kind)
    return f"{a}\u2009–\u2009{b}"


def fmt_p(value: Any, lang: str = "sv") -> str:
    """A p-value: '<0,001' below a thousandth, else three decimals."""
    x = number(value)
    if x is None:
        return words(lang)["suppressed"]
    if x < 0.001:
        return "<" + fmt_num(0.001, lang, 3)
    return fmt_num(x, lang, 3)


def table(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
    css_class: str = "evalkit-table",
) -> str:
    """An escaped HTML table (in a scrolling wrapper); columns in ``numeric`` are right-aligned.

    Cells are text (``None`` shows as empty) unless they are ``Markup``, e.g. from ``link``.
    """
    return str(
        _TABLES.table(
            [_cell(h) for h in header],
            [[_cell(v) for v in row] for row in rows],
            caption=caption,
            numeric=tuple(numeric),
            css_class=css_class,
        )
    )


def _cell(value: Any) -> Any:
    """A table cell's content: Markup as it is, None as empty, anything else as text."""
    if isinstance(value, Markup):
        return value
    return "" if value is None else str(value)


def link(href: str, text: str) -> Markup:
    """A link (both parts escaped) that a table shows as a link, not as text."""
    return Markup('<a href="{}">{}</a>').format(href, text)


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
