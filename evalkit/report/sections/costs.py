"""What the measure cost and what it saved."""

from __future__ import annotations

from evalkit.audit.costs import cost_table
from evalkit.report.render import (
    fmt_num,
    number,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    ProtectedResults,
)


@measure_section("costs")
def costs(r: ProtectedResults, lang: str) -> Parts:
    """Costs per participant, savings, net cost, cost per additional person, break-even."""
    w = words(lang)
    summary_ = r.costs
    if summary_ is None or not summary_.available:
        return [paragraph(w["cost_text"]["unavailable"])]
    frame = cost_table(summary_)
    c = w["columns"]
    rows = []
    for row in frame.itertuples(index=False):
        bounded = number(row.ci_low) is not None and number(row.ci_high) is not None
        interval = (
            f"{fmt_num(row.ci_low, lang)}\u2009–\u2009{fmt_num(row.ci_high, lang)}"
            if bounded
            else (w["cost_text"]["unbounded"] if row.item.endswith("per_additional") else "")
        )
        rows.append(
            (
                label(lang, "cost_items", row.item),
                label(lang, "cost_views", row.view),
                fmt_num(row.estimate, lang, 0),
                interval,
            )
        )
    parts = [
        table(
            [c["item"], c["source"], f"{c['value']} ({w['currency']})", c["ci"]],
            rows,
            numeric=(2, 3),
        )
    ]
    be = summary_.municipality.break_even if summary_.municipality else None
    if be is not None and be.months is not None:
        parts.append(paragraph(w["cost_text"]["break_even"].format(months=be.months)))
    elif be is not None and be.horizon_months:
        parts.append(paragraph(w["cost_text"]["no_break_even"].format(months=be.horizon_months)))
    return parts
