"""Run measure notebooks with papermill, export their HTML, and keep dated run folders.

One module per job: ``folders`` (dated run folders, ``latest``, params folders and trees),
``kernel`` (the pinned kernel and the environment kernels start with), ``execution`` (papermill,
retries, safe errors), ``measure`` (one measure's or portfolio's notebook into a run folder),
``tasks`` (what an executor slot runs), ``pool`` (local worker processes), ``cluster`` (Dask),
``progress`` (progress lines and logs) and ``runs`` (the verbs ``run_one`` and ``run_all``).
A failure in one measure never stops the others: it gets a ``"status": "failed"`` JSON and a
page that says what failed, in plain words.
"""

from __future__ import annotations

from evalkit.runner.execution import (
    DEFAULT_TIMEOUT,
    MEASURE_NOTEBOOK,
    PORTFOLIO_NOTEBOOK,
    execute,
    safe_error,
)
from evalkit.runner.folders import measure_files, municipality_dirs, new_run_dir, update_latest
from evalkit.runner.kernel import KERNEL_NAME, ensure_kernel, threads_per_kernel
from evalkit.runner.measure import (
    MeasureOutcome,
    load_checked_params,
    measure_id_of,
    run_measure,
    run_portfolio,
    write_failed,
)
from evalkit.runner.progress import stderr_to
from evalkit.runner.runs import RunSummary, run_all, run_one

__all__ = [
    "DEFAULT_TIMEOUT",
    "KERNEL_NAME",
    "MEASURE_NOTEBOOK",
    "PORTFOLIO_NOTEBOOK",
    "MeasureOutcome",
    "RunSummary",
    "ensure_kernel",
    "execute",
    "load_checked_params",
    "measure_files",
    "measure_id_of",
    "municipality_dirs",
    "new_run_dir",
    "run_all",
    "run_measure",
    "run_one",
    "run_portfolio",
    "safe_error",
    "stderr_to",
    "threads_per_kernel",
    "update_latest",
    "write_failed",
]
