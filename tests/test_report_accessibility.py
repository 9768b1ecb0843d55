"""The accessibility statement (lag 2018:1937): what Digg's regulations ask of it, filled from the
organisation's params, Swedish by default and English with lang en."""

from __future__ import annotations

import re
from datetime import date

import pytest
from pydantic import ValidationError

from evalkit.report.accessibility import (
    DIGG_REPORT_URL,
    STATEMENT_FILE,
    AccessibilityInfo,
    Organisation,
    statement_html,
    write_statement,
)

ORG = Organisation(
    name="Exempelstads kommun",
    namnd="Arbetsmarknadsnämnden",
    unit="Arbetsmarknadsenheten",
    contact_email="arbetsmarknad@exempelstad.se",
    contact_phone="010-123 45 67",
    response_days=10,
)
MADE = date(2026, 11, 27)


def text_of(parts: list[str]) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", "".join(parts)).split())


def test_statement_names_the_organisation_the_law_and_how_far_the_pages_comply():
    text = text_of(statement_html(ORG, created=MADE))
    assert "Exempelstads kommun står bakom de här rapporterna" in text
    assert "lagen (2018:1937)" in text
    assert "delvis förenliga med lagen om tillgänglighet till digital offentlig service" in text


def test_full_conformance_is_stated_only_when_the_organisation_says_so():
    text = text_of(statement_html(ORG, AccessibilityInfo(conformance="full"), created=MADE))
    assert "helt förenliga" in text and "delvis" not in text


def test_statement_links_diggs_complaint_function():
    html = "".join(statement_html(ORG, created=MADE))
    assert f'<a href="{DIGG_REPORT_URL}">' in html


def test_statement_says_how_to_reach_the_unit_and_how_soon_it_answers():
    html = "".join(statement_html(ORG, created=MADE))
    assert '<a href="mailto:arbetsmarknad@exempelstad.se">' in html
    text = text_of([html])
    assert "kontakta Arbetsmarknadsenheten, e-post arbetsmarknad@exempelstad.se" in text
    assert "telefon 010-123 45 67" in text
    assert "Vi svarar normalt inom 10 arbetsdagar." in text


def test_statement_lists_known_issues_and_the_files_beside_the_reports():
    info = AccessibilityInfo(known_issues=("Diagrammen saknar mönster för färgerna.",))
    items = re.findall(r"<li>([^<]+)</li>", "".join(statement_html(ORG, info, created=MADE)))
    assert items[0] == "Diagrammen saknar mönster för färgerna."
    assert "JSON" in items[-1]


def test_statement_dates_the_pages_and_the_organisations_own_review():
    text = text_of(statement_html(ORG, AccessibilityInfo(assessed=date(2026, 10, 1)), created=MADE))
    assert "Exempelstads kommun granskade senast rapporterna 2026-10-01." in text
    assert "Sidorna skapades 2026-11-27" in text
    assert "självskattning" in text and "WCAG 2.1 nivå A och AA" in text
    assert "i 1280, 390 och 320 pixlars bredd och i utskrift" in text


def test_statement_without_a_review_says_so_and_where_to_give_the_date():
    text = text_of(statement_html(ORG, created=MADE))
    assert "har ännu inte granskat rapporterna" in text
    assert "report.accessibility.assessed" in text


def test_missing_organisation_is_named_as_missing_with_its_params_key():
    text = text_of(statement_html(Organisation(), created=MADE))
    assert "report.organisation.name" in text
    assert "kontakta oss" in text


def test_english_statement_with_lang_en():
    text = text_of(statement_html(ORG, lang="en", created=MADE))
    assert "Exempelstads kommun publishes these reports" in text
    assert "partially comply" in text and "(2018:1937)" in text


def test_organisation_rejects_unknown_keys():
    with pytest.raises(ValidationError):
        Organisation(name="X", kontakt="y")


def test_write_statement_puts_the_page_in_the_run_folder(tmp_path):
    out = write_statement(tmp_path, ORG, lang="sv", created=MADE)
    page = out.read_text(encoding="utf-8")
    assert out == tmp_path / STATEMENT_FILE
    assert '<html lang="sv">' in page and "<title>Tillgänglighetsredogörelse</title>" in page
    assert '<a href="index.html">' in page
    assert "<script" not in page
