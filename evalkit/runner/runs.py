"""The runner's verbs: ``run_one`` (``evalkit run``) and ``run_all`` (``evalkit run-all``).

``run_all`` takes a params folder (one municipality) or a tree of them (one subfolder per
municipality, each with its own ``defaults.yaml`` and data) and runs in three phases: every
measure's notebook, then each municipality's portfolio page, then (for a tree) the overview
across municipalities. Params are validated before any kernel starts; invalid ones get their
failed page at once. Measures run in a local process pool or, with ``scheduler``, on Dask.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from evalkit.runner.execution import DEFAULT_TIMEOUT
from evalkit.runner.folders import (
    cache_dir,
    measure_files,
    municipality_dirs,
    new_run_dir,
    remove_cache,
    update_latest,
)
from evalkit.runner.kernel import (
    KERNEL_NAME,
    ensure_kernel,
    kernel_environment,
    kernel_variables,
    threads_per_kernel,
)
from evalkit.runner.measure import (
    PORTFOLIO_STEM,
    MeasureOutcome,
    load_checked_params,
    run_measure,
    write_failed,
)
from evalkit.runner.pool import LocalPool
from evalkit.runner.progress import RUN_LOG, Say, done_line, say, start_line, stderr_to, tee
from evalkit.runner.tasks import MEASURE, PORTFOLIO, NotebookTask


@dataclass(frozen=True)
class RunSummary:
    """The result of ``run_all``: the run folder, each measure's outcome and the pages over them.

    ``index`` is the run's front page: the portfolio page of a single municipality, or the
    overview of a tree; ``portfolios`` maps each municipality ('' for a single one) to its
    portfolio page (None where it failed).
    """

    run_dir: Path
    outcomes: list[MeasureOutcome]
    index: Path | None
    seconds: float
    portfolios: dict[str, Path | None] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return (
            bool(self.outcomes)
            and all(o.ok for o in self.outcomes)
            and self.index is not None
            and all(p is not None for p in self.portfolios.values())
        )


@dataclass(frozen=True)
class Municipality:
    """One params folder of a run: its name ('' for a single one), params, run folder and root."""

    name: str
    params_dir: Path
    run_dir: Path
    root: Path


def plan(params_dir: Path | str, run_dir: Path, cwd: Path) -> list[Municipality]:
    """The params folders of a run: the folder itself, or each municipality of a tree.

    A municipality's relative paths resolve against its own folder, as a single project's
    resolve against the folder ``evalkit`` is started from.
    """
    folder = Path(params_dir).resolve()
    groups = municipality_dirs(folder)
    if not groups:
        return [Municipality("", folder, run_dir, cwd)]
    return [Municipality(g.name, g, run_dir / g.name, g) for g in groups]


def run_one(
    params_path: Path | str,
    out_root: Path | str,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    say: Say = say,
) -> tuple[Path, MeasureOutcome]:
    """``evalkit run``: one measure into a new dated run folder; ``latest`` updated at the end."""
    run_dir = new_run_dir(out_root)
    say = tee(say, run_dir / RUN_LOG)
    say(f"run folder {run_dir}")
    say(start_line(Path(params_path).stem))
    environment = kernel_variables(threads_per_kernel(1))
    with kernel_environment(environment), stderr_to(run_dir / f"{Path(params_path).stem}.log"):
        outcome = run_measure(params_path, run_dir, timeout=timeout)
    say(done_line(outcome.measure_id, outcome.ok, outcome.seconds, outcome.error))
    cwd = Path.cwd().resolve()
    _statements(run_dir, [Municipality("", Path(params_path).parent, run_dir, cwd)], cwd, say)
    update_latest(run_dir)
    return run_dir, outcome


class Executor(Protocol):
    """Where notebook tasks run: the local pool or a Dask cluster."""

    where: str

    def __enter__(self) -> Executor: ...

    def __exit__(self, *exc: object) -> None: ...

    def kernel_variables(self, cache_dir: str) -> dict[str, str]: ...

    def listen(self, say: Say) -> None: ...

    def run(
        self, tasks: Sequence[NotebookTask], on_done: Callable[[NotebookTask, MeasureOutcome], None]
    ) -> list[MeasureOutcome]: ...


def _executor(jobs: int, scheduler: str | None) -> Executor:
    """The local process pool, or a Dask cluster for ``scheduler``."""
    if not scheduler:
        return LocalPool(jobs)
    from evalkit.runner.cluster import DaskCluster

    return DaskCluster(scheduler)


def run_all(
    params_dir: Path | str,
    out_root: Path | str,
    *,
    jobs: int = 2,
    timeout: int = DEFAULT_TIMEOUT,
    scheduler: str | None = None,
    say: Say = say,
) -> RunSummary:
    """``evalkit run-all``: every measure into one new run folder, then the pages over them."""
    started = time.monotonic()
    cwd = Path.cwd().resolve()
    folders = municipality_dirs(params_dir) or [Path(params_dir)]  # a missing folder stops here
    n = sum(len(measure_files(f)) for f in folders)
    outcomes: list[MeasureOutcome] = []
    portfolios: dict[str, Path | None] = {}
    # no more workers than measures; a cluster that does not answer stops before the run folder
    with _executor(min(max(1, jobs), max(1, n)), scheduler) as executor:
        run_dir = new_run_dir(out_root)
        groups = plan(params_dir, run_dir, cwd)
        say = tee(say, run_dir / RUN_LOG)
        executor.listen(say)
        try:
            across = f" in {len(groups)} municipalities" if groups[0].name else ""
            say(f"run folder {run_dir}: {n} measures{across}, {executor.where}")
            environment = executor.kernel_variables(str(cache_dir(run_dir)))
            tasks, failed = _measure_tasks(groups, run_dir, timeout, environment, say)
            outcomes.extend(failed)

            def report(task: NotebookTask, outcome: MeasureOutcome) -> None:
                name = f"{task.group}/{outcome.measure_id}" if task.group else outcome.measure_id
                say(done_line(name, outcome.ok, outcome.seconds, outcome.error))

            outcomes.extend(executor.run(tasks, report))
        finally:
            remove_cache(run_dir)

        def page_done(task: NotebookTask, outcome: MeasureOutcome) -> None:
            report(task, outcome)
            portfolios[task.group] = Path(outcome.html) if outcome.ok and outcome.html else None

        kernel = tasks[0].kernel if tasks else ensure_kernel()
        executor.run(_portfolio_tasks(groups, run_dir, timeout, kernel, environment), page_done)
    index = portfolios[""] if not groups[0].name else _overview(run_dir, groups, say)
    _statements(run_dir, groups, cwd, say)
    update_latest(run_dir)
    summary = RunSummary(
        run_dir,
        sorted(outcomes, key=lambda o: o.measure_id),
        index,
        time.monotonic() - started,
        portfolios,
    )
    n_failed = sum(not o.ok for o in summary.outcomes)
    say(
        f"finished in {summary.seconds:.1f} s: {len(summary.outcomes) - n_failed} ok, "
        f"{n_failed} failed; {run_dir}"
    )
    return summary


def _measure_tasks(
    groups: Sequence[Municipality],
    run_dir: Path,
    timeout: int,
    environment: dict[str, str],
    say: Say,
) -> tuple[list[NotebookTask], list[MeasureOutcome]]:
    """Validate every params file (from its municipality's root): tasks for the valid ones,
    failed pages for the others."""
    tasks: list[NotebookTask] = []
    failed: list[MeasureOutcome] = []
    kernel = KERNEL_NAME
    for group in groups:
        group.run_dir.mkdir(parents=True, exist_ok=True)
        for path in measure_files(group.params_dir):
            try:
                with contextlib.chdir(group.root):
                    load_checked_params(path)
            except Exception as exc:  # noqa: BLE001 - reported per measure, others go on
                outcome = write_failed(group.run_dir, path, None, exc, "params", 0.0)
                failed.append(outcome)
                name = f"{group.name}/{outcome.measure_id}" if group.name else outcome.measure_id
                say(done_line(name, False, 0.0, outcome.error))
                continue
            if not tasks:
                kernel = ensure_kernel()
            tasks.append(
                NotebookTask(
                    MEASURE,
                    str(path),
                    str(group.run_dir),
                    str(group.root),
                    timeout,
                    kernel,
                    tuple(environment.items()),
                    group.name,
                    str(run_dir),
                )
            )
    return tasks, failed


def _portfolio_tasks(
    groups: Sequence[Municipality],
    run_dir: Path,
    timeout: int,
    kernel: str,
    environment: dict[str, str],
) -> list[NotebookTask]:
    """One portfolio page per municipality, over its run folder."""
    return [
        NotebookTask(
            PORTFOLIO,
            str(g.run_dir),
            str(g.run_dir),
            str(g.root),
            timeout,
            kernel,
            tuple(environment.items()),
            g.name,
            str(run_dir),
        )
        for g in groups
    ]


def _statement_settings(group: Municipality, cwd: Path) -> Any:
    """The ``report`` settings of a municipality's first valid params file (None if none is)."""
    for path in measure_files(group.params_dir):
        try:
            with contextlib.chdir(group.root if group.name else cwd):
                return load_checked_params(path).report
        except Exception:  # noqa: BLE001 - an invalid file already has its failed page
            continue
    return None


def _statements(run_dir: Path, groups: Sequence[Municipality], cwd: Path, say: Say) -> None:
    """Write the accessibility statement every page's footer links to, into each folder with
    pages (the run folder, and each municipality's folder of a tree)."""
    from evalkit.params import AccessibilityInfo, Organisation
    from evalkit.report.export import write_statement

    folders = [(g.run_dir, _statement_settings(g, cwd)) for g in groups]
    if groups[0].name:  # the overview at the top of a tree links one too
        folders.append((run_dir, folders[0][1]))
    for folder, report in folders:
        try:
            write_statement(
                folder,
                report.organisation if report is not None else Organisation(),
                report.accessibility if report is not None else AccessibilityInfo(),
                lang=report.lang if report is not None else "sv",
            )
        except Exception as exc:  # noqa: BLE001 - the pages stand without the statement
            say(f"FAILED accessibility statement in {folder} ({type(exc).__name__})")


def _overview(run_dir: Path, groups: Sequence[Municipality], say: Say) -> Path | None:
    """Write the overview page across municipalities (no kernel); None when it fails."""
    from evalkit.report.overview import write_overview

    say(start_line("overview"))
    started = time.monotonic()
    try:
        page = write_overview(run_dir, [g.name for g in groups])
    except Exception as exc:  # noqa: BLE001 - the municipalities' pages stand without it
        say(done_line("overview", False, time.monotonic() - started, f"{type(exc).__name__}"))
        return None
    say(done_line("overview", True, time.monotonic() - started))
    return page


__all__ = ["PORTFOLIO_STEM", "RunSummary", "run_all", "run_one"]
