"""Specifications of the measure page's section on the horizon and costs (report.sections.costs)."""

from __future__ import annotations

import re

import pandas as pd
import pytest
from simulate_paths import COVARIATES, simulate_paths

from evalkit.audit import horizon as hz
from evalkit.audit.costs import cost_summary
from evalkit.audit.disclosure import protect
from evalkit.report.sections import costs as costs_section
from evalkit.report.sections.costs import lock_in_sentence
from evalkit.results import LockIn, MeasureResults


@pytest.fixture(scope="module")
def page() -> str:
    frame = simulate_paths(3000, 24, seed=11, observed_from=24)
    horizon = hz.horizon_effects(frame, COVARIATES, cluster="cluster_id", chosen=24, seed=2)
    results = MeasureResults(measure_id="m", title="M", followup={"n_participants": 100},
                             horizon=horizon)  # fmt: skip
    table = pd.DataFrame(
        {"measure_id": ["m"], "month": ["2022-01-01"], "cost_sek": [3_000_000.0],
         "external_funding_sek": [500_000.0]}
    )  # fmt: skip
    results = results.model_copy(update={"costs": cost_summary(results, costs=table)})
    return costs_section(protect(results)).html


def test_the_section_shows_cumulative_effects_at_12_and_24_months(page):
    assert "Mån 1–12" in page and "Mån 1–24" in page
    assert "Extra månader i arbete eller studier" in page


def test_the_lock_in_is_stated_with_its_interval(page):
    assert re.search(r"Inlåsning: den sammanlagda effekten vänder uppåt efter \d+ månader", page)
    assert "95 % KI" in page


def test_every_estimated_cost_row_has_an_interval_or_a_reason(page):
    rows = re.findall(r"<tr>(.*?)</tr>", page)
    cost_rows = [r for r in rows if "kr" not in r and ("mån 1–24" in r or "månad 24" in r)]
    assert cost_rows
    for row in cost_rows:
        last = re.findall(r"<td[^>]*>(.*?)</td>", row)[-1]
        assert "\u2009–\u2009" in last or "obegränsat" in last or "saknas" in last, row


def test_book_costs_are_marked_as_book_figures(page):
    assert "bokförd kostnad" in page


def test_the_assumptions_are_listed_with_their_sources(page):
    assert "ASEK" in page and "SCB" in page and "Skatteverket" in page
    assert "Diskonteringsränta 3,5 % per år" in page and "Arbetsgivaravgifter 31,42 %" in page


def test_a_lock_in_beyond_the_horizon_is_said_in_words():
    lock = LockIn(months=None, within_horizon=False, horizon_months=24)
    assert lock_in_sentence(lock, "sv") == (
        "Den sammanlagda effekten har inte vänt uppåt inom 24 månader."
    )


def test_no_lock_in_is_said_as_such():
    lock = LockIn(months=0, ci_low=0, ci_high=2, within_horizon=True, horizon_months=24)
    assert lock_in_sentence(lock, "en") == (
        "No lock-in: the effect is positive from the start (95% CI 0–2 months)."
    )
