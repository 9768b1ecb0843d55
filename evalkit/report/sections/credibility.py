"""How far to trust the effects: the credibility grade, each rule in one plain sentence, and the
checks behind them (balance, overlap, placebo, other designs, multiplicity, subgroups)."""

from __future__ import annotations

from typing import Any

from evalkit.plots.balance import love_plot
from evalkit.plots.overlap import overlap_plot
from evalkit.report.render import (
    figure_img,
    fmt_count,
    fmt_effect,
    fmt_num,
    fmt_p,
    fmt_share,
    heading,
    number,
    p_phrase,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
    outcome_kind,
    unit_label,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    Credibility,
    CredibilityRule,
    ProtectedResults,
)


def _with_unit(value: Any, outcome: str, r: ProtectedResults, lang: str) -> str:
    """An effect-scale value in its outcome's unit ("5,0 procentenheter", "−1 200 kr")."""
    kind = outcome_kind(r, outcome)
    unit = unit_label(kind, lang)
    text = fmt_effect(value, outcome, lang, kind)
    return f"{text} {unit}".strip() if number(value) is not None else text


def _designs_named(rule: CredibilityRule, lang: str) -> str:
    """The designs compared, in words ("Skillnad i skillnader och en jämförelsegrupp …")."""
    names = words(lang)["cred"]["designs"]
    used = [
        names.get(c.get("design"), c.get("design"))
        for c in rule.details.get("comparisons", [])
        if c.get("usable")
    ]
    if len(used) > 1:
        return f"{', '.join(used[:-1])} {names['and']} {used[-1].lower()}"
    return used[0] if used else ""


def rule_sentence(rule: CredibilityRule, cred: Credibility, r: ProtectedResults, lang: str) -> str:
    """The one plain sentence that explains a rule's outcome with its numbers."""
    text = words(lang)["cred"]["explain"].get(rule.rule, {})
    status = rule.status
    key = status
    fields: dict[str, Any] = {}
    value = rule.value
    if rule.rule == "adjusted":
        fields["estimator"] = label(lang, "estimators", cred.estimator)
    elif rule.rule == "participants":
        fields.update(
            n=fmt_count(value, lang),
            low=fmt_count(rule.warn_at_least, lang),
            high=fmt_count(rule.pass_at_least, lang),
        )
    elif rule.rule in ("placebo", "pretrend"):
        fields["p"] = p_phrase(value, lang)
    elif rule.rule == "balance":
        fields.update(
            value=fmt_num(value, lang, 2),
            column=label(lang, "covariates", rule.details.get("column")),
            k=fmt_count(rule.details.get("n_columns"), lang),
            limit=fmt_num(rule.pass_below, lang, 2),
            fail=fmt_num(rule.warn_below, lang, 2),
        )
    elif rule.rule == "overlap":
        fields.update(
            share=fmt_share(value, lang, 1),
            limit=fmt_share(rule.pass_at_most, lang),
            fail=fmt_share(rule.warn_at_most, lang),
        )
    elif rule.rule == "designs":
        fields.update(p=p_phrase(value, lang), designs=_designs_named(rule, lang))
    elif rule.rule == "sensitivity":
        fields.update(
            k=fmt_num(value, lang, 1), target=_with_unit(rule.target or 0.0, cred.outcome, r, lang)
        )
        if status == "pass" and value is None:
            key = "pass_none"
    elif rule.rule == "attrition":
        fields["share"] = fmt_share(value, lang, 1)
    template = text.get(key) or text.get(status) or ""
    return template.format(**fields) if template else ""


def grade_sentence(cred: Credibility, lang: str) -> str:
    """Why the grade is what it is, in one sentence."""
    c = words(lang)["cred"]
    names = c["reason_fail"] if cred.grade == "lag" else c["reason"]
    reasons = [names.get(x, c["reason"].get(x, x)) for x in cred.reasons]
    joined = (
        reasons[0]
        if len(reasons) == 1
        else ", ".join(reasons[:-1]) + (f" {c['designs']['and']} {reasons[-1]}" if reasons else "")
    )
    text = c["grade"][cred.grade].format(reasons=joined)
    return text[0].upper() + text[1:]


def credibility_block(cred: Credibility, r: ProtectedResults, lang: str) -> list[str]:
    """Heading, the grade in a sentence, and one row per rule: name, sentence, result."""
    c = words(lang)["cred"]
    parts = [
        heading(
            f"credibility-{cred.outcome}",
            c["title"].format(
                outcome=label(lang, "outcomes", cred.outcome),
                grade=label(lang, "grades", cred.grade),
            ),
            3,
        ),
        paragraph(grade_sentence(cred, lang)),
    ]
    rows = [
        (c["rules"].get(x.rule, x.rule), rule_sentence(x, cred, r, lang), c["status"][x.status])
        for x in cred.rules
    ]
    cols = c["columns"]
    parts.append(table([cols["rule"], cols["what"], cols["status"]], rows))
    return parts


def _outcome_checks(r: ProtectedResults, outcome: str, lang: str) -> list[str]:
    """Sensitivity and MDE of one outcome, as sentences under its name."""
    d = words(lang)["diag"]
    checks = r.diagnostics_of(outcome)
    lines = []
    sens = checks.sensitivity
    if sens is not None and sens.e_value is not None:
        lines.append(
            d["sensitivity"].format(
                e=fmt_num(sens.e_value, lang, 2), eci=fmt_num(sens.e_value_ci, lang, 2)
            )
        )
    mde = checks.mde.mde if checks.mde is not None else None
    if mde is not None:
        lines.append(d["mde"].format(items=_with_unit(mde, outcome, r, lang)))
    if not lines:
        return []
    title_ = heading(f"checks-{outcome}", label(lang, "outcomes", outcome), 3)
    return [title_, *(paragraph(x) for x in lines)]


def _placebo_part(r: ProtectedResults, lang: str) -> list[str]:
    """The placebo equivalence tests as a table."""
    w = words(lang)
    c, pt = w["columns"], w["cred"]["placebo_table"]
    rows = [
        (
            label(lang, "covariates", p.outcome),
            fmt_effect(p.estimate, p.outcome, lang),
            f"±{fmt_effect(p.margin, p.outcome, lang)}",
            fmt_p(p.p_value_equivalence, lang),
            fmt_p(p.p_value_difference, lang),
            w["cred"]["placebo_status"].get(p.status or "", p.status or ""),
        )
        for p in r.diagnostics.placebo
    ]
    header = [c["outcome"], c["estimate"], pt["margin"], pt["p_equivalence"], pt["p_difference"]]
    return [
        heading("placebo", pt["title"], 3),
        table([*header, pt["status"]], rows, numeric=(1, 2, 3, 4)),
    ]


def _designs_part(r: ProtectedResults, lang: str) -> list[str]:
    """The headline against designs with other assumptions, outcome by outcome."""
    c = words(lang)["cred"]
    dt = c["design_table"]
    rows = []
    for d in r.diagnostics.designs:
        used = dt["yes"] if d.usable else dt["no_pretrend"]
        rows.append(
            (
                label(lang, "outcomes", d.outcome),
                c["designs"].get(d.design, d.design),
                _with_unit(d.estimate, d.outcome, r, lang),
                _with_unit(d.difference, d.outcome, r, lang),
                fmt_p(d.p_value, lang),
                used,
            )
        )
    header = [
        words(lang)["columns"]["outcome"],
        dt["design"],
        dt["estimate"],
        dt["difference"],
        dt["p"],
        dt["used"],
    ]
    return [
        heading("designs", dt["title"], 3),
        paragraph(dt["lead"]),
        table(header, rows, numeric=(2, 3, 4)),
    ]


def _multiplicity_part(r: ProtectedResults, lang: str) -> list[str]:
    """Which adjustment the intervals that decide verdicts carry, in a sentence."""
    block = r.diagnostics.multiplicity
    if block is None:
        return []
    text = words(lang)["cred"]["multiplicity"][block.method]
    return [paragraph(text.format(k=len(block.outcomes), c=fmt_num(block.critical_value, lang, 2)))]


def _attrition_part(r: ProtectedResults, lang: str) -> list[str]:
    """Lee bounds on the headline outcome, when people left the registers."""
    block = r.diagnostics.attrition
    lee = block.lee_bounds if block is not None else None
    if lee is None:
        return []
    text = words(lang)["cred"]["attrition"].format(
        outcome=label(lang, "outcomes", lee.outcome),
        lo=_with_unit(lee.ci_low, lee.outcome, r, lang),
        hi=_with_unit(lee.ci_high, lee.outcome, r, lang),
    )
    return [paragraph(text)]


def _subgroup_part(r: ProtectedResults, lang: str) -> list[str]:
    """The interaction tests of the subgroup effects, FDR-adjusted; never "better" by eye."""
    tests = [t for t in r.diagnostics.subgroup_tests if t.p_value is not None]
    if not tests:
        return []
    s = words(lang)["cred"]["subgroups"]
    rows = [
        (
            label(lang, "outcomes", t.outcome),
            label(lang, "subgroups", t.subgroup),
            fmt_p(t.p_value, lang),
            fmt_p(t.p_value_adjusted, lang),
            s["differs"] if t.differs else s["same"],
        )
        for t in tests
    ]
    header = [words(lang)["columns"]["outcome"], s["subgroup"], s["p"], s["p_adjusted"]]
    return [
        heading("subgroup-tests", s["title"], 3),
        paragraph(s["lead"]),
        table([*header, s["result"]], rows, numeric=(2, 3)),
    ]


@measure_section("diagnostics")
def diagnostics(r: ProtectedResults, lang: str) -> Parts:
    """Credibility grade with every rule in a sentence; balance, overlap, placebo, other designs,
    multiplicity, attrition and subgroup tests."""
    w = words(lang)
    d, c, fw = w["diag"], w["columns"], w["figures"]
    diag = r.diagnostics
    parts: list[str] = []
    for cred in r.credibility:
        parts.extend(credibility_block(cred, r, lang))
    parts.extend(_multiplicity_part(r, lang))
    if diag.placebo:
        parts.extend(_placebo_part(r, lang))
    if diag.designs:
        parts.extend(_designs_part(r, lang))
    if diag.balance:
        parts.append(heading("balance", d["balance_title"], 3))
        fig = love_plot(
            [b.model_dump() for b in diag.balance],
            labels=words(lang)["covariates"],
            before_label=fw["before"],
            after_label=fw["after"],
            xlabel=f"|{fw['smd']}|",
        )
        parts.append(figure_img(fig, fw["love_alt"]))
        rows = [
            (
                label(lang, "covariates", b.covariate),
                fmt_num(b.smd_before, lang, 3),
                fmt_num(b.smd_after, lang, 3),
            )
            for b in diag.balance
        ]
        parts.append(table([c["covariate"], c["smd_before"], c["smd_after"]], rows, numeric=(1, 2)))
    ov = diag.overlap
    if ov is not None and ov.bin_edges:
        parts.append(heading("overlap", d["overlap_title"], 3))
        fig = overlap_plot(
            ov.model_dump(),
            treated_label=fw["treated"],
            control_label=fw["control"],
            xlabel=fw["propensity"],
            ylabel=fw["share_of_group"],
        )
        parts.append(figure_img(fig, fw["overlap_alt"]))
        share = ov.share_excluded if ov.share_excluded is not None else ov.share_outside_support
        parts.append(
            paragraph(
                d["outside"].format(
                    share=fmt_share(share, lang, 1), n=fmt_count(ov.n_trimmed, lang)
                )
            )
        )
    parts.extend(_attrition_part(r, lang))
    for outcome in r.outcomes():
        parts.extend(_outcome_checks(r, outcome, lang))
    parts.extend(_subgroup_part(r, lang))
    if diag.estimator_failures:
        rows = [
            (
                label(lang, "estimators", f.estimator),
                label(lang, "outcomes", f.outcome),
                f.reason,
            )
            for f in diag.estimator_failures
        ]
        parts.append(heading("estimator-failures", d["failures"], 3))
        parts.append(table([c["estimator"], c["outcome"], c["why"]], rows))
    if not parts:
        parts.append(paragraph(d["none"]))
    return parts


__all__ = ["credibility_block", "diagnostics", "grade_sentence", "rule_sentence"]
