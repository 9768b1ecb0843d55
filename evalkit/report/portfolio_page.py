"""The portfolio page (``index.html``): every measure of a run folder side by side, for decisions.

Ranking on the effect over the whole horizon (extra months in work or studies, with the 12-month
figure beside it) with the probability of being best; each measure's net cost per participant
for the municipality and the public sector and its net cost per extra month in work or studies,
every figure with its interval; a forest plot; goals per commission; Kolada peers; links to the
one-page summary for the committee, to ``portfolio.json`` and to each measure's page. Read from
the run folder's results files through the models (``MeasureResults.read``: failed runs and
files of older evalkit versions load); each goes through disclosure control before use, so the
page, like a measure's, takes ``ProtectedResults`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from markupsafe import Markup
from pydantic import ValidationError

from evalkit.audit.commissions import CommissionGoals, goals_by_document
from evalkit.audit.disclosure import protect
from evalkit.audit.portfolio import PortfolioRow, PortfolioSummary, portfolio
from evalkit.audit.portfolio_file import PORTFOLIO_JSON, portfolio_file
from evalkit.plots.portfolio import forest_plot
from evalkit.project import find_project_root
from evalkit.report.render import (
    Section,
    esc,
    figure_img,
    fmt_effect,
    fmt_num,
    fmt_share,
    link,
    number,
    paragraph,
    section,
    table,
)
from evalkit.report.sections.costs import fmt_percent, interval_text
from evalkit.report.sections.goals import _goal_target, _goal_value
from evalkit.report.wording import label, words
from evalkit.results import (
    BenchmarkBlock,
    GoalVerdict,
    Interval,
    MeasureResults,
    ProtectedResults,
    RunFailure,
    require_protected,
    write_json,
)

#: The outcome of a portfolio without effects over the horizon (table or panel data).
OUTCOME = "work_or_study_12m"
#: The one-page summary for the committee, beside ``index.html``.
NAMND_PAGE = "namnd.html"


def run_path(run_dir: Path | str) -> Path:
    """The run folder; a relative path resolves against the project root (JupyterLab use)."""
    path = Path(run_dir)
    if path.is_absolute() or path.exists():
        return path
    return find_project_root() / path


def read_results(data: dict[str, Any]) -> ProtectedResults:
    """One measure's results file as protected results; a file that does not fit the model
    becomes a failed measure (named, never dropped)."""
    try:
        results = MeasureResults.model_validate(data)
    except ValidationError:
        results = MeasureResults(
            measure_id=str(data.get("measure_id")),
            title=str(data.get("title") or data.get("measure_id")),
            status="failed",
            error=RunFailure(
                type="ResultsError",
                message="the results file does not fit the results model",
                stage="report",
            ),
        )
    return protect(results)


def load_run(run_dir: Path | str) -> list[ProtectedResults]:
    """Every measure's results in a run folder (files with a ``measure_id``), by id."""
    out = []
    for path in sorted(run_path(run_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and data.get("measure_id") and "status" in data:
            out.append(read_results(data))
    return sorted(out, key=lambda r: r.measure_id)


def page_lang(run_dir: Path | str, lang: str = "") -> str:
    """The page language: as given, else the first measure's, else Swedish."""
    if lang in ("sv", "en"):
        return lang
    measures = load_run(run_dir)
    return measures[0].lang if measures else "sv"


def page_title(lang: str) -> str:
    """The portfolio page's title."""
    return words(lang)["portfolio_title"]


def _checked(all_results: list[ProtectedResults]) -> list[ProtectedResults]:
    """The measures, each made by disclosure control (the page's guard)."""
    return [require_protected(r) for r in all_results]


def summary_of(all_results: list[ProtectedResults]) -> PortfolioSummary:
    """The audit layer's portfolio summary (ranked on the effect over the horizon)."""
    return portfolio(_checked(all_results))


def benchmark_of(all_results: list[ProtectedResults]) -> BenchmarkBlock | None:
    """The Kolada benchmark of the run (every measure of a municipality carries the same)."""
    blocks = [r.benchmark for r in _checked(all_results) if r.benchmark is not None]
    return next((b for b in blocks if b.kpis), blocks[0] if blocks else None)


def title(all_results: list[ProtectedResults], lang: str) -> Section:
    """The page heading (h1) and links to the committee's summary and to ``portfolio.json``."""
    _checked(all_results)
    p = words(lang)["decisions"]["portfolio"]
    links = (
        f'<p class="subtitle"><a href="{NAMND_PAGE}">{esc(p["namnd_link"])}</a> · '
        f'<a href="{PORTFOLIO_JSON}">{esc(p["json_link"])}</a></p>'
    )
    return Section("title", f"<h1>{esc(page_title(lang))}</h1>{links if all_results else ''}")


# --- formatting ------------------------------------------------------------------------------


def is_months(outcome: str | None) -> bool:
    """Whether an outcome counts months in work or studies over a horizon."""
    return bool(outcome) and str(outcome).startswith("work_or_study_months")


def fmt_effect_of(value: Any, outcome: str | None, lang: str) -> str:
    """An effect: months with one decimal, else in the outcome's unit."""
    if is_months(outcome):
        return fmt_num(value, lang, 1) if number(value) is not None else ""
    return fmt_effect(value, outcome, lang) if number(value) is not None else ""


def interval_of(entry: Interval | None, lang: str, outcome: str | None = None) -> str:
    """``estimate (lo – hi)`` of an interval, in the outcome's unit (SEK by default)."""
    if entry is None or number(entry.estimate) is None:
        return ""
    if outcome is not None and not is_months(outcome):
        est, lo, hi = (fmt_effect(v, outcome, lang) for v in (entry.estimate, entry.ci_low,
                                                                 entry.ci_high))  # fmt: skip
        return f"{est} ({lo}\u2009–\u2009{hi})" if number(entry.ci_low) is not None else est
    decimals = 1 if outcome is not None else 0
    bounds = interval_text(entry.ci_low, entry.ci_high, lang, decimals)
    est = fmt_num(entry.estimate, lang, decimals)
    return f"{est} ({bounds})" if bounds else est


def stacked(text: str) -> Markup | str:
    """``estimate (lo – hi)`` with the interval on its own line (narrow tables of amounts)."""
    head, sep, tail = text.partition(" (")
    return Markup("{}<br>({}").format(head, tail) if sep else text


def fmt_p_best(value: float | None, lang: str) -> str:
    """A probability of being best, "> 99 %" and "< 1 %" at the extremes."""
    p = words(lang)["decisions"]["portfolio"]
    if value is None:
        return ""
    if value > 0.99:
        return p["p_high"]
    if value < 0.01:
        return p["p_low"]
    return fmt_share(value, lang)


def effect_header(summary: PortfolioSummary, lang: str) -> str:
    """The header of the ranking's effect column."""
    if summary.horizon_months:
        return words(lang)["decisions"]["portfolio"]["effect"].format(months=summary.horizon_months)
    w = words(lang)
    return f"{label(lang, 'outcomes', summary.outcome)} ({w['figures']['pp']})"


def not_ranked_note(row: PortfolioRow, lang: str) -> str:
    """Why a measure is not ranked."""
    p = words(lang)["portfolio"]
    return f"{p['not_ranked']}: {p['reasons'].get(row.reason or '', row.reason or '')}"


def _rows_in_order(summary: PortfolioSummary) -> list[PortfolioRow]:
    """Ranked measures in rank order, then the others."""
    ranked = sorted((r for r in summary.measures if r.ranked), key=lambda r: r.rank_effect)
    return ranked + [r for r in summary.measures if not r.ranked]


# --- sections --------------------------------------------------------------------------------


def _lock_in_text(row: PortfolioRow, lang: str) -> str:
    """Lock-in months with the interval ("13 (12–14)"), or "not within 24 m"."""
    lock = row.lock_in
    if lock is None:
        return ""
    if lock.within_horizon:
        return f"{lock.months} ({lock.ci_low}–{lock.ci_high if lock.ci_high else '…'})"
    months = lock.horizon_months
    return words(lang)["decisions"]["portfolio"]["not_within"].format(months=months)


def ranking(all_results: list[ProtectedResults], lang: str) -> Section:
    """Ranking on the effect over the horizon (12 months beside it), P(best), credibility."""
    w = words(lang)
    if not all_results:
        return section("ranking", lang, paragraph(w["portfolio"]["none"]))
    summary = summary_of(all_results)
    p, c = w["decisions"]["portfolio"], w["columns"]
    months = summary.horizon_months
    header = [
        p["rank"],
        c["measure"],
        p["credibility"],
        effect_header(summary, lang),
        *([p["effect_12"]] if months else []),
        p["p_best"],
        *([p["lock_in"]] if months else []),
    ]
    rows = []
    for r in _rows_in_order(summary):
        effect = Interval(estimate=r.estimate, ci_low=r.ci_low, ci_high=r.ci_high)
        at_12 = interval_of(r.effect_12m, lang, "work_or_study_months_12m") if r.ranked else ""
        rows.append(
            (
                str(r.rank_effect) if r.rank_effect else "",
                link(f"{r.measure_id}.html", r.title or r.measure_id),
                label(lang, "grades", r.credibility) if r.credibility else "",
                interval_of(effect, lang, summary.outcome)
                if r.ranked
                else not_ranked_note(r, lang),
                *([at_12] if months else []),
                fmt_p_best(r.p_best, lang),
                *([_lock_in_text(r, lang) if r.ranked else ""] if months else []),
            )
        )
    lead = w["lead"]["ranking"].format(months=months or 12)
    parts = [paragraph(lead, "lead"), table(header, rows, numeric=tuple(range(3, len(header))))]
    draws = fmt_num(summary.draws, lang)
    parts.append(paragraph(p["p_note"].format(draws=draws, months=months or 12), "note"))
    if not summary.effect_ranking:
        parts.append(paragraph(p["none_ranked"]))
    return section("ranking", lang, *parts, lead=False)


def _break_even_text(row: PortfolioRow, lang: str) -> str:
    """Break-even month with its interval, or "not within"."""
    p = words(lang)["decisions"]["portfolio"]
    be = row.break_even
    if be is None or be.reason == "no_cost_data" or be.horizon_months is None:
        return ""
    if be.months is None:
        return p["not_within"].format(months=be.horizon_months)
    hi = be.months_pessimistic if be.months_pessimistic is not None else f">{be.horizon_months}"
    return f"{be.months} ({be.months_optimistic}–{hi})"


def _ratio_text(row: PortfolioRow, lang: str) -> str:
    """Net cost per extra month with its interval, or why there is none."""
    ratio = row.cost_per_extra_month
    if ratio is None:
        return ""
    reasons = words(lang)["decisions"]["portfolio"]["reasons"]
    if not ratio.defined or not ratio.bounded:
        est = fmt_num(ratio.estimate, lang, 0) if ratio.defined else ""
        why = reasons.get(ratio.reason or "", ratio.reason or "")
        return f"{est} ({why})" if est else why
    return interval_of(ratio, lang)


def costs_table(all_results: list[ProtectedResults], lang: str) -> Section:
    """Net cost per participant (municipality, public sector), per extra month, break-even."""
    if not all_results:
        return Section("portfolio_costs", "")
    summary = summary_of(all_results)
    w = words(lang)
    p, c = w["decisions"]["portfolio"], w["columns"]
    header = [
        c["measure"],
        p["municipality"],
        p["public"],
        p["per_month"],
        p["rank_cost"],
        p["break_even"],
    ]
    rows = []
    for r in _rows_in_order(summary):
        if r.status == "not_ranked" and r.reason == "failed":
            continue
        if not r.ranked:
            name = link(f"{r.measure_id}.html", r.title or r.measure_id)
            rows.append((name, not_ranked_note(r, lang), "", "", "", ""))
            continue
        rows.append(
            (
                link(f"{r.measure_id}.html", r.title or r.measure_id),
                stacked(interval_of(r.net_cost_municipality, lang)),
                stacked(interval_of(r.net_cost_public, lang)),
                stacked(_ratio_text(r, lang)),
                str(r.rank_cost) if r.rank_cost else "",
                _break_even_text(r, lang),
            )
        )
    rate = summary.discount_rate
    months = summary.horizon_months or 24
    note = p["rate_note"].format(rate=fmt_percent(rate, lang), months=months) if rate else ""
    parts = [table(header, rows, numeric=(1, 2, 3, 4, 5)), paragraph(note, "note")]
    return section("portfolio_costs", lang, *parts)


def forest(all_results: list[ProtectedResults], lang: str) -> Section:
    """Forest plot of the effect over the horizon across measures (unranked ones named)."""
    if not all_results:
        return Section("forest", "")
    w = words(lang)
    summary = summary_of(all_results)
    months = summary.horizon_months
    alt = (
        w["decisions"]["portfolio"]["forest_alt"].format(months=months)
        if months
        else w["figures"]["portfolio_alt"]
    )
    fig = forest_plot(
        summary.model_dump(),
        xlabel=effect_header(summary, lang),
        not_ranked_label=w["portfolio"]["not_ranked"],
        reason_labels=w["portfolio"]["reasons"],
        percent=not is_months(summary.outcome),
        lang=lang,
    )
    return section("forest", lang, figure_img(fig, alt), lead=False)


def commission_line(group: CommissionGoals, lang: str) -> str:
    """ "AMN 2023/112: 1 av 3 mål uppfyllt, 1 kan ej bedömas, 1 ej uppfyllt"."""
    d = words(lang)["decisions"]["commissions"]
    met = group.counts.get("uppfyllt", 0)
    pieces = [d["of_one" if met == 1 else "of"].format(n=met, total=group.n_goals)]
    for verdict in ("delvis", "kan_ej_bedomas", "ej_uppfyllt"):
        n = group.counts.get(verdict, 0)
        if n:
            pieces.append(d["counts"][verdict].format(n=n))
    return d["summary"].format(dnr=group.dnr or group.document, parts=", ".join(pieces))


def _period_text(period: Any, lang: str, key: str = "period") -> str:
    """A goal's measurement period in words."""
    if period is None or not period.intake_start:
        return ""
    return words(lang)["decisions"]["commissions"][key].format(
        start=period.intake_start, end=period.intake_end, end_data=period.data_end or "–"
    )


def commissions_of(all_results: list[ProtectedResults]) -> list[CommissionGoals]:
    """Goals per commission across the run's measures."""
    return goals_by_document(_checked(all_results))


def goal_matrix(all_results: list[ProtectedResults], lang: str) -> Section:
    """Goals per commission (diarienummer): how many are met, and each goal with its decision
    date, indicator, target, deadline, measurement period and verdict."""
    groups = commissions_of(all_results)
    if not groups:
        return Section("goal_matrix", "")
    d = words(lang)["decisions"]["commissions"]
    cols = d["columns"]
    parts = []
    for group in groups:
        decided = d["decided"].format(date=group.decided.isoformat()) if group.decided else ""
        head = f"{group.document}, dnr {group.dnr}" if group.dnr else group.document
        parts.append(f"<h3>{esc(head)}{esc(', ' + decided) if decided else ''}</h3>")
        status = d["status"].get(group.status or "", "")
        parts.append(f'<p class="headline">{esc(commission_line(group, lang))}. {esc(status)}</p>')
        periods = {
            (m.intake_start, m.intake_end, m.data_end): m
            for g in group.goals
            if (m := g.measurement_period) is not None
        }
        shared = len(periods) == 1
        if shared:
            only = next(iter(periods.values()))
            parts.append(paragraph(_period_text(only, lang, "period_all"), "note"))
        keys = ["measure", "goal", "indicator", "target", "deadline",
                *([] if shared else ["period"]), "value", "verdict"]  # fmt: skip
        rows = []
        for g in group.goals:
            verdict = GoalVerdict(
                unit=g.unit, target=g.target, direction=g.direction, value=g.value
            )
            why = label(lang, "verdict_reasons", g.reason) if g.reason else ""
            shown = label(lang, "verdicts", g.verdict)
            rows.append(
                (
                    g.measure_title or g.measure_id,
                    f"{g.goal_id}: {g.text}" if g.text else g.goal_id,
                    d["indicators"].get(g.indicator or "", g.indicator or ""),
                    _goal_target(verdict, lang) if g.target is not None else "",
                    g.deadline.isoformat() if g.deadline else "",
                    *([] if shared else [_period_text(g.measurement_period, lang)]),
                    _goal_value(verdict, lang),
                    f"{shown} ({why})" if why else shown,
                )
            )
        parts.append(table([cols[k] for k in keys], rows))
    return section("goal_matrix", lang, *parts)


def benchmark(all_results: list[ProtectedResults], lang: str) -> Section:
    """The municipality beside its Kolada peers per KPI and year; "Källa: Kolada"."""
    block = benchmark_of(all_results)
    if block is None:
        return Section("benchmark", "")
    b = words(lang)["decisions"]["benchmark"]
    if not block.kpis:
        reason = b["reasons"].get(block.reason or "", block.reason or "")
        return section("benchmark", lang, paragraph(b["none"].format(reason=reason)))
    cols = b["columns"]
    header = [cols[k] for k in ("kpi", "period", "own", "mean", "range", "n")]
    parts = []
    for kpi in dict.fromkeys(k.kpi for k in block.kpis):
        rows_k = [k for k in block.kpis if k.kpi == kpi]
        title_ = rows_k[0].title or kpi
        decimals = 0 if kpi == "N31001" else 1
        rows = []
        for k in sorted(rows_k, key=lambda k: k.period):
            own = (
                b["suppressed"]
                if k.suppressed
                else fmt_num(k.municipality_value, lang, decimals)
                if k.municipality_value is not None
                else ""
            )
            rows.append(
                (
                    kpi,
                    str(k.period),
                    own,
                    fmt_num(k.peer_mean, lang, decimals) if k.peer_mean is not None else "",
                    interval_text(k.peer_min, k.peer_max, lang, decimals),
                    fmt_num(k.n_peers, lang, 0) if k.n_peers is not None else "",
                )
            )
        caption = f"{title_} ({b['own']})" if rows_k[0].own else title_
        parts.append(table(header, rows, caption=caption, numeric=(2, 3, 4, 5)))
    peers = ", ".join(block.peers)
    parts.append(paragraph(b["source"].format(file=block.file or "", peers=peers), "note"))
    return section("benchmark", lang, *parts)


def measure_links(all_results: list[ProtectedResults], lang: str) -> Section:
    """Links to every measure's page with its run status."""
    w = words(lang)
    c, p = w["columns"], w["portfolio"]
    if not all_results:
        return section("measures", lang, paragraph(p["none"]), lead=False)
    rows = [
        (
            link(f"{r.measure_id}.html", r.title or r.measure_id),
            p["status"].get(r.status, r.status),
        )
        for r in _checked(all_results)
    ]
    return section("measures", lang, table([c["measure"], c["status"]], rows), lead=False)


def portfolio_sections(all_results: list[ProtectedResults], lang: str) -> list[Section]:
    """Every section of the portfolio page in reading order."""
    makers = (title, ranking, costs_table, forest, goal_matrix, benchmark, measure_links)
    return [m(all_results, lang) for m in makers]


# --- files beside index.html -----------------------------------------------------------------


def write_portfolio_json(all_results: list[ProtectedResults], run_dir: Path | str) -> Path:
    """Write ``portfolio.json`` (``audit.portfolio_file``) into the run folder."""
    content = portfolio_file(
        summary_of(all_results), commissions_of(all_results), benchmark_of(all_results)
    )
    return write_json(content.to_json_dict(), run_path(run_dir) / PORTFOLIO_JSON)
