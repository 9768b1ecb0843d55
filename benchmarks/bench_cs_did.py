"""cs_did against the PyPI ``csdid`` package on a monthly panel: same numbers, evalkit's speed.

Run ``python -m benchmarks.bench_cs_did`` (``--units``, ``--months``, ``--cohorts``, ``--repeat``).
Prints, with and without a covariate (best of ``--repeat`` runs each): the largest absolute difference in ATT(g,t) and in their
analytic SEs and in the simple aggregate, both timings, and evalkit's time as a ratio of csdid's.
"""

from __future__ import annotations

import argparse
import contextlib
import io
import time
import warnings
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd

from evalkit.estimators.cs_did import cs_did


def monthly_panel(
    units: int = 5000, months: int = 48, cohorts: int = 24, seed: int = 1
) -> pd.DataFrame:
    """A balanced monthly panel: cohorts start in consecutive months mid-window, ~30 % never treated."""
    rng = np.random.default_rng(seed)
    first = (months - cohorts) // 2 + 1
    starts = np.arange(first, first + cohorts)
    x = rng.normal(size=units)
    # selection on x: higher x joins earlier and more often
    p_never = 1 / (1 + np.exp(0.85 + 0.5 * x))
    never = rng.random(units) < p_never
    rank = np.clip(
        (rng.normal(size=units) - 0.5 * x) * cohorts / 4 + cohorts / 2, 0, cohorts - 1
    ).astype(int)
    cohort = np.where(never, 0, starts[rank])
    t = np.arange(1, months + 1)
    alpha = x + rng.normal(scale=0.5, size=units)
    e = t[None, :] - cohort[:, None]
    effect = np.where((cohort[:, None] > 0) & (e >= 0), -0.1 + 0.02 * e, 0.0)
    y = alpha[:, None] + 0.01 * t[None, :] + 0.1 * x[:, None] * t[None, :] / months + effect
    y = y + rng.normal(scale=0.3, size=y.shape)
    return pd.DataFrame(
        {
            "id": np.repeat(np.arange(units), months),
            "month": np.tile(t, units),
            "cohort": np.repeat(cohort, months),
            "x": np.repeat(x, months),
            "y": y.ravel(),
        }
    )


def _timed(fn: Callable[[], Any], repeat: int) -> tuple[Any, float]:
    """Best wall time of ``repeat`` runs, and the last result."""
    best, out = float("inf"), None
    for _ in range(repeat):
        t0 = time.perf_counter()
        out = fn()
        best = min(best, time.perf_counter() - t0)
    return out, best


def _run_csdid(frame: pd.DataFrame, xformla: str) -> tuple[pd.DataFrame, float]:
    """ATT(g,t) with analytic SEs and the simple aggregate from csdid (dr, never treated, varying)."""
    from csdid.att_gt import ATTgt

    with warnings.catch_warnings(), contextlib.redirect_stdout(io.StringIO()):
        warnings.simplefilter("ignore")
        model = ATTgt(
            yname="y", tname="month", idname="id", gname="cohort", data=frame, xformla=xformla
        )
        model.fit(est_method="dr", base_period="varying", bstrap=False)
        model.aggte(typec="simple", bstrap=False)
    res = model.results
    cells = pd.DataFrame(
        {"group": res["group"], "time": res["year"], "att": res["att"], "se": res["se"]}
    )
    simple = float(np.asarray(model.atte["overall_att"]).ravel()[0])
    return cells, simple


def _run_evalkit(frame: pd.DataFrame, covariates: list[str]) -> tuple[pd.DataFrame, float]:
    """The same from evalkit (cells plus the simple aggregate only, as csdid computes)."""
    res = cs_did(
        frame,
        "y",
        unit="id",
        time="month",
        cohort="cohort",
        covariates=covariates,
        aggregations=["simple"],
    )
    cells = res.filter(aggregation="att_gt").to_frame()[["group", "time", "estimate", "se"]]
    return cells, res.filter(aggregation="simple")[0].estimate


def compare(frame: pd.DataFrame, covariates: list[str], repeat: int) -> dict[str, float]:
    """Time both packages and return the differences and timings."""
    xformla = "y~" + ("+".join(covariates) if covariates else "1")
    (ours, our_simple), t_ours = _timed(lambda: _run_evalkit(frame, covariates), repeat)
    (theirs, their_simple), t_theirs = _timed(lambda: _run_csdid(frame, xformla), repeat)
    merged = theirs.merge(ours, on=["group", "time"], how="outer", validate="one_to_one")
    if len(merged) != len(ours) or len(merged) != len(theirs):
        raise AssertionError(
            f"different cells: evalkit {len(ours)}, csdid {len(theirs)}, union {len(merged)}"
        )
    d_att = float(np.nanmax(np.abs(merged["estimate"] - merged["att"])))
    d_se = float(np.nanmax(np.abs(merged["se_x"] - merged["se_y"])))
    return {
        "cells": len(merged),
        "max_abs_diff_att": d_att,
        "max_abs_diff_se": d_se,
        "abs_diff_simple": abs(our_simple - their_simple),
        "evalkit_s": t_ours,
        "csdid_s": t_theirs,
        "ratio": t_ours / t_theirs,
    }


def main(argv: list[str] | None = None) -> dict[str, dict[str, float]]:
    """Run the comparison with and without a covariate and print a small table."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--units", type=int, default=5000)
    parser.add_argument("--months", type=int, default=48)
    parser.add_argument("--cohorts", type=int, default=24)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    frame = monthly_panel(args.units, args.months, args.cohorts)
    n_cohorts = frame.loc[frame["cohort"] > 0, "cohort"].nunique()
    print(
        f"panel: {args.units} units × {args.months} months, {n_cohorts} cohorts, {len(frame)} rows"
    )
    out = {}
    for label, covs in (("no covariate", []), ("covariate x", ["x"])):
        r = compare(frame, covs, args.repeat)
        out[label] = r
        print(
            f"{label:>13}: {r['cells']} ATT(g,t) cells; max |Δatt| {r['max_abs_diff_att']:.2e}, "
            f"max |Δse| {r['max_abs_diff_se']:.2e}, |Δsimple| {r['abs_diff_simple']:.2e}; "
            f"evalkit {r['evalkit_s']:.2f} s, csdid {r['csdid_s']:.2f} s, ratio {r['ratio']:.3f} "
            f"({1 / r['ratio']:.0f}× faster)"
        )
        tol = 1e-8
        if r["max_abs_diff_att"] > tol or r["max_abs_diff_se"] > tol or r["abs_diff_simple"] > tol:
            raise AssertionError(f"estimates differ from csdid by more than {tol}: {r}")
    return out


if __name__ == "__main__":
    main()
