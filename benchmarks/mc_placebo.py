"""Monte Carlo: placebo equivalence tests (AIPW headline) without and with a hidden drive.

On simulated stacked samples (``tests/simulate_designs.py``; ~3,000 persons, ~500 participants)
the headline AIPW with histories at u-1 is run on the two placebo outcomes (work or studies 25
months before start; assistance paid 25-36 months before start). Printed per scenario: how often
each test, and both together, pass (equivalence shown), fail as ``different`` (the plain test
rejects zero) or stay ``inconclusive``, for the margin at the MDE at 90 % power (the default) and
at 80 % power; and the mean placebo z-value.

- ``observables``: joining depends on recorded traits only: a placebo should pass.
- ``hidden_<x>``: joining also depends on an unrecorded fixed trait (x log-odds per SD) that
  raises work in every month, also 25-36 months before start: the placebo should fail.
Run: ``python -m benchmarks.mc_placebo [--reps N] [--persons N]``.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from benchmarks._montecarlo import (
    HISTORY_COVARIATES,
    STATIC_COVARIATES,
    run_scenarios,
    simulate_stacked,
)
from evalkit.diagnostics.placebo import equivalence_test, placebo_covariates
from evalkit.estimators.aipw import aipw

SCENARIOS: dict[str, dict[str, Any]] = {
    "observables": {},
    "hidden_0.4": {"hidden": 0.4},
    "hidden_0.8": {"hidden": 0.8},
}
PLACEBOS = ("placebo_work_or_study_25m_before", "placebo_assistance_sek_25_36m_before")
POWERS = (0.9, 0.8)


def replicate(scenario: dict[str, Any], persons: int, seed: int) -> dict[str, Any]:
    """One sample: status of each placebo test under each margin rule, and its z-value."""
    frame = simulate_stacked(persons, seed=seed, truth_reps=1, **scenario).frame
    covariates = [*STATIC_COVARIATES, *HISTORY_COVARIATES]
    out: dict[str, Any] = {"n_treated": int(frame.treated.sum())}
    for outcome in PLACEBOS:
        data, kept, info = placebo_covariates(frame, outcome, covariates)
        r = aipw(data, outcome, covariates=kept, cluster="cluster_id")
        out[f"z:{outcome}"] = r.estimate / r.se
        for power in POWERS:
            test = equivalence_test(r, data, power=power, details=info)
            out[f"{power}:{outcome}"] = test.status
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Rates of each status per test and margin rule, and of both tests passing."""
    out: dict[str, Any] = {
        "reps": len(rows),
        "mean_treated": float(np.mean([r["n_treated"] for r in rows])),
    }
    for power in POWERS:
        for outcome in PLACEBOS:
            status = [r[f"{power}:{outcome}"] for r in rows]
            out[f"{power}:{outcome}"] = {
                s: float(np.mean([x == s for x in status]))
                for s in ("equivalent", "different", "inconclusive")
            }
        both = [all(r[f"{power}:{o}"] == "equivalent" for o in PLACEBOS) for r in rows]
        out[f"{power}:both_pass"] = float(np.mean(both))
    for outcome in PLACEBOS:
        out[f"mean_z:{outcome}"] = float(np.mean([r[f"z:{outcome}"] for r in rows]))
    return out


def show(name: str, summary: dict[str, Any], seconds: float) -> None:
    """Print one scenario's rates."""
    for power in POWERS:
        for outcome in PLACEBOS:
            v = summary[f"{power}:{outcome}"]
            print(
                f"margin MDE@{power:.0%} {outcome:38s} pass {v['equivalent']:.3f}  "
                f"different {v['different']:.3f}  inconclusive {v['inconclusive']:.3f}"
            )
        both = summary[f"{power}:both_pass"]
        print(f"margin MDE@{power:.0%} both placebos pass {both:.3f}  (fail {1 - both:.3f})")
    for outcome in PLACEBOS:
        print(f"mean z {outcome:38s} {summary[f'mean_z:{outcome}']:+.2f}")


def main(argv: list[str] | None = None) -> int:
    return run_scenarios(
        __doc__.splitlines()[0], SCENARIOS, replicate, summarise, show, argv, first_seed=200_000
    )


if __name__ == "__main__":
    sys.exit(main())
