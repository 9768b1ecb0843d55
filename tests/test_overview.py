"""Specifications of the overview page across municipalities (a run over a params tree)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from evalkit.report.overview import overview_parts, write_overview

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"


@pytest.fixture
def run(tmp_path) -> Path:
    """Two municipalities: ale with two measures (one failed), 'borås' with one."""
    example = json.loads(FIXTURE.read_text())
    for name, measures in (("ale", ("a", "b")), ("borås", ("a",))):
        (tmp_path / name).mkdir()
        (tmp_path / name / "index.html").write_text("<html></html>")
        for m in measures:
            results = dict(example, measure_id=m, title=f"Insats {m.upper()}")
            if (name, m) == ("ale", "b"):
                results = {
                    "measure_id": m,
                    "title": "Insats B",
                    "status": "failed",
                    "lang": "sv",
                    "error": {"type": "DataError", "message": "x", "stage": "data"},
                }
            (tmp_path / name / f"{m}.json").write_text(json.dumps(results))
    return tmp_path


def _html(run: Path, lang: str = "sv") -> str:
    return "".join(overview_parts(run, ["ale", "borås"], lang))


def test_each_municipality_links_its_portfolio_page_with_counts_of_its_measures(run):
    page = _html(run)
    assert (
        '<a href="ale/index.html">ale</a></td><td class="num">2</td><td class="num">1</td>' in page
    )
    assert '<a href="bor%C3%A5s/index.html">borås</a>' in page


def test_each_measure_links_its_page_inside_its_municipality(run):
    page = _html(run)
    assert 'href="ale/a.html"' in page and 'href="bor%C3%A5s/a.html"' in page


def test_a_failed_measure_is_listed_with_its_reason_not_a_number(run):
    page = _html(run)
    row = page[page.index('href="ale/b.html"') :].split("</tr>")[0]
    assert "körningen misslyckades" in row
    assert "8,1" not in row


def test_the_headline_effect_is_shown_as_the_portfolio_ranks_it(run):
    row = _html(run)
    row = row[row.index('href="ale/a.html"') :].split("</tr>")[0]
    assert "8,1" in row and '<td class="num">1</td>' in row


def test_names_from_folders_are_escaped(tmp_path):
    (tmp_path / "<i>x&y").mkdir()
    page = "".join(overview_parts(tmp_path, ["<i>x&y"], "sv"))
    assert "<i>x" not in page and "&lt;i&gt;x&amp;y" in page


def test_the_page_is_written_in_the_measures_language(run):
    out = write_overview(run, ["ale", "borås"])
    page = out.read_text()
    assert out == run / "index.html"
    assert '<html lang="sv">' in page and "Kommuner" in page
    english = "".join(overview_parts(run, ["ale"], "en"))
    assert "Municipalities" in english
