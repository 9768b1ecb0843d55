"""Every table of a report downloadable as CSV and Excel, embedded in the page itself.

A page stays one self-contained file: each table's data travel inside it as ``data:`` links with
a file name (``download``), so a reader saves ``jobbspar_vard-estimates-1.csv`` or ``.xlsx``
without any file beside the page. The numbers are the numbers the table shows, as numbers (not
text): percentages as percent, effects on shares in percentage points, amounts in kronor; an
interval becomes two columns (low, high); a dash (suppressed or not computed) an empty cell.
Swedish CSV uses semicolons and decimal commas, as Swedish Excel expects; English CSV commas and
points. Only protected results reach a table, so a download holds nothing a page does not.

``page_tables(prefix, lang)`` names the tables of one page (``<prefix>-<n>``) and sets their
language; ``evalkit.report.sections.base.measure_section`` opens it for every measure section.
"""

from __future__ import annotations

import base64
import contextlib
import contextvars
import csv
import html
import io
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import quote

from markupsafe import Markup

from evalkit.report.wording import words

CSV_MIME = "text/csv;charset=utf-8"
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: Excel limits a sheet name to 31 characters without []:*?/\.
_SHEET_BAD = re.compile(r"[\[\]:*?/\\]")
_TAG = re.compile(r"<[^>]+>")
_SLUG = re.compile(r"[^a-z0-9_]+")
#: The date written into every workbook, so that the same table gives the same file.
_FIXED_DATE = datetime(2000, 1, 1)


@dataclass
class _Page:
    """The tables of one page: file names ``<prefix>-<n>`` and the page's language."""

    prefix: str
    lang: str
    count: int = 0
    names: set[str] = field(default_factory=set)

    def next_name(self, hint: str | None) -> str:
        self.count += 1
        return f"{self.prefix}-{self.count}" if not hint else f"{self.prefix}-{slug(hint)}"


_PAGE: contextvars.ContextVar[_Page | None] = contextvars.ContextVar("evalkit_page", default=None)


@contextlib.contextmanager
def page_tables(prefix: str, lang: str = "sv") -> Iterator[None]:
    """Tables made inside get file names ``<prefix>-<n>`` and the words of ``lang``."""
    token = _PAGE.set(_Page(slug(prefix) or "tabell", lang))
    try:
        yield
    finally:
        _PAGE.reset(token)


def current_lang(default: str = "sv") -> str:
    """The language of the page being made (``page_tables``), else ``default``."""
    page = _PAGE.get()
    return page.lang if page is not None else default


def slug(text: str) -> str:
    """A file-name-safe form of a text: lower case ASCII and underscores, words joined by
    hyphens."""
    plain = text.lower().translate(str.maketrans("åäöéü", "aaoeu"))
    return _SLUG.sub("-", plain).strip("-")[:60]


@dataclass(frozen=True)
class Sheet:
    """A table's data as a reader downloads it: column names and rows of numbers or text."""

    name: str
    header: list[str]
    rows: list[list[Any]]


def _text(value: Any) -> str:
    """The plain text of a cell (a link's text, never its markup)."""
    if isinstance(value, Markup):
        return html.unescape(_TAG.sub("", str(value)))
    return "" if value is None else str(value)


def sheet_of(name: str, header: Sequence[Any], rows: Sequence[Sequence[Any]], lang: str) -> Sheet:
    """The data of a table: a formatted number becomes its number, an interval two columns."""
    w = words(lang)["downloads"]
    rows = [list(r) for r in rows]
    pairs = {
        i
        for i in range(len(header))
        if any(isinstance(getattr(r[i], "value", None), tuple) for r in rows if i < len(r))
    }
    head: list[str] = []
    for i, h in enumerate(header):
        text = _text(h)
        head += [w["low"].format(name=text), w["high"].format(name=text)] if i in pairs else [text]
    body = []
    for row in rows:
        out: list[Any] = []
        for i, cell in enumerate(row):
            value = getattr(cell, "value", "text")
            if i in pairs:
                out += list(value) if isinstance(value, tuple) else [None, None]
            elif value is None:
                out.append(None)
            elif value == "text" or not isinstance(value, (int, float)):
                out.append(_text(cell))
            else:
                out.append(value)
        body.append(out)
    return Sheet(name, head, body)


def to_csv(sheet: Sheet, lang: str) -> bytes:
    """CSV as Excel in the language expects it (Swedish: ';' and decimal comma), UTF-8 with BOM."""
    sep, decimal = (";", ",") if lang == "sv" else (",", ".")
    buf = io.StringIO()
    writer = csv.writer(buf, delimiter=sep, lineterminator="\r\n")
    writer.writerow(sheet.header)
    for row in sheet.rows:
        writer.writerow([_csv_value(v, decimal) for v in row])
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def _csv_value(value: Any, decimal: str) -> str:
    """A cell of a CSV file: a number in full (no exponent), with the language's decimal mark."""
    if value is None:
        return ""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return str(value)
    number = float(value)
    text = str(int(number)) if number.is_integer() else repr(number)
    return text.replace(".", decimal)


def to_xlsx(sheet: Sheet) -> bytes:
    """An Excel workbook of one sheet: bold header, numbers as numbers, text as text."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook()
    ws = wb.active
    ws.title = _SHEET_BAD.sub(" ", sheet.name)[:31] or "Tabell"
    ws.append(sheet.header)
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in sheet.rows:
        ws.append(row)
    for i, name in enumerate(sheet.header, start=1):
        width = max([len(str(name))] + [len(str(r[i - 1] or "")) for r in sheet.rows])
        ws.column_dimensions[ws.cell(1, i).column_letter].width = min(max(width + 2, 8), 60)
    wb.properties.creator = "evalkit"
    wb.properties.created = wb.properties.modified = _FIXED_DATE
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def data_uri(data: bytes, mime: str) -> str:
    """A ``data:`` URI of some bytes (base64)."""
    return f"data:{mime};base64,{base64.b64encode(data).decode('ascii')}"


def download_links(
    header: Sequence[Any],
    rows: Sequence[Sequence[Any]],
    *,
    label: str | None = None,
    name: str | None = None,
) -> str:
    """'Ladda ner tabellen: CSV · Excel' with the table's data embedded in the links.

    ``label`` names the table for screen readers (its caption or heading); ``name`` the file
    (default: the page's next ``<prefix>-<n>``).
    """
    page = _PAGE.get()
    lang = current_lang()
    w = words(lang)["downloads"]
    stem = page.next_name(name) if page is not None else slug(name or label or "") or "tabell"
    sheet = sheet_of(label or w["table"], header, rows, lang)
    what = label or w["table"]
    links = []
    for kind, data, mime in (
        ("csv", to_csv(sheet, lang), CSV_MIME),
        ("xlsx", to_xlsx(sheet), XLSX_MIME),
    ):
        aria = w["aria"].format(table=what, format=w[kind])
        links.append(
            f'<a href="{data_uri(data, mime)}" download="{quote(stem)}.{kind}" '
            f'aria-label="{html.escape(aria, quote=True)}">{html.escape(w[kind])}</a>'
        )
    return f'<p class="downloads">{html.escape(w["lead"])} {" · ".join(links)}</p>'
