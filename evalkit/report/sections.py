"""The sections of a measure's report, each rendered from ``ProtectedResults`` alone.

Every function takes the results that disclosure control produced (``evalkit.audit.disclosure
.protect``) and returns a ``Section``; anything else is a ``TypeError``, so no table or figure can
show a small cell. The opening every section shares (the type check, the language, what a failed
run shows) is one decorator, ``measure_section``: for a failed run every section but the title,
the summary (which says what failed) and the footer is empty, so the measure notebook needs no
``if``. An outcome's unit (``share`` in percentage points, ``sek``, ``num``) is worked out once per
outcome (``outcome_kind``) and handed to every number, axis and header of that outcome.
"""

from __future__ import annotations

import functools
import json
from collections import Counter
from collections.abc import Callable
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evalkit.audit.costs import cost_table
from evalkit.estimators.result import EffectResults
from evalkit.plots.balance import love_plot
from evalkit.plots.event_study import plot_event_study
from evalkit.plots.forest import forest_plot
from evalkit.plots.overlap import overlap_plot
from evalkit.report.render import (
    Section,
    esc,
    figure_img,
    fmt_count,
    fmt_effect,
    fmt_interval,
    fmt_num,
    fmt_p,
    fmt_share,
    heading,
    kind_of,
    number,
    paragraph,
    section,
    table,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    CredibilityRule,
    Estimate,
    GoalVerdict,
    MeasureResults,
    ProtectedResults,
    require_protected,
)

EMPTY = ""

#: What a section builder returns: the parts of its section, or None for an empty section.
Parts = list[str] | None


def measure_section(
    key: str, *, on_failure: Callable[[ProtectedResults], Section] | None = None
) -> Callable[[Callable[[ProtectedResults, str], Parts]], Callable[[ProtectedResults], Section]]:
    """The opening every section shares: ``ProtectedResults`` only, its language, failed runs.

    The decorated builder gets the results and the language and returns the section's parts
    (None: nothing to show). A failed run shows ``on_failure`` (default: an empty section).
    """

    def wrap(build: Callable[[ProtectedResults, str], Parts]) -> Callable[..., Section]:
        @functools.wraps(build)
        def make(results: ProtectedResults) -> Section:
            r = require_protected(results)
            if r.is_failed:
                return on_failure(r) if on_failure else Section(key, EMPTY)
            parts = build(r, r.lang)
            return section(key, r.lang, *parts) if parts is not None else Section(key, EMPTY)

        return make

    return wrap


# --- units -----------------------------------------------------------------------------------


def outcome_kind(results: MeasureResults, outcome: str) -> str:
    """``share`` (0/1 outcome: effects in percentage points), ``sek`` or ``num``.

    Standard outcomes are known by name; for a table- or panel-mode outcome the MDE diagnostic
    says whether it is binary.
    """
    kind = kind_of(outcome)
    if kind != "num":
        return kind
    mde = results.diagnostics_of(outcome).mde
    return "share" if mde is not None and mde.binary is True else "num"


def _unit_label(kind: str, lang: str) -> str:
    """The unit of an outcome's effects: percentage points, SEK, or none."""
    f = words(lang)["figures"]
    return f["pp"] if kind == "share" else f["sek"] if kind == "sek" else ""


def _scale(kind: str) -> float:
    """Shares are drawn in percentage points."""
    return 100.0 if kind == "share" else 1.0


def _axis_label(outcome: str, kind: str, lang: str) -> str:
    """An axis label: the outcome's name and the unit of its effects."""
    unit = _unit_label(kind, lang)
    name = label(lang, "outcomes", outcome)
    return f"{name} ({unit})" if unit else name


def _tidy_axis(fig: Figure, lang: str, axis: str, *, months_on_x: bool = False) -> Figure:
    """Fewer ticks, in the report language's number style (the shared plots use defaults)."""
    for ax in fig.axes:
        target = ax.xaxis if axis == "x" else ax.yaxis
        target.set_major_locator(MaxNLocator(nbins=6))
        target.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_num(x, lang, 0)))
        if months_on_x:
            ax.xaxis.set_major_locator(MaxNLocator(nbins=12, integer=True))
            ax.xaxis.set_major_formatter(FuncFormatter(lambda x, _pos: fmt_num(x, lang, 0)))
    return fig


# --- title and summary -----------------------------------------------------------------------


def title(results: ProtectedResults) -> Section:
    """The page title (h1) with the measure's name (failed runs too)."""
    r = require_protected(results)
    w = words(r.lang)
    name = r.title or r.measure_id or ""
    facts = [f"{w['subtitle']['measure']}: {r.measure_id or '–'}"]
    if r.sample.intake_start:
        facts.append(f"{w['appendix']['intake']}: {r.sample.intake_start} – {r.sample.intake_end}")
    if r.created:
        facts.append(f"{w['footer']['created']}: {str(r.created)[:10]}")
    head = f"<h1>{esc(w['report_title'].format(title=name))}</h1>"
    return Section("title", head + paragraph(" · ".join(facts), "subtitle"))


def headline_sentence(entry: Estimate | None, lang: str, kind: str | None = None) -> str:
    """The headline effect in words a politician understands, with its interval."""
    h = words(lang)["headline"]
    if entry is None:
        return h["none"]
    outcome = entry.outcome or ""
    est, lo, hi = entry.estimate, entry.ci_low, entry.ci_high
    if est is None:
        return h["suppressed"]
    kind = kind or kind_of(outcome)
    scale = 100.0 if kind == "share" else 1.0
    decimals = 0 if kind != "num" else 2

    def f(x: float) -> str:
        value = x * scale
        return fmt_num(round(value, -1) if kind == "sek" else value, lang, decimals)

    level = fmt_num(100 * float(entry.level or 0.95), lang, 0)
    what = h["what_default"].format(outcome=outcome)
    what = words(lang)["what"].get(outcome, what)
    if lo is None or hi is None:
        ci = "–"
        direction = "unclear"
    elif lo > 0 or hi < 0:
        direction = "up" if est > 0 else "down"
        a, b = sorted((abs(lo), abs(hi)))
        ci = h["ci"].format(level=level, lo=f(a), hi=f(b))
    else:
        direction = "unclear"
        ci = h["ci_wide"].format(level=level, lo=f(lo), hi=f(hi))
    shown = f(abs(est)) if direction != "unclear" else f(est)
    return h[f"{kind}_{direction}"].format(what=what, est=shown, ci=ci)


def _followup_contrast(r: ProtectedResults, lang: str) -> list[str]:
    """Today's follow-up figure, with the reminder that it is not an effect."""
    row = r.followup.share_at("12") if r.followup else None
    if row is None or row.share is None:
        return []
    text = words(lang)["headline"]["followup"].format(share=fmt_share(row.share, lang))
    return [paragraph(text)]


def failed(results: ProtectedResults) -> Section:
    """What failed and why, in plain words (the whole content of a failed measure's page)."""
    r = require_protected(results)
    fw = words(r.lang)["failed"]
    err = r.error
    name = r.title or r.measure_id or ""
    kind = fw["types"].get(err.type if err else "", fw["types"]["other"])
    stage = fw["stages"].get(err.stage if err else "unknown", fw["stages"]["unknown"])
    parts = [
        f'<p class="failed">{esc(fw["lead"].format(title=name))} {esc(kind)}</p>',
        paragraph(fw["stage"].format(stage=stage)),
        paragraph(fw["what"].format(message=(err.message if err else "") or "–")),
        paragraph(fw["action"], "note"),
    ]
    return section("failed", r.lang, *parts, lead=False)


@measure_section("summary", on_failure=failed)
def summary(r: ProtectedResults, lang: str) -> Parts:
    """Summary first: headline effects in plain words, goal verdicts and credibility grade."""
    w = words(lang)
    h = w["headline"]
    parts = []
    for outcome in r.outcomes():
        entry = r.headline_estimate(outcome)
        sentence = headline_sentence(entry, lang, outcome_kind(r, outcome))
        parts.append(f'<p class="headline">{esc(sentence)}</p>')
        if entry is not None and entry.has_value:
            parts.append(
                paragraph(
                    h["method"].format(
                        estimator=label(lang, "estimators", entry.estimator),
                        n_treated=fmt_count(entry.n_treated, lang),
                        n_control=fmt_count(entry.n_control, lang),
                    ),
                    "note",
                )
            )
        grade = r.credibility_of(outcome)
        if grade is not None:
            parts.append(
                paragraph(h["credibility"].format(grade=label(lang, "grades", grade.grade)), "note")
            )
    parts.extend(_followup_contrast(r, lang))
    if r.goals:
        counts = Counter(g.verdict for g in r.goals)
        text = ", ".join(
            f"{label(lang, 'verdicts', v)} {n}" for v, n in counts.items() if v is not None
        )
        parts.append(paragraph(h["goals"].format(counts=text)))
        rows = [(g.id, g.text, label(lang, "verdicts", g.verdict)) for g in r.goals]
        c = w["columns"]
        parts.append(table([c["goal"], c["goal_text"], c["verdict"]], rows))
    else:
        parts.append(paragraph(h["no_goals"]))
    return parts


# --- follow-up -------------------------------------------------------------------------------


@measure_section("followup")
def followup(r: ProtectedResults, lang: str) -> Parts:
    """Today's follow-up: shares in work or studies by horizon and end reasons."""
    fu = r.followup
    if fu is None:
        return None
    c = words(lang)["columns"]
    shares = [
        (
            label(lang, "horizons", s.horizon),
            fmt_count(s.n, lang),
            fmt_count(s.n_in_work_or_study, lang),
            fmt_share(s.share, lang),
        )
        for s in fu.shares
    ]
    total = fu.n_participants or sum(x.n or 0 for x in fu.end_reasons)
    reason_rows = [
        (
            label(lang, "end_reasons", x.reason),
            fmt_count(x.n, lang),
            fmt_share(x.n / total if x.n and total else None, lang),
        )
        for x in fu.end_reasons
    ]
    return [
        paragraph(f"{words(lang)['appendix']['n_treated']}: {fmt_count(fu.n_participants, lang)}"),
        table(
            [c["horizon"], c["n"], c["n_in_work_or_study"], c["share"]],
            shares,
            numeric=(1, 2, 3),
        ),
        table([c["reason"], c["n"], c["share"]], reason_rows, numeric=(1, 2)),
    ]


# --- effects ---------------------------------------------------------------------------------


def overall_rows(results: MeasureResults, outcome: str) -> list[Estimate]:
    """Overall estimates of one outcome, one per estimator, in the params' estimator order."""
    order = list(results.params.get("estimators") or [])
    return sorted(
        results.overall(outcome),
        key=lambda e: order.index(e.estimator) if e.estimator in order else len(order),
    )


def _effect_rows(rows: list[Estimate], outcome: str, kind: str, lang: str) -> list[tuple]:
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


def _effect_header(kind: str, lang: str) -> list[str]:
    c = words(lang)["columns"]
    unit = _unit_label(kind, lang)
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
                _effect_header(kind, lang),
                _effect_rows(rows, outcome, kind, lang),
                numeric=(1, 2, 3, 4, 5),
            )
        )
        fig = forest_plot(
            [e.to_result() for e in rows],
            labels=words(lang)["estimators"],
            xlabel=_axis_label(outcome, kind, lang),
            highlight=r.headline.estimator if r.headline else None,
            scale=_scale(kind),
        )
        _tidy_axis(fig, lang, "x")
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
                ylabel=_axis_label(outcome, kind, lang),
                scale=_scale(kind),
            )
            _tidy_axis(fig, lang, "y", months_on_x=True)
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
        head = _effect_header(kind, lang)
        parts.append(heading(f"subgroups-{outcome}", label(lang, "outcomes", outcome), 3))
        parts.append(
            table(
                [c["subgroup"], c["level"], head[1], head[2], head[4], head[5]],
                body,
                numeric=(2, 3, 4, 5),
            )
        )
    return parts


# --- diagnostics -----------------------------------------------------------------------------


def _rule_value(rule: CredibilityRule, lang: str) -> str:
    value = rule.value
    if isinstance(value, str):
        return label(lang, "estimators", value)
    x = number(value)
    return fmt_num(x, lang, 3 if x is not None and abs(x) < 10 else 0) if x is not None else ""


def _outcome_checks(r: ProtectedResults, outcome: str, lang: str) -> list[str]:
    """Pre-trend test, sensitivity and MDE of one outcome, as sentences under its name."""
    d = words(lang)["diag"]
    checks = r.diagnostics_of(outcome)
    lines = []
    pre = checks.pretrend
    if pre is not None and pre.p_value is not None:
        lines.append(d["pretrend"].format(p=fmt_p(pre.p_value, lang)))
    sens = checks.sensitivity
    if sens is not None and sens.e_value is not None:
        lines.append(
            d["sensitivity"].format(
                e=fmt_num(sens.e_value, lang, 2), eci=fmt_num(sens.e_value_ci, lang, 2)
            )
        )
    mde = checks.mde.mde if checks.mde is not None else None
    if mde is not None:
        kind = outcome_kind(r, outcome)
        unit = (
            words(lang)["figures"]["pp"]
            if kind == "share"
            else (words(lang)["currency"] if kind == "sek" else "")
        )
        value = fmt_effect(mde, outcome, lang, kind)
        lines.append(d["mde"].format(items=f"{value} {unit}".strip()))
    if not lines:
        return []
    title_ = heading(f"checks-{outcome}", label(lang, "outcomes", outcome), 3)
    return [title_, *(paragraph(x) for x in lines)]


@measure_section("diagnostics")
def diagnostics(r: ProtectedResults, lang: str) -> Parts:
    """Credibility grade with its rules, balance, overlap, pre-trends, sensitivity, MDE, placebo."""
    w = words(lang)
    d, c, fw = w["diag"], w["columns"], w["figures"]
    diag = r.diagnostics
    parts = []
    for cred in r.credibility:
        parts.append(
            heading(
                f"credibility-{cred.outcome}",
                d["credibility_title"].format(
                    outcome=label(lang, "outcomes", cred.outcome),
                    grade=label(lang, "grades", cred.grade),
                ),
                3,
            )
        )
        rows = [
            (
                label(lang, "rules", x.rule),
                _rule_value(x, lang),
                label(lang, "rule_status", x.status),
            )
            for x in cred.rules
        ]
        parts.append(table([c["rule"], c["value"], c["status"]], rows, numeric=(1,)))
    if diag.balance:
        parts.append(heading("balance", d["balance_title"], 3))
        fig = love_plot(
            [b.model_dump() for b in diag.balance],
            labels=words(lang)["covariates"],
            before_label=fw["before"],
            after_label=fw["after"],
            xlabel=f"|{fw['smd']}|",
        )
        parts.append(figure_img(fig, fw["love_alt"]))
        rows = [
            (
                label(lang, "covariates", b.covariate),
                fmt_num(b.smd_before, lang, 3),
                fmt_num(b.smd_after, lang, 3),
            )
            for b in diag.balance
        ]
        parts.append(table([c["covariate"], c["smd_before"], c["smd_after"]], rows, numeric=(1, 2)))
    ov = diag.overlap
    if ov is not None and ov.bin_edges:
        parts.append(heading("overlap", d["overlap_title"], 3))
        fig = overlap_plot(
            ov.model_dump(),
            treated_label=fw["treated"],
            control_label=fw["control"],
            xlabel=fw["propensity"],
            ylabel=fw["share_of_group"],
        )
        parts.append(figure_img(fig, fw["overlap_alt"]))
        parts.append(
            paragraph(
                d["outside"].format(
                    share=fmt_share(ov.share_outside_support, lang, 1),
                    n=fmt_count(ov.n_trimmed, lang),
                )
            )
        )
    for outcome in r.outcomes():
        parts.extend(_outcome_checks(r, outcome, lang))
    if diag.placebo:
        rows = [
            (
                label(lang, "covariates", p.outcome),
                label(lang, "estimators", p.estimator),
                fmt_num(p.estimate, lang, 3),
                fmt_interval(p.ci_low, p.ci_high, None, lang),
                fmt_p(p.p_value, lang),
            )
            for p in diag.placebo
        ]
        parts.append(heading("placebo", d["placebo"], 3))
        parts.append(
            table(
                [c["outcome"], c["estimator"], c["estimate"], c["ci"], c["p_value"]],
                rows,
                numeric=(2, 3, 4),
            )
        )
    if diag.estimator_failures:
        rows = [
            (
                label(lang, "estimators", f.estimator),
                label(lang, "outcomes", f.outcome),
                f.reason,
            )
            for f in diag.estimator_failures
        ]
        parts.append(heading("estimator-failures", d["failures"], 3))
        parts.append(table([c["estimator"], c["outcome"], c["why"]], rows))
    if not parts:
        parts.append(paragraph(d["none"]))
    return parts


# --- costs and goals -------------------------------------------------------------------------


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


# --- appendix and footer ---------------------------------------------------------------------


@measure_section("appendix")
def appendix(r: ProtectedResults, lang: str) -> Parts:
    """Population, comparison group, validation summary with quarantined rows, disclosure note."""
    w = words(lang)
    a, c = w["appendix"], w["columns"]
    s = r.sample
    rows = [
        (a["data_mode"], label(lang, "data_mode", s.data_mode)),
        (a["n_eligible"], fmt_count(s.n_eligible, lang)),
        (a["n_treated"], fmt_count(s.n_treated, lang)),
        (a["n_control"], fmt_count(s.n_control, lang)),
        (a["comparison"], label(lang, "comparison", s.comparison)),
    ]
    if s.intake_start:
        rows.append((a["intake"], f"{s.intake_start} – {s.intake_end}"))
    parts = [heading("population", a["population"], 3), table([c["key"], c["value"]], rows)]
    v = r.validation
    parts.append(heading("validation", a["validation"], 3))
    vrows = [
        (x.table, x.rule, x.description, fmt_count(x.count, lang)) for x in (v.rows if v else [])
    ]
    if vrows:
        parts.append(
            table([c["table"], c["rule"], c["description"], c["count"]], vrows, numeric=(3,))
        )
    else:
        parts.append(paragraph(a["no_problems"]))
    if v is not None and v.n_quarantined is not None:
        parts.append(paragraph(f"{a['n_quarantined']}: {fmt_count(v.n_quarantined, lang)}"))
    min_cell = r.disclosure.min_cell
    parts.append(
        paragraph(
            a["disclosure"].format(
                min_cell=min_cell, min_share=2 * min_cell, n=len(r.disclosure.suppressed)
            ),
            "note",
        )
    )
    return parts


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested params as (dotted key, value) rows for a plain table."""
    if isinstance(value, dict):
        out = []
        for k, v in value.items():
            out.extend(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
        return out
    if isinstance(value, list) and any(isinstance(v, dict) for v in value):
        out = []
        for i, v in enumerate(value):
            out.extend(_flatten(v, f"{prefix}[{i}]"))
        return out
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False, default=str)
    return [(prefix, text)]


def footer(results: ProtectedResults) -> Section:
    """Reproducibility: data fingerprint, parameters, evalkit version, commit, packages, seed."""
    r = require_protected(results)
    lang = r.lang
    f = words(lang)["footer"]
    c = words(lang)["columns"]
    rows = [
        (f["data_fingerprint"], r.data_fingerprint or "–"),
        (f["evalkit_version"], r.evalkit_version or "–"),
        (f["commit"], r.commit or "–"),
        (f["seed"], r.seed if r.seed is not None else "–"),
        (f["created"], r.created or "–"),
    ]
    pkg = ", ".join(f"{k} {v}" for k, v in sorted(r.packages.items()))
    if pkg:
        rows.append((f["packages"], pkg))
    parts = [table([c["key"], c["value"]], rows, css_class="evalkit-table repro")]
    if r.params:
        parts.append(heading("params", f["params"], 3))
        parts.append(
            table([c["key"], c["value"]], _flatten(r.params), css_class="evalkit-table repro")
        )
    return section("footer", lang, *parts, lead=False)


def measure_sections(results: ProtectedResults) -> list[Section]:
    """Every section of a measure's report in reading order (for standalone pages and tests)."""
    makers = (
        title,
        summary,
        followup,
        estimates,
        effect_path,
        subgroups,
        diagnostics,
        costs,
        goals,
        appendix,
        footer,
    )
    return [m(results) for m in makers]
