"""Specifications of the measure report's sections, rendered from a results dict only."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from evalkit.audit.disclosure import protect
from evalkit.report import sections
from evalkit.report.render import fmt_num, fmt_share
from evalkit.report.wording import EN, SV
from evalkit.results import Estimate, MeasureResults, ProtectedResults

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"


@pytest.fixture()
def results() -> dict:
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def page(results: dict) -> ProtectedResults:
    """A results file's content as the report takes it: typed and through disclosure control."""
    return protect(MeasureResults.model_validate(results))


def text_of(html: str) -> str:
    """Visible text of an HTML piece (tags and inline images removed)."""
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_headline_share_effect_reads_as_percentage_points_with_interval():
    entry = {
        "estimator": "aipw",
        "outcome": "work_or_study_12m",
        "estimate": 0.081,
        "ci_low": 0.0418,
        "ci_high": 0.1202,
    }
    # 0.081 -> 8 percentage points; 0.0418 -> 4; 0.1202 -> 12 (rounded to whole points)
    assert sections.headline_sentence(Estimate.model_validate(entry), "sv") == (
        "Deltagandet ökade andelen i arbete eller studier 12 månader efter start med "
        "8 procentenheter (95 % KI 4–12)."
    )


def test_headline_assistance_decrease_reads_as_kronor_per_participant():
    entry = {
        "estimator": "aipw",
        "outcome": "assistance_sek_12m",
        "estimate": -7050.0,
        "ci_low": -11852.0,
        "ci_high": -2248.0,
    }
    # A negative effect on assistance is a decrease; bounds shown as magnitudes, rounded to tens.
    assert sections.headline_sentence(Estimate.model_validate(entry), "sv") == (
        "Deltagandet minskade utbetalt försörjningsstöd under de första 12 månaderna med "
        "7\u00a0050 kr per deltagare (95 % KI 2\u00a0250–11\u00a0850)."
    )


def test_headline_interval_covering_zero_says_no_effect_can_be_shown():
    entry = {
        "estimator": "aipw",
        "outcome": "work_or_study_12m",
        "estimate": 0.02,
        "ci_low": -0.03,
        "ci_high": 0.07,
    }
    sentence = sections.headline_sentence(Estimate.model_validate(entry), "en")
    assert sentence.startswith("We cannot show that taking part changed")
    assert "95% CI −3 to 7" in sentence


def test_headline_of_a_binary_table_mode_outcome_reads_in_percentage_points():
    results = {
        "diagnostics": {"mde": {"mde": 0.05, "binary": True}},
        "headline": {"outcome": "arbete_12m", "estimator": "aipw"},
    }
    entry = {
        "estimator": "aipw",
        "outcome": "arbete_12m",
        "estimate": 0.064,
        "ci_low": 0.021,
        "ci_high": 0.107,
    }
    kind = sections.outcome_kind(page({"measure_id": "x", **results}), "arbete_12m")
    assert sections.headline_sentence(Estimate.model_validate(entry), "sv", kind) == (
        "Deltagandet ökade utfallet arbete_12m med 6 procentenheter (95 % KI 2–11)."
    )


def test_headline_suppressed_estimate_says_too_few_people():
    entry = {
        "estimator": "aipw",
        "outcome": "work_or_study_12m",
        "estimate": None,
        "ci_low": None,
        "ci_high": None,
    }
    assert (
        sections.headline_sentence(Estimate.model_validate(entry), "sv")
        == SV["headline"]["suppressed"]
    )


def test_swedish_numbers_use_decimal_comma_space_thousands_and_minus_sign():
    assert fmt_num(-12345.67, "sv", 1) == "−12\u00a0345,7"
    assert fmt_num(-12345.67, "en", 1) == "−12,345.7"
    assert fmt_share(0.4296, "sv") == "43\u00a0%"


def test_summary_comes_with_goal_verdicts_and_credibility_grade(results):
    html = sections.summary(page(results)).html
    text = text_of(html)
    assert 'id="summary"' in html
    assert "Uppfyllt 1, Delvis uppfyllt 1, Ej uppfyllt 1" in text
    assert "Tillförlitlighet: Medel." in text


def test_english_report_uses_english_words(results):
    results["lang"] = "en"
    text = text_of(sections.summary(page(results)).html)
    assert "Summary" in text and "Credibility: Medium." in text
    assert "Sammanfattning" not in text


def test_small_end_reason_counts_are_suppressed_with_a_second_cell(results):
    results["followup"]["end_reasons"][5]["n"] = 3  # flytt: 3 < min_cell 5
    results["followup"]["end_reasons"][2]["n"] = 22  # studier: next smallest, must go too
    html = sections.followup(page(results)).html
    rows = dict(re.findall(r"<tr><td>([^<]+)</td><td class=\"num\">([^<]+)</td>", html))
    assert rows["Flytt"] == "–"
    assert rows["Studier"] == "–"
    assert rows["Avbrott"] == "97"


def test_end_reason_shares_are_over_all_participants_not_just_shown_rows(results):
    html = sections.followup(page(results)).html
    # Avbrott: 97 of 412 participants = 23.5 % -> "24 %"
    assert re.search(
        r"<td>Avbrott</td><td class=\"num\">97</td><td class=\"num\">24\u00a0%</td>", html
    )


def test_subgroup_with_three_participants_shows_no_estimate(results):
    html = sections.subgroups(page(results)).html
    row = re.search(
        r"<tr><td>Födelseregion</td><td>Född i Europa utom Sverige</td>(.*?)</tr>", html
    ).group(1)
    assert re.findall(r">([^<]*)<", row)[::2][:4] == ["–", "–", "–", "573"]


def test_estimates_section_has_a_table_row_per_estimator_and_a_forest_plot(results):
    html = sections.estimates(page(results)).html
    work = html.split('id="estimates-assistance_sek_12m"')[0]
    assert work.count("<tr>") == 1 + 5  # header + naive, regression, ipw, matching, aipw
    assert re.search(r'<img src="data:image/(png;base64|svg\+xml),[^"]+" alt="[^"]+"', work)


def test_effect_path_draws_one_figure_per_estimator_and_outcome(results):
    html = sections.effect_path(page(results)).html
    # work_or_study: cs_did dynamic and dynamic_matching; assistance_sek: dynamic_matching
    assert html.count("<img ") == 3


def test_failed_run_page_says_in_plain_words_what_failed(results):
    failed = {
        "measure_id": "praktik",
        "title": "Praktik",
        "status": "failed",
        "lang": "sv",
        "error": {
            "type": "MissingTableError",
            "message": "table missing (table 'costs')",
            "stage": "data",
        },
    }
    text = text_of(sections.summary(page(failed)).html)
    assert "Rapporten för Praktik kunde inte tas fram." in text
    assert "En tabell som behövs saknas i datakällan." in text
    assert "inläsning och kontroll av data" in text
    assert sections.estimates(page(failed)).html == ""


def test_failed_run_renders_no_effect_sections(results):
    failed = {"measure_id": "x", "status": "failed", "error": {"type": "RunError"}}
    keys = [s.key for s in sections.measure_sections(page(failed)) if s.html]
    assert keys == ["title", "failed", "footer"]


def test_goals_are_grouped_by_source_document(results):
    html = sections.goals(page(results)).html
    headings = re.findall(r"<h3>([^<]+)</h3>", html)
    assert headings == [
        "Arbetsmarknadsnämndens verksamhetsplan 2024, dnr AMN 2023/45",
        "Mål och budget 2023, dnr KS 2022/118",
    ]


def test_appendix_counts_quarantined_rows(results):
    text = text_of(sections.appendix(page(results)).html)
    assert "Rader i karantän (bryter mot en regel och används inte): 16" in text


def test_footer_shows_fingerprint_version_commit_seed_and_packages(results):
    text = text_of(sections.footer(page(results)).html)
    for value in (results["data_fingerprint"], "0.1.0", "51118f6", "20261126", "pandas 3.1.0"):
        assert value in text


def test_no_code_or_preformatted_blocks_in_any_section(results):
    for s in sections.measure_sections(page(results)):
        assert "<pre" not in s.html and "<code" not in s.html


def test_every_image_has_alt_text(results):
    for s in sections.measure_sections(page(results)):
        for tag in re.findall(r"<img [^>]*>", s.html):
            assert re.search(r'alt="[^"]{10,}"', tag)


def test_sections_do_not_change_the_results(results):
    protected = page(results)
    before = protected.model_copy(deep=True)
    sections.measure_sections(protected)
    assert protected == before


def test_sections_take_only_results_made_by_disclosure_control(results):
    with pytest.raises(TypeError, match="ProtectedResults"):
        sections.summary(results)
    with pytest.raises(TypeError, match="ProtectedResults"):
        sections.footer(MeasureResults.model_validate(results))


def test_swedish_and_english_wording_have_the_same_keys():
    def keys(d: dict, prefix: str = "") -> set[str]:
        out = set()
        for k, v in d.items():
            out.add(prefix + k)
            if isinstance(v, dict):
                out |= keys(v, prefix + k + ".")
        return out

    assert keys(SV) == keys(EN)


def test_footer_lists_params_holding_dates(results):
    import datetime

    results["params"]["goals"][0]["deadline"] = datetime.date(2024, 12, 31)
    assert "2024-12-31" in text_of(sections.footer(page(results)).html)
