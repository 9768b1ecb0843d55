"""Run measure notebooks with papermill, export their HTML, and keep dated run folders.

One function per job: ``run_measure`` (one params file into a run folder), ``run_all`` (every
params file of a folder in parallel, then the portfolio page); the measure notebook calls
``evalkit.pipeline.analyse_measure`` inside its kernel. A failure in one measure never stops the
others: it gets a ``"status": "failed"`` JSON and a page that says what failed, in plain words.
"""

from __future__ import annotations

import contextlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import asdict, dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from evalkit.audit.disclosure import protect
from evalkit.errors import (
    DataError,
    EstimationError,
    EvalkitError,
    ParamsError,
    PseudonymKeyError,
    RunError,
)
from evalkit.project import (
    DEMO_PSEUDONYM_KEY,
    ensure_demo_key,
)
from evalkit.results import MeasureResults, ProtectedResults, RunFailure

#: The packaged notebooks (a source checkout; ``pip install -e .`` keeps them beside the package).
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
MEASURE_NOTEBOOK = NOTEBOOKS / "measure.ipynb"
PORTFOLIO_NOTEBOOK = NOTEBOOKS / "portfolio.ipynb"
KERNEL_NAME = "evalkit"
#: Seconds a single notebook cell may run before the measure counts as failed.
DEFAULT_TIMEOUT = 1800
#: Params files in a params folder that are shared defaults, not measures.
NOT_MEASURES = frozenset({"defaults.yaml"})
PORTFOLIO_STEM = "index"
LATEST = "latest"
LATEST_FILE = "LATEST"


@dataclass(frozen=True)
class MeasureOutcome:
    """How one measure's run ended: status, seconds and the files it produced."""

    measure_id: str
    status: str
    seconds: float
    json: str | None = None
    html: str | None = None
    notebook: str | None = None
    error: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == "ok"


@dataclass(frozen=True)
class RunSummary:
    """The result of ``run_all``: the run folder, each measure's outcome and the portfolio page."""

    run_dir: Path
    outcomes: list[MeasureOutcome]
    index: Path | None
    seconds: float

    @property
    def ok(self) -> bool:
        return bool(self.outcomes) and all(o.ok for o in self.outcomes) and self.index is not None


# --- run folders ------------------------------------------------------------------------------


def new_run_dir(out_root: Path | str, now: datetime | None = None) -> Path:
    """Create a new dated folder ``<out_root>/<YYYY-MM-DD_HHMMSS>`` (suffix _2, _3 … if taken)."""
    root = Path(out_root).resolve()
    root.mkdir(parents=True, exist_ok=True)
    stamp = (now or datetime.now()).strftime("%Y-%m-%d_%H%M%S")
    for i in range(1, 10_000):
        candidate = root / (stamp if i == 1 else f"{stamp}_{i}")
        try:
            candidate.mkdir()
        except FileExistsError:
            continue
        return candidate
    raise RunError(f"no free run folder name under {root}", stage="run_dir")


def update_latest(run_dir: Path) -> Path:
    """Point ``<out_root>/latest`` at ``run_dir`` (a ``LATEST`` file where symlinks fail)."""
    root = run_dir.parent
    link = root / LATEST
    tmp = root / f".{LATEST}.{os.getpid()}"
    try:
        with contextlib.suppress(FileNotFoundError):
            tmp.unlink()
        tmp.symlink_to(run_dir.name, target_is_directory=True)
        os.replace(tmp, link)
        return link
    except (OSError, NotImplementedError):
        with contextlib.suppress(OSError):
            tmp.unlink()
        marker = root / LATEST_FILE
        marker.write_text(run_dir.name + "\n", encoding="utf-8")
        return marker


def measure_files(params_dir: Path | str) -> list[Path]:
    """Every measure's params file in a folder: ``*.yaml`` except the shared defaults."""
    folder = Path(params_dir)
    if not folder.is_dir():
        raise ParamsError("params folder does not exist", file=str(folder))
    return sorted(p for p in folder.glob("*.yaml") if p.name not in NOT_MEASURES)


# --- kernel and keys --------------------------------------------------------------------------


def ensure_kernel(name: str = KERNEL_NAME) -> str:
    """The pinned kernel's name; installs it into this environment if absent, else python3."""
    from jupyter_client.kernelspec import KernelSpecManager

    if name in KernelSpecManager().find_kernel_specs():
        return name
    try:
        from ipykernel.kernelspec import install

        install(kernel_name=name, display_name=f"{name} (Python 3)", prefix=sys.prefix)
    except Exception as exc:  # noqa: BLE001 - any install failure falls back to python3
        print(
            f"evalkit: kernel '{name}' unavailable ({type(exc).__name__}); using python3",
            file=sys.stderr,
        )
        return "python3"
    return name


# --- params and results (pipeline contract) --------------------------------------------------


def load_checked_params(path: Path | str) -> Any:
    """Load and validate a params file (``evalkit.params.load_params``); raises ParamsError."""
    from evalkit.params import load_params

    return load_params(Path(path))


def measure_id_of(params: Any, path: Path | str) -> str:
    """The measure id from params, else the file's stem."""
    value = getattr(params, "measure_id", None) if params is not None else None
    return str(value or Path(path).stem)


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


def make_failed_result(
    params_or_path: Any, error: BaseException, stage: str, *, lang: str = "sv"
) -> ProtectedResults:
    """The failed results (``evalkit.pipeline.failed_result``), protected, for an error.

    Should the pipeline itself be broken, minimal failed results are built here instead, so that
    a failing measure still gets its page and never stops the others.
    """
    safe = safe_error(error, stage)
    try:
        from evalkit.pipeline import failed_result

        result = failed_result(params_or_path, safe, stage, lang=lang)
    except Exception as exc:  # noqa: BLE001 - the fallback must not fail
        result = minimal_failed_result(params_or_path, safe, stage, lang=lang)
        result.error.pipeline_error = type(exc).__name__
    return protect(result)


def minimal_failed_result(
    params_or_path: Any, error: BaseException, stage: str, *, lang: str = "sv"
) -> MeasureResults:
    """The smallest failed results DESIGN 6 allows."""
    measure = measure_id_of(
        None if isinstance(params_or_path, (str, Path)) else params_or_path,
        params_or_path if isinstance(params_or_path, (str, Path)) else "",
    )
    return MeasureResults(
        measure_id=measure,
        title=getattr(params_or_path, "title", None) or measure,
        status="failed",
        lang=lang,
        error=RunFailure(type=type(error).__name__, message=str(error), stage=stage),
    )


# --- pages for runs without a notebook ---------------------------------------------------------


def write_failed(
    run_dir: Path,
    path: Path,
    params: Any,
    error: BaseException,
    stage: str,
    seconds: float,
) -> MeasureOutcome:
    """Write a failed measure's JSON and its plain-words page; return its outcome."""
    from evalkit.report import export, sections

    measure = measure_id_of(params, path)
    lang = _lang_of(params)
    results = make_failed_result(params if params is not None else path, error, stage, lang=lang)
    json_path = results.write(run_dir / f"{results.measure_id or measure}.json")
    parts = [sections.title(results).html, sections.failed(results).html]
    html_path = run_dir / f"{measure}.html"
    title = results.title or measure
    html_path.write_text(export.html_page(parts, title=title, lang=lang), encoding="utf-8")
    message = str((results.error.message if results.error else None) or error)
    return MeasureOutcome(measure, "failed", seconds, str(json_path), str(html_path), None, message)


def _lang_of(params: Any) -> str:
    report = getattr(params, "report", None)
    lang = getattr(report, "lang", None) if report is not None else None
    return lang if lang in ("sv", "en") else "sv"


# --- executing notebooks -----------------------------------------------------------------------


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
                start_timeout=120,
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


def _say(text: str) -> None:
    """One progress line with a time stamp, flushed (fine in cron logs)."""
    print(f"[{datetime.now():%H:%M:%S}] {text}", flush=True)


def run_measure(
    params_path: Path | str,
    run_dir: Path | str,
    *,
    cwd: Path | str | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    kernel: str | None = None,
    params: Any = None,
) -> MeasureOutcome:
    """Run one measure into ``run_dir``: notebook, JSON, HTML; never raises for the measure's own
    failures (they produce a failed JSON and page)."""
    started = time.monotonic()
    path = Path(params_path).resolve()
    run_dir = Path(run_dir).resolve()
    cwd = Path(cwd or Path.cwd()).resolve()
    if params is None:
        try:
            with contextlib.chdir(cwd):
                params = load_checked_params(path)
        except Exception as exc:  # noqa: BLE001 - invalid params: failed page, no kernel
            return write_failed(run_dir, path, None, exc, "params", time.monotonic() - started)
    measure = measure_id_of(params, path)
    nb_out = run_dir / f"{measure}.ipynb"
    json_out = run_dir / f"{measure}.json"
    try:
        execute(
            MEASURE_NOTEBOOK,
            nb_out,
            {"params_file": str(path), "out_dir": str(run_dir), "project_root": str(cwd)},
            cwd=cwd,
            timeout=timeout,
            kernel=kernel or ensure_kernel(),
        )
    except Exception as exc:  # noqa: BLE001 - a failed notebook is a failed measure
        stage = exc.stage if isinstance(exc, RunError) and exc.stage else "report"
        return write_failed(run_dir, path, params, exc, stage, time.monotonic() - started)
    results = json.loads(json_out.read_text(encoding="utf-8")) if json_out.exists() else {}
    title = results.get("title") or measure
    from evalkit.report import export

    html_out = export.export_notebook(
        nb_out,
        run_dir / f"{measure}.html",
        title=title,
        lang=results.get("lang") or _lang_of(params),
    )
    status = results.get("status", "failed")
    error = (results.get("error") or {}).get("message")
    return MeasureOutcome(
        measure,
        status,
        time.monotonic() - started,
        str(json_out),
        str(html_out),
        str(nb_out),
        error,
    )


def _measure_job(params_path: str, run_dir: str, cwd: str, timeout: int, kernel: str) -> dict:
    """Worker entry point for ``run_all`` (module level so a process pool can pickle it).

    The worker's stderr (and so its kernel's) goes to ``<stem>.log`` in the run folder, keeping
    the terminal to one line per measure.
    """
    tee(_say, Path(run_dir) / "run.log")(f"start  {Path(params_path).stem}")
    with stderr_to(Path(run_dir) / f"{Path(params_path).stem}.log"):
        outcome = run_measure(params_path, run_dir, cwd=cwd, timeout=timeout, kernel=kernel)
    return asdict(outcome)


@contextlib.contextmanager
def stderr_to(log: Path) -> Iterator[None]:
    """Send this process's stderr (file descriptor 2, inherited by kernels) to a log file."""
    sys.stderr.flush()
    saved = os.dup(2)
    with open(log, "a", encoding="utf-8") as handle:
        os.dup2(handle.fileno(), 2)
        try:
            yield
        finally:
            sys.stderr.flush()
            os.dup2(saved, 2)
            os.close(saved)


def tee(say: Callable[[str], None], log: Path) -> Callable[[str], None]:
    """A progress printer that also appends each line to the run's log file."""

    def both(text: str) -> None:
        say(text)
        with open(log, "a", encoding="utf-8") as handle:
            handle.write(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] {text}\n")

    return both


def run_portfolio(
    run_dir: Path,
    *,
    cwd: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    kernel: str | None = None,
    lang: str = "",
) -> Path:
    """Execute the portfolio notebook over a run folder's JSON files and export ``index.html``."""
    cwd = Path(cwd or Path.cwd()).resolve()
    nb_out = run_dir / f"{PORTFOLIO_STEM}.ipynb"
    with stderr_to(run_dir / f"{PORTFOLIO_STEM}.log"):
        execute(
            PORTFOLIO_NOTEBOOK,
            nb_out,
            {"run_dir": str(run_dir), "lang": lang},
            cwd=cwd,
            timeout=timeout,
            kernel=kernel or ensure_kernel(),
        )
    from evalkit.report import export
    from evalkit.report.portfolio_page import page_lang, page_title

    page_language = page_lang(run_dir, lang)
    return export.export_notebook(
        nb_out,
        run_dir / f"{PORTFOLIO_STEM}.html",
        title=page_title(page_language),
        lang=page_language,
    )


def run_one(
    params_path: Path | str,
    out_root: Path | str,
    *,
    timeout: int = DEFAULT_TIMEOUT,
    say: Callable[[str], None] = _say,
) -> tuple[Path, MeasureOutcome]:
    """``evalkit run``: one measure into a new dated run folder; ``latest`` updated at the end."""
    run_dir = new_run_dir(out_root)
    say = tee(say, run_dir / "run.log")
    say(f"run folder {run_dir}")
    say(f"start  {Path(params_path).stem}")
    with stderr_to(run_dir / f"{Path(params_path).stem}.log"):
        outcome = run_measure(params_path, run_dir, timeout=timeout)
    say(_done_line(outcome))
    update_latest(run_dir)
    return run_dir, outcome


def _done_line(o: MeasureOutcome) -> str:
    status = "ok    " if o.ok else "FAILED"
    tail = f"  ({o.error})" if o.error and not o.ok else ""
    return f"{status} {o.measure_id}  {o.seconds:.1f} s{tail}"


def run_all(
    params_dir: Path | str,
    out_root: Path | str,
    *,
    jobs: int = 2,
    timeout: int = DEFAULT_TIMEOUT,
    say: Callable[[str], None] = _say,
) -> RunSummary:
    """``evalkit run-all``: every measure in parallel into one new run folder, then ``index.html``.

    Params are validated before any kernel starts; invalid ones get their failed page at once.
    """
    started = time.monotonic()
    files = measure_files(params_dir)
    run_dir = new_run_dir(out_root)
    cwd = Path.cwd().resolve()
    say = tee(say, run_dir / "run.log")
    say(f"run folder {run_dir}: {len(files)} measures, {jobs} at a time")
    outcomes: list[MeasureOutcome] = []
    valid: list[Path] = []
    for path in files:
        try:
            load_checked_params(path)
            valid.append(path)
        except Exception as exc:  # noqa: BLE001 - reported per measure, others go on
            outcome = write_failed(run_dir, path.resolve(), None, exc, "params", 0.0)
            outcomes.append(outcome)
            say(_done_line(outcome))
    kernel = ensure_kernel() if valid else KERNEL_NAME
    outcomes.extend(_run_parallel(valid, run_dir, cwd, timeout, kernel, max(1, jobs), say))
    index: Path | None = None
    try:
        say("start  portfolio")
        index = run_portfolio(run_dir, cwd=cwd, timeout=timeout, kernel=kernel)
        say(f"ok     portfolio  {index.name}")
    except Exception as exc:  # noqa: BLE001 - the measures' pages stand even without an index
        say(f"FAILED portfolio  ({type(exc).__name__}: {exc})")
    update_latest(run_dir)
    summary = RunSummary(
        run_dir, sorted(outcomes, key=lambda o: o.measure_id), index, time.monotonic() - started
    )
    n_failed = sum(not o.ok for o in summary.outcomes)
    say(
        f"finished in {summary.seconds:.1f} s: {len(summary.outcomes) - n_failed} ok, "
        f"{n_failed} failed; {run_dir}"
    )
    return summary


def _run_parallel(
    files: Iterable[Path],
    run_dir: Path,
    cwd: Path,
    timeout: int,
    kernel: str,
    jobs: int,
    say: Callable[[str], None],
) -> list[MeasureOutcome]:
    """Run measures in a process pool; a crashed worker becomes that measure's failed page."""
    files = list(files)
    if not files:
        return []
    outcomes = []
    ctx = multiprocessing.get_context("spawn")
    with ProcessPoolExecutor(max_workers=min(jobs, len(files)), mp_context=ctx) as pool:
        futures = {
            pool.submit(_measure_job, str(p), str(run_dir), str(cwd), timeout, kernel): p
            for p in files
        }
        for future in as_completed(futures):
            path = futures[future]
            try:
                outcome = MeasureOutcome(**future.result())
            except Exception as exc:  # noqa: BLE001 - worker crash
                outcome = write_failed(
                    run_dir,
                    path,
                    None,
                    RunError(f"the worker process stopped ({type(exc).__name__})", stage="kernel"),
                    "kernel",
                    0.0,
                )
            outcomes.append(outcome)
            say(_done_line(outcome))
    return outcomes


__all__ = [
    "DEMO_PSEUDONYM_KEY",
    "MeasureOutcome",
    "RunSummary",
    "ensure_demo_key",
    "ensure_kernel",
    "new_run_dir",
    "run_all",
    "run_measure",
    "run_one",
    "run_portfolio",
    "update_latest",
]
