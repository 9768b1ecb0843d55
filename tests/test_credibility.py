"""Specifications of the credibility rules and grade (evalkit.audit.credibility)."""

from __future__ import annotations

import json

import pytest

from evalkit.audit import credibility
from evalkit.audit.credibility import GRADE_LABELS, balance_limits, smd_noise
from evalkit.results import CredibilityRule, Estimate, GoalVerdict, MeasureResults

# The credibility functions take and return typed parts; these specifications write results and
# goals as mappings and read the graded entries as the results file holds them.


def grade_credibility(results: dict, goals: list[dict] | None = None, **kw) -> list[dict]:
    typed_goals = None if goals is None else [GoalVerdict.model_validate(g) for g in goals]
    graded = credibility.grade_credibility(
        MeasureResults.model_validate(results), goals=typed_goals, **kw
    )
    return [c.to_json_dict() for c in graded]


def assess(results: dict, entry: dict) -> dict:
    typed = MeasureResults.model_validate(results)
    return credibility.assess(typed, Estimate.model_validate(entry)).to_json_dict()


def grade(rules: list[dict]) -> str:
    return credibility.grade([CredibilityRule.model_validate(r) for r in rules])


def _est(
    estimator: str,
    est: float,
    se: float = 0.02,
    outcome: str = "work_or_study_12m",
    n_treated: int = 400,
) -> dict:
    return {
        "outcome": outcome,
        "estimator": estimator,
        "estimate": est,
        "se": se,
        "ci_low": est - 1.96 * se,
        "ci_high": est + 1.96 * se,
        "n_treated": n_treated,
        "n_control": 4000,
        "details": {"effective_n_control": 2000.0},
    }


def _placebo(outcome: str, p: float, passes: bool = True) -> dict:
    status = "different" if p < 0.05 else "equivalent" if passes else "inconclusive"
    return {
        "outcome": outcome,
        "estimator": "aipw",
        "estimate": 0.01,
        "p_value": p,
        "p_value_difference": p,
        "p_value_equivalence": 0.01 if passes else 0.2,
        "margin": 0.05,
        "placebo_passes": passes,
        "status": status,
    }


def _design(design: str, p: float, usable: bool = True, outcome="work_or_study_12m") -> dict:
    return {
        "outcome": outcome,
        "design": design,
        "estimator": "stacked_did" if design == "stacked_did" else "aipw",
        "headline_estimator": "aipw",
        "estimate": 0.09,
        "difference": 0.01,
        "se_difference": 0.01,
        "p_value": p,
        "usable": usable,
        "reason": None if usable else "pretrend_failed",
    }


def _results(**diag) -> dict:
    """Results with diagnostics of the headline outcome (work_or_study_12m) at top level."""
    diagnostics = {
        "balance": [
            {"covariate": "age", "smd_before": 0.4, "smd_after": 0.03},
            {"covariate": "assistance_sek_12m_before", "smd_before": -0.5, "smd_after": -0.06},
        ],
        "balance_path": [{"covariate": "work_or_study_b30", "smd_before": 0.3, "smd_after": 0.04}],
        "overlap": {"share_outside_support": 0.01, "share_excluded": 0.01},
        "placebo": [
            _placebo("placebo_work_or_study_months_25_36m_before", 0.6),
            _placebo("placebo_assistance_sek_25_36m_before", 0.4),
        ],
        "designs": [_design("stacked_did", 0.5), _design("comparison:eligible", 0.7)],
        "sensitivity": {
            "benchmarked": {"benchmark": "work_months_24m_before", "target": 0.0, "k_interval": 4.0}
        },
        "mde": {"mde": 0.04},
    }
    diagnostics.update(diag)
    return {
        "estimates": [_est("naive", 0.25), _est("regression", 0.09), _est("aipw", 0.10)],
        "headline": {"outcome": "work_or_study_12m", "estimator": "aipw"},
        "diagnostics": diagnostics,
        "params": {"outcomes": ["work_or_study_12m"]},
        "measure_id": "m",
    }


GOALS = [{"id": "G2", "indicator": "effect_work_or_study_12m", "target": 0.05}]


def _rules(entry: dict) -> dict:
    return {r["rule"]: r for r in entry["rules"]}


def test_a_study_whose_checks_could_fail_and_did_not_is_graded_high():
    out = grade_credibility(_results(), goals=GOALS)
    assert len(out) == 1 and out[0]["estimator"] == "aipw"
    assert out[0]["grade"] == "hog"
    assert {r["status"] for r in out[0]["rules"]} <= {"pass", "not_applicable"}


def test_every_rule_stores_its_value_and_threshold():
    rules = _rules(grade_credibility(_results(), goals=GOALS)[0])
    assert rules["placebo"]["value"] == pytest.approx(0.8) and rules["placebo"]["pass_at_least"]
    assert rules["balance"]["value"] == 0.06 and rules["balance"]["pass_below"] >= 0.10
    assert rules["overlap"]["value"] == 0.01 and rules["overlap"]["pass_at_most"] == 0.05
    assert rules["designs"]["value"] == pytest.approx(1.0) and rules["designs"]["pass_at_least"]
    assert rules["participants"]["value"] == 400 and rules["participants"]["warn_at_least"] == 30


def test_a_placebo_difference_after_holm_makes_the_grade_low():
    placebo = [
        _placebo("placebo_work_or_study_months_25_36m_before", 0.01),
        _placebo("placebo_assistance_sek_25_36m_before", 0.5),
    ]
    out = grade_credibility(_results(placebo=placebo), goals=GOALS)[0]
    rule = _rules(out)["placebo"]
    assert rule["status"] == "fail" and rule["value"] == pytest.approx(0.02)  # Holm: 2 x 0.01
    assert out["grade"] == "lag" and out["reasons"] == ["placebo"]


def test_a_placebo_difference_that_holm_does_not_confirm_is_not_a_failure():
    placebo = [
        _placebo("placebo_work_or_study_months_25_36m_before", 0.04),
        _placebo("placebo_assistance_sek_25_36m_before", 0.5),
    ]
    assert _rules(grade_credibility(_results(placebo=placebo))[0])["placebo"]["status"] != "fail"


def test_an_inconclusive_placebo_cannot_be_high():
    placebo = [
        _placebo("placebo_work_or_study_months_25_36m_before", 0.3, passes=False),
        _placebo("placebo_assistance_sek_25_36m_before", 0.5),
    ]
    out = grade_credibility(_results(placebo=placebo), goals=GOALS)[0]
    assert _rules(out)["placebo"]["status"] == "warn" and out["grade"] == "medel"


def test_without_a_falsification_test_the_grade_is_at_most_medium():
    out = grade_credibility(_results(placebo=[]), goals=GOALS)[0]
    assert _rules(out)["placebo"]["status"] == "not_applicable"
    assert out["grade"] == "medel" and "no_falsification_test" in out["reasons"]


def test_balance_covers_the_pre_programme_path_under_the_headline_weights():
    path = [{"covariate": "work_or_study_b30", "smd_after": 0.4}]
    out = grade_credibility(_results(balance_path=path), goals=GOALS)[0]
    rule = _rules(out)["balance"]
    assert rule["value"] == 0.4 and rule["details"]["column"] == "work_or_study_b30"
    assert rule["status"] == "fail" and out["grade"] == "lag"


def test_smd_between_the_pass_and_fail_limits_is_a_warning():
    out = grade_credibility(_results(balance=[{"covariate": "age", "smd_after": 0.2}]))[0]
    assert _rules(out)["balance"]["status"] == "warn"


def test_balance_limits_grow_with_the_noise_of_a_small_study():
    big = balance_limits(100, smd_noise(2000, 20000), credibility.Thresholds())
    small = balance_limits(100, smd_noise(40, 400), credibility.Thresholds())
    assert big == (0.10, 0.25)  # large study: the fixed limits
    assert small[0] > 0.5 and small[1] > small[0]  # 40 participants: noise alone reaches 0.5


def test_many_participants_outside_support_make_the_grade_low():
    overlap = {"share_outside_support": 0.3, "share_excluded": 0.3, "denominator": "participants"}
    out = grade_credibility(_results(overlap=overlap), goals=GOALS)[0]
    rule = _rules(out)["overlap"]
    assert rule["status"] == "fail" and rule["details"]["denominator"] == "participants"
    assert out["grade"] == "lag"


def test_overlap_counts_trimmed_participants_too():
    overlap = {"share_outside_support": 0.01, "share_excluded": 0.12}
    assert _rules(grade_credibility(_results(overlap=overlap))[0])["overlap"]["value"] == 0.12


def test_a_design_with_other_assumptions_that_disagrees_makes_the_grade_low():
    designs = [_design("stacked_did", 0.001), _design("comparison:eligible", 0.7)]
    out = grade_credibility(_results(designs=designs), goals=GOALS)[0]
    rule = _rules(out)["designs"]
    assert rule["status"] == "fail" and rule["value"] == pytest.approx(0.002)
    assert out["grade"] == "lag"


def test_a_design_that_fails_its_own_check_says_nothing():
    designs = [_design("stacked_did", 0.001, usable=False), _design("comparison:eligible", 0.7)]
    rule = _rules(grade_credibility(_results(designs=designs), goals=GOALS)[0])["designs"]
    assert rule["status"] == "pass" and rule["n_estimators"] == 2


def test_designs_are_not_applicable_when_none_is_usable():
    designs = [_design("stacked_did", 0.001, usable=False)]
    rule = _rules(grade_credibility(_results(designs=designs))[0])["designs"]
    assert rule["status"] == "not_applicable" and rule["reason"] == "no_usable_design"


def test_estimators_that_share_one_assumption_are_not_compared():
    results = _results(designs=[])
    results["estimates"].append(_est("matching", 0.30))  # far from aipw, same assumption
    assert _rules(grade_credibility(results)[0])["designs"]["status"] == "not_applicable"


def test_fewer_than_thirty_participants_make_the_grade_low():
    results = _results()
    results["estimates"] = [_est("aipw", 0.10, n_treated=25)]
    out = grade_credibility(results)[0]
    assert _rules(out)["participants"]["status"] == "fail" and out["grade"] == "lag"


def test_fewer_than_the_minimum_for_high_give_a_medium_grade():
    results = _results()
    results["estimates"] = [_est("aipw", 0.10, n_treated=80)]
    out = grade_credibility(results, goals=GOALS)[0]
    assert _rules(out)["participants"]["status"] == "warn" and out["grade"] == "medel"


def test_failed_pretrend_test_of_a_panel_headline_makes_the_grade_low():
    out = grade_credibility(_results(pretrend={"p_value": 0.01}), goals=GOALS)[0]
    assert _rules(out)["pretrend"]["status"] == "fail" and out["grade"] == "lag"


def test_pretrend_is_not_applicable_without_a_panel_design():
    assert _rules(grade_credibility(_results())[0])["pretrend"]["status"] == "not_applicable"


def test_a_passed_pretrend_test_counts_as_falsification_evidence():
    out = grade_credibility(_results(placebo=[], pretrend={"p_value": 0.6}), goals=GOALS)[0]
    assert out["grade"] == "hog"


def test_sensitivity_is_held_against_the_goal_target():
    sens = {
        "benchmarked": {"benchmark": "work_months_24m_before", "target": 0.0, "k_interval": 4.0},
        "benchmarked_target": {
            "benchmark": "work_months_24m_before",
            "target": 0.05,
            "k_interval": 0.6,
        },
    }
    out = grade_credibility(_results(sensitivity=sens), goals=GOALS)[0]
    rule = _rules(out)["sensitivity"]
    assert (rule["status"], rule["value"], rule["target"]) == ("warn", 0.6, 0.05)
    assert rule["details"]["benchmark"] == "work_months_24m_before"
    assert out["grade"] == "medel"


def test_sensitivity_against_zero_without_a_goal():
    rule = _rules(grade_credibility(_results(), goals=[])[0])["sensitivity"]
    assert (rule["status"], rule["value"], rule["target"]) == ("pass", 4.0, 0.0)


def test_sensitivity_is_not_applicable_when_the_interval_covers_its_target():
    results = _results()
    results["estimates"] = [_est("aipw", 0.01)]
    rule = _rules(grade_credibility(results)[0])["sensitivity"]
    assert rule["status"] == "not_applicable" and rule["reason"] == "ci_includes_target"


def test_sensitivity_never_makes_the_grade_low():
    sens = {"benchmarked": {"benchmark": "w", "target": 0.0, "k_interval": 0.1}}
    assert grade_credibility(_results(sensitivity=sens))[0]["grade"] == "medel"


def test_attrition_above_five_percent_keeps_the_grade_from_high():
    attrition = {
        "ipcw": [
            {
                "outcome": "work_or_study_12m",
                "horizon": 12,
                "weighted": True,
                "observed_share_treated": 0.9,
                "observed_share_control": 0.93,
            }
        ]
    }
    out = grade_credibility(_results(attrition=attrition), goals=GOALS)[0]
    rule = _rules(out)["attrition"]
    assert rule["status"] == "warn" and rule["value"] == pytest.approx(0.1)
    assert out["grade"] == "medel"


def test_unadjusted_headline_is_graded_low():
    results = _results()
    out = assess(results, results["estimates"][0])
    assert out["grade"] == "lag" and _rules(out)["adjusted"]["status"] == "fail"


def test_non_core_warnings_give_a_medium_grade_and_name_their_rules():
    rules = [
        {"rule": "placebo", "status": "pass"},
        {"rule": "sensitivity", "status": "warn"},
        {"rule": "attrition", "status": "warn"},
    ]
    level, reasons = credibility.grade_with_reasons(
        [CredibilityRule.model_validate(r) for r in rules]
    )
    assert level == "medel" and reasons == ["sensitivity", "attrition"]


def test_any_core_failure_gives_a_low_grade():
    for rule in credibility.CORE_RULES:
        assert grade([{"rule": "placebo", "status": "pass"}, {"rule": rule, "status": "fail"}]) == (
            "lag"
        )


def test_grade_labels_exist_in_both_languages_and_output_is_json_safe():
    assert GRADE_LABELS["sv"]["lag"] == "Låg" and set(GRADE_LABELS["en"]) == {"hog", "medel", "lag"}
    json.dumps(grade_credibility(_results(), goals=GOALS))


def test_diagnostics_by_outcome_are_used_for_their_outcome():
    results = _results()
    results["estimates"].append(_est("aipw", -6000.0, se=2000.0, outcome="assistance_sek_12m"))
    results["diagnostics"]["by_outcome"] = {
        "assistance_sek_12m": {
            "sensitivity": {"benchmarked": {"benchmark": "w", "target": 0.0, "k_interval": 0.4}}
        }
    }
    out = _rules(grade_credibility(results, outcomes=["assistance_sek_12m"])[0])
    assert (out["sensitivity"]["status"], out["sensitivity"]["value"]) == ("warn", 0.4)
    assert out["designs"]["status"] == "not_applicable"  # the designs compared another outcome


def test_one_outcomes_sensitivity_is_never_applied_to_another():
    results = _results()
    results["estimates"].append(_est("aipw", -6000.0, se=2000.0, outcome="assistance_sek_12m"))
    out = _rules(grade_credibility(results, outcomes=["assistance_sek_12m"])[0])
    assert out["sensitivity"]["status"] == "not_applicable"


def _with_stacked(results: dict) -> MeasureResults:
    results["estimates"].append(_est("stacked_did", 0.05))
    return MeasureResults.model_validate(results)


def test_a_failed_placebo_puts_its_warning_on_every_selection_on_observables_estimate():
    placebo = [
        _placebo("placebo_work_or_study_months_25_36m_before", 0.001),
        _placebo("placebo_assistance_sek_25_36m_before", 0.5),
    ]
    typed = _with_stacked(_results(placebo=placebo))
    graded = credibility.grade_credibility(typed, goals=[])
    warned = credibility.warn_on_failed_placebo(typed, graded)
    by = {e.estimator: e.warnings for e in warned.estimates}
    assert all("placebo_failed" in by[n] for n in ("naive", "regression", "aipw"))
    assert "placebo_failed" not in by["stacked_did"]  # a DiD rests on other assumptions


def test_a_passed_placebo_puts_no_warning_on_the_estimates():
    typed = _with_stacked(_results())
    graded = credibility.grade_credibility(typed, goals=[])
    warned = credibility.warn_on_failed_placebo(typed, graded)
    assert all("placebo_failed" not in e.warnings for e in warned.estimates)
