"""Benchmark: evalkit's aipw with its influence-function SE on 1,000,000 rows x 15 covariates.

Side by side, on the same data in the same run:

- DoWhy's doubly robust estimator (``backdoor.doubly_robust``; it supports only the ATE and gets
  a standard error only by bootstrap, default 399 replicates). Its point estimate is timed on
  all rows; its bootstrap is timed for a few replicates on all rows and reported per replicate
  and extrapolated to DoWhy's default 399 (a full run would take hours).
- drdid (the Python port of R's DRDID): the same DR ATT and influence function as evalkit's,
  on the same rows (a reference for the identical estimand).

Wall time is the best of ``repeats`` runs without tracing; memory is the peak of allocations
traced by ``tracemalloc`` (numpy and pandas buffers included) in a separate run.
Run: ``python -m benchmarks.bench_aipw [--rows N] [--boot-reps B]``.
"""

from __future__ import annotations

import argparse
import gc
import logging
import time
import tracemalloc
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd


def make_data(rows: int, covariates: int, seed: int = 1) -> tuple[pd.DataFrame, list[str]]:
    """Selection on observables with a constant effect 1.0 (so ATT = ATE = 1)."""
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(rows, covariates))
    ps_coef = rng.normal(scale=0.3, size=covariates)
    y_coef = rng.normal(size=covariates)
    treated = rng.binomial(1, 1 / (1 + np.exp(-(X @ ps_coef - 0.5))))
    y = X @ y_coef + 1.0 * treated + rng.normal(size=rows)
    names = [f"x{i:02d}" for i in range(covariates)]
    frame = pd.DataFrame(X, columns=names)
    frame["treated"] = treated
    frame["y"] = y
    return frame, names


def measure(fn: Callable[[], Any], repeats: int = 1) -> tuple[Any, float, float]:
    """(result, best wall seconds, peak traced MiB) of ``fn``."""
    best = float("inf")
    result = None
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - start)
    gc.collect()
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return result, best, peak / 2**20


def run_evalkit(frame: pd.DataFrame, names: list[str]) -> tuple[float, float]:
    """evalkit aipw: (estimate, se)."""
    from evalkit.estimators.aipw import aipw

    r = aipw(frame, "y", "treated", names)
    return r.estimate, r.se


def run_drdid(frame: pd.DataFrame, names: list[str]) -> tuple[float, float]:
    """drdid's DR ATT with its influence-function SE: (estimate, se)."""
    from drdid._estimators import drdid_panel

    att, inf = drdid_panel(
        frame["y"].to_numpy(),
        np.zeros(len(frame)),
        frame["treated"].to_numpy(),
        frame[names].to_numpy(),
        trim_level=0.99999,
    )
    return float(att), float(np.std(inf) / np.sqrt(len(frame)))


def _dowhy_model(frame: pd.DataFrame, names: list[str]) -> Any:
    from dowhy import CausalModel

    data = frame.assign(treated=frame["treated"].astype(bool))
    model = CausalModel(data=data, treatment="treated", outcome="y", common_causes=names)
    return model, model.identify_effect(proceed_when_unidentifiable=True)


def run_dowhy(frame: pd.DataFrame, names: list[str], boot_reps: int = 0) -> tuple[float, float]:
    """DoWhy's doubly robust ATE (point estimate; bootstrap SE with ``boot_reps`` replicates)."""
    model, estimand = _dowhy_model(frame, names)
    kwargs: dict[str, Any] = {}
    if boot_reps:
        kwargs = {"confidence_intervals": True, "method_params": {"num_simulations": boot_reps}}
    est = model.estimate_effect(
        estimand, method_name="backdoor.doubly_robust", target_units="ate", **kwargs
    )
    se = float(est.get_standard_error()) if boot_reps else float("nan")
    return float(est.value), se


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run the benchmark, print a table and return the numbers."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--covariates", type=int, default=15)
    parser.add_argument("--boot-reps", type=int, default=3, help="DoWhy bootstrap replicates timed")
    parser.add_argument("--repeats", type=int, default=2, help="timed runs of evalkit (best kept)")
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    logging.disable(logging.WARNING)

    frame, names = make_data(args.rows, args.covariates)
    print(f"data: {args.rows:,} rows x {args.covariates} covariates, true effect 1.0")
    out: dict[str, Any] = {"rows": args.rows, "covariates": args.covariates}

    (est, se), t, mem = measure(lambda: run_evalkit(frame, names), args.repeats)
    out["evalkit_aipw"] = {"estimate": est, "se": se, "seconds": t, "peak_mib": mem}
    (est, se), t, mem = measure(lambda: run_drdid(frame, names))
    out["drdid"] = {"estimate": est, "se": se, "seconds": t, "peak_mib": mem}
    (est, _), t, mem = measure(lambda: run_dowhy(frame, names))
    out["dowhy_point"] = {"estimate": est, "seconds": t, "peak_mib": mem}
    if args.boot_reps:
        gc.collect()
        start = time.perf_counter()
        _, se_boot = run_dowhy(frame, names, boot_reps=args.boot_reps)
        boot_seconds = time.perf_counter() - start
        per_rep = max(boot_seconds - t, 0.0) / args.boot_reps
        out["dowhy_bootstrap"] = {
            "reps_timed": args.boot_reps,
            "seconds": boot_seconds,
            "seconds_per_rep": per_rep,
            "se_from_reps_timed": se_boot,
            "extrapolated_seconds_399_reps": t + 399 * per_rep,
        }

    ours = out["evalkit_aipw"]
    print(f"{'':28}{'estimate':>10}{'se':>10}{'seconds':>10}{'peak MiB':>10}{'time x':>9}")
    for key, label in (
        ("evalkit_aipw", "evalkit aipw (ATT + IF SE)"),
        ("drdid", "drdid DR ATT (+ IF SE)"),
        ("dowhy_point", "DoWhy DR ATE (point only)"),
    ):
        row = out[key]
        ratio = row["seconds"] / ours["seconds"]
        se_text = f"{row['se']:10.5f}" if "se" in row else f"{'-':>10}"
        print(
            f"{label:28}{row['estimate']:10.5f}{se_text}{row['seconds']:10.2f}"
            f"{row['peak_mib']:10.0f}{ratio:9.1f}"
        )
    if "dowhy_bootstrap" in out:
        b = out["dowhy_bootstrap"]
        print(
            f"DoWhy bootstrap SE: {b['seconds_per_rep']:.1f} s per replicate on all rows; "
            f"its default 399 replicates ~ {b['extrapolated_seconds_399_reps'] / 60:.0f} min "
            f"= {b['extrapolated_seconds_399_reps'] / ours['seconds']:.0f} x evalkit's time "
            f"(SE from {b['reps_timed']} timed replicates: {b['se_from_reps_timed']:.5f})"
        )
    print(
        f"memory: DoWhy point / evalkit = "
        f"{out['dowhy_point']['peak_mib'] / ours['peak_mib']:.1f} x; "
        f"drdid / evalkit = {out['drdid']['peak_mib'] / ours['peak_mib']:.1f} x"
    )
    return out


if __name__ == "__main__":
    main()
