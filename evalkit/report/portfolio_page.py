"""The portfolio page (``index.html``): every measure of a run folder side by side.

Ranking table, forest plot across measures, goal matrix grouped by source document, the
probability that one measure beats another, and links to each measure's page. Read from the run
folder's results files through the models (``MeasureResults.read``: failed runs and files of
older evalkit versions load); each goes through disclosure control before use, so the page, like
a measure's, takes ``ProtectedResults`` only.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from evalkit.audit.disclosure import protect
from evalkit.audit.goals import verdicts_of
from evalkit.audit.portfolio import PortfolioSummary, effect_table, portfolio, prob_better_frame
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
    link,
    paragraph,
    section,
    table,
)
from evalkit.report.sections import goal_rows, goal_tables
from evalkit.report.wording import label, words
from evalkit.results import MeasureResults, ProtectedResults, RunFailure, require_protected

OUTCOME = "work_or_study_12m"


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


def title(all_results: list[ProtectedResults], lang: str) -> Section:
    """The page heading (h1)."""
    _checked(all_results)
    return Section("title", f"<h1>{esc(page_title(lang))}</h1>")


def summary_of(all_results: list[ProtectedResults]) -> PortfolioSummary:
    """The audit layer's portfolio summary of the headline outcome."""
    return portfolio(_checked(all_results), outcome=OUTCOME)


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
        link(f"{r['measure_id']}.html", r.get("title") or r["measure_id"]),
        label(lang, "estimators", r.get("estimator")) if r.get("estimator") else "",
        fmt_effect(r.get("estimate"), OUTCOME, lang) if ranked else "",
        fmt_interval(r.get("ci_low"), r.get("ci_high"), OUTCOME, lang) if ranked else "",
        fmt_num(r.get("n_treated"), lang, 0) if r.get("n_treated") is not None else "",
        _int(r.get("rank_cost")),
        fmt_num(cost, lang, 0) if cost is not None else "",
        note,
    )


def ranking(all_results: list[ProtectedResults], lang: str) -> Section:
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
    return section("ranking", lang, table(header, rows, numeric=(0, 3, 4, 5, 6, 7)))


def forest(all_results: list[ProtectedResults], lang: str) -> Section:
    """Forest plot of the headline effect across measures (unranked ones named with a reason)."""
    if not all_results:
        return Section("forest", "")
    w = words(lang)
    fig = forest_plot(
        summary_of(all_results).model_dump(),
        xlabel=f"{label(lang, 'outcomes', OUTCOME)} ({w['figures']['pp']})",
        not_ranked_label=w["portfolio"]["not_ranked"],
        reason_labels=w["portfolio"]["reasons"],
    )
    return section("forest", lang, figure_img(fig, w["figures"]["portfolio_alt"]), lead=False)


def goal_matrix(all_results: list[ProtectedResults], lang: str) -> Section:
    """All goals of all measures grouped by source document, with verdicts."""
    verdicts = [
        g.model_copy(update={"id": f"{r.title or r.measure_id}: {g.id}"})
        for r in _checked(all_results)
        for g in verdicts_of(r)
    ]
    if not verdicts:
        return Section("goal_matrix", "")
    c = words(lang)["columns"]
    header = [c["goal"], c["goal_text"], c["target"], c["deadline"], c["value"]]
    parts = goal_tables(goal_rows(verdicts, lang), [*header, c["verdict"], c["why"]])
    return section("goal_matrix", lang, *parts)


def prob_better(all_results: list[ProtectedResults], lang: str) -> Section:
    """P(row measure has a larger effect than column measure), as percentages."""
    summary = summary_of(all_results)
    if len(summary.effect_ranking) < 2:
        return Section("prob_better", "")
    frame = prob_better_frame(summary)
    titles = {r.measure_id: r.title or r.measure_id for r in summary.measures}
    header = [words(lang)["columns"]["measure"], *[titles[m] for m in frame.columns]]
    rows = [
        (titles[m], *[fmt_share(v, lang) if _value(v) is not None else "" for v in row])
        for m, row in zip(frame.index, frame.itertuples(index=False), strict=True)
    ]
    numeric = tuple(range(1, len(header)))
    return section("prob_better", lang, table(header, rows, numeric=numeric))


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
    makers = (title, ranking, forest, goal_matrix, prob_better, measure_links)
    return [m(all_results, lang) for m in makers]
