"""Monte Carlo: AIPW on complete cases against AIPW with inverse-probability-of-censoring weights.

``simulate_censored`` (``tests/simulate_designs.py``): the effect is 1 + x and participants with
high x leave more often, so complete cases understate the ATT of all participants; weights from
a logit of being observed on (treated, x) should recover it. Printed: bias, SD, mean SE and 95 %
coverage of both (the weighted one's SE treats the weights as known).
Run: ``python -m benchmarks.mc_attrition [--reps N] [--persons N]``.
"""

from __future__ import annotations

import sys
from typing import Any

from benchmarks._montecarlo import error_figures, run_scenarios, simulate_censored
from evalkit.estimators.aipw import aipw
from evalkit.estimators.attrition import censoring_weights

SCENARIOS: dict[str, dict[str, Any]] = {"censored_on_x_and_treatment": {}}


def replicate(scenario: dict[str, Any], persons: int, seed: int) -> dict[str, Any]:
    """One sample: complete-case and weighted AIPW against the truth."""
    del scenario
    frame, truth = simulate_censored(persons, seed)
    out: dict[str, Any] = {"n_treated": int(frame.treated.sum())}
    frame["w"] = censoring_weights(frame, 12, covariates=["x"], interact=True).weights
    for name, options in (("complete_cases", {}), ("ipcw", {"weights": "w"})):
        r = aipw(frame, "y", covariates=["x"], **options)
        out[f"aipw_{name}:ATT"] = (r.estimate - truth, r.se, r.ci_low <= truth <= r.ci_high)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Bias, SD, mean SE and coverage per estimator."""
    return error_figures(rows)


def show(name: str, summary: dict[str, Any], seconds: float) -> None:
    """Print the figures."""
    for key, v in summary.items():
        if isinstance(v, dict):
            print(
                f"{key:28s} bias {v['bias']:+.4f}  sd {v['sd']:.4f}  mean se {v['mean_se']:.4f}  "
                f"coverage {v['coverage']:.3f}"
            )


def main(argv: list[str] | None = None) -> int:
    return run_scenarios(
        __doc__.splitlines()[0], SCENARIOS, replicate, summarise, show, argv, first_seed=300_000
    )


if __name__ == "__main__":
    sys.exit(main())
