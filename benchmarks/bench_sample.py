"""Benchmark: the analysis sample of one measure for a city of 200,000 persons x 120 months,
and (``--national``) for 1,000,000 persons x 120 months read from Parquet partitioned by year.

The synthetic city (``evalkit.data.synth.generate`` with ``period=("2016-01", "2025-12")``, the
default scenario and no counterfactual truth) is generated once and cached as Parquet under
benchmarks/results/. A fresh child process then builds the sample, so that its peak resident
memory (VmHWM, which includes DuckDB's own allocations) belongs to this job alone. The sample
carries the full pre-programme histories, 36-month pre and post paths, cumulative outcomes and
attrition columns.

- Default (city of ``--persons``, in memory): the child loads the registers into pandas, as the
  pipeline does, and builds the sample from the frames. Reported: wall times of loading,
  ``build_sample`` (and its CPU seconds, all threads), ``panel()`` and ``stacked()``; the peak RSS during each step (the mark is
  reset before each step, so a step's peak includes the registers already loaded); row counts.
- ``--national``: five copies of the 200,000-person city under new person and household ids
  (1,000,000 persons, 120 million status rows), written by DuckDB as Parquet with ``status`` and
  ``assistance`` partitioned by year. The child hands ``build_sample`` the file paths: DuckDB
  reads them itself under ``--memory-limit`` (default 8GB) and spills to a temporary folder;
  nothing passes through pandas but the sample itself.

Run: ``python -m benchmarks.bench_sample [--persons N] [--measure ID]`` or
``python -m benchmarks.bench_sample --national [--memory-limit 8GB]``.
"""

from __future__ import annotations

import argparse
import contextlib
import json
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pandas as pd

RESULTS = Path(__file__).resolve().parent / "results"
PERIOD = ("2016-01", "2025-12")
TABLES = ("persons", "measures", "participations", "assistance", "status")
BY_YEAR = ("assistance", "status")
COPIES = 5


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
        "scenario": data.scenario,
        "period": list(PERIOD),
        "generate_seconds": round(seconds, 2),
        "generate_peak_rss_mib": round(_peak_mib(), 1),
        "rows": rows,
    }
    marker.write_text(json.dumps(info, indent=2))
    return info


def national_registers(city: Path, folder: Path, copies: int = COPIES) -> dict[str, Any]:
    """Write ``copies`` copies of the cached city under new ids, by year where dated (DuckDB)."""
    import duckdb

    marker = folder / "national.json"
    if marker.exists():
        return json.loads(marker.read_text())
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    con = duckdb.connect()
    con.execute("SET preserve_insertion_order = false")
    con.execute(f"SET temp_directory = '{folder / 'tmp'}'")
    t0 = time.perf_counter()
    rows = {}
    ids = {"person_id": "p", "household_id": "h"}
    for name in TABLES:
        src = city / f"{name}.parquet"
        cols = [d[0] for d in con.execute(f"SELECT * FROM '{src}' LIMIT 0").description]
        if name == "measures":
            query = f"SELECT * FROM '{src}'"
        else:
            select = ", ".join(f"{c} || '-{ids[c]}' || k AS {c}" if c in ids else c for c in cols)
            query = f"SELECT {select} FROM '{src}' CROSS JOIN range({copies}) r(k)"
        if name in BY_YEAR:
            target = folder / name
            query = f"SELECT *, year(month) AS year FROM ({query})"
            con.execute(f"COPY ({query}) TO '{target}' (FORMAT parquet, PARTITION_BY (year))")
        else:
            con.execute(f"COPY ({query}) TO '{folder / name}.parquet' (FORMAT parquet)")
        rows[name] = con.execute(
            f"SELECT COUNT(*) FROM read_parquet('{_glob(folder, name)}')"
        ).fetchall()[0][0]
    con.close()
    shutil.rmtree(folder / "tmp", ignore_errors=True)
    info = {"copies": copies, "write_seconds": round(time.perf_counter() - t0, 1), "rows": rows}
    marker.write_text(json.dumps(info, indent=2))
    return info


def _glob(folder: Path, name: str) -> str:
    return f"{folder / name}/**/*.parquet" if name in BY_YEAR else f"{folder / name}.parquet"


def measure(folder: Path, measure_id: str) -> dict[str, Any]:
    """Load the cached registers and build the sample, timing each step (run in a child)."""
    from evalkit.data.sample import build_sample

    out: dict[str, Any] = {"measure_id": measure_id}
    t0 = time.perf_counter()
    tables = {name: pd.read_parquet(folder / f"{name}.parquet") for name in TABLES}
    out["load_seconds"] = round(time.perf_counter() - t0, 2)
    out["peak_rss_load_mib"] = round(_peak_mib(), 1)
    t0, c0 = time.perf_counter(), time.process_time()
    _reset_peak()
    sample = build_sample(tables, measure_id)
    out["build_sample_seconds"] = round(time.perf_counter() - t0, 2)
    out["build_sample_cpu_seconds"] = round(time.process_time() - c0, 2)
    out["peak_rss_build_sample_mib"] = round(_peak_mib(), 1)
    info = sample.describe()
    out.update({k: info[k] for k in ("n_eligible", "n_treated", "n_control")})
    out["frame_rows"], out["frame_columns"] = sample.frame.shape
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


def measure_national(folder: Path, measure_id: str, memory_limit: str) -> dict[str, Any]:
    """Build the sample straight from the Parquet files under a DuckDB memory limit (child)."""
    from evalkit.data.sample import build_sample

    spill = folder / "spill"
    tables = {name: _glob(folder, name) for name in TABLES}
    _reset_peak()
    t0, c0 = time.perf_counter(), time.process_time()
    sample = build_sample(tables, measure_id, memory_limit=memory_limit, temp_directory=spill)
    out: dict[str, Any] = {
        "measure_id": measure_id,
        "memory_limit": memory_limit,
        "build_sample_seconds": round(time.perf_counter() - t0, 2),
        "build_sample_cpu_seconds": round(time.process_time() - c0, 2),
        "peak_rss_build_sample_mib": round(_peak_mib(), 1),
    }
    info = sample.describe()
    out.update({k: info[k] for k in ("n_eligible", "n_treated", "n_control")})
    out["frame_rows"], out["frame_columns"] = sample.frame.shape
    shutil.rmtree(spill, ignore_errors=True)
    return out


def _child(args: list[str]) -> dict[str, Any]:
    """Run this module in a fresh process and return the JSON it prints last."""
    child = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_sample", *args],
        capture_output=True, text=True, check=True, cwd=Path(__file__).resolve().parent.parent,
    )  # fmt: skip
    return json.loads(child.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Generate (or reuse) the city, build the sample in a child process, print and save."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--persons", type=int, default=200_000)
    parser.add_argument("--seed", type=int, default=20261126)
    parser.add_argument("--measure", default="jobbspar_vard")
    parser.add_argument("--national", action="store_true")
    parser.add_argument("--memory-limit", default="8GB")
    parser.add_argument("--child", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--child-national", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        print(json.dumps(measure(args.child, args.measure)))
        return {}
    if args.child_national:
        print(json.dumps(measure_national(args.child_national, args.measure, args.memory_limit)))
        return {}
    folder = RESULTS / f"city_{args.persons}_{args.seed}"
    city = generate_city(args.persons, args.seed, folder)
    if args.national:
        national = RESULTS / f"national_{COPIES}x{args.persons}_{args.seed}"
        written = national_registers(folder, national)
        sample = _child(
            ["--child-national", str(national), "--measure", args.measure,
             "--memory-limit", args.memory_limit]
        )  # fmt: skip
        result = {"city": city, "national": written, "sample": sample}
        name = "bench_sample_national.json"
    else:
        result = {
            "city": city,
            "sample": _child(["--child", str(folder), "--measure", args.measure]),
        }
        name = "bench_sample.json"
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / name).write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return result


if __name__ == "__main__":
    main()
