"""The audit layer: goals and verdicts, costs and savings, credibility, portfolio, disclosure, leaks.

Pure functions over the parts of a results dict (``docs/CONTRACTS.md``); each returns JSON-safe
dicts and lists, with pandas frames for display. Rules are documented in each module's docstring.
"""

from datetime import date
from typing import Any

import pandas as pd

from evalkit.audit.costs import cost_summary, cost_table
from evalkit.audit.credibility import GRADE_LABELS, grade_credibility
from evalkit.audit.disclosure import (
    DEFAULT_MIN_CELL,
    merge_rare,
    protect_results,
    suppress_frame,
    suppress_table,
)
from evalkit.audit.goals import (
    INDICATORS,
    REASON_LABELS,
    VERDICT_LABELS,
    Goal,
    evaluate_goals,
    goal_matrix,
    headline_estimate,
    indicator_spec,
    indicator_table,
    parse_goals,
)
from evalkit.audit.leaks import Finding, format_findings, scan
from evalkit.audit.portfolio import effect_table, portfolio, prob_better_frame

__all__ = [
    "audit_measure",
    "DEFAULT_MIN_CELL",
    "GRADE_LABELS",
    "INDICATORS",
    "REASON_LABELS",
    "VERDICT_LABELS",
    "Finding",
    "Goal",
    "cost_summary",
    "cost_table",
    "effect_table",
    "evaluate_goals",
    "format_findings",
    "goal_matrix",
    "grade_credibility",
    "headline_estimate",
    "indicator_spec",
    "indicator_table",
    "merge_rare",
    "parse_goals",
    "portfolio",
    "prob_better_frame",
    "protect_results",
    "scan",
    "suppress_frame",
    "suppress_table",
]


def data_end(results: dict[str, Any]) -> date | None:
    """Last day of the last month the data describe (``data_end``, ``YYYY-MM``), if known."""
    for part in ("sample", "followup"):
        value = (results.get(part) or {}).get("data_end")
        if value:
            try:
                stamp = pd.Timestamp(str(value)[:7] + "-01") + pd.offsets.MonthEnd(0)
            except ValueError:
                continue
            return stamp.date()
    return None


def audit_measure(
    results: dict[str, Any],
    *,
    goals: list[Any] | None = None,
    costs: pd.DataFrame | None = None,
    as_of: date | None = None,
    min_cell: int = DEFAULT_MIN_CELL,
    **cost_options: Any,
) -> dict[str, Any]:
    """The audit sections of one measure's results: ``costs``, ``goals`` and ``credibility``.

    ``as_of`` defaults to the last day the data describe (``data_end`` of ``sample`` or
    ``followup``), so that a goal whose deadline lies beyond the data cannot be judged yet.

    Costs come first because two goal indicators read them. ``goals`` defaults to
    ``results["params"]["goals"]``; ``cost_options`` go to ``cost_summary`` (e.g.
    ``price_per_month_sek``, ``mean_months_in_measure``, ``participant_months``). Disclosure
    control is separate: apply ``protect_results`` to the finished results dict.
    """
    if goals is None:
        goals = (results.get("params") or {}).get("goals") or []
    if as_of is None:
        as_of = data_end(results)
    summary = cost_summary(results, costs=costs, **cost_options)
    with_costs = {**results, "costs": summary}
    verdicts = evaluate_goals(goals, with_costs, as_of=as_of, min_cell=min_cell)
    credibility = grade_credibility(with_costs, goals=verdicts)
    return {"costs": summary, "goals": verdicts, "credibility": credibility}
