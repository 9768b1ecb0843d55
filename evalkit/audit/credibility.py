"""How far to trust a headline estimate: a grade (``hog`` / ``medel`` / ``lag``) from open rules.

Each rule gives ``pass``, ``warn``, ``fail`` or ``not_applicable`` (diagnostic absent or not
relevant), with its value and thresholds, so the report can show why a grade was given:

============  =================================================  =========  =========
rule          value                                              pass       warn
============  =================================================  =========  =========
adjusted      the headline estimator adjusts for differences     not naive  –
balance       max |SMD| over covariates after adjustment         < 0.10     < 0.25
overlap       share of units outside common propensity support   <= 0.05    <= 0.20
agreement     spread (max − min) of the adjusted estimators'     <= 2 SE    <= 4 SE
              estimates, in headline standard errors
pretrend      p-value of the joint pre-trend test (panel only)   >= 0.10    >= 0.05
sensitivity   E-value of the interval bound nearest the null     >= 2.0     >= 1.5
              (else robustness value); n/a when the CI covers 0
power         minimum detectable effect vs the goal's target     <= |t|     otherwise
              effect ``t``; pass also when the interval lies
              wholly on one side of ``t`` (the data decide it)
============  =================================================  =========  =========

Anything worse than ``warn`` is ``fail``; power never fails, because imprecision is not bias
(a wide interval already shows in the verdict). Balance and overlap describe the sample and apply to
every outcome; sensitivity, MDE and pre-trend are outcome-specific
(``MeasureResults.diagnostics_of``) and never carried over from one outcome to another. The
estimate graded for an outcome is its headline estimate (``MeasureResults.headline_estimate``).
Grade:

- ``lag`` (Låg) when a core rule fails (adjusted, balance, overlap, pretrend) or two or more
  rules fail;
- ``hog`` (Hög) when no rule fails, at most one warns, and balance or the pre-trend test was
  actually checked and passed (some evidence that the groups are comparable);
- ``medel`` (Medel) otherwise.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from evalkit.params.goals import Goal, indicator_spec, parse_goals
from evalkit.results import (
    ADJUSTED_ESTIMATORS,
    Credibility,
    CredibilityRule,
    Estimate,
    GoalVerdict,
    MeasureResults,
    Pretrend,
)

PASS, WARN, FAIL, NOT_APPLICABLE = "pass", "warn", "fail", "not_applicable"
HOG, MEDEL, LAG = "hog", "medel", "lag"
CORE_RULES = ("adjusted", "balance", "overlap", "pretrend")

#: Display labels for the grade codes; the report's wording module may import these.
GRADE_LABELS: dict[str, dict[str, str]] = {
    "sv": {HOG: "Hög", MEDEL: "Medel", LAG: "Låg"},
    "en": {HOG: "High", MEDEL: "Medium", LAG: "Low"},
}


@dataclass(frozen=True)
class Thresholds:
    """Pass and warn limits of each rule (see the module docstring)."""

    smd_pass: float = 0.10
    smd_warn: float = 0.25
    outside_pass: float = 0.05
    outside_warn: float = 0.20
    spread_pass: float = 2.0
    spread_warn: float = 4.0
    pretrend_pass: float = 0.10
    pretrend_warn: float = 0.05
    e_value_pass: float = 2.0
    e_value_warn: float = 1.5
    rv_pass: float = 0.10
    rv_warn: float = 0.05


def _rule(rule: str, status: str, value: Any = None, **detail: Any) -> CredibilityRule:
    """One rule's outcome."""
    return CredibilityRule(rule=rule, status=status, value=value, **detail)


def _below(value: float, pass_at: float, warn_at: float, *, strict: bool = False) -> str:
    """pass / warn / fail for a value where smaller is better."""
    if value < pass_at or (not strict and value == pass_at):
        return PASS
    if value < warn_at or (not strict and value == warn_at):
        return WARN
    return FAIL


def _above(value: float, pass_at: float, warn_at: float) -> str:
    """pass / warn / fail for a value where larger is better."""
    return PASS if value >= pass_at else WARN if value >= warn_at else FAIL


def rule_adjusted(entry: Estimate) -> CredibilityRule:
    """The headline must come from an estimator that adjusts for differences."""
    name = entry.estimator
    return _rule("adjusted", FAIL if name == "naive" else PASS, name)


def rule_balance(results: MeasureResults, t: Thresholds) -> CredibilityRule:
    """Max |SMD| after adjustment."""
    smds = [abs(r.smd_after) for r in results.diagnostics.balance if r.smd_after is not None]
    if not smds:
        return _rule("balance", NOT_APPLICABLE)
    worst = max(smds)
    return _rule(
        "balance",
        _below(worst, t.smd_pass, t.smd_warn, strict=True),
        worst,
        pass_below=t.smd_pass,
        warn_below=t.smd_warn,
    )


def rule_overlap(results: MeasureResults, t: Thresholds) -> CredibilityRule:
    """Share of units outside common support."""
    overlap = results.diagnostics.overlap
    share = overlap.share_outside_support if overlap is not None else None
    if share is None:
        return _rule("overlap", NOT_APPLICABLE)
    return _rule(
        "overlap",
        _below(share, t.outside_pass, t.outside_warn),
        share,
        pass_at_most=t.outside_pass,
        warn_at_most=t.outside_warn,
    )


def rule_agreement(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Spread of the adjusted estimators' estimates, in headline standard errors."""
    values = [
        e.estimate
        for e in results.overall(entry.outcome)
        if e.estimator in ADJUSTED_ESTIMATORS and e.estimate is not None
    ]
    se = entry.se
    if len(values) < 2 or not se or se <= 0:
        return _rule("agreement", NOT_APPLICABLE, n_estimators=len(values))
    spread = (max(values) - min(values)) / se
    return _rule(
        "agreement",
        _below(spread, t.spread_pass, t.spread_warn),
        spread,
        n_estimators=len(values),
        pass_at_most=t.spread_pass,
        warn_at_most=t.spread_warn,
    )


def rule_pretrend(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """Joint pre-trend test, where a panel design gives one."""
    block = results.diagnostics_of(entry.outcome).pretrend
    p = block.p_value if block is not None else None
    own = entry.details.get("pretrend")
    if p is None and isinstance(own, dict):
        p = Pretrend.model_validate(own).p_value
    if p is None:
        return _rule("pretrend", NOT_APPLICABLE)
    return _rule(
        "pretrend",
        _above(p, t.pretrend_pass, t.pretrend_warn),
        p,
        pass_at_least=t.pretrend_pass,
        warn_at_least=t.pretrend_warn,
    )


def rule_sensitivity(results: MeasureResults, entry: Estimate, t: Thresholds) -> CredibilityRule:
    """E-value of the CI bound (else robustness value); not applicable to a null result."""
    lo, hi = entry.ci_low, entry.ci_high
    if lo is None or hi is None or lo <= 0 <= hi:
        return _rule("sensitivity", NOT_APPLICABLE, reason="ci_includes_zero")
    block = results.diagnostics_of(entry.outcome).sensitivity
    if block is None:
        return _rule("sensitivity", NOT_APPLICABLE)
    measures = (
        ("e_value_ci", block.e_value_ci, t.e_value_pass, t.e_value_warn),
        ("robustness_value", block.robustness_value, t.rv_pass, t.rv_warn),
    )
    for measure, value, pass_at, warn_at in measures:
        if value is not None:
            return _rule(
                "sensitivity",
                _above(value, pass_at, warn_at),
                value,
                measure=measure,
                pass_at_least=pass_at,
                warn_at_least=warn_at,
            )
    return _rule("sensitivity", NOT_APPLICABLE)


def goal_targets(goals: Iterable[Goal | GoalVerdict], outcome: str) -> list[float]:
    """Targets of the causal goals whose indicator is the effect on ``outcome``."""
    out = []
    for g in goals:
        spec = indicator_spec(g.indicator or "")
        is_effect = spec is not None and spec.kind == "causal" and spec.name.startswith("effect")
        if is_effect and spec.outcome == outcome and g.target is not None:
            out.append(float(g.target))
    return out


def rule_power(
    results: MeasureResults, entry: Estimate, goals: Iterable[Goal | GoalVerdict], t: Thresholds
) -> CredibilityRule:
    """Whether the sample can detect an effect the size of the goal's target (never a fail)."""
    outcome = entry.outcome
    raw_targets = [x for x in goal_targets(goals, outcome) if x != 0]
    block = results.diagnostics_of(outcome).mde
    mde = block.mde if block is not None else None
    if mde is None or not raw_targets:
        smallest = min((abs(x) for x in raw_targets), default=None)
        return _rule("power", NOT_APPLICABLE, mde, target=smallest)
    lo, hi = entry.ci_low, entry.ci_high
    undecided = [x for x in raw_targets if lo is None or hi is None or lo <= x <= hi]
    if not undecided:
        return _rule("power", PASS, mde, target=min(abs(x) for x in raw_targets), ci_decides=True)
    target = min(abs(x) for x in undecided)
    return _rule("power", PASS if mde <= target else WARN, mde, target=target, ci_decides=False)


def grade(rules: Iterable[CredibilityRule]) -> str:
    """The grade from the rules' outcomes (see the module docstring)."""
    status = {r.rule: r.status for r in rules}
    fails = [k for k, v in status.items() if v == FAIL]
    warns = [k for k, v in status.items() if v == WARN]
    if any(k in CORE_RULES for k in fails) or len(fails) >= 2:
        return LAG
    comparable = status.get("balance") == PASS or status.get("pretrend") == PASS
    if not fails and len(warns) <= 1 and comparable:
        return HOG
    return MEDEL


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
        rule_balance(results, t),
        rule_overlap(results, t),
        rule_agreement(results, entry, t),
        rule_pretrend(results, entry, t),
        rule_sensitivity(results, entry, t),
        rule_power(results, entry, goals, t),
    ]
    return Credibility(
        outcome=entry.outcome,
        estimator=entry.estimator,
        estimate=entry.estimate,
        grade=grade(rules),
        rules=rules,
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
    goals) give the target effects for the power rule.
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
