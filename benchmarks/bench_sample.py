"""Benchmark: the analysis sample of one measure for a city of 200,000 persons x 120 months.

The synthetic city (``evalkit.data.synth.generate`` with ``period=("2016-01", "2025-12")`` and
no counterfactual truth) is generated once and cached as Parquet under benchmarks/results/.
A fresh child process then loads the registers and builds the sample, so that its peak
resident memory (``resource.getrusage``, which includes DuckDB's own allocations) belongs to
this job alone. Reported: wall times of generation, loading, ``build_sample``, ``panel()`` and
``stacked()``; the peak RSS of the process during each step (the mark is reset before each
step, so a step's peak includes the registers already loaded); row counts.
Run: ``python -m benchmarks.bench_sample [--persons N] [--measure ID]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
PERIOD = ("2016-01", "2025-12")
TABLES = ("persons", "measures", "participations", "assistance", "status")


def _peak_mib() -> float:
    """Peak resident set size of this process (since the last reset), in MiB.

    Reads VmHWM from /proc (reset by ``_reset_peak``); elsewhere falls back to ru_maxrss,
    which Linux would carry over from the parent across fork and exec.
    """
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak() -> None:
    """Reset the peak-RSS mark to the current RSS (Linux: write 5 to /proc/self/clear_refs)."""
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def generate_city(persons: int, seed: int, folder: Path) -> dict[str, Any]:
    """Generate the city once and cache its registers as Parquet; return timing and sizes."""
    from evalkit.data.synth import generate

    marker = folder / "city.json"
    if marker.exists():
        return json.loads(marker.read_text())
    folder.mkdir(parents=True, exist_ok=True)
    t0 = time.perf_counter()
    data = generate(persons=persons, seed=seed, period=PERIOD, truth=False)
    seconds = time.perf_counter() - t0
    rows = {}
    for name in TABLES:
        frame = data.tables[name].rename(columns={"personnummer": "person_id"})
        frame.to_parquet(folder / f"{name}.parquet", index=False)
        rows[name] = len(frame)
    info = {
        "persons": persons,
        "seed": seed,
        "period": list(PERIOD),
        "generate_seconds": round(seconds, 2),
        "generate_peak_rss_mib": round(_peak_mib(), 1),
        "rows": rows,
    }
    marker.write_text(json.dumps(info, indent=2))
    return info


def measure(folder: Path, measure_id: str) -> dict[str, Any]:
    """Load the cached registers and build the sample, timing each step (run in a child)."""
    from evalkit.data.sample import build_sample

    out: dict[str, Any] = {"measure_id": measure_id}
    t0 = time.perf_counter()
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    out["load_seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_load_mib"] = round(_peak_mib(), 1)
    t0 = time.perf_counter()
    _reset_peak()
    sample = build_sample(tables, measure_id)
    out["build_sample_seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_build_sample_mib"] = round(_peak_mib(), 1)
    info = sample.describe()
    out.update({k: info[k] for k in ("n_eligible", "n_treated", "n_control")})
    out["frame_rows"] = len(sample.frame)
    _reset_peak()
    t0 = time.perf_counter()
    out["panel_rows"] = len(sample.panel())
    out["panel_seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_panel_mib"] = round(_peak_mib(), 1)
    _reset_peak()
    t0 = time.perf_counter()
    out["stacked_rows"] = len(sample.stacked())
    out["stacked_seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_stacked_mib"] = round(_peak_mib(), 1)
    return out


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Generate (or reuse) the city, build the sample in a child process, print and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--measure", default="jobbspar_vard")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.measure)))
        return {}
    folder = RESULTS / f"city_{args.persons}_{args.seed}"
    city = generate_city(args.persons, args.seed, folder)
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_sample", "--child", str(folder),
         "--measure", args.measure],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    result = {"city": city, "sample": json.loads(child.stdout.strip().splitlines()[-1])}
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bench_sample.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
