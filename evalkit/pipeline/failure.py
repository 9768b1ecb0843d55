"""A failed run as results: what failed, in which stage, and which measure (never data)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalkit.errors import (
    DataError,
    EstimationError,
    EvalkitError,
    ParamsError,
    PseudonymKeyError,
    RunError,
)
from evalkit.params import Params
from evalkit.pipeline.provenance import anonymous_header, header
from evalkit.results import MeasureResults, RunFailure

#: Stages a failure can belong to (the failed page words each).
STAGES = ("params", "data", "analysis", "report", "kernel", "timeout")


def stage_of(error: BaseException) -> str:
    """Which stage an error belongs to (for the failed page)."""
    if isinstance(error, ParamsError):
        return "params"
    if isinstance(error, (DataError, PseudonymKeyError)):
        return "data"
    if isinstance(error, RunError) and error.stage in STAGES:
        return error.stage
    if isinstance(error, EstimationError):
        return "analysis"
    return "analysis"


def failed_result(
    params_or_path: Params | str | Path | None,
    error: BaseException,
    stage: str,
    *,
    lang: str | None = None,
) -> MeasureResults:
    """The ``"status": "failed"`` results: what failed, where, and which measure.

    Only an evalkit error's message is kept (evalkit never puts data in one); any other error is
    named by its type alone, since a foreign message may quote data values.
    """
    message = str(error) if isinstance(error, EvalkitError) else type(error).__name__
    if isinstance(params_or_path, Params):
        base = header(params_or_path)
    else:
        base = anonymous_header(params_or_path, lang or "sv")
    fields: dict[str, Any] = dict(base)
    if lang in ("sv", "en"):
        fields["lang"] = lang
    return MeasureResults(
        **fields,
        status="failed",
        error=RunFailure(
            type=type(error).__name__,
            message=message,
            stage=stage if stage in STAGES else "analysis",
        ),
    )
