"""Every goal with its source, decision date, target and value in their units, the verdict, and
one sentence that says why (the interval that decided it, its adjustment, the grade)."""

from __future__ import annotations

from evalkit.report.render import (
    esc,
    fmt_count,
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


def goal_amount(g: GoalVerdict, value: float | None, lang: str) -> str:
    """A goal's value or target in its unit: '5,0 procentenheter', '42 %', '−1 200 kr'."""
    units = words(lang)["goal_text"]["units"]
    if g.unit == "share":
        return fmt_share(value, lang)
    if g.unit == "share_points":
        text = fmt_effect(value, None, lang, "share")
    elif g.unit == "count":
        text = fmt_count(value, lang)
    else:
        text = fmt_num(value, lang, 0)
    unit = units.get(g.unit or "", "")
    return f"{text} {unit}".strip() if value is not None else text


def _goal_value(g: GoalVerdict, lang: str) -> str:
    return goal_amount(g, g.value, lang)


def _goal_target(g: GoalVerdict, lang: str) -> str:
    sign = "≥" if g.direction == "at_least" else "≤"
    return f"{sign} {goal_amount(g, g.target, lang)}"


def verdict_sentence(g: GoalVerdict, r: ProtectedResults | None, lang: str) -> str:
    """Why a goal got its verdict, in one sentence with the numbers that decided it."""
    t = words(lang)["goal_text"]
    gid = f"{g.id}." if g.id else ""
    verdict = label(lang, "verdicts", g.verdict)
    target = goal_amount(g, g.target, lang)
    reason = g.reason or ""
    if g.kind == "descriptive" and reason in ("value_clears_target", "value_misses_target"):
        if g.unit == "count":
            return t["descriptive_count"].format(
                id=gid, verdict=verdict, value=fmt_count(g.value, lang), target=target
            )
        return t["descriptive"].format(
            id=gid,
            verdict=verdict,
            value=goal_amount(g, g.value, lang),
            start=g.period_start or "",
            end=g.period_end or "",
            target=target,
        )
    lo = g.decision_ci_low if g.decision_ci_low is not None else g.ci_low
    hi = g.decision_ci_high if g.decision_ci_high is not None else g.ci_high
    block = r.diagnostics.multiplicity if r is not None else None
    adjusted = g.adjustment not in (None, "none") and block is not None
    adj = t["adjusted"].format(k=len(block.outcomes)) if adjusted and block else ""
    fields = {
        "id": gid,
        "lo": goal_amount(g, lo, lang),
        "hi": goal_amount(g, hi, lang),
        "adj": adj,
        "target": target,
        "side": t["above"] if g.direction == "at_least" else t["below"],
        "grade": label(lang, "grades", g.grade) if g.grade else "–",
        "mde": goal_amount(g, g.mde, lang),
        "deadline": g.deadline.isoformat() if g.deadline else "",
        "min_share": fmt_count(2 * (r.min_cell if r is not None else 5), lang),
    }
    if reason == "ci_clears_target":
        text = t["uppfyllt"]
    elif reason == "ci_wrong_side":
        text = t["ej_uppfyllt"]
    else:
        text = t.get(reason, "")
    sentence = text.format(**fields) if text else f"{gid} {verdict}."
    if reason == "deadline_not_reached" and g.provisional_verdict:
        sentence += t["provisional"].format(verdict=label(lang, "verdicts", g.provisional_verdict))
    return sentence


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


def _decided(g: GoalVerdict) -> str:
    return g.source.decided.isoformat() if g.source and g.source.decided else ""


@measure_section("goals")
def goals(r: ProtectedResults, lang: str) -> Parts:
    """Every goal with source, decision date, target, deadline, value and verdict, then one
    sentence per goal that says why."""
    w = words(lang)
    if not r.goals:
        return [paragraph(w["headline"]["no_goals"])]
    c, t = w["columns"], w["goal_text"]["columns"]
    header = [
        c["goal"],
        c["goal_text"],
        t["decided"],
        c["target"],
        c["deadline"],
        c["value"],
        c["verdict"],
    ]
    by_id = {g.id: g for g in r.goals}
    rows = []
    for row in goal_rows(r.goals, lang):
        g = by_id.get(row[1])
        rows.append((row[0], row[1], row[2], _decided(g) if g else "", *row[3:7]))
    parts = goal_tables(rows, header)
    parts.extend(paragraph(verdict_sentence(g, r, lang)) for g in r.goals)
    return ["".join(parts)]


__all__ = [
    "goal_amount",
    "goal_rows",
    "goal_tables",
    "goals",
    "verdict_sentence",
]
