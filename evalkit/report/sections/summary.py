"""The title with the report's context, the summary a reader sees first, and a failed run's page."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

from evalkit.report.render import (
    Section,
    esc,
    fmt_count,
    fmt_num,
    fmt_share,
    kind_of,
    link,
    paragraph,
    section,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    control_text,
    effect_text,
    estimate_index,
    measure_section,
    outcome_kind,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    Estimate,
    ProtectedResults,
    require_protected,
)


def month_words(month: Any, lang: str) -> str:
    """'2021-01' as 'januari 2021' (the text as it is when it is not a month)."""
    text = str(month or "")
    try:
        year, mon = text.split("-")[:2]
        return f"{words(lang)['month_names'][int(mon) - 1]} {int(year)}"
    except (ValueError, IndexError):
        return text


def organisation(results: ProtectedResults) -> dict[str, Any]:
    """``report.organisation`` of the params the results were made with (empty when not given)."""
    report = results.params.get("report") if isinstance(results.params, dict) else None
    org = (report or {}).get("organisation") if isinstance(report, dict) else None
    return org if isinstance(org, dict) else {}


def _contact(org: dict[str, Any], lang: str) -> str | None:
    c = words(lang)["context"]
    ways = []
    if org.get("contact_email"):
        email = esc(org["contact_email"])
        ways.append(esc(c["email"]).format(email=f'<a href="mailto:{email}">{email}</a>'))
    if org.get("contact_phone"):
        ways.append(esc(c["phone"].format(phone=org["contact_phone"])))
    return c["or"].join(ways) if ways else None


def context_facts(results: ProtectedResults) -> list[tuple[str, str]]:
    """Who publishes the report and what it covers, as (label, HTML) pairs: organisation, nämnd,
    unit, contact, data period, intake, date made, and the results file."""
    r = results
    lang = r.lang
    c = words(lang)["context"]
    org = organisation(r)
    facts: list[tuple[str, str]] = [(c["organisation"], esc(org.get("name") or c["missing"]))]
    for key in ("namnd", "unit"):
        if org.get(key):
            facts.append((c[key], esc(org[key])))
    contact = _contact(org, lang)
    if contact:
        facts.append((c["contact"], contact))
    first, last = r.sample.data_start, r.sample.data_end or (r.followup and r.followup.data_end)
    if first and last:
        period = c["data_period_value"].format(
            first=month_words(first, lang), last=month_words(last, lang)
        )
        facts.append((c["data_period"], esc(period)))
    intake = r.intake()
    if intake:
        text = f"{month_words(intake[0], lang)} – {month_words(intake[1], lang)}"
        facts.append((c["intake"], esc(text)))
    if r.created:
        facts.append((c["created"], esc(str(r.created)[:10])))
    json_link = link(f"{r.measure_id}.json", c["json"])
    facts.append((c["links"], f"{json_link} – {esc(c['json_note'])}"))
    return facts


def title(results: ProtectedResults) -> Section:
    """The page title (h1) with the measure's name, and the report's context (failed runs too)."""
    r = require_protected(results)
    w = words(r.lang)
    name = r.title or r.measure_id or ""
    head = f"<h1>{esc(w['report_title'].format(title=name))}</h1>"
    items = "".join(f"<div><dt>{esc(k)}</dt><dd>{v}</dd></div>" for k, v in context_facts(r))
    label_ = esc(w["context"]["label"])
    context = f'<dl class="evalkit-context" aria-label="{label_}">{items}</dl>'
    return Section("title", head + context)


def _change(est: float, zero: bool, text: str, h: dict[str, str]) -> str:
    """An estimate as a change in words: 'en ökning med 1 553 kr', never a signed number."""
    if zero:
        return h["change_zero"]
    return h["change_up" if est > 0 else "change_down"].format(est=text)


def headline_sentence(
    entry: Estimate | None,
    lang: str,
    kind: str | None = None,
    *,
    why: str | None = None,
) -> str:
    """The headline effect in words a politician understands, with its interval.

    Directions are words ('ökade', 'minskade', 'en minskning med'), numbers are magnitudes with
    their unit. ``why`` is the sentence that says why a suppressed estimate is not shown.
    """
    h = words(lang)["headline"]
    if entry is None:
        return h["none"]
    outcome = entry.outcome or ""
    est, lo, hi = entry.estimate, entry.ci_low, entry.ci_high
    if est is None:
        return why or h["suppressed"]
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
    shown = f(abs(est))
    magnitude = effect_text(shown, kind, lang)
    change = _change(est, not getattr(shown, "value", 1), magnitude, h)
    return h[f"{kind}_{direction}"].format(what=what, est=magnitude, change=change, ci=ci)


def suppressed_sentence(r: ProtectedResults, entry: Estimate) -> str | None:
    """Why a suppressed lead estimate is not shown, in a sentence (None if it was not)."""
    i = estimate_index(r, entry)
    why = r.disclosure.reason(f"estimates[{i}].estimate") if i is not None else None
    if why is None:
        return None
    h = words(r.lang)["headline"]
    m = r.disclosure.min_cell
    what = words(r.lang)["what"].get(entry.outcome, entry.outcome)
    if why in ("share_of_small_group", "small_numerator"):
        n = fmt_count(entry.n_treated, r.lang)
        return h["suppressed_share"].format(what=what, n=n, min_share=2 * m)
    return h["suppressed_small"].format(what=what, min_cell=m)


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


def _most_common(values: Iterable[str | None]) -> str | None:
    """The value most lines share (the first of equals), ignoring lines without one."""
    counts = Counter(v for v in values if v)
    return counts.most_common(1)[0][0] if counts else None


def low_credibility_warning(r: ProtectedResults, lang: str) -> list[str]:
    """A warning before the effects when any outcome's credibility is low, naming why: a reader
    who stops at the first bold sentence must not take a failed check for a result."""
    graded = list(r.credibility or [])
    low = [c for c in graded if c.grade == "lag"]
    if not low:
        return []
    w = words(lang)
    reasons = list(dict.fromkeys(x for c in low for x in c.reasons))
    if reasons == ["participants"]:
        return [paragraph(w["headline"]["low_few"], "failed")]
    names = w["cred"]["reason_fail"]
    said = [names.get(x, x) for x in reasons]
    joined = (
        said[0]
        if len(said) == 1
        else ", ".join(said[:-1]) + " " + w["cred"]["designs"]["and"] + " " + said[-1]
    )
    key = "low_all" if len(low) == len(graded) else "low_some"
    text = w["headline"][key].format(reasons=joined, n=len(low), total=len(graded))
    return [paragraph(text, "failed")]


@measure_section("summary", on_failure=failed)
def summary(r: ProtectedResults, lang: str) -> Parts:
    """Summary first: headline effects in plain words, goal verdicts and credibility grade."""
    w = words(lang)
    h = w["headline"]
    lines: list[tuple[str, str | None, str | None]] = []
    lead = r.horizon.lead_outcome if r.horizon else None  # the horizon leads (issue 12)
    for outcome in ([lead] if lead else []) + [o for o in r.outcomes() if o != lead]:
        entry = r.headline_estimate(outcome) or (r.horizon.estimate(outcome) if lead else None)
        why = suppressed_sentence(r, entry) if entry is not None else None
        sentence = headline_sentence(entry, lang, outcome_kind(r, outcome), why=why)
        method = grade = None
        if entry is not None and entry.has_value:
            method = h["method"].format(
                estimator=label(lang, "estimators", entry.estimator),
                n_treated=fmt_count(entry.n_treated, lang),
                n_control=control_text(r, entry.n_control, entry.estimator),
            )
            cred = r.credibility_of(outcome)
            if cred is not None:
                grade = h["credibility"].format(grade=label(lang, "grades", cred.grade))
        lines.append((sentence, method, grade))
    # what most lines share is said once at the end; a line says only what differs from it
    common_method = _most_common(m for _, m, _ in lines)
    common_grade = _most_common(g for _, _, g in lines)
    parts = low_credibility_warning(r, lang)
    for sentence, method, grade in lines:
        parts.append(f'<p class="headline">{esc(sentence)}</p>')
        notes = [x for x in (method, grade) if x and x not in (common_method, common_grade)]
        if notes:
            parts.append(paragraph(" ".join(notes), "note"))
    shared = [x for x in (common_method, common_grade) if x]
    if shared:
        parts.append(paragraph(" ".join(shared), "note"))
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
