"""What one executor slot does: a notebook task, picklable for process pools and Dask workers.

A task names its notebook kind (a measure or a portfolio page), its folders, its limits and the
environment its kernel starts with; ``run_task`` runs it and returns the outcome as a plain dict.
The kernel's stderr goes to ``<name>.log`` in the run folder, keeping the terminal to one line
per notebook.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path

from evalkit.errors import RunError
from evalkit.runner.kernel import ensure_kernel, kernel_environment
from evalkit.runner.measure import (
    PORTFOLIO_STEM,
    MeasureOutcome,
    run_measure,
    run_portfolio,
    write_failed,
)
from evalkit.runner.progress import RUN_LOG, append_log, say, start_line, stderr_to

MEASURE, PORTFOLIO = "measure", "portfolio"

#: Announces a progress line from inside a task: ``announce(run_log, line)``.
Announce = Callable[[str, str], None]


@dataclass(frozen=True)
class NotebookTask:
    """One notebook to run: a measure (``source`` is its params file) or a portfolio page
    (``source`` is the run folder whose JSON files it reads)."""

    kind: str
    source: str
    run_dir: str
    cwd: str
    timeout: int
    kernel: str
    environment: tuple[tuple[str, str], ...] = ()
    group: str = ""
    log_dir: str = ""

    @property
    def name(self) -> str:
        """The name in progress lines: the params file's stem or ``portfolio``, after the
        municipality when the run covers several."""
        base = Path(self.source).stem if self.kind == MEASURE else "portfolio"
        return f"{self.group}/{base}" if self.group else base

    @property
    def run_log(self) -> Path:
        """The run's log (in the top run folder, also for a municipality's notebooks)."""
        return Path(self.log_dir or self.run_dir) / RUN_LOG


def announce_here(run_log: str, line: str) -> None:
    """Print a progress line in this process and append it to the run log."""
    say(line)
    append_log(Path(run_log), line)


def run_task(task: NotebookTask, announce: Announce = announce_here) -> dict:
    """Run one task; return its ``MeasureOutcome`` as a dict (never raises for a measure's own
    failure; a portfolio that fails is a ``failed`` outcome naming why)."""
    announce(str(task.run_log), start_line(task.name))
    kernel = ensure_kernel(task.kernel)  # a Dask worker may not have it yet
    run_dir = Path(task.run_dir)
    stem = Path(task.source).stem if task.kind == MEASURE else PORTFOLIO_STEM
    with kernel_environment(dict(task.environment)), stderr_to(run_dir / f"{stem}.log"):
        if task.kind == MEASURE:
            outcome = run_measure(
                task.source, run_dir, cwd=task.cwd, timeout=task.timeout, kernel=kernel
            )
        else:
            outcome = portfolio_outcome(task, kernel)
    return asdict(outcome)


def portfolio_outcome(task: NotebookTask, kernel: str) -> MeasureOutcome:
    """Run a portfolio page; its outcome (``failed`` with the error's type and message)."""
    started = time.monotonic()
    try:
        index = run_portfolio(
            Path(task.run_dir), cwd=Path(task.cwd), timeout=task.timeout, kernel=kernel
        )
    except Exception as exc:  # noqa: BLE001 - the measures' pages stand even without an index
        return MeasureOutcome(
            PORTFOLIO, "failed", time.monotonic() - started, error=f"{type(exc).__name__}: {exc}"
        )
    return MeasureOutcome(PORTFOLIO, "ok", time.monotonic() - started, html=str(index))


def lost_task_outcome(task: NotebookTask, error: BaseException) -> MeasureOutcome:
    """The outcome of a task whose worker stopped: a measure gets its failed page and JSON."""
    reason = RunError(f"the worker process stopped ({type(error).__name__})", stage="kernel")
    if task.kind == MEASURE:
        return write_failed(Path(task.run_dir), Path(task.source), None, reason, "kernel", 0.0)
    return MeasureOutcome(PORTFOLIO, "failed", 0.0, error=str(reason))
