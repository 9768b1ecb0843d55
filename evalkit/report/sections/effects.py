"""Effects: the estimators side by side, effect paths month by month, subgroups."""

from __future__ import annotations

from typing import Any

from evalkit.estimators.result import EffectResults
from evalkit.plots.event_study import plot_event_study
from evalkit.plots.forest import forest_plot
from evalkit.report.figure import alt_text
from evalkit.report.render import (
    Shown,
    figure_img,
    fmt_count,
    fmt_effect,
    fmt_interval,
    fmt_p,
    heading,
    keep_together,
    paragraph,
    table,
    with_unit,
)
from evalkit.report.sections.base import (
    Parts,
    axis_label,
    change_range,
    change_text,
    chart,
    control_unit,
    measure_section,
    outcome_kind,
    scale,
    unit_label,
)
from evalkit.report.sections.summary import suppressed_sentence
from evalkit.report.wording import label, words
from evalkit.results import (
    Estimate,
    MeasureResults,
    ProtectedResults,
)


def overall_rows(results: MeasureResults, outcome: str) -> list[Estimate]:
    """Overall estimates of one outcome, one per estimator, in the params' estimator order."""
    order = list(results.params.get("estimators") or [])
    return sorted(
        results.overall(outcome),
        key=lambda e: order.index(e.estimator) if e.estimator in order else len(order),
    )


def _control_units(r: MeasureResults, rows: list[Any]) -> str | None:
    """The one unit of every row's comparison count (person-months, persons), or None if mixed."""
    units = {control_unit(r, getattr(e, "estimator", None)) for e in rows}
    return units.pop() if len(units) == 1 else None


def _control_cell(r: MeasureResults, e: Any, uniform: str | None) -> Shown:
    """A comparison count; with its unit in words when the rows' units differ."""
    shown = fmt_count(e.n_control, r.lang)
    if uniform is not None or shown.hidden:
        return shown
    return Shown(with_unit(shown, control_unit(r, e.estimator), r.lang), shown.value)


def effect_rows(
    r: MeasureResults, rows: list[Estimate], outcome: str, kind: str, lang: str
) -> list[tuple]:
    uniform = _control_units(r, rows)
    return [
        (
            label(lang, "estimators", e.estimator),
            fmt_effect(e.estimate, outcome, lang, kind),
            fmt_interval(e.ci_low, e.ci_high, outcome, lang, kind),
            fmt_p(e.p_value, lang),
            fmt_count(e.n_treated, lang),
            _control_cell(r, e, uniform),
        )
        for e in rows
    ]


def effect_header(
    kind: str, lang: str, outcome: str = "", control: str | None = "persons"
) -> list[str]:
    """Column headers of an effects table: the effect's unit, the comparison group's unit."""
    c = words(lang)["columns"]
    unit = unit_label(kind, lang, outcome)
    est = f"{c['estimate']} ({unit})" if unit else c["estimate"]
    ci = f"{c['ci']} ({unit})" if unit else c["ci"]
    n_control = c["n_control"]
    if control is not None:
        n_control = f"{n_control} ({words(lang)['unit_names'][control]})"
    return [c["estimator"], est, ci, c["p_value"], c["n_treated"], n_control]


def _forest_finding(rows: list[Estimate], outcome: str, kind: str, lang: str) -> str:
    """The forest plot's finding in a sentence: the adjusted methods' range, the naive one."""
    fw = words(lang)["figures"]
    adjusted = [e.estimate for e in rows if e.estimate is not None and e.estimator != "naive"]
    naive = [e.estimate for e in rows if e.estimate is not None and e.estimator == "naive"]
    if not adjusted:
        return ""
    span = change_range(min(adjusted), max(adjusted), kind, lang, outcome)
    if naive:
        return fw["forest_finding"].format(
            range=span, naive=change_text(naive[0], kind, lang, outcome)
        )
    return fw["forest_finding_all"].format(range=span)


def warning_note(rows: list[Estimate], lang: str) -> str | None:
    """What the estimates' warning codes mean, each once with the methods it concerns, in one
    note ('Att tänka på: modellen … konvergerade inte (Matchning)'); None without warnings."""
    w = words(lang)
    methods_of: dict[str, list[str]] = {}
    for e in rows:
        for code in e.warnings or ():
            said = w["warnings"].get(code, code)
            methods = methods_of.setdefault(said, [])
            method = label(lang, "estimators", e.estimator)
            if method not in methods:
                methods.append(method)
    if not methods_of:
        return None
    items = "; ".join(f"{said} ({', '.join(methods)})" for said, methods in methods_of.items())
    return w["warning_note"].format(items=items)


@measure_section("estimates")
def estimates(r: ProtectedResults, lang: str) -> Parts:
    """The effect estimates side by side: a table and a forest plot per main outcome."""
    fw = words(lang)["figures"]
    parts = []
    for outcome in r.outcomes():
        rows = overall_rows(r, outcome)
        if not rows:
            continue
        kind = outcome_kind(r, outcome)
        name = label(lang, "outcomes", outcome)
        lead = r.headline_estimate(outcome)
        why = suppressed_sentence(r, lead) if lead is not None and not lead.has_value else None
        parts.append(
            keep_together(
                heading(f"estimates-{outcome}", name, 3),
                paragraph(why, "note") if why else "",
                table(
                    effect_header(kind, lang, outcome, _control_units(r, rows)),
                    effect_rows(r, rows, outcome, kind, lang),
                    label=name,
                    numeric=(1, 2, 3, 4, 5),
                ),
            )
        )
        note = warning_note(rows, lang)
        if note:
            parts.append(paragraph(note, "note"))
        if not any(e.has_value for e in rows):
            continue
        fig = forest_plot(
            [e.to_result() for e in rows],
            labels=words(lang)["estimators"],
            xlabel=axis_label(outcome, kind, lang),
            highlight=r.headline.estimator if r.headline else None,
            scale=scale(kind),
            lang=lang,
        )
        what = fw["forest_alt"].format(
            outcome=label(lang, "what", outcome), n=sum(e.has_value for e in rows)
        )
        parts.append(figure_img(fig, alt_text(what, _forest_finding(rows, outcome, kind, lang))))
    return parts or None


def _path_finding(points: list[Estimate], outcome: str, kind: str, lang: str) -> str:
    """The finding of an effect path in sentences: lowest and highest month, lock-in (the first
    months whose whole interval lies below zero), and from which month the interval stays above."""
    fw = words(lang)["figures"]
    post = sorted((p for p in points if p.event_time >= 1 and p.has_value), key=_month)
    if not post:
        return ""

    low = min(post, key=lambda p: p.estimate)
    high = max(post, key=lambda p: p.estimate)
    out = [
        fw["path_finding"].format(
            k_min=low.event_time,
            low=change_text(low.estimate, kind, lang, outcome),
            k_max=high.event_time,
            high=change_text(high.estimate, kind, lang, outcome),
        )
    ]
    lock = 0
    for p in post:
        if p.ci_high is None or p.ci_high >= 0:
            break
        lock += 1
    if lock and kind == "share":
        out.append(fw["path_lock_in"].format(months=lock))
    above = [p.ci_low is not None and p.ci_low > 0 for p in post]
    for i in range(len(post)):
        if all(above[i:]) and i < len(post) - 1:
            out.append(fw["path_positive"].format(k=post[i].event_time))
            break
    return " ".join(out)


def _hidden_path(r: ProtectedResults, pts: list[Estimate], outcome: str, method: str) -> str:
    """Why an effect path is not shown at all: its disclosure reason, in a sentence."""
    first = next((e for e in pts if e.n_treated is not None), pts[0])
    why = suppressed_sentence(r, first) or words(r.lang)["headline"]["suppressed"]
    return f"{method}: {why}"


def _month(e: Estimate) -> int:
    return e.event_time if e.event_time is not None else 0


@measure_section("path")
def effect_path(r: ProtectedResults, lang: str) -> Parts:
    """The effect path by month since start (dynamic matching, cs_did dynamic, event study):
    one chart per estimator, its finding in words, its numbers as a table."""
    outcomes = r.path_outcomes()
    if not outcomes:
        return None
    fw = words(lang)["figures"]
    c = words(lang)["columns"]
    parts = []
    for outcome in outcomes:
        series = r.paths(outcome)
        kind = outcome_kind(r, outcome)
        name = label(lang, "outcomes", outcome)
        unit = unit_label(kind, lang, outcome)
        parts.append(heading(f"path-{outcome}", name, 3))
        for estimator, pts in series.items():
            method = label(lang, "estimators", estimator)
            pts = sorted(pts, key=_month)
            rows = [
                (
                    fmt_count(e.event_time, lang),
                    fmt_effect(e.estimate, outcome, lang, kind),
                    fmt_interval(e.ci_low, e.ci_high, outcome, lang, kind),
                )
                for e in pts
            ]
            caption = fw["path_caption"].format(outcome=name, estimator=method)
            if not any(e.has_value for e in pts):
                parts.append(paragraph(_hidden_path(r, pts, outcome, method), "note"))
                continue
            fig = plot_event_study(
                EffectResults([e.to_result() for e in pts]),
                xlabel=fw["month"],
                ylabel=axis_label(outcome, kind, lang),
                scale=scale(kind),
                lang=lang,
            )
            est = f"{c['estimate']} ({unit})" if unit else c["estimate"]
            ci = f"{c['ci']} ({unit})" if unit else c["ci"]
            parts.append(
                chart(
                    fig,
                    what=fw["path_alt"].format(
                        outcome=label(lang, "what", outcome), estimator=method
                    ),
                    finding=_path_finding(pts, outcome, kind, lang),
                    caption=caption,
                    header=[c["event_time"], est, ci],
                    rows=rows,
                    lang=lang,
                    numeric=(0, 1, 2),
                )
            )
            note = warning_note(pts, lang)
            if note:
                parts.append(paragraph(note, "note"))
    return parts


@measure_section("subgroups")
def subgroups(r: ProtectedResults, lang: str) -> Parts:
    """Effects in subgroups; suppressed groups are shown as such."""
    if not r.subgroups:
        return None
    c = words(lang)["columns"]
    parts = []
    by_outcome: dict[str, list[Any]] = {}
    for s in r.subgroups:
        by_outcome.setdefault(s.outcome, []).append(s)
    for outcome, items in by_outcome.items():
        kind = outcome_kind(r, outcome)
        uniform = _control_units(r, items)
        body = [
            (
                label(lang, "subgroups", s.subgroup),
                label(lang, "levels", s.level),
                fmt_effect(s.estimate, outcome, lang, kind),
                fmt_interval(s.ci_low, s.ci_high, outcome, lang, kind),
                fmt_count(s.n_treated, lang),
                _control_cell(r, s, uniform),
            )
            for s in items
        ]
        head = effect_header(kind, lang, outcome, uniform)
        name = label(lang, "outcomes", outcome)
        parts.append(
            keep_together(
                heading(f"subgroups-{outcome}", name, 3),
                table(
                    [c["subgroup"], c["level"], head[1], head[2], head[4], head[5]],
                    body,
                    label=name,
                    numeric=(2, 3, 4, 5),
                ),
            )
        )
    return parts
