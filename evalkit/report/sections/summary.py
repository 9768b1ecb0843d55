"""The title, the summary a reader sees first, and the page of a failed run."""

from __future__ import annotations

from collections import Counter

from evalkit.report.render import (
    Section,
    esc,
    fmt_count,
    fmt_num,
    fmt_share,
    kind_of,
    paragraph,
    section,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
    outcome_kind,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    Estimate,
    ProtectedResults,
    require_protected,
)


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
    lead = r.horizon.lead_outcome if r.horizon else None  # the horizon leads (issue 12)
    for outcome in ([lead] if lead else []) + [o for o in r.outcomes() if o != lead]:
        entry = r.headline_estimate(outcome) or (r.horizon.estimate(outcome) if lead else None)
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
