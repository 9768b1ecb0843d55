"""Registers mode: validate, build the sample, follow up, estimate (cross-sectional and paths)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.audit.decisions import registers_parts
from evalkit.data.fingerprint import data_fingerprint
from evalkit.data.followup import followup
from evalkit.data.sample import PLACEBO_OUTCOMES, AnalysisSample, build_sample, pre_path_columns
from evalkit.data.validate import Validated
from evalkit.estimators import EffectResult, get
from evalkit.params import Params
from evalkit.pipeline.analysed import Analysed
from evalkit.pipeline.attrition import attrition_rows, censoring, lee_check
from evalkit.pipeline.designs import (
    ALTERNATIVE_COMPARISON,
    alternative_sample,
    comparison_group_comparisons,
    stacked_comparisons,
    stacked_estimates,
)
from evalkit.pipeline.estimation import (
    as_list,
    chosen_options,
    cross_sectional_estimates,
    diagnostics_block,
    failure_entry,
    goal_targets,
    multiplicity_block,
    panel_run,
    placebo_block,
    run_options,
    subgroup_estimates,
    subgroup_tests,
    verdict_outcomes,
)
from evalkit.results import (
    AttritionCheck,
    DesignComparison,
    Estimate,
    EstimatorFailure,
    Followup,
    MeasureResults,
    Sample,
    Validation,
)

#: cs_did aggregations kept for the registers-mode monthly panel (cells would bloat the file).
REGISTER_CS_AGGREGATIONS = ("simple", "dynamic", "group")

#: Months after start that the registers-mode panel estimators report.
PATH_HORIZON = 24

_PATH_COLUMN = re.compile(r"^(?P<name>.+)_m(?P<k>\d+)$")

#: Environment variable naming a folder for quarantine files (one subfolder per run).
QUARANTINE_ENV = "EVALKIT_QUARANTINE_DIR"
#: The folder beside ``reports/`` that quarantine files go to by default.
QUARANTINE_FOLDER = "quarantine"


#: A dated run folder's name (``evalkit.runner.folders``): 2026-11-27_020001, maybe with a suffix.
_RUN_NAME = re.compile(r"^\d{4}-\d{2}-\d{2}_\d{6}")


def quarantine_dir(out_dir: str | Path) -> Path:
    """Where a run's quarantine files go: never into the run folder, which is published.

    Quarantined rows are person-level (pseudonymised), for evaluators only. They go to
    ``$EVALKIT_QUARANTINE_DIR/<run>`` when that is set, else to ``quarantine/<run>`` beside the
    folder that holds the run folders (``reports/2026-11-27_020001`` ->
    ``quarantine/2026-11-27_020001``).
    """
    out = Path(out_dir).resolve()
    # a municipality's folder inside a run of a params tree: quarantine/<run>/<municipality>
    run = Path(out.parent.name, out.name) if _RUN_NAME.match(out.parent.name) else Path(out.name)
    runs = out.parents[len(run.parts) - 1]  # the folder that holds the run folders
    chosen = os.environ.get(QUARANTINE_ENV)
    if chosen:
        return Path(chosen).resolve() / run
    root = runs.parent if runs.parent != Path(out.anchor) else runs
    return root / QUARANTINE_FOLDER / run


def quarantine_path(params: Params, out_dir: str | Path | None) -> Path | None:
    """The quarantine file of a measure: ``<quarantine_dir(out_dir)>/<measure_id>.quarantine.parquet``."""
    if not out_dir:
        return None
    return quarantine_dir(out_dir) / f"{params.measure_id}.quarantine.parquet"


def validation_block(validated: Validated) -> Validation:
    """What the report says about the data checks: counts per table and rule, no rows."""
    report = validated.report
    rows = [
        {k: row.get(k) for k in ("table", "rule", "description", "count")} for row in report.rows
    ]
    qfile = getattr(report, "quarantine_file", None)
    return Validation.model_validate(
        {
            "rows": rows,
            "n_quarantined": int(sum(report.n_quarantined.values())),
            "quarantine_file": Path(qfile).name if qfile else None,
        }
    )


def sample_block(info: dict[str, Any], params: Params) -> Sample:
    """The ``sample`` part from ``AnalysisSample.describe()`` (counts only)."""
    keep = (
        "n_treated",
        "n_control",
        "n_eligible",
        "n_control_persons",
        "n_participants_in_intake",
        "data_start",
        "data_end",
        "eligibility_months",
    )
    return Sample(
        **{k: info[k] for k in keep if k in info},
        intake_start=params.design.intake.start,
        intake_end=params.design.intake.end,
        comparison=params.design.comparison,
        data_mode=params.data.mode,
    )


def register_panel_estimates(
    sample: AnalysisSample, params: Params
) -> tuple[list[Estimate], list[EstimatorFailure]]:
    """cs_did, twfe and event_study on the monthly panel; dynamic_matching on the stacked frame."""
    results: list[Any] = []
    failures: list[EstimatorFailure] = []
    names = [n for n in params.estimators if n in ("cs_did", "twfe", "event_study")]
    panel = sample.panel() if names else None
    outcomes = ("work_or_study", "assistance_sek")
    control = "never_treated" if params.design.comparison == "never_treated" else "not_yet_treated"
    for name in names:
        for outcome in outcomes:
            try:
                if name == "cs_did":
                    options = {"control_group": control, "max_e": PATH_HORIZON, "min_e": -12}
                    options.update(chosen_options(params, name))
                    res = get(name)(
                        panel, outcome, unit="unit_id", time="period", cohort="cohort", **options
                    )
                    results.extend(
                        r for r in as_list(res) if r.aggregation in REGISTER_CS_AGGREGATIONS
                    )
                else:
                    results.extend(as_list(panel_run(name, panel, outcome, params, "unit_id")))
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(name, outcome, exc))
    if "dynamic_matching" in params.estimators:
        try:
            stacked = sample.stacked(horizon=PATH_HORIZON)
            names_k = sorted(
                {m["name"] for c in stacked.columns if (m := _PATH_COLUMN.match(str(c)))}
            )
            res = get("dynamic_matching")(
                stacked,
                names_k,
                covariates=list(sample.covariates),
                **chosen_options(params, "dynamic_matching"),
            )
            results.extend(as_list(res))
        except Exception as exc:  # noqa: BLE001
            failures.append(failure_entry("dynamic_matching", "paths", exc))
    return [Estimate.from_result(r) for r in results], failures


def goal_followups(tables: dict[str, Any], params: Params) -> dict[str, Followup]:
    """Per descriptive goal h months after start with a deadline that cuts the intake: the
    follow-up of the cohorts whose month h lies by the deadline (its measurement period)."""
    out: dict[str, Followup] = {}
    start, end = params.design.intake.start, params.design.intake.end
    for goal in params.goals:
        h = goal.spec.horizon_months
        if goal.spec.kind != "descriptive" or not h or goal.deadline is None:
            continue
        last = (pd.Period(goal.deadline, freq="M") - h).strftime("%Y-%m")
        if last >= end or last < start:
            continue  # the whole intake is measured, or none of it can be (horizon_after_deadline)
        found = followup(tables, params.measure_id, intake=(start, last))
        out[goal.id] = Followup.model_validate(found)
    return out


def alternative_designs(
    tables: dict[str, Any],
    params: Params,
    headline: dict[str, EffectResult],
    frame: pd.DataFrame,
    covariates: list[str],
) -> tuple[list[DesignComparison], list[EstimatorFailure]]:
    """The headline estimator with the second comparison group, set against the headline."""
    if not headline:
        return [], []
    name = next(iter(headline.values())).estimator
    rule = ALTERNATIVE_COMPARISON[params.design.comparison]
    try:
        alt = alternative_sample(tables, params)
    except Exception as exc:  # noqa: BLE001
        return [], [failure_entry(f"{name} ({rule})", "sample", exc)]
    alt_frame = alt.frame
    del alt
    weights, _ = censoring(alt_frame, list(headline), "treated", covariates)
    results: dict[str, EffectResult] = {}
    failures: list[EstimatorFailure] = []
    for outcome in headline:
        options = run_options(params, name, outcome, cluster="cluster_id", weights=weights)
        try:
            results[outcome] = get(name)(alt_frame, outcome, "treated", covariates, **options)
        except Exception as exc:  # noqa: BLE001
            failures.append(failure_entry(f"{name} ({rule})", outcome, exc))
    return comparison_group_comparisons(headline, results, frame, alt_frame, rule), failures


def analyse_registers(params: Params, out_dir: str | Path | None) -> Analysed:
    """The registers-mode results (everything but header, audit and disclosure)."""
    qpath = quarantine_path(params, out_dir)
    if qpath is not None:
        qpath.parent.mkdir(parents=True, exist_ok=True)
    validated = params.load_registers(quarantine_path=qpath)
    tables = validated.tables
    intake = (params.design.intake.start, params.design.intake.end)
    sample = build_sample(
        tables,
        params.measure_id,
        intake=intake,
        comparison=params.design.comparison,
        eligibility_months=params.design.eligibility_months,
        seed=params.report.seed,
    )
    frame = sample.frame
    covariates = list(params.covariates) if params.covariates else list(sample.covariates)
    weights, censored = censoring(frame, list(params.outcomes), "treated", covariates)
    found = cross_sectional_estimates(
        frame, params, treatment="treated", covariates=covariates, cluster="cluster_id",
        weights=weights,
    )  # fmt: skip
    groups, group_failures = subgroup_estimates(
        frame, params, found.headline, treatment="treated", covariates=covariates,
        cluster="cluster_id", weights=weights,
    )  # fmt: skip
    diagnostics = diagnostics_block(
        frame,
        params,
        found,
        treatment="treated",
        covariates=covariates,
        balance_columns=pre_path_columns(),
        targets=goal_targets(params),
    )
    failures = found.failures + group_failures
    headline: dict[str, EffectResult] = {}
    if found.headline is not None:
        name = found.headline.estimator
        placebo, errors = placebo_block(
            frame,
            params,
            name,
            [c for c in PLACEBO_OUTCOMES if c in frame.columns],
            treatment="treated",
            covariates=covariates,
            cluster="cluster_id",
        )
        diagnostics.placebo = placebo
        diagnostics.errors = {**diagnostics.errors, **errors}
        headline = {o: r for o in params.outcomes if (r := found.result(o)) is not None}
        lee = lee_check(
            frame, found.headline.outcome, "treated", covariates, seed=params.report.seed
        )
        if any(c.weighted for c in censored) or lee is not None:
            diagnostics.attrition = AttritionCheck(ipcw=censored, lee_bounds=lee)
        diagnostics.multiplicity = multiplicity_block(frame, found, verdict_outcomes(params))
    stacked: list[EffectResult] = []
    if "stacked_did" in params.estimators:
        stacked, stacked_failures = stacked_estimates(frame, params, covariates)
        failures += stacked_failures
    designs = stacked_comparisons(headline, stacked, frame)
    alt_designs, alt_failures = alternative_designs(tables, params, headline, frame, covariates)
    diagnostics.designs = designs + alt_designs
    failures += alt_failures
    diagnostics.subgroup_tests = subgroup_tests(groups)
    paths, path_failures = register_panel_estimates(sample, params)
    diagnostics.estimator_failures = failures + path_failures
    sample_part = sample_block(sample.describe(), params)
    sample_part.attrition = attrition_rows(sample.describe())
    body = MeasureResults(
        measure_id=params.measure_id,
        data_fingerprint=data_fingerprint(tables),
        sample=sample_part,
        estimates=found.estimates + [Estimate.from_result(r) for r in stacked] + paths,
        headline=found.headline,
        followup=Followup.model_validate(followup(tables, params.measure_id, intake=intake)),
        subgroups=groups,
        diagnostics=diagnostics,
        validation=validation_block(validated),
        **registers_parts(frame, tables, params, covariates),  # issue 12: horizon, benchmark
    )
    return Analysed(body, costs=tables.get("costs"), followups=goal_followups(tables, params))
