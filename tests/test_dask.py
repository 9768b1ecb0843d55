"""Specifications of ``evalkit run-all --scheduler``: the same run on Dask as on the local runner.

A small synthetic city with two measures is run once with the local process pool (the
reference), then on a ``LocalCluster`` (``--scheduler local:2``) and on a scheduler and two
workers started as separate processes (``dask scheduler``, ``dask worker``); every number of every
results JSON must equal the reference's. A worker killed while it runs a measure loses no
measure: the task runs again on the other worker (or, failing that, gets its failed page).
"""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from e2e_run import ROOT, cli

pytestmark = pytest.mark.slow

MEASURES = ("jobbspar_vard", "praktik")
PERSONS = 1500
#: Keys whose values differ between any two runs (time, commit, versions), not numbers.
RUN_SPECIFIC = ("created", "commit", "packages", "evalkit_version")
#: A quick design: the runner is under test here, not the estimators.
DEFAULTS = """\
data:
  mode: registers
  source: {kind: duckdb, path: data/demo.duckdb}
design:
  intake: {start: 2021-01, end: 2023-12}
  comparison: not_yet_treated
  eligibility_months: 3
outcomes: [work_or_study_12m, assistance_sek_12m]
estimators: [naive, regression, ipw, aipw]
subgroups: [sex]
report: {lang: sv, min_cell: 5, seed: 20261126}
"""


@pytest.fixture(scope="module")
def project(tmp_path_factory) -> Path:
    """The small city with two measures."""
    from evalkit.data.synth import write_synth

    project = tmp_path_factory.mktemp("dask_city")
    (project / "params").mkdir()
    write_synth(project / "data" / "demo.duckdb", persons=PERSONS)
    (project / "params" / "defaults.yaml").write_text(DEFAULTS, encoding="utf-8")
    for m in MEASURES:
        text = (ROOT / "params" / f"{m}.yaml").read_text(encoding="utf-8")
        (project / "params" / f"{m}.yaml").write_text(text, encoding="utf-8")
    return project


def run_dir_of(project: Path, out: str) -> Path:
    return (project / out / "latest").resolve()


def numbers(run_dir: Path) -> dict[str, dict]:
    """Every results JSON of a run folder without its run-specific keys."""
    return {
        p.name: {k: v for k, v in json.loads(p.read_text()).items() if k not in RUN_SPECIFIC}
        for p in sorted(run_dir.glob("*.json"))
        if p.name != "portfolio.json"  # the pages over the measures; the measures' numbers here
    }


@pytest.fixture(scope="module")
def reference(project) -> dict[str, dict]:
    """The local runner's numbers."""
    done = cli(["run-all", "params", "--out", "local", "--jobs", "2"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    found = numbers(run_dir_of(project, "local"))
    assert sorted(found) == [f"{m}.json" for m in MEASURES]
    assert all(r["status"] == "ok" for r in found.values())
    return found


def assert_complete_run(project: Path, out: str, stdout: str) -> Path:
    run = run_dir_of(project, out)
    for m in MEASURES:
        assert (run / f"{m}.html").exists() and (run / f"{m}.ipynb").exists()
        assert re.search(rf"^\[\d\d:\d\d:\d\d\] start  {m}$", stdout, re.MULTILINE), stdout
        assert re.search(rf"^\[\d\d:\d\d:\d\d\] ok     {m}  \d+\.\d s$", stdout, re.MULTILINE)
    assert (run / "index.html").exists()
    assert not (run / ".cache").exists()
    return run


def test_a_local_cluster_gives_every_number_of_the_local_runner(project, reference):
    done = cli(["run-all", "params", "--out", "lc", "--scheduler", "local:2"], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    assert "on local:2" in done.stdout
    run = assert_complete_run(project, "lc", done.stdout)
    assert numbers(run) == reference


# --- a scheduler and two workers as separate processes -------------------------------------------


def _dask(*args: str, log: Path) -> subprocess.Popen:
    """A ``dask`` command in its own process group (so a test can kill it with its children)."""
    handle = open(log, "w")  # noqa: SIM115 - closed when the process group ends
    return subprocess.Popen(
        [str(Path(sys.executable).with_name("dask")), *args],
        stdout=handle,
        stderr=subprocess.STDOUT,
        start_new_session=True,
        env={k: v for k, v in os.environ.items() if k != "EVALKIT_PSEUDONYM_KEY"},
    )


def _stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


@pytest.fixture
def cluster(tmp_path) -> Iterator[tuple[str, dict[str, subprocess.Popen]]]:
    """``dask scheduler`` and two single-thread ``dask worker`` processes: (address, workers)."""
    from distributed import Client

    file = tmp_path / "scheduler.json"
    scheduler = _dask(
        "scheduler",
        "--scheduler-file",
        str(file),
        "--host",
        "127.0.0.1",
        "--port",
        "0",
        "--no-dashboard",
        log=tmp_path / "scheduler.log",
    )
    procs = {"scheduler": scheduler}
    try:
        deadline = time.monotonic() + 120
        while not file.exists() and time.monotonic() < deadline:
            time.sleep(0.5)
        address = json.loads(file.read_text())["address"]
        for name in ("w1", "w2"):
            procs[name] = _dask(
                "worker",
                address,
                "--name",
                name,
                "--nthreads",
                "1",
                "--no-dashboard",
                log=tmp_path / f"{name}.log",
            )
        with Client(address, timeout="60s") as client:
            client.wait_for_workers(2, timeout=180)
        yield address, {k: v for k, v in procs.items() if k != "scheduler"}
    finally:
        for proc in procs.values():
            _stop(proc)


def test_a_scheduler_and_two_worker_processes_give_every_number_of_the_local_runner(
    project, reference, cluster
):
    address, _ = cluster
    done = cli(["run-all", "params", "--out", "remote", "--scheduler", address], cwd=project)
    assert done.returncode == 0, done.stdout + done.stderr
    run = assert_complete_run(project, "remote", done.stdout)
    assert numbers(run) == reference


def _worker_running(address: str, project: Path, out: str) -> tuple[str, str]:
    """(worker name, measure) of a measure whose notebook has started (waits for one)."""
    from distributed import Client

    with Client(address, timeout="60s") as client:
        deadline = time.monotonic() + 600
        while time.monotonic() < deadline:
            logs = list((project / out).glob("*/run.log"))
            text = logs[0].read_text() if logs else ""
            started = [m for m in MEASURES if f"start  {m}" in text]
            for worker, keys in client.processing().items():
                for m in started:
                    if any(f"-{m}-" in str(k) for k in keys):
                        return client.scheduler_info()["workers"][worker]["name"], m
            time.sleep(0.5)
    raise AssertionError("no measure notebook started")


def test_a_worker_killed_mid_run_loses_no_measure(project, reference, cluster):
    address, workers = cluster
    base = {k: v for k, v in os.environ.items() if k != "EVALKIT_PSEUDONYM_KEY"}
    run_all = subprocess.Popen(
        [sys.executable, "-m", "evalkit.cli", "run-all", "params", "--out", "killed"]
        + ["--scheduler", address],
        cwd=project,
        env=base,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    victim, measure = _worker_running(address, project, "killed")
    time.sleep(5)  # inside its notebook
    os.killpg(workers[victim].pid, signal.SIGKILL)
    stdout, stderr = run_all.communicate(timeout=1200)
    assert run_all.returncode in (0, 1), stdout + stderr
    run = run_dir_of(project, "killed")
    found = numbers(run)
    assert sorted(found) == [f"{m}.json" for m in MEASURES]
    for name, results in found.items():
        assert (run / name.replace(".json", ".html")).exists()
        if results["status"] == "ok":
            assert results == reference[name]
        else:
            assert results["error"]["stage"] == "kernel", results["error"]
    killed = found[f"{measure}.json"]
    starts = stdout.count(f"start  {measure}\n")
    assert (killed["status"] == "ok" and starts == 2) or killed["status"] == "failed", stdout
    assert run_all.returncode == (0 if all(r["status"] == "ok" for r in found.values()) else 1)
