"""The portfolio page (``index.html``): every measure of a run folder side by side.

Ranking table, forest plot across measures, goal matrix grouped by source document, the
probability that one measure beats another, and links to each measure's page. Read from the run
folder's results JSON files only; disclosure control is applied to each before use.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from evalkit.audit.goals import INDICATORS
from evalkit.audit.goals import goal_matrix as audit_goal_matrix
from evalkit.audit.portfolio import effect_table, portfolio, prob_better_frame
from evalkit.plots.portfolio import forest_plot
from evalkit.project import find_project_root
from evalkit.report.render import (
    Section,
    esc,
    figure_img,
    fmt_effect,
    fmt_interval,
    fmt_num,
    fmt_share,
    paragraph,
    section,
    table,
)
from evalkit.report.sections import goal_rows, protected
from evalkit.report.wording import label, words

OUTCOME = "work_or_study_12m"


def run_path(run_dir: Path | str) -> Path:
    """The run folder; a relative path resolves against the project root (JupyterLab use)."""
    path = Path(run_dir)
    if path.is_absolute() or path.exists():
        return path
    return find_project_root() / path


def load_run(run_dir: Path | str) -> list[dict[str, Any]]:
    """Every measure's results dict in a run folder (files with a ``measure_id``), by id."""
    out = []
    for path in sorted(run_path(run_dir).glob("*.json")):
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            continue
        if isinstance(data, dict) and data.get("measure_id") and "status" in data:
            out.append(protected(data))
    return sorted(out, key=lambda r: str(r["measure_id"]))


def page_lang(run_dir: Path | str, lang: str = "") -> str:
    """The page language: as given, else the first measure's, else Swedish."""
    if lang in ("sv", "en"):
        return lang
    for r in load_run(run_dir):
        if r.get("lang") in ("sv", "en"):
            return r["lang"]
    return "sv"


def page_title(lang: str) -> str:
    """The portfolio page's title."""
    return words(lang)["portfolio_title"]


def title(all_results: list[dict[str, Any]], lang: str) -> Section:
    """The page heading (h1)."""
    return Section("title", f"<h1>{esc(page_title(lang))}</h1>")


def summary_of(all_results: list[dict[str, Any]]) -> dict[str, Any]:
    """The audit layer's portfolio summary of the headline outcome."""
    return portfolio(all_results, outcome=OUTCOME)


def _link(measure_id: str, text: str) -> str:
    return f'<a href="{esc(measure_id)}.html">{esc(text)}</a>'


def _value(value: Any) -> Any:
    """None for pandas' missing markers (NaN, NA), else the value."""
    try:
        return None if value is None or value != value else value
    except (TypeError, ValueError):
        return None


def _int(value: Any) -> str:
    value = _value(value)
    return str(int(value)) if value is not None else ""


def _ranking_row(r: dict[str, Any], lang: str) -> tuple:
    """One display row of the ranking table."""
    p = words(lang)["portfolio"]
    ranked = r["status"] == "ranked"
    note = "" if ranked else f"{p['not_ranked']}: {p['reasons'].get(r['reason'], r['reason'])}"
    if r.get("cost_flag"):
        note = p["reasons"].get(r["cost_flag"], r["cost_flag"])
    cost = r.get("cost_per_additional")
    return (
        _int(r.get("rank_effect")),
        _link(r["measure_id"], r.get("title") or r["measure_id"]),
        label(lang, "estimators", r.get("estimator")) if r.get("estimator") else "",
        fmt_effect(r.get("estimate"), OUTCOME, lang) if ranked else "",
        fmt_interval(r.get("ci_low"), r.get("ci_high"), OUTCOME, lang) if ranked else "",
        fmt_num(r.get("n_treated"), lang, 0) if r.get("n_treated") is not None else "",
        _int(r.get("rank_cost")),
        fmt_num(cost, lang, 0) if cost is not None else "",
        note,
    )


def ranking(all_results: list[dict[str, Any]], lang: str) -> Section:
    """Ranking by effect and by cost per effect; measures with too little data shown as such."""
    w = words(lang)
    if not all_results:
        return section("ranking", lang, paragraph(w["portfolio"]["none"]))
    c = w["columns"]
    frame = effect_table(summary_of(all_results))
    header = [
        c["rank_effect"],
        c["measure"],
        c["estimator"],
        f"{c['estimate']} ({w['figures']['pp']})",
        c["ci"],
        c["n_treated"],
        c["rank_cost"],
        f"{c['cost_per_additional']} ({w['currency']})",
        c["note"],
    ]
    rows = [
        _ranking_row({k: _value(v) for k, v in record.items()}, lang)
        for record in frame.to_dict("records")
    ]
    body = _table_with_links(header, rows, link_col=1, numeric=(0, 3, 4, 5, 6, 7))
    return section("ranking", lang, body)


def _table_with_links(
    header: list[str], rows: list[tuple], *, link_col: int, numeric: tuple[int, ...] = ()
) -> str:
    """Like ``render.table`` but one column holds ready (escaped) link HTML."""
    marker = "@@evalkit-link-{}@@"
    links = [r[link_col] for r in rows]
    plain = [
        tuple(marker.format(i) if j == link_col else v for j, v in enumerate(r))
        for i, r in enumerate(rows)
    ]
    out = table(header, plain, numeric=numeric)
    for i, link in enumerate(links):
        out = out.replace(marker.format(i), link, 1)
    return out


def forest(all_results: list[dict[str, Any]], lang: str) -> Section:
    """Forest plot of the headline effect across measures (unranked ones named with a reason)."""
    if not all_results:
        return Section("forest", "")
    w = words(lang)
    fig = forest_plot(
        summary_of(all_results),
        xlabel=f"{label(lang, 'outcomes', OUTCOME)} ({w['figures']['pp']})",
        not_ranked_label=w["portfolio"]["not_ranked"],
        reason_labels=w["portfolio"]["reasons"],
    )
    return section("forest", lang, figure_img(fig, w["figures"]["portfolio_alt"]), lead=False)


def goal_matrix(all_results: list[dict[str, Any]], lang: str) -> Section:
    """All goals of all measures grouped by source document, with verdicts."""
    frame = audit_goal_matrix(all_results)
    if frame.empty:
        return Section("goal_matrix", "")
    c = words(lang)["columns"]
    parts = []
    keys = ("text", "target", "direction", "deadline", "value", "verdict", "reason", "indicator")
    for source, group in frame.groupby("source", sort=True, dropna=False):
        goals = [
            {
                "id": f"{row['measure_title'] or row['measure_id']}: {row['goal_id']}",
                "source": str(source),
                **{k: _value(row[k]) for k in keys},
                "unit": _unit_of(row["indicator"]),
            }
            for row in group.to_dict("records")
        ]
        parts.append(f"<h3>{esc(source)}</h3>")
        rows = [r[1:] for r in goal_rows(goals, lang)]
        header = [c["goal"], c["goal_text"], c["target"], c["deadline"], c["value"]]
        parts.append(table([*header, c["verdict"], c["why"]], rows))
    return section("goal_matrix", lang, *parts)


def _unit_of(indicator: str) -> str | None:
    spec = INDICATORS.get(indicator)
    return spec.unit if spec else None


def prob_better(all_results: list[dict[str, Any]], lang: str) -> Section:
    """P(row measure has a larger effect than column measure), as percentages."""
    summary = summary_of(all_results)
    if len(summary["effect_ranking"]) < 2:
        return Section("prob_better", "")
    frame = prob_better_frame(summary)
    titles = {r["measure_id"]: r.get("title") or r["measure_id"] for r in summary["measures"]}
    header = [words(lang)["columns"]["measure"], *[titles[m] for m in frame.columns]]
    rows = [
        (titles[m], *[fmt_share(v, lang) if _value(v) is not None else "" for v in row])
        for m, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    numeric = tuple(range(1, len(header)))
    return section("prob_better", lang, table(header, rows, numeric=numeric))


def measure_links(all_results: list[dict[str, Any]], lang: str) -> Section:
    """Links to every measure's page with its run status."""
    w = words(lang)
    c, p = w["columns"], w["portfolio"]
    if not all_results:
        return section("measures", lang, paragraph(p["none"]), lead=False)
    rows = [
        (
            _link(r["measure_id"], r.get("title") or r["measure_id"]),
            p["status"].get(r.get("status"), r.get("status")),
        )
        for r in all_results
    ]
    body = _table_with_links([c["measure"], c["status"]], rows, link_col=0)
    return section("measures", lang, body, lead=False)


def portfolio_sections(all_results: list[dict[str, Any]], lang: str) -> list[Section]:
    """Every section of the portfolio page in reading order."""
    makers = (title, ranking, forest, goal_matrix, prob_better, measure_links)
    return [m(all_results, lang) for m in makers]
