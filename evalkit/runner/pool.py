"""Running notebook tasks in parallel on this machine: a pool of worker processes.

Each worker starts one kernel at a time. A worker that dies (killed, out of memory) breaks the
pool; its unfinished tasks are run once more on a fresh pool, and a task that fails again gets a
failed page, so no measure is ever lost without one.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Sequence
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from concurrent.futures.process import BrokenProcessPool
from typing import Any

from evalkit.runner.kernel import kernel_variables, threads_per_kernel
from evalkit.runner.measure import MeasureOutcome
from evalkit.runner.tasks import NotebookTask, lost_task_outcome, run_task

OnDone = Callable[[NotebookTask, MeasureOutcome], None]


def warm_up() -> None:
    """What every worker needs before its first notebook: papermill and the HTML exporter."""
    import papermill  # noqa: F401

    from evalkit.report import export  # noqa: F401


class LocalPool:
    """``jobs`` worker processes (spawned, so each starts clean), reused across run phases."""

    def __init__(
        self, jobs: int, *, retries: int = 1, target: Callable[[NotebookTask], Any] = run_task
    ) -> None:
        self.jobs = max(1, jobs)
        self.retries = retries
        self.target = target
        self._pool: ProcessPoolExecutor | None = None

    def __enter__(self) -> LocalPool:
        """Start the workers now, so that their imports overlap the checking of params files."""
        pool = self._executor()
        for _ in range(self.jobs):
            pool.submit(warm_up)
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Stop the worker processes."""
        if self._pool is not None:
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None

    @property
    def where(self) -> str:
        """How notebooks run, for the first progress line."""
        return f"{self.jobs} at a time"

    def kernel_variables(self, cache_dir: str) -> dict[str, str]:
        """The kernels' environment: cores / jobs threads each, and the run's cache folder."""
        return kernel_variables(threads_per_kernel(self.jobs), cache_dir)

    def listen(self, say: Callable[[str], None]) -> None:
        """Nothing to relay: workers print their start lines themselves."""

    def _executor(self) -> ProcessPoolExecutor:
        if self._pool is None:
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs, mp_context=multiprocessing.get_context("spawn")
            )
        return self._pool

    def run(self, tasks: Sequence[NotebookTask], on_done: OnDone) -> list[MeasureOutcome]:
        """Run every task; call ``on_done`` as each ends; outcomes in completion order."""
        outcomes: list[MeasureOutcome] = []
        pending = list(tasks)
        for attempt in range(self.retries + 1):
            if not pending:
                break
            lost: list[tuple[NotebookTask, BaseException]] = []
            pool = self._executor()
            futures: dict[Future, NotebookTask] = {pool.submit(self.target, t): t for t in pending}
            for future in as_completed(futures):
                task = futures[future]
                try:
                    outcome = MeasureOutcome(**future.result())
                except Exception as exc:  # noqa: BLE001 - the worker stopped
                    lost.append((task, exc))
                    continue
                outcomes.append(outcome)
                on_done(task, outcome)
            if any(isinstance(exc, BrokenProcessPool) for _, exc in lost):
                self.close()
            if attempt == self.retries:
                for task, exc in lost:
                    outcome = lost_task_outcome(task, exc)
                    outcomes.append(outcome)
                    on_done(task, outcome)
            pending = [task for task, _ in lost]
        return outcomes
