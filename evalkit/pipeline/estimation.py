"""Running estimators per outcome, subgroups and diagnostics; one failure never stops a run.

Every function returns typed parts of ``MeasureResults``. The headline's own ``EffectResult`` is
handed to the diagnostics (``diagnose_headline``), so that diagnostics can reuse its fit (issue
14: ``EffectResult.fit`` → ``diagnose(..., fit=...)``) in one place.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evalkit.audit.credibility import goal_targets as credibility_targets
from evalkit.audit.multiplicity import (
    Terms,
    benjamini_hochberg,
    bonferroni_critical,
    homogeneity_test,
    joint_covariance,
    person_totals,
    sup_t_critical,
)
from evalkit.diagnostics import diagnose
from evalkit.diagnostics.benchmark import outcome_regression_r2
from evalkit.diagnostics.placebo import placebo_equivalence
from evalkit.errors import EvalkitError
from evalkit.estimators import CROSS_SECTIONAL, EffectResult, EffectResults, get
from evalkit.estimators.subgroups import subgroup_records, subgroups
from evalkit.params import Params
from evalkit.results import (
    AdjustedInterval,
    Diagnostics,
    Estimate,
    EstimatorFailure,
    Headline,
    Multiplicity,
    OutcomeDiagnostics,
    PlaceboEstimate,
    SubgroupEstimate,
    SubgroupTest,
    choose_headline,
)

#: Estimators whose standard error has no cluster version (Abadie-Imbens matching).
NO_CLUSTER = frozenset({"matching"})
#: Prefix of the work-history covariates (the benchmark of the sensitivity analysis).
WORK_HISTORY = "work_months_"
#: False discovery rate at which subgroup effects are said to differ.
SUBGROUP_ALPHA = 0.05
#: Estimators that take censoring weights (every adjusting cross-sectional one).
WEIGHTED = frozenset({"regression", "ipw", "matching", "aipw"})


def failure_entry(estimator: str, outcome: str, exc: BaseException) -> EstimatorFailure:
    """A failure entry that never quotes a foreign message (it may contain data)."""
    reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
    return EstimatorFailure(estimator=estimator, outcome=outcome, reason=reason)


def chosen_options(params: Params, name: str) -> dict[str, Any]:
    """The estimator options from params (as validated)."""
    return dict(params.estimator_options.get(name, {}))


def as_list(result: EffectResult | EffectResults) -> list[EffectResult]:
    """One result or many, as a list."""
    return [result] if isinstance(result, EffectResult) else list(result)


@dataclass
class CrossSection:
    """Every cross-sectional estimate by (outcome, estimator), the failures and the headline."""

    results: dict[tuple[str, str], EffectResult]
    failures: list[EstimatorFailure]
    headline: Headline | None

    @property
    def estimates(self) -> list[Estimate]:
        """The estimates, as results entries, in the order estimated."""
        return [Estimate.from_result(r) for r in self.results.values()]

    def result(self, outcome: str) -> EffectResult | None:
        """The headline estimator's own result on ``outcome`` (with its fit, when it has one)."""
        if self.headline is None:
            return None
        return self.results.get((outcome, self.headline.estimator))


def run_options(
    params: Params,
    name: str,
    outcome: str,
    *,
    cluster: str | None,
    weights: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments of one estimator on one outcome: cluster (not for matching), the
    outcome's censoring weights (not for the unadjusted comparison), and the params options."""
    extra: dict[str, Any] = {} if name in NO_CLUSTER or cluster is None else {"cluster": cluster}
    column = (weights or {}).get(outcome)
    if column and name in WEIGHTED:
        extra["weights"] = column
    return {**extra, **chosen_options(params, name)}


def cross_sectional_estimates(
    frame: pd.DataFrame,
    params: Params,
    *,
    treatment: str,
    covariates: list[str],
    cluster: str | None,
    weights: dict[str, str] | None = None,
) -> CrossSection:
    """Every chosen cross-sectional estimator on every outcome; failures listed, not raised.

    ``weights`` names, per outcome, a column of inverse-probability-of-censoring weights that
    every adjusting estimator gets (``pipeline.attrition``); the unadjusted comparison stays
    unweighted (it shows what today's follow-up implies).
    """
    results: dict[tuple[str, str], EffectResult] = {}
    failures: list[EstimatorFailure] = []
    for outcome in params.outcomes:
        for name in params.estimators:
            if name not in CROSS_SECTIONAL:
                continue
            try:
                fn = get(name)
                options = run_options(params, name, outcome, cluster=cluster, weights=weights)
                results[(outcome, name)] = fn(frame, outcome, treatment, covariates, **options)
            except Exception as exc:  # noqa: BLE001 - one failure must not stop the run
                failures.append(failure_entry(name, outcome, exc))
    found = CrossSection(results, failures, None)
    found.headline = choose_headline(found.estimates, params.outcomes)
    return found


def subgroup_estimates(
    frame: pd.DataFrame,
    params: Params,
    headline: Headline | None,
    *,
    treatment: str,
    covariates: list[str],
    cluster: str | None = None,
    weights: dict[str, str] | None = None,
) -> tuple[list[SubgroupEstimate], list[EstimatorFailure]]:
    """The headline estimator by subgroup, for every outcome (with the headline's options)."""
    rows: list[SubgroupEstimate] = []
    failures: list[EstimatorFailure] = []
    if headline is None or headline.estimator not in CROSS_SECTIONAL:
        return rows, failures
    name = headline.estimator
    for outcome in params.outcomes:
        options = run_options(params, name, outcome, cluster=cluster, weights=weights)
        for by in params.subgroups:
            try:
                table = subgroups(name, frame, outcome, by, treatment, covariates, **options)
                rows.extend(SubgroupEstimate.model_validate(r) for r in subgroup_records(table))
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(f"{name} by {by}", outcome, exc))
    return rows, failures


def subgroup_tests(rows: list[SubgroupEstimate]) -> list[SubgroupTest]:
    """Per outcome and subgroup variable: do the levels' effects differ? (interaction test)

    Cochran's Q over the levels with an estimate (``multiplicity.homogeneity_test``; the
    levels hold different persons), then Benjamini–Hochberg over all the measure's tests, so
    that a difference between subgroups is only called one when it survives the many looks.
    """
    groups: dict[tuple[str, str], list[SubgroupEstimate]] = {}
    for r in rows:
        if r.estimate is not None and r.se is not None:
            groups.setdefault((r.outcome, r.subgroup), []).append(r)
    tests = []
    for (outcome, by), levels in groups.items():
        q, df, p = homogeneity_test([x.estimate for x in levels], [x.se for x in levels])
        tests.append(
            SubgroupTest(
                outcome=outcome,
                subgroup=by,
                estimator=levels[0].estimator,
                n_levels=len(levels),
                statistic=q,
                df=df,
                p_value=p,
                adjustment="benjamini-hochberg",
            )
        )
    adjusted = benjamini_hochberg([t.p_value if t.p_value is not None else math.nan for t in tests])
    for t, p in zip(tests, adjusted, strict=True):
        t.p_value_adjusted = p
        t.differs = bool(p < SUBGROUP_ALPHA) if math.isfinite(p) else None
    return tests


def terms_of(
    result: EffectResult, frame: pd.DataFrame, cluster: str = "cluster_id"
) -> Terms | None:
    """The result's first-order terms by person, if it has an influence function on ``frame``.

    Propensity estimators' influence belongs to the rows of their fit; ``stacked_did``'s to every
    row of the frame it was given. Without a ``cluster`` column each row is its own person.
    """
    influence = result.influence
    if influence is None or not math.isfinite(result.estimate):
        return None
    persons = frame[cluster] if cluster in frame.columns else frame.index.to_series()
    fit = result.fit
    if fit is not None and len(fit.index) == len(influence):
        labels = fit.index
    elif len(influence) == len(frame):
        labels = frame.index
    else:
        return None
    return person_totals(influence, labels, persons, result.estimate)


def benchmark_covariate(
    frame: pd.DataFrame, outcome: str, treatment: str, covariates: list[str]
) -> str | None:
    """The work-history covariate that explains most of the outcome (partial R²), else None.

    Sensitivity is benchmarked on it: "a hidden factor k times as strong as the person's work
    history". Without a work-history covariate the strongest covariate of all is used.
    """
    history = [c for c in covariates if c.startswith(WORK_HISTORY)]
    if not history:
        return None
    try:
        r2y = outcome_regression_r2(frame, outcome, treatment, covariates)["r2y"]
    except EvalkitError:
        return None
    known = {c: r2y[c] for c in history if c in r2y}
    return max(known, key=known.get) if known else None


def goal_targets(params: Params) -> dict[str, float]:
    """The target of the first causal effect goal on each outcome (sensitivity's benchmark)."""
    out: dict[str, float] = {}
    for outcome in params.outcomes:
        targets = credibility_targets(params.goals, outcome)
        if targets:
            out[outcome] = targets[0]
    return out


def verdict_outcomes(params: Params) -> list[str]:
    """Outcomes whose headline interval decides a causal goal's verdict (the multiplicity family)."""
    return [o for o in params.outcomes if credibility_targets(params.goals, o)]


def diagnose_headline(
    frame: pd.DataFrame,
    treatment: str,
    covariates: list[str],
    outcome: str,
    *,
    estimate: EffectResult | None,
    estimator: str,
    trim: Any,
    balance_columns: Sequence[str] = (),
    target: float | None = None,
) -> dict[str, Any]:
    """The one call of ``diagnose``: on the headline estimator's own result for ``outcome``.

    When the estimator carries its fit (``EffectResult.fit``), balance (of the covariates and of
    ``balance_columns``, the pre-programme path) and overlap describe that fit's weights instead
    of a refit. Sensitivity is benchmarked on work history, against zero and ``target``.
    """
    fit = getattr(estimate, "fit", None)
    return diagnose(
        frame,
        treatment,
        covariates,
        outcome,
        estimate=estimate,
        estimator=estimator,
        balance_columns=[c for c in balance_columns if c in frame.columns],
        trim=trim,
        benchmark=benchmark_covariate(frame, outcome, treatment, covariates),
        target=target if target not in (None, 0) else None,
        **({"fit": fit} if fit is not None else {}),
    )


def _typed_block(block: dict[str, Any]) -> dict[str, Any]:
    """``diagnose``'s output in the shape of ``Diagnostics`` (pre-programme path balance apart)."""
    out = dict(block)
    if "balance_extra" in out:
        out["balance_path"] = out.pop("balance_extra")
    out.pop("balance_summary", None)
    return out


def diagnostics_block(
    frame: pd.DataFrame,
    params: Params,
    found: CrossSection,
    *,
    treatment: str,
    covariates: list[str],
    balance_columns: Sequence[str] = (),
    targets: dict[str, float] | None = None,
) -> Diagnostics:
    """Balance (covariates and pre-programme path) and overlap of the headline's fit; sensitivity
    and MDE per outcome (top level for the headline outcome, ``by_outcome`` for the others)."""
    headline = found.headline
    if headline is None:
        return Diagnostics()
    name = headline.estimator
    trim = chosen_options(params, name).get("trim")
    top: dict[str, Any] = {}
    by_outcome: dict[str, OutcomeDiagnostics] = {}
    for outcome in params.outcomes:
        first = outcome == headline.outcome
        try:
            block = diagnose_headline(
                frame,
                treatment,
                covariates,
                outcome,
                estimate=found.result(outcome),
                estimator=name,
                trim=trim,
                balance_columns=balance_columns if first else (),
                target=(targets or {}).get(outcome),
            )
        except Exception as exc:  # noqa: BLE001
            reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
            if first:
                top["errors"] = {"all": reason}
            else:
                by_outcome[outcome] = OutcomeDiagnostics(errors={"all": reason})
            continue
        if first:
            top.update(_typed_block(block))
        else:
            keep = {k: block[k] for k in ("sensitivity", "mde", "errors") if k in block}
            by_outcome[outcome] = OutcomeDiagnostics.model_validate(keep)
    return Diagnostics.model_validate({**top, "by_outcome": by_outcome})


def placebo_block(
    frame: pd.DataFrame,
    params: Params,
    estimator: str,
    outcomes: Sequence[str],
    *,
    treatment: str,
    covariates: list[str],
    cluster: str | None,
) -> tuple[list[PlaceboEstimate], dict[str, str]]:
    """The headline estimator, with its own options, on each placebo outcome: an equivalence
    test (TOST, margin = the placebo outcome's MDE at 90 % power) and a difference test."""
    rows: list[PlaceboEstimate] = []
    errors: dict[str, str] = {}
    if estimator not in CROSS_SECTIONAL:
        return rows, errors
    options = run_options(params, estimator, "", cluster=cluster)
    for outcome in outcomes:
        try:
            data = frame[frame[outcome].notna()]
            test = placebo_equivalence(estimator, data, outcome, treatment, covariates, **options)
        except Exception as exc:  # noqa: BLE001
            errors[f"placebo:{outcome}"] = (
                str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
            )
            continue
        entry = test.to_dict()
        details = entry.pop("details", {})
        rows.append(
            PlaceboEstimate.model_validate(
                {
                    **entry,
                    "p_value": entry["p_value_difference"],
                    "placebo_passes": entry.pop("passes"),
                    "details": details,
                }
            )
        )
    return rows, errors


def multiplicity_block(
    frame: pd.DataFrame,
    found: CrossSection,
    outcomes: Sequence[str],
    *,
    cluster: str = "cluster_id",
    level: float = 0.95,
) -> Multiplicity | None:
    """Intervals of the headline estimates on ``outcomes`` (those with causal goals), adjusted
    jointly: a sup-t band from the stacked influence functions, else Bonferroni."""
    results = [(o, found.result(o)) for o in dict.fromkeys(outcomes)]
    results = [(o, r) for o, r in results if r is not None and math.isfinite(r.estimate)]
    if not results:
        return None
    k = len(results)
    terms = [terms_of(r, frame, cluster) for _, r in results]
    if k == 1:
        method, crit, how = "none", bonferroni_critical(1, level), None
    elif all(t is not None for t in terms):
        method, how = "sup-t", "influence functions summed by person (cluster-robust)"
        crit = sup_t_critical(joint_covariance(terms), level)  # type: ignore[arg-type]
    else:
        method, crit, how = "bonferroni", bonferroni_critical(k, level), None
    if not math.isfinite(crit):
        method, crit, how = "bonferroni", bonferroni_critical(k, level), None
    intervals = [
        AdjustedInterval(
            outcome=o,
            estimator=r.estimator,
            estimate=r.estimate,
            se=r.se,
            ci_low=r.estimate - crit * r.se,
            ci_high=r.estimate + crit * r.se,
        )
        for o, r in results
    ]
    return Multiplicity(
        method=method,
        level=level,
        critical_value=crit,
        outcomes=[o for o, _ in results],
        covariance=how,
        intervals=intervals,
    )


def panel_run(
    name: str, panel: pd.DataFrame, outcome: str, params: Params, unit: str
) -> EffectResult | EffectResults:
    """twfe or event_study on a long panel with ``period`` and ``cohort`` columns."""
    options = chosen_options(params, name)
    if name == "twfe":
        frame = panel.assign(_treated=treated_indicator(panel, "period", "cohort"))
        res = get(name)(frame, outcome, unit=unit, time="period", treatment="_treated", **options)
    else:
        res = get(name)(panel, outcome, unit=unit, time="period", cohort="cohort", **options)
    return res


def treated_indicator(frame: pd.DataFrame, time: str, cohort: str) -> pd.Series:
    """1 from a unit's first treated period on (cohort 0 or empty = never treated)."""
    g = pd.to_numeric(frame[cohort], errors="coerce").fillna(0)
    t = pd.to_numeric(frame[time], errors="coerce")
    return ((g > 0) & (t >= g)).astype(int)
