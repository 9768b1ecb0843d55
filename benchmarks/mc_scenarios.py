"""Monte Carlo per synthetic scenario: does the headline's 95 % interval cover the truth?

Each replication generates a synthetic city (``evalkit.data.synth.generate``, ``truth=False``)
with its own seed, builds one measure's analysis sample and estimates the headline, AIPW with
``DEFAULT_COVARIATES`` (start quarter dummy-coded by the estimators' encoder) clustered by
person, on a few outcomes. It also runs today's placebo check (``evalkit.diagnostics.placebo``,
AIPW on ``PLACEBO_OUTCOMES``; it rejects when the interval excludes zero).

The truth is the population ATT of the scenario: the true effects of ``--truth-cities`` cities
(other seeds, same size) averaged with their numbers of participants as weights. AIPW's
influence-function interval targets this population effect (it includes the sampling of the
participants' characteristics), not one city's own average.

Under ``attrition`` the outcomes at horizon h are those of units still in the registers at u + h
(complete cases: the sample leaves the others NaN), and the truth at h averages the
participants still in the registers at u + h in both worlds (moving does not depend on the
measure), so complete-case AIPW targets it.

Replications are appended to ``benchmarks/results/mc_<scenario>.jsonl`` (a rerun resumes);
the summary (coverage with its binomial standard error, mean and SD of the z-scores, placebo
rejection rates) is printed and written to ``mc_<scenario>.json``.
Run: ``python -m benchmarks.mc_scenarios --scenario dip --reps 100``.
"""

from __future__ import annotations

import argparse
import json
import time
import warnings
from pathlib import Path
from typing import Any

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
OUTCOMES = ("work_or_study_12m", "assistance_sek_12m", "work_or_study_months_24m")
SEED0 = 50_000
TRUTH_SEED0 = 90_000


def _tables(data: Any) -> dict[str, Any]:
    """Registers with the fake personnummer renamed to person_id (the loader would hash it)."""
    return {n: f.rename(columns={"personnummer": "person_id"}) for n, f in data.tables.items()}


def population_truth(scenario: str, persons: int, cities: int) -> dict[str, dict[str, float]]:
    """The scenario's true effects averaged over cities, weighted by participants in the intake."""
    from evalkit.data.synth import TRUTH_INTAKE, generate

    path = RESULTS / f"mc_truth_{scenario}_{persons}_{cities}.json"
    if path.exists():
        return json.loads(path.read_text())
    sums: dict[str, dict[str, float]] = {}
    weights: dict[str, float] = {}
    for c in range(cities):
        data = generate(persons=persons, seed=TRUTH_SEED0 + c, scenario=scenario)
        parts = data.tables["participations"]
        start = parts["start_date"]
        intake = parts[(start >= f"{TRUTH_INTAKE[0]}-01") & (start < _after(TRUTH_INTAKE[1]))]
        counts = intake.groupby("measure_id").size()
        for measure, effects in data.truth.items():
            w = float(counts.get(measure, 0))
            weights[measure] = weights.get(measure, 0.0) + w
            row = sums.setdefault(measure, {})
            for outcome, value in effects.items():
                if value is not None:
                    row[outcome] = row.get(outcome, 0.0) + w * value
        print(f"truth city {c + 1}/{cities} done", flush=True)
    truth = {
        m: {o: v / weights[m] for o, v in row.items()} for m, row in sums.items() if weights[m]
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(truth, indent=2, sort_keys=True) + "\n")
    return truth


def _after(month: str) -> str:
    """The first day of the month after 'YYYY-MM'."""
    from evalkit.data.months import add_months

    return add_months(month, 1).isoformat()


def replicate(scenario: str, persons: int, measure: str, seed: int) -> dict[str, Any]:
    """One city, one sample, AIPW on the outcomes and the placebo outcomes."""
    from evalkit.data.sample import DEFAULT_COVARIATES, PLACEBO_OUTCOMES, build_sample
    from evalkit.data.synth import generate
    from evalkit.diagnostics.placebo import placebo
    from evalkit.estimators import get

    t0 = time.perf_counter()
    data = generate(persons=persons, seed=seed, scenario=scenario, truth=False)
    sample = build_sample(_tables(data), measure)
    frame = sample.frame
    aipw = get("aipw")
    out: dict[str, Any] = {"seed": seed, "n_treated": sample.describe()["n_treated"]}
    for outcome in OUTCOMES:
        rows = frame.dropna(subset=[outcome])
        r = aipw(rows, outcome, covariates=DEFAULT_COVARIATES, cluster="cluster_id")
        out[outcome] = {"estimate": r.estimate, "se": r.se, "lo": r.ci_low, "hi": r.ci_high}
    for outcome in PLACEBO_OUTCOMES:
        rows = frame.dropna(subset=[outcome])
        r = placebo(aipw, rows, outcome, covariates=DEFAULT_COVARIATES, cluster="cluster_id")
        out[outcome] = {"estimate": r.estimate, "se": r.se, "passes": r.details["placebo_passes"]}
    out["seconds"] = round(time.perf_counter() - t0, 1)
    return out


def summarise(rows: list[dict[str, Any]], truth: dict[str, float]) -> dict[str, Any]:
    """Coverage, z-scores and placebo rejection rates over the replications."""
    from evalkit.data.sample import PLACEBO_OUTCOMES

    n = len(rows)
    summary: dict[str, Any] = {"replications": n}
    for outcome in OUTCOMES:
        true = truth[outcome]
        est = np.array([r[outcome]["estimate"] for r in rows])
        se = np.array([r[outcome]["se"] for r in rows])
        covered = np.array([r[outcome]["lo"] <= true <= r[outcome]["hi"] for r in rows])
        z = (est - true) / se
        cov = float(covered.mean())
        summary[outcome] = {
            "truth": true,
            "coverage": round(cov, 3),
            "coverage_se": round(float(np.sqrt(cov * (1 - cov) / n)), 3),
            "mean_estimate": float(est.mean()),
            "mean_z": round(float(z.mean()), 3),
            "sd_z": round(float(z.std(ddof=1)), 3),
            "sd_estimate_over_mean_se": round(float(est.std(ddof=1) / se.mean()), 3),
        }
    rejects = np.array([[not r[p]["passes"] for p in PLACEBO_OUTCOMES] for r in rows])
    summary["placebo_rejection_rate"] = {
        p: round(float(rejects[:, i].mean()), 3) for i, p in enumerate(PLACEBO_OUTCOMES)
    }
    summary["placebo_rejection_rate"]["either"] = round(float(rejects.any(axis=1).mean()), 3)
    summary["mean_n_treated"] = float(np.mean([r["n_treated"] for r in rows]))
    summary["mean_seconds"] = float(np.mean([r["seconds"] for r in rows]))
    return summary


def main(argv: list[str] | None = None) -> dict[str, Any]:
    """Run (or resume) the replications of one scenario and print the summary."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="dip")
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--persons", type=int, default=30_000)
    parser.add_argument("--measure", default="jobbspar_vard")
    parser.add_argument("--truth-cities", type=int, default=4)
    args = parser.parse_args(argv)
    warnings.filterwarnings("ignore")
    truth = population_truth(args.scenario, args.persons, args.truth_cities)[args.measure]
    RESULTS.mkdir(parents=True, exist_ok=True)
    stem = f"mc_{args.scenario}_{args.measure}_{args.persons}"
    log = RESULTS / f"{stem}.jsonl"
    rows = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    done = {r["seed"] for r in rows}
    with log.open("a") as fh:
        for rep in range(args.reps):
            seed = SEED0 + rep
            if seed in done:
                continue
            row = replicate(args.scenario, args.persons, args.measure, seed)
            fh.write(json.dumps(row) + "\n")
            fh.flush()
            rows.append(row)
            print(f"{args.scenario} rep {len(rows)}/{args.reps} ({row['seconds']} s)", flush=True)
    rows = [r for r in rows if r["seed"] < SEED0 + args.reps]
    summary = {
        "scenario": args.scenario,
        "measure": args.measure,
        "persons": args.persons,
        "truth_cities": args.truth_cities,
        **summarise(rows, truth),
    }
    (RESULTS / f"{stem}.json").write_text(json.dumps(summary, indent=2) + "\n")
    print(json.dumps(summary, indent=2))
    return summary


if __name__ == "__main__":
    main()
