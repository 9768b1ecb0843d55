"""Headless Chromium opens every page of a small run, as readers will: offline, no errors, no
code, images load; WCAG 2.1 AA by axe-core; reflow at 320 CSS px; printed to A4 PDF.

Screenshots at 1280, 390 and 320 CSS px, the PDFs and (where poppler's pdftoppm is installed)
their pages as PNG go to tests/artifacts/ (gitignored) for a person to look at.
"""

from __future__ import annotations

import json
import math
import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest
from chromium import ARTIFACTS, chromium, require_chromium
from e2e_run import BROKEN, EMPTY, MEASURES, small_run

from evalkit.report import accessibility

pytestmark = pytest.mark.browser

WIDTHS = (1280, 390, 320)
NARROW = (390, 320)
#: A4 less the print stylesheet's margins (16 mm at the sides, 20 and 18 mm at top and bottom),
#: in CSS px (96 per inch).
PRINT_WIDTH_PX = int((210 - 2 * 16) / 25.4 * 96)
PRINT_PAGE_HEIGHT_PX = (297 - 20 - 18) / 25.4 * 96
STATEMENT = Path(accessibility.STATEMENT_FILE).stem
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
SEEN_JS = """() => ({
  scrollWidth: document.documentElement.scrollWidth,
  innerWidth: window.innerWidth,
  images: Array.from(document.images).map(i => [i.complete && i.naturalWidth > 0, i.alt]),
  h2: Array.from(document.querySelectorAll('h2')).map(h => h.id),
  h1: Array.from(document.querySelectorAll('h1')).map(h => h.innerText),
  lang: document.documentElement.lang,
  toc: Array.from(document.querySelectorAll('nav.toc a')).map(a => a.getAttribute('href')),
  links: Array.from(document.querySelectorAll('a[href]')).map(a => a.getAttribute('href')),
  code: document.querySelectorAll('.jp-InputArea, .jp-InputPrompt, pre, code').length,
  collapsed: Array.from(document.querySelectorAll('details > :not(summary)'))
    .filter(e => !e.checkVisibility()).length,
  wraps: Array.from(document.querySelectorAll('.table-wrap')).map(w => ({
    role: w.getAttribute('role'), label: w.getAttribute('aria-label'),
    tabindex: w.getAttribute('tabindex'), scrolls: w.scrollWidth > w.clientWidth})),
  scrollers: Array.from(document.querySelectorAll('body *'))
    .filter(e => e.scrollWidth > e.clientWidth + 1 && getComputedStyle(e).overflowX !== 'visible')
    .map(e => e.getAttribute('role') === 'region' && e.getAttribute('tabindex') === '0'),
})"""


@pytest.fixture(scope="module")
def run(tmp_path_factory):
    require_chromium()
    done = small_run(tmp_path_factory.getbasetemp())
    return done


@pytest.fixture(scope="module")
def browser():
    yield from chromium()


@pytest.fixture(scope="module")
def axe():
    return pytest.importorskip("axe_playwright_python.sync_playwright").Axe()


def visit(browser, axe, page_path: Path, width: int) -> dict:
    """Open a page offline at a width; what is on it, what it asked for, what axe-core found."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": width, "height": 900})
    outside: list[str] = []

    def route(r):
        if r.request.url.startswith(("file://", "data:")):
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
    info = page.evaluate(SEEN_JS)
    found = axe.run(
        page,
        options={
            "runOnly": {"type": "tag", "values": list(accessibility.TESTED_TAGS)},
            "resultTypes": ["violations"],
        },
    )
    info["violations"] = [
        f"{v['id']}: {[n['target'] for n in v['nodes']][:3]}" for v in found.response["violations"]
    ]
    info["outside"], info["errors"] = outside, errors
    page.screenshot(path=str(ARTIFACTS / f"{page_path.stem}-{width}.png"), full_page=True)
    context.close()
    return info


def pages(run) -> list[Path]:
    return sorted(run.run_dir.glob("*.html"))


@pytest.fixture(scope="module")
def seen(run, browser, axe) -> dict[tuple[str, int], dict]:
    """Every page of the run at every width, visited once."""
    return {(p.stem, w): visit(browser, axe, p, w) for p in pages(run) for w in WIDTHS}


def at(seen: dict, width: int) -> dict[str, dict]:
    return {name: info for (name, w), info in seen.items() if w == width}


def test_the_run_has_a_page_per_measure_an_index_a_committee_page_and_a_statement(seen):
    assert set(at(seen, 1280)) == {*MEASURES, BROKEN, EMPTY, "index", "namnd", STATEMENT}


def test_no_page_requests_anything_outside_its_file(seen):
    assert {k: i["outside"] for k, i in seen.items() if i["outside"]} == {}


def test_no_page_logs_a_console_error(seen):
    assert {k: i["errors"] for k, i in seen.items() if i["errors"]} == {}


def test_no_page_shows_code(seen):
    assert {k: i["code"] for k, i in seen.items() if i["code"]} == {}


def test_every_image_loads_and_has_alt_text(seen):
    for name, info in seen.items():
        for loaded, alt in info["images"]:
            assert loaded, name
            assert alt, name


def test_axe_finds_no_wcag_21_a_or_aa_violation_on_any_page_at_any_width(seen):
    assert {k: i["violations"] for k, i in seen.items() if i["violations"]} == {}


def test_no_page_scrolls_sideways_at_390_or_320_css_px(seen):
    wide = {
        k: (i["scrollWidth"], i["innerWidth"])
        for k, i in seen.items()
        if k[1] in NARROW and i["scrollWidth"] > i["innerWidth"]
    }
    assert wide == {}


def test_every_table_scrolls_in_its_own_labelled_focusable_region(seen):
    for key, info in seen.items():
        for wrap in info["wraps"]:
            assert wrap["role"] == "region" and wrap["label"] and wrap["tabindex"] == "0", key


def test_whatever_scrolls_sideways_is_a_focusable_region(seen):
    assert {k: i["scrollers"] for k, i in seen.items() if not all(i["scrollers"])} == {}


def test_at_320_px_some_wide_table_scrolls_inside_its_region(seen):
    narrow = at(seen, 320)
    assert any(w["scrolls"] for w in narrow[MEASURES[0]]["wraps"])


def test_every_page_links_to_the_accessibility_statement(seen):
    for name, info in at(seen, 1280).items():
        assert accessibility.STATEMENT_FILE in info["links"], name


def test_every_page_but_the_index_links_back_to_the_index(seen):
    for name, info in at(seen, 1280).items():
        assert (accessibility.INDEX_FILE in info["links"]) == (name != "index"), name


def test_measure_pages_have_the_expected_headings_and_toc(seen):
    for m in MEASURES:
        info = seen[(m, 1280)]
        assert info["lang"] == "sv"
        assert info["h1"] and info["h1"][0].startswith("Effektutvärdering")
        assert set(MEASURE_HEADINGS) <= set(info["h2"])
        assert info["h2"][0] == "summary"
        assert info["toc"] == [f"#{h}" for h in info["h2"]]
        assert len(info["images"]) >= 3  # forest plots, love plot, overlap plot


def test_failed_pages_say_what_failed(seen):
    for m in (BROKEN, EMPTY):
        assert seen[(m, 1280)]["h2"][0] == "failed"


def test_portfolio_page_has_ranking_forest_goals_and_links(seen):
    info = seen[("index", 1280)]
    assert set(PORTFOLIO_HEADINGS) <= set(info["h2"])
    assert len(info["images"]) >= 1


def test_accessibility_statement_names_the_law_digg_and_the_organisation(run):
    page = (run.run_dir / accessibility.STATEMENT_FILE).read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", " ", page)
    assert 'lang="sv"' in page
    assert "2018:1937" in text and "Exempelstads kommun" in text
    assert "delvis förenliga" in text
    assert f'href="{accessibility.DIGG_REPORT_URL}"' in page


def test_screenshots_at_three_widths_are_kept_as_artifacts(seen):
    shots = {s.stem for s in ARTIFACTS.glob("*.png")}
    assert {f"{name}-{w}" for name, w in seen} <= shots


# --- print --------------------------------------------------------------------------------------


def _plain(text: str) -> str:
    """Text as compared: ligatures undone (ﬀ → ff), white space single."""
    return " ".join(unicodedata.normalize("NFKC", text).split())


def _pdf_lines(path: Path) -> list[list[tuple[float, str]]]:
    """Per page, the text runs with their height above the page's bottom edge (points)."""
    pypdf = pytest.importorskip("pypdf")
    out = []
    for page in pypdf.PdfReader(str(path)).pages:
        runs: list[tuple[float, str]] = []

        def keep(text, cm, tm, _font, _size, runs=runs):
            if text.strip():
                runs.append((cm[5] + tm[5] * cm[3], _plain(text)))

        page.extract_text(visitor_text=keep)
        out.append(runs)
    return out


def print_page(browser, page_path: Path) -> dict:
    """Print a page to A4 PDF as a reader would; what the print layout shows, and the PDF's text."""
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": PRINT_WIDTH_PX, "height": 1000})
    page = context.new_page()
    page.goto(page_path.as_uri(), wait_until="load")
    page.emulate_media(media="print")
    layout = page.evaluate(
        """() => ({
          scrollWidth: document.documentElement.scrollWidth,
          height: document.documentElement.scrollHeight,
          headings: Array.from(document.querySelectorAll('main h2, main h3'))
            .map(h => h.innerText.trim()),
          headline: (document.querySelector('p.headline') || {}).innerText || '',
          hiddenDetails: Array.from(document.querySelectorAll('details > :not(summary)'))
            .filter(e => !e.checkVisibility() && !e.matches('p.downloads')).length,
          details: document.querySelectorAll('details').length,
          title: document.title,
        })"""
    )
    pdf = ARTIFACTS / f"print-{page_path.stem}.pdf"
    page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
    context.close()
    if shutil.which("pdftoppm"):
        subprocess.run(
            ["pdftoppm", "-r", "60", "-png", str(pdf), str(ARTIFACTS / f"print-{page_path.stem}")],
            check=True,
        )
    layout["pages"] = _pdf_lines(pdf)
    layout["headings"] = [_plain(h) for h in layout["headings"]]
    return layout


@pytest.fixture(scope="module")
def printed(run, browser) -> dict[str, dict]:
    return {m: print_page(browser, run.run_dir / f"{m}.html") for m in (MEASURES[0], "index")}


def _texts(runs: list[tuple[float, str]]) -> str:
    return " ".join(t for _, t in runs)


def test_printed_pages_are_a_sensible_number(printed):
    """Breaks waste at most a quarter of the paper (plus the last page's end)."""
    for name, layout in printed.items():
        content_pages = layout["height"] / PRINT_PAGE_HEIGHT_PX
        assert 1 <= len(layout["pages"]) <= math.ceil(1.25 * content_pages) + 1, name
    assert len(printed[MEASURES[0]]["pages"]) >= 2


def test_printed_first_page_holds_the_title_and_the_summary(printed, run):
    results = json.loads((run.run_dir / f"{MEASURES[0]}.json").read_text(encoding="utf-8"))
    layout = printed[MEASURES[0]]
    first = _texts(layout["pages"][0])
    assert _plain(results["title"]) in first
    assert "Sammanfattning" in first
    assert " ".join(_plain(layout["headline"]).split()[:6]) in first


def test_every_printed_page_has_a_running_header_and_its_number(printed):
    for name, layout in printed.items():
        n = len(layout["pages"])
        for i, runs in enumerate(layout["pages"], start=1):
            text = _texts(runs)
            assert _plain(layout["title"]) in text, (name, i)
            assert re.search(rf"Sida {i} av {n}\b", text), (name, i)
            assert re.search(r"\d{4}-\d{2}-\d{2}", text), (name, i)


def test_no_printed_page_ends_with_a_heading(printed):
    """A heading is never the last thing in the bottom fifth of a page (it goes with its text)."""
    for name, layout in printed.items():
        headings = set(layout["headings"])
        for i, runs in enumerate(layout["pages"], start=1):
            body = [(y, t) for y, t in runs if 60 < y < 780]  # without running header and footer
            lowest_y, lowest = min(body)
            assert not (lowest in headings and lowest_y < 200), (name, i, lowest)


def test_printed_pages_fit_the_a4_width_without_shrinking(printed):
    assert {
        k: v["scrollWidth"] for k, v in printed.items() if v["scrollWidth"] > PRINT_WIDTH_PX
    } == {}


def test_what_is_collapsed_on_screen_is_printed(printed):
    layout = printed[MEASURES[0]]
    assert layout["details"] >= 1
    assert layout["hiddenDetails"] == 0


def test_links_are_printed_with_where_they_lead(printed):
    for name, layout in printed.items():
        assert accessibility.STATEMENT_FILE in _texts(layout["pages"][-1]), name


# --- the figure hook: a chart, its finding in the alt text, its data as a table ----------------


def gallery_parts(results: dict) -> list[str]:
    """Every measure-page figure kind through ``report.figure``, with its numbers as a table."""
    from evalkit.estimators.result import EffectResult, EffectResults
    from evalkit.plots.balance import love_frame, love_plot
    from evalkit.plots.event_study import event_time_frame, plot_event_study
    from evalkit.plots.forest import forest_plot
    from evalkit.plots.overlap import overlap_frame, overlap_plot
    from evalkit.plots.theme import format_number, format_percent
    from evalkit.report.figure import DataTable, alt_text, figure_with_data

    def num(x, d=1):
        return "–" if x is None or x != x else format_number(x, "sv", d)

    def result(e: dict) -> EffectResult:
        keys = ("estimate", "se", "ci_low", "ci_high", "p_value")
        return EffectResult(
            **{k: float("nan") if e.get(k) is None else float(e[k]) for k in keys},
            estimator=e["estimator"],
            outcome=e["outcome"],
            n_treated=int(e.get("n_treated") or 0),
            n_control=int(e.get("n_control") or 0),
            event_time=e.get("event_time"),
            aggregation=e.get("aggregation"),
            details=e.get("details") or {},
        )

    show = "Visa diagrammets uppgifter som tabell"
    est = results["estimates"]
    overall = [
        e
        for e in est
        if e["outcome"] == "work_or_study_12m"
        and e.get("event_time") is None
        and e.get("subgroup") is None
        and e.get("aggregation") in (None, "simple")
    ]
    forest = forest_plot([result(e) for e in overall], xlabel="Effekt (procentenheter)", scale=100)
    forest_table = DataTable(
        "Effekt på andelen i arbete eller studier 12 månader efter start, per metod",
        ["Metod", "Effekt (procentenheter)", "95 % KI, lägre", "95 % KI, övre"],
        [
            (
                e["estimator"],
                num(100 * e["estimate"]),
                num(100 * e["ci_low"]),
                num(100 * e["ci_high"]),
            )
            for e in overall
        ],
        numeric=(1, 2, 3),
    )
    path = [e for e in est if e.get("event_time") is not None and e["outcome"] == "work_or_study"]
    path = [e for e in path if e["estimator"] == path[0]["estimator"] and e.get("subgroup") is None]
    path_results = EffectResults([result(e) for e in path])
    path_frame = event_time_frame(path_results, 100)
    balance = results["diagnostics"]["balance"]
    overlap = results["diagnostics"]["overlap"]
    shares = overlap_frame(overlap)
    return [
        "<h1>Diagram med sina uppgifter</h1>",
        figure_with_data(
            forest,
            alt=alt_text("Diagram: effekten enligt varje metod.", "Alla metoder visar en ökning."),
            data=forest_table,
            show_data=show,
            caption="Effekten enligt varje metod",
        ),
        figure_with_data(
            plot_event_study(
                path_results, xlabel="Månad efter start", ylabel="Procentenheter", scale=100
            ),
            alt=alt_text("Diagram: effekten månad för månad.", "Effekten växer efter start."),
            data=DataTable(
                "Effekt per månad efter start (procentenheter)",
                ["Månad efter start", "Effekt", "95 % KI, lägre", "95 % KI, övre"],
                [
                    (int(r.event_time), num(r.estimate), num(r.ci_low), num(r.ci_high))
                    for r in path_frame.itertuples()
                ],
                numeric=(0, 1, 2, 3),
            ),
            show_data=show,
        ),
        figure_with_data(
            love_plot(
                balance,
                before_label="Före",
                after_label="Efter",
                xlabel="|Standardiserad skillnad|",
            ),
            alt=alt_text(
                "Diagram: skillnader per bakgrundsvariabel.", "Efter justering är alla små."
            ),
            data=DataTable(
                "Standardiserad skillnad före och efter justering",
                ["Bakgrundsvariabel", "Före", "Efter"],
                [
                    (r.label, num(r.before, 3), num(r.after, 3))
                    for r in love_frame(balance).itertuples()
                ],
                numeric=(1, 2),
            ),
            show_data=show,
        ),
        figure_with_data(
            overlap_plot(overlap, treated_label="Deltagare", control_label="Jämförelsegrupp"),
            alt=alt_text("Diagram: benägenhetspoäng per grupp.", "Grupperna överlappar."),
            data=DataTable(
                "Andel av gruppen per intervall av benägenhetspoäng",
                ["Grupp", "Från", "Till", "Andel"],
                [
                    (
                        r.group,
                        num(r.left, 2),
                        num(r.right, 2),
                        "–" if r.share != r.share else format_percent(r.share, "sv"),
                    )
                    for r in shares.itertuples()
                ],
                numeric=(1, 2, 3),
            ),
            show_data=show,
        ),
    ]


@pytest.fixture(scope="module")
def gallery(run, tmp_path_factory) -> Path:
    from evalkit.report.export import html_page

    results = json.loads((run.run_dir / f"{MEASURES[0]}.json").read_text(encoding="utf-8"))
    out = tmp_path_factory.mktemp("gallery") / "figurer.html"
    out.write_text(html_page(gallery_parts(results), title="Diagram"), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def gallery_seen(gallery, browser, axe) -> dict[int, dict]:
    return {w: visit(browser, axe, gallery, w) for w in WIDTHS}


def test_charts_with_data_tables_pass_axe_and_reflow_at_every_width(gallery_seen):
    for width, info in gallery_seen.items():
        assert info["violations"] == [], width
        assert info["scrollWidth"] <= info["innerWidth"], width
        assert len(info["images"]) == 4 and all(loaded for loaded, _ in info["images"])


def test_chart_alt_texts_carry_the_callers_finding(gallery_seen):
    alts = [alt for _, alt in gallery_seen[1280]["images"]]
    assert alts[0] == "Diagram: effekten enligt varje metod. Alla metoder visar en ökning."


def test_charts_are_svg_unless_png_is_smaller(gallery):
    page = gallery.read_text(encoding="utf-8")
    assert page.count('src="data:image/svg+xml,') + page.count('src="data:image/png;base64,') == 4
    assert "data:image/svg+xml," in page


def test_data_tables_behind_charts_are_collapsed_on_screen_and_printed(
    gallery, gallery_seen, browser
):
    assert gallery_seen[1280]["collapsed"] == 4
    layout = print_page(browser, gallery)
    assert layout["details"] == 4 and layout["hiddenDetails"] == 0
    text = " ".join(_texts(p) for p in layout["pages"])
    assert "Standardiserad skillnad före och efter justering" in text
    assert "Visa diagrammets uppgifter" not in text
