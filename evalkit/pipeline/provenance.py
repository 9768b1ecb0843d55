"""The provenance header of every results file: versions, commit, time, params."""

from __future__ import annotations

import platform
import subprocess
from datetime import UTC, datetime
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Any

from evalkit.params import Params
from evalkit.results import Provenance
from evalkit.version import __version__

#: Packages whose versions the reproducibility footer lists.
PACKAGES = (
    "numpy",
    "pandas",
    "scipy",
    "statsmodels",
    "linearmodels",
    "duckdb",
    "pyarrow",
    "pydantic",
)


def evalkit_version() -> str:
    """The installed evalkit version."""
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


def header(params: Params) -> Provenance:
    """The fields every results file carries, ok or failed."""
    return Provenance(
        measure_id=params.measure_id,
        title=params.title,
        evalkit_version=evalkit_version(),
        params=params.to_json(),
        created=now_utc(),
        commit=git_commit(),
        packages=package_versions(),
        seed=params.report.seed,
        lang=params.report.lang,
        min_cell=params.report.min_cell,
    )


def anonymous_header(path: Any, lang: str = "sv") -> Provenance:
    """The header of a run whose params could not be read: named after the file."""
    stem = Path(str(path)).stem if path else "unknown"
    return Provenance(
        measure_id=stem,
        title=stem,
        evalkit_version=evalkit_version(),
        params={"file": str(path)} if path else {},
        created=now_utc(),
        commit=git_commit(),
        packages=package_versions(),
        lang=lang,
    )
