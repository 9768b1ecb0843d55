"""Self-contained HTML from executed notebooks (nbconvert with the evalkit template).

No input cells, prompts, streams or tracebacks; the injected-parameters cell is removed; a linked
table of contents is built from the level-2 headings; one inline stylesheet, no scripts.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from pathlib import Path

import nbformat
from nbconvert import HTMLExporter
from nbconvert.preprocessors import TagRemovePreprocessor

import evalkit
from evalkit.report.wording import words

TEMPLATES = Path(__file__).resolve().parent / "templates"
CSS = TEMPLATES / "evalkit" / "evalkit.css"
#: Cells with these tags never reach a report.
HIDDEN_TAGS = frozenset({"injected-parameters", "parameters", "remove"})

_H2 = re.compile(r'<h2 id="([^"]+)">(.*?)</h2>', re.DOTALL)


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


def notebook_to_html(nb: nbformat.NotebookNode, *, title: str, lang: str = "sv") -> str:
    """Render an executed notebook to one self-contained HTML page."""
    lang = lang if lang in ("sv", "en") else "sv"
    resources = {
        "evalkit": {
            "lang": lang,
            "title": title,
            "css": CSS.read_text(encoding="utf-8"),
            "version": evalkit.__version__,
            "figure_alt": title,
        }
    }
    body, _ = exporter().from_notebook_node(nb, resources=resources)
    return insert_toc(body, lang)


def export_notebook(ipynb: Path | str, out: Path | str, *, title: str, lang: str = "sv") -> Path:
    """Write the HTML page of an executed notebook file; returns the page's path."""
    nb = nbformat.read(str(ipynb), as_version=4)
    out = Path(out)
    out.write_text(notebook_to_html(nb, title=title, lang=lang), encoding="utf-8")
    return out


def html_page(parts: Iterable[str], *, title: str, lang: str = "sv") -> str:
    """A page from ready HTML pieces, through the same template (for pages no notebook made)."""
    nb = nbformat.v4.new_notebook()
    cell = nbformat.v4.new_code_cell(source="")
    cell.outputs = [
        nbformat.v4.new_output("display_data", data={"text/html": str(p)}) for p in parts if p
    ]
    nb.cells = [cell]
    return notebook_to_html(nb, title=title, lang=lang)
