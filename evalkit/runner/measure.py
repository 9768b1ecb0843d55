"""One notebook into a run folder: a measure's page, JSON and notebook, or a portfolio page.

A measure's own failure never raises here: invalid params, a kernel that never starts, a cell
that fails or times out all end in a ``"status": "failed"`` JSON (built by the pipeline's
``failed_result``) and a page that says what failed, in plain words.
"""

from __future__ import annotations

import contextlib
import json
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evalkit.errors import RunError
from evalkit.runner.execution import (
    DEFAULT_TIMEOUT,
    MEASURE_NOTEBOOK,
    PORTFOLIO_NOTEBOOK,
    execute,
    safe_error,
)
from evalkit.runner.kernel import ensure_kernel

PORTFOLIO_STEM = "index"


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


def load_checked_params(path: Path | str) -> Any:
    """Load and validate a params file (``evalkit.params.load_params``); raises ParamsError."""
    from evalkit.params import load_params

    return load_params(Path(path))


def measure_id_of(params: Any, path: Path | str) -> str:
    """The measure id from params, else the file's stem."""
    value = getattr(params, "measure_id", None) if params is not None else None
    return str(value or Path(path).stem)


def lang_of(params: Any) -> str:
    """The report language of a params object (sv unless it says en)."""
    report = getattr(params, "report", None)
    lang = getattr(report, "lang", None) if report is not None else None
    return lang if lang in ("sv", "en") else "sv"


def minimal_failed_result(params: Any, path: Path, error: BaseException, stage: str) -> Any:
    """The smallest failed results DESIGN 6 allows, for when the pipeline itself is broken."""
    from evalkit.results import MeasureResults, RunFailure

    return MeasureResults(
        measure_id=measure_id_of(params, path),
        title=getattr(params, "title", None) or measure_id_of(params, path),
        status="failed",
        lang=lang_of(params),
        error=RunFailure(type=type(error).__name__, message=str(error), stage=stage),
    )


def write_failed(
    run_dir: Path,
    path: Path,
    params: Any,
    error: BaseException,
    stage: str,
    seconds: float,
) -> MeasureOutcome:
    """Write a failed measure's JSON (the pipeline's ``failed_result``, protected once) and its
    plain-words page; should the pipeline itself be broken, minimal failed results instead."""
    from evalkit.audit.disclosure import protect
    from evalkit.report import export, sections

    measure = measure_id_of(params, path)
    safe = safe_error(error, stage)
    try:
        from evalkit.pipeline import failed_result

        results = failed_result(params if params is not None else path, safe, stage)
    except Exception as exc:  # noqa: BLE001 - a failing measure must still get its page
        results = minimal_failed_result(params, path, safe, stage)
        results.error.pipeline_error = type(exc).__name__
    page = protect(results)
    json_path = page.write(run_dir / f"{measure}.json")
    error_message = page.error.message if page.error else str(safe)
    parts = [sections.title(page).html, sections.failed(page).html]
    html_path = run_dir / f"{measure}.html"
    html_path.write_text(
        export.html_page(parts, title=page.title or measure, lang=page.lang), encoding="utf-8"
    )
    return MeasureOutcome(
        measure, "failed", seconds, str(json_path), str(html_path), None, error_message
    )


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
    from evalkit.report import export

    html_out = export.export_notebook(
        nb_out,
        run_dir / f"{measure}.html",
        title=results.get("title") or measure,
        lang=results.get("lang") or lang_of(params),
    )
    return MeasureOutcome(
        measure,
        results.get("status", "failed"),
        time.monotonic() - started,
        str(json_out),
        str(html_out),
        str(nb_out),
        (results.get("error") or {}).get("message"),
    )


def run_portfolio(
    run_dir: Path,
    *,
    cwd: Path | None = None,
    timeout: int = DEFAULT_TIMEOUT,
    kernel: str | None = None,
    lang: str = "",
) -> Path:
    """Execute the portfolio notebook over a run folder's JSON files and export ``index.html``."""
    from evalkit.report import export
    from evalkit.report.portfolio_page import page_lang, page_title

    cwd = Path(cwd or Path.cwd()).resolve()
    nb_out = run_dir / f"{PORTFOLIO_STEM}.ipynb"
    execute(
        PORTFOLIO_NOTEBOOK,
        nb_out,
        {"run_dir": str(run_dir), "lang": lang},
        cwd=cwd,
        timeout=timeout,
        kernel=kernel or ensure_kernel(),
    )
    page_language = page_lang(run_dir, lang)
    return export.export_notebook(
        nb_out,
        run_dir / f"{PORTFOLIO_STEM}.html",
        title=page_title(page_language),
        lang=page_language,
    )
