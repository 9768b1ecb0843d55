"""HTML building blocks for reports: number formats, escaped tables, inline figures, sections.

Everything returns plain HTML strings (or a ``Section`` that displays as HTML in JupyterLab), so
a report is self-contained: images are inline (SVG or PNG) with alt text, nothing refers to the
network. Tables are rendered by Jinja2 macros with autoescaping: every cell is text unless it is
deliberately ``Markup`` (a link built with ``link``), and no HTML is edited by string replacement.

Numbers are formatted once, here: each ``fmt_*`` returns a ``Shown`` text that remembers the
number it shows (in the unit shown), so every table can be downloaded as CSV and Excel with real
numbers (``evalkit.report.downloads``), and a table says under it what a dash means.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup
from matplotlib.figure import Figure

from evalkit.report.downloads import current_lang, download_links
from evalkit.report.figure import image_html, scroll_region
from evalkit.report.wording import plural, words

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


class Shown(str):
    """A formatted number: the text a reader sees, and the number behind it in the unit shown.

    ``value`` is a float, a ``(low, high)`` pair for an interval, or None when nothing is shown
    (suppressed or not computed: ``hidden``); ``clipped`` marks an interval cut at the bounds a
    share allows.
    """

    value: float | tuple[float, float] | None
    clipped: bool

    def __new__(
        cls, text: str, value: float | tuple[float, float] | None = None, clipped: bool = False
    ) -> Shown:
        out = super().__new__(cls, text)
        out.value = value
        out.clipped = clipped
        return out

    @property
    def hidden(self) -> bool:
        """Nothing shown: the value was suppressed or not computed."""
        return self.value is None


def number(value: Any) -> float | None:
    """A finite float, or None (suppressed, missing, NaN)."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _absent(lang: str) -> Shown:
    return Shown(words(lang)["suppressed"])


def fmt_num(value: Any, lang: str = "sv", decimals: int = 0) -> Shown:
    """A number in the language's style (Swedish: 12 345,6 and a true minus sign); – if absent."""
    x = number(value)
    w = words(lang)
    if x is None:
        return _absent(lang)
    if round(x, decimals) == 0:
        x = 0.0
    text = f"{abs(x):,.{decimals}f}"
    text = text.replace(",", "\x00").replace(".", w["decimal"]).replace("\x00", w["thousands"])
    return Shown((w["minus"] + text) if x < 0 else text, round(x, decimals))


def fmt_count(value: Any, lang: str = "sv") -> Shown:
    """A count (integer); – when suppressed."""
    return fmt_num(value, lang, 0)


def fmt_share(value: Any, lang: str = "sv", decimals: int = 0) -> Shown:
    """A share 0–1 as a percentage: '43 %' (sv) or '43%' (en)."""
    x = number(value)
    if x is None:
        return _absent(lang)
    shown = fmt_num(100 * x, lang, decimals)
    return Shown(shown + ("\u00a0%" if lang == "sv" else "%"), shown.value)


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


#: An effect on a share lies within ±1 (±100 percentage points).
SHARE_EFFECT_BOUNDS = (-1.0, 1.0)


def fmt_effect(value: Any, outcome: str | None, lang: str = "sv", kind: str | None = None) -> Shown:
    """An effect in its natural unit: percentage points for shares, SEK for amounts.

    ``kind`` (``share``, ``sek``, ``num``) is the outcome's unit where the caller knows it (a
    binary table-mode outcome); by default it follows from the outcome's name.
    """
    x = number(value)
    if x is None:
        return _absent(lang)
    kind = kind or kind_of(outcome)
    if kind == "share":
        return fmt_num(100 * x, lang, 1)
    if kind == "sek":
        return fmt_num(x, lang, 0)
    return fmt_num(x, lang, 2)


def fmt_interval(
    lo: Any, hi: Any, outcome: str | None, lang: str = "sv", kind: str | None = None
) -> Shown:
    """An interval 'lo – hi' in the outcome's unit; – when a bound is absent.

    An interval of an effect on a share is cut at ±100 percentage points (no effect on a share
    can be larger) and says so: '17,1 – 100,0 (avkortat)'.
    """
    a, b = number(lo), number(hi)
    if a is None or b is None:
        return _absent(lang)
    kind = kind or kind_of(outcome)
    clipped = False
    if kind == "share":
        low, high = SHARE_EFFECT_BOUNDS
        clipped = a < low or b > high
        a, b = max(a, low), min(b, high)
    x, y = fmt_effect(a, outcome, lang, kind), fmt_effect(b, outcome, lang, kind)
    text = f"{x}\u2009–\u2009{y}" + (f" ({words(lang)['clipped']})" if clipped else "")
    return Shown(text, (x.value, y.value), clipped)


def fmt_p(value: Any, lang: str = "sv") -> Shown:
    """A p-value: '<0,001' below a thousandth, else three decimals."""
    x = number(value)
    if x is None:
        return _absent(lang)
    if x < 0.001:
        return Shown("<" + fmt_num(0.001, lang, 3), 0.001)
    return fmt_num(x, lang, 3)


def p_phrase(value: Any, lang: str = "sv") -> str:
    """A p-value in a sentence: 'p = 0,123', or 'p < 0,001' (never 'p = <0,001')."""
    shown = str(fmt_p(value, lang))
    return f"p {shown[0]} {shown[1:]}" if shown.startswith("<") else f"p = {shown}"


def with_unit(shown: str, unit: str, lang: str = "sv") -> str:
    """A formatted number with its unit in words: '1 procentenhet', '5,2 procentenheter', '1 553 kr'.

    ``unit`` is a key of the wording's ``units`` (``pp``, ``sek``, ``sek_month``, ``persons``,
    ``person_months``, ``participants``, ``months``); the singular is used for exactly one.
    """
    if shown == words(lang)["suppressed"]:
        return str(shown)
    template = plural(lang, unit, one=str(shown).lstrip(words(lang)["minus"]) == "1")
    return template.format(n=shown)


def table(
    header: Sequence[Any],
    rows: Iterable[Sequence[Any]],
    *,
    caption: str | None = None,
    numeric: Iterable[int] = (),
    css_class: str = "evalkit-table",
    download: bool = True,
    name: str | None = None,
    label: str | None = None,
) -> str:
    """An escaped HTML table (in a scrolling wrapper); columns in ``numeric`` are right-aligned.

    Cells are text (``None`` shows as empty) unless they are ``Markup``, e.g. from ``link``.
    Under the table: what a dash means when one is shown, a note when an interval was cut, and
    (``download``) links that save the table as CSV or Excel (``evalkit.report.downloads``;
    ``name`` is the file's name, default the page's next; ``label`` names the table in the links
    when it has no caption, e.g. the heading above it).
    """
    rows = [list(r) for r in rows]
    lang = current_lang()
    w = words(lang)
    cells = [c for r in rows for c in r]
    out = str(
        _TABLES.table(
            [_cell(h) for h in header],
            [[_cell(v) for v in row] for row in rows],
            caption=caption,
            numeric=tuple(numeric),
            css_class=css_class,
        )
    )
    notes = []
    if any(isinstance(c, Shown) and c.hidden for c in cells):
        notes.append(w["table_notes"]["hidden"])
    if any(isinstance(c, Shown) and c.clipped for c in cells):
        notes.append(w["table_notes"]["clipped"])
    if notes:
        out += paragraph(" ".join(notes), "note table-note")
    if download and rows:
        out += download_links(header, rows, label=caption or label, name=name)
    return out


def _cell(value: Any) -> Any:
    """A table cell's content: Markup as it is, None as empty, anything else as text."""
    if isinstance(value, Markup):
        return value
    return "" if value is None else str(value)


def link(href: str, text: str) -> Markup:
    """A link (both parts escaped) that a table shows as a link, not as text."""
    return Markup('<a href="{}">{}</a>').format(href, text)


def figure_img(fig: Figure, alt: str, *, caption: str | None = None) -> str:
    """A figure as an inline image (SVG or PNG, whichever is smaller) with its alt text, in its
    own scrolling region so that its text stays legible on a phone; ``caption`` above it."""
    region = caption or alt.split(".")[0]
    chart = scroll_region(image_html(fig, alt), region).replace("table-wrap", "chart-wrap", 1)
    cap = f"<figcaption>{esc(caption)}</figcaption>" if caption else ""
    return f'<figure class="evalkit-figure">{cap}{chart}</figure>'


def paragraph(text: str, css_class: str | None = None) -> str:
    """An escaped paragraph."""
    cls = f' class="{css_class}"' if css_class else ""
    return f"<p{cls}>{esc(text)}</p>"


def keep_together(*parts: str) -> str:
    """Pieces that print on one page: a heading with the table it introduces (a heading is
    never left alone at the foot of a printed page)."""
    return f'<div class="keep-together">{"".join(parts)}</div>'


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
