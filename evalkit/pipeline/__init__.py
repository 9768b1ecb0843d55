"""analyse(params) -> the typed results of one measure (DESIGN 6, docs/CONTRACTS.md).

A composition of small functions, one per step: load and validate, build the sample, follow up,
estimate per outcome and estimator, subgroups, diagnostics, panel estimators, audit. One
estimator failing on one outcome is recorded in ``diagnostics.estimator_failures`` and never
stops the run. Only aggregates leave this package: no person-level rows. ``analyse`` returns
``MeasureResults``; ``analyse_measure`` (the measure notebook's one call) applies disclosure
control once and writes ``<measure_id>.json`` from the ``ProtectedResults``.

Modules: ``registers`` (registers mode), ``prepared`` (table and panel modes), ``estimation``
(estimators, subgroups, diagnostics per outcome), ``provenance`` (versions, commit, time),
``failure`` (a failed run as results) and ``analysed`` (what a mode hands to the audit).
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from evalkit.audit import audit_measure
from evalkit.audit.disclosure import protect
from evalkit.errors import ParamsError
from evalkit.params import Params, load_params, validate_params
from evalkit.pipeline.analysed import Analysed
from evalkit.pipeline.failure import failed_result, stage_of
from evalkit.pipeline.prepared import analyse_panel, analyse_table
from evalkit.pipeline.provenance import header
from evalkit.pipeline.registers import analyse_registers
from evalkit.project import ensure_demo_key, find_project_root, source_path
from evalkit.results import MeasureResults, ProtectedResults


def as_params(params: Params | str | Path | dict[str, Any]) -> Params:
    """Accept a Params, a params file path or a params mapping."""
    if isinstance(params, Params):
        return params
    if isinstance(params, (str, Path)):
        return load_params(params)
    if isinstance(params, dict):
        return validate_params(params)
    raise ParamsError(f"params must be a Params, a path or a mapping, not {type(params).__name__}")


def analysed(params: Params, out_dir: str | Path | None = None) -> Analysed:
    """The data mode's analysis: estimates, sample, follow-up and diagnostics, no audit yet."""
    mode = params.data.mode
    if mode == "registers":
        return analyse_registers(params, out_dir)
    if mode == "table":
        return analyse_table(params)
    return analyse_panel(params)


def analyse(
    params: Params | str | Path | dict[str, Any], *, out_dir: str | Path | None = None
) -> MeasureResults:
    """The results of one measure (DESIGN 6): aggregates only, audited, not yet protected.

    ``evalkit.audit.disclosure.protect`` turns them into the ``ProtectedResults`` that reports
    and results files take; ``analyse_measure`` does both. Registers mode writes its quarantine
    file outside ``out_dir`` (``pipeline.registers.quarantine_dir``): the run folder is published,
    quarantined rows never are.
    """
    params = as_params(params)
    done = analysed(params, out_dir)
    provenance = header(params).model_dump(exclude_unset=True)
    results = done.body.model_copy(update={**provenance, "status": "ok"})
    options = params.costs.options() if params.costs else {}
    return audit_measure(
        results,
        goals=list(params.goals),
        costs=done.costs,
        min_cell=params.report.min_cell,
        followups=done.followups,
        **options,
    )


def write_results(results: ProtectedResults, path: str | Path) -> Path:
    """Write a results file from ``ProtectedResults`` (nothing unprotected is ever written)."""
    if not isinstance(results, ProtectedResults):
        raise TypeError(
            f"write_results takes ProtectedResults (evalkit.audit.disclosure.protect), "
            f"not {type(results).__name__}"
        )
    return results.write(path)


def analyse_measure(
    params_file: str | Path, out_dir: str | Path, project_root: str | Path = ""
) -> ProtectedResults:
    """The measure notebook's one call: validate, analyse, protect, write ``<measure_id>.json``.

    Never raises for the measure's own failures: they become failed results (and a failed
    page). Relative paths resolve against ``project_root`` (default: the nearest folder with
    ``params/``), so the notebook runs the same from papermill and from JupyterLab.
    """
    root = Path(project_root) if project_root else find_project_root()
    out = Path(out_dir)
    if not out.is_absolute():
        out = root / out
    out.mkdir(parents=True, exist_ok=True)
    params: Params | None = None
    with contextlib.chdir(root):
        try:
            params = load_params(params_file)
            ensure_demo_key(source_path(params))
            results = analyse(params, out_dir=out)
        except Exception as exc:  # noqa: BLE001 - every failure becomes a failed result
            stage = stage_of(exc) if params is not None else "params"
            results = failed_result(params if params is not None else params_file, exc, stage)
    protected = protect(results)
    protected.write(out / f"{protected.measure_id}.json")
    return protected


__all__ = [
    "analyse",
    "analyse_measure",
    "as_params",
    "failed_result",
    "stage_of",
    "write_results",
]
