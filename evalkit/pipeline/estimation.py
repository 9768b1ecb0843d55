"""Running estimators per outcome, subgroups and diagnostics; one failure never stops a run."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit.errors import EvalkitError
from evalkit.estimators import CROSS_SECTIONAL, EffectResult, EffectResults, get
from evalkit.params import Params

#: Preferred headline estimators, most credible first (the first one estimated leads).
HEADLINE_ORDER = ("aipw", "ipw", "matching", "regression", "naive")

#: Estimators whose standard error has no cluster version (Abadie-Imbens matching).
NO_CLUSTER = frozenset({"matching"})


def failure_entry(estimator: str, outcome: str, exc: BaseException) -> dict[str, str]:
    """A failure entry that never quotes a foreign message (it may contain data)."""
    reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
    return {"estimator": estimator, "outcome": outcome, "reason": reason}


def chosen_options(params: Params, name: str) -> dict[str, Any]:
    """The estimator options from params (as validated)."""
    return dict(params.estimator_options.get(name, {}))


def as_list(result: EffectResult | EffectResults) -> list[EffectResult]:
    """One result or many, as a list."""
    return [result] if isinstance(result, EffectResult) else list(result)


def cross_sectional_estimates(
    frame: pd.DataFrame,
    params: Params,
    *,
    treatment: str,
    covariates: list[str],
    cluster: str | None,
) -> tuple[dict[tuple[str, str], EffectResult], list[dict[str, str]]]:
    """Every chosen cross-sectional estimator on every outcome; failures listed, not raised."""
    results: dict[tuple[str, str], EffectResult] = {}
    failures: list[dict[str, str]] = []
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
    return results, failures


def headline_of(estimates: dict[tuple[str, str], EffectResult], outcomes: list[str]) -> dict:
    """Which estimate the summary leads with: the first outcome, the most credible estimator."""
    for outcome in outcomes:
        for name in HEADLINE_ORDER:
            if (outcome, name) in estimates:
                return {"outcome": outcome, "estimator": name}
    return {}


def subgroup_estimates(
    frame: pd.DataFrame,
    params: Params,
    headline: dict[str, str],
    *,
    treatment: str,
    covariates: list[str],
) -> tuple[list[dict[str, Any]], list[dict[str, str]]]:
    """The headline estimator by subgroup, for every outcome."""
    from evalkit.estimators.subgroups import subgroup_records, subgroups

    rows: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    name = headline.get("estimator")
    if not name:
        return rows, failures
    for outcome in params.outcomes:
        for by in params.subgroups:
            try:
                table = subgroups(
                    name, frame, outcome, by, treatment, covariates, **chosen_options(params, name)
                )
                rows.extend(subgroup_records(table))
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(f"{name} by {by}", outcome, exc))
    return rows, failures


def diagnostics_block(
    frame: pd.DataFrame,
    params: Params,
    estimates: dict[tuple[str, str], EffectResult],
    headline: dict[str, str],
    *,
    treatment: str,
    covariates: list[str],
    placebo_outcomes: tuple[str, ...] = (),
) -> dict[str, Any]:
    """Balance, overlap, placebo for the headline; sensitivity and MDE per outcome."""
    from evalkit.diagnostics import diagnose

    if not headline:
        return {}
    name = headline["estimator"]
    trim = chosen_options(params, name).get("trim")
    out: dict[str, Any] = {}
    by_outcome: dict[str, Any] = {}
    for outcome in params.outcomes:
        first = outcome == headline["outcome"]
        try:
            block = diagnose(
                frame,
                treatment,
                covariates,
                outcome,
                estimate=estimates.get((outcome, name)),
                estimator=name,
                placebo_outcomes=placebo_outcomes if first else (),
                trim=trim,
            )
        except Exception as exc:  # noqa: BLE001
            reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
            (out if first else by_outcome.setdefault(outcome, {}))["errors"] = {"all": reason}
            continue
        if first:
            out.update(block)
        else:
            by_outcome[outcome] = {
                k: block[k] for k in ("sensitivity", "mde", "errors") if k in block
            }
    if by_outcome:
        out["by_outcome"] = by_outcome
    return out


def panel_entries(
    name: str, panel: pd.DataFrame, outcome: str, params: Params, unit: str
) -> list[dict[str, Any]]:
    """twfe or event_study on a long panel, as results-dict entries."""
    return [r.to_dict() for r in as_list(panel_run(name, panel, outcome, params, unit))]


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
