"""Table and panel modes: prepared data loaded, checked and analysed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit.data.fingerprint import data_fingerprint
from evalkit.data.sources import load_table
from evalkit.errors import DataError, MissingColumnError
from evalkit.estimators import get
from evalkit.params import Params
from evalkit.pipeline.analysed import Analysed
from evalkit.pipeline.estimation import (
    as_list,
    chosen_options,
    cross_sectional_estimates,
    diagnostics_block,
    failure_entry,
    multiplicity_block,
    panel_run,
    subgroup_estimates,
    subgroup_tests,
    verdict_outcomes,
)
from evalkit.results import (
    Diagnostics,
    Estimate,
    EstimatorFailure,
    MeasureResults,
    OutcomeDiagnostics,
    Pretrend,
    Sample,
    choose_headline,
)


def _load_prepared(params: Params) -> pd.DataFrame:
    """The prepared table of table/panel mode, without the loader's ``_row`` column."""
    source = params.data.source.as_dict()
    source.pop("columns", None)
    frame = load_table(source)
    return frame.drop(columns=["_row"], errors="ignore")


def _require(frame: pd.DataFrame, names: list[str], params: Params) -> None:
    """Every named column is in the prepared table, else a DataError naming it."""
    for name in names:
        if name not in frame.columns:
            raise MissingColumnError(
                "column named in the params is not in the data",
                file=params.data.source.path or params.data.source.url,
                column=name,
            )


def _check_binary(frame: pd.DataFrame, column: str, params: Params) -> None:
    """The treatment column holds 0 or 1 in every row, else a DataError with the row count."""
    values = pd.to_numeric(frame[column], errors="coerce")
    bad = int((~values.isin([0, 1])).sum())
    if bad:
        raise DataError(
            "treatment must be 0 or 1 in every row",
            file=params.data.source.path or params.data.source.url,
            column=column,
            rule="treatment_binary",
            count=bad,
        )


def _fingerprint_frame(frame: pd.DataFrame) -> str:
    """The data fingerprint of a prepared table."""
    return data_fingerprint({"data": frame})


def analyse_table(params: Params) -> Analysed:
    """Table mode: cross-sectional estimators, subgroups and diagnostics on one row per person."""
    frame = _load_prepared(params)
    d = params.data
    covariates = list(params.covariates or [])
    _require(frame, [d.id, d.treatment, *params.outcomes, *covariates, *params.subgroups], params)
    frame = frame.drop(columns=[d.id])
    _check_binary(frame, d.treatment, params)
    found = cross_sectional_estimates(
        frame, params, treatment=d.treatment, covariates=covariates, cluster=None
    )
    groups, group_failures = subgroup_estimates(
        frame, params, found.headline, treatment=d.treatment, covariates=covariates
    )
    diagnostics = diagnostics_block(
        frame, params, found, treatment=d.treatment, covariates=covariates
    )
    diagnostics.estimator_failures = found.failures + group_failures
    diagnostics.multiplicity = multiplicity_block(frame, found, verdict_outcomes(params))
    diagnostics.subgroup_tests = subgroup_tests(groups)
    treated = pd.to_numeric(frame[d.treatment], errors="coerce")
    body = MeasureResults(
        measure_id=params.measure_id,
        data_fingerprint=_fingerprint_frame(frame),
        sample=Sample(
            n_treated=int((treated == 1).sum()),
            n_control=int((treated == 0).sum()),
            data_mode="table",
        ),
        estimates=found.estimates,
        headline=found.headline,
        subgroups=groups,
        diagnostics=diagnostics,
    )
    return Analysed(body)


def analyse_panel(params: Params) -> Analysed:
    """Panel mode: twfe, event_study and cs_did on the prepared long panel."""
    frame = _load_prepared(params)
    d = params.data
    covariates = list(params.covariates or [])
    _require(frame, [d.id, d.time, d.cohort, *params.outcomes, *covariates], params)
    frame = frame.rename(columns={d.time: "period", d.cohort: "cohort"})
    frame["cohort"] = (
        frame["cohort"].fillna(0) if frame["cohort"].dtype.kind == "f" else frame["cohort"]
    )
    estimates: list[Estimate] = []
    failures: list[EstimatorFailure] = []
    pretrend: dict[str, Pretrend] = {}
    for outcome in params.outcomes:
        for name in params.estimators:
            try:
                if name == "cs_did":
                    options = {"covariates": covariates, **chosen_options(params, name)}
                    res = get(name)(
                        frame, outcome, unit=d.id, time="period", cohort="cohort", **options
                    )
                else:
                    res = panel_run(name, frame, outcome, params, d.id)
                    details: dict[str, Any] = getattr(res, "details", None) or {}
                    if name == "event_study" and details.get("pretrend"):
                        pretrend[outcome] = Pretrend.model_validate(details["pretrend"])
                estimates.extend(Estimate.from_result(r) for r in as_list(res))
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(name, outcome, exc))
    units = frame.drop_duplicates(d.id)
    cohort = pd.to_numeric(units["cohort"], errors="coerce").fillna(0)
    first = params.outcomes[0]
    diagnostics = Diagnostics(
        estimator_failures=failures,
        pretrend=pretrend.get(first),
        by_outcome={o: OutcomeDiagnostics(pretrend=p) for o, p in pretrend.items() if o != first},
    )
    body = MeasureResults(
        measure_id=params.measure_id,
        data_fingerprint=_fingerprint_frame(frame),
        sample=Sample(
            n_treated=int((cohort > 0).sum()),
            n_control=int((cohort <= 0).sum()),
            n_periods=int(frame["period"].nunique()),
            data_mode="panel",
        ),
        estimates=estimates,
        headline=choose_headline(estimates, params.outcomes),
        diagnostics=diagnostics,
    )
    return Analysed(body)
