"""Where a project lives, which key pseudonymises its data and where a run keeps its data cache:
shared by pipeline, data, CLI and runner.

Relative paths in params files resolve against the project root (the nearest folder holding
``params/``); the synthetic demo municipality, and only it, may run with a fixed demo key.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Any

#: The pseudonymisation key used only for the synthetic demo municipality (never for real data).
DEMO_PSEUDONYM_KEY = "evalkit-demo-key-SYNTHETIC-DATA-ONLY-not-a-secret"
KEY_ENV = "EVALKIT_PSEUDONYM_KEY"
#: The folder where a run keeps its validated registers (set by the runner, read by data.cache).
CACHE_ENV = "EVALKIT_CACHE_DIR"


def find_project_root(start: Path | None = None) -> Path:
    """The nearest folder at or above ``start`` holding ``params/`` (the demo's project root)."""
    here = (start or Path.cwd()).resolve()
    for folder in (here, *here.parents):
        if (folder / "params").is_dir():
            return folder
    return here


def is_synthetic_source(path: Path | str | None) -> bool:
    """Whether a data file is evalkit's synthetic municipality (``synth`` writes a truth file)."""
    if not path:
        return False
    p = Path(path)
    return p.exists() and p.with_name(p.stem + ".truth.json").exists()


def ensure_demo_key(source_path: Path | str | None) -> bool:
    """Set the demo pseudonymisation key when the data are synthetic and no key is set.

    Real registers never have a truth file beside them, so they still need a real key.
    Returns True when the demo key was set.
    """
    if os.environ.get(KEY_ENV) or not is_synthetic_source(source_path):
        return False
    os.environ[KEY_ENV] = DEMO_PSEUDONYM_KEY
    print(f"evalkit: synthetic demo data, using the demo {KEY_ENV}", file=sys.stderr)
    return True


def source_path(params: Any) -> str | None:
    """The data file a params object points at (None for URL sources)."""
    data = params.get("data") if isinstance(params, dict) else getattr(params, "data", None)
    source = data.get("source") if isinstance(data, dict) else getattr(data, "source", None)
    path = source.get("path") if isinstance(source, dict) else getattr(source, "path", None)
    return str(path) if path else None
