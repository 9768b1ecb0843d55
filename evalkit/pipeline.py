"""analyse(params) -> the results dict of one measure (DESIGN 6, docs/CONTRACTS.md).

A composition of small functions, one per step: load and validate, build the sample, follow up,
estimate per outcome and estimator, subgroups, diagnostics, panel estimators, audit, disclosure
control. One estimator failing on one outcome is recorded in ``diagnostics.estimator_failures``
and never stops the run. Only aggregates leave this module: no person-level rows.
"""

from __future__ import annotations

import json
import math
import platform
import re
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EvalkitError, ParamsError
from evalkit.estimators import CROSS_SECTIONAL, EffectResult, EffectResults, get
from evalkit.params import Params, load_params

#: Packages whose versions the reproducibility footer lists.
PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "linearmodels",
    "scikit-learn",
    "duckdb",
    "pyarrow",
    "pydantic",
)
#: Preferred headline estimators, most credible first (the first one estimated leads).
HEADLINE_ORDER = ("aipw", "ipw", "matching", "regression", "naive")
#: cs_did aggregations kept for the registers-mode monthly panel (cells would bloat the file).
REGISTER_CS_AGGREGATIONS = ("simple", "dynamic", "group")
#: Months after start that the registers-mode panel estimators report.
PATH_HORIZON = 24
#: Estimators whose standard error has no cluster version (Abadie-Imbens matching).
NO_CLUSTER = frozenset({"matching"})
_PATH_COLUMN = re.compile(r"^(?P<name>.+)_m(?P<k>\d+)$")


# --- reproducibility ---------------------------------------------------------------------------


def evalkit_version() -> str:
    """The installed evalkit version."""
    from evalkit import __version__

    return __version__


def package_versions() -> dict[str, str]:
    """Versions of the packages the numbers depend on (and Python's)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def git_commit() -> str | None:
    """The source tree's short commit hash, if evalkit runs from a git checkout."""
    root = Path(__file__).resolve().parent.parent
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def now_utc() -> str:
    """The current time, ISO 8601 in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def header(params: Params) -> dict[str, Any]:
    """The fields every results dict carries, ok or failed."""
    return {
        "measure_id": params.measure_id,
        "title": params.title,
        "evalkit_version": evalkit_version(),
        "params": params.to_json(),
        "created": now_utc(),
        "commit": git_commit(),
        "packages": package_versions(),
        "seed": params.report.seed,
        "lang": params.report.lang,
        "min_cell": params.report.min_cell,
    }


# --- estimation helpers ------------------------------------------------------------------------


def _failure(estimator: str, outcome: str, exc: BaseException) -> dict[str, str]:
    """A failure entry that never quotes a foreign message (it may contain data)."""
    reason = str(exc) if isinstance(exc, EvalkitError) else type(exc).__name__
    return {"estimator": estimator, "outcome": outcome, "reason": reason}


def _options(params: Params, name: str) -> dict[str, Any]:
    """The estimator options from params (as validated)."""
    return dict(params.estimator_options.get(name, {}))


def _as_list(result: EffectResult | EffectResults) -> list[EffectResult]:
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
                    frame, outcome, treatment, covariates, **extra, **_options(params, name)
                )
            except Exception as exc:  # noqa: BLE001 - one failure must not stop the run
                failures.append(_failure(name, outcome, exc))
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
                    name, frame, outcome, by, treatment, covariates, **_options(params, name)
                )
                rows.extend(subgroup_records(table))
            except Exception as exc:  # noqa: BLE001
                failures.append(_failure(f"{name} by {by}", outcome, exc))
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
    trim = _options(params, name).get("trim")
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


# --- registers mode ----------------------------------------------------------------------------


def quarantine_path(params: Params, out_dir: str | Path | None) -> Path | None:
    """Where the quarantine file goes: ``<out_dir>/<measure_id>.quarantine.parquet``."""
    return Path(out_dir) / f"{params.measure_id}.quarantine.parquet" if out_dir else None


def validation_block(validated: Any) -> dict[str, Any]:
    """What the report says about the data checks: counts per table and rule, no rows."""
    report = validated.report
    rows = [
        {k: row.get(k) for k in ("table", "rule", "description", "count")} for row in report.rows
    ]
    qfile = getattr(report, "quarantine_file", None)
    return {
        "rows": rows,
        "n_quarantined": int(sum(report.n_quarantined.values())),
        "quarantine_file": Path(qfile).name if qfile else None,
    }


def sample_block(info: dict[str, Any], params: Params) -> dict[str, Any]:
    """The ``sample`` part from ``AnalysisSample.describe()`` (counts only)."""
    keep = (
        "n_treated",
        "n_control",
        "n_eligible",
        "n_control_persons",
        "n_participants_in_intake",
        "data_end",
    )
    out = {k: info[k] for k in keep if k in info}
    out.update(
        intake_start=params.design.intake.start,
        intake_end=params.design.intake.end,
        comparison=params.design.comparison,
        data_mode=params.data.mode,
    )
    return out


def register_panel_estimates(
    sample: Any, params: Params
) -> tuple[list[dict[str, Any]], list[dict[str, str]], dict[str, Any]]:
    """cs_did, twfe and event_study on the monthly panel; dynamic_matching on the stacked frame."""
    entries: list[dict[str, Any]] = []
    failures: list[dict[str, str]] = []
    extra: dict[str, Any] = {}
    names = [n for n in params.estimators if n in ("cs_did", "twfe", "event_study")]
    panel = sample.panel() if names else None
    outcomes = ("work_or_study", "assistance_sek")
    control = "never_treated" if params.design.comparison == "never_treated" else "not_yet_treated"
    for name in names:
        for outcome in outcomes:
            try:
                if name == "cs_did":
                    options = {"control_group": control, "max_e": PATH_HORIZON, "min_e": -12}
                    options.update(_options(params, name))
                    res = get(name)(
                        panel, outcome, unit="unit_id", time="period", cohort="cohort", **options
                    )
                    entries.extend(
                        r.to_dict()
                        for r in _as_list(res)
                        if r.aggregation in REGISTER_CS_AGGREGATIONS
                    )
                else:
                    entries.extend(_panel_call(name, panel, outcome, params, "unit_id"))
            except Exception as exc:  # noqa: BLE001
                failures.append(_failure(name, outcome, exc))
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
                **_options(params, "dynamic_matching"),
            )
            entries.extend(r.to_dict() for r in _as_list(res))
        except Exception as exc:  # noqa: BLE001
            failures.append(_failure("dynamic_matching", "paths", exc))
    return entries, failures, extra


def _panel_call(
    name: str, panel: pd.DataFrame, outcome: str, params: Params, unit: str
) -> list[dict[str, Any]]:
    """twfe or event_study on a long panel, as results-dict entries."""
    return [r.to_dict() for r in _as_list(_panel_run(name, panel, outcome, params, unit))]


def _panel_run(
    name: str, panel: pd.DataFrame, outcome: str, params: Params, unit: str
) -> EffectResult | EffectResults:
    """twfe or event_study on a long panel with ``period`` and ``cohort`` columns."""
    options = _options(params, name)
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


def analyse_registers(params: Params, out_dir: str | Path | None) -> dict[str, Any]:
    """The registers-mode results (everything but header, audit and disclosure)."""
    from evalkit.data.fingerprint import data_fingerprint
    from evalkit.data.followup import followup
    from evalkit.data.sample import PLACEBO_OUTCOMES, build_sample
    from evalkit.data.validate import load_and_validate

    source = params.data.source.as_dict()
    columns = source.pop("columns", None)
    qpath = quarantine_path(params, out_dir)
    if qpath is not None:
        qpath.parent.mkdir(parents=True, exist_ok=True)
    validated = load_and_validate(source, columns=columns, quarantine_path=qpath)
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
    estimates, failures = cross_sectional_estimates(
        frame, params, treatment="treated", covariates=covariates, cluster="cluster_id"
    )
    headline = headline_of(estimates, params.outcomes)
    groups, group_failures = subgroup_estimates(
        frame, params, headline, treatment="treated", covariates=covariates
    )
    diagnostics = diagnostics_block(
        frame,
        params,
        estimates,
        headline,
        treatment="treated",
        covariates=covariates,
        placebo_outcomes=tuple(c for c in PLACEBO_OUTCOMES if c in frame.columns),
    )
    paths, path_failures, _ = register_panel_estimates(sample, params)
    diagnostics["estimator_failures"] = failures + group_failures + path_failures
    return {
        "data_fingerprint": data_fingerprint(tables),
        "sample": sample_block(sample.describe(), params),
        "estimates": [r.to_dict() for r in estimates.values()] + paths,
        "headline": headline,
        "followup": followup(tables, params.measure_id, intake=intake),
        "subgroups": groups,
        "diagnostics": diagnostics,
        "validation": validation_block(validated),
        "_costs_table": tables.get("costs"),
    }


# --- table and panel modes ---------------------------------------------------------------------


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
                    options = {"covariates": covariates, **_options(params, name)}
                    res = get(name)(
                        frame, outcome, unit=d.id, time="period", cohort="cohort", **options
                    )
                    entries.extend(r.to_dict() for r in _as_list(res))
                else:
                    res = _panel_run(name, frame, outcome, params, d.id)
                    entries.extend(r.to_dict() for r in _as_list(res))
                    details = getattr(res, "details", None) or {}
                    if name == "event_study" and details.get("pretrend"):
                        pretrend[outcome] = _json_safe(details["pretrend"])
            except Exception as exc:  # noqa: BLE001
                failures.append(_failure(name, outcome, exc))
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


# --- audit, disclosure, composition ------------------------------------------------------------


def audit_block(results: dict[str, Any], params: Params, costs: Any) -> dict[str, Any]:
    """Costs, goal verdicts and credibility from the audit layer."""
    from evalkit.audit import audit_measure

    options = params.costs.options() if params.costs else {}
    return audit_measure(
        results,
        goals=list(params.goals),
        costs=costs,
        min_cell=params.report.min_cell,
        **options,
    )


def as_params(params: Params | str | Path | dict) -> Params:
    """Accept a Params, a params file path or a params mapping."""
    if isinstance(params, Params):
        return params
    if isinstance(params, (str, Path)):
        return load_params(params)
    if isinstance(params, dict):
        from evalkit.params import validate_params

        return validate_params(params)
    raise ParamsError(f"params must be a Params, a path or a mapping, not {type(params).__name__}")


def analyse(params: Params | str | Path | dict, *, out_dir: str | Path | None = None) -> dict:
    """The results dict of one measure (DESIGN 6), disclosure-controlled, aggregates only."""
    from evalkit.audit import protect_results

    params = as_params(params)
    mode = params.data.mode
    if mode == "registers":
        body = analyse_registers(params, out_dir)
    elif mode == "table":
        body = analyse_table(params)
    else:
        body = analyse_panel(params)
    costs = body.pop("_costs_table", None)
    results: dict[str, Any] = {**header(params), "status": "ok", **body}
    results = _json_safe(results)
    results.update(_json_safe(audit_block(results, params, costs)))
    return _json_safe(protect_results(results, params.report.min_cell))


# --- failed runs and writing -------------------------------------------------------------------


def failed_result(params_or_path: Any, error: BaseException, stage: str) -> dict[str, Any]:
    """The ``"status": "failed"`` results dict: what failed, where, and which measure."""
    message = str(error) if isinstance(error, EvalkitError) else type(error).__name__
    base: dict[str, Any]
    if isinstance(params_or_path, Params):
        base = header(params_or_path)
    else:
        stem = Path(str(params_or_path)).stem if params_or_path else "unknown"
        base = {
            "measure_id": stem,
            "title": stem,
            "evalkit_version": evalkit_version(),
            "params": {"file": str(params_or_path)} if params_or_path else {},
            "created": now_utc(),
            "commit": git_commit(),
            "packages": package_versions(),
            "seed": None,
            "lang": "sv",
            "min_cell": 5,
        }
    return _json_safe(
        {
            **base,
            "status": "failed",
            "error": {"type": type(error).__name__, "message": message, "stage": stage},
            "estimates": [],
            "goals": [],
            "costs": {},
            "credibility": [],
            "diagnostics": {},
        }
    )


def _json_safe(value: Any) -> Any:
    """Plain JSON types: numpy scalars unwrapped, NaN/inf as None, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): _json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_safe(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.ndarray):
        return _json_safe(value.tolist())
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def write_results(results: dict[str, Any], path: str | Path) -> Path:
    """Write a results dict as JSON: sorted keys, shortest round-trip floats, NaN as null."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(_json_safe(results), sort_keys=True, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


__all__ = ["analyse", "failed_result", "write_results", "header", "package_versions"]
