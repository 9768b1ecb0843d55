"""The effect over the whole horizon, and what the measure cost and saved per perspective."""

from __future__ import annotations

from evalkit.audit.costs import cost_table
from evalkit.report.render import (
    esc,
    fmt_num,
    number,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.wording import label, words
from evalkit.results import Costs, Horizon, LockIn, ProtectedResults


def fmt_months(value: float | None, lang: str) -> str:
    """Months with one decimal (extra months in work or studies)."""
    return fmt_num(value, lang, 1) if number(value) is not None else words(lang)["suppressed"]


def interval_text(lo: float | None, hi: float | None, lang: str, decimals: int = 0) -> str:
    """``lo – hi`` (empty when a bound is missing)."""
    if number(lo) is None or number(hi) is None:
        return ""
    return f"{fmt_num(lo, lang, decimals)}\u2009–\u2009{fmt_num(hi, lang, decimals)}"


def fmt_percent(share: float, lang: str) -> str:
    """A share as a percentage with no more decimals than it has (3,5; 32,37; 70)."""
    value = 100 * share
    decimals = next(d for d in (0, 1, 2) if abs(value - round(value, d)) < 1e-9 or d == 2)
    return fmt_num(value, lang, decimals)


def lock_in_sentence(lock: LockIn | None, lang: str) -> str:
    """The lock-in period with its interval, in words."""
    h = words(lang)["decisions"]["horizon"]
    if lock is None:
        return ""
    if not lock.within_horizon:
        return h["lock_in_not_within"].format(months=lock.horizon_months)
    if lock.ci_high is None:
        ci = h["lock_in_ci_open"].format(lo=lock.ci_low)
    else:
        ci = h["lock_in_ci"].format(lo=lock.ci_low, hi=lock.ci_high)
    if lock.months == 0:
        return h["no_lock_in"].format(ci=ci)
    return h["lock_in"].format(months=lock.months, ci=ci)


def horizon_parts(horizon: Horizon | None, lang: str) -> list[str]:
    """Cumulative effects at 12, 24, 36 months and the chosen horizon; lock-in; the rule."""
    h = words(lang)["decisions"]["horizon"]
    c = words(lang)["columns"]
    parts = [f"<h3>{esc(h['title'])}</h3>"]
    if horizon is None:
        return []
    if horizon.months is None or not horizon.cumulative:
        reason = h["reasons"].get(horizon.reason or "", horizon.reason or "")
        return [*parts, paragraph(h["none"].format(reason=reason))]
    parts.append(paragraph(h["lead"], "lead"))
    months = sorted({e.months for e in horizon.cumulative})
    rows = []
    for m in months:
        work = horizon.cumulative_of(f"work_or_study_months_{m}m")
        sek = horizon.cumulative_of(f"assistance_sek_{m}m")
        rows.append(
            (
                h["months"].format(months=m),
                fmt_months(work.estimate, lang) if work else "",
                interval_text(work.ci_low, work.ci_high, lang, 1) if work else "",
                fmt_num(sek.estimate, lang, 0) if sek else "",
                interval_text(sek.ci_low, sek.ci_high, lang) if sek else "",
            )
        )
    header = [c["horizon"], h["work_months"], c["ci"], h["assistance"], c["ci"]]
    parts.append(table(header, rows, numeric=(1, 2, 3, 4)))
    parts.append(paragraph(lock_in_sentence(horizon.lock_in, lang)))
    duration = fmt_num(horizon.typical_duration_months, lang, 0)
    rule = h["rule"].get(horizon.rule or "", "")
    notes = [rule.format(months=horizon.months, duration=duration)] if rule else []
    notes.append(
        h["method"].format(n_treated=fmt_num(horizon.n_treated, lang), months=horizon.months)
    )
    parts.append(paragraph(" ".join(notes), "note"))
    return parts


def _ratio_cell(row: dict, lang: str) -> str:
    """A ratio's interval, or why it has none."""
    reasons = words(lang)["decisions"]["costs"]["reasons"]
    bounded = interval_text(row["ci_low"], row["ci_high"], lang)
    if bounded:
        return bounded
    return reasons.get(row["note"] or "", "") if row["note"] else ""


def cost_rows(summary: Costs, lang: str) -> list[tuple[str, str, str, str]]:
    """Display rows: item (with its horizon), perspective, estimate, interval or reason."""
    w = words(lang)
    d = w["decisions"]["costs"]
    out = []
    for row in cost_table(summary).to_dict("records"):
        if row["note"] == "data_missing":
            continue
        months = row["months"] if number(row["months"]) is not None else None
        item = d["items"].get(row["item"], row["item"]).format(months=int(months) if months else "")
        book = months is None
        if book:
            interval = d["book"]
        elif row["item"] in ("cost_per_extra_month_in_work", "net_cost_per_additional",
                             "cost_per_additional"):  # fmt: skip
            interval = _ratio_cell(row, lang)
        else:
            interval = interval_text(row["ci_low"], row["ci_high"], lang)
        estimate = fmt_num(row["estimate"], lang, 0) if number(row["estimate"]) is not None else ""
        out.append((item, label(lang, "cost_views", row["view"]), estimate, interval))
    return out


def break_even_sentence(summary: Costs, lang: str) -> str:
    """When the municipality recovers its own cost, with the interval, or that it does not."""
    d = words(lang)["decisions"]["costs"]
    be = summary.municipality.break_even if summary.municipality else None
    if be is None or be.reason == "no_cost_data":
        return ""
    if be.months is None:
        return d["no_break_even"].format(months=be.horizon_months) if be.horizon_months else ""
    lo, hi = be.months_optimistic, be.months_pessimistic
    if hi is None:
        ci = d["break_even_ci_open"].format(lo=lo, horizon=be.horizon_months)
    else:
        ci = d["break_even_ci"].format(lo=lo, hi=hi)
    return d["break_even"].format(months=be.months, ci=ci)


def assumption_items(summary: Costs, lang: str) -> str:
    """The cost perspectives' assumptions with their sources, as a list."""
    d = words(lang)["decisions"]["costs"]
    values = summary.assumptions or {}
    items = []
    for key, text in d["assumptions"].items():
        value = values.get(key)
        if value is None:
            continue
        shown = fmt_percent(value, lang) if key != "monthly_wage_sek" else fmt_num(value, lang)
        items.append(f"<li>{esc(text.format(value=shown))}</li>")
    if not items:
        return ""
    return f"<h4>{esc(d['assumptions_title'])}</h4><ul>{''.join(items)}</ul>"


@measure_section("costs")
def costs(r: ProtectedResults, lang: str) -> Parts:
    """The effect over the horizon; costs per participant and per perspective, break-even."""
    w = words(lang)
    d = w["decisions"]["costs"]
    parts = horizon_parts(r.horizon, lang)
    summary_ = r.costs
    if summary_ is None or not summary_.available:
        return [*parts, paragraph(w["cost_text"]["unavailable"])]
    c = w["columns"]
    parts.append(f"<h3>{esc(d['title'])}</h3>")
    parts.append(
        table(
            [c["item"], c["source"], f"{c['value']} ({w['currency']})", c["ci"]],
            cost_rows(summary_, lang),
            numeric=(2, 3),
        )
    )
    rate = summary_.discount_rate if summary_.horizon_months else None
    discounted = d["discounted"].format(rate=fmt_percent(rate, lang)) if rate else ""
    parts.append(paragraph(d["note"].format(discounted=discounted), "note"))
    sentence = break_even_sentence(summary_, lang)
    if sentence:
        parts.append(paragraph(sentence))
    parts.append(assumption_items(summary_, lang))
    return parts
