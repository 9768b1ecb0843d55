"""TEMPORARY (issue 9 item 3): the measure notebook's analysis call, until spine's branch merges.

The call belongs to the pipeline as ``evalkit.pipeline.analyse_measure(params_file, out_dir,
project_root)`` (spine provides it). Until that lands this module re-exports it when present and
otherwise keeps the old body, so ``from evalkit.runner import analyse_measure`` (the notebook's
import today) keeps working. The lead deletes this module at merge, together with its line in
``evalkit/runner/__init__.py``, once ``notebooks/measure.ipynb`` imports from the pipeline.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from typing import Any

from evalkit.errors import DataError, EstimationError, ParamsError, PseudonymKeyError, RunError


def stage_of(error: BaseException) -> str:
    """Which stage an error belongs to (for the failed page)."""
    if isinstance(error, ParamsError):
        return "params"
    if isinstance(error, (DataError, PseudonymKeyError)):
        return "data"
    if isinstance(error, EstimationError):
        return "analysis"
    if isinstance(error, RunError) and error.stage:
        return error.stage
    return "analysis"


try:  # spine's branch: the pipeline owns the call
    from evalkit.pipeline import analyse_measure  # type: ignore[attr-defined]
except ImportError:  # until it merges: the old body, moved here unchanged

    def analyse_measure(params_file: str, out_dir: str, project_root: str = "") -> dict[str, Any]:
        """Inside the measure notebook: validate params, analyse, write ``<measure>.json``;
        never raises (a failed results dict instead)."""
        from evalkit.params import load_params
        from evalkit.pipeline import analyse, failed_result, write_results
        from evalkit.project import ensure_demo_key, find_project_root, source_path
        from evalkit.runner.execution import safe_error

        root = Path(project_root) if project_root else find_project_root()
        out = Path(out_dir)
        if not out.is_absolute():
            out = root / out
        out.mkdir(parents=True, exist_ok=True)
        params = None
        stage = "params"
        with contextlib.chdir(root):
            try:
                params = load_params(Path(params_file))
                ensure_demo_key(source_path(params))
                stage = "analysis"
                results = analyse(params, out_dir=out)
            except Exception as exc:  # noqa: BLE001 - every failure becomes a failed result
                stage = stage_of(exc) if stage != "params" else "params"
                subject = params if params is not None else params_file
                results = failed_result(subject, safe_error(exc, stage), stage)
        measure = results.get("measure_id") or getattr(params, "measure_id", None)
        write_results(results, out / f"{measure or Path(params_file).stem}.json")
        return results


__all__ = ["analyse_measure", "stage_of"]
