"""Goal verdicts: every goal of the params judged on one measure's results, by open rules.

Verdict codes: ``uppfyllt``, ``delvis``, ``ej_uppfyllt``, ``kan_ej_bedomas`` (labels in
``VERDICT_LABELS``). Rules, applied in this order (the report's method appendix quotes them):

1. **Kan ej bedömas** (cannot be judged), with a reason code:

   - ``run_failed``: the measure's run failed;
   - ``invalid_goal``: (portfolio matrix only) the goal in a failed run's params does not
     validate; it is listed rather than dropped;
   - ``deadline_not_reached``: ``as_of`` is before the deadline. The verdict the data would give
     today is still returned as ``provisional_verdict``, so progress is visible;
   - ``horizon_after_deadline``: the indicator looks ``h`` months after start and even the
     first intake month plus ``h`` lies after the deadline, so no outcome could be observed by
     then;
   - ``data_missing``: the indicator's value is absent or not a number;
   - ``too_few_participants``: a share over fewer than ``2 * min_cell`` participants (it would
     be suppressed), or a causal indicator whose estimate rests on fewer than
     ``MIN_TREATED_FOR_EFFECT`` treated units (the estimate's ``n_treated``, or the sample's when
     there is no estimate), or a run that failed with ``InsufficientDataError``. The value is
     then not returned either: an estimate on so few people would invite a reading it cannot bear.

2. **Causal indicators** (effects, savings, cost per effect) are judged on the interval that
   decides verdicts: for effects, the headline estimate's interval adjusted for multiplicity
   across the measure's outcomes with causal goals (``diagnostics.multiplicity``: a sup-t band
   from the stacked influence functions, else Bonferroni), stored as ``decision_ci_low`` /
   ``decision_ci_high`` beside the unadjusted ``ci_low`` / ``ci_high``; for costs, the cost
   interval as computed. The verdict is symmetric in the two directions of error. With
   ``direction: at_least`` (``at_most`` mirrors it):

   - ``kan_ej_bedomas`` with reason ``credibility_low`` when the outcome's credibility grade is
     Låg: a failed check means the estimate may show who was selected rather than what the
     measure did, whichever side of the target it lies on;
   - ``uppfyllt`` (reason ``ci_clears_target``) when the whole interval lies on the goal's side
     (``ci_low >= target``);
   - ``ej_uppfyllt`` (reason ``ci_wrong_side``) when the whole interval lies on the wrong side
     (``ci_high < target``);
   - ``kan_ej_bedomas`` with reason ``target_below_mde`` when the target is a non-zero effect
     smaller than the minimum detectable effect (80 % power), wherever the interval lies: the
     study is too small to tell an effect of the target's size from none, and an interval that
     clears such a target mostly shows an overestimate, or a selection bias its checks lack the
     power to see (issue 11: the target below the MDE cannot be judged);
   - ``kan_ej_bedomas`` with reason ``ci_includes_target`` when the interval straddles it.

   For ``cost_per_additional_in_work_or_study`` an interval that is unbounded (the effect's
   interval includes zero) never clears a target, and a measure without a positive effect has no
   cost per additional person: ``ej_uppfyllt`` with reason ``no_positive_effect``.

   ``delvis`` (Delvis uppfyllt) is reserved for goals with parts (several cohorts, outcomes or
   sub-targets), when some parts are met and others not; no indicator of the vocabulary has
   parts yet, so no verdict is ``delvis`` today. A yes/no goal ("ska minska") is met, not met
   or cannot be judged.

3. **Descriptive indicators** (shares and counts of participants) describe all participants,
   not a sample, so they are compared with the target without a confidence interval:
   ``uppfyllt`` when the value clears the target, ``ej_uppfyllt`` otherwise. The measurement
   period matches the deadline: a share h months after start counts only the cohorts whose
   follow-up ends by the deadline (start months up to the deadline's month minus h; the
   pipeline measures them, ``evaluate_goal(followup=...)``), and the verdict names the start
   months measured (``period_start``, ``period_end``).

Indicators are the named vocabulary ``INDICATORS`` plus ``effect:<outcome>`` for any estimated
outcome (table and panel modes name their own outcomes), judged as a causal indicator.

The headline estimate for a causal goal is ``MeasureResults.headline_estimate(outcome)``: the
estimator named in ``results.headline`` where it estimated the outcome, else the first of
``evalkit.results.HEADLINE_ORDER``. The unadjusted ``naive`` comparison is never used for a causal
verdict. Only overall estimates count (no event time, subgroup or group-time cell; for ``cs_did``
the ``simple`` aggregation).

The goal model and the indicator vocabulary are in ``evalkit.params.goals`` (validated once, with
the params); indicator values in ``evalkit.audit.indicators``.
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

import pandas as pd
from pydantic import ValidationError

from evalkit.audit.indicators import IndicatorValue, causal_value, descriptive_value
from evalkit.data.months import add_months
from evalkit.errors import ParamsError
from evalkit.params.goals import Goal, GoalSource, parse_goals, parse_source
from evalkit.results import Followup, GoalVerdict, MeasureResults

UPPFYLLT = "uppfyllt"
DELVIS = "delvis"
EJ_UPPFYLLT = "ej_uppfyllt"
KAN_EJ_BEDOMAS = "kan_ej_bedomas"
VERDICTS = (UPPFYLLT, DELVIS, EJ_UPPFYLLT, KAN_EJ_BEDOMAS)

#: Display labels for the verdict codes; the report's wording module may import these.
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        UPPFYLLT: "Uppfyllt",
        DELVIS: "Delvis uppfyllt",
        EJ_UPPFYLLT: "Ej uppfyllt",
        KAN_EJ_BEDOMAS: "Kan ej bedömas",
    },
    "en": {
        UPPFYLLT: "Met",
        DELVIS: "Partly met",
        EJ_UPPFYLLT: "Not met",
        KAN_EJ_BEDOMAS: "Cannot be assessed",
    },
}

#: Display labels for the reason codes.
REASON_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "ci_clears_target": "hela konfidensintervallet klarar målet",
        "ci_includes_target": "konfidensintervallet rymmer både värden som klarar målet och "
        "värden som inte gör det",
        "target_below_mde": "målet är mindre än den minsta effekt studien kan upptäcka",
        "credibility_low": "tillförlitligheten är låg",
        "ci_wrong_side": "hela konfidensintervallet ligger på fel sida om målet",
        "estimate_wrong_side": "skattningen klarar inte målet",
        "value_clears_target": "utfallet klarar målet",
        "value_misses_target": "utfallet klarar inte målet",
        "no_positive_effect": "insatsen har ingen positiv effekt att räkna kostnad per",
        "run_failed": "körningen misslyckades",
        "deadline_not_reached": "tidpunkten för målet har inte passerats",
        "horizon_after_deadline": "utfallet kan inte ha observerats före måldatum",
        "data_missing": "uppgift saknas",
        "too_few_participants": "för få deltagare",
        "invalid_goal": "målet är felaktigt angivet",
    },
    "en": {
        "ci_clears_target": "the whole confidence interval clears the target",
        "ci_includes_target": "the confidence interval holds values that meet the target and "
        "values that do not",
        "target_below_mde": "the target is smaller than the smallest effect the study can detect",
        "credibility_low": "credibility is low",
        "ci_wrong_side": "the whole confidence interval is on the wrong side of the target",
        "estimate_wrong_side": "the estimate does not clear the target",
        "value_clears_target": "the value clears the target",
        "value_misses_target": "the value does not clear the target",
        "no_positive_effect": "the measure has no positive effect to compute a cost per",
        "run_failed": "the run failed",
        "deadline_not_reached": "the deadline has not passed",
        "horizon_after_deadline": "the outcome cannot have been observed by the deadline",
        "data_missing": "data missing",
        "too_few_participants": "too few participants",
        "invalid_goal": "the goal is not validly specified",
    },
}

#: Fewest treated units for which an effect is used in a verdict.
MIN_TREATED_FOR_EFFECT = 30


def _clears(value: float, target: float, direction: str) -> bool:
    """Whether ``value`` meets the target in the goal's direction."""
    return value >= target if direction == "at_least" else value <= target


def causal_verdict(
    estimate: float,
    ci_low: float | None,
    ci_high: float | None,
    target: float,
    direction: str,
    *,
    grade: str | None = None,
    mde: float | None = None,
) -> tuple[str, str]:
    """Verdict and reason of a causal indicator from its deciding interval (rule 2)."""
    if grade == "lag":
        return KAN_EJ_BEDOMAS, "credibility_low"
    if mde is not None and target != 0 and abs(target) < mde:
        # too small a study for an effect of the target's size: an interval that clears it
        # anyway mostly shows an overestimate (or a bias the checks lack the power to see)
        return KAN_EJ_BEDOMAS, "target_below_mde"
    near, far = (ci_low, ci_high) if direction == "at_least" else (ci_high, ci_low)
    if near is not None and _clears(near, target, direction):
        return UPPFYLLT, "ci_clears_target"
    if far is not None and not _clears(far, target, direction):
        return EJ_UPPFYLLT, "ci_wrong_side"
    return KAN_EJ_BEDOMAS, "ci_includes_target"


def descriptive_verdict(value: float, target: float, direction: str) -> tuple[str, str]:
    """Verdict and reason of a descriptive indicator (rule 3)."""
    if _clears(value, target, direction):
        return UPPFYLLT, "value_clears_target"
    return EJ_UPPFYLLT, "value_misses_target"


def _decision_interval(
    results: MeasureResults, outcome: str | None, got: IndicatorValue
) -> tuple[float | None, float | None, str | None]:
    """The interval that decides an effect's verdict: the multiplicity-adjusted one when the
    pipeline computed it for this outcome and estimator, else the estimate's own."""
    block = results.diagnostics.multiplicity
    adjusted = block.interval(outcome) if block is not None and outcome else None
    if adjusted is not None and adjusted.estimator == got.estimator:
        return adjusted.ci_low, adjusted.ci_high, block.method
    return got.ci_low, got.ci_high, None


def _judge(
    goal: Goal,
    results: MeasureResults,
    min_cell: int,
    min_treated: int,
    followup: Followup | None = None,
) -> tuple[IndicatorValue, str, str, dict[str, Any]]:
    """Value, verdict, reason and what decided it (interval, grade, MDE, period), no deadline."""
    spec = goal.spec
    if spec.kind == "descriptive":
        measured = (
            results if followup is None else results.model_copy(update={"followup": followup})
        )
        got = descriptive_value(measured, goal.indicator)
        block = measured.followup
        extra = {
            "period_start": block.intake_start if block is not None else None,
            "period_end": block.intake_end if block is not None else None,
        }
        if got.value is None:
            return got, KAN_EJ_BEDOMAS, "data_missing", extra
        if spec.unit == "share" and (got.n is None or got.n < 2 * min_cell):
            return IndicatorValue(n=got.n), KAN_EJ_BEDOMAS, "too_few_participants", extra
        return got, *descriptive_verdict(got.value, goal.target, goal.direction), extra
    got = causal_value(results, goal.indicator)
    credibility = results.credibility_of(spec.outcome) if spec.outcome else None
    grade = credibility.grade if credibility is not None else None
    extra: dict[str, Any] = {"grade": grade}
    if goal.indicator == "cost_per_additional_in_work_or_study" and got.defined is False:
        # "no positive effect" is itself a conclusion about the effect: not on a Låg estimate
        if grade == "lag":
            return got, KAN_EJ_BEDOMAS, "credibility_low", extra
        return got, EJ_UPPFYLLT, "no_positive_effect", extra
    n_sample = results.sample.n_treated
    fewest = max(min_treated, min_cell)
    if got.n is None and n_sample is not None and n_sample < fewest:
        return got, KAN_EJ_BEDOMAS, "too_few_participants", extra
    if got.value is None:
        return got, KAN_EJ_BEDOMAS, "data_missing", extra
    if got.n is not None and got.n < fewest:
        hidden = IndicatorValue(n=got.n, estimator=got.estimator)
        return hidden, KAN_EJ_BEDOMAS, "too_few_participants", extra
    mde = None
    if spec.name.startswith("effect") and spec.outcome:
        lo, hi, method = _decision_interval(results, spec.outcome, got)
        block = results.diagnostics_of(spec.outcome).mde
        mde = block.mde if block is not None else None
        extra.update(decision_ci_low=lo, decision_ci_high=hi, adjustment=method or "none", mde=mde)
    else:
        lo, hi = got.ci_low, got.ci_high
    if goal.indicator == "cost_per_additional_in_work_or_study" and got.bounded is False:
        hi = math.inf  # an unbounded interval never clears an at_most target
        lo = lo if lo is not None else -math.inf
    verdict, reason = causal_verdict(
        got.value, lo, hi, goal.target, goal.direction, grade=grade, mde=mde
    )
    return got, verdict, reason, extra


def evaluate_goal(
    goal: Goal,
    results: MeasureResults,
    *,
    as_of: date | None = None,
    min_cell: int = 5,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
    followup: Followup | None = None,
) -> GoalVerdict:
    """The verdict of one goal on one measure's results (rules in the module docstring).

    ``followup`` is the follow-up of the cohorts whose follow-up ends by the goal's deadline
    (a descriptive goal's measurement period); without it, the results' own follow-up.
    """
    spec = goal.spec
    base = GoalVerdict(
        id=goal.id,
        source=goal.source,
        text=goal.text,
        indicator=goal.indicator,
        kind=spec.kind,
        unit=spec.unit,
        target=goal.target,
        direction=goal.direction,
        deadline=goal.deadline,
    )
    if results.is_failed:
        error = results.error.type if results.error else None
        reason = "too_few_participants" if error == "InsufficientDataError" else "run_failed"
        return base.model_copy(update={"verdict": KAN_EJ_BEDOMAS, "reason": reason})
    got, verdict, reason, extra = _judge(goal, results, min_cell, min_treated, followup)
    out = base.model_copy(
        update={
            "value": got.value,
            "ci_low": got.ci_low,
            "ci_high": got.ci_high,
            "estimator": got.estimator,
            "n": int(got.n) if got.n is not None else None,
            "verdict": verdict,
            "reason": reason,
            **extra,
        }
    )
    intake_start = results.sample.intake_start
    if goal.deadline and spec.horizon_months and intake_start:
        try:
            first_seen = add_months(intake_start, spec.horizon_months)
        except ValueError:
            first_seen = None
        if first_seen is not None and first_seen > goal.deadline:
            return out.model_copy(
                update={"verdict": KAN_EJ_BEDOMAS, "reason": "horizon_after_deadline"}
            )
    if goal.deadline and as_of and as_of < goal.deadline:
        provisional = verdict if verdict != KAN_EJ_BEDOMAS else None
        return out.model_copy(
            update={
                "provisional_verdict": provisional,
                "verdict": KAN_EJ_BEDOMAS,
                "reason": "deadline_not_reached",
            }
        )
    return out


def evaluate_goals(
    goals: list[Goal],
    results: MeasureResults,
    *,
    as_of: date | None = None,
    min_cell: int = 5,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
    followups: dict[str, Followup] | None = None,
) -> list[GoalVerdict]:
    """Verdicts of a measure's goals, one per goal, in the params order.

    ``as_of`` is the last date the data describe (the pipeline passes the end of the data
    period, not the day of the run); with ``None`` the deadline rule is not applied.
    ``followups`` holds, per goal id, the follow-up of its measurement period (descriptive
    goals whose deadline cuts the intake).
    """
    return [
        evaluate_goal(
            g,
            results,
            as_of=as_of,
            min_cell=min_cell,
            min_treated=min_treated,
            followup=(followups or {}).get(g.id),
        )
        for g in goals
    ]


MATRIX_COLUMNS = [
    "source",
    "source_title",
    "source_dnr",
    "source_decided",
    "measure_id",
    "measure_title",
    "goal_id",
    "text",
    "indicator",
    "kind",
    "target",
    "direction",
    "deadline",
    "value",
    "ci_low",
    "ci_high",
    "verdict",
    "reason",
]


def _invalid_goal(item: Any) -> GoalVerdict:
    """A matrix row for a goal that does not validate: listed, never silently dropped."""
    item = item if isinstance(item, dict) else {}
    source = item.get("source")
    try:
        source = parse_source(source) if isinstance(source, str) else GoalSource(**source)
    except (TypeError, ValidationError):
        source = None
    return GoalVerdict(
        id=item.get("id"),
        source=source,
        text=item.get("text"),
        indicator=item.get("indicator"),
        verdict=KAN_EJ_BEDOMAS,
        reason="invalid_goal",
    )


def verdicts_of(
    results: MeasureResults, *, as_of: date | None = None, min_cell: int = 5
) -> list[GoalVerdict]:
    """The measure's judged goals; where missing (a failed run), its params goals judged now."""
    if results.goals:
        return list(results.goals)
    raw = results.params.get("goals") or []
    if not raw:
        return []
    try:
        goals = parse_goals(raw)
    except ParamsError:
        return [_invalid_goal(item) for item in raw]
    return evaluate_goals(goals, results, as_of=as_of, min_cell=min_cell)


def goal_matrix(
    all_results: list[MeasureResults], *, as_of: date | None = None, min_cell: int = 5
) -> pd.DataFrame:
    """All goals of all measures in one table, grouped (sorted) by source document.

    Uses each measure's judged ``goals``; a failed run still lists its params goals as
    ``kan_ej_bedomas``, and an invalid goal as ``invalid_goal``.
    """
    rows = []
    for results in all_results:
        for g in verdicts_of(results, as_of=as_of, min_cell=min_cell):
            src = g.source
            row = g.model_dump(mode="json")
            rows.append(
                {
                    "source": src.label if src else None,
                    "source_title": src.title if src else None,
                    "source_dnr": src.dnr if src else None,
                    "source_decided": src.decided.isoformat() if src and src.decided else None,
                    "measure_id": results.measure_id,
                    "measure_title": results.title,
                    "goal_id": g.id,
                    **{k: row.get(k) for k in MATRIX_COLUMNS[7:]},
                }
            )
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["source", "measure_id", "goal_id"], kind="stable").reset_index(
        drop=True
    )


__all__ = [
    "DELVIS",
    "EJ_UPPFYLLT",
    "KAN_EJ_BEDOMAS",
    "MATRIX_COLUMNS",
    "MIN_TREATED_FOR_EFFECT",
    "REASON_LABELS",
    "UPPFYLLT",
    "VERDICTS",
    "VERDICT_LABELS",
    "causal_verdict",
    "descriptive_verdict",
    "evaluate_goal",
    "evaluate_goals",
    "goal_matrix",
    "verdicts_of",
]
