"""How measures compare: rankings by effect and by cost per effect, with uncertainty.

Rules (quoted by the report's portfolio page):

- Each measure is represented by its headline estimate on ``work_or_study_12m`` (the estimator
  named in its results' ``headline``, else ``aipw``, else the first adjusted one; never naive).
- A measure is **not ranked** (shown with its reason) when its run failed (``failed``), it has no
  such estimate (``no_estimate``), or the estimate rests on fewer than
  ``MIN_TREATED_FOR_EFFECT`` treated units, or the sample has fewer, or its count was
  suppressed by disclosure control (``too_few_participants``).
- **By effect**: ranked from the largest estimate down.
- **By cost per additional person in work or studies** (``costs.cost_per_additional``): only
  measures with a positive effect have one; measures whose ratio interval is bounded are ranked
  first, cheapest first, then those with an unbounded interval (effect interval includes zero),
  cheapest first and flagged ``interval_unbounded``. Measures without a positive effect or
  without cost data are listed as not ranked by cost.
- **Probability that measure A has a larger effect than B**: ``Φ((θ_A − θ_B) / √(se_A² + se_B²))``,
  a normal approximation that treats the two estimates as independent. Measures drawing
  comparison persons from the same pool are in fact positively correlated, which would make the
  true probabilities more extreme than shown; the approximation is therefore cautious.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from scipy import stats

from evalkit.audit.goals import MIN_TREATED_FOR_EFFECT, headline_estimate

DEFAULT_OUTCOME = "work_or_study_12m"


def _num(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def measure_entry(
    results: dict[str, Any],
    outcome: str = DEFAULT_OUTCOME,
    *,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> dict[str, Any]:
    """One measure's portfolio row: headline estimate, cost per effect and ranking status."""
    row: dict[str, Any] = {
        "measure_id": results.get("measure_id"),
        "title": results.get("title"),
        "status": "ranked",
        "reason": None,
        "estimator": None,
        "estimate": None,
        "se": None,
        "ci_low": None,
        "ci_high": None,
        "n_treated": None,
        "cost_per_additional": None,
    }
    if results.get("status", "ok") != "ok":
        return {**row, "status": "not_ranked", "reason": "failed"}
    entry = headline_estimate(results, outcome)
    n_sample = _num((results.get("sample") or {}).get("n_treated"))
    hidden = set((results.get("disclosure") or {}).get("suppressed") or [])
    if entry is None or _num(entry.get("estimate")) is None or _num(entry.get("se")) is None:
        small = (n_sample is not None and n_sample < min_treated) or "sample.n_treated" in hidden
        reason = "too_few_participants" if small else "no_estimate"
        return {**row, "status": "not_ranked", "reason": reason}
    row.update({k: entry.get(k) for k in ("estimator", "estimate", "se", "ci_low", "ci_high")})
    n = _num(entry.get("n_treated"))
    row["n_treated"] = int(n) if n is not None else None
    cpa = (results.get("costs") or {}).get("cost_per_additional")
    if isinstance(cpa, dict):
        row["cost_per_additional"] = {
            k: cpa.get(k) for k in ("estimate", "ci_low", "ci_high", "bounded", "defined", "reason")
        }
    too_few = (n is not None and n < min_treated) or (
        n_sample is not None and n_sample < min_treated
    )
    if too_few:
        return {**row, "status": "not_ranked", "reason": "too_few_participants"}
    return row


def prob_better(a: dict[str, Any], b: dict[str, Any]) -> float:
    """P(effect of a > effect of b) under independent normal estimates."""
    diff = float(a["estimate"]) - float(b["estimate"])
    scale = math.sqrt(float(a["se"]) ** 2 + float(b["se"]) ** 2)
    if scale == 0:
        return 1.0 if diff > 0 else 0.0 if diff < 0 else 0.5
    return float(stats.norm.cdf(diff / scale))


def _cost_key(row: dict[str, Any]) -> tuple[int, float]:
    """Sort key: bounded intervals first, then cheapest first."""
    cpa = row["cost_per_additional"]
    return (0 if cpa.get("bounded") else 1, float(cpa["estimate"]))


def portfolio(
    all_results: list[dict[str, Any]],
    *,
    outcome: str = DEFAULT_OUTCOME,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> dict[str, Any]:
    """Rankings by effect and by cost per effect, pairwise probabilities, and unranked measures."""
    rows = [measure_entry(r, outcome, min_treated=min_treated) for r in all_results]
    ranked = sorted(
        (r for r in rows if r["status"] == "ranked"), key=lambda r: -float(r["estimate"])
    )
    for i, row in enumerate(ranked, start=1):
        row["rank_effect"] = i
    costed = [
        r
        for r in ranked
        if r["cost_per_additional"]
        and r["cost_per_additional"].get("defined")
        and _num(r["cost_per_additional"].get("estimate")) is not None
    ]
    costed.sort(key=_cost_key)
    for i, row in enumerate(costed, start=1):
        row["rank_cost"] = i
        row["cost_flag"] = (
            None if row["cost_per_additional"].get("bounded") else "interval_unbounded"
        )
    for row in rows:
        row.setdefault("rank_effect", None)
        row.setdefault("rank_cost", None)
        row.setdefault("cost_flag", None)
    probs = {
        a["measure_id"]: {b["measure_id"]: prob_better(a, b) for b in ranked if b is not a}
        for a in ranked
    }
    return {
        "outcome": outcome,
        "method": "normal_independent",
        "min_treated": min_treated,
        "measures": rows,
        "effect_ranking": [r["measure_id"] for r in ranked],
        "cost_ranking": [r["measure_id"] for r in costed],
        "not_ranked": [
            {"measure_id": r["measure_id"], "title": r["title"], "reason": r["reason"]}
            for r in rows
            if r["status"] != "ranked"
        ],
        "prob_better": probs,
    }


def effect_table(summary: dict[str, Any]) -> pd.DataFrame:
    """The portfolio as one row per measure (ranked first, in rank order), for display."""
    rows = []
    for r in summary["measures"]:
        cpa = (r.get("cost_per_additional") or {}) if r["status"] == "ranked" else {}
        rows.append(
            {
                "measure_id": r["measure_id"],
                "title": r["title"],
                "status": r["status"],
                "reason": r["reason"],
                "rank_effect": r["rank_effect"],
                "estimator": r["estimator"],
                "estimate": r["estimate"],
                "ci_low": r["ci_low"],
                "ci_high": r["ci_high"],
                "n_treated": r["n_treated"],
                "rank_cost": r["rank_cost"],
                "cost_per_additional": cpa.get("estimate") if cpa.get("defined") else None,
                "cost_ci_low": cpa.get("ci_low") if cpa.get("defined") else None,
                "cost_ci_high": cpa.get("ci_high") if cpa.get("defined") else None,
                "cost_flag": r["cost_flag"],
            }
        )
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    order = frame["rank_effect"].fillna(len(frame) + 1)
    return (
        frame.assign(_o=order)
        .sort_values("_o", kind="stable")
        .drop(columns="_o")
        .reset_index(drop=True)
    )


def prob_better_frame(summary: dict[str, Any]) -> pd.DataFrame:
    """Square table: row measure's probability of a larger effect than the column measure's."""
    ids = summary["effect_ranking"]
    data = {b: [summary["prob_better"][a].get(b) for a in ids] for b in ids}
    return pd.DataFrame(data, index=pd.Index(ids, name="measure_id"))
