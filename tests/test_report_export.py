"""Specifications of the HTML export: self-contained, no code, no prompts, no parameters."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import nbformat
import pytest
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook, new_output

from evalkit.audit.disclosure import protect
from evalkit.report import export, sections
from evalkit.results import MeasureResults

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"
SECRET_CODE = "results = analyse_measure(params_file, out_dir)"


@pytest.fixture(scope="module")
def page() -> str:
    """An executed-looking notebook: parameters, injected parameters, code with outputs."""
    results = protect(MeasureResults.read(FIXTURE))
    params = new_code_cell('params_file: str = "params/x.yaml"')
    params.metadata["tags"] = ["parameters"]
    injected = new_code_cell('params_file = "/secret/path/injected.yaml"')
    injected.metadata["tags"] = ["injected-parameters"]
    injected.outputs = [new_output("stream", name="stdout", text="/secret/path/injected.yaml\n")]
    work = new_code_cell(SECRET_CODE)
    work.execution_count = 3
    work.outputs = [
        new_output("stream", name="stderr", text="UserWarning: something noisy\n"),
        new_output(
            "execute_result",
            data={"text/plain": "Section(...)", "text/html": sections.summary(results).html},
            execution_count=3,
        ),
    ]
    figure = new_code_cell("sections.estimates(results)")
    figure.outputs = [
        new_output("display_data", data={"text/html": sections.estimates(results).html})
    ]
    nb = new_notebook(
        cells=[new_markdown_cell("# Notes for evaluators"), params, injected, work, figure]
    )
    return export.notebook_to_html(nb, title="Jobbspår vård och omsorg", lang="sv")


def test_page_has_no_code_input(page):
    assert SECRET_CODE not in page
    assert "jp-InputArea" not in page and "<pre" not in page


def test_page_has_no_prompts(page):
    assert not re.search(r"(In|Out)\s*(&nbsp;)?\[\s*\d*\s*\]", page)


def test_injected_parameters_cell_and_its_output_are_removed(page):
    assert "/secret/path/injected.yaml" not in page
    assert "params/x.yaml" not in page


def test_streams_and_markdown_notes_are_not_in_the_report(page):
    assert "UserWarning" not in page
    assert "Notes for evaluators" not in page


def test_page_requests_nothing_from_the_network(page):
    assert not re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", page)
    assert "<script" not in page
    assert "@import" not in page and "url(http" not in page


def test_page_is_swedish_with_title(page):
    assert '<html lang="sv">' in page
    assert "<title>Jobbspår vård och omsorg</title>" in page


def test_table_of_contents_links_every_section_heading(page):
    toc = re.search(r'<nav class="toc">(.*?)</nav>', page, re.DOTALL).group(1)
    targets = re.findall(r'href="#([^"]+)"', toc)
    headings = re.findall(r'<h2 id="([^"]+)"', page)
    assert targets == headings == ["summary", "estimates"]


def test_images_are_inline_png_or_svg_with_alt_text(page):
    images = re.findall(r"<img [^>]*>", page)
    assert images
    for tag in images:
        assert re.search(r'src="data:image/(png;base64|svg\+xml),', tag)
        assert re.search(r'alt="[^"]+"', tag)


def test_print_css_is_included(page):
    assert "@media print" in page


def test_english_page_is_marked_english():
    html = export.html_page(['<h2 id="a">A</h2>'], title="T", lang="en")
    assert '<html lang="en">' in html
    assert "Contents" in html


def test_export_notebook_writes_the_page(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.cells[0].outputs = [new_output("display_data", data={"text/html": "<h1>Rubrik</h1>"})]
    path = tmp_path / "m.ipynb"
    nbformat.write(nb, path)
    out = export.export_notebook(path, tmp_path / "m.html", title="M")
    assert "<h1>Rubrik</h1>" in out.read_text(encoding="utf-8")


def test_every_page_links_to_the_accessibility_statement_in_its_footer(page):
    footer = re.search(r'<footer [^>]*class="evalkit-footer[^>]*>(.*?)</footer>', page, re.DOTALL)
    assert '<a href="tillganglighet.html">Tillgänglighetsredogörelse</a>' in footer.group(1)


def test_a_measure_page_links_back_to_the_index_above_its_content(page):
    nav = re.search(
        r'<nav (?=[^>]*aria-label="[^"]+")[^>]*class="evalkit-nav[^>]*>(.*?)</nav>', page
    )
    assert '<a href="index.html">' in nav.group(1)
    assert page.index("evalkit-nav") < page.index('<main class="evalkit-report">')


def test_the_index_does_not_link_to_itself(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1")])
    nb.cells[0].outputs = [new_output("display_data", data={"text/html": "<h1>Översikt</h1>"})]
    nbformat.write(nb, tmp_path / "index.ipynb")
    out = export.export_notebook(tmp_path / "index.ipynb", tmp_path / "index.html", title="Ö")
    html = out.read_text(encoding="utf-8")
    assert 'href="index.html"' not in html and 'href="tillganglighet.html"' in html


def test_every_table_wrapper_becomes_a_labelled_focusable_region(page):
    wraps = re.findall(r'<div class="table-wrap"[^>]*>', page)
    assert wraps
    for tag in wraps:
        assert 'role="region"' in tag and 'tabindex="0"' in tag
        assert re.search(r'aria-label="[^"]+"', tag)


def test_a_region_is_labelled_by_its_caption_else_the_heading_before_it():
    body = (
        '<h3 id="x">Effekter &amp; kostnader</h3><div class="table-wrap"><table></table></div>'
        '<div class="table-wrap"><table><caption>Mål <b>2024</b></caption></table></div>'
    )
    out = export.label_scroll_regions(body)
    labels = re.findall(r'aria-label="([^"]*)"', out)
    assert labels == ["Effekter &amp; kostnader", "Mål 2024"]


def test_printed_pages_carry_title_date_and_page_numbers():
    css = export.print_css("Jobbspår vård", date(2026, 11, 27), "sv")
    assert '@top-left { content: "Jobbspår vård"' in css
    assert '@top-right { content: "2026-11-27"' in css
    assert '"Sida " counter(page) " av " counter(pages)' in css
    assert "size: A4" in css


def test_running_header_text_cannot_break_out_of_the_stylesheet():
    css = export.print_css('Ett "citat" \\ </style><script>', date(2026, 1, 1), "en")
    assert "</style>" not in css and '\\"citat\\"' in css
    assert '"Page " counter(page) " of " counter(pages)' in css


def test_print_stylesheet_opens_collapsed_details_and_hides_the_table_of_contents(page):
    print_rules = page[page.index("@media print") :]
    assert "details::details-content" in print_rules
    assert re.search(r"nav\.evalkit-nav, nav\.toc \{ display: none; \}", print_rules)


def test_a_page_of_a_run_without_an_index_can_leave_the_link_out(tmp_path):
    nb = new_notebook(cells=[new_code_cell("1")])
    nbformat.write(nb, tmp_path / "m.ipynb")
    out = export.export_notebook(
        tmp_path / "m.ipynb", tmp_path / "m.html", title="M", index_link=False
    )
    assert 'href="index.html"' not in out.read_text(encoding="utf-8")
