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
    assert cells[3] == "Ej rangordnad: för få deltagare" and cells[4] == ""


def test_probability_of_being_best_is_shown_for_ranked_measures(run_dir):
    html = page.ranking(page.load_run(run_dir), "sv").html
    # Effects 0.081 vs 0.031, both se 0.020: P(best) = Φ(0.05 / √(2·0.02²)) = Φ(1.768) = 0.961
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


# --- a run with effects over the horizon and costs per perspective ---------------------------


def with_horizon(results: dict, months_24: float, at_12: float, net_cost: float) -> dict:
    """A measure's results with cumulative effects, a horizon block and costs over it."""
    out = copy.deepcopy(results)
    for outcome, est in (
        ("work_or_study_months_12m", at_12),
        ("work_or_study_months_24m", months_24),
    ):
        out["estimates"].append(
            {
                "outcome": outcome,
                "estimator": "aipw",
                "estimate": est,
                "se": 0.3,
                "ci_low": est - 0.59,
                "ci_high": est + 0.59,
                "n_treated": 300,
                "n_control": 4000,
            }
        )
    out["horizon"] = {
        "months": 24,
        "lock_in": {
            "months": 6,
            "ci_low": 4,
            "ci_high": 9,
            "within_horizon": True,
            "horizon_months": 24,
        },
    }
    interval = {"estimate": net_cost, "ci_low": net_cost - 4000.0, "ci_high": net_cost + 4000.0}
    out["costs"] = {
        "available": True,
        "horizon_months": 24,
        "discount_rate": 0.035,
        "municipality": {
            "net_cost": interval,
            "break_even": {
                "months": 14,
                "months_optimistic": 11,
                "months_pessimistic": None,
                "within_horizon": True,
                "horizon_months": 24,
            },
        },
        "public_finance": {
            "net_cost": {
                **interval,
                "estimate": net_cost - 9000.0,
                "ci_low": net_cost - 14000.0,
                "ci_high": net_cost - 4000.0,
            }
        },
        "cost_per_extra_month_in_work": {
            "estimate": net_cost / months_24,
            "ci_low": net_cost / months_24 - 2000.0,
            "ci_high": net_cost / months_24 + 2000.0,
            "bounded": True,
            "defined": True,
            "horizon_months": 24,
        },
    }
    return out


@pytest.fixture()
def horizon_dir(tmp_path) -> Path:
    base = json.loads(FIXTURE.read_text(encoding="utf-8"))
    files = {
        "jobbspar_vard": with_horizon(base, 2.0, 1.0, -8000.0),
        "anstallning": with_horizon(
            {**base, "measure_id": "anstallning", "title": "Anställning"}, 3.5, -1.0, 30_000.0
        ),
    }
    for name, data in files.items():
        (tmp_path / f"{name}.json").write_text(json.dumps(data), encoding="utf-8")
    return tmp_path


def test_ranking_over_the_horizon_shows_both_horizons_and_the_lock_in(horizon_dir):
    html = page.ranking(page.load_run(horizon_dir), "sv").html
    assert "mån 1–24" in html and "Mån 1–12" in html
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    first = re.findall(r"<td[^>]*>(.*?)</td>", rows[0])
    assert first[:2] == ["1", '<a href="anstallning.html">Anställning</a>']
    assert first[3] == "3,5 (2,9\u2009–\u20094,1)" and first[4].startswith("−1,0")
    assert first[6] == "6 (4–9)"
    assert len(first) == 7


def test_every_cost_figure_on_the_portfolio_page_has_an_interval(horizon_dir):
    html = page.costs_table(page.load_run(horizon_dir), "sv").html
    rows = re.findall(r"<tr>(.*?)</tr>", html)[1:]
    for row in rows:
        cells = re.findall(r"<td[^>]*>(.*?)</td>", row)
        for cell in cells[1:4]:
            assert re.search(r"<br>\(.+\u2009–\u2009.+\)", cell), cell
    assert "14 (11–&gt;24)" in html  # break-even with an open upper bound


def test_portfolio_json_has_the_documented_shape_and_fits_its_schema(horizon_dir):
    import jsonschema

    from evalkit.audit.portfolio_file import PORTFOLIO_SCHEMA_FILE

    path = page.write_portfolio_json(page.load_run(horizon_dir), horizon_dir)
    data = json.loads(path.read_text(encoding="utf-8"))
    schema = json.loads(PORTFOLIO_SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert set(data) == {
        "horizon_months",
        "discount_rate",
        "measures",
        "goals_by_document",
        "benchmark",
    }
    first = data["measures"][0]
    assert set(first) == {
        "measure_id",
        "title",
        "rank",
        "not_ranked_reason",
        "credibility",
        "cumulative_effect",
        "net_cost_per_participant",
        "cost_per_extra_month_in_work",
        "p_best",
    }
    assert first["cumulative_effect"]["outcome"] == "work_or_study_months_24m"
    assert set(first["net_cost_per_participant"]) == {"municipality", "public_sector"}
    assert (data["horizon_months"], data["discount_rate"]) == (24, 0.035)


def test_committed_portfolio_schema_is_the_one_generated_from_the_models():
    from evalkit.audit.portfolio_file import PORTFOLIO_SCHEMA_FILE, portfolio_schema

    committed = json.loads(PORTFOLIO_SCHEMA_FILE.read_text(encoding="utf-8"))
    assert portfolio_schema() == committed, (
        "regenerate: python -m evalkit.audit.portfolio_file > evalkit/portfolio_schema.json"
    )


def test_goal_matrix_says_how_many_goals_of_each_commission_are_met(run_dir):
    html = page.goal_matrix(page.load_run(run_dir), "sv").html
    # jobbspar, praktik, mentorprogram: each G2 delvis and G3 ej uppfyllt under AMN 2023/45
    assert "AMN 2023/45: 0 av 6 mål uppfyllda, 3 delvis uppfyllt, 3 ej uppfyllt" in html
    assert "Uppdraget är inte slutfört" in html


def test_committee_page_is_one_table_with_every_measure(horizon_dir):
    from evalkit.report import namnd_page

    results = page.load_run(horizon_dir)
    path = namnd_page.write_namnd_page(results, horizon_dir, "sv")
    html = path.read_text(encoding="utf-8")
    assert html.count("<table") == 1
    assert "1. Anställning" in html and "2. Jobbspår vård och omsorg" in html
    assert "30\u00a0000 (26\u00a0000\u2009–\u200934\u00a0000)" in html
    assert "<script" not in html


@pytest.mark.slow
def test_run_all_writes_portfolio_json_and_the_committee_page_beside_index(tmp_path_factory):
    import jsonschema
    from e2e_run import small_run

    from evalkit.audit.portfolio_file import PORTFOLIO_SCHEMA_FILE

    run_dir = small_run(tmp_path_factory.getbasetemp()).run_dir
    assert (run_dir / "index.html").exists() and (run_dir / "namnd.html").exists()
    data = json.loads((run_dir / "portfolio.json").read_text(encoding="utf-8"))
    schema = json.loads(PORTFOLIO_SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator(schema).validate(data)
    assert data["measures"]
