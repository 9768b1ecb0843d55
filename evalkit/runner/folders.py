"""Run folders: dated, never overwritten, ``latest`` pointing at the newest; params folders."""

from __future__ import annotations

import contextlib
import os
import shutil
from datetime import datetime
from pathlib import Path

from evalkit.errors import ParamsError, RunError

#: Params files in a params folder that are shared defaults, not measures.
NOT_MEASURES = frozenset({"defaults.yaml"})
LATEST = "latest"
LATEST_FILE = "LATEST"
#: The run's scratch folder for validated registers (person-level, pseudonymised): removed when
#: the run ends, so nothing in it is ever published.
CACHE_DIR = ".cache"


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


def municipality_dirs(params_dir: Path | str) -> list[Path]:
    """The municipalities of a params tree: its subfolders holding measure files, by name.

    A folder with measure files of its own is one params folder, not a tree: empty list.
    """
    folder = Path(params_dir)
    if measure_files(folder):
        return []
    return sorted(
        p
        for p in folder.iterdir()
        if p.is_dir() and not p.name.startswith(".") and measure_files(p)
    )


def cache_dir(run_dir: Path) -> Path:
    """The run's cache folder (created on demand by the data cache)."""
    return run_dir / CACHE_DIR


def remove_cache(run_dir: Path) -> None:
    """Delete the run's cache folder: it holds person-level tables and is never published."""
    shutil.rmtree(cache_dir(run_dir), ignore_errors=True)
