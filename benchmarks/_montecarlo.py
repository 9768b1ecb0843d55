"""What the Monte Carlo scripts share: command line, replication loop, printing, JSON figures."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import numpy as np

#: The simulators live beside the tests that use them.
sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from simulate_designs import (  # noqa: E402
    HISTORY_COVARIATES,
    STATIC_COVARIATES,
    simulate_censored,
    simulate_stacked,
)

__all__ = [
    "HISTORY_COVARIATES",
    "STATIC_COVARIATES",
    "error_figures",
    "run_scenarios",
    "simulate_censored",
    "simulate_stacked",
]


def error_figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Replications, mean participants, and per ``"estimator:outcome"`` key (rows hold
    ``(estimate - truth, se, covered)``) the bias with its Monte Carlo SE, SD, mean SE and
    coverage."""
    out: dict[str, Any] = {
        "reps": len(rows),
        "mean_treated": float(np.mean([r["n_treated"] for r in rows])),
    }
    for key in rows[0]:
        if ":" in key:
            arr = np.array([r[key] for r in rows], dtype=float)
            out[key] = {
                "bias": float(arr[:, 0].mean()),
                "mc_se_bias": float(arr[:, 0].std(ddof=1) / np.sqrt(len(arr))),
                "sd": float(arr[:, 0].std(ddof=1)),
                "mean_se": float(arr[:, 1].mean()),
                "coverage": float(arr[:, 2].mean()),
            }
    return out


def run_scenarios(
    description: str,
    scenarios: dict[str, dict[str, Any]],
    replicate: Callable[[dict[str, Any], int, int], dict[str, Any]],
    summarise: Callable[[list[dict[str, Any]]], dict[str, Any]],
    show: Callable[[str, dict[str, Any], float], None],
    argv: list[str] | None,
    *,
    first_seed: int,
    reps: int = 200,
) -> int:
    """Run ``reps`` seeded replications of each chosen scenario; print and optionally save figures."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--reps", type=int, default=reps)
    parser.add_argument("--persons", type=int, default=3000)
    parser.add_argument("--scenarios", default=",".join(scenarios))
    parser.add_argument("--json", type=Path, default=None, help="also write the figures here")
    args = parser.parse_args(argv)
    figures = {}
    for name in args.scenarios.split(","):
        start = time.perf_counter()
        rows = [
            replicate(scenarios[name], args.persons, first_seed + rep) for rep in range(args.reps)
        ]
        figures[name] = summary = summarise(rows)
        print(
            f"\n== {name}: {summary['reps']} replications, ~{summary['mean_treated']:.0f} "
            f"participants each, {time.perf_counter() - start:.0f} s",
            flush=True,
        )
        show(name, summary, time.perf_counter() - start)
        if args.json:
            args.json.write_text(json.dumps(figures, indent=2))
    return 0
