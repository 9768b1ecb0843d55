"""Wall time of ``evalkit run-all`` on the demo municipality against its floor, in one run.

The floor is what any notebook-per-measure design pays: per notebook (each measure plus the
portfolio page) one kernel start, importing the stack (evalkit, pandas, matplotlib) and one HTML
export, with as many notebooks at a time as ``--jobs`` and the same threads per kernel as the
runner gives them. The ratio says how much of a run is the analysis rather than that overhead
(the goal, issue 14: at most 2.0).

It then says where run-all's time went, from the run folder: per measure the kernel start (the
notebook's wall time less its cells), the import cell, the analysis cell, the cells that render
sections, and the HTML export (timed again here), summed over measures.

With ``--profile MEASURE`` it instead profiles one measure's analysis in this process, twice
with the run's data cache (first load: cold; second: warm, as every later measure of a run), and
prints the CPU seconds of its main stages.

Run: ``python -m benchmarks.bench_run_all [--jobs 2] [--persons 30000] [--profile MEASURE]``
from the project root.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from multiprocessing import get_context
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parent.parent
IMPORTS = (
    "import evalkit, evalkit.report.sections, pandas, matplotlib\n"
    "from matplotlib.figure import Figure"
)


def _floor_notebook(path: str, out: str, threads: int) -> tuple[float, float, float]:
    """One floor notebook in a fresh worker: (kernel start, import cell, HTML export) seconds."""
    import papermill

    from evalkit.report.export import export_notebook
    from evalkit.runner.kernel import kernel_environment, kernel_variables
    from evalkit.runner.progress import stderr_to

    started = time.perf_counter()
    with kernel_environment(kernel_variables(threads)), stderr_to(Path(os.devnull)):
        papermill.execute_notebook(path, out, kernel_name="evalkit", progress_bar=False)
    executed = time.perf_counter() - started
    imports = cell_kinds(nbformat.read(out, as_version=4))["imports"]
    started = time.perf_counter()
    export_notebook(out, Path(out).with_suffix(".html"), title="floor")
    return executed - imports, imports, time.perf_counter() - started


def children_cpu() -> float:
    """CPU seconds (user + system) of every finished child process so far, grandchildren
    included once reaped: a measure of work that a busy shared machine inflates far less than
    wall time."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def floor_seconds(n_notebooks: int, jobs: int, work: Path) -> tuple[float, float, list[tuple]]:
    """Wall time and CPU seconds of ``n_notebooks`` import-and-export notebooks, ``jobs`` at
    once, and each notebook's (kernel start, imports, export) seconds."""
    from evalkit.runner.kernel import threads_per_kernel

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(IMPORTS)])
    nb.metadata["kernelspec"] = {"name": "evalkit", "display_name": "evalkit", "language": "python"}
    path = work / "imports.ipynb"
    nbformat.write(nb, path)
    threads = threads_per_kernel(jobs)
    cpu = children_cpu()
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=jobs, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(_floor_notebook, str(path), str(work / f"imports_{i}.ipynb"), threads)
            for i in range(n_notebooks)
        ]
        parts = [f.result() for f in futures]
    return time.perf_counter() - started, children_cpu() - cpu, parts


def run_all_seconds(params_dir: Path, jobs: int, work: Path) -> tuple[float, float, int, Path]:
    """Wall time, CPU seconds, exit code and run folder of ``evalkit run-all``."""
    cpu = children_cpu()
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "evalkit.cli", "run-all", str(params_dir)]
        + ["--out", str(work / "reports"), "--jobs", str(jobs)],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    seconds = time.perf_counter() - started
    if done.returncode not in (0, 1):
        print(done.stdout[-2000:], done.stderr[-2000:], sep="\n")
    run_dir = (work / "reports" / "latest").resolve()
    return seconds, children_cpu() - cpu, done.returncode, run_dir


def _seconds(cell: nbformat.NotebookNode) -> float:
    return float(cell.metadata.get("papermill", {}).get("duration") or 0.0)


def cell_kinds(nb: nbformat.NotebookNode) -> dict[str, float]:
    """Seconds per kind of code cell: parameters, imports, the analysis call, sections."""
    out = dict.fromkeys(("parameters", "imports", "analysis", "sections"), 0.0)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        tags = set(cell.metadata.get("tags", ()))
        lines = [ln for ln in cell.source.splitlines() if ln.strip() and not ln.startswith("#")]
        if tags & {"parameters", "injected-parameters"}:
            kind = "parameters"
        elif lines and all(ln.startswith(("import ", "from ")) for ln in lines):
            kind = "imports"
        elif "analyse_measure(" in cell.source:
            kind = "analysis"
        else:
            kind = "sections"
        out[kind] += _seconds(cell)
    return out


def _notebook_seconds(run_log: str, name: str) -> float | None:
    """A notebook's wall time from the run log's start and end lines."""
    stamps = {}
    for kind, pattern in (("start", rf"start  {name}$"), ("end", rf"(ok    |FAILED) {name}  ")):
        match = re.search(rf"^\[([0-9 :-]+)\] {pattern}", run_log, re.MULTILINE)
        if match:
            stamps[kind] = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S")
    if len(stamps) < 2:
        return None
    return (stamps["end"] - stamps["start"]).total_seconds()


def breakdown(run_dir: Path) -> dict[str, float]:
    """Seconds summed over the run's notebooks: kernel start, imports, analysis, sections, export.

    Kernel start is a notebook's execution time less its cells (papermill's own records); the
    HTML export is timed again here on the executed notebook.
    """
    from evalkit.report.export import export_notebook

    run_log = (run_dir / "run.log").read_text(encoding="utf-8")
    total = dict.fromkeys(("kernel start", "imports", "analysis", "sections", "export"), 0.0)
    for ipynb in sorted(run_dir.glob("*.ipynb")):
        nb = nbformat.read(ipynb, as_version=4)
        kinds = cell_kinds(nb)
        executed = float(nb.metadata.get("papermill", {}).get("duration") or 0.0)
        kernel = max(0.0, executed - sum(kinds.values()))
        started = time.perf_counter()
        export_notebook(ipynb, ipynb.with_suffix(".again.html"), title="again")
        export = time.perf_counter() - started
        total["kernel start"] += kernel
        total["imports"] += kinds["imports"]
        total["analysis"] += kinds["analysis"]
        total["sections"] += kinds["sections"] + kinds["parameters"]
        total["export"] += export
        name = "portfolio" if ipynb.stem == "index" else ipynb.stem
        wall = _notebook_seconds(run_log, name)
        print(
            f"  {name:<26} {wall or 0.0:6.1f} s in the run: kernel {kernel:5.1f}, imports "
            f"{kinds['imports']:4.1f}, analysis {kinds['analysis']:6.1f}, sections "
            f"{kinds['sections']:5.1f}, export {export:4.1f}"
        )
    return total


#: The analysis stages reported by ``--profile``: (label, module file, function name).
STAGES = (
    ("load + validate registers", "data/validate.py", "load_and_validate"),
    ("read the run's data cache", "data/cache.py", "read_entry"),
    ("write the run's data cache", "data/cache.py", "write_entry"),
    ("build_sample", "data/sample.py", "build_sample"),
    ("sample.stacked (paths)", "data/sample.py", "stacked"),
    ("sample.panel (monthly)", "data/sample.py", "panel"),
    ("followup", "data/followup.py", "followup"),
    ("data fingerprint", "data/fingerprint.py", "data_fingerprint"),
    ("cross-sectional estimators", "pipeline/estimation.py", "cross_sectional_estimates"),
    ("subgroups", "pipeline/estimation.py", "subgroup_estimates"),
    ("diagnostics", "pipeline/estimation.py", "diagnostics_block"),
    ("cs_did (registers)", "estimators/cs_did.py", "cs_did"),
    ("dynamic_matching", "estimators/dynamic_matching.py", "dynamic_matching"),
    ("audit", "pipeline/__init__.py", "audit_block"),
)


def profile_measure(measure: str, work: Path, jobs: int) -> None:
    """CPU seconds of one measure's analysis stages, with a cold and then a warm data cache,
    with the threads a kernel of a ``jobs``-wide run gets (set before numpy loads)."""
    import cProfile
    import pstats

    from evalkit.runner.kernel import kernel_variables, threads_per_kernel

    os.environ.update(kernel_variables(threads_per_kernel(jobs)))

    from evalkit.params import load_params
    from evalkit.pipeline import analyse
    from evalkit.project import CACHE_ENV, ensure_demo_key, source_path

    params = load_params(ROOT / "params" / f"{measure}.yaml")
    os.chdir(ROOT)
    ensure_demo_key(source_path(params))
    os.environ[CACHE_ENV] = str(work / ".cache")
    print(f"profile of {measure}: CPU seconds per stage, {os.environ['OMP_NUM_THREADS']} thread(s)")
    for label in ("cold cache (first measure of a run)", "warm cache (every later measure)"):
        profiler = cProfile.Profile(time.process_time)
        started = time.process_time()
        profiler.runcall(analyse, params, out_dir=work)
        total = time.process_time() - started
        stats = pstats.Stats(profiler).stats  # type: ignore[attr-defined]
        print(f"  {label}: {total:.1f} CPU s")
        for name, file, function in STAGES:
            seconds = sum(
                v[3] for (f, _, fn), v in stats.items() if f.endswith(file) and fn == function
            )
            if seconds >= 0.05:
                print(f"    {name:<28} {seconds:6.1f} s  {100 * seconds / total:5.1f} %")


def main(argv: list[str] | None = None) -> int:
    """Measure and print run-all time, the floor, their ratio, and what dominates."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--persons", type=int, default=30_000)
    parser.add_argument("--params", default=str(ROOT / "params"))
    parser.add_argument("--json", help="also write the numbers to this JSON file")
    parser.add_argument("--profile", metavar="MEASURE", help="profile one measure's analysis")
    args = parser.parse_args(argv)
    demo = ROOT / "data" / "demo.duckdb"
    if not demo.exists():
        subprocess.run(
            [sys.executable, "-m", "evalkit.cli", "synth", "--out", str(demo)]
            + ["--persons", str(args.persons)],
            check=True,
            cwd=ROOT,
        )
    if args.profile:
        with tempfile.TemporaryDirectory() as tmp:
            profile_measure(args.profile, Path(tmp), args.jobs)
        return 0
    from evalkit.runner import measure_files

    n_measures = len(measure_files(args.params))
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        total, total_cpu, code, run_dir = run_all_seconds(Path(args.params), args.jobs, work)
        n_notebooks = len(list(run_dir.glob("*.ipynb")))
        floor, floor_cpu, parts = floor_seconds(n_notebooks, args.jobs, work)
        print(f"machine: {os.cpu_count()} cores; {n_measures} measures, jobs={args.jobs}")
        print("where run-all's time went, per notebook:")
        spent = breakdown(run_dir)
    ratio = total / floor
    kernel, imports, export = (sum(p[i] for p in parts) / len(parts) for i in range(3))
    print(f"evalkit run-all wall time:              {total:7.1f} s  (exit code {code})")
    print(
        f"floor ({n_notebooks} notebooks: kernel start + imports + export, {args.jobs} at a time): "
        f"{floor:7.1f} s"
    )
    print(
        f"  per floor notebook: kernel start {kernel:.1f} s, imports {imports:.1f} s, "
        f"HTML export {export:.1f} s"
    )
    print(f"ratio run-all / floor:                  {ratio:7.2f}  (goal ≤ 2.0)")
    print(
        f"CPU seconds: run-all {total_cpu:.1f}, floor {floor_cpu:.1f}, ratio "
        f"{total_cpu / floor_cpu:.2f} (less sensitive to other load on the machine)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    busy = sum(spent.values())
    print(f"notebook seconds summed over the run ({busy:.1f} s):")
    for name, seconds in sorted(spent.items(), key=lambda kv: -kv[1]):
        print(f"  {name:<14} {seconds:7.1f} s  {100 * seconds / busy:5.1f} %")
    if args.json:
        Path(args.json).write_text(
            json.dumps(
                {
                    "run_all_s": total,
                    "floor_s": floor,
                    "ratio": ratio,
                    "run_all_cpu_s": total_cpu,
                    "floor_cpu_s": floor_cpu,
                    "cpu_ratio": total_cpu / floor_cpu,
                    "load_average": os.getloadavg()[0],
                    "notebooks": n_notebooks,
                    "jobs": args.jobs,
                    "floor_per_notebook_s": {
                        "kernel_start": kernel,
                        "imports": imports,
                        "export": export,
                    },
                    "spent_s": spent,
                },
                indent=1,
            )
        )
    return 0 if code in (0, 1) else code


if __name__ == "__main__":
    sys.exit(main())
