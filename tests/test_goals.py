"""Specifications of goals, indicators (evalkit.params.goals) and verdict rules (evalkit.audit.goals)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from evalkit.audit.goals import (
    VERDICT_LABELS,
    VERDICTS,
    causal_verdict,
    evaluate_goals,
    goal_matrix,
)
from evalkit.errors import ParamsError
from evalkit.params.goals import INDICATORS, Goal, parse_goals
from evalkit.results import Estimate, Followup, Headline, MeasureResults

AS_OF = date(2026, 11, 27)


def _goal(**changes) -> dict:
    goal = {
        "id": "G1",
        "source": "Mål- och budget 2023, dnr KS 2022/118",
        "text": "Minst 40 % i arbete eller studier 12 månader efter start",
        "indicator": "share_work_or_study_12m",
        "target": 0.40,
        "direction": "at_least",
        "deadline": "2024-12-31",
    }
    goal.update(changes)
    return goal


def _estimate(outcome: str, estimator: str, est: float, lo: float, hi: float, n: int = 300) -> dict:
    return {
        "outcome": outcome,
        "estimator": estimator,
        "estimand": "ATT",
        "estimate": est,
        "se": (hi - lo) / 3.92,
        "ci_low": lo,
        "ci_high": hi,
        "p_value": 0.01,
        "n_treated": n,
        "n_control": 3000,
    }


def _results(**changes) -> dict:
    results = {
        "measure_id": "jobbspar",
        "title": "Jobbspår",
        "status": "ok",
        "sample": {"n_treated": 300, "n_control": 3000, "intake_start": "2021-01"},
        "followup": {
            "n_participants": 300,
            "shares": [{"horizon": "12m", "n": 300, "n_in_work_or_study": 135, "share": 0.45}],
            "end_reasons": [
                {"reason": "arbete_osubventionerat", "n": 100},
                {"reason": "studier", "n": 50},
                {"reason": "avbrott", "n": 60},
                {"reason": "annat", "n": 40},
                {"reason": "pagaende", "n": 50},
            ],
        },
        "estimates": [
            _estimate("work_or_study_12m", "naive", 0.30, 0.25, 0.35),
            _estimate("work_or_study_12m", "regression", 0.09, 0.04, 0.14),
            _estimate("work_or_study_12m", "aipw", 0.08, 0.03, 0.13),
            _estimate("assistance_sek_12m", "aipw", -9000.0, -14000.0, -4000.0),
        ],
        "headline": {"outcome": "work_or_study_12m", "estimator": "aipw"},
    }
    results.update(changes)
    return results


def typed(results: dict) -> MeasureResults:
    """A results mapping as the typed results the audit layer takes."""
    return MeasureResults.model_validate(results)


def _verdict(goal: dict, results: dict | None = None, **kw) -> dict:
    """One goal judged on results, as the results file holds the verdict."""
    kw.setdefault("as_of", AS_OF)
    verdict = evaluate_goals(parse_goals([goal]), typed(results or _results()), **kw)[0]
    return verdict.to_json_dict()


# --- the goal model --------------------------------------------------------------------------


def test_source_string_with_dnr_is_split_into_title_and_dnr():
    goal = Goal.model_validate(_goal())
    assert goal.source.title == "Mål- och budget 2023"
    assert goal.source.dnr == "KS 2022/118"


def test_source_string_without_dnr_is_all_title():
    goal = Goal.model_validate(_goal(source="Arbetsmarknadsnämndens verksamhetsplan"))
    assert goal.source.title == "Arbetsmarknadsnämndens verksamhetsplan" and goal.source.dnr is None


def test_source_mapping_with_decision_date_is_accepted():
    goal = Goal.model_validate(
        _goal(source={"title": "Uppdrag", "dnr": "AMN 2023/7", "decided": "2023-03-14"})
    )
    assert goal.source.decided == date(2023, 3, 14)


def test_unknown_indicator_is_a_params_error_naming_the_key():
    with pytest.raises(ParamsError, match=r"goals\[0\]\.indicator"):
        parse_goals([_goal(indicator="happiness")])


def test_unknown_goal_key_is_a_params_error():
    with pytest.raises(ParamsError, match=r"goals\[0\]\.owner"):
        parse_goals([_goal(owner="x")])


def test_duplicate_goal_ids_are_a_params_error():
    with pytest.raises(ParamsError, match="duplicate goal id G1"):
        parse_goals([_goal(), _goal()])


def test_every_indicator_documents_its_source_and_kind():
    for spec in INDICATORS.values():
        assert spec.kind in ("descriptive", "causal") and spec.source
        if spec.kind == "causal":
            assert spec.outcome
    for name in ("effect_work_or_study_24m", "effect_assistance_sek_24m", "participants"):
        assert name in INDICATORS


def test_every_verdict_has_a_label_in_both_languages():
    for lang in ("sv", "en"):
        assert set(VERDICT_LABELS[lang]) == set(VERDICTS)
    assert VERDICT_LABELS["sv"]["kan_ej_bedomas"] == "Kan ej bedömas"


# --- headline estimate -----------------------------------------------------------------------


def test_headline_estimator_named_in_results_is_used():
    results = _results(headline={"outcome": "work_or_study_12m", "estimator": "regression"})
    assert typed(results).headline_estimate("work_or_study_12m").estimator == "regression"


def test_aipw_is_used_when_no_headline_is_named():
    results = _results(headline=None)
    assert typed(results).headline_estimate("work_or_study_12m").estimator == "aipw"


def test_naive_comparison_is_never_a_headline():
    results = _results(estimates=[_estimate("work_or_study_12m", "naive", 0.3, 0.25, 0.35)])
    assert typed(results).headline_estimate("work_or_study_12m") is None


def test_path_points_and_subgroups_are_not_headlines():
    path = {**_estimate("work_or_study_12m", "aipw", 0.5, 0.4, 0.6), "event_time": 3}
    results = _results(estimates=[path])
    assert typed(results).headline_estimate("work_or_study_12m") is None


# --- causal verdicts -------------------------------------------------------------------------


def test_causal_goal_is_met_when_the_whole_interval_clears_the_target():
    out = _verdict(_goal(indicator="effect_work_or_study_12m", target=0.02))  # CI [0.03, 0.13]
    assert (out["verdict"], out["reason"]) == ("uppfyllt", "ci_clears_target")
    assert out["estimator"] == "aipw" and out["value"] == 0.08


def test_causal_goal_cannot_be_judged_when_the_interval_straddles_the_target():
    # 0.08, CI [0.03, 0.13] around the target 0.05 (above the estimate or below, alike)
    above = _verdict(_goal(indicator="effect_work_or_study_12m", target=0.05))
    below = _verdict(_goal(indicator="effect_work_or_study_12m", target=0.10))
    for out in (above, below):
        assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "ci_includes_target")


def test_causal_goal_is_clearly_not_met_when_the_whole_interval_is_on_the_wrong_side():
    out = _verdict(_goal(indicator="effect_work_or_study_12m", target=0.20))
    assert (out["verdict"], out["reason"]) == ("ej_uppfyllt", "ci_wrong_side")


def test_at_most_goal_on_assistance_mirrors_the_rules():
    # effect -9000 SEK, CI [-14000, -4000]
    met = _verdict(_goal(indicator="effect_assistance_sek_12m", target=-3000, direction="at_most"))
    open_ = _verdict(
        _goal(indicator="effect_assistance_sek_12m", target=-5000, direction="at_most")
    )
    missed = _verdict(
        _goal(indicator="effect_assistance_sek_12m", target=-15000, direction="at_most")
    )
    assert [met["verdict"], open_["verdict"], missed["verdict"]] == [
        "uppfyllt",
        "kan_ej_bedomas",
        "ej_uppfyllt",
    ]
    assert missed["reason"] == "ci_wrong_side"  # even -14000 is above -15000


def test_a_yes_no_goal_is_never_partly_met():
    for est, lo, hi in ((0.08, 0.03, 0.13), (0.01, -0.04, 0.06), (-0.08, -0.13, -0.03)):
        verdict, _ = causal_verdict(est, lo, hi, 0.0, "at_least")
        assert verdict != "delvis"


def test_a_low_credibility_grade_cannot_be_judged_on_either_side():
    cred = [{"outcome": "work_or_study_12m", "estimator": "aipw", "grade": "lag"}]
    met = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(credibility=cred)
    )
    missed = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.20), _results(credibility=cred)
    )
    for out in (met, missed):
        assert (out["verdict"], out["reason"], out["grade"]) == (
            "kan_ej_bedomas",
            "credibility_low",
            "lag",
        )


def test_a_medium_grade_still_decides_the_goal():
    cred = [{"outcome": "work_or_study_12m", "estimator": "aipw", "grade": "medel"}]
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(credibility=cred)
    )
    assert (out["verdict"], out["grade"]) == ("uppfyllt", "medel")


def test_a_target_below_the_mde_is_named_when_the_interval_straddles_it():
    diagnostics = {"mde": {"mde": 0.064}}
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.05), _results(diagnostics=diagnostics)
    )
    assert (out["verdict"], out["reason"], out["mde"]) == (
        "kan_ej_bedomas",
        "target_below_mde",
        0.064,
    )


def test_a_target_below_the_mde_cannot_be_judged_even_when_the_interval_clears_it():
    diagnostics = {"mde": {"mde": 0.064}}  # the interval [0.03, 0.13] clears 0.02
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(diagnostics=diagnostics)
    )
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "target_below_mde")


def test_a_target_above_the_mde_is_decided_by_the_interval():
    diagnostics = {"mde": {"mde": 0.015}}
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(diagnostics=diagnostics)
    )
    assert (out["verdict"], out["reason"]) == ("uppfyllt", "ci_clears_target")


def test_the_multiplicity_adjusted_interval_decides_the_verdict():
    # unadjusted CI [0.03, 0.13] clears 0.025; the sup-t band [0.02, 0.14] does not
    multiplicity = {
        "method": "sup-t",
        "critical_value": 2.4,
        "outcomes": ["work_or_study_12m", "assistance_sek_12m"],
        "intervals": [
            {
                "outcome": "work_or_study_12m",
                "estimator": "aipw",
                "estimate": 0.08,
                "ci_low": 0.02,
                "ci_high": 0.14,
            }
        ],
    }
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.025),
        _results(diagnostics={"multiplicity": multiplicity}),
    )
    assert (out["verdict"], out["adjustment"]) == ("kan_ej_bedomas", "sup-t")
    assert (out["ci_low"], out["decision_ci_low"]) == (0.03, 0.02)


def test_measure_without_effect_never_meets_a_causal_goal():
    # a null effect with a wide interval: point estimate 0, CI [-0.05, 0.05], any positive target
    for target in (0.01, 0.05, 0.10):
        assert causal_verdict(0.0, -0.05, 0.05, target, "at_least")[0] != "uppfyllt"


def test_causal_goal_on_fewer_treated_than_the_minimum_cannot_be_assessed():
    small = [_estimate("work_or_study_12m", "aipw", 0.3, 0.2, 0.4, n=12)]
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(estimates=small)
    )
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "too_few_participants")


def test_measure_with_too_few_participants_and_no_estimate_cannot_be_assessed():
    results = _results(estimates=[], sample={"n_treated": 8, "n_control": 900})
    out = _verdict(_goal(indicator="effect_work_or_study_12m", target=0.02), results)
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "too_few_participants")


def test_missing_estimate_cannot_be_assessed_for_missing_data():
    out = _verdict(_goal(indicator="effect_work_or_study_24m", target=0.02))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "data_missing")


def test_failed_run_cannot_be_assessed():
    error = {"type": "DataError", "message": "x", "stage": "data"}
    out = _verdict(_goal(), _results(status="failed", error=error))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "run_failed")


def test_cost_per_additional_without_positive_effect_is_not_met():
    costs = {"cost_per_additional": {"estimate": None, "defined": False, "bounded": False}}
    goal = _goal(
        indicator="cost_per_additional_in_work_or_study", target=500_000, direction="at_most"
    )
    out = _verdict(goal, _results(costs=costs))
    assert (out["verdict"], out["reason"]) == ("ej_uppfyllt", "no_positive_effect")


def test_cost_per_additional_without_positive_effect_on_a_low_credibility_estimate_cannot_be_judged():
    costs = {"cost_per_additional": {"estimate": None, "defined": False, "bounded": False}}
    low = [
        {"outcome": o, "estimator": "aipw", "grade": "lag", "reasons": ["placebo"], "rules": []}
        for o in ("work_or_study_12m", "assistance_sek_12m")
    ]
    goal = _goal(
        indicator="cost_per_additional_in_work_or_study", target=500_000, direction="at_most"
    )
    out = _verdict(goal, _results(costs=costs, credibility=low))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "credibility_low")


def test_cost_per_additional_with_unbounded_interval_cannot_be_judged_met():
    costs = {
        "cost_per_additional": {
            "estimate": 200_000.0,
            "ci_low": 90_000.0,
            "ci_high": None,
            "defined": True,
            "bounded": False,
            "n_treated": 300,
        }
    }
    goal = _goal(
        indicator="cost_per_additional_in_work_or_study", target=500_000, direction="at_most"
    )
    out = _verdict(goal, _results(costs=costs))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "ci_includes_target")


def test_net_saving_goal_reads_the_municipality_view_of_costs():
    costs = {
        "municipality": {
            "net_saving": {
                "estimate": 5000.0,
                "ci_low": 1000.0,
                "ci_high": 9000.0,
                "n_treated": 300,
            }
        }
    }
    out = _verdict(_goal(indicator="net_saving_per_participant", target=0), _results(costs=costs))
    assert (out["verdict"], out["value"]) == ("uppfyllt", 5000.0)


# --- descriptive verdicts --------------------------------------------------------------------


def test_descriptive_share_is_compared_with_the_target_without_an_interval():
    met = _verdict(_goal(target=0.45))  # share 0.45 at 12 months
    missed = _verdict(_goal(target=0.46))
    assert (met["verdict"], met["reason"]) == ("uppfyllt", "value_clears_target")
    assert (missed["verdict"], missed["reason"]) == ("ej_uppfyllt", "value_misses_target")
    assert met["ci_low"] is None


def test_share_over_fewer_than_twice_min_cell_cannot_be_assessed_and_is_hidden():
    followup = {"shares": [{"horizon": 12, "n": 9, "n_in_work_or_study": 6, "share": 6 / 9}]}
    out = _verdict(_goal(), _results(followup=followup), min_cell=5)
    assert (out["verdict"], out["reason"], out["value"]) == (
        "kan_ej_bedomas",
        "too_few_participants",
        None,
    )


def test_share_at_missing_horizon_cannot_be_assessed_for_missing_data():
    out = _verdict(_goal(indicator="share_work_or_study_24m"))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "data_missing")


def test_share_of_exits_to_work_or_study_counts_only_ended_participations():
    # ended = 100 + 50 + 60 + 40 = 250 (pagaende excluded), to work or study = 150
    out = _verdict(_goal(indicator="share_work_or_study_exit", target=0.6))
    assert out["value"] == pytest.approx(150 / 250) and out["n"] == 250
    assert out["verdict"] == "uppfyllt"


def test_share_completed_is_one_minus_the_drop_out_share_of_ended_participations():
    out = _verdict(_goal(indicator="share_completed", target=0.8))
    assert out["value"] == pytest.approx(1 - 60 / 250)
    assert out["verdict"] == "ej_uppfyllt"


def test_participant_count_goal_uses_followup_count():
    out = _verdict(_goal(indicator="participants", target=250))
    assert (out["verdict"], out["value"]) == ("uppfyllt", 300)


# --- deadlines -------------------------------------------------------------------------------


def test_goal_before_its_deadline_cannot_be_assessed_but_carries_a_provisional_verdict():
    out = _verdict(_goal(deadline="2027-12-31"), as_of=date(2026, 11, 27))
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "deadline_not_reached")
    assert out["provisional_verdict"] == "uppfyllt"


def test_goal_whose_horizon_ends_after_its_deadline_cannot_be_assessed():
    # intake starts 2021-01; 24 months later is 2023-01-01, after a 2022-06-30 deadline
    results = _results()
    results["followup"]["shares"].append({"horizon": "24m", "n": 300, "share": 0.5})
    goal = _goal(indicator="share_work_or_study_24m", deadline="2022-06-30")
    out = _verdict(goal, results)
    assert (out["verdict"], out["reason"]) == ("kan_ej_bedomas", "horizon_after_deadline")


def test_verdicts_are_json_safe():
    verdicts = evaluate_goals(parse_goals([_goal()]), typed(_results()), as_of=AS_OF)
    json.dumps([v.to_json_dict() for v in verdicts])


# --- matrix ----------------------------------------------------------------------------------


def test_goal_matrix_groups_goals_of_all_measures_by_source_document():
    a = typed(_results())
    a.goals = evaluate_goals(
        parse_goals(
            [
                _goal(),
                _goal(id="G2", source="Uppdrag AMN, dnr AMN 2023/7", indicator="participants"),
            ]
        ),
        a,
        as_of=AS_OF,
    )
    b = typed(_results(measure_id="praktik", title="Praktik", params={"goals": [_goal(id="P1")]}))
    frame = goal_matrix([a, b], as_of=AS_OF)
    assert list(frame["source"]) == [
        "Mål- och budget 2023, dnr KS 2022/118",
        "Mål- och budget 2023, dnr KS 2022/118",
        "Uppdrag AMN, dnr AMN 2023/7",
    ]
    assert list(frame["measure_id"]) == ["jobbspar", "praktik", "jobbspar"]
    assert set(frame["verdict"]) <= set(VERDICTS)


def test_share_target_given_in_percent_is_a_params_error_suggesting_a_fraction():
    with pytest.raises(ParamsError, match=r"0\.40 for 40 %.*goals\[0\]"):
        parse_goals([_goal(target=40)])


def test_deadline_given_as_a_month_means_the_last_day_of_that_month():
    assert Goal.model_validate(_goal(deadline="2024-02")).deadline == date(2024, 2, 29)


def test_audit_measure_computes_costs_before_the_goals_that_read_them():
    from evalkit.audit import audit_measure

    results = _results()
    results["params"] = {
        "goals": [
            _goal(id="K1", indicator="net_saving_per_participant", target=0, direction="at_least")
        ]
    }
    # own cost 5 000 per participant (price 1 000 x 5 months); savings 9 000 [4 000, 14 000]
    out = audit_measure(
        typed(results), as_of=AS_OF, price_per_month_sek=1_000, mean_months_in_measure=5
    )
    goal = out.goals[0]
    assert goal.value == pytest.approx(9_000 - 5_000)
    assert (goal.verdict, goal.reason) == ("kan_ej_bedomas", "ci_includes_target")  # [-1000, 9000]
    assert out.credibility[0].outcome == "work_or_study_12m"


def test_exit_share_is_read_from_the_followup_exit_row_when_present():
    results = _results()
    results["followup"]["shares"].append(
        {"horizon": "exit", "n": 240, "n_in_work_or_study": 120, "share": 0.5}
    )
    out = _verdict(_goal(indicator="share_work_or_study_exit", target=0.6), results)
    assert (out["value"], out["n"], out["verdict"]) == (0.5, 240, "ej_uppfyllt")


# --- on the synthetic municipality -----------------------------------------------------------

SYNTH_GOALS = [
    {
        "id": "E1",
        "source": "Mål och budget 2023, dnr KS 2022/118",
        "text": "Insatsen ska öka andelen i arbete eller studier efter 12 månader med 2 procentenheter",
        "indicator": "effect_work_or_study_12m",
        "target": 0.02,
        "deadline": "2024-12-31",
    },
    {
        "id": "E2",
        "source": "Mål och budget 2023, dnr KS 2022/118",
        "text": "Insatsen ska minska utbetalt försörjningsstöd med minst 2 000 kr per deltagare",
        "indicator": "effect_assistance_sek_12m",
        "target": -2000,
        "direction": "at_most",
        "deadline": "2024-12-31",
    },
    {
        "id": "D1",
        "source": "Arbetsmarknadsnämndens verksamhetsplan 2023, dnr AMN 2022/50",
        "text": "Minst 30 % i arbete eller studier 12 månader efter start",
        "indicator": "share_work_or_study_12m",
        "target": 0.30,
        "deadline": "2024-12-31",
    },
]


@pytest.fixture(scope="module")
def synthetic_audits(tmp_path_factory):
    """Every synthetic measure analysed with aipw and audited; with the true effects."""
    import os

    from evalkit.audit import audit_measure
    from evalkit.data.followup import followup
    from evalkit.data.sample import build_sample
    from evalkit.data.synth import MEASURES, write_synth
    from evalkit.data.validate import load_and_validate
    from evalkit.estimators import get

    os.environ.setdefault("EVALKIT_PSEUDONYM_KEY", "evalkit-demo-key")
    # selection on recorded characteristics only, so every verdict can follow the truth
    path = write_synth(
        tmp_path_factory.mktemp("synth") / "demo.duckdb", persons=30_000, scenario="observables"
    )
    truth = json.loads(path.with_name("demo.truth.json").read_text())
    tables = load_and_validate({"kind": "duckdb", "path": str(path)}).tables
    out = {}
    for spec in MEASURES:
        sample = build_sample(tables, spec.measure_id)
        frame = sample.frame
        estimates = []
        for outcome in ("work_or_study_12m", "assistance_sek_12m"):
            rows = frame.dropna(subset=[outcome])
            result = get("aipw")(rows, outcome, "treated", list(sample.covariates))
            estimates.append(Estimate.from_result(result))
        results = MeasureResults(
            measure_id=spec.measure_id,
            sample={
                "n_treated": int(frame["treated"].sum()),
                "n_control": int((frame["treated"] == 0).sum()),
                "intake_start": "2021-01",
                "intake_end": "2023-12",
            },
            followup=Followup.model_validate(
                followup(tables, spec.measure_id, intake=("2021-01", "2023-12"))
            ),
            estimates=estimates,
            headline=Headline(outcome="work_or_study_12m", estimator="aipw"),
        )
        audited = audit_measure(
            results,
            goals=parse_goals(SYNTH_GOALS),
            costs=tables.get("costs"),
            as_of=date(2025, 12, 31),
        )
        out[spec.measure_id] = (audited, truth[spec.measure_id])
    return out


@pytest.mark.slow
def test_synthetic_measures_get_the_causal_verdicts_their_true_effects_imply(synthetic_audits):
    checked = 0
    for measure, truth in synthetic_audits.values():
        if measure.sample.n_treated < 30:
            continue
        for goal in measure.goals:
            spec = INDICATORS[goal.indicator]
            if spec.kind != "causal":
                continue
            true = truth[spec.outcome]
            meets = true >= goal.target if goal.direction == "at_least" else true <= goal.target
            if not meets:
                assert goal.verdict != "uppfyllt", (measure.measure_id, goal.id)
            elif abs(true - goal.target) > 4 * (goal.ci_high - goal.ci_low) / 3.92:
                assert goal.verdict == "uppfyllt", (measure.measure_id, goal.id)
            checked += 1
    assert checked >= 8


@pytest.mark.slow
def test_synthetic_measure_without_effect_never_meets_a_causal_goal(synthetic_audits):
    praktik, truth = synthetic_audits["praktik"]
    assert abs(truth["work_or_study_12m"]) < 0.01  # the synthetic null measure
    causal = [g for g in praktik.goals if g.kind == "causal"]
    assert causal and all(g.verdict != "uppfyllt" for g in causal)


@pytest.mark.slow
def test_synthetic_measure_with_too_few_participants_cannot_be_assessed(synthetic_audits):
    small = [m for m, _ in synthetic_audits.values() if m.sample.n_treated < 30]
    assert small, "the synthetic municipality has one measure with few participants"
    for measure in small:
        assert {g.verdict for g in measure.goals} == {"kan_ej_bedomas"}
        assert {g.reason for g in measure.goals} == {"too_few_participants"}


@pytest.mark.slow
def test_synthetic_portfolio_lists_the_small_measure_as_not_ranked(synthetic_audits):
    from evalkit.audit.portfolio import portfolio

    summary = portfolio([m for m, _ in synthetic_audits.values()])
    small = {m.measure_id for m, _ in synthetic_audits.values() if m.sample.n_treated < 30}
    assert {r.measure_id for r in summary.not_ranked} == small
    truth = {mid: t["work_or_study_12m"] for mid, (_, t) in synthetic_audits.items()}
    assert summary.effect_ranking[0] == max(
        (mid for mid in truth if mid not in small), key=truth.get
    )


def test_causal_value_on_too_few_treated_is_not_returned():
    small = [_estimate("work_or_study_12m", "aipw", 0.3, 0.2, 0.4, n=12)]
    out = _verdict(
        _goal(indicator="effect_work_or_study_12m", target=0.02), _results(estimates=small)
    )
    assert out["value"] is None and out["ci_low"] is None


def test_source_string_with_decision_date_yields_title_dnr_and_date():
    src = Goal.model_validate(
        _goal(source="Mål- och budget 2023, dnr KS 2022/118, beslutad 2022-11-28")
    ).source
    assert (src.title, src.dnr, src.decided) == (
        "Mål- och budget 2023",
        "KS 2022/118",
        date(2022, 11, 28),
    )


def test_indicator_table_lists_every_indicator_once():
    from evalkit.params.goals import indicator_table

    table = indicator_table()
    assert sorted(table["indicator"]) == sorted(INDICATORS)
    assert set(table["kind"]) == {"descriptive", "causal"}


def test_goals_from_another_pydantic_model_are_accepted():
    from pydantic import BaseModel

    class ParamsGoal(BaseModel):
        id: str
        source: str
        text: str
        indicator: str
        target: float
        direction: str
        deadline: date

    goal = ParamsGoal(**_goal(deadline=date(2024, 12, 31)))
    assert parse_goals([goal])[0].source.dnr == "KS 2022/118"


def test_audit_measure_judges_deadlines_against_the_end_of_the_data():
    from evalkit.audit import audit_measure

    results = _results()
    results["followup"]["data_end"] = "2024-06"
    out = audit_measure(typed(results), goals=parse_goals([_goal(deadline="2024-12-31")]))
    assert (out.goals[0].verdict, out.goals[0].reason) == (
        "kan_ej_bedomas",
        "deadline_not_reached",
    )


def test_goal_matrix_lists_an_invalid_goal_of_a_failed_run_instead_of_failing():
    failed = {"measure_id": "x", "status": "failed", "params": {"goals": [_goal(indicator="nope")]}}
    frame = goal_matrix([typed(failed)])
    assert list(frame["verdict"]) == ["kan_ej_bedomas"] and list(frame["reason"]) == [
        "invalid_goal"
    ]
    assert list(frame["source_dnr"]) == ["KS 2022/118"]


def test_effect_on_any_estimated_outcome_is_a_causal_indicator_for_table_and_panel_modes():
    results = _results(estimates=[_estimate("arbete_12m", "aipw", 0.12, 0.07, 0.17)])
    out = _verdict(_goal(indicator="effect:arbete_12m", target=0.05), results)
    assert (out["kind"], out["verdict"], out["value"]) == ("causal", "uppfyllt", 0.12)


def test_effect_on_a_standard_outcome_keeps_its_unit_check():
    with pytest.raises(ParamsError, match="share points"):
        parse_goals([_goal(indicator="effect:work_or_study_12m", target=5)])
    with pytest.raises(ParamsError, match="effect:<outcome>"):
        parse_goals([_goal(indicator="effect:")])
