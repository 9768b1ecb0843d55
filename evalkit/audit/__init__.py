"""The audit layer: goals and verdicts, costs and savings, credibility, portfolio, disclosure, leaks.

Pure functions over the parts of a results dict (``docs/CONTRACTS.md``); each returns JSON-safe
dicts and lists, with pandas frames for display. Rules are documented in each module's docstring.
"""

from evalkit.audit.costs import cost_summary, cost_table
from evalkit.audit.credibility import GRADE_LABELS, grade_credibility
from evalkit.audit.disclosure import DEFAULT_MIN_CELL, merge_rare, protect_results, suppress_table
from evalkit.audit.goals import (
    INDICATORS,
    REASON_LABELS,
    VERDICT_LABELS,
    Goal,
    evaluate_goals,
    goal_matrix,
    headline_estimate,
    parse_goals,
)
from evalkit.audit.leaks import Finding, format_findings, scan
from evalkit.audit.portfolio import effect_table, portfolio, prob_better_frame

__all__ = [
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
    "merge_rare",
    "parse_goals",
    "portfolio",
    "prob_better_frame",
    "protect_results",
    "scan",
    "suppress_table",
]
