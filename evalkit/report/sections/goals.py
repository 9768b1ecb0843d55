"""Every goal with its source, target, value and verdict."""

from __future__ import annotations

from evalkit.report.render import (
    esc,
    fmt_effect,
    fmt_num,
    fmt_share,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    GoalVerdict,
    ProtectedResults,
)


def _goal_value(g: GoalVerdict, lang: str) -> str:
    if g.unit == "share":
        return fmt_share(g.value, lang)
    if g.unit == "share_points":
        v = fmt_effect(g.value, None, lang, "share")
        return f"{v} {words(lang)['figures']['pp']}" if g.value is not None else v
    return fmt_num(g.value, lang, 0)


def _goal_target(g: GoalVerdict, lang: str) -> str:
    sign = "≥" if g.direction == "at_least" else "≤"
    if g.unit == "share":
        return f"{sign} {fmt_share(g.target, lang)}"
    if g.unit == "share_points":
        pp = words(lang)["figures"]["pp"]
        return f"{sign} {fmt_effect(g.target, None, lang, 'share')} {pp}"
    return f"{sign} {fmt_num(g.target, lang, 0)}"


def goal_rows(goals: list[GoalVerdict], lang: str) -> list[tuple[str, ...]]:
    """One display row per goal, grouped (sorted) by source document: source, id, text,
    target, deadline, value, verdict, reason."""

    def src(g: GoalVerdict) -> str:
        return g.source.label if g.source else ""

    rows = []
    for g in sorted(goals, key=lambda g: (src(g), str(g.id))):
        reason = label(lang, "verdict_reasons", g.reason) if g.reason else ""
        rows.append(
            (
                src(g),
                g.id,
                g.text,
                _goal_target(g, lang),
                g.deadline.isoformat() if g.deadline else "",
                _goal_value(g, lang),
                label(lang, "verdicts", g.verdict),
                reason,
            )
        )
    return rows


def goal_tables(rows: list[tuple[str, ...]], header: list[str]) -> list[str]:
    """One heading and table per source document, from ``goal_rows`` (rows sorted by source)."""
    parts: list[str] = []
    by_source: dict[str, list[tuple[str, ...]]] = {}
    for row in rows:
        by_source.setdefault(row[0], []).append(row[1:])
    for source, items in by_source.items():
        parts.append(f"<h3>{esc(source)}</h3>")
        parts.append(table(header, items))
    return parts


@measure_section("goals")
def goals(r: ProtectedResults, lang: str) -> Parts:
    """Every goal with source, indicator, target, deadline, value and verdict."""
    w = words(lang)
    if not r.goals:
        return [paragraph(w["headline"]["no_goals"])]
    c = w["columns"]
    header = [c["goal"], c["goal_text"], c["target"], c["deadline"], c["value"], c["verdict"]]
    rows = [
        (*row[:6], f"{row[6]} ({row[7]})" if row[7] else row[6]) for row in goal_rows(r.goals, lang)
    ]
    return ["".join(goal_tables(rows, header))]
