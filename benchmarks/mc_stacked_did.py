"""Monte Carlo: stacked_did against the truth on simulated stacked risk sets, beside AIPW.

Scenarios (``tests/simulate_designs.py``; ~3,000 persons, ~500 participants a replication):

- ``observables``: joining depends on recorded traits and calendar only; a transitory dip.
- ``hidden_drive``: joining also on a fixed unrecorded trait that raises work in every month.
- ``hidden_persistent``: as ``hidden_drive`` with long-lasting shocks (persistence 0.85): the
  trait also sorts who is fresh out of work, which differencing does not remove.
- ``differential_dip``: caseworkers pick those whose unrecorded shock at u-1 is deepest.
- ``trend_<x>``: participants' paths drift by x per year (a direct parallel-trends violation).
- ``*_base<B>x<L>``: the same with the base averaged over L months from u-B (default 13x6).

Printed per scenario and outcome: bias, SD of the estimates, mean SE, 95 % coverage of
stacked_did and AIPW (histories at u-1 as covariates); the pre-trend test's rejection rate; and
how often the uniform band covers the whole post-period work path (e = 1..24).
Run: ``python -m benchmarks.mc_stacked_did [--reps N] [--persons N] [--scenarios a,b]``.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from benchmarks._montecarlo import (
    HISTORY_COVARIATES,
    STATIC_COVARIATES,
    error_figures,
    run_scenarios,
    simulate_stacked,
)
from evalkit.estimators.aipw import aipw
from evalkit.estimators.stacked_did import stacked_did

SCENARIOS: dict[str, dict[str, Any]] = {
    "observables": {},
    "hidden_drive": {"hidden": 0.8},
    "hidden_persistent": {"hidden": 0.8, "persistence": 0.85},
    "differential_dip": {"dip": 1.0},
    "trend_0.02": {"trend": 0.02},
    "trend_0.04": {"trend": 0.04},
    "trend_0.08": {"trend": 0.08},
    # the base period: u-4 alone and u-13 alone against the default mean of u-13..u-18
    "hidden_drive_base4x1": {"hidden": 0.8, "_base": (4, 1)},
    "hidden_drive_base13x1": {"hidden": 0.8, "_base": (13, 1)},
    "differential_dip_base4x1": {"dip": 1.0, "_base": (4, 1)},
    "hidden_persistent_base4x1": {"hidden": 0.8, "persistence": 0.85, "_base": (4, 1)},
}
OUTCOMES = ("work_or_study_12m", "work_or_study_24m", "assistance_sek_12m", "assistance_sek_24m")


def replicate(scenario: dict[str, Any], persons: int, seed: int) -> dict[str, Any]:
    """One simulated sample: estimates, SEs and coverage of both estimators, pre-trend tests."""
    settings = dict(scenario)
    base = dict(zip(("base_lag", "base_months"), settings.pop("_base", ()), strict=False))
    world = simulate_stacked(persons, seed=seed, truth_reps=10, **settings)
    frame = world.frame
    out: dict[str, Any] = {"n_treated": int(frame.treated.sum())}
    for stem in ("work_or_study", "assistance_sek"):
        res = stacked_did(frame, stem, covariates=list(STATIC_COVARIATES), **base)
        out[f"pretrend_{stem}"] = not res.details["pretrend"]["passes"]
        out[f"pretrend_wald_{stem}"] = res.details["pretrend"]["p_value"] < 0.05
        for r in res:
            if r.outcome in OUTCOMES and r.event_time is None and r.aggregation is None:
                truth = world.truth[r.outcome]
                out[f"did:{r.outcome}"] = (r.estimate - truth, r.se, r.ci_low <= truth <= r.ci_high)
        if stem == "work_or_study":
            inside = []
            for r in res.filter(outcome=stem):
                if r.event_time is not None and r.event_time > 0:
                    truth = world.truth_path[stem][r.event_time]
                    lo, hi = r.details["ci_low_uniform"], r.details["ci_high_uniform"]
                    inside.append(lo <= truth <= hi)
            out["uniform_band_covers_path"] = bool(all(inside))
    covariates = [*STATIC_COVARIATES, *HISTORY_COVARIATES]
    for outcome in OUTCOMES:
        r = aipw(frame, outcome, covariates=covariates, cluster="cluster_id")
        truth = world.truth[outcome]
        out[f"aipw:{outcome}"] = (r.estimate - truth, r.se, r.ci_low <= truth <= r.ci_high)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bias, SD, mean SE and coverage per estimator and outcome; rejection rates."""
    out = error_figures(rows)
    for key in rows[0]:
        if key.startswith(("pretrend", "uniform")):
            out[key] = float(np.mean([r[key] for r in rows]))
    return out


def show(name: str, summary: dict[str, Any], seconds: float) -> None:
    """Print one scenario's figures."""
    print(
        f"{'estimator:outcome':36s} {'bias':>10s} {'(mc se)':>9s} {'sd':>9s} {'mean se':>9s} {'cover':>6s}"
    )
    for key, v in summary.items():
        if isinstance(v, dict):
            print(
                f"{key:36s} {v['bias']:10.4f} {v['mc_se_bias']:9.4f} {v['sd']:9.4f} "
                f"{v['mean_se']:9.4f} {v['coverage']:6.3f}"
            )
    for key in ("pretrend_work_or_study", "pretrend_assistance_sek", "pretrend_wald_work_or_study"):
        print(f"{key:36s} rejects in {summary[key]:.3f} of replications")
    print(f"{'uniform band covers work path 1..24':36s} {summary['uniform_band_covers_path']:.3f}")


def main(argv: list[str] | None = None) -> int:
    return run_scenarios(
        __doc__.splitlines()[0], SCENARIOS, replicate, summarise, show, argv, first_seed=100_000
    )


if __name__ == "__main__":
    sys.exit(main())
