"""Monte Carlo: do the credibility grade and the goal verdicts hold up where the truth is known?

Each replication writes a synthetic municipality (``evalkit.data.synth.write_synth``, its own
seed, with the truth file of its participants' true effects) and runs the registers pipeline
(``evalkit.pipeline.analyse``: AIPW headline, stacked DiD, the second comparison group,
placebo tests, balance, overlap, sensitivity, multiplicity) on several measures, each with two
causal goals (``GOALS``: an effect on work or studies at 12 months and on assistance paid in
months 1-12). The pipeline's results (``MeasureResults``) are stored, so that the summary can
re-grade them under other thresholds without rerunning.

The summary compares every causal verdict with the verdict the truth would give (the city's
true effect against the target: met / not met) and counts:

- ``wrong``: Uppfyllt or Ej uppfyllt against the truth's verdict (a decision that moves money
  the wrong way);
- ``uppfyllt`` / ``ej_uppfyllt`` / ``kan_ej_bedomas`` rates, and the headline's grade;
- how often each credibility rule fails or warns, and the AIPW interval's coverage of the
  city's truth.

The must-shows of issue 11: ``hidden_drive``, measures whose true effect is below the target:
no Uppfyllt and no Hög in at least 95 % of replications; ``observables`` (or ``dip``), a measure
with at least 500 participants and a true effect at least twice the target: Uppfyllt in at
least 80 %; fewer than 30 participants: Kan ej bedömas with the reason (Mentorprogram).

Run (background; a replication of a 15,000-person city takes about a minute of CPU):
``python -m benchmarks.mc_credibility run --scenario hidden_drive --persons 15000 --reps 100``
and ``python -m benchmarks.mc_credibility summary --scenario hidden_drive --persons 15000``.
Results go to ``benchmarks/results/mc_credibility/<scenario>_<persons>/``.
"""

from __future__ import annotations

import argparse
import gzip
import json
import math
import tempfile
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
RESULTS = Path(__file__).resolve().parent / "results" / "mc_credibility"
SEED0 = 70_000
MEASURES = (
    "jobbspar_vard",
    "arbetsmarknadsanstallning",
    "praktik",
    "sprakpraktik",
    "coachning",
    "mentorprogram",
)
#: The causal goals each measure is judged on: (indicator, target, direction).
GOALS: dict[str, list[tuple[str, float, str]]] = {
    "jobbspar_vard": [("effect_work_or_study_12m", 0.10, "at_least"),
                      ("effect_assistance_sek_12m", 0.0, "at_most")],
    "arbetsmarknadsanstallning": [("effect_work_or_study_12m", 0.08, "at_least"),
                                  ("effect_assistance_sek_12m", -20_000.0, "at_most")],
    "praktik": [("effect_work_or_study_12m", 0.03, "at_least"),
                ("effect_assistance_sek_12m", 0.0, "at_most")],
    "sprakpraktik": [("effect_work_or_study_12m", 0.03, "at_least"),
                     ("effect_assistance_sek_12m", 0.0, "at_most")],
    "coachning": [("effect_work_or_study_12m", 0.02, "at_least"),
                  ("effect_assistance_sek_12m", 0.0, "at_most")],
    "mentorprogram": [("effect_work_or_study_12m", 0.02, "at_least"),
                      ("effect_assistance_sek_12m", 0.0, "at_most")],
}  # fmt: skip
OUTCOMES = ["work_or_study_12m", "assistance_sek_12m"]
ESTIMATORS = ["aipw", "stacked_did"]


def goal_dicts(measure: str) -> list[dict[str, Any]]:
    """The measure's Monte Carlo goals as params entries (deadline within the data)."""
    return [
        {
            "id": f"G{i + 1}",
            "source": "Monte Carlo, dnr MC 1/1",
            "text": f"{indicator} {direction} {target}",
            "indicator": indicator,
            "target": target,
            "direction": direction,
            "deadline": "2025-12-31",
        }
        for i, (indicator, target, direction) in enumerate(GOALS[measure])
    ]


def params_for(measure: str, data: Path) -> Any:
    """The demo params of ``measure`` (defaults merged) on ``data``, with the MC goals."""
    from evalkit.params import validate_params

    raw = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    raw.update(yaml.safe_load((ROOT / "params" / f"{measure}.yaml").read_text(encoding="utf-8")))
    raw["data"]["source"]["path"] = str(data)
    raw.update(outcomes=OUTCOMES, estimators=ESTIMATORS, subgroups=[], goals=goal_dicts(measure))
    return validate_params(raw)


def _load_once() -> Any:
    """``Params.load_registers`` memoised per data file: every measure of a city reads the same
    registers, so they are loaded and validated once per city (as the runner's cache does)."""
    from evalkit.params import Params

    original = Params.load_registers
    cache: dict[str, Any] = {}

    def load(self: Any, **kw: Any) -> Any:
        key = str(self.data.source.path)
        if key not in cache:
            cache.clear()
            cache[key] = original(self, **kw)
        return cache[key]

    return load


def replicate(
    scenario: str, persons: int, seed: int, folder: Path, measures: tuple[str, ...] = MEASURES
) -> dict[str, Any]:
    """One city: the pipeline's results per measure, stored; timings returned."""
    from evalkit.data.synth import write_synth
    from evalkit.params import Params
    from evalkit.pipeline import analyse

    if not getattr(Params.load_registers, "_memoised", False):
        Params.load_registers = _load_once()  # type: ignore[method-assign]
        Params.load_registers._memoised = True  # type: ignore[attr-defined]

    out: dict[str, Any] = {"seed": seed}
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.process_time()
        db = write_synth(Path(tmp) / "city.duckdb", persons=persons, seed=seed, scenario=scenario)
        truth = json.loads(db.with_suffix(".truth.json").read_text())
        out["synth_cpu"] = round(time.process_time() - t0, 1)
        for measure in measures:
            t1 = time.process_time()
            try:
                results = analyse(params_for(measure, db))
            except Exception as exc:  # noqa: BLE001 - a measure too small to sample is a result
                out[f"{measure}_error"] = type(exc).__name__
                continue
            record = {"truth": truth.get(measure, {}), "results": results.to_json_dict()}
            path = folder / f"{seed}_{measure}.json.gz"
            path.write_bytes(gzip.compress(json.dumps(record).encode()))
            out[measure] = round(time.process_time() - t1, 1)
    return out


def run(args: argparse.Namespace) -> None:
    """Run (or resume) the replications of one scenario."""
    import os

    os.environ.setdefault("EVALKIT_PSEUDONYM_KEY", "monte-carlo-synthetic-data-only")
    warnings.filterwarnings("ignore")
    folder = RESULTS / f"{args.scenario}_{args.persons}"
    folder.mkdir(parents=True, exist_ok=True)
    log = folder / "runs.jsonl"
    done = (
        {json.loads(line)["seed"] for line in log.read_text().splitlines()}
        if log.exists()
        else set()
    )
    for rep in range(args.reps):
        seed = args.seed0 + rep
        if seed in done:
            continue
        row = replicate(args.scenario, args.persons, seed, folder, tuple(args.measures.split(",")))
        with log.open("a") as fh:
            fh.write(json.dumps(row) + "\n")
        print(f"{args.scenario} seed {seed}: {row}", flush=True)


# --- summary ---------------------------------------------------------------------------------


def truth_verdict(true: float | None, target: float, direction: str) -> str | None:
    """The verdict the truth gives: met or not met."""
    if true is None or not math.isfinite(true):
        return None
    met = true >= target if direction == "at_least" else true <= target
    return "uppfyllt" if met else "ej_uppfyllt"


def judge(record: dict[str, Any], thresholds: Any = None) -> dict[str, Any]:
    """Re-grade and re-judge one stored result under ``thresholds``."""
    from evalkit.audit.credibility import grade_credibility
    from evalkit.audit.goals import evaluate_goals
    from evalkit.params.goals import parse_goals
    from evalkit.results import MeasureResults

    results = MeasureResults.model_validate(record["results"])
    goals = parse_goals(results.params.get("goals") or [])
    graded = results.model_copy(
        update={"credibility": grade_credibility(results, goals=goals, thresholds=thresholds)}
    )
    verdicts = evaluate_goals(goals, graded, as_of=graded.data_end(), min_cell=graded.min_cell)
    return {"results": graded, "verdicts": verdicts}


def summarise(folder: Path, thresholds: Any = None) -> dict[str, Any]:
    """Rates per measure and goal over the stored replications."""
    per: dict[str, dict[str, Any]] = defaultdict(lambda: defaultdict(Counter))
    for path in sorted(folder.glob("*.json.gz")):
        record = json.loads(gzip.decompress(path.read_bytes()))
        measure = path.name.split("_", 1)[1].removesuffix(".json.gz")
        judged = judge(record, thresholds)
        results, truth = judged["results"], record["truth"]
        block = per[measure]
        block["n"]["reps"] += 1
        block["participants"]["sum"] += results.sample.n_treated or 0
        for cred in results.credibility:
            block[f"grade:{cred.outcome}"][cred.grade] += 1
            for rule in cred.rules:
                block[f"rule:{cred.outcome}"][f"{rule.rule}:{rule.status}"] += 1
        for g in judged["verdicts"]:
            key = f"{g.id}:{g.indicator} {g.direction} {g.target}"
            true = truth.get(g.indicator.removeprefix("effect_"))
            expected = truth_verdict(true, g.target, g.direction)
            block[key][g.verdict] += 1
            block[key][f"reason:{g.reason}"] += 1
            block[key][f"truth:{expected}"] += 1
            if g.verdict in ("uppfyllt", "ej_uppfyllt") and expected and g.verdict != expected:
                block[key]["wrong"] += 1
        for outcome in OUTCOMES:
            e = results.headline_estimate(outcome)
            true = truth.get(outcome)
            if e is not None and e.ci_low is not None and true is not None:
                block[f"coverage:{outcome}"][
                    "covered" if e.ci_low <= true <= e.ci_high else "missed"
                ] += 1
    return {m: {k: dict(v) for k, v in b.items()} for m, b in per.items()}


def show(summary: dict[str, Any]) -> None:
    """Print rates (share of replications) per measure."""
    for measure, block in summary.items():
        reps = block["n"]["reps"]
        print(f"\n== {measure}: {reps} replications, "
              f"{block['participants']['sum'] / max(reps, 1):.0f} participants on average")  # fmt: skip
        for key, counts in block.items():
            if key in ("n", "participants"):
                continue
            total = sum(v for k, v in counts.items() if ":" not in k or key.startswith("rule"))
            if key.startswith(("grade", "coverage")):
                total = reps
            shown = ", ".join(f"{k} {v / reps:.3f}" for k, v in sorted(counts.items()))
            print(f"  {key}: {shown}" if total else f"  {key}: -")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("command", choices=("run", "summary"))
    parser.add_argument("--scenario", default="dip")
    parser.add_argument("--persons", type=int, default=15_000)
    parser.add_argument("--reps", type=int, default=100)
    parser.add_argument("--seed0", type=int, default=SEED0)
    parser.add_argument("--measures", default=",".join(MEASURES))
    args = parser.parse_args(argv)
    if args.command == "run":
        run(args)
        return 0
    folder = RESULTS / f"{args.scenario}_{args.persons}"
    summary = summarise(folder)
    (folder / "summary.json").write_text(json.dumps(summary, indent=1, sort_keys=True) + "\n")
    show(summary)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
