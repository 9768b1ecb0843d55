"""The one-page summary for the committee (``namnd.html``, beside ``index.html``; prints on A4).

One table, one row per measure: the effect over the portfolio's horizon (extra months in work
or studies, with its interval), the municipality's net cost per participant (with its
interval), the credibility grade and the goal verdicts; below it one line per commission
("AMN 2023/112: 1 av 3 mål uppfyllda, …"). Everything from ``ProtectedResults``, through the
same portfolio summary as ``index.html``, so the two pages cannot disagree.
"""

from __future__ import annotations

from collections import Counter
from datetime import date
from pathlib import Path

from evalkit.report import export
from evalkit.report.portfolio_page import (
    NAMND_PAGE,
    commission_line,
    commissions_of,
    effect_header,
    interval_of,
    not_ranked_note,
    run_path,
    summary_of,
)
from evalkit.report.render import esc, paragraph, table
from evalkit.report.sections.costs import fmt_percent
from evalkit.report.wording import label, words
from evalkit.results import Interval, ProtectedResults

#: Print rules of the one page: small type and tight margins, so that it fits one A4 sheet.
ONE_PAGE_CSS = (
    "<style>@media print { @page { size: A4; margin: 14mm 12mm 14mm 12mm; } "
    "html { font-size: 9.5pt; } footer.evalkit-footer { font-size: 7.5pt; } "
    "table.evalkit-table { font-size: 8.5pt; } "
    "table.evalkit-table td:first-child { min-width: 9.5em; overflow-wrap: normal; } "
    "table.evalkit-table td:last-child { min-width: 8em; overflow-wrap: normal; } } "
    "ul.commissions { padding-left: 1.1rem; } ul.commissions li { margin: 0.1rem 0; }</style>"
)


def goal_text(results: ProtectedResults, lang: str) -> str:
    """A measure's goal verdicts in a few words: "1 av 3 uppfyllda; 1 kan ej bedömas"."""
    n = words(lang)["decisions"]["namnd"]
    if not results.goals:
        return ""
    counts = Counter(g.verdict for g in results.goals)
    total, met, open_ = (
        len(results.goals),
        counts.get("uppfyllt", 0),
        counts.get("kan_ej_bedomas", 0),
    )
    if open_:
        return n["goals_detail"].format(met=met, total=total, open=open_)
    return n["goals"].format(met=met, total=total)


def namnd_parts(all_results: list[ProtectedResults], lang: str) -> list[str]:
    """The page's HTML pieces: heading, lead, the table, the commissions, the note."""
    w = words(lang)
    n = w["decisions"]["namnd"]
    summary = summary_of(all_results)
    months = summary.horizon_months
    by_id = {r.measure_id: r for r in all_results}
    cols = n["columns"]
    header = [
        cols["measure"],
        cols["effect"].format(months=months) if months else effect_header(summary, lang),
        cols["net_cost"],
        cols["credibility"],
        cols["goals"],
    ]
    ranked = sorted((r for r in summary.measures if r.ranked), key=lambda r: r.rank_effect)
    rows = []
    for r in [*ranked, *(r for r in summary.measures if not r.ranked)]:
        effect = Interval(estimate=r.estimate, ci_low=r.ci_low, ci_high=r.ci_high)
        shown = interval_of(effect, lang, summary.outcome) if r.ranked else not_ranked_note(r, lang)
        name = r.title or r.measure_id
        rows.append(
            (
                f"{r.rank_effect}. {name}" if r.rank_effect else name,
                shown,
                # a net cost built on an effect that failed its checks is not shown either
                interval_of(r.net_cost_municipality, lang) if r.ranked else "–",
                label(lang, "grades", r.credibility) if r.credibility else "",
                goal_text(by_id[r.measure_id], lang),
            )
        )
    lead = n["lead"].format(months=months or 12)
    parts = [
        ONE_PAGE_CSS,
        f"<h1>{esc(n['title'])}</h1>",
        paragraph(lead, "lead"),
        table(header, rows, numeric=(1, 2)),
    ]
    groups = commissions_of(all_results)
    if groups:
        items = "".join(
            f"<li>{esc(commission_line(g, lang))}. "
            f"{esc(w['decisions']['commissions']['status'].get(g.status or '', ''))}</li>"
            for g in groups
        )
        parts.append(f'<h2>{esc(n["commissions"])}</h2><ul class="commissions">{items}</ul>')
    rate = summary.discount_rate
    if rate:
        parts.append(paragraph(n["note"].format(rate=fmt_percent(rate, lang)), "note"))
    parts.append(f'<p class="note"><a href="index.html">{esc(n["details"])}</a>.</p>')
    return parts


def namnd_html(
    all_results: list[ProtectedResults], lang: str, *, created: date | None = None
) -> str:
    """The whole page, self-contained, through the report template."""
    return export.html_page(
        namnd_parts(all_results, lang),
        title=words(lang)["decisions"]["namnd"]["file_title"],
        lang=lang,
        created=created,
    )


def write_namnd_page(all_results: list[ProtectedResults], run_dir: Path | str, lang: str) -> Path:
    """Write ``namnd.html`` into the run folder."""
    path = run_path(run_dir) / NAMND_PAGE
    path.write_text(namnd_html(all_results, lang), encoding="utf-8")
    return path
