"""Progress lines for terminals and cron logs, and where a worker's stderr goes."""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable, Iterator
from datetime import datetime
from pathlib import Path

#: The run's own log: every progress line, with the date.
RUN_LOG = "run.log"

Say = Callable[[str], None]


def say(text: str) -> None:
    """One progress line with a time stamp, flushed (fine in cron logs).

    Written in one call with its newline: pool workers print their start lines into the same
    pipe, and a line written in two pieces can be split by another process's line.
    """
    sys.stdout.write(f"[{datetime.now():%H:%M:%S}] {text}\n")
    sys.stdout.flush()


def append_log(log: Path, text: str) -> None:
    """Append one dated line to a run log."""
    with open(log, "a", encoding="utf-8") as handle:
        handle.write(f"[{datetime.now():%Y-%m-%d %H:%M:%S}] {text}\n")


def tee(printer: Say, log: Path) -> Say:
    """A progress printer that also appends each line to the run's log file."""

    def both(text: str) -> None:
        printer(text)
        append_log(log, text)

    return both


def start_line(name: str) -> str:
    """The line printed when a notebook starts."""
    return f"start  {name}"


def done_line(measure_id: str, ok: bool, seconds: float, error: str | None = None) -> str:
    """The line printed when a measure ends: status, id, seconds and, when failed, why."""
    status = "ok    " if ok else "FAILED"
    tail = f"  ({error})" if error and not ok else ""
    return f"{status} {measure_id}  {seconds:.1f} s{tail}"


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
