"""The audit layer: goals and verdicts, costs and savings, credibility, portfolio, disclosure, leaks.

Pure functions over typed results (``evalkit.results``): each takes ``MeasureResults`` (or a list
of them) and returns typed parts, with pandas frames for display. Rules are documented in each
module's docstring. Disclosure control (``protect``) turns ``MeasureResults`` into the
``ProtectedResults`` that the report layer and the results file accept.
"""

from datetime import date
from typing import Any

import pandas as pd

from evalkit.audit.costs import cost_summary, cost_table
from evalkit.audit.credibility import GRADE_LABELS, grade_credibility, warn_on_failed_placebo
from evalkit.audit.disclosure import (
    DEFAULT_MIN_CELL,
    merge_rare,
    protect,
    suppress_frame,
    suppress_table,
)
from evalkit.audit.goals import (
    REASON_LABELS,
    VERDICT_LABELS,
    evaluate_goals,
    goal_matrix,
)
from evalkit.audit.leaks import Finding, format_findings, scan
from evalkit.audit.portfolio import effect_table, portfolio
from evalkit.params.goals import Goal, parse_goals
from evalkit.results import Followup, MeasureResults

__all__ = [
    "audit_measure",
    "DEFAULT_MIN_CELL",
    "GRADE_LABELS",
    "REASON_LABELS",
    "VERDICT_LABELS",
    "Finding",
    "cost_summary",
    "cost_table",
    "effect_table",
    "evaluate_goals",
    "format_findings",
    "goal_matrix",
    "grade_credibility",
    "merge_rare",
    "portfolio",
    "protect",
    "scan",
    "suppress_frame",
    "suppress_table",
]


def audit_measure(
    results: MeasureResults,
    *,
    goals: list[Goal] | None = None,
    costs: pd.DataFrame | None = None,
    as_of: date | None = None,
    min_cell: int | None = None,
    followups: dict[str, Followup] | None = None,
    **cost_options: Any,
) -> MeasureResults:
    """``results`` with its audit parts filled in: ``costs``, ``goals`` and ``credibility``.

    ``goals`` are the params' validated goals (default: ``results.params`` goals); ``as_of``
    defaults to the
    last day the data describe (``results.data_end()``), so that a goal whose deadline lies
    beyond the data cannot be judged yet; ``min_cell`` to ``results.min_cell``.

    Costs come first because two goal indicators read them, then the credibility grades, which
    every causal verdict reads (a Låg grade cannot be judged); ``followups`` are descriptive
    goals' measurement periods (``evaluate_goals``); ``cost_options`` go to
    ``cost_summary`` (e.g. ``price_per_month_sek``, ``mean_months_in_measure``,
    ``participant_months``). Disclosure control is separate: ``protect`` the finished results.
    """
    if goals is None:
        goals = parse_goals(results.params.get("goals") or [])
    as_of = as_of if as_of is not None else results.data_end()
    min_cell = results.min_cell if min_cell is None else min_cell
    with_costs = results.model_copy(
        update={"costs": cost_summary(results, costs=costs, **cost_options)}
    )
    credibility = grade_credibility(with_costs, goals=list(goals or []))
    graded = warn_on_failed_placebo(with_costs, credibility).model_copy(
        update={"credibility": credibility}
    )
    verdicts = evaluate_goals(
        list(goals or []), graded, as_of=as_of, min_cell=min_cell, followups=followups
    )
    return graded.model_copy(update={"goals": verdicts})
