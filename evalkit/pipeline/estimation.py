"""Running estimators per outcome, subgroups and diagnostics; one failure never stops a run.

Every function returns typed parts of ``MeasureResults``. The headline's own ``EffectResult`` is
handed to the diagnostics (``diagnose_headline``), so that diagnostics can reuse its fit (issue
14: ``EffectResult.fit`` → ``diagnose(..., fit=...)``) in one place.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pandas as pd

from evalkit.diagnostics import diagnose
from evalkit.errors import EvalkitError
from evalkit.estimators import CROSS_SECTIONAL, EffectResult, EffectResults, get
from evalkit.estimators.subgroups import subgroup_records, subgroups
from evalkit.params import Params
from evalkit.results import (
    Diagnostics,
    Estimate,
    EstimatorFailure,
    Headline,
    OutcomeDiagnostics,
    SubgroupEstimate,
    choose_headline,
)

#: Estimators whose standard error has no cluster version (Abadie-Imbens matching).
NO_CLUSTER = frozenset({"matching"})


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


def cross_sectional_estimates(
    frame: pd.DataFrame,
    params: Params,
    *,
    treatment: str,
    covariates: list[str],
    cluster: str | None,
) -> CrossSection:
    """Every chosen cross-sectional estimator on every outcome; failures listed, not raised."""
    results: dict[tuple[str, str], EffectResult] = {}
    failures: list[EstimatorFailure] = []
    for outcome in params.outcomes:
        for name in params.estimators:
            if name not in CROSS_SECTIONAL:
                continue
            try:
                fn = get(name)
                extra = {} if name in NO_CLUSTER else {"cluster": cluster}
                results[(outcome, name)] = fn(
                    frame, outcome, treatment, covariates, **extra, **chosen_options(params, name)
                )
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
) -> tuple[list[SubgroupEstimate], list[EstimatorFailure]]:
    """The headline estimator by subgroup, for every outcome."""
    rows: list[SubgroupEstimate] = []
    failures: list[EstimatorFailure] = []
    if headline is None:
        return rows, failures
    name = headline.estimator
    for outcome in params.outcomes:
        for by in params.subgroups:
            try:
                table = subgroups(
                    name, frame, outcome, by, treatment, covariates, **chosen_options(params, name)
                )
                rows.extend(SubgroupEstimate.model_validate(r) for r in subgroup_records(table))
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(f"{name} by {by}", outcome, exc))
    return rows, failures


def diagnose_headline(
    frame: pd.DataFrame,
    treatment: str,
    covariates: list[str],
    outcome: str,
    *,
    estimate: EffectResult | None,
    estimator: str,
    placebo_outcomes: Sequence[str],
    trim: Any,
) -> dict[str, Any]:
    """The one call of ``diagnose``: on the headline estimator's own result for ``outcome``.

    When the estimator carries its fit (``EffectResult.fit``, issue 14), the diagnostics describe
    that fit (its weights and propensity scores) instead of refitting.
    """
    fit = getattr(estimate, "fit", None)
    return diagnose(
        frame,
        treatment,
        covariates,
        outcome,
        estimate=estimate,
        estimator=estimator,
        placebo_outcomes=placebo_outcomes,
        trim=trim,
        **({"fit": fit} if fit is not None else {}),
    )


def diagnostics_block(
    frame: pd.DataFrame,
    params: Params,
    found: CrossSection,
    *,
    treatment: str,
    covariates: list[str],
    placebo_outcomes: tuple[str, ...] = (),
) -> Diagnostics:
    """Balance, overlap, placebo for the headline; sensitivity and MDE per outcome."""
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
                placebo_outcomes=placebo_outcomes if first else (),
                trim=trim,
            )
        except Exception as exc:  # noqa: BLE001
            reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
            if first:
                top["errors"] = {"all": reason}
            else:
                by_outcome[outcome] = OutcomeDiagnostics(errors={"all": reason})
            continue
        if first:
            top.update(block)
        else:
            keep = {k: block[k] for k in ("sensitivity", "mde", "errors") if k in block}
            by_outcome[outcome] = OutcomeDiagnostics.model_validate(keep)
    return Diagnostics.model_validate({**top, "by_outcome": by_outcome})


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
