"""The overview page of a run over several municipalities (``index.html`` at the run's top).

One row per municipality (its measures, how many ran, a link to its portfolio page) and one row
per measure and municipality with the headline effect its ranking rests on (months in work or
studies over the horizon), as each municipality's portfolio page ranks it. Read from the
municipalities' results JSON files only, disclosure control applied
(``portfolio_page.load_run``); no kernel, no figure.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any
from urllib.parse import quote

from evalkit.audit.portfolio import effect_table
from evalkit.report.portfolio_page import load_run, summary_of
from evalkit.report.render import esc, fmt_effect, fmt_interval, fmt_num, paragraph
from evalkit.report.wording import label, words

PAGE = "index.html"

#: The page's own words (to move into ``report/wording.py`` when its owner merges this module).
WORDS = {
    "sv": {
        "title": "Arbetsmarknadsinsatser i flera kommuner: översikt",
        "lead": (
            "Varje kommun har en egen sida med rangordning och mål. Här visas kommunerna sida vid "
            "sida: hur många insatser som utvärderades och varje insats huvudskattning av "
            "effekten som kommunens rangordning bygger på: extra månader i arbete eller studier "
            "över tidshorisonten."
        ),
        "municipalities": "Kommuner",
        "effects": "Effekter per insats och kommun",
        "municipality": "Kommun",
        "measures": "Insatser",
        "ok": "Klara",
        "failed": "Misslyckade",
        "rank": "Rang i kommunen",
        "none": "Inga kommuner i körningen.",
    },
    "en": {
        "title": "Labour-market measures in several municipalities: overview",
        "lead": (
            "Each municipality has its own page with rankings and goals. Here the municipalities "
            "stand side by side: how many measures were evaluated, and each measure's headline "
            "effect that the municipality's ranking rests on: extra months in work or studies "
            "over the horizon."
        ),
        "municipalities": "Municipalities",
        "effects": "Effects by measure and municipality",
        "municipality": "Municipality",
        "measures": "Measures",
        "ok": "Done",
        "failed": "Failed",
        "rank": "Rank in the municipality",
        "none": "No municipalities in the run.",
    },
}


def _cell(value: Any, numeric: bool = False, link: str | None = None) -> str:
    """One escaped table cell, optionally a link (its target URL-quoted)."""
    text = esc(value)
    if link:
        text = f'<a href="{esc(quote(link))}">{text}</a>'
    return f'<td class="num">{text}</td>' if numeric else f"<td>{text}</td>"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[int]) -> str:
    """A table of ready cells (built by ``_cell``) in the report's scrolling wrapper."""
    num = ' class="num"'
    head = "".join(
        f'<th scope="col"{num if i in numeric else ""}>{esc(h)}</th>' for i, h in enumerate(header)
    )
    body = "".join(f"<tr>{''.join(r)}</tr>" for r in rows)
    return (
        f'<div class="table-wrap"><table class="evalkit-table"><thead><tr>{head}</tr></thead>'
        f"<tbody>{body}</tbody></table></div>"
    )


def _section(key: str, heading: str, *parts: str) -> str:
    return (
        f'<section class="evalkit-section" data-section="{esc(key)}">'
        f'<h2 id="{esc(key)}">{esc(heading)}</h2>{"".join(parts)}</section>'
    )


def _known(value: Any) -> bool:
    """Neither None nor NaN (pandas' missing marker in a frame of numbers)."""
    return value is not None and value == value


def measures_of(run_dir: Path, name: str) -> list[dict[str, Any]]:
    """A municipality's measures as its portfolio page ranks them (one dict per measure)."""
    results = load_run(run_dir / name)
    return effect_table(summary_of(results)).to_dict("records") if results else []


def municipality_rows(run_dir: Path, names: Sequence[str], lang: str) -> list[list[str]]:
    """Per municipality: name linked to its page, measures, done, failed."""
    rows = []
    for name in names:
        measures = measures_of(run_dir, name)
        failed = sum(r.get("reason") == "failed" for r in measures)
        page = f"{name}/{PAGE}" if (run_dir / name / PAGE).exists() else None
        rows.append(
            [
                _cell(name, link=page),
                _cell(fmt_num(len(measures), lang), numeric=True),
                _cell(fmt_num(len(measures) - failed, lang), numeric=True),
                _cell(fmt_num(failed, lang), numeric=True),
            ]
        )
    return rows


def effect_rows(run_dir: Path, names: Sequence[str], lang: str) -> list[list[str]]:
    """Per municipality and measure: headline effect, interval, participants, rank."""
    w = words(lang)
    reasons = w["portfolio"]["reasons"]
    rows = []
    for name in names:
        for r in measures_of(run_dir, name):
            ranked = r["status"] == "ranked"
            rank = r.get("rank_effect")
            n_treated = r.get("n_treated")
            rows.append(
                [
                    _cell(name),
                    _cell(r.get("title") or r["measure_id"], link=f"{name}/{r['measure_id']}.html"),
                    _cell(label(lang, "estimators", r["estimator"]) if r.get("estimator") else ""),
                    _cell(label(lang, "outcomes", r.get("outcome")) if ranked else ""),
                    _cell(
                        fmt_effect(r["estimate"], r.get("outcome"), lang) if ranked else "", True
                    ),
                    _cell(
                        fmt_interval(r["ci_low"], r["ci_high"], r.get("outcome"), lang)
                        if ranked
                        else ""
                    ),
                    _cell(fmt_num(n_treated, lang) if _known(n_treated) else "", True),
                    _cell(
                        str(int(rank))
                        if ranked and _known(rank)
                        else reasons.get(r.get("reason"), r.get("reason") or ""),
                        True,
                    ),
                ]
            )
    return rows


def overview_parts(run_dir: Path, names: Sequence[str], lang: str = "sv") -> list[str]:
    """The page's HTML pieces: title, lead, the municipalities table and the effects table."""
    o, w = WORDS[lang], words(lang)
    c = w["columns"]
    parts = [f"<h1>{esc(o['title'])}</h1>", paragraph(o["lead"], "lead")]
    if not names:
        return [*parts, paragraph(o["none"])]
    header = [o["municipality"], o["measures"], o["ok"], o["failed"]]
    parts.append(
        _section(
            "municipalities",
            o["municipalities"],
            _table(header, municipality_rows(run_dir, names, lang), {1, 2, 3}),
        )
    )
    header = [
        o["municipality"],
        c["measure"],
        c["estimator"],
        c["outcome"],
        c["estimate"],
        c["ci"],
        c["n_treated"],
        o["rank"],
    ]
    parts.append(
        _section(
            "effects",
            o["effects"],
            _table(header, effect_rows(run_dir, names, lang), {4, 6, 7}),
        )
    )
    return parts


def write_overview(run_dir: Path, names: Sequence[str], lang: str = "") -> Path:
    """Write ``index.html`` over the municipalities' run folders; returns its path."""
    from evalkit.report.export import html_page
    from evalkit.report.portfolio_page import page_lang

    first = next((run_dir / n for n in names if load_run(run_dir / n)), run_dir)
    language = lang if lang in WORDS else page_lang(first)
    out = run_dir / PAGE
    page = html_page(
        overview_parts(run_dir, names, language), title=WORDS[language]["title"], lang=language
    )
    out.write_text(page, encoding="utf-8")
    return out
