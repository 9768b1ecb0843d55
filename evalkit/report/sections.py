"""The sections of a measure's report, each rendered from the results dict alone.

Every function takes a results dict (DESIGN 6 / CONTRACTS "Results dict") and returns a
``Section``; disclosure control is applied first, so no table or figure shows a small cell. For a
failed run every section but the summary is empty and the summary says what failed, so the
measure notebook needs no ``if``.
"""

from __future__ import annotations

import json
from collections import Counter
from typing import Any

from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter, MaxNLocator

from evalkit.audit.costs import cost_table
from evalkit.audit.credibility import outcome_diagnostic
from evalkit.audit.disclosure import DEFAULT_MIN_CELL, protect_results
from evalkit.audit.goals import headline_estimate, is_overall
from evalkit.estimators.result import EffectResult, EffectResults
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
    is_sek_outcome,
    is_share_outcome,
    number,
    paragraph,
    section,
    table,
)
from evalkit.report.wording import label, words

EMPTY = ""


def lang_of(results: dict[str, Any]) -> str:
    """The report language: results' ``lang``, else params ``report.lang``, else Swedish."""
    lang = results.get("lang") or ((results.get("params") or {}).get("report") or {}).get("lang")
    return lang if lang in ("sv", "en") else "sv"


def protected(results: dict[str, Any]) -> dict[str, Any]:
    """The results with disclosure control applied (idempotent; the pipeline applies it too)."""
    min_cell = results.get("min_cell") or DEFAULT_MIN_CELL
    return protect_results(results, int(min_cell))


def is_failed(results: dict[str, Any]) -> bool:
    """Whether the run failed."""
    return results.get("status", "ok") != "ok"


def main_outcomes(results: dict[str, Any]) -> list[str]:
    """The outcomes the report leads with: params outcomes, else those with overall estimates."""
    outcomes = list((results.get("params") or {}).get("outcomes") or [])
    head = (results.get("headline") or {}).get("outcome")
    if head and head not in outcomes:
        outcomes.insert(0, head)
    if not outcomes:
        for e in results.get("estimates") or []:
            if is_overall(e) and e.get("outcome") not in outcomes:
                outcomes.append(e.get("outcome"))
    return outcomes


def _empty(key: str) -> Section:
    return Section(key, EMPTY)


# --- title and summary -----------------------------------------------------------------------


def title(results: dict[str, Any]) -> Section:
    """The page title (h1) with the measure's name."""
    lang = lang_of(results)
    w = words(lang)
    name = results.get("title") or results.get("measure_id") or ""
    facts = [f"{w['subtitle']['measure']}: {results.get('measure_id') or '–'}"]
    sample = results.get("sample") or {}
    if sample.get("intake_start"):
        facts.append(
            f"{w['appendix']['intake']}: {sample['intake_start']} – {sample.get('intake_end')}"
        )
    if results.get("created"):
        facts.append(f"{w['footer']['created']}: {str(results['created'])[:10]}")
    head = f"<h1>{esc(w['report_title'].format(title=name))}</h1>"
    return Section("title", head + paragraph(" · ".join(facts), "subtitle"))


def outcome_kind(results: dict[str, Any], outcome: str) -> str:
    """``share`` (0/1 outcome: effects in percentage points), ``sek`` or ``num``.

    Standard outcomes are known by name; for a table- or panel-mode outcome the MDE diagnostic
    says whether it is binary.
    """
    if is_share_outcome(outcome):
        return "share"
    if is_sek_outcome(outcome):
        return "sek"
    mde = outcome_diagnostic(results, "mde", outcome)
    return "share" if isinstance(mde, dict) and mde.get("binary") is True else "num"


def headline_sentence(entry: dict[str, Any] | None, lang: str, kind: str | None = None) -> str:
    """The headline effect in words a politician understands, with its interval."""
    h = words(lang)["headline"]
    if entry is None:
        return h["none"]
    outcome = entry.get("outcome") or ""
    est, lo, hi = (
        number(entry.get("estimate")),
        number(entry.get("ci_low")),
        number(entry.get("ci_high")),
    )
    if est is None:
        return h["suppressed"]
    if kind is None:
        kind = "share" if is_share_outcome(outcome) else "sek" if is_sek_outcome(outcome) else "num"
    scale = 100.0 if kind == "share" else 1.0
    decimals = 0 if kind != "num" else 2

    def f(x: float) -> str:
        value = x * scale
        return fmt_num(round(value, -1) if kind == "sek" else value, lang, decimals)

    level = fmt_num(100 * float(entry.get("level") or 0.95), lang, 0)
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


def _followup_contrast(results: dict[str, Any], lang: str) -> list[str]:
    """Today's follow-up figure, with the reminder that it is not an effect."""
    shares = (results.get("followup") or {}).get("shares") or []
    row = next((s for s in shares if str(s.get("horizon")) in ("12m", "12")), None)
    if row is None or number(row.get("share")) is None:
        return []
    text = words(lang)["headline"]["followup"].format(share=fmt_share(row["share"], lang))
    return [paragraph(text)]


def summary(results: dict[str, Any]) -> Section:
    """Summary first: headline effects in plain words, goal verdicts and credibility grade."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return failed(r)
    w = words(lang)
    h = w["headline"]
    parts = []
    for outcome in main_outcomes(r):
        entry = headline_estimate(r, outcome)
        sentence = headline_sentence(entry, lang, outcome_kind(r, outcome))
        parts.append(f'<p class="headline">{esc(sentence)}</p>')
        if entry is not None and number(entry.get("estimate")) is not None:
            parts.append(
                paragraph(
                    h["method"].format(
                        estimator=label(lang, "estimators", entry.get("estimator")),
                        n_treated=fmt_count(entry.get("n_treated"), lang),
                        n_control=fmt_count(entry.get("n_control"), lang),
                    ),
                    "note",
                )
            )
        grade = next(
            (c.get("grade") for c in r.get("credibility") or [] if c.get("outcome") == outcome),
            None,
        )
        if grade:
            parts.append(
                paragraph(h["credibility"].format(grade=label(lang, "grades", grade)), "note")
            )
    parts.extend(_followup_contrast(r, lang))
    goals = r.get("goals") or []
    if goals:
        counts = Counter(g.get("verdict") for g in goals)
        text = ", ".join(
            f"{label(lang, 'verdicts', v)} {n}" for v, n in counts.items() if v is not None
        )
        parts.append(paragraph(h["goals"].format(counts=text)))
        rows = [
            (g.get("id"), g.get("text"), label(lang, "verdicts", g.get("verdict"))) for g in goals
        ]
        c = w["columns"]
        parts.append(table([c["goal"], c["goal_text"], c["verdict"]], rows))
    else:
        parts.append(paragraph(h["no_goals"]))
    return section("summary", lang, *parts)


# --- follow-up -------------------------------------------------------------------------------


def followup(results: dict[str, Any]) -> Section:
    """Today's follow-up: shares in work or studies by horizon and end reasons."""
    r = protected(results)
    lang = lang_of(r)
    fu = r.get("followup") or {}
    if is_failed(r) or not fu:
        return _empty("followup")
    c = words(lang)["columns"]
    shares = [
        (
            label(lang, "horizons", s.get("horizon")),
            fmt_count(s.get("n"), lang),
            fmt_count(s.get("n_in_work_or_study"), lang),
            fmt_share(s.get("share"), lang),
        )
        for s in fu.get("shares") or []
    ]
    reasons = fu.get("end_reasons") or []
    total = number(fu.get("n_participants")) or sum(number(x.get("n")) or 0 for x in reasons)
    reason_rows = [
        (
            label(lang, "end_reasons", x.get("reason")),
            fmt_count(x.get("n"), lang),
            fmt_share(
                (number(x.get("n")) or 0) / total if number(x.get("n")) and total else None, lang
            ),
        )
        for x in reasons
    ]
    parts = [
        paragraph(
            f"{words(lang)['appendix']['n_treated']}: {fmt_count(fu.get('n_participants'), lang)}"
        ),
        table(
            [c["horizon"], c["n"], c["n_in_work_or_study"], c["share"]],
            shares,
            numeric=(1, 2, 3),
        ),
        table([c["reason"], c["n"], c["share"]], reason_rows, numeric=(1, 2)),
    ]
    return section("followup", lang, *parts)


# --- effects ---------------------------------------------------------------------------------


def overall_rows(results: dict[str, Any], outcome: str) -> list[dict[str, Any]]:
    """Overall estimates of one outcome, one per estimator, in the params' estimator order."""
    rows = [
        e for e in results.get("estimates") or [] if e.get("outcome") == outcome and is_overall(e)
    ]
    order = list((results.get("params") or {}).get("estimators") or [])
    return sorted(
        rows,
        key=lambda e: order.index(e["estimator"]) if e.get("estimator") in order else len(order),
    )


def _scale(outcome: str | None) -> float:
    """Shares are drawn in percentage points."""
    return 100.0 if is_share_outcome(outcome) else 1.0


def _axis_label(outcome: str, lang: str) -> str:
    """An axis label: the outcome's name and the unit of its effects."""
    f = words(lang)["figures"]
    unit = f["pp"] if is_share_outcome(outcome) else f["sek"] if is_sek_outcome(outcome) else ""
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


def _as_result(entry: dict[str, Any]) -> EffectResult:
    """An estimates entry back as the shared result type (suppressed values become NaN)."""

    def num(key: str) -> float:
        x = number(entry.get(key))
        return float("nan") if x is None else x

    return EffectResult(
        estimator=str(entry.get("estimator")),
        outcome=str(entry.get("outcome")),
        estimate=num("estimate"),
        se=num("se"),
        ci_low=num("ci_low"),
        ci_high=num("ci_high"),
        p_value=num("p_value"),
        n_treated=int(number(entry.get("n_treated")) or 0),
        n_control=int(number(entry.get("n_control")) or 0),
        aggregation=entry.get("aggregation"),
        event_time=entry.get("event_time"),
        details=dict(entry.get("details") or {}),
    )


def _effect_rows(rows: list[dict[str, Any]], outcome: str, lang: str) -> list[tuple]:
    return [
        (
            label(lang, "estimators", e.get("estimator")),
            fmt_effect(e.get("estimate"), outcome, lang),
            fmt_interval(e.get("ci_low"), e.get("ci_high"), outcome, lang),
            fmt_p(e.get("p_value"), lang),
            fmt_count(e.get("n_treated"), lang),
            fmt_count(e.get("n_control"), lang),
        )
        for e in rows
    ]


def _effect_header(outcome: str, lang: str) -> list[str]:
    c = words(lang)["columns"]
    f = words(lang)["figures"]
    unit = f["pp"] if is_share_outcome(outcome) else f["sek"] if is_sek_outcome(outcome) else ""
    est = f"{c['estimate']} ({unit})" if unit else c["estimate"]
    return [c["estimator"], est, c["ci"], c["p_value"], c["n_treated"], c["n_control"]]


def estimates(results: dict[str, Any]) -> Section:
    """The effect estimates side by side: a table and a forest plot per main outcome."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return _empty("estimates")
    fw = words(lang)["figures"]
    parts = []
    for outcome in main_outcomes(r):
        rows = overall_rows(r, outcome)
        if not rows:
            continue
        parts.append(heading(f"estimates-{outcome}", label(lang, "outcomes", outcome), 3))
        parts.append(
            table(
                _effect_header(outcome, lang),
                _effect_rows(rows, outcome, lang),
                numeric=(1, 2, 3, 4, 5),
            )
        )
        fig = forest_plot(
            [_as_result(e) for e in rows],
            labels=words(lang)["estimators"],
            xlabel=_axis_label(outcome, lang),
            highlight=(r.get("headline") or {}).get("estimator"),
            scale=_scale(outcome),
        )
        _tidy_axis(fig, lang, "x")
        parts.append(figure_img(fig, fw["forest_alt"].format(outcome=label(lang, "what", outcome))))
    if not parts:
        return _empty("estimates")
    return section("estimates", lang, *parts)


def path_rows(results: dict[str, Any]) -> dict[str, dict[str, list[dict[str, Any]]]]:
    """Effects by month since start: ``{outcome: {estimator: rows}}`` (dynamic paths only)."""
    out: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for e in results.get("estimates") or []:
        if e.get("event_time") is None or e.get("subgroup") is not None:
            continue
        if e.get("aggregation") not in (None, "dynamic"):
            continue
        out.setdefault(e.get("outcome"), {}).setdefault(e.get("estimator"), []).append(e)
    return out


def effect_path(results: dict[str, Any]) -> Section:
    """The effect path by month since start (dynamic matching, cs_did dynamic, event study)."""
    r = protected(results)
    lang = lang_of(r)
    paths = path_rows(r)
    if is_failed(r) or not paths:
        return _empty("path")
    fw = words(lang)["figures"]
    c = words(lang)["columns"]
    parts = []
    for outcome, series in paths.items():
        parts.append(heading(f"path-{outcome}", label(lang, "outcomes", outcome), 3))
        alt = fw["path_alt"].format(outcome=label(lang, "outcomes", outcome))
        for name, pts in series.items():
            fig = plot_event_study(
                EffectResults([_as_result(e) for e in pts]),
                title=label(lang, "estimators", name),
                xlabel=fw["month"],
                ylabel=_axis_label(outcome, lang),
                scale=_scale(outcome),
            )
            _tidy_axis(fig, lang, "y", months_on_x=True)
            parts.append(figure_img(fig, f"{alt} ({label(lang, 'estimators', name)})"))
        rows = []
        for name, pts in series.items():
            for e in sorted(pts, key=lambda e: e["event_time"]):
                rows.append(
                    (
                        label(lang, "estimators", name),
                        e["event_time"],
                        fmt_effect(e.get("estimate"), outcome, lang),
                        fmt_interval(e.get("ci_low"), e.get("ci_high"), outcome, lang),
                    )
                )
        parts.append(
            "<details><summary>"
            + esc(c["event_time"])
            + "</summary>"
            + table(
                [c["estimator"], c["event_time"], c["estimate"], c["ci"]], rows, numeric=(1, 2, 3)
            )
            + "</details>"
        )
    return section("path", lang, *parts)


def subgroups(results: dict[str, Any]) -> Section:
    """Effects in subgroups; suppressed groups are shown as such."""
    r = protected(results)
    lang = lang_of(r)
    rows = r.get("subgroups") or []
    if is_failed(r) or not rows:
        return _empty("subgroups")
    c = words(lang)["columns"]
    parts = []
    by_outcome: dict[str, list[dict[str, Any]]] = {}
    for s in rows:
        by_outcome.setdefault(s.get("outcome"), []).append(s)
    for outcome, items in by_outcome.items():
        body = [
            (
                label(lang, "subgroups", s.get("subgroup")),
                label(lang, "levels", s.get("level")),
                fmt_effect(s.get("estimate"), outcome, lang),
                fmt_interval(s.get("ci_low"), s.get("ci_high"), outcome, lang),
                fmt_count(s.get("n_treated"), lang),
                fmt_count(s.get("n_control"), lang),
            )
            for s in items
        ]
        head = _effect_header(outcome, lang)
        parts.append(heading(f"subgroups-{outcome}", label(lang, "outcomes", outcome), 3))
        parts.append(
            table(
                [c["subgroup"], c["level"], head[1], head[2], head[4], head[5]],
                body,
                numeric=(2, 3, 4, 5),
            )
        )
    return section("subgroups", lang, *parts)


# --- diagnostics -----------------------------------------------------------------------------


def _rule_value(rule: dict[str, Any], lang: str) -> str:
    value = rule.get("value")
    if isinstance(value, str):
        return label(lang, "estimators", value)
    x = number(value)
    return fmt_num(x, lang, 3 if x is not None and abs(x) < 10 else 0) if x is not None else ""


def _mde_value(block: Any) -> float | None:
    """The minimum detectable effect from ``{mde: x, ...}`` or a bare number."""
    return number(block.get("mde")) if isinstance(block, dict) else number(block)


def _outcome_checks(results: dict[str, Any], outcome: str, lang: str) -> list[str]:
    """Pre-trend test, sensitivity and MDE of one outcome, as sentences under its name."""
    d = words(lang)["diag"]
    lines = []
    pre = outcome_diagnostic(results, "pretrend", outcome)
    if isinstance(pre, dict) and number(pre.get("p_value")) is not None:
        lines.append(d["pretrend"].format(p=fmt_p(pre.get("p_value"), lang)))
    sens = outcome_diagnostic(results, "sensitivity", outcome)
    if isinstance(sens, dict) and number(sens.get("e_value")) is not None:
        lines.append(
            d["sensitivity"].format(
                e=fmt_num(sens.get("e_value"), lang, 2),
                eci=fmt_num(sens.get("e_value_ci"), lang, 2),
            )
        )
    mde = _mde_value(outcome_diagnostic(results, "mde", outcome))
    if mde is not None:
        unit = (
            words(lang)["figures"]["pp"]
            if is_share_outcome(outcome)
            else (words(lang)["currency"] if is_sek_outcome(outcome) else "")
        )
        lines.append(d["mde"].format(items=f"{fmt_effect(mde, outcome, lang)} {unit}".strip()))
    if not lines:
        return []
    title = heading(f"checks-{outcome}", label(lang, "outcomes", outcome), 3)
    return [title, *(paragraph(x) for x in lines)]


def diagnostics(results: dict[str, Any]) -> Section:
    """Credibility grade with its rules, balance, overlap, pre-trends, sensitivity, MDE, placebo."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return _empty("diagnostics")
    w = words(lang)
    d, c, fw = w["diag"], w["columns"], w["figures"]
    diag = r.get("diagnostics") or {}
    parts = []
    for cred in r.get("credibility") or []:
        parts.append(
            heading(
                f"credibility-{cred.get('outcome')}",
                d["credibility_title"].format(
                    outcome=label(lang, "outcomes", cred.get("outcome")),
                    grade=label(lang, "grades", cred.get("grade")),
                ),
                3,
            )
        )
        rows = [
            (
                label(lang, "rules", x.get("rule")),
                _rule_value(x, lang),
                label(lang, "rule_status", x.get("status")),
            )
            for x in cred.get("rules") or []
        ]
        parts.append(table([c["rule"], c["value"], c["status"]], rows, numeric=(1,)))
    balance = diag.get("balance") or []
    if isinstance(balance, list) and balance:
        parts.append(heading("balance", d["balance_title"], 3))
        fig = love_plot(
            balance,
            labels=words(lang)["covariates"],
            before_label=fw["before"],
            after_label=fw["after"],
            xlabel=f"|{fw['smd']}|",
        )
        parts.append(figure_img(fig, fw["love_alt"]))
        rows = [
            (
                label(lang, "covariates", b.get("covariate")),
                fmt_num(b.get("smd_before"), lang, 3),
                fmt_num(b.get("smd_after"), lang, 3),
            )
            for b in balance
        ]
        parts.append(table([c["covariate"], c["smd_before"], c["smd_after"]], rows, numeric=(1, 2)))
    ov = diag.get("overlap") or {}
    if isinstance(ov, dict) and ov.get("bin_edges"):
        parts.append(heading("overlap", d["overlap_title"], 3))
        fig = overlap_plot(
            ov,
            treated_label=fw["treated"],
            control_label=fw["control"],
            xlabel=fw["propensity"],
            ylabel=fw["share_of_group"],
        )
        parts.append(figure_img(fig, fw["overlap_alt"]))
        parts.append(
            paragraph(
                d["outside"].format(
                    share=fmt_share(ov.get("share_outside_support"), lang, 1),
                    n=fmt_count(ov.get("n_trimmed"), lang),
                )
            )
        )
    for outcome in main_outcomes(r):
        parts.extend(_outcome_checks(r, outcome, lang))
    placebo = diag.get("placebo") or []
    if isinstance(placebo, list) and placebo:
        rows = [
            (
                label(lang, "covariates", p.get("outcome")),
                label(lang, "estimators", p.get("estimator")),
                fmt_num(p.get("estimate"), lang, 3),
                fmt_interval(p.get("ci_low"), p.get("ci_high"), None, lang),
                fmt_p(p.get("p_value"), lang),
            )
            for p in placebo
        ]
        parts.append(heading("placebo", d["placebo"], 3))
        parts.append(
            table(
                [c["outcome"], c["estimator"], c["estimate"], c["ci"], c["p_value"]],
                rows,
                numeric=(2, 3, 4),
            )
        )
    failures = diag.get("estimator_failures") or []
    if failures:
        rows = [
            (
                label(lang, "estimators", f.get("estimator")),
                label(lang, "outcomes", f.get("outcome")),
                f.get("reason"),
            )
            for f in failures
        ]
        parts.append(heading("estimator-failures", d["failures"], 3))
        parts.append(table([c["estimator"], c["outcome"], c["why"]], rows))
    if not parts:
        parts.append(paragraph(d["none"]))
    return section("diagnostics", lang, *parts)


# --- costs and goals -------------------------------------------------------------------------


def costs(results: dict[str, Any]) -> Section:
    """Costs per participant, savings, net cost, cost per additional person, break-even."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return _empty("costs")
    w = words(lang)
    summary_ = r.get("costs") or {}
    if not summary_ or not summary_.get("available"):
        return section("costs", lang, paragraph(w["cost_text"]["unavailable"]))
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
    be = (summary_.get("municipality") or {}).get("break_even") or {}
    if be.get("months") is not None:
        parts.append(paragraph(w["cost_text"]["break_even"].format(months=be["months"])))
    elif be.get("horizon_months"):
        parts.append(paragraph(w["cost_text"]["no_break_even"].format(months=be["horizon_months"])))
    return section("costs", lang, *parts)


def _goal_value(g: dict[str, Any], lang: str) -> str:
    unit = g.get("unit")
    if unit == "share":
        return fmt_share(g.get("value"), lang)
    if unit == "share_points":
        v = fmt_effect(g.get("value"), "work_or_study", lang)
        return f"{v} {words(lang)['figures']['pp']}" if number(g.get("value")) is not None else v
    return fmt_num(g.get("value"), lang, 0)


def _goal_target(g: dict[str, Any], lang: str) -> str:
    sign = "≥" if g.get("direction") == "at_least" else "≤"
    unit = g.get("unit")
    if unit == "share":
        return f"{sign} {fmt_share(g.get('target'), lang)}"
    if unit == "share_points":
        return f"{sign} {fmt_effect(g.get('target'), 'work_or_study', lang)} {words(lang)['figures']['pp']}"
    return f"{sign} {fmt_num(g.get('target'), lang, 0)}"


def goal_rows(goals: list[dict[str, Any]], lang: str) -> list[tuple]:
    """One display row per goal, grouped (sorted) by source document."""

    def src(g: dict[str, Any]) -> str:
        s = g.get("source") or {}
        if isinstance(s, str):
            return s
        return f"{s.get('title')}, dnr {s.get('dnr')}" if s.get("dnr") else str(s.get("title"))

    rows = []
    for g in sorted(goals, key=lambda g: (src(g), str(g.get("id")))):
        reason = label(lang, "verdict_reasons", g.get("reason")) if g.get("reason") else ""
        rows.append(
            (
                src(g),
                g.get("id"),
                g.get("text"),
                _goal_target(g, lang),
                g.get("deadline") or "",
                _goal_value(g, lang),
                label(lang, "verdicts", g.get("verdict")),
                reason,
            )
        )
    return rows


def goals(results: dict[str, Any]) -> Section:
    """Every goal with source, indicator, target, deadline, value and verdict."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return _empty("goals")
    items = r.get("goals") or []
    w = words(lang)
    if not items:
        return section("goals", lang, paragraph(w["headline"]["no_goals"]))
    c = w["columns"]
    header = [c["goal"], c["goal_text"], c["target"], c["deadline"], c["value"], c["verdict"]]
    parts = []
    source = None
    for row in goal_rows(items, lang):
        if row[0] != source:
            if parts:
                parts.append("</tbody></table></div>")
            source = row[0]
            parts.append(f"<h3>{esc(source)}</h3>")
            parts.append(table(header, []).replace("</tbody></table></div>", ""))
        verdict = f"{row[6]} ({row[7]})" if row[7] else row[6]
        cells = [*row[1:6], verdict]
        parts.append("<tr>" + "".join(f"<td>{esc(v)}</td>" for v in cells) + "</tr>")
    parts.append("</tbody></table></div>")
    return section("goals", lang, "".join(parts))


# --- appendix and footer ---------------------------------------------------------------------


def appendix(results: dict[str, Any]) -> Section:
    """Population, comparison group, validation summary with quarantined rows, disclosure note."""
    r = protected(results)
    lang = lang_of(r)
    if is_failed(r):
        return _empty("appendix")
    w = words(lang)
    a, c = w["appendix"], w["columns"]
    s = r.get("sample") or {}
    rows = [
        (a["data_mode"], label(lang, "data_mode", s.get("data_mode"))),
        (a["n_eligible"], fmt_count(s.get("n_eligible"), lang)),
        (a["n_treated"], fmt_count(s.get("n_treated"), lang)),
        (a["n_control"], fmt_count(s.get("n_control"), lang)),
        (a["comparison"], label(lang, "comparison", s.get("comparison"))),
    ]
    if s.get("intake_start"):
        rows.append((a["intake"], f"{s.get('intake_start')} – {s.get('intake_end')}"))
    parts = [heading("population", a["population"], 3), table([c["key"], c["value"]], rows)]
    v = r.get("validation") or {}
    parts.append(heading("validation", a["validation"], 3))
    vrows = [
        (x.get("table"), x.get("rule"), x.get("description"), fmt_count(x.get("count"), lang))
        for x in v.get("rows") or []
    ]
    if vrows:
        parts.append(
            table([c["table"], c["rule"], c["description"], c["count"]], vrows, numeric=(3,))
        )
    else:
        parts.append(paragraph(a["no_problems"]))
    if v.get("n_quarantined") is not None:
        parts.append(paragraph(f"{a['n_quarantined']}: {fmt_count(v.get('n_quarantined'), lang)}"))
    disclosure = r.get("disclosure") or {}
    min_cell = int(disclosure.get("min_cell") or r.get("min_cell") or DEFAULT_MIN_CELL)
    parts.append(
        paragraph(
            a["disclosure"].format(
                min_cell=min_cell, min_share=2 * min_cell, n=len(disclosure.get("suppressed") or [])
            ),
            "note",
        )
    )
    return section("appendix", lang, *parts)


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


def footer(results: dict[str, Any]) -> Section:
    """Reproducibility: data fingerprint, parameters, evalkit version, commit, packages, seed."""
    lang = lang_of(results)
    f = words(lang)["footer"]
    c = words(lang)["columns"]
    rows = [
        (f["data_fingerprint"], results.get("data_fingerprint") or "–"),
        (f["evalkit_version"], results.get("evalkit_version") or "–"),
        (f["commit"], results.get("commit") or "–"),
        (f["seed"], results.get("seed") if results.get("seed") is not None else "–"),
        (f["created"], results.get("created") or "–"),
    ]
    packages = results.get("packages") or {}
    pkg = ", ".join(f"{k} {v}" for k, v in sorted(packages.items()))
    if pkg:
        rows.append((f["packages"], pkg))
    parts = [table([c["key"], c["value"]], rows, css_class="evalkit-table repro")]
    params = results.get("params") or {}
    if params:
        parts.append(heading("params", f["params"], 3))
        parts.append(
            table([c["key"], c["value"]], _flatten(params), css_class="evalkit-table repro")
        )
    return section("footer", lang, *parts, lead=False)


# --- failed runs -----------------------------------------------------------------------------


def failed(results: dict[str, Any]) -> Section:
    """What failed and why, in plain words (the whole content of a failed measure's page)."""
    lang = lang_of(results)
    fw = words(lang)["failed"]
    err = results.get("error") or {}
    name = results.get("title") or results.get("measure_id") or ""
    kind = fw["types"].get(err.get("type") or "", fw["types"]["other"])
    stage = fw["stages"].get(err.get("stage") or "unknown", fw["stages"]["unknown"])
    parts = [
        f'<p class="failed">{esc(fw["lead"].format(title=name))} {esc(kind)}</p>',
        paragraph(fw["stage"].format(stage=stage)),
        paragraph(fw["what"].format(message=err.get("message") or "–")),
        paragraph(fw["action"], "note"),
    ]
    return section("failed", lang, *parts, lead=False)


def measure_sections(results: dict[str, Any]) -> list[Section]:
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
