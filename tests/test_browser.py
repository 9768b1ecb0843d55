"""Headless Chromium opens every page of a small run: offline, no errors, no code, images load.

Screenshots go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from conftest import skip_or_fail
from e2e_run import BROKEN, EMPTY, MEASURES, small_run

pytestmark = pytest.mark.browser

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
MEASURE_HEADINGS = (
    "summary",
    "followup",
    "estimates",
    "diagnostics",
    "goals",
    "appendix",
    "footer",
)
PORTFOLIO_HEADINGS = ("ranking", "forest", "goal_matrix", "measures")


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM}")
    return small_run(tmp_path_factory.getbasetemp())


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"Chromium not installed at {CHROMIUM}")
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def visit(browser, page_path: Path) -> dict:
    """Open a page offline; collect outside requests, console errors and what is on screen."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 1100, "height": 1400})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith("file://"):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    page.goto(page_path.as_uri(), wait_until="load")
    info = {
        "outside": outside,
        "errors": errors,
        "code": page.locator(".jp-InputArea, .jp-InputPrompt, pre, code").count(),
        "images": page.evaluate(
            "Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt])"
        ),
        "h2": page.evaluate("Array.from(document.querySelectorAll('h2')).map(h => h.id)"),
        "h1": page.locator("h1").all_inner_texts(),
        "lang": page.evaluate("document.documentElement.lang"),
        "toc": page.evaluate(
            "Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href'))"
        ),
    }
    page.screenshot(path=str(ARTIFACTS / f"{page_path.stem}.png"), full_page=True)
    context.close()
    return info


def pages(run) -> list[Path]:
    return sorted(run.run_dir.glob("*.html"))


@pytest.fixture(scope="module")
def seen(run, browser) -> dict[str, dict]:
    """Every page of the run, visited once."""
    return {p.stem: visit(browser, p) for p in pages(run)}


def test_the_run_has_a_page_per_measure_and_an_index(seen):
    assert set(seen) == {*MEASURES, BROKEN, EMPTY, "index"}


def test_no_page_requests_anything_outside_its_file(seen):
    assert {name: info["outside"] for name, info in seen.items() if info["outside"]} == {}


def test_no_page_logs_a_console_error(seen):
    assert {name: info["errors"] for name, info in seen.items() if info["errors"]} == {}


def test_no_page_shows_code(seen):
    assert {name: info["code"] for name, info in seen.items() if info["code"]} == {}


def test_every_image_loads_and_has_alt_text(seen):
    for name, info in seen.items():
        for loaded, alt in info["images"]:
            assert loaded, name
            assert alt, name


def test_measure_pages_have_the_expected_headings_and_toc(seen):
    for m in MEASURES:
        info = seen[m]
        assert info["lang"] == "sv"
        assert info["h1"] and info["h1"][0].startswith("Effektutvärdering")
        assert set(MEASURE_HEADINGS) <= set(info["h2"])
        assert info["h2"][0] == "summary"
        assert info["toc"] == [f"#{h}" for h in info["h2"]]
        assert len(info["images"]) >= 3  # forest plots, love plot, overlap plot


def test_failed_pages_say_what_failed(seen):
    for m in (BROKEN, EMPTY):
        assert seen[m]["h2"][0] == "failed"


def test_portfolio_page_has_ranking_forest_goals_and_links(seen):
    info = seen["index"]
    assert set(PORTFOLIO_HEADINGS) <= set(info["h2"])
    assert len(info["images"]) >= 1


def test_screenshots_are_kept_as_artifacts(seen):
    shots = {s.stem for s in ARTIFACTS.glob("*.png")}
    assert set(seen) <= shots
