"""How far to trust a headline estimate: a grade (``hog`` / ``medel`` / ``lag``) from checks that
can fail.

Every rule gives ``pass``, ``warn``, ``fail`` or ``not_applicable`` with the value it measured and
the thresholds it was held against, so the page can say in one sentence why (``CredibilityRule``;
the report's wording explains each rule). The estimate graded for an outcome is its headline
estimate (``MeasureResults.headline_estimate``), the one summary, verdicts, costs and portfolio
use. Rules:

===============  ==========================================================  ==================
rule             value                                                       fail / warn
===============  ==========================================================  ==================
adjusted         the headline estimator adjusts for differences (not naive)  naive: fail
participants     participants behind the estimate                            < 30 fail;
                                                                             < 100 warn
placebo          the headline estimator's "effect" on outcomes measured      Holm p < 0.05:
                 25–36 months before start (``diagnostics.placebo``): the    fail; not shown
                 smallest Holm-adjusted p-value of the difference tests      equivalent: warn
balance          largest |SMD| after the headline's own weights, over every  see below
                 covariate and the pre-programme path (work or studies and
                 assistance month by month, 36 months before start)
overlap          share of *participants* outside common support or trimmed   > 0.20 fail;
                                                                             > 0.05 warn
designs          agreement with designs that rest on other assumptions       Holm p < 0.05:
                 (``diagnostics.designs``: conditional DiD on the stacked    fail
                 risk sets, the second comparison group): the smallest
                 Holm-adjusted p-value of the difference tests
pretrend         joint pre-trend test of the headline's own panel design     p < 0.05 fail;
                 (panel mode)                                                p < 0.10 warn
sensitivity      how many times as strong as work history an unobserved      < 1 warn
                 confounder must be to move the interval onto the goal's
                 target (or zero) (Cinelli & Hazlett 2020, benchmarked)
attrition        largest share of a group whose registers end before the     > 0.05 warn
                 outcome's horizon (IPCW-weighted; Lee bounds beside it)
===============  ==========================================================  ==================

Grade:

- ``lag`` (Låg) when any of adjusted, participants, placebo, balance, overlap, designs or
  pretrend fails: a check that a sound comparison passes has failed, so the estimate may show
  the selection rather than the measure;
- ``hog`` (Hög) when no rule fails or warns, at least ``MIN_PARTICIPANTS_HOG`` participants,
  and a falsification test was run and passed (the placebo equivalence, or a panel design's
  pre-trend test): the comparison was given a chance to fail and did not;
- ``medel`` (Medel) otherwise, e.g. a placebo that is neither shown equivalent nor different
  ("inconclusive cannot be Hög"), or an estimate a confounder weaker than work history could
  overturn.

Why these thresholds (the false-alarm budget). Every check that can fail under a sound design
costs decisions: a study is judged only if it is not Låg. The tests that make the grade Låg are
therefore tests at a known level, adjusted for how many are made: the placebo's difference
tests (two placebo outcomes, Holm at 5 %), the design comparisons (Holm at 5 %), and balance
with a limit that grows with the noise an honest comparison shows. Balance limits: pass below
max(0.10, z · s) and fail at or above max(0.25, z' · s), where s = sqrt(1/n1 + 1/n0) is the
sampling SD of an SMD with n1 participants and n0 the comparison group's effective size
(Kish), z = the Bonferroni 95 % and z' the 99.9 % quantile for the number of columns compared:
a large imbalance fails, but not the largest of a hundred noisy SMDs in a small study. The
measured rates on the synthetic scenarios are in ``benchmarks/mc_credibility.py``. The
placebo's equivalence test (TOST, margin = the placebo outcome's MDE at 90 % power) decides
only between pass and warn: an inconclusive placebo keeps an estimate from Hög, never from a
verdict.

Sample-wide checks (balance, overlap, placebo) are computed once, on the headline outcome's fit,
and hold for every outcome; designs, sensitivity, participants and attrition are per outcome
(``MeasureResults.diagnostics_of``), never carried over from one outcome to another.
"""

from __future__ import annotations

import math
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from scipy import stats

from evalkit.audit.multiplicity import holm
from evalkit.estimators.warnings import FEW_TREATED, merge
from evalkit.params.goals import Goal, indicator_spec, parse_goals
from evalkit.results import (
    Credibility,
    CredibilityRule,
    Estimate,
    GoalVerdict,
    MeasureResults,
    Pretrend,
)

PASS, WARN, FAIL, NOT_APPLICABLE = "pass", "warn", "fail", "not_applicable"
HOG, MEDEL, LAG = "hog", "medel", "lag"
#: Rules whose failure makes the grade Låg.
CORE_RULES = ("adjusted", "participants", "placebo", "balance", "overlap", "designs", "pretrend")
#: Rules whose pass counts as a falsification test passed (needed for Hög).
EVIDENCE_RULES = ("placebo", "pretrend")
#: Fewest participants for Hög: below this the checks have too little power to reassure.
MIN_PARTICIPANTS_HOG = 100

#: Display labels for the grade codes; the report's wording module may import these.
GRADE_LABELS: dict[str, dict[str, str]] = {
    "sv": {HOG: "Hög", MEDEL: "Medel", LAG: "Låg"},
    "en": {HOG: "High", MEDEL: "Medium", LAG: "Low"},
}


@dataclass(frozen=True)
class Thresholds:
    """Limits of each rule (see the module docstring for why)."""

    min_participants: int = FEW_TREATED
    min_participants_hog: int = MIN_PARTICIPANTS_HOG
    placebo_alpha: float = 0.05
    designs_alpha: float = 0.05
    smd_pass: float = 0.10
    smd_warn: float = 0.25
    smd_noise_pass: float = 0.05
    smd_noise_fail: float = 0.001
    outside_pass: float = 0.05
    outside_warn: float = 0.20
    pretrend_pass: float = 0.10
    pretrend_warn: float = 0.05
    sensitivity_pass: float = 1.0
    attrition_pass: float = 0.05


def _rule(rule: str, status: str, value: Any = None, **detail: Any) -> CredibilityRule:
    """One rule's outcome."""
    return CredibilityRule(rule=rule, status=status, value=value, **detail)


def rule_adjusted(entry: Estimate) -> CredibilityRule:
    """The headline must come from an estimator that adjusts for differences."""
    name = entry.estimator
    return _rule("adjusted", FAIL if name == "naive" else PASS, name)


def rule_participants(entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Participants behind the estimate: too few fail, few keep it from Hög."""
    n = entry.n_treated
    if n is None:
        return _rule("participants", NOT_APPLICABLE)
    status = PASS if n >= t.min_participants_hog else WARN if n >= t.min_participants else FAIL
    return _rule(
        "participants",
        status,
        n,
        pass_at_least=t.min_participants_hog,
        warn_at_least=t.min_participants,
    )


def rule_placebo(results: MeasureResults, t: Thresholds) -> CredibilityRule:
    """Placebo outcomes before the start: a difference fails, equivalence shown passes."""
    tests = [p for p in results.diagnostics.placebo if p.outcome]
    if not tests:
        return _rule("placebo", NOT_APPLICABLE)
    raw = [p.p_value_difference if p.p_value_difference is not None else p.p_value for p in tests]
    adjusted = holm([math.nan if p is None else p for p in raw])
    finite = [p for p in adjusted if math.isfinite(p)]
    if not finite:
        return _rule("placebo", NOT_APPLICABLE, reason="not_estimated")
    smallest = min(finite)
    per_outcome = {
        p.outcome: {
            "status": p.status,
            "p_value_difference": p.p_value_difference,
            "p_value_holm": None if not math.isfinite(a) else a,
            "p_value_equivalence": p.p_value_equivalence,
            "margin": p.margin,
        }
        for p, a in zip(tests, adjusted, strict=True)
    }
    if smallest < t.placebo_alpha:
        status = FAIL
    elif all(p.placebo_passes for p in tests):
        status = PASS
    else:
        status = WARN
    return _rule(
        "placebo",
        status,
        smallest,
        measure="holm_p_value",
        pass_at_least=t.placebo_alpha,
        details={"outcomes": per_outcome, "adjustment": "holm"},
    )


def smd_noise(n_treated: float | None, n_control_effective: float | None) -> float | None:
    """Sampling SD of a standardised mean difference: sqrt(1/n1 + 1/n0)."""
    if not n_treated or not n_control_effective:
        return None
    return math.sqrt(1.0 / n_treated + 1.0 / n_control_effective)


def balance_limits(k: int, noise: float | None, t: Thresholds) -> tuple[float, float]:
    """(pass below, fail at or above) for the largest |SMD| of ``k`` columns (docstring)."""
    if noise is None or k < 1:
        return t.smd_pass, t.smd_warn
    z_pass = float(stats.norm.ppf(1 - t.smd_noise_pass / (2 * k)))
    z_fail = float(stats.norm.ppf(1 - t.smd_noise_fail / (2 * k)))
    return max(t.smd_pass, z_pass * noise), max(t.smd_warn, z_fail * noise)


def rule_balance(results: MeasureResults, t: Thresholds) -> CredibilityRule:
    """Largest |SMD| after the headline's weights, over covariates and the pre-programme path."""
    diag = results.diagnostics
    rows = [*diag.balance, *diag.balance_path]
    values = [(r.covariate, abs(r.smd_after)) for r in rows if r.smd_after is not None]
    if not values:
        return _rule("balance", NOT_APPLICABLE)
    worst_column, worst = max(values, key=lambda x: x[1])
    head = results.headline_estimate()
    n1 = head.n_treated if head is not None else None
    n0 = (head.details or {}).get("effective_n_control") if head is not None else None
    n0 = n0 if isinstance(n0, (int, float)) and n0 > 0 else (head.n_control if head else None)
    noise = smd_noise(n1, n0)
    pass_below, fail_at = balance_limits(len(values), noise, t)
    status = PASS if worst < pass_below else WARN if worst < fail_at else FAIL
    return _rule(
        "balance",
        status,
        worst,
        measure="max_abs_smd_after",
        pass_below=pass_below,
        warn_below=fail_at,
        details={
            "column": worst_column,
            "n_columns": len(values),
            "n_path_columns": sum(1 for r in diag.balance_path if r.smd_after is not None),
            "smd_noise_sd": noise,
            "weighting": diag.balance_weighting,
        },
    )


def rule_overlap(results: MeasureResults, t: Thresholds) -> CredibilityRule:
    """Share of participants outside common support or trimmed (denominator: participants)."""
    overlap = results.diagnostics.overlap
    if overlap is None:
        return _rule("overlap", NOT_APPLICABLE)
    share = overlap.share_excluded
    if share is None:
        share = overlap.share_treated_outside_support
    if share is None:
        share = overlap.share_outside_support
    if share is None:
        return _rule("overlap", NOT_APPLICABLE)
    status = PASS if share <= t.outside_pass else WARN if share <= t.outside_warn else FAIL
    return _rule(
        "overlap",
        status,
        share,
        measure="share_of_participants_excluded",
        pass_at_most=t.outside_pass,
        warn_at_most=t.outside_warn,
        details={"denominator": overlap.denominator or "participants"},
    )


def rule_designs(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Agreement with designs resting on other assumptions: a difference test per design."""
    found = [
        d
        for d in results.diagnostics.designs_of(entry.outcome)
        if d.headline_estimator in (None, entry.estimator)
    ]
    usable = [d for d in found if d.usable and d.p_value is not None]
    details = {
        "comparisons": [
            {
                "design": d.design,
                "estimate": d.estimate,
                "difference": d.difference,
                "se_difference": d.se_difference,
                "p_value": d.p_value,
                "usable": d.usable,
                "reason": d.reason,
            }
            for d in found
        ],
        "adjustment": "holm",
    }
    if not usable:
        reason = "no_usable_design" if found else None
        return _rule("designs", NOT_APPLICABLE, reason=reason, details=details)
    adjusted = holm([d.p_value for d in usable])
    smallest = min(adjusted)
    return _rule(
        "designs",
        FAIL if smallest < t.designs_alpha else PASS,
        smallest,
        measure="holm_p_value",
        n_estimators=len(usable) + 1,
        pass_at_least=t.designs_alpha,
        details=details,
    )


def rule_pretrend(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Joint pre-trend test of the headline's own panel design (panel mode)."""
    block = results.diagnostics_of(entry.outcome).pretrend
    p = block.p_value if block is not None else None
    own = entry.details.get("pretrend")
    if p is None and isinstance(own, dict):
        p = Pretrend.model_validate(own).p_value
    if p is None:
        return _rule("pretrend", NOT_APPLICABLE)
    status = PASS if p >= t.pretrend_pass else WARN if p >= t.pretrend_warn else FAIL
    return _rule(
        "pretrend",
        status,
        p,
        pass_at_least=t.pretrend_pass,
        warn_at_least=t.pretrend_warn,
    )


def goal_targets(goals: Iterable[Goal | GoalVerdict], outcome: str) -> list[float]:
    """Targets of the causal goals whose indicator is the effect on ``outcome``."""
    out = []
    for g in goals:
        spec = indicator_spec(g.indicator or "")
        is_effect = spec is not None and spec.kind == "causal" and spec.name.startswith("effect")
        if is_effect and spec.outcome == outcome and g.target is not None:
            out.append(float(g.target))
    return out


def rule_sensitivity(
    results: MeasureResults, entry: Estimate, goals: list[Goal | GoalVerdict], t: Thresholds
) -> CredibilityRule:
    """How strong, relative to work history, a hidden confounder must be to overturn the result.

    Against the goal's target when the outcome has a causal goal (a non-zero target), else
    against zero. Not applicable when the interval already includes that value.
    """
    block = results.diagnostics_of(entry.outcome).sensitivity
    targets = [x for x in goal_targets(goals, entry.outcome) if x != 0]
    bench = None
    if block is not None:
        bench = block.benchmarked_target if targets else None
        bench = bench or block.benchmarked
    if bench is None:
        return _rule("sensitivity", NOT_APPLICABLE)
    against = bench.target if bench.target is not None else 0.0
    lo, hi = entry.ci_low, entry.ci_high
    if lo is not None and hi is not None and lo <= against <= hi:
        return _rule("sensitivity", NOT_APPLICABLE, reason="ci_includes_target", target=against)
    k = bench.k_interval
    details = {"benchmark": bench.benchmark, "k_estimate": bench.k_estimate}
    if k is None:  # no confounder weaker than everything could do it
        return _rule(
            "sensitivity", PASS, None, measure="k_interval", target=against, details=details
        )
    return _rule(
        "sensitivity",
        PASS if k >= t.sensitivity_pass else WARN,
        k,
        measure="k_interval",
        target=against,
        pass_at_least=t.sensitivity_pass,
        details=details,
    )


def rule_attrition(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Share of a group whose registers end before the outcome's horizon (IPCW-weighted)."""
    block = results.diagnostics.attrition
    if block is None:
        return _rule("attrition", NOT_APPLICABLE)
    row = next((c for c in block.ipcw if c.outcome == entry.outcome), None)
    if row is None:
        return _rule("attrition", NOT_APPLICABLE)
    seen = [s for s in (row.observed_share_treated, row.observed_share_control) if s is not None]
    if not seen:
        return _rule("attrition", NOT_APPLICABLE)
    lost = 1.0 - min(seen)
    details: dict[str, Any] = {"weighted": row.weighted}
    lee = block.lee_bounds
    if lee is not None and lee.outcome == entry.outcome:
        details["lee_bounds"] = [lee.ci_low, lee.ci_high]
    return _rule(
        "attrition",
        PASS if lost <= t.attrition_pass else WARN,
        lost,
        measure="share_not_observed",
        pass_at_most=t.attrition_pass,
        details=details,
    )


def grade(rules: Iterable[CredibilityRule]) -> str:
    """The grade from the rules' outcomes (see the module docstring)."""
    return grade_with_reasons(rules)[0]


def grade_with_reasons(rules: Iterable[CredibilityRule]) -> tuple[str, list[str]]:
    """The grade and the rules that set it (failed rules for Låg, the missing ones for Medel)."""
    rules = list(rules)
    status = {r.rule: r.status for r in rules}
    fails = [k for k, v in status.items() if v == FAIL and k in CORE_RULES]
    if fails:
        return LAG, fails
    holding = [k for k, v in status.items() if v in (WARN, FAIL)]
    evidence = any(status.get(k) == PASS for k in EVIDENCE_RULES)
    if not holding and evidence:
        return HOG, []
    return MEDEL, holding + ([] if evidence else ["no_falsification_test"])


def assess(
    results: MeasureResults,
    entry: Estimate,
    *,
    goals: Iterable[Goal | GoalVerdict] = (),
    thresholds: Thresholds | None = None,
) -> Credibility:
    """Grade and rule outcomes of one estimate."""
    t = thresholds or Thresholds()
    goals = list(goals)
    rules = [
        rule_adjusted(entry),
        rule_participants(entry, t),
        rule_placebo(results, t),
        rule_balance(results, t),
        rule_overlap(results, t),
        rule_designs(results, entry, t),
        rule_pretrend(results, entry, t),
        rule_sensitivity(results, entry, goals, t),
        rule_attrition(results, entry, t),
    ]
    level, reasons = grade_with_reasons(rules)
    return Credibility(
        outcome=entry.outcome,
        estimator=entry.estimator,
        estimate=entry.estimate,
        grade=level,
        rules=rules,
        reasons=reasons,
    )


def grade_credibility(
    results: MeasureResults,
    *,
    goals: Iterable[Goal | GoalVerdict] | None = None,
    outcomes: list[str] | None = None,
    thresholds: Thresholds | None = None,
) -> list[Credibility]:
    """One graded entry per main outcome's headline estimate.

    ``outcomes`` defaults to the params outcomes, else every outcome with an overall estimate.
    ``goals`` (params goals or their verdicts, default the results' verdicts, else the params
    goals) give the targets the sensitivity rule is held against.
    """
    if outcomes is None:
        outcomes = results.outcomes()
    if goals is None:
        goals = results.goals or parse_goals(results.params.get("goals") or [])
    goals = list(goals)
    out = []
    for outcome in outcomes:
        entry = results.headline_estimate(outcome)
        if entry is not None:
            out.append(assess(results, entry, goals=goals, thresholds=thresholds))
    return out


#: Estimators that rest on selection on the recorded covariates: a failed placebo test speaks
#: against all of them (a difference-in-differences design rests on other assumptions).
SELECTION_ON_OBSERVABLES = ("naive", "regression", "ipw", "matching", "aipw", "dynamic_matching")


def warn_on_failed_placebo(
    results: MeasureResults, credibility: Iterable[Credibility]
) -> MeasureResults:
    """``results`` whose selection-on-observables estimates carry ``placebo_failed`` where the
    placebo rule failed, so every number the report shows says what the check found."""
    failed = {
        c.outcome
        for c in credibility
        for r in c.rules
        if r.rule == "placebo" and r.status == "fail"
    }
    if not failed:
        return results
    # the placebo outcomes lie before the start: a failure is about who was selected, so it
    # concerns every outcome of the measure, not only the graded ones
    estimates = [
        e.model_copy(update={"warnings": list(merge(e.warnings, ("placebo_failed",)))})
        if e.estimator in SELECTION_ON_OBSERVABLES
        else e
        for e in results.estimates
    ]
    return results.model_copy(update={"estimates": estimates})
