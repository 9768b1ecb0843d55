"""Writing results files and building the failed-run dict; JSON-safe values."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EvalkitError
from evalkit.params import Params
from evalkit.pipeline.provenance import (
    evalkit_version,
    git_commit,
    header,
    now_utc,
    package_versions,
)


def failed_result(params_or_path: Any, error: BaseException, stage: str) -> dict[str, Any]:
    """The ``"status": "failed"`` results dict: what failed, where, and which measure."""
    message = str(error) if isinstance(error, EvalkitError) else type(error).__name__
    base: dict[str, Any]
    if isinstance(params_or_path, Params):
        base = header(params_or_path)
    else:
        stem = Path(str(params_or_path)).stem if params_or_path else "unknown"
        base = {
            "measure_id": stem,
            "title": stem,
            "evalkit_version": evalkit_version(),
            "params": {"file": str(params_or_path)} if params_or_path else {},
            "created": now_utc(),
            "commit": git_commit(),
            "packages": package_versions(),
            "seed": None,
            "lang": "sv",
            "min_cell": 5,
        }
    return json_safe(
        {
            **base,
            "status": "failed",
            "error": {"type": type(error).__name__, "message": message, "stage": stage},
            "estimates": [],
            "goals": [],
            "costs": {},
            "credibility": [],
            "diagnostics": {},
        }
    )


def json_safe(value: Any) -> Any:
    """Plain JSON types: numpy scalars unwrapped, NaN/inf as None, dates as ISO text."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating)):
        f = float(value)
        return f if math.isfinite(f) else None
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, (pd.Timestamp, datetime)):
        return value.isoformat()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is None or isinstance(value, str):
        return value
    if value is pd.NA or value is pd.NaT:
        return None
    return str(value)


def write_results(results: dict[str, Any], path: str | Path) -> Path:
    """Write a results dict as JSON: sorted keys, shortest round-trip floats, NaN as null."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_safe(results), sort_keys=True, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path
