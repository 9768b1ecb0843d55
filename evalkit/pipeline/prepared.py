"""Table and panel modes: prepared data loaded, checked and analysed."""

from __future__ import annotations

from typing import Any

import pandas as pd

from evalkit.estimators import get
from evalkit.params import Params
from evalkit.pipeline.estimation import (
    as_list,
    chosen_options,
    cross_sectional_estimates,
    diagnostics_block,
    failure_entry,
    headline_of,
    panel_run,
    subgroup_estimates,
)
from evalkit.pipeline.output import json_safe


def _load_prepared(params: Params) -> pd.DataFrame:
    """The prepared table of table/panel mode, without the loader's ``_row`` column."""
    from evalkit.data.sources import load_table

    source = params.data.source.as_dict()
    source.pop("columns", None)
    frame = load_table(source)
    return frame.drop(columns=["_row"], errors="ignore")


def _require(frame: pd.DataFrame, names: list[str], params: Params) -> None:
    """Every named column is in the prepared table, else a DataError naming it."""
    from evalkit.errors import MissingColumnError

    for name in names:
        if name not in frame.columns:
            raise MissingColumnError(
                "column named in the params is not in the data",
                file=params.data.source.path or params.data.source.url,
                column=name,
            )


def _check_binary(frame: pd.DataFrame, column: str, params: Params) -> None:
    """The treatment column holds 0 or 1 in every row, else a DataError with the row count."""
    from evalkit.errors import DataError

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
    from evalkit.data.fingerprint import data_fingerprint

    return data_fingerprint({"data": frame})


def analyse_table(params: Params) -> dict[str, Any]:
    """Table mode: cross-sectional estimators, subgroups and diagnostics on one row per person."""
    frame = _load_prepared(params)
    d = params.data
    covariates = list(params.covariates or [])
    _require(frame, [d.id, d.treatment, *params.outcomes, *covariates, *params.subgroups], params)
    frame = frame.drop(columns=[d.id])
    _check_binary(frame, d.treatment, params)
    estimates, failures = cross_sectional_estimates(
        frame, params, treatment=d.treatment, covariates=covariates, cluster=None
    )
    headline = headline_of(estimates, params.outcomes)
    groups, group_failures = subgroup_estimates(
        frame, params, headline, treatment=d.treatment, covariates=covariates
    )
    diagnostics = diagnostics_block(
        frame, params, estimates, headline, treatment=d.treatment, covariates=covariates
    )
    diagnostics["estimator_failures"] = failures + group_failures
    treated = pd.to_numeric(frame[d.treatment], errors="coerce")
    return {
        "data_fingerprint": _fingerprint_frame(frame),
        "sample": {
            "n_treated": int((treated == 1).sum()),
            "n_control": int((treated == 0).sum()),
            "data_mode": "table",
        },
        "estimates": [r.to_dict() for r in estimates.values()],
        "headline": headline,
        "followup": {},
        "subgroups": groups,
        "diagnostics": diagnostics,
        "validation": {},
    }


def analyse_panel(params: Params) -> dict[str, Any]:
    """Panel mode: twfe, event_study and cs_did on the prepared long panel."""
    frame = _load_prepared(params)
    d = params.data
    covariates = list(params.covariates or [])
    _require(frame, [d.id, d.time, d.cohort, *params.outcomes, *covariates], params)
    frame = frame.rename(columns={d.time: "period", d.cohort: "cohort"})
    frame["cohort"] = (
        frame["cohort"].fillna(0) if frame["cohort"].dtype.kind == "f" else frame["cohort"]
    )
    entries: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    pretrend: dict[str, Any] = {}
    for outcome in params.outcomes:
        for name in params.estimators:
            try:
                if name == "cs_did":
                    options = {"covariates": covariates, **chosen_options(params, name)}
                    res = get(name)(
                        frame, outcome, unit=d.id, time="period", cohort="cohort", **options
                    )
                    entries.extend(r.to_dict() for r in as_list(res))
                else:
                    res = panel_run(name, frame, outcome, params, d.id)
                    entries.extend(r.to_dict() for r in as_list(res))
                    details = getattr(res, "details", None) or {}
                    if name == "event_study" and details.get("pretrend"):
                        pretrend[outcome] = json_safe(details["pretrend"])
            except Exception as exc:  # noqa: BLE001
                failures.append(failure_entry(name, outcome, exc))
    units = frame.drop_duplicates(d.id)
    cohort = pd.to_numeric(units["cohort"], errors="coerce").fillna(0)
    headline = _panel_headline(entries, params.outcomes)
    diagnostics: dict[str, Any] = {"estimator_failures": failures}
    if pretrend:
        first = params.outcomes[0]
        if first in pretrend:
            diagnostics["pretrend"] = pretrend[first]
        others = {o: {"pretrend": p} for o, p in pretrend.items() if o != first}
        if others:
            diagnostics["by_outcome"] = others
    return {
        "data_fingerprint": _fingerprint_frame(frame),
        "sample": {
            "n_treated": int((cohort > 0).sum()),
            "n_control": int((cohort <= 0).sum()),
            "n_periods": int(frame["period"].nunique()),
            "data_mode": "panel",
        },
        "estimates": entries,
        "headline": headline,
        "followup": {},
        "subgroups": [],
        "diagnostics": diagnostics,
        "validation": {},
    }


def _panel_headline(entries: list[dict[str, Any]], outcomes: list[str]) -> dict[str, str]:
    """cs_did's simple aggregation leads, else twfe."""
    for outcome in outcomes:
        for name, agg in (("cs_did", "simple"), ("twfe", None)):
            if any(
                e["estimator"] == name and e["outcome"] == outcome and e.get("aggregation") == agg
                for e in entries
            ):
                return {"outcome": outcome, "estimator": name}
    return {}
