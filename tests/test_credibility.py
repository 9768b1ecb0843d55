"""Specifications of the credibility rules and grade (evalkit.audit.credibility)."""

from __future__ import annotations

import json

from evalkit.audit import credibility
from evalkit.audit.credibility import GRADE_LABELS
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


def _est(estimator: str, est: float, se: float = 0.02, outcome: str = "work_or_study_12m") -> dict:
    return {
        "outcome": outcome,
        "estimator": estimator,
        "estimate": est,
        "se": se,
        "ci_low": est - 1.96 * se,
        "ci_high": est + 1.96 * se,
        "n_treated": 400,
        "n_control": 4000,
    }


def _results(**diag) -> dict:
    """Results with diagnostics of the headline outcome (work_or_study_12m) at top level."""
    diagnostics = {
        "balance": [
            {"covariate": "age", "smd_before": 0.4, "smd_after": 0.03},
            {"covariate": "assistance_sek_12m_before", "smd_before": -0.5, "smd_after": -0.06},
        ],
        "overlap": {"share_outside_support": 0.01},
        "sensitivity": {"e_value": 2.8, "e_value_ci": 2.1, "robustness_value": 0.15},
        "mde": {"mde": 0.04},
    }
    diagnostics.update(diag)
    return {
        "estimates": [
            _est("naive", 0.25),
            _est("regression", 0.09),
            _est("ipw", 0.10),
            _est("aipw", 0.10),
        ],
        "headline": {"outcome": "work_or_study_12m", "estimator": "aipw"},
        "diagnostics": diagnostics,
        "params": {"outcomes": ["work_or_study_12m"]},
        "measure_id": "m",
    }


GOALS = [{"id": "G2", "indicator": "effect_work_or_study_12m", "target": 0.05}]


def _rules(entry: dict) -> dict:
    return {r["rule"]: r for r in entry["rules"]}


def test_well_balanced_agreeing_sensitive_powered_estimate_is_graded_high():
    out = grade_credibility(_results(), goals=GOALS)
    assert len(out) == 1 and out[0]["estimator"] == "aipw"
    assert out[0]["grade"] == "hog"
    assert {r["status"] for r in out[0]["rules"]} <= {"pass", "not_applicable"}


def test_balance_rule_uses_the_largest_absolute_smd_after_adjustment():
    rules = _rules(grade_credibility(_results(), goals=GOALS)[0])
    assert rules["balance"]["value"] == 0.06 and rules["balance"]["status"] == "pass"


def test_poor_balance_after_adjustment_makes_the_grade_low():
    bad = [{"covariate": "age", "smd_after": 0.3}]
    out = grade_credibility(_results(balance=bad), goals=GOALS)[0]
    assert _rules(out)["balance"]["status"] == "fail" and out["grade"] == "lag"


def test_smd_between_point_one_and_a_quarter_is_a_warning():
    out = grade_credibility(_results(balance=[{"covariate": "age", "smd_after": 0.12}]))[0]
    assert _rules(out)["balance"]["status"] == "warn"


def test_many_units_outside_support_make_the_grade_low():
    out = grade_credibility(_results(overlap={"share_outside_support": 0.3}), goals=GOALS)[0]
    assert _rules(out)["overlap"]["status"] == "fail" and out["grade"] == "lag"


def test_estimators_spread_over_more_than_four_standard_errors_fail_agreement():
    results = _results()
    results["estimates"].append(_est("matching", 0.20))  # spread 0.11 / 0.02 = 5.5 SE
    rule = _rules(grade_credibility(results, goals=GOALS)[0])["agreement"]
    assert rule["status"] == "fail"
    assert abs(rule["value"] - 5.5) < 1e-9


def test_naive_estimate_does_not_count_towards_agreement():
    rule = _rules(grade_credibility(_results(), goals=GOALS)[0])["agreement"]
    assert rule["n_estimators"] == 3  # regression, ipw, aipw


def test_failed_pretrend_test_makes_the_grade_low():
    out = grade_credibility(_results(pretrend={"p_value": 0.01}), goals=GOALS)[0]
    assert _rules(out)["pretrend"]["status"] == "fail" and out["grade"] == "lag"


def test_pretrend_is_not_applicable_without_a_panel_design():
    assert _rules(grade_credibility(_results())[0])["pretrend"]["status"] == "not_applicable"


def test_sensitivity_is_not_applicable_when_the_interval_covers_zero():
    results = _results()
    results["estimates"] = [_est("aipw", 0.01)]
    assert _rules(grade_credibility(results)[0])["sensitivity"]["status"] == "not_applicable"


def test_low_e_value_fails_sensitivity_and_robustness_value_is_the_fallback():
    low = grade_credibility(_results(sensitivity={"e_value_ci": 1.2}))[0]
    rv = grade_credibility(_results(sensitivity={"robustness_value": 0.07}))[0]
    assert _rules(low)["sensitivity"]["status"] == "fail"
    assert _rules(rv)["sensitivity"]["status"] == "warn"
    assert _rules(rv)["sensitivity"]["measure"] == "robustness_value"


def test_mde_larger_than_an_undecided_goal_target_warns_on_power():
    # estimate 0.10, CI [0.061, 0.139] contains the target 0.08: the goal is undecided
    goals = [{"indicator": "effect_work_or_study_12m", "target": 0.08}]
    out = grade_credibility(_results(mde={"mde": 0.09}), goals=goals)[0]
    rule = _rules(out)["power"]
    assert (rule["status"], rule["value"], rule["target"]) == ("warn", 0.09, 0.08)


def test_power_passes_when_the_interval_already_decides_the_goal():
    # CI [0.061, 0.139] lies wholly above the target 0.05, so low power did not matter
    out = grade_credibility(_results(mde={"mde": 0.09}), goals=GOALS)[0]
    rule = _rules(out)["power"]
    assert (rule["status"], rule["ci_decides"]) == ("pass", True)


def test_power_is_not_applicable_without_a_causal_goal_on_the_outcome():
    assert _rules(grade_credibility(_results(), goals=[])[0])["power"]["status"] == "not_applicable"


def test_unadjusted_headline_is_graded_low():
    results = _results()
    out = assess(results, results["estimates"][0])
    assert out["grade"] == "lag" and _rules(out)["adjusted"]["status"] == "fail"


def test_two_non_core_failures_make_the_grade_low():
    rules = [
        {"rule": "balance", "status": "pass"},
        {"rule": "agreement", "status": "fail"},
        {"rule": "sensitivity", "status": "fail"},
    ]
    assert grade(rules) == "lag"


def test_one_non_core_failure_gives_a_medium_grade():
    rules = [{"rule": "balance", "status": "pass"}, {"rule": "agreement", "status": "fail"}]
    assert grade(rules) == "medel"


def test_without_balance_or_pretrend_evidence_the_grade_is_at_most_medium():
    rules = [
        {"rule": "balance", "status": "not_applicable"},
        {"rule": "agreement", "status": "pass"},
    ]
    assert grade(rules) == "medel"


def test_two_warnings_give_a_medium_grade():
    rules = [
        {"rule": "balance", "status": "pass"},
        {"rule": "overlap", "status": "warn"},
        {"rule": "agreement", "status": "warn"},
    ]
    assert grade(rules) == "medel"


def test_grade_labels_exist_in_both_languages_and_output_is_json_safe():
    assert GRADE_LABELS["sv"]["lag"] == "Låg" and set(GRADE_LABELS["en"]) == {"hog", "medel", "lag"}
    json.dumps(grade_credibility(_results(), goals=GOALS))


def test_unkeyed_outcome_diagnostics_describe_the_headline_outcome_only():
    results = _results(mde={"mde": 0.04})
    results["estimates"].append(_est("aipw", -9000.0, se=2000.0, outcome="assistance_sek_12m"))
    goals = [*GOALS, {"indicator": "effect_assistance_sek_12m", "target": -5000}]
    out = {
        e["outcome"]: _rules(e)
        for e in grade_credibility(
            results, goals=goals, outcomes=["work_or_study_12m", "assistance_sek_12m"]
        )
    }
    assert out["work_or_study_12m"]["power"]["status"] == "pass"
    # the 0.04 MDE is in share points and must not be compared with a SEK target
    assert out["assistance_sek_12m"]["power"]["status"] == "not_applicable"
    assert out["assistance_sek_12m"]["sensitivity"]["status"] == "not_applicable"


def test_diagnostics_by_outcome_are_used_for_their_outcome():
    results = _results()
    results["estimates"].append(_est("aipw", -6000.0, se=2000.0, outcome="assistance_sek_12m"))
    results["diagnostics"]["by_outcome"] = {
        "assistance_sek_12m": {"mde": {"mde": 7000.0}, "sensitivity": {"e_value_ci": 1.7}}
    }
    goals = [{"indicator": "effect_assistance_sek_12m", "target": -5000}]
    out = _rules(grade_credibility(results, goals=goals, outcomes=["assistance_sek_12m"])[0])
    # CI [-9920, -2080] contains -5000 and the MDE of 7000 exceeds 5000
    assert (out["power"]["status"], out["power"]["value"]) == ("warn", 7000.0)
    assert out["sensitivity"]["status"] == "warn"


def test_power_rule_reads_targets_of_effect_on_outcome_goals():
    goals = [{"indicator": "effect:work_or_study_12m", "target": 0.08}]
    out = grade_credibility(_results(mde={"mde": 0.09}), goals=goals)[0]
    assert _rules(out)["power"]["target"] == 0.08
