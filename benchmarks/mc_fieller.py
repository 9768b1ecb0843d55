"""Monte Carlo: coverage of the cost ratios' Fieller intervals when cost and effect are correlated.

``simulate_paths`` (``tests/simulate_paths.py``): a measure changes being in work or studies month
by month (lock-in, then a positive effect) and assistance falls by 6 000 SEK in each month in
work, so the assistance saved (and with it the municipality's net cost) moves with the extra
months in work: numerator and denominator of "net cost per extra month in work or studies" are
strongly correlated. The true ratio is ``(c - 6000 W) / W`` with W the true discounted extra
months over 24 months and c the own cost per participant; per extra person it is
``(c - 6000 W) / e_24``. Each replication estimates the monthly path with AIPW
(``audit.horizon``) and the ratios with Fieller's interval (``audit.costs.horizon_ratios``),
once with the covariance from the influence functions (what evalkit does) and once with it
assumed zero (what it did before). Printed: coverage of the true ratio, mean correlation of
numerator and denominator, and median interval width.
Run: ``python -m benchmarks.mc_fieller [--reps N] [--persons N]``.
"""

from __future__ import annotations

import sys
from typing import Any

import numpy as np

from benchmarks._montecarlo import run_scenarios  # puts tests/ (the simulators) on the path
from evalkit.audit import horizon as hz
from evalkit.audit.costs import horizon_ratios, ratio_of
from evalkit.results import Horizon, MeasureResults

simulate = __import__("simulate_paths")
COVARIATES, simulate_paths = simulate.COVARIATES, simulate.simulate_paths

MONTHS = 24
RATE = 0.035
OWN_COST = 30_000.0
SEK_PER_WORK_MONTH = 6_000.0

SCENARIOS: dict[str, dict[str, Any]] = {
    "lock_in_then_positive": {"lock_in": 6, "lock_in_effect": -0.25, "after_effect": 0.15},
    "positive_from_start": {"lock_in": 0, "lock_in_effect": 0.0, "after_effect": 0.10},
}


def truth(scenario: dict[str, Any]) -> tuple[float, float]:
    """True net cost per extra (discounted) month and per extra person in month 24."""
    k = np.arange(1, MONTHS + 1)
    effect = np.where(
        k <= scenario["lock_in"], scenario["lock_in_effect"], scenario["after_effect"]
    )
    months = float(hz.discount_factors(MONTHS, RATE) @ effect)
    net = OWN_COST - SEK_PER_WORK_MONTH * months
    return net / months, net / float(effect[-1])


def replicate(scenario: dict[str, Any], persons: int, seed: int) -> dict[str, Any]:
    """One sample: both ratios with the covariance and with it assumed zero."""
    frame = simulate_paths(
        persons,
        MONTHS,
        seed=seed,
        sek_per_work=-SEK_PER_WORK_MONTH,
        observed_from=MONTHS,
        **scenario,
    )
    paths = hz.monthly_paths(frame, MONTHS, COVARIATES, cluster="cluster_id")
    f = hz.functionals(paths, MONTHS, RATE)
    results = MeasureResults(measure_id="mc", horizon=Horizon(months=MONTHS, functionals=[f]))
    per_month, per_person = horizon_ratios(results, OWN_COST)
    true_month, true_person = truth(scenario)
    out: dict[str, Any] = {"n_treated": paths.n_treated}
    s = "savings_discounted"
    for key, ratio, den, true in (
        ("per_month", per_month, "work_months_discounted", true_month),
        ("per_person", per_person, "work_share_at_end", true_person),
    ):
        naive = ratio_of(OWN_COST - f.estimate(s), f.cov(s, s), f.estimate(den), f.cov(den, den))
        for name, r in (("covariance", ratio), ("assumed_zero", naive)):
            covered = bool(r.bounded and r.ci_low <= true <= r.ci_high)
            width = r.ci_high - r.ci_low if r.bounded else np.inf
            out[f"{key}:{name}"] = (covered, width, r.correlation if r.correlation else 0.0)
    return out


def summarise(rows: list[dict[str, Any]]) -> dict[str, Any]:
    """Coverage, median width and mean correlation per ratio and method."""
    out: dict[str, Any] = {
        "reps": len(rows),
        "mean_treated": float(np.mean([r["n_treated"] for r in rows])),
    }
    for key in rows[0]:
        if ":" in key:
            arr = np.array([r[key] for r in rows], dtype=float)
            out[key] = {
                "coverage": float(arr[:, 0].mean()),
                "median_width": float(np.median(arr[:, 1])),
                "mean_correlation": float(arr[:, 2].mean()),
            }
    return out


def show(name: str, summary: dict[str, Any], seconds: float) -> None:
    """Print the figures."""
    for key, v in summary.items():
        if isinstance(v, dict):
            print(
                f"{key:26s} coverage {v['coverage']:.3f}  median width {v['median_width']:,.0f}"
                f"  correlation {v['mean_correlation']:+.2f}"
            )


def main(argv: list[str] | None = None) -> int:
    return run_scenarios(
        __doc__.splitlines()[0], SCENARIOS, replicate, summarise, show, argv, first_seed=500_000
    )


if __name__ == "__main__":
    sys.exit(main())
