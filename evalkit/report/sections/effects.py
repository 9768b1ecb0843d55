"""Effects: the estimators side by side, effect paths month by month, subgroups."""

from __future__ import annotations

from typing import Any

from evalkit.estimators.result import EffectResults
from evalkit.plots.event_study import plot_event_study
from evalkit.plots.forest import forest_plot
from evalkit.report.render import (
    esc,
    figure_img,
    fmt_count,
    fmt_effect,
    fmt_interval,
    fmt_p,
    heading,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    axis_label,
    measure_section,
    outcome_kind,
    scale,
    tidy_axis,
    unit_label,
)
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


def effect_rows(rows: list[Estimate], outcome: str, kind: str, lang: str) -> list[tuple]:
    return [
        (
            label(lang, "estimators", e.estimator),
            fmt_effect(e.estimate, outcome, lang, kind),
            fmt_interval(e.ci_low, e.ci_high, outcome, lang, kind),
            fmt_p(e.p_value, lang),
            fmt_count(e.n_treated, lang),
            fmt_count(e.n_control, lang),
        )
        for e in rows
    ]


def effect_header(kind: str, lang: str) -> list[str]:
    c = words(lang)["columns"]
    unit = unit_label(kind, lang)
    est = f"{c['estimate']} ({unit})" if unit else c["estimate"]
    return [c["estimator"], est, c["ci"], c["p_value"], c["n_treated"], c["n_control"]]


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
        parts.append(heading(f"estimates-{outcome}", label(lang, "outcomes", outcome), 3))
        parts.append(
            table(
                effect_header(kind, lang),
                effect_rows(rows, outcome, kind, lang),
                numeric=(1, 2, 3, 4, 5),
            )
        )
        fig = forest_plot(
            [e.to_result() for e in rows],
            labels=words(lang)["estimators"],
            xlabel=axis_label(outcome, kind, lang),
            highlight=r.headline.estimator if r.headline else None,
            scale=scale(kind),
        )
        tidy_axis(fig, lang, "x")
        parts.append(figure_img(fig, fw["forest_alt"].format(outcome=label(lang, "what", outcome))))
    return parts or None


@measure_section("path")
def effect_path(r: ProtectedResults, lang: str) -> Parts:
    """The effect path by month since start (dynamic matching, cs_did dynamic, event study)."""
    outcomes = r.path_outcomes()
    if not outcomes:
        return None
    fw = words(lang)["figures"]
    c = words(lang)["columns"]
    parts = []
    for outcome in outcomes:
        series = r.paths(outcome)
        kind = outcome_kind(r, outcome)
        parts.append(heading(f"path-{outcome}", label(lang, "outcomes", outcome), 3))
        alt = fw["path_alt"].format(outcome=label(lang, "outcomes", outcome))
        for name, pts in series.items():
            fig = plot_event_study(
                EffectResults([e.to_result() for e in pts]),
                title=label(lang, "estimators", name),
                xlabel=fw["month"],
                ylabel=axis_label(outcome, kind, lang),
                scale=scale(kind),
            )
            tidy_axis(fig, lang, "y", months_on_x=True)
            parts.append(figure_img(fig, f"{alt} ({label(lang, 'estimators', name)})"))
        rows = [
            (
                label(lang, "estimators", name),
                e.event_time,
                fmt_effect(e.estimate, outcome, lang, kind),
                fmt_interval(e.ci_low, e.ci_high, outcome, lang, kind),
            )
            for name, pts in series.items()
            for e in sorted(pts, key=lambda e: e.event_time)
        ]
        parts.append(
            "<details><summary>"
            + esc(c["event_time"])
            + "</summary>"
            + table(
                [c["estimator"], c["event_time"], c["estimate"], c["ci"]], rows, numeric=(1, 2, 3)
            )
            + "</details>"
        )
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
        body = [
            (
                label(lang, "subgroups", s.subgroup),
                label(lang, "levels", s.level),
                fmt_effect(s.estimate, outcome, lang, kind),
                fmt_interval(s.ci_low, s.ci_high, outcome, lang, kind),
                fmt_count(s.n_treated, lang),
                fmt_count(s.n_control, lang),
            )
            for s in items
        ]
        head = effect_header(kind, lang)
        parts.append(heading(f"subgroups-{outcome}", label(lang, "outcomes", outcome), 3))
        parts.append(
            table(
                [c["subgroup"], c["level"], head[1], head[2], head[4], head[5]],
                body,
                numeric=(2, 3, 4, 5),
            )
        )
    return parts
