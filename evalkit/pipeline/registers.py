"""Registers mode: validate, build the sample, follow up, estimate (cross-sectional and paths)."""

from __future__ import annotations

import os
import re
from pathlib import Path
from typing import Any

from evalkit.audit.decisions import registers_parts
from evalkit.data.fingerprint import data_fingerprint
from evalkit.data.followup import followup
from evalkit.data.sample import PLACEBO_OUTCOMES, AnalysisSample, build_sample
from evalkit.data.validate import Validated
from evalkit.estimators import get
from evalkit.params import Params
from evalkit.pipeline.analysed import Analysed
from evalkit.pipeline.estimation import (
    as_list,
    chosen_options,
    cross_sectional_estimates,
    diagnostics_block,
    failure_entry,
    panel_run,
    subgroup_estimates,
)
from evalkit.results import Estimate, EstimatorFailure, Followup, MeasureResults, Sample, Validation

#: cs_did aggregations kept for the registers-mode monthly panel (cells would bloat the file).
REGISTER_CS_AGGREGATIONS = ("simple", "dynamic", "group")

#: Months after start that the registers-mode panel estimators report.
PATH_HORIZON = 24

_PATH_COLUMN = re.compile(r"^(?P<name>.+)_m(?P<k>\d+)$")

#: Environment variable naming a folder for quarantine files (one subfolder per run).
QUARANTINE_ENV = "EVALKIT_QUARANTINE_DIR"
#: The folder beside ``reports/`` that quarantine files go to by default.
QUARANTINE_FOLDER = "quarantine"


def quarantine_dir(out_dir: str | Path) -> Path:
    """Where a run's quarantine files go: never into the run folder, which is published.

    Quarantined rows are person-level (pseudonymised), for evaluators only. They go to
    ``$EVALKIT_QUARANTINE_DIR/<run>`` when that is set, else to ``quarantine/<run>`` beside the
    folder that holds the run folders (``reports/2026-11-27_020001`` ->
    ``quarantine/2026-11-27_020001``).
    """
    out = Path(out_dir).resolve()
    chosen = os.environ.get(QUARANTINE_ENV)
    if chosen:
        return Path(chosen).resolve() / out.name
    root = out.parent.parent if out.parent.parent != Path(out.anchor) else out.parent
    return root / QUARANTINE_FOLDER / out.name


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
    found = cross_sectional_estimates(
        frame, params, treatment="treated", covariates=covariates, cluster="cluster_id"
    )
    groups, group_failures = subgroup_estimates(
        frame, params, found.headline, treatment="treated", covariates=covariates
    )
    diagnostics = diagnostics_block(
        frame,
        params,
        found,
        treatment="treated",
        covariates=covariates,
        placebo_outcomes=tuple(c for c in PLACEBO_OUTCOMES if c in frame.columns),
    )
    paths, path_failures = register_panel_estimates(sample, params)
    diagnostics.estimator_failures = found.failures + group_failures + path_failures
    body = MeasureResults(
        measure_id=params.measure_id,
        data_fingerprint=data_fingerprint(tables),
        sample=sample_block(sample.describe(), params),
        estimates=found.estimates + paths,
        headline=found.headline,
        followup=Followup.model_validate(followup(tables, params.measure_id, intake=intake)),
        subgroups=groups,
        diagnostics=diagnostics,
        validation=validation_block(validated),
        **registers_parts(frame, tables, params, covariates),  # issue 12: horizon, benchmark
    )
    return Analysed(body, costs=tables.get("costs"))
