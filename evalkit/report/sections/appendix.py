"""Method and data appendix, and the reproducibility footer."""

from __future__ import annotations

import json
from typing import Any

from evalkit.report.render import (
    Section,
    fmt_count,
    heading,
    paragraph,
    section,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    ProtectedResults,
    require_protected,
)


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
