"""Reproducibility fields of a results dict: versions, commit, time, params."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from evalkit.params import Params

#: Packages whose versions the reproducibility footer lists.
PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "linearmodels",
    "scikit-learn",
    "duckdb",
    "pyarrow",
    "pydantic",
)


def evalkit_version() -> str:
    """The installed evalkit version."""
    from evalkit import __version__

    return __version__


def package_versions() -> dict[str, str]:
    """Versions of the packages the numbers depend on (and Python's)."""
    out = {"python": platform.python_version()}
    for name in PACKAGES:
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            continue
    return out


def git_commit() -> str | None:
    """The source tree's short commit hash, if evalkit runs from a git checkout."""
    root = Path(__file__).resolve().parents[2]
    try:
        done = subprocess.run(
            ["git", "-C", str(root), "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            timeout=5,
            check=False,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() or None if done.returncode == 0 else None


def now_utc() -> str:
    """The current time, ISO 8601 in UTC to the second."""
    return datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def header(params: Params) -> dict[str, Any]:
    """The fields every results dict carries, ok or failed."""
    return {
        "measure_id": params.measure_id,
        "title": params.title,
        "evalkit_version": evalkit_version(),
        "params": params.to_json(),
        "created": now_utc(),
        "commit": git_commit(),
        "packages": package_versions(),
        "seed": params.report.seed,
        "lang": params.report.lang,
        "min_cell": params.report.min_cell,
    }
