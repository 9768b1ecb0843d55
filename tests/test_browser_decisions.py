"""Headless Chromium: the committee's one-page summary prints on one A4 page, and the portfolio
page's tables of decisions fit the screen (screenshots and the PDF go to tests/artifacts/)."""

from __future__ import annotations

import shutil
import subprocess

import pytest
from chromium import ARTIFACTS, chromium, require_chromium
from e2e_run import small_run

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_chromium()
    return small_run(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


def _pdf_pages(path) -> int:
    pypdf = pytest.importorskip("pypdf")
    return len(pypdf.PdfReader(str(path)).pages)


def test_committee_summary_prints_on_one_a4_page(run, browser):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((run.run_dir / "namnd.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "namnd-1280.png"), full_page=True)
    page.emulate_media(media="print")
    pdf = ARTIFACTS / "print-namnd.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    context.close()
    if shutil.which("pdftoppm"):
        subprocess.run(["pdftoppm", "-r", "70", "-png", str(pdf), str(ARTIFACTS / "print-namnd")],
                       check=True)  # fmt: skip
    assert _pdf_pages(pdf) == 1


def test_committee_summary_is_one_table_that_fits_the_screen(run, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((run.run_dir / "namnd.html").as_uri())
    seen = page.evaluate(
        "() => ({tables: document.querySelectorAll('table').length,"
        " wide: document.documentElement.scrollWidth > window.innerWidth})"
    )
    context.close()
    assert seen == {"tables": 1, "wide": False}


def test_portfolio_page_has_the_decision_sections(run, browser):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto((run.run_dir / "index.html").as_uri())
    page.screenshot(path=str(ARTIFACTS / "portfolio-decisions-1280.png"), full_page=True)
    ids = page.evaluate("() => Array.from(document.querySelectorAll('h2')).map(h => h.id)")
    links = page.evaluate(
        "() => Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href'))"
    )
    context.close()
    assert {"ranking", "portfolio_costs", "goal_matrix", "benchmark"} <= set(ids)
    assert "namnd.html" in links and "portfolio.json" in links
