"""Run every ``benchmarks/bench_*.py`` that defines ``main()``, one after another."""

from __future__ import annotations

import importlib
import inspect
import sys
from pathlib import Path


def main() -> int:
    """Import each benchmark module and call its ``main`` with no arguments; report failures."""
    failed = []
    for path in sorted(Path(__file__).parent.glob("bench_*.py")):
        module = importlib.import_module(f"benchmarks.{path.stem}")
        run = getattr(module, "main", None)
        if not callable(run):
            continue
        print(f"== {path.stem}", flush=True)
        try:
            run([]) if inspect.signature(run).parameters else run()
        except Exception as exc:  # one failing benchmark must not hide the others' numbers
            print(f"{path.stem} failed: {type(exc).__name__}: {exc}", file=sys.stderr)
            failed.append(path.stem)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
