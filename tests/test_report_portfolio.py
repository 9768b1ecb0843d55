"""Specifications of the portfolio page built from a run folder's results JSON files."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

import pytest

from evalkit.report import portfolio_page as page

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"


def shifted(results: dict, measure_id: str, title: str, by: float) -> dict:
    """A copy of a measure's results with every work_or_study estimate moved by ``by``."""
    out = copy.deepcopy(results)
    out["measure_id"], out["title"] = measure_id, title
    for e in out["estimates"]:
        if e["outcome"].startswith("work_or_study") and e["estimate"] is not None:
            for k in ("estimate", "ci_low", "ci_high"):
                e[k] += by
    return out


@pytest.fixture()
def run_dir(tmp_path) -> Path:
    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    small = shifted(base, "mentorprogram", "Mentorprogram", 0.0)
    small["sample"]["n_treated"] = 12
    for e in small["estimates"]:
        e["n_treated"] = 12
    files = {
        "jobbspar_vard": base,
        "praktik": shifted(base, "praktik", "Praktik", -0.05),
        "mentorprogram": small,
        "coachning": {
            "measure_id": "coachning",
            "title": "Coachning",
            "status": "failed",
            "error": {"type": "DataError", "message": "x", "stage": "data"},
        },
    }
    for name, data in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    (tmp_path / "run_summary.json").write_text(json.dumps({"not": "a measure"}))
    (tmp_path / "broken.json").write_text("{not json")
    return tmp_path


def test_load_run_reads_only_measure_results_sorted_by_id(run_dir):
    ids = [r.measure_id for r in page.load_run(run_dir)]
    assert ids == ["coachning", "jobbspar_vard", "mentorprogram", "praktik"]


def test_ranking_orders_by_effect_and_names_why_others_are_not_ranked(run_dir):
    html = page.ranking(page.load_run(run_dir), "sv").html
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    first_cells = [re.findall(r"<td[^>]*>(.*?)</td>", r)[:2] for r in rows]
    assert first_cells[0] == ["1", '<a href="jobbspar_vard.html">Jobbspår vård och omsorg</a>']
    assert first_cells[1] == ["2", '<a href="praktik.html">Praktik</a>']
    assert "Ej rangordnad: för få deltagare" in rows[2] + rows[3]
    assert "Ej rangordnad: körningen misslyckades" in rows[2] + rows[3]


def test_measures_with_too_little_data_show_no_estimate(run_dir):
    html = page.ranking(page.load_run(run_dir), "sv").html
    row = next(r for r in re.findall(r"<tr>(.*?)</tr>", html) if "mentorprogram.html" in r)
    cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
    assert cells[3] == "" and cells[4] == ""


def test_probability_matrix_compares_ranked_measures(run_dir):
    html = page.prob_better(page.load_run(run_dir), "sv").html
    # Effects 0.081 vs 0.031, both se 0.020: P = Φ(0.05 / √(2·0.02²)) = Φ(1.768) = 0.961
    assert "96\u00a0%" in html and "4\u00a0%" in html


def test_goal_matrix_groups_goals_by_source_document(run_dir):
    html = page.goal_matrix(page.load_run(run_dir), "sv").html
    assert re.findall(r"<h3>([^<]+)</h3>", html) == [
        "Arbetsmarknadsnämndens verksamhetsplan 2024, dnr AMN 2023/45",
        "Mål och budget 2023, dnr KS 2022/118",
    ]


def test_every_measure_has_a_link_with_its_status(run_dir):
    html = page.measure_links(page.load_run(run_dir), "en").html
    assert '<a href="coachning.html">Coachning</a></td><td>Failed' in html
    assert '<a href="praktik.html">Praktik</a></td><td>Done' in html


def test_page_language_follows_the_measures_unless_given(run_dir):
    assert page.page_lang(run_dir) == "sv"
    assert page.page_lang(run_dir, "en") == "en"


def test_empty_run_folder_says_there_are_no_results(tmp_path):
    assert "Inga resultat" in page.ranking([], "sv").html


def test_forest_plot_is_an_inline_image_with_alt_text(run_dir):
    html = page.forest(page.load_run(run_dir), "sv").html
    assert re.search(r'<img src="data:image/(png;base64|svg\+xml),[^"]+" alt="[^"]+"', html)


def test_a_results_file_that_does_not_fit_the_model_is_listed_as_failed(run_dir):
    (run_dir / "konstig.json").write_text(
        json.dumps({"measure_id": "konstig", "status": "ok", "estimates": "not a list"})
    )
    strange = next(r for r in page.load_run(run_dir) if r.measure_id == "konstig")
    assert strange.is_failed and strange.error.type == "ResultsError"


def test_the_portfolio_page_takes_only_protected_results(run_dir):
    from evalkit.results import MeasureResults

    raw = json.loads((run_dir / "praktik.json").read_text(encoding="utf-8"))
    with pytest.raises(TypeError, match="ProtectedResults"):
        page.ranking([MeasureResults.model_validate(raw)], "sv")
