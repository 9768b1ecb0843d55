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
every outcome; sensitivity, MDE and pre-trend are outcome-specific (see ``outcome_diagnostic``)
and never carried over from one outcome to another. Grade:

- ``lag`` (Låg) when a core rule fails (adjusted, balance, overlap, pretrend) or two or more
  rules fail;
- ``hog`` (Hög) when no rule fails, at most one warns, and balance or the pre-trend test was
  actually checked and passed (some evidence that the groups are comparable);
- ``medel`` (Medel) otherwise.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from evalkit.audit.goals import ADJUSTED_ESTIMATORS, headline_estimate, indicator_spec, is_overall

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


def _num(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def _rule(rule: str, status: str, value: Any = None, **detail: Any) -> dict[str, Any]:
    """One rule's outcome."""
    return {"rule": rule, "status": status, "value": value, **detail}


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


def for_outcome(block: Any, outcome: str) -> Any:
    """A diagnostic for one outcome: ``{outcome: x}``, a list of ``{outcome, ...}``, or shared."""
    if isinstance(block, list):
        rows = [r for r in block if isinstance(r, dict) and r.get("outcome") == outcome]
        return rows[0] if rows else None
    if isinstance(block, dict) and outcome in block:
        return block[outcome]
    return block


def outcome_diagnostic(results: dict[str, Any], key: str, outcome: str) -> Any:
    """An outcome-specific diagnostic (sensitivity, mde, pretrend) for ``outcome``, or None.

    Looked up in ``diagnostics.by_outcome[outcome][key]``, then ``diagnostics[key]`` keyed by
    outcome (or a list of ``{outcome, ...}``, or a block naming its ``outcome``). An unkeyed
    block describes the headline outcome only (``headline.outcome``, ``diagnostics.outcome``, or
    the only outcome estimated), so it is never applied to another outcome.
    """
    diagnostics = results.get("diagnostics") or {}
    by_outcome = (diagnostics.get("by_outcome") or {}).get(outcome)
    if isinstance(by_outcome, dict) and key in by_outcome:
        return by_outcome[key]
    block = diagnostics.get(key)
    if isinstance(block, list):
        return for_outcome(block, outcome)
    if not isinstance(block, dict):
        return None
    if outcome in block:
        return block[outcome]
    if "outcome" in block:
        return block if block["outcome"] == outcome else None
    described = (results.get("headline") or {}).get("outcome") or diagnostics.get("outcome")
    if described is None:
        outcomes = {e.get("outcome") for e in results.get("estimates") or [] if is_overall(e)}
        described = outcomes.pop() if len(outcomes) == 1 else None
    return block if described == outcome else None


def rule_adjusted(entry: dict[str, Any]) -> dict[str, Any]:
    """The headline must come from an estimator that adjusts for differences."""
    name = entry.get("estimator")
    return _rule("adjusted", FAIL if name == "naive" else PASS, name)


def rule_balance(diagnostics: dict[str, Any], outcome: str, t: Thresholds) -> dict[str, Any]:
    """Max |SMD| after adjustment."""
    rows = for_outcome(diagnostics.get("balance"), outcome)
    rows = rows if isinstance(rows, list) else (diagnostics.get("balance") or [])
    smds = [
        abs(v)
        for r in rows
        if isinstance(r, dict)
        for v in [_num(r.get("smd_after"))]
        if v is not None
    ]
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


def rule_overlap(diagnostics: dict[str, Any], outcome: str, t: Thresholds) -> dict[str, Any]:
    """Share of units outside common support."""
    block = for_outcome(diagnostics.get("overlap"), outcome)
    share = _num((block or {}).get("share_outside_support")) if isinstance(block, dict) else None
    if share is None:
        return _rule("overlap", NOT_APPLICABLE)
    return _rule(
        "overlap",
        _below(share, t.outside_pass, t.outside_warn),
        share,
        pass_at_most=t.outside_pass,
        warn_at_most=t.outside_warn,
    )


def rule_agreement(results: dict[str, Any], entry: dict[str, Any], t: Thresholds) -> dict[str, Any]:
    """Spread of the adjusted estimators' estimates, in headline standard errors."""
    outcome = entry.get("outcome")
    values = [
        _num(e.get("estimate"))
        for e in results.get("estimates") or []
        if e.get("outcome") == outcome
        and is_overall(e)
        and e.get("estimator") in ADJUSTED_ESTIMATORS
    ]
    values = [v for v in values if v is not None]
    se = _num(entry.get("se"))
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


def rule_pretrend(results: dict[str, Any], entry: dict[str, Any], t: Thresholds) -> dict[str, Any]:
    """Joint pre-trend test, where a panel design gives one."""
    block = outcome_diagnostic(results, "pretrend", entry.get("outcome") or "")
    p = _num(block.get("p_value")) if isinstance(block, dict) else None
    if p is None:
        p = _num(((entry.get("details") or {}).get("pretrend") or {}).get("p_value"))
    if p is None:
        return _rule("pretrend", NOT_APPLICABLE)
    return _rule(
        "pretrend",
        _above(p, t.pretrend_pass, t.pretrend_warn),
        p,
        pass_at_least=t.pretrend_pass,
        warn_at_least=t.pretrend_warn,
    )


def rule_sensitivity(
    results: dict[str, Any], entry: dict[str, Any], t: Thresholds
) -> dict[str, Any]:
    """E-value of the CI bound (else robustness value); not applicable to a null result."""
    lo, hi = _num(entry.get("ci_low")), _num(entry.get("ci_high"))
    if lo is None or hi is None or lo <= 0 <= hi:
        return _rule("sensitivity", NOT_APPLICABLE, reason="ci_includes_zero")
    block = outcome_diagnostic(results, "sensitivity", entry.get("outcome") or "")
    block = block if isinstance(block, dict) else {}
    e_ci = _num(block.get("e_value_ci"))
    if e_ci is not None:
        return _rule(
            "sensitivity",
            _above(e_ci, t.e_value_pass, t.e_value_warn),
            e_ci,
            measure="e_value_ci",
            pass_at_least=t.e_value_pass,
            warn_at_least=t.e_value_warn,
        )
    rv = _num(block.get("robustness_value"))
    if rv is not None:
        return _rule(
            "sensitivity",
            _above(rv, t.rv_pass, t.rv_warn),
            rv,
            measure="robustness_value",
            pass_at_least=t.rv_pass,
            warn_at_least=t.rv_warn,
        )
    return _rule("sensitivity", NOT_APPLICABLE)


def _mde_value(block: Any) -> float | None:
    """The MDE from ``{mde: x}`` or a bare number."""
    if isinstance(block, dict):
        return _num(block.get("mde"))
    return _num(block)


def goal_targets(goals: list[dict[str, Any]] | None, outcome: str) -> list[float]:
    """Targets of the causal goals whose indicator is the effect on ``outcome``."""
    out = []
    for g in goals or []:
        spec = indicator_spec(g.get("indicator", ""))
        is_effect = spec is not None and spec.kind == "causal" and spec.name.startswith("effect")
        if is_effect and spec.outcome == outcome and _num(g.get("target")) is not None:
            out.append(float(g["target"]))
    return out


def rule_power(results: dict[str, Any], entry: dict[str, Any], goals: Any, t: Thresholds) -> dict:
    """Whether the sample can detect an effect the size of the goal's target (never a fail)."""
    outcome = entry.get("outcome") or ""
    raw_targets = [x for x in goal_targets(goals, outcome) if x != 0]
    mde = _mde_value(outcome_diagnostic(results, "mde", outcome))
    if mde is None or not raw_targets:
        smallest = min((abs(x) for x in raw_targets), default=None)
        return _rule("power", NOT_APPLICABLE, mde, target=smallest)
    lo, hi = _num(entry.get("ci_low")), _num(entry.get("ci_high"))
    undecided = [x for x in raw_targets if lo is None or hi is None or lo <= x <= hi]
    if not undecided:
        return _rule("power", PASS, mde, target=min(abs(x) for x in raw_targets), ci_decides=True)
    target = min(abs(x) for x in undecided)
    return _rule("power", PASS if mde <= target else WARN, mde, target=target, ci_decides=False)


def grade(rules: list[dict[str, Any]]) -> str:
    """The grade from the rules' outcomes (see the module docstring)."""
    status = {r["rule"]: r["status"] for r in rules}
    fails = [k for k, v in status.items() if v == FAIL]
    warns = [k for k, v in status.items() if v == WARN]
    if any(k in CORE_RULES for k in fails) or len(fails) >= 2:
        return LAG
    comparable = status.get("balance") == PASS or status.get("pretrend") == PASS
    if not fails and len(warns) <= 1 and comparable:
        return HOG
    return MEDEL


def assess(
    results: dict[str, Any],
    entry: dict[str, Any],
    *,
    goals: list[dict[str, Any]] | None = None,
    thresholds: Thresholds | None = None,
) -> dict[str, Any]:
    """Grade and rule outcomes of one estimate."""
    t = thresholds or Thresholds()
    diagnostics = results.get("diagnostics") or {}
    outcome = entry.get("outcome") or ""
    rules = [
        rule_adjusted(entry),
        rule_balance(diagnostics, outcome, t),
        rule_overlap(diagnostics, outcome, t),
        rule_agreement(results, entry, t),
        rule_pretrend(results, entry, t),
        rule_sensitivity(results, entry, t),
        rule_power(results, entry, goals, t),
    ]
    return {
        "outcome": outcome,
        "estimator": entry.get("estimator"),
        "estimate": _num(entry.get("estimate")),
        "grade": grade(rules),
        "rules": rules,
    }


def grade_credibility(
    results: dict[str, Any],
    *,
    goals: list[dict[str, Any]] | None = None,
    outcomes: list[str] | None = None,
    thresholds: Thresholds | None = None,
) -> list[dict[str, Any]]:
    """One graded entry per headline estimate (each main outcome's headline), JSON-safe.

    ``outcomes`` defaults to ``params.outcomes``, else every outcome with an overall estimate.
    ``goals`` (params goals or evaluated goals) give the target effects for the power rule.
    """
    if outcomes is None:
        outcomes = list((results.get("params") or {}).get("outcomes") or [])
    if not outcomes:
        seen: list[str] = []
        for e in results.get("estimates") or []:
            if is_overall(e) and e.get("outcome") not in seen:
                seen.append(e.get("outcome"))
        outcomes = seen
    if goals is None:
        goals = results.get("goals") or (results.get("params") or {}).get("goals")
    out = []
    for outcome in outcomes:
        entry = headline_estimate(results, outcome)
        if entry is not None:
            out.append(assess(results, entry, goals=goals, thresholds=thresholds))
    return out
