"""Validated registers memoised on disk, so a run loads and validates its data once.

Every measure of a run reads the same registers. When ``EVALKIT_CACHE_DIR`` is set (the runner
sets it to ``<run folder>/.cache``), ``load_and_validate`` keeps the clean tables, the quarantined
rows and the validation report as Parquet and JSON under a key of the source (its settings, the
size and modification time of its files, the column mapping, the period, a keyed digest of the
pseudonymisation key and the evalkit version); the first measure builds the entry while the
others wait on a file lock, then read it. Without the variable, or when validation stops with an
error, it is exactly ``evalkit.data.validate.load_and_validate``.

The entries hold pseudonymised person-level rows: the runner deletes the folder when the run
ends, so nothing in it is published. Each measure still gets its own quarantine file.
"""

from __future__ import annotations

import contextlib
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import shutil
import tempfile
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import pandas as pd

from evalkit.data import quarantine as q
from evalkit.data import validate
from evalkit.data.pseudonym import KEY_ENV
from evalkit.project import CACHE_ENV

#: Bumped when the entry layout changes.
LAYOUT = 1
#: Source kinds whose data live in files (their size and modification time enter the key).
FILE_KINDS = frozenset({"csv", "parquet", "excel", "duckdb", "sqlite"})
REPORT_FILE = "report.json"
QUARANTINE_FILE = "quarantine.parquet"
TABLES_DIR = "tables"


def cache_folder() -> Path | None:
    """The cache folder from ``EVALKIT_CACHE_DIR``, or None when caching is off."""
    value = os.environ.get(CACHE_ENV)
    return Path(value) if value else None


def _file_stamps(source: Mapping[str, Any]) -> list[list[Any]]:
    """Path, size and modification time of every file a file source reads (a folder's files)."""
    if source.get("kind") not in FILE_KINDS or not source.get("path"):
        return []
    path = Path(str(source["path"])).resolve()
    files = sorted(p for p in path.iterdir() if p.is_file()) if path.is_dir() else [path]
    stamps = []
    for f in files:
        with contextlib.suppress(OSError):
            st = f.stat()
            stamps.append([str(f), st.st_size, st.st_mtime_ns])
    return stamps


def _key_digest(key: bytes | str | None) -> str:
    """A keyed digest telling pseudonymisation keys apart without storing or revealing them."""
    secret = key if key is not None else os.environ.get(KEY_ENV, "")
    raw = secret.encode() if isinstance(secret, str) else bytes(secret)
    return hmac.new(raw, b"evalkit-cache", hashlib.sha256).hexdigest()


def source_key(
    source: Mapping[str, Any],
    *,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    period: tuple[str, str] | None = None,
    key: bytes | str | None = None,
) -> str:
    """The cache key of a load: same source, files, mapping, period and key give the same key."""
    spec = {
        "layout": LAYOUT,
        "source": {k: v for k, v in source.items() if k != "columns"},
        "columns": columns,
        "period": list(period) if period else None,
        "files": _file_stamps(source),
        "key": _key_digest(key),
    }
    text = json.dumps(spec, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on ``path`` (one builder per entry; the others wait, then read)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+b") as handle:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


def write_entry(entry: Path, validated: validate.Validated) -> Path:
    """Write a validation's tables, quarantine and report into ``entry`` (atomically)."""
    tmp = Path(tempfile.mkdtemp(prefix=f".{entry.name}.", dir=entry.parent))
    try:
        (tmp / TABLES_DIR).mkdir()
        for name, frame in validated.tables.items():
            frame.to_parquet(tmp / TABLES_DIR / f"{name}.parquet", index=False)
        q.write_quarantine(validated.quarantine, tmp / QUARANTINE_FILE)
        report = dataclasses.asdict(validated.report)
        report["quarantine_file"] = None
        (tmp / REPORT_FILE).write_text(json.dumps(report), encoding="utf-8")
        os.replace(tmp, entry)
    except BaseException:
        shutil.rmtree(tmp, ignore_errors=True)
        raise
    return entry


def read_entry(entry: Path) -> validate.Validated:
    """A validation read back from ``entry``: the same tables (types included) and report."""
    tables = {p.stem: pd.read_parquet(p) for p in sorted((entry / TABLES_DIR).glob("*.parquet"))}
    report = validate.ValidationReport(
        **json.loads((entry / REPORT_FILE).read_text(encoding="utf-8"))
    )
    quarantine = q.read_quarantine(entry / QUARANTINE_FILE)
    if quarantine.empty:  # Parquet cannot keep an empty frame's pandas types: rebuild them
        values = [c for c in quarantine.columns if c not in q.QUARANTINE_COLUMNS]
        quarantine = q.empty_quarantine(values)
    return validate.Validated(tables, quarantine, report)


def load_and_validate(source: Mapping[str, Any], **options: Any) -> validate.Validated:
    """``validate.load_and_validate(source, **options)`` (same options), memoised in
    ``EVALKIT_CACHE_DIR`` when that is set."""
    folder = cache_folder()
    if folder is None or not options.get("raise_fatal", True):
        return validate.load_and_validate(source, **options)
    keyed = {k: options.get(k) for k in ("columns", "period", "key")}
    entry = folder / source_key(source, **keyed)
    quarantine_path = options.get("quarantine_path")
    with _locked(entry.with_suffix(".lock")):
        if entry.is_dir():
            validated = read_entry(entry)
            if quarantine_path is not None:
                validated.write_quarantine(quarantine_path)
            return validated
        validated = validate.load_and_validate(source, **options)
        write_entry(entry, validated)
    return validated
