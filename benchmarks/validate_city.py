"""Benchmark: load and validate registers of a city (default 200,000 persons x 120 months).

Writes fake registers to a DuckDB file in a child process (so its memory does not count), then
times ``load_and_validate`` and reports wall time and peak resident memory of this process.
Usage: ``python -m benchmarks.validate_city [--persons N] [--months M] [--file PATH]``.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd


def fake_personnummer(n: int, rng: np.random.Generator) -> np.ndarray:
    """n distinct valid 12-digit personnummer (dates 1960-1999, Luhn check digit computed)."""
    year = rng.integers(1960, 2000, n)
    day_of_year = rng.integers(0, 365, n)
    dates = pd.to_datetime(year.astype(str), format="%Y") + pd.to_timedelta(day_of_year, unit="D")
    serial = rng.permutation(1000 * ((n // 1000) + 1))[:n] % 1000
    yymmdd = dates.strftime("%y%m%d").to_numpy(dtype="U6")
    nine = np.char.add(yymmdd, np.char.zfill(serial.astype("U3"), 3))
    d = np.frombuffer(np.char.encode(nine, "ascii").tobytes(), dtype=np.uint8).reshape(n, 9) - 48
    prod = d.astype(np.int64) * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    century = (year // 100).astype("U2")
    return np.char.add(np.char.add(century, nine), check.astype("U1"))


def write_city(path: Path, persons: int, months: int, seed: int = 1) -> None:
    """Write persons, measures, participations, assistance and status to a DuckDB file."""
    import duckdb

    rng = np.random.default_rng(seed)
    pnr = pd.unique(fake_personnummer(persons, rng))
    n = len(pnr)
    household = np.char.add("h", (np.arange(n) // 2).astype("U7"))
    month = pd.date_range("2016-01-01", periods=months, freq="MS").to_numpy()
    tables = {
        "persons": pd.DataFrame(
            {
                "personnummer": pnr,
                "birth_year": rng.integers(1960, 2000, n),
                "sex": rng.choice(["K", "M"], n),
                "birth_region": rng.choice(["sverige", "europa", "utanfor_europa"], n),
                "arrival_year": pd.array([None] * n, dtype="Int64"),
                "education": rng.choice(["forgymnasial", "gymnasial", "eftergymnasial"], n),
                "household_id": household,
            }
        ),
        "measures": pd.DataFrame(
            {"measure_id": ["m1", "m2"], "name": ["A", "B"], "type": ["t", "t"]}
        ),
        "participations": pd.DataFrame(
            {
                "personnummer": pnr[: n // 10],
                "measure_id": "m1",
                "start_date": pd.Timestamp("2021-01-01"),
                "end_date": pd.Timestamp("2021-06-30"),
                "end_reason": "studier",
            }
        ),
    }
    hh = np.unique(household)
    con = duckdb.connect(str(path))
    for name, frame in tables.items():
        con.register("f", frame)
        con.execute(f'CREATE TABLE "{name}" AS SELECT * FROM f')
        con.unregister("f")
    con.register("p", pd.DataFrame({"pnr": pnr}))
    con.register("h", pd.DataFrame({"hh": hh}))
    con.register("m", pd.DataFrame({"month": month}))
    con.execute(
        "CREATE TABLE status AS SELECT pnr AS personnummer, CAST(month AS DATE) AS month, "
        "'arbetslos' AS status FROM p CROSS JOIN m ORDER BY pnr, month"
    )
    con.execute(
        "CREATE TABLE assistance AS SELECT hh AS household_id, CAST(month AS DATE) AS month, "
        "round(random() * 9000, 0) AS amount_sek FROM h CROSS JOIN m ORDER BY hh, month"
    )
    con.close()


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--persons", type=int, default=200_000)
    ap.add_argument("--months", type=int, default=120)
    ap.add_argument("--file", type=Path, default=None)
    ap.add_argument("--write-only", action="store_true", help=argparse.SUPPRESS)
    args = ap.parse_args()
    path = (
        args.file
        or Path(tempfile.gettempdir()) / f"evalkit-city-{args.persons}x{args.months}.duckdb"
    )
    if args.write_only:
        write_city(path, args.persons, args.months)
        return
    if not path.exists():
        cmd = [
            sys.executable,
            "-m",
            "benchmarks.validate_city",
            "--write-only",
            "--file",
            str(path),
            "--persons",
            str(args.persons),
            "--months",
            str(args.months),
        ]
        subprocess.run(cmd, check=True)
    os.environ.setdefault("EVALKIT_PSEUDONYM_KEY", "benchmark-key")
    from evalkit.data.validate import load_and_validate

    t0 = time.perf_counter()
    v = load_and_validate(
        {"kind": "duckdb", "path": str(path)}, quarantine_path=path.with_suffix(".q.parquet")
    )
    wall = time.perf_counter() - t0
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    rows = sum(v.report.n_in.values())
    print(
        f"load_and_validate: {args.persons} persons x {args.months} months, {rows:,} rows: "
        f"{wall:.1f} s wall, peak RSS {peak:,.0f} MB, {v.report.total_quarantined} quarantined"
    )


if __name__ == "__main__":
    main()
