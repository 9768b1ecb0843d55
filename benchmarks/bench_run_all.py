"""Wall time of ``evalkit run-all`` on the demo municipality against its floor.

The floor is what any notebook-per-measure design pays: starting a kernel and importing the stack
(evalkit, pandas, matplotlib) once per notebook (each measure plus the portfolio page), with the
same number of notebooks running at a time. The ratio says how much of a run is the analysis and
the report rather than kernel overhead.

Run: ``python -m benchmarks.bench_run_all [--jobs 2] [--persons 30000]`` from the project root.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = "import evalkit, evalkit.report.sections, pandas, matplotlib\nfrom matplotlib.figure import Figure"


def _import_only(path: str, out: str) -> None:
    """Execute the import-only notebook once (a worker of the floor measurement)."""
    import papermill

    from evalkit.runner import stderr_to

    with stderr_to(Path(os.devnull)):
        papermill.execute_notebook(path, out, kernel_name="evalkit", progress_bar=False)


def floor_seconds(n_notebooks: int, jobs: int, work: Path) -> float:
    """Wall time of starting ``n_notebooks`` kernels that only import the stack, ``jobs`` at once."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
    nb.metadata["kernelspec"] = {"name": "evalkit", "display_name": "evalkit", "language": "python"}
    path = work / "imports.ipynb"
    nbformat.write(nb, path)
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_import_only, str(path), str(work / f"imports_{i}.ipynb"))
            for i in range(n_notebooks)
        ]
        for f in futures:
            f.result()
    return time.perf_counter() - started


def run_all_seconds(params_dir: Path, jobs: int, work: Path) -> tuple[float, int]:
    """Wall time and exit code of ``evalkit run-all`` into a scratch reports folder."""
    started = time.perf_counter()
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "evalkit.cli",
            "run-all",
            str(params_dir),
            "--out",
            str(work / "reports"),
            "--jobs",
            str(jobs),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
    return seconds, done.returncode


def main(argv: list[str] | None = None) -> int:
    """Measure and print run-all time, the kernel-and-import floor, and their ratio."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--persons", type=int, default=30_000)
    parser.add_argument("--params", default=str(ROOT / "params"))
    args = parser.parse_args(argv)
    demo = ROOT / "data" / "demo.duckdb"
    if not demo.exists():
        subprocess.run(
            [
                sys.executable,
                "-m",
                "evalkit.cli",
                "synth",
                "--out",
                str(demo),
                "--persons",
                str(args.persons),
            ],
            check=True,
            cwd=ROOT,
        )
    from evalkit.runner import measure_files

    n_measures = len(measure_files(args.params))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        total, code = run_all_seconds(Path(args.params), args.jobs, work)
        floor = floor_seconds(n_measures + 1, args.jobs, work)
    print(f"machine: {os.cpu_count()} cores; {n_measures} measures + portfolio, jobs={args.jobs}")
    print(f"evalkit run-all wall time:            {total:7.1f} s  (exit code {code})")
    print(f"floor (kernel start + imports x {n_measures + 1}): {floor:7.1f} s")
    print(f"ratio run-all / floor:                {total / floor:7.2f}")
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main())
