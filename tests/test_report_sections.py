"""Specifications of the measure report's sections, rendered from a results dict only."""

from __future__ import annotations

import base64
import csv
import io
import json
import re
from pathlib import Path

import openpyxl
import pytest

from evalkit.audit.disclosure import protect
from evalkit.report import sections
from evalkit.report.render import fmt_interval, fmt_num, fmt_share
from evalkit.report.wording import EN, SV
from evalkit.results import Estimate, MeasureResults, ProtectedResults

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"
MENTOR = Path(__file__).resolve().parent / "fixtures" / "mentorprogram_results.json"


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
        "8 procentenheter (95\u00a0% KI 4–12)."
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
        "7\u00a0050 kr per deltagare (95\u00a0% KI 2\u00a0250–11\u00a0850)."
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
        "Deltagandet ökade utfallet arbete_12m med 6 procentenheter (95\u00a0% KI 2–11)."
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


def test_an_estimates_warning_is_said_in_words_under_its_table(results):
    results["estimates"][3]["warnings"] = ["no_convergence", "extreme_weights"]  # matching, 12m
    html = sections.estimates(page(results)).html
    work = text_of(html.split('id="estimates-assistance_sek_12m"')[0])
    assert (
        "Att tänka på: modellen för vem som deltar konvergerade inte (Matchning); en enda person "
        "väger mycket tungt i jämförelsegruppen (Matchning)." in work
    )
    assert "no_convergence" not in html


def test_estimates_without_warnings_get_no_note(results):
    for e in results["estimates"]:
        e.pop("warnings", None)
    assert "Att tänka på" not in text_of(sections.estimates(page(results)).html)


def test_summary_of_a_low_credibility_measure_warns_before_any_effect(results):
    for c in results["credibility"]:
        c["grade"] = "lag"
        c["reasons"] = ["placebo"]
    html = sections.summary(page(results)).html
    text = text_of(html)
    assert "Varning: tillförlitligheten är låg (placebotestet underkändes)" in text
    assert text.index("Varning") < text.index("Deltagandet")


def test_summary_of_a_measure_with_acceptable_credibility_has_no_warning(results):
    assert "Varning" not in text_of(sections.summary(page(results)).html)


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


# --- words and facts (issue 13) ------------------------------------------------------------------


def _registers(results: dict) -> dict:
    """The fixture with the comparison group counted in persons too (person-months differ)."""
    results["sample"].update(
        n_control_persons=4692, data_start="2019-01", data_end="2025-12", eligibility_months=3
    )
    results["params"]["report"]["organisation"] = {
        "name": "Exempelstads kommun",
        "namnd": "Arbetsmarknadsnämnden",
        "unit": "Arbetsmarknadsenheten",
        "contact_email": "arbetsmarknad@exempelstad.example",
    }
    return results


def test_counts_name_participants_persons_and_person_months_apart(results):
    text = text_of(sections.summary(page(_registers(results))).html)
    # (text_of turns the non-breaking spaces of Swedish numbers into spaces)
    assert (
        "412 deltagare jämförda med 5 873 personmånader i jämförelsegruppen, från "
        "4 692 personer" in text
    )
    appendix = text_of(sections.appendix(page(_registers(results))).html)
    assert "4 692 personer, 5 873 personmånader" in appendix


def test_one_percentage_point_is_singular_and_more_are_plural():
    one = {"estimator": "aipw", "outcome": "work_or_study_12m", "estimate": 0.012,
           "ci_low": 0.011, "ci_high": 0.02}  # fmt: skip
    two = {**one, "estimate": 0.021}
    assert "med 1 procentenhet (" in sections.headline_sentence(Estimate.model_validate(one), "sv")
    assert "med 2 procentenheter (" in sections.headline_sentence(
        Estimate.model_validate(two), "sv"
    )


def test_a_change_is_said_in_words_never_as_a_signed_number():
    up = {"estimator": "aipw", "outcome": "assistance_sek_12m", "estimate": 1553.0,
          "ci_low": -900.0, "ci_high": 4000.0}  # fmt: skip
    down = {**up, "estimate": -1553.0, "ci_low": -4000.0, "ci_high": 900.0}
    rise = sections.headline_sentence(Estimate.model_validate(up), "sv")
    fall = sections.headline_sentence(Estimate.model_validate(down), "sv")
    assert "skattningen är en ökning med 1\u00a0550 kr per deltagare" in rise
    assert "skattningen är en minskning med 1\u00a0550 kr per deltagare" in fall
    assert "−" not in fall.split("(")[0]


def _values(d: dict, skip: tuple[str, ...] = ()) -> list[str]:
    out = []
    for k, v in d.items():
        if k in skip:
            continue
        if isinstance(v, dict):
            out += _values(v)
        elif isinstance(v, (list, tuple)):
            out += [x for x in v if isinstance(x, str)]
        elif isinstance(v, str):
            out.append(v)
    return out


BANNED = {
    "sv": ("jämförbar grupp", "likvärdig grupp", "jämförelsepersoner", "kontrollgrupp",
           "jämförbara personer", "konfidensintervall", "delgrupp"),
    "en": ("comparable group", "similar group", "comparison persons", "control group",
           "comparable people", "confidence interval"),
}  # fmt: skip


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_one_word_for_the_comparison_group_and_the_interval_written_one_way(lang):
    # The glossary alone spells out what KI stands for.
    texts = _values({"sv": SV, "en": EN}[lang], skip=("glossary",))
    for word in BANNED[lang]:
        assert not [t for t in texts if word in t.lower()], word


def test_no_internal_names_on_the_page(results):
    protected = page(_registers(results))
    mine = (
        "title",
        "summary",
        "followup",
        "estimates",
        "path",
        "subgroups",
        "appendix",
        "glossary",
    )
    html = "".join(s.html for s in sections.measure_sections(protected) if s.key in mine)
    text = text_of(re.sub(r'(href|download)="[^"]*"', "", html))
    for code in ("not_yet_treated", "work_or_study", "assistance_sek", "aipw ", "_12m"):
        assert code not in text, code


def test_glossary_explains_the_words_the_page_uses(results):
    text = text_of(sections.glossary(page(_registers(results))).html)
    for term in ("KI (konfidensintervall)", "Procentenhet", "Jämförelsegrupp", "Effekt",
                 "Utfall", "Inlåsning", "Tillförlitlighet", "ATT", "SMD", "Benägenhetspoäng",
                 "Personmånad", "E-värde"):  # fmt: skip
        assert term in text, term


def test_work_or_study_is_defined_as_kolada_does_with_subsidised_work_counted(results):
    text = text_of(sections.followup(page(results)).html)
    assert "räknas som i Kolada" in text
    assert "anställningsstöd (subventionerat" in text
    assert "räknas inte som arbete" in text


def test_comparison_design_is_told_in_plain_words(results):
    text = text_of(sections.appendix(page(_registers(results))).html)
    assert "jämförs med personer som samma månad som deltagaren började" in text
    assert "minst en av de senaste 3 månaderna" in text


def test_title_names_organisation_contact_data_period_and_links_the_results_file(results):
    html = sections.title(page(_registers(results))).html
    text = text_of(html)
    assert "Effektutvärdering: Jobbspår vård och omsorg" in text
    for fact in ("Exempelstads kommun", "Arbetsmarknadsnämnden", "Arbetsmarknadsenheten",
                 "januari 2019 – december 2025", "januari 2021 – december 2023"):  # fmt: skip
        assert fact in text, fact
    assert 'href="mailto:arbetsmarknad@exempelstad.example"' in html
    assert 'href="jobbspar_vard.json"' in html
    assert "Insats: jobbspar_vard" not in text


def test_missing_organisation_names_the_params_key(results):
    text = text_of(sections.title(page(results)).html)
    assert "report.organisation" in text


def test_interval_of_an_effect_on_a_share_is_cut_at_100_points_and_says_so():
    shown = fmt_interval(0.171, 1.029, "work_or_study_12m", "sv")
    assert shown == "17,1\u2009–\u2009100,0 (avkortat)" and shown.clipped
    assert fmt_interval(-0.1, 0.2, "work_or_study_12m", "sv").clipped is False


def test_tables_say_what_a_dash_means(results):
    results["followup"]["end_reasons"][5]["n"] = 3
    html = sections.followup(page(results)).html
    assert "– = visas inte" in text_of(html)


def test_suppressed_effect_on_a_share_says_how_many_participants_and_why():
    results = json.loads(MENTOR.read_text(encoding="utf-8"))
    text = text_of(sections.summary(page(results)).html)
    assert (
        "Effekten på andelen i arbete eller studier 12 månader efter start visas inte: den "
        "bygger på 5 deltagare" in text
    )
    assert "minst 10 personer" in text


def _downloads(html: str) -> list[tuple[str, bytes]]:
    return [
        (name, base64.b64decode(data))
        for data, name in re.findall(
            r'href="data:[^;]+(?:;charset=utf-8)?;base64,([^"]+)" '
            r'download="([^"]+)"',
            html,
        )  # fmt: skip
    ]


def test_every_table_downloads_as_csv_and_excel_with_numbers_as_numbers(results):
    html = sections.estimates(page(results)).html
    files = dict(_downloads(html))
    assert html.count("<table") == len([n for n in files if n.endswith(".csv")])
    assert set(files) >= {"jobbspar_vard-estimates-1.csv", "jobbspar_vard-estimates-1.xlsx"}
    rows = list(csv.reader(io.StringIO(files["jobbspar_vard-estimates-1.csv"].decode("utf-8-sig")),
                           delimiter=";"))  # fmt: skip
    assert rows[0][:4] == [
        "Metod",
        "Effekt (procentenheter)",
        "95\u00a0% KI (procentenheter), nedre gräns",
        "95\u00a0% KI (procentenheter), övre gräns",
    ]
    aipw = next(r for r in rows if r[0] == "Dubbelt robust (AIPW)")
    assert aipw[1] == "8,1" and aipw[2] == "4,2" and aipw[3] == "12"  # 0.081, 0.0418, 0.1202
    sheet = openpyxl.load_workbook(io.BytesIO(files["jobbspar_vard-estimates-1.xlsx"])).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert next(r for r in values if r[0] == "Dubbelt robust (AIPW)")[1:4] == [8.1, 4.2, 12.0]


def test_english_pages_count_people_and_person_months(results):
    results = _registers(results)
    results["lang"] = "en"
    text = text_of(sections.summary(page(results)).html)
    assert "412 participants compared with 5,873 person-months in the comparison group" in text
    assert "4,692 people" in text
