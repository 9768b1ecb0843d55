"""Specifications of the disclosure-control rules (evalkit.audit.disclosure)."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from disclosure_attack import derivable_counts, derivable_from_page

from evalkit.audit.disclosure import (
    REASONS,
    merge_rare,
    protect,
    share_allowed,
    suppress_count,
    suppress_line,
    suppress_share,
    suppress_table,
)
from evalkit.errors import DataError
from evalkit.report import sections
from evalkit.report.export import html_page
from evalkit.results import MeasureResults, ProtectedResults


def test_counts_between_one_and_min_cell_minus_one_are_suppressed():
    assert [suppress_count(n, 5) for n in (0, 1, 4, 5, 12)] == [0, None, None, 5, 12]


def test_share_with_denominator_under_twice_min_cell_is_suppressed():
    assert suppress_share(0.5, 9, 5) is None
    assert suppress_share(0.5, 10, 5) == 0.5
    assert not share_allowed(None, 5)


def test_min_cell_below_one_is_rejected():
    with pytest.raises(DataError, match="min_cell"):
        suppress_table(pd.DataFrame({"a": [1]}), 0)


def test_suppressed_cell_recoverable_from_total_gets_a_secondary_suppression():
    # Row "A" holds 3 (primary). Without secondary suppression, 3 = total 25 - 10 - 12 and
    # 3 = column total 43 - 40. The table must therefore hide one more cell in row A and in
    # column x.
    counts = pd.DataFrame({"x": [3, 40], "y": [10, 20], "z": [12, 30]}, index=["A", "B"])
    primary_only = counts.copy()
    primary_only.loc["A", "x"] = None
    row_total = counts.loc["A"].sum()
    assert row_total - primary_only.loc["A", ["y", "z"]].sum() == 3  # recoverable without rule 3

    out = suppress_table(counts, 5)

    assert pd.isna(out.loc["A", "x"])
    assert out.loc["A"].isna().sum() >= 2
    assert out["x"].isna().sum() >= 2
    # the chosen complement in row A is its smallest shown inner cell (10 in column y)
    assert pd.isna(out.loc["A", "y"])


def test_no_row_or_column_of_a_protected_table_has_exactly_one_suppressed_cell():
    counts = pd.DataFrame(
        {"x": [3, 40, 7], "y": [10, 2, 9], "z": [12, 30, 50]}, index=["A", "B", "C"]
    )
    out = suppress_table(counts, 5)
    na = out.isna()
    assert all(n != 1 for n in na.sum(axis=1))
    assert all(n != 1 for n in na.sum(axis=0))


def test_totals_are_appended_and_shown_when_no_cell_is_small():
    out = suppress_table(pd.DataFrame({"x": [5, 6], "y": [7, 8]}, index=["A", "B"]), 5)
    assert out.loc["total", "total"] == 26
    assert out.isna().sum().sum() == 0


def test_total_is_suppressed_when_a_line_has_no_other_inner_cell():
    # one column: the small cell in row A can only be hidden with the row total... of its column
    out = suppress_table(pd.DataFrame({"x": [3, 20]}, index=["A", "B"]), 5)
    assert pd.isna(out.loc["A", "x"])
    assert pd.isna(out.loc["A", "total"])
    assert pd.isna(out.loc["B", "x"])  # column x: 3 = 23 - 20 unless 20 is hidden too


def test_single_small_count_in_a_list_with_known_total_takes_the_next_smallest_with_it():
    values, hit = suppress_line([50, 3, 8, 20], 5, total_known=True)
    assert values == [50, None, None, 20]
    assert hit == [1, 2]


def test_two_small_counts_in_a_list_need_no_secondary_suppression():
    values, hit = suppress_line([50, 3, 2, 20], 5, total_known=True)
    assert hit == [1, 2]


def test_rare_rows_are_merged_into_other_until_other_is_large_enough():
    df = pd.DataFrame({"region": ["a"] * 10 + ["b"] * 3 + ["c"] * 1 + ["d"] * 6})
    out = merge_rare(df, "region", 5)
    counts = out["region"].value_counts().to_dict()
    # b (3) + c (1) = 4 < 5, so the next smallest, d (6), joins them: other = 10
    assert counts == {"a": 10, "other": 10}


def test_rare_categories_of_an_aggregated_table_are_summed():
    df = pd.DataFrame({"reason": ["arbete", "flytt", "annat", "studier"], "n": [30, 2, 4, 12]})
    out = merge_rare(df, "reason", 5, count="n")
    assert dict(zip(out["reason"], out["n"], strict=True)) == {
        "arbete": 30,
        "other": 6,
        "studier": 12,
    }


def test_merge_rare_names_a_missing_column():
    with pytest.raises(DataError, match="region"):
        merge_rare(pd.DataFrame({"x": [1]}), "region", 5)


def protected(results: dict, min_cell: int) -> dict:
    """Results parts through disclosure control (``protect``), back as the file's JSON values."""
    typed = MeasureResults.model_validate({"measure_id": "m", **results})
    return protect(typed, min_cell).to_json_dict()


def _results() -> dict:
    return {
        "measure_id": "m",
        "sample": {"n_treated": 3, "n_control": 400, "n_eligible": 403},
        "followup": {
            "n_participants": 48,
            "shares": [
                {"horizon": "6m", "n": 48, "n_in_work_or_study": 20, "share": 20 / 48},
                {"horizon": "12m", "n": 48, "n_in_work_or_study": 45, "share": 45 / 48},
                {"horizon": "24m", "n": 8, "n_in_work_or_study": 6, "share": 0.75},
            ],
            "end_reasons": [
                {"reason": "arbete_osubventionerat", "n": 30},
                {"reason": "flytt", "n": 2},
                {"reason": "studier", "n": 9},
                {"reason": "avbrott", "n": 7},
            ],
        },
        "estimates": [
            {
                "outcome": "y",
                "estimator": "aipw",
                "estimate": 0.1,
                "se": 0.02,
                "ci_low": 0.06,
                "ci_high": 0.14,
                "p_value": 0.0,
                "n_treated": 300,
                "n_control": 900,
            },
            {
                "outcome": "y",
                "estimator": "cs_did",
                "estimate": 0.3,
                "se": 0.2,
                "ci_low": -0.1,
                "ci_high": 0.7,
                "p_value": 0.1,
                "n_treated": 4,
                "n_control": 900,
                "group": 7,
            },
        ],
        "subgroups": [
            {
                "outcome": "y",
                "estimator": "aipw",
                "subgroup": "sex",
                "level": "K",
                "estimate": 0.2,
                "se": 0.1,
                "ci_low": 0.0,
                "ci_high": 0.4,
                "n_treated": 2,
                "n_control": 50,
                "flag": None,
            },
        ],
        "diagnostics": {
            "overlap": {
                "bin_edges": [0, 0.5, 1],
                "treated_counts": [1, 50, 30],
                "control_counts": [300, 90, 10],
                "share_outside_support": 0.0,
                "n_trimmed": 0,
            }
        },
    }


def test_small_sample_count_is_nulled_with_the_total_it_adds_up_to():
    out = protected(_results(), 5)
    assert out["sample"]["n_treated"] is None
    assert out["sample"]["n_eligible"] is None  # 403 - 400 would give it away
    assert out["sample"]["n_control"] == 400


def test_share_is_nulled_when_its_complement_is_small():
    out = protected(_results(), 5)
    row = out["followup"]["shares"][1]  # 48 - 45 = 3 not in work or study
    assert row["share"] is None and row["n_in_work_or_study"] is None
    assert row["n"] == 48


def test_share_is_nulled_when_its_denominator_is_under_twice_min_cell():
    row = protected(_results(), 5)["followup"]["shares"][2]
    assert row["share"] is None and row["n_in_work_or_study"] is None


def test_single_small_end_reason_takes_the_next_smallest_with_it():
    reasons = protected(_results(), 5)["followup"]["end_reasons"]
    assert [r["n"] for r in reasons] == [30, None, 9, None]


def test_estimate_resting_on_few_treated_is_suppressed_with_its_counts():
    out = protected(_results(), 5)
    cell = out["estimates"][1]
    assert cell["estimate"] is None and cell["ci_low"] is None and cell["n_treated"] is None
    assert out["estimates"][0]["estimate"] == 0.1


def test_small_subgroup_is_flagged_and_its_estimate_removed():
    sub = protected(_results(), 5)["subgroups"][0]
    assert sub["flag"] == "suppressed" and sub["estimate"] is None and sub["n_treated"] is None


def test_overlap_bin_under_min_cell_takes_the_next_smallest_bin_with_it():
    overlap = protected(_results(), 5)["diagnostics"]["overlap"]
    assert overlap["treated_counts"] == [None, 50, None]
    assert overlap["control_counts"] == [300, 90, 10]


def test_every_suppressed_value_is_listed_by_path_and_the_result_is_json_safe():
    out = protected(_results(), 5)
    paths = out["disclosure"]["suppressed"]
    assert "followup.end_reasons[1].n" in paths
    assert "diagnostics.overlap.treated_counts[0]" in paths
    assert out["disclosure"]["min_cell"] == 5
    json.dumps(out)


def test_protect_leaves_the_input_untouched():
    results = _results()
    protected(results, 5)
    assert results["sample"]["n_treated"] == 3


def test_small_subgroup_count_is_not_recoverable_from_the_other_level_and_the_sample_size():
    # treated: K 3 + M 400 = sample's 403; hiding only K's 3 would leave it as 403 - 400
    results = {
        "sample": {"n_treated": 403, "n_control": 900},
        "subgroups": [
            {
                "outcome": "y",
                "estimator": "aipw",
                "subgroup": "sex",
                "level": "K",
                "estimate": 0.2,
                "n_treated": 3,
                "n_control": 450,
            },
            {
                "outcome": "y",
                "estimator": "aipw",
                "subgroup": "sex",
                "level": "M",
                "estimate": 0.1,
                "n_treated": 400,
                "n_control": 450,
            },
        ],
    }
    subs = protected(results, 5)["subgroups"]
    assert subs[0]["n_treated"] is None and subs[1]["n_treated"] is None
    assert subs[1]["estimate"] == 0.1  # an estimate on 400 people stays
    assert subs[0]["n_control"] == 450 and subs[1]["n_control"] == 450


def test_small_cohort_count_takes_the_next_smallest_cohort_count_with_it():
    cells = [
        {
            "outcome": "y",
            "estimator": "cs_did",
            "aggregation": "group",
            "group": g,
            "estimate": 0.1,
            "n_treated": n,
            "n_control": 900,
        }
        for g, n in ((5, 40), (6, 2), (7, 25))
    ]
    out = protected({"estimates": cells}, 5)["estimates"]
    assert [c["n_treated"] for c in out] == [40, None, None]
    assert out[1]["estimate"] is None and out[2]["estimate"] == 0.1


def test_display_frame_hides_small_counts_their_complement_and_shares_over_small_denominators():
    from evalkit.audit.disclosure import suppress_frame

    df = pd.DataFrame(
        {
            "level": ["a", "b", "c"],
            "n": [40, 3, 12],
            "share": [0.5, 0.33, 0.25],
            "base": [80, 9, 48],
        }
    )
    out = suppress_frame(df, ["n"], 5, shares={"share": "base"})
    assert out["n"].isna().tolist() == [False, True, True]  # 3, and 12 as its complement
    assert out["share"].isna().tolist() == [False, True, True]
    assert out.loc[0, "n"] == 40


def test_small_cost_denominator_is_hidden_with_the_totals_that_reveal_it():
    costs = {
        "n_participants": 4,
        "cost_per_participant": {"n_participants": 4, "total_gross": 80_000.0, "gross": 20_000.0},
    }
    out = protected({"costs": costs}, 5)["costs"]
    per = out["cost_per_participant"]
    assert out["n_participants"] is None and per["n_participants"] is None
    assert per["total_gross"] is None and per["gross"] == 20_000.0


def test_every_small_count_in_the_sample_block_is_suppressed_but_settings_are_not():
    sample = {
        "n_treated": 400,
        "n_control": 900,
        "eligibility_months": 3,
        "n_outcome_missing": {"work_or_study_24m": 2, "work_or_study_12m": 0},
        "n_control_persons": 4,
    }
    out = protected({"sample": sample}, 5)["sample"]
    assert out["eligibility_months"] == 3
    assert out["n_outcome_missing"] == {"work_or_study_24m": None, "work_or_study_12m": 0}
    assert out["n_control_persons"] is None


def test_single_small_exclusion_reason_takes_the_next_smallest_with_it():
    sample = {"n_treated": 400, "n_participants_excluded": {"a": 3, "b": 9, "c": 30}}
    out = protected({"sample": sample}, 5)["sample"]
    assert out["n_participants_excluded"] == {"a": None, "b": None, "c": 30}


def test_hidden_end_reason_cannot_be_recovered_from_the_exit_row_of_another_table():
    # studier (3) is hidden, but exit count 122 - 88 - 31 would give it back
    followup = {
        "n_participants": 305,
        "shares": [{"horizon": "exit", "n": 280, "n_in_work_or_study": 122, "share": 122 / 280}],
        "end_reasons": [
            {"reason": "arbete_osubventionerat", "n": 88},
            {"reason": "arbete_subventionerat", "n": 31},
            {"reason": "studier", "n": 3},
            {"reason": "avbrott", "n": 138},
            {"reason": "pagaende", "n": 25},
            {"reason": "flytt", "n": 20},
        ],
    }
    out = protected({"followup": followup}, 5)["followup"]
    exit_row = out["shares"][0]
    assert exit_row["n_in_work_or_study"] is None and exit_row["share"] is None
    assert out["end_reasons"][5]["n"] is None  # flytt, the next smallest, hides studier's 3
    assert exit_row["n"] == 280  # pagaende is shown, so the denominator reveals nothing


def test_hidden_ongoing_count_hides_the_exit_denominator():
    followup = {
        "n_participants": 100,
        "shares": [{"horizon": "exit", "n": 97, "n_in_work_or_study": 40, "share": 40 / 97}],
        "end_reasons": [
            {"reason": "arbete_osubventionerat", "n": 40},
            {"reason": "avbrott", "n": 50},
            {"reason": "annat", "n": 7},
            {"reason": "pagaende", "n": 3},
        ],
    }
    out = protected({"followup": followup}, 5)["followup"]
    assert out["end_reasons"][3]["n"] is None and out["end_reasons"][2]["n"] is None
    assert out["shares"][0]["n"] is None


def test_feasible_range_shows_that_a_lone_suppressed_cell_is_recoverable():
    from evalkit.audit.disclosure import feasible_ranges

    counts = pd.DataFrame({"x": [3, 40], "y": [10, 20], "z": [12, 30]}, index=["A", "B"])
    table = counts.copy()
    table["total"] = table.sum(axis=1)
    table.loc["total"] = table.sum(axis=0)
    table = table.astype("Int64")
    table.loc["A", "x"] = pd.NA  # primary suppression only
    assert feasible_ranges(table) == {("A", "x"): (3.0, 3.0)}


def test_no_primary_suppressed_cell_of_protected_random_tables_can_be_recovered():
    from evalkit.audit.disclosure import feasible_ranges

    rng = np.random.default_rng(20261127)
    checked = 0
    for _ in range(40):
        shape = (int(rng.integers(2, 5)), int(rng.integers(2, 5)))
        counts = pd.DataFrame(rng.integers(0, 30, size=shape))
        counts = counts.where(rng.random(shape) > 0.25, rng.integers(1, 5, size=shape))
        out = suppress_table(counts, 5)
        ranges = feasible_ranges(out)
        for (r, c), (lo, hi) in ranges.items():
            if 0 < counts.loc[r, c] < 5:  # a primary cell
                assert hi - lo >= 1, (counts.to_dict(), r, c)
                checked += 1
    assert checked > 20


def test_protected_results_are_made_by_disclosure_control_only():
    results = MeasureResults.model_validate({"measure_id": "m", **_results()})
    with pytest.raises(ValueError, match="disclosure.protect"):
        ProtectedResults.model_validate(results.to_json_dict())
    assert isinstance(protect(results), ProtectedResults)


def test_protecting_protected_results_runs_no_second_time():
    once = protect(MeasureResults.model_validate({"measure_id": "m", **_results()}))
    assert protect(once) is once


# --- the demo's smallest measure: nothing below min_cell can be derived ---------------------

MENTOR = Path(__file__).resolve().parent / "fixtures" / "mentorprogram_results.json"


def mentor_results() -> MeasureResults:
    """The demo's Mentorprogram (5 participants) as the pipeline returns it, before protection."""
    return MeasureResults.model_validate(json.loads(MENTOR.read_text(encoding="utf-8")))


def test_the_attacker_finds_small_counts_in_unprotected_results():
    found = derivable_counts(mentor_results().to_json_dict(), 5)
    assert any("mean_treated" in f for f in found)  # 0.6 of 5 participants = 3 people
    assert any(f.startswith("followup.shares") for f in found)
    assert any(f.startswith("estimates") and "group of 5" in f for f in found)


def test_no_count_below_min_cell_can_be_derived_from_the_smallest_measures_results():
    assert derivable_counts(protect(mentor_results()).to_json_dict(), 5) == []


def test_effects_on_a_share_of_five_participants_are_hidden_and_on_kronor_kept():
    out = protect(mentor_results())
    shares = [e for e in out.overall("work_or_study_12m")]
    kronor = [e for e in out.overall("assistance_sek_12m")]
    assert shares and all(e.estimate is None and e.ci_high is None for e in shares)
    assert all(e.n_treated == 5 for e in shares)  # the group size itself is not small
    assert kronor and all(e.estimate is not None for e in kronor)


def test_every_suppressed_value_says_why():
    out = protect(mentor_results())
    assert set(out.disclosure.suppressed) == set(out.disclosure.reasons)
    assert set(out.disclosure.reasons.values()) <= set(REASONS)
    assert out.disclosure.reasons["estimates[0].estimate"] == "share_of_small_group"


def test_a_binary_outcome_mean_that_is_a_small_count_in_a_large_group_is_hidden_with_the_naive_difference():
    rows = [
        {
            "outcome": "work_or_study_12m",
            "estimator": name,
            "estimate": 0.05,
            "ci_low": 0.0,
            "ci_high": 0.1,
            "n_treated": 40,
            "n_control": 900,
            "details": {"mean_treated": 3 / 40, "mean_control": 0.025},
        }
        for name in ("naive", "aipw")
    ]
    out = protected({"estimates": rows}, 5)["estimates"]
    assert out[0]["estimate"] is None and out[0]["details"]["mean_treated"] is None
    assert out[1]["estimate"] == 0.05 and out[1]["details"]["mean_treated"] is None
    assert derivable_counts({"estimates": out}, 5) == []


def test_share_outside_support_of_few_participants_is_hidden_with_its_count():
    results = {
        "sample": {"n_treated": 12, "n_control": 900},
        "diagnostics": {
            "overlap": {
                "n_participants": 12,
                "n_participants_outside_support": 9,
                "share_outside_support": 0.75,
            }
        },
    }
    overlap = protected(results, 5)["diagnostics"]["overlap"]
    assert overlap["share_outside_support"] is None  # 12 - 9 = 3 inside support
    assert overlap.get("n_participants_outside_support") is None
    assert overlap["n_participants"] == 12


def test_variance_ratio_that_pins_a_small_count_of_a_binary_covariate_is_hidden():
    n1, n0, k, p0 = 200, 3000, 3, 0.2
    p1 = k / n1
    v1, v0 = p1 * (1 - p1) * n1 / (n1 - 1), p0 * (1 - p0) * n0 / (n0 - 1)
    leaky = {"covariate": "born_europe", "smd_before": (p1 - p0) / ((v1 + v0) / 2) ** 0.5,
             "vr_before": v1 / v0, "smd_after": 0.01, "vr_after": 1.1}  # fmt: skip
    age = {"covariate": "age", "smd_before": 0.3, "vr_before": 0.9, "smd_after": 0.0}
    results = {
        "sample": {"n_treated": n1, "n_control": n0},
        "diagnostics": {"balance": [leaky, age]},
    }
    balance = protected(results, 5)["diagnostics"]["balance"]
    assert balance[0]["vr_before"] is None and balance[0]["smd_before"] is not None
    assert balance[1]["vr_before"] == 0.9


def test_cost_per_additional_person_goes_with_the_hidden_effect_it_divides_by():
    out = protect(mentor_results())
    assert out.costs.cost_per_additional.estimate is None
    assert out.costs.cost_per_participant.net is not None


def mentor_page() -> str:
    """The Mentorprogram page as the measure notebook renders it, through the page template."""
    results = protect(mentor_results())
    parts = [str(s) for s in sections.measure_sections(results)]
    return html_page(parts, title=results.title, lang=results.lang)


def _visible(page: str) -> str:
    text = re.sub(r"<(script|style)[^>]*>.*?</\1>", " ", page, flags=re.S)
    text = re.sub(r'(href|src|download)="[^"]*"', "", text)
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())


def test_the_page_attacker_finds_small_counts_on_a_page_of_unprotected_numbers():
    page = (
        "<table><thead><tr><th>Metod</th><th>Effekt (procentenheter)</th><th>Deltagare</th>"
        "</tr></thead><tbody><tr><td>Matchning</td><td>60,0</td><td>5</td></tr></tbody></table>"
        "<table><thead><tr><th>Avslutsorsak</th><th>Deltagare</th></tr></thead>"
        "<tbody><tr><td>Studier</td><td>1</td></tr></tbody></table>"
    )
    assert len(derivable_from_page(page, 5)) == 2


def test_no_count_below_min_cell_can_be_derived_from_the_smallest_measures_page():
    page = mentor_page()
    assert derivable_from_page(page, 5) == []
    text = _visible(page)
    # No share of the 5 participants and no effect on one is printed anywhere: what remains
    # of percentages are goal texts and targets, the 95 % of intervals, the 80 % power, the
    # smallest detectable effects and the glossary's example.
    text = text.rsplit("Ordlista", 1)[0]
    for goal in mentor_results().goals:
        text = text.replace(goal.text or "", "")
    text = re.sub(r"Minsta effekt som kan upptäckas med 80 % styrka: [^.]*\.", "", text)
    text = re.sub(r"≥ [\d,]+( %| procentenheter)", "", text)
    # the checks' own limits and targets are settings, not data
    text = re.sub(r"(godkänt till och med|underkänt över) [\d,]+ %", "", text)
    text = re.sub(r"rymmer redan [−-]?[\d,]+ procentenheter", "", text)
    shares = re.findall(r"[−-]?\d[\d\s,]*(?: %| procentenhet)", text)
    assert [s for s in shares if s.strip() not in ("95 %",)] == []
    assert not re.search(r"(?<![\d,])0,60?(?!\d)", text)  # mean_treated 0.6 = 3 of 5
