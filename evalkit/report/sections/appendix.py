"""Method and data appendix (who is included, how the comparison group was formed, the settings in
words, data checks, disclosure control), the glossary, and the reproducibility footer."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import PurePath
from typing import Any

from evalkit.report.downloads import page_tables
from evalkit.report.render import (
    Section,
    esc,
    fmt_count,
    fmt_num,
    heading,
    paragraph,
    section,
    table,
    with_unit,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.sections.summary import month_words
from evalkit.report.wording import label, words
from evalkit.results import (
    ProtectedResults,
    require_protected,
)


def _months(start: Any, end: Any, lang: str) -> str:
    return f"{month_words(start, lang)} – {month_words(end, lang)}"


def _control_group(r: ProtectedResults, lang: str) -> str:
    """The comparison group's size: persons and, in registers mode, person-months."""
    s = r.sample
    months = with_unit(fmt_count(s.n_control, lang), "person_months", lang)
    if s.data_mode == "registers" and s.n_control_persons is not None:
        persons = with_unit(fmt_count(s.n_control_persons, lang), "persons", lang)
        return f"{persons}, {months}"
    unit = "units" if s.data_mode == "panel" else "persons"
    if unit == "units":
        return f"{fmt_count(s.n_control, lang)} {words(lang)['unit_names']['units']}"
    return with_unit(fmt_count(s.n_control, lang), "persons", lang)


def design_text(r: ProtectedResults, lang: str) -> str:
    """How the comparison group was formed, in plain words (never the design's code name)."""
    d = words(lang)["design"]
    mode = r.sample.data_mode or "registers"
    if mode != "registers":
        return d.get(mode, "")
    months = r.sample.eligibility_months or _design_param(r, "eligibility_months") or 3
    key = r.sample.comparison or _design_param(r, "comparison") or "not_yet_treated"
    return d.get(str(key), d["not_yet_treated"]).format(months=months)


def _design_param(r: ProtectedResults, key: str) -> Any:
    design = r.params.get("design") if isinstance(r.params, dict) else None
    return design.get(key) if isinstance(design, dict) else None


def _labels(lang: str, group: str, keys: Any) -> str:
    items = [label(lang, group, k) for k in keys or []]
    return "; ".join(items) if items else words(lang)["settings"]["none"]


def _options(options: Any, lang: str) -> str:
    """Estimator options as 'Matchning: neighbours 1, caliper 0,2'."""
    if not isinstance(options, dict) or not options:
        return words(lang)["settings"]["none"]
    out = []
    for name, values in options.items():
        pairs = ", ".join(
            f"{k} {fmt_num(v, lang, 2).rstrip('0').rstrip(',.') if isinstance(v, float) else v}"
            for k, v in (values or {}).items()
        )
        out.append(f"{label(lang, 'estimators', name)}: {pairs}")
    return "; ".join(out)


def settings_rows(r: ProtectedResults, lang: str) -> list[tuple[str, str]]:
    """The params the analysis ran with, in words: (setting, value) rows."""
    s = words(lang)["settings"]
    p = r.params if isinstance(r.params, dict) else {}
    design = p.get("design") or {}
    data = p.get("data") or {}
    report = p.get("report") or {}
    min_cell = r.disclosure.min_cell
    rows = [(s["title"], r.title or r.measure_id)]
    intake = r.intake()
    if intake:
        rows.append((s["intake"], _months(*intake, lang)))
    if data.get("mode", "registers") == "registers":
        months = design.get("eligibility_months") or r.sample.eligibility_months or 3
        rows.append((s["eligibility"], s["eligibility_value"].format(months=months)))
        rows.append((s["comparison"], label(lang, "comparison", design.get("comparison"))))
    rows += [
        (s["outcomes"], _labels(lang, "outcomes", p.get("outcomes"))),
        (s["estimators"], _labels(lang, "estimators", p.get("estimators"))),
        (s["estimator_options"], _options(p.get("estimator_options"), lang)),
        (s["subgroups"], _labels(lang, "subgroups", p.get("subgroups"))),
    ]
    covariates = p.get("covariates")
    rows.append(
        (
            s["covariates"],
            _labels(lang, "covariates", covariates) if covariates else s["covariates_default"],
        )
    )
    source = data.get("source") or {}
    where = source.get("path") or source.get("table") or ""
    rows.append(
        (
            s["data_mode"],
            label(lang, "data_mode", data.get("mode", "registers"))
            + (f" ({PurePath(str(where)).name})" if where else ""),
        )
    )
    rows.append((s["goals"], s["goals_value"].format(n=len(p.get("goals") or []))))
    rows.append(
        (s["min_cell"], s["min_cell_value"].format(min_cell=min_cell, min_share=2 * min_cell))
    )
    lang_key = report.get("lang", r.lang)
    rows.append((s["lang"], s["lang_value"].get(lang_key, lang_key)))
    if r.seed is not None:
        rows.append((s["seed"], str(r.seed)))
    return rows


def _disclosure_parts(r: ProtectedResults, lang: str) -> list[str]:
    """What disclosure control hid, how many values, and why."""
    a = words(lang)["appendix"]
    m = r.disclosure.min_cell
    reasons = Counter(r.disclosure.reason(p) or "small_count" for p in r.disclosure.suppressed)
    texts = words(lang)["suppression"]
    items = ", ".join(
        f"{texts.get(k, k).format(min_cell=m, min_share=2 * m)} {n}"
        for k, n in sorted(reasons.items(), key=lambda kv: -kv[1])
    )
    out = [a["disclosure"].format(min_cell=m, min_share=2 * m, n=len(r.disclosure.suppressed))]
    out.append(a["disclosure_shares"].format(min_share=2 * m))
    if items:
        out.append(a["disclosure_reasons"].format(items=items))
    return [paragraph(" ".join(out), "note")]


@measure_section("appendix")
def appendix(r: ProtectedResults, lang: str) -> Parts:
    """Who is included, how the comparison group was formed, the settings in words, the data
    checks with quarantined rows (and where they are kept), disclosure control."""
    w = words(lang)
    a, c = w["appendix"], w["columns"]
    s = r.sample
    rows = []
    if s.data_start and s.data_end:
        rows.append((a["data_period"], _months(s.data_start, s.data_end, lang)))
    if s.n_eligible is not None or s.data_mode == "registers":
        rows.append((a["n_eligible"], with_unit(fmt_count(s.n_eligible, lang), "persons", lang)))
    rows += [
        (a["n_treated"], with_unit(fmt_count(s.n_treated, lang), "persons", lang)),
        (a["n_control"], _control_group(r, lang)),
    ]
    parts = [
        heading("population", a["population"], 3),
        table([c["key"], c["value"]], rows, label=a["population"]),
        heading("comparison-design", a["comparison"], 3),
        paragraph(design_text(r, lang)),
        heading("settings", a["settings"], 3),
        table([c["key"], c["value"]], settings_rows(r, lang), label=a["settings"]),
        paragraph(w["settings"]["all_in_json"], "note"),
    ]
    v = r.validation
    parts.append(heading("validation", a["validation"], 3))
    vrows = [
        (x.table, x.rule, x.description, fmt_count(x.count, lang)) for x in (v.rows if v else [])
    ]
    if vrows:
        parts.append(
            table(
                [c["table"], c["rule"], c["description"], c["count"]],
                vrows,
                label=a["validation"],
                numeric=(3,),
            )
        )
    else:
        parts.append(paragraph(a["no_problems"]))
    if v is not None and v.n_quarantined is not None:
        parts.append(paragraph(f"{a['n_quarantined']}: {fmt_count(v.n_quarantined, lang)}"))
        if v.n_quarantined and v.quarantine_file:
            parts.append(paragraph(a["quarantine_where"].format(file=v.quarantine_file), "note"))
    parts.extend(_disclosure_parts(r, lang))
    return parts


def glossary_terms(r: ProtectedResults) -> list[str]:
    """The glossary's terms for a page: the ones every page uses, and those it uses where used."""
    terms = ["effect", "outcome", "att", "comparison_group"]
    if r.sample.data_mode == "registers":
        terms.append("person_month")
    terms += ["work_or_study", "pp", "ci", "p_value"]
    if r.path_outcomes():
        terms.append("lock_in")
    if r.credibility:
        terms.append("credibility")
    if r.diagnostics.balance:
        terms.append("smd")
    used = set(r.params.get("estimators") or []) if isinstance(r.params, dict) else set()
    if r.diagnostics.overlap is not None or used & {"ipw", "aipw", "matching"}:
        terms.append("propensity")
    if any(r.diagnostics_of(o).sensitivity is not None for o in r.outcomes()):
        terms.append("e_value")
    terms.append("disclosure")
    return terms


def glossary_list(terms: list[str], lang: str, min_cell: int = 5) -> str:
    """A definition list of glossary terms in the order given."""
    w = words(lang)
    items = []
    for key in terms:
        term, meaning = w["glossary"][key]
        text = meaning.format(kolada=w["kolada"], min_cell=min_cell, min_share=2 * min_cell)
        items.append(f"<dt>{esc(term)}</dt><dd>{esc(text)}</dd>")
    return f'<dl class="evalkit-glossary">{"".join(items)}</dl>'


@measure_section("glossary")
def glossary(r: ProtectedResults, lang: str) -> Parts:
    """The words a reader may not know, defined in plain words at the end of the page."""
    return [glossary_list(glossary_terms(r), lang, r.disclosure.min_cell)]


def footer(results: ProtectedResults) -> Section:
    """Reproducibility: data fingerprint, evalkit version, commit, packages, seed, date made."""
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
    with page_tables(f"{r.measure_id}-footer", lang):
        parts = [table([c["key"], c["value"]], rows, css_class="evalkit-table repro")]
        if r.params:
            raw = table([c["key"], c["value"]], _flatten(r.params), css_class="evalkit-table repro")
            parts.append(
                f'<details class="raw-params"><summary>{esc(f["raw_params"])}</summary>'
                f"{raw}</details>"
            )
    return section("footer", lang, *parts, lead=False)


def _flatten(value: Any, prefix: str = "") -> list[tuple[str, str]]:
    """Nested params as (dotted key, value) rows, as written in the params file."""
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
