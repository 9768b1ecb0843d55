"""Executing one notebook with papermill: absolute paths, cell timeout, one kernel-start retry.

Errors from a notebook are made safe to show: evalkit's own messages never hold personal data,
but a library's message may quote a data value, so only its type (and cell) is kept.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from evalkit.errors import EvalkitError, RunError

#: The packaged notebooks (a source checkout; ``pip install -e .`` keeps them beside the package).
NOTEBOOKS = Path(__file__).resolve().parent.parent.parent / "notebooks"
MEASURE_NOTEBOOK = NOTEBOOKS / "measure.ipynb"
PORTFOLIO_NOTEBOOK = NOTEBOOKS / "portfolio.ipynb"
#: Seconds a single notebook cell may run before the measure counts as failed.
DEFAULT_TIMEOUT = 1800
#: Seconds a kernel may take to start.
START_TIMEOUT = 120


def execute(
    notebook: Path,
    output: Path,
    parameters: dict[str, Any],
    *,
    cwd: Path,
    timeout: int,
    kernel: str,
    attempts: int = 2,
) -> None:
    """Execute a notebook with papermill; retry once when the kernel fails to start.

    Cell errors (``PapermillExecutionError``) and cell timeouts are not retried: running the same
    cells again would fail the same way.
    """
    import papermill
    from papermill.exceptions import PapermillExecutionError

    for attempt in range(1, attempts + 1):
        try:
            papermill.execute_notebook(
                str(notebook),
                str(output),
                parameters=parameters,
                kernel_name=kernel,
                cwd=str(cwd),
                execution_timeout=timeout,
                start_timeout=START_TIMEOUT,
                progress_bar=False,
                log_output=False,
                request_save_on_cell_execute=False,
            )
            return
        except PapermillExecutionError:
            raise
        except TimeoutError as exc:
            raise RunError(f"a cell ran longer than {timeout} s", stage="timeout") from exc
        except Exception as exc:  # noqa: BLE001 - kernel start problems: retry once
            if attempt == attempts:
                raise RunError(
                    f"the kernel failed to start ({type(exc).__name__})", stage="kernel"
                ) from exc
            time.sleep(2)


def safe_error(error: BaseException, stage: str) -> BaseException:
    """The error itself when evalkit raised it (messages never hold personal data), else a
    RunError naming only the exception type, since foreign messages may quote data values."""
    if isinstance(error, EvalkitError):
        return error
    if type(error).__name__ == "PapermillExecutionError":
        name = getattr(error, "ename", "error")
        cell = getattr(error, "exec_count", None)
        return RunError(f"a notebook cell failed ({name} in cell {cell})", stage=stage)
    return RunError(
        f"unexpected {type(error).__name__} (details in the executed notebook)", stage=stage
    )
