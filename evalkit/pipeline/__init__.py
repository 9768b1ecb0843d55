"""analyse(params) -> the results dict of one measure (DESIGN 6, docs/CONTRACTS.md).

A composition of small functions, one per step: load and validate, build the sample, follow up,
estimate per outcome and estimator, subgroups, diagnostics, panel estimators, audit, disclosure
control. One estimator failing on one outcome is recorded in ``diagnostics.estimator_failures``
and never stops the run. Only aggregates leave this package: no person-level rows.

Modules: ``registers`` (registers mode), ``prepared`` (table and panel modes), ``estimation``
(estimators, subgroups, diagnostics per outcome), ``provenance`` (versions, commit, time) and
``output`` (failed-run dict, JSON writing).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalkit.errors import ParamsError
from evalkit.params import Params, load_params
from evalkit.pipeline.output import failed_result, json_safe, write_results
from evalkit.pipeline.prepared import analyse_panel, analyse_table
from evalkit.pipeline.provenance import header
from evalkit.pipeline.registers import analyse_registers


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
    results = json_safe(results)
    results.update(json_safe(audit_block(results, params, costs)))
    return json_safe(protect_results(results, params.report.min_cell))


__all__ = ["analyse", "as_params", "failed_result", "write_results"]
