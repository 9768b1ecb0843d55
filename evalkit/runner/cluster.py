"""Running notebook tasks on a Dask cluster (``evalkit run-all DIR --scheduler ADDRESS``).

Each task is one notebook (papermill execution and HTML export) run by a Dask worker into the
same run folder as the local runner, so the run folder must be reachable under the same path from
every worker (one machine, or a shared file system). ``local:N`` starts a ``LocalCluster`` of N
worker processes (one thread each) on this machine. A task whose worker dies is rescheduled by
Dask on another worker; a task that still cannot finish gets a failed page. Start lines come
from the workers as Dask events; the client prints them and appends them to ``run.log``.

Requires the optional extra ``evalkit[dask]`` (dask and distributed).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from evalkit.errors import RunError
from evalkit.project import CACHE_ENV
from evalkit.runner.kernel import available_cores, kernel_variables, threads_per_kernel
from evalkit.runner.measure import MeasureOutcome
from evalkit.runner.progress import Say
from evalkit.runner.tasks import NotebookTask, lost_task_outcome, run_task

OnDone = Callable[[NotebookTask, MeasureOutcome], None]
#: The Dask event topic that carries progress lines from workers to the client.
TOPIC = "evalkit-progress"
LOCAL_PREFIX = "local:"


def local_workers(address: str) -> int | None:
    """N for ``local:N`` (a LocalCluster of N worker processes), None for a scheduler address."""
    if not address.startswith(LOCAL_PREFIX):
        return None
    text = address[len(LOCAL_PREFIX) :]
    if not text.isdigit() or int(text) < 1:
        raise RunError(f"--scheduler {address}: use local:N with N ≥ 1, or a scheduler address")
    return int(text)


def announce_to_client(run_log: str, line: str) -> None:
    """Send a progress line from a worker to the client, which prints it and appends it to the
    run log (``run_log`` is the client's to write)."""
    from distributed import get_worker

    get_worker().log_event(TOPIC, {"line": line})


def dask_task(task: NotebookTask) -> dict:
    """A task as run on a Dask worker: progress lines go to the client as events."""
    return run_task(task, announce=announce_to_client)


class DaskCluster:
    """A Dask client (and, for ``local:N``, the LocalCluster it started) running notebook tasks."""

    def __init__(self, address: str, *, retries: int = 1) -> None:
        try:
            import distributed
        except ImportError as exc:
            raise RunError(
                "--scheduler needs dask and distributed: pip install 'evalkit[dask]'",
                stage="scheduler",
            ) from exc
        self.address = address
        self.retries = retries
        self._say: Say = print
        self._cluster = None
        n = local_workers(address)
        if n is not None:
            self._cluster = distributed.LocalCluster(
                n_workers=n, threads_per_worker=1, processes=True, dashboard_address=None
            )
            self.client = distributed.Client(self._cluster)
        else:
            try:
                self.client = distributed.Client(address, timeout="30s")
            except (OSError, TimeoutError) as exc:
                raise RunError(
                    f"no Dask scheduler answers at {address} ({type(exc).__name__})",
                    stage="scheduler",
                ) from exc
        self.client.subscribe_topic(TOPIC, self._on_event)

    @property
    def where(self) -> str:
        """How notebooks run, for the first progress line."""
        return f"on {self.address}"

    def kernel_variables(self, cache_dir: str) -> dict[str, str]:
        """Thread counts for a LocalCluster's kernels (cores / workers); on a remote cluster
        kernels keep the threads their worker was started with, and only the cache folder is set."""
        n = local_workers(self.address)
        if n is None:
            return {CACHE_ENV: cache_dir}
        return kernel_variables(threads_per_kernel(n, available_cores()), cache_dir)

    def listen(self, say: Say) -> None:
        """Print (and log) the workers' progress lines with ``say`` from now on."""
        self._say = say

    def _on_event(self, event: tuple) -> None:
        """A worker's progress line: printed here and appended to the run log (by ``say``)."""
        _, msg = event
        self._say(msg["line"])

    def __enter__(self) -> DaskCluster:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close the client (and the LocalCluster when this started one)."""
        self.client.unsubscribe_topic(TOPIC)
        self.client.close()
        if self._cluster is not None:
            self._cluster.close()

    def run(self, tasks: Sequence[NotebookTask], on_done: OnDone) -> list[MeasureOutcome]:
        """Submit every task; call ``on_done`` as each ends; outcomes in completion order."""
        from distributed import as_completed

        futures = {
            self.client.submit(dask_task, t, retries=self.retries, pure=False, key=_key(t)): t
            for t in tasks
        }
        outcomes: list[MeasureOutcome] = []
        for future in as_completed(futures):
            task = futures[future]
            try:
                outcome = MeasureOutcome(**future.result())
            except Exception as exc:  # noqa: BLE001 - worker lost too often, or task error
                outcome = lost_task_outcome(task, exc)
            outcomes.append(outcome)
            on_done(task, outcome)
        return outcomes


def _key(task: NotebookTask) -> str:
    """A readable, unique Dask key for a task (shown on the dashboard)."""
    import uuid

    return f"evalkit-{task.kind}-{task.name.replace('/', '-')}-{uuid.uuid4().hex[:8]}"
