"""A small end-to-end run shared by the CLI and browser tests: built once per test session.

A small synthetic city, two demo measures, one params file that is invalid (fails before any kernel starts) and one whose measure has no data
(fails inside its notebook), run with ``evalkit run-all`` exactly as a user would.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEASURES = ("jobbspar_vard", "praktik")
PERSONS = 3000
BROKEN = "trasig"
EMPTY = "finns_inte"


@dataclass(frozen=True)
class SmallRun:
    """Where the run happened and how the command ended."""

    project: Path
    run_dir: Path
    returncode: int
    stdout: str
    stderr: str


def cli(
    args: list[str], cwd: Path, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess:
    """Run the evalkit CLI in a fresh process, as cron would."""
    base = {k: v for k, v in os.environ.items() if k != "EVALKIT_PSEUDONYM_KEY"}
    return subprocess.run(
        [sys.executable, "-m", "evalkit.cli", *args],
        cwd=cwd,
        env={**base, **(env or {})},
        capture_output=True,
        text=True,
        timeout=1200,
    )


def make_project(project: Path) -> list[str]:
    """Data and params of the small city (and a copy of ``examples/``); returns the measures
    expected to succeed."""
    from evalkit.data.synth import write_synth

    (project / "params").mkdir(parents=True)
    write_synth(project / "data" / "demo.duckdb", persons=PERSONS)
    expected = list(MEASURES)
    for name in ("defaults.yaml", *(f"{m}.yaml" for m in MEASURES)):
        shutil.copy(ROOT / "params" / name, project / "params" / name)
    (project / "params" / f"{BROKEN}.yaml").write_text(
        f"measure_id: {BROKEN}\ntitle: Trasig parameterfil\nthis_key_does_not_exist: 1\n",
        encoding="utf-8",
    )
    text = (project / "params" / f"{MEASURES[0]}.yaml").read_text(encoding="utf-8")
    (project / "params" / f"{EMPTY}.yaml").write_text(
        text.replace(MEASURES[0], EMPTY), encoding="utf-8"
    )
    if (ROOT / "examples").is_dir():
        shutil.copytree(ROOT / "examples", project / "examples")
    return expected


def small_run(base: Path) -> SmallRun:
    """Build (once) and return the small run under ``base``."""
    project = base / "small_run"
    marker = project / "done.txt"
    if not marker.exists():
        if project.exists():
            shutil.rmtree(project)
        make_project(project)
        done = cli(["run-all", "params", "--out", "reports", "--jobs", "2"], cwd=project)
        (project / "stdout.txt").write_text(done.stdout, encoding="utf-8")
        (project / "stderr.txt").write_text(done.stderr, encoding="utf-8")
        marker.write_text(str(done.returncode), encoding="utf-8")
    return SmallRun(
        project=project,
        run_dir=(project / "reports" / "latest").resolve(),
        returncode=int(marker.read_text(encoding="utf-8")),
        stdout=(project / "stdout.txt").read_text(encoding="utf-8"),
        stderr=(project / "stderr.txt").read_text(encoding="utf-8"),
    )
