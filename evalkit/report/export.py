"""Self-contained HTML from executed notebooks (nbconvert with the evalkit template).

No input cells, prompts, streams or tracebacks; the injected-parameters cell is removed; a linked
table of contents is built from the level-2 headings; one inline stylesheet, no scripts. Every page
links back to the run's overview and to its accessibility statement; every wide table scrolls in
its own labelled region; printed pages carry a running header and page numbers.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from datetime import date
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

import evalkit
from evalkit.report import accessibility
from evalkit.report.figure import scroll_region
from evalkit.report.wording import words

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = TEMPLATES / "evalkit" / "evalkit.css"
#: Cells with these tags never reach a report.
HIDDEN_TAGS = frozenset({"injected-parameters", "parameters", "remove"})

_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.DOTALL)
_BARE_WRAP = '<div class="table-wrap">'
_CAPTION = re.compile(r"<caption>(.*?)</caption>", re.DOTALL)
_HEADING = re.compile(r"<h[1-4][^>]*>(.*?)</h[1-4]>", re.DOTALL)
_TAG = re.compile(r"<[^>]+>")
#: Words of a region whose table has no caption and no heading before it.
_TABLE_WORD = {"sv": "Tabell", "en": "Table"}


def table_of_contents(body: str, lang: str) -> str:
    """A linked table of contents of the page's level-2 headings."""
    items = [f'<li><a href="#{i}">{t}</a></li>' for i, t in _H2.findall(body)]
    if not items:
        return ""
    title = html.escape(words(lang)["toc"])
    return f'<nav class="toc"><p class="toc-title">{title}</p><ol>{"".join(items)}</ol></nav>'


def insert_toc(page: str, lang: str) -> str:
    """Place the table of contents before the first section (after the title and its subtitle)."""
    toc = table_of_contents(page, lang)
    if not toc:
        return page
    first = page.find('<section class="evalkit-section"')
    if first < 0:
        first = page.find("<h2")
    return page[:first] + toc + page[first:]


def _text(fragment: str) -> str:
    """The plain text of an HTML fragment."""
    return " ".join(html.unescape(_TAG.sub(" ", fragment)).split())


def label_scroll_regions(page: str, lang: str = "sv") -> str:
    """Make every bare table wrapper a labelled, focusable scrolling region.

    The label is the table's caption, else the nearest heading before it; regions already
    labelled (``figure.table_html``) are left alone.
    """
    parts, pos = [], 0
    while (start := page.find(_BARE_WRAP, pos)) >= 0:
        end = page.find("</table>", start)
        caption = _CAPTION.search(page, start, end if end >= 0 else len(page))
        if caption:
            label = _text(caption.group(1))
        else:
            headings = _HEADING.findall(page, 0, start)
            label = _text(headings[-1]) if headings else _TABLE_WORD.get(lang, "Tabell")
        opening = scroll_region("", label).removesuffix("</div>")
        parts.append(page[pos:start] + opening)
        pos = start + len(_BARE_WRAP)
    return "".join(parts) + page[pos:]


def _css_string(text: str) -> str:
    """Text as a quoted CSS string (safe inside a <style> element)."""
    clean = " ".join(str(text).split()).replace("\\", "\\\\").replace('"', '\\"')
    return '"' + clean.replace("<", "\\3c ") + '"'


def print_css(title: str, made: date, lang: str) -> str:
    """Page rules for print: A4, running header with the page's title and date, page numbers."""
    page_word = {"sv": "Sida", "en": "Page"}[lang]
    of_word = {"sv": "av", "en": "of"}[lang]
    small = "font-size: 8.5pt; color: #444;"
    return (
        "@page { size: A4; margin: 20mm 16mm 18mm 16mm;"
        f" @top-left {{ content: {_css_string(title)}; {small} }}"
        f" @top-right {{ content: {_css_string(made.isoformat())}; {small} }}"
        f' @bottom-right {{ content: "{page_word} " counter(page) " {of_word} " counter(pages);'
        f" {small} }} }}"
    )


def exporter() -> HTMLExporter:
    """An HTMLExporter with the evalkit template, hidden cells removed and no input shown."""
    exp = HTMLExporter(
        template_name="evalkit",
        extra_template_basedirs=[str(TEMPLATES)],
        exclude_input=True,
        exclude_input_prompt=True,
        exclude_output_prompt=True,
    )
    exp.register_preprocessor(
        TagRemovePreprocessor(remove_cell_tags=set(HIDDEN_TAGS), enabled=True), enabled=True
    )
    return exp


def notebook_to_html(
    nb: nbformat.NotebookNode,
    *,
    title: str,
    lang: str = "sv",
    created: date | None = None,
    index_link: bool = True,
) -> str:
    """Render an executed notebook to one self-contained HTML page.

    ``created`` dates the page (footer and printed header; today if not given); ``index_link``
    puts a link back to the run's ``index.html`` above the content (off for the index itself).
    """
    lang = lang if lang in ("sv", "en") else "sv"
    made = created or date.today()
    resources = {
        "evalkit": {
            "lang": lang,
            "title": title,
            "css": CSS.read_text(encoding="utf-8"),
            "print_css": print_css(title, made, lang),
            "version": evalkit.__version__,
            "figure_alt": title,
            "nav": accessibility.site_nav(lang, index=index_link),
            "footer": accessibility.site_footer(lang, made=made),
        }
    }
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return label_scroll_regions(insert_toc(body, lang), lang)


def export_notebook(
    ipynb: Path | str,
    out: Path | str,
    *,
    title: str,
    lang: str = "sv",
    created: date | None = None,
    index_link: bool | None = None,
) -> Path:
    """Write the HTML page of an executed notebook file; returns the page's path.

    ``index_link`` puts a link back to the run's ``index.html`` above the content; by default
    every page but ``index.html`` itself has one (pass False where a run has no index).
    """
    nb = nbformat.read(str(ipynb), as_version=4)
    out = Path(out)
    if index_link is None:
        index_link = out.name != accessibility.INDEX_FILE
    page = notebook_to_html(nb, title=title, lang=lang, created=created, index_link=index_link)
    out.write_text(page, encoding="utf-8")
    return out


def html_page(
    parts: Iterable[str],
    *,
    title: str,
    lang: str = "sv",
    created: date | None = None,
    index_link: bool = True,
) -> str:
    """A page from ready HTML pieces, through the same template (for pages no notebook made)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source="")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": str(p)}) for p in parts if p
    ]
    nb.cells = [cell]
    return notebook_to_html(nb, title=title, lang=lang, created=created, index_link=index_link)
