"""How far to trust the effects: diagnostics and the credibility rules, in plain words."""

from __future__ import annotations

from evalkit.plots.balance import love_plot
from evalkit.plots.overlap import overlap_plot
from evalkit.report.render import (
    figure_img,
    fmt_count,
    fmt_effect,
    fmt_interval,
    fmt_num,
    fmt_p,
    fmt_share,
    heading,
    number,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
    outcome_kind,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    CredibilityRule,
    ProtectedResults,
)


def rule_value(rule: CredibilityRule, lang: str) -> str:
    value = rule.value
    if isinstance(value, str):
        return label(lang, "estimators", value)
    x = number(value)
    return fmt_num(x, lang, 3 if x is not None and abs(x) < 10 else 0) if x is not None else ""


def _outcome_checks(r: ProtectedResults, outcome: str, lang: str) -> list[str]:
    """Pre-trend test, sensitivity and MDE of one outcome, as sentences under its name."""
    d = words(lang)["diag"]
    checks = r.diagnostics_of(outcome)
    lines = []
    pre = checks.pretrend
    if pre is not None and pre.p_value is not None:
        lines.append(d["pretrend"].format(p=fmt_p(pre.p_value, lang)))
    sens = checks.sensitivity
    if sens is not None and sens.e_value is not None:
        lines.append(
            d["sensitivity"].format(
                e=fmt_num(sens.e_value, lang, 2), eci=fmt_num(sens.e_value_ci, lang, 2)
            )
        )
    mde = checks.mde.mde if checks.mde is not None else None
    if mde is not None:
        kind = outcome_kind(r, outcome)
        unit = (
            words(lang)["figures"]["pp"]
            if kind == "share"
            else (words(lang)["currency"] if kind == "sek" else "")
        )
        value = fmt_effect(mde, outcome, lang, kind)
        lines.append(d["mde"].format(items=f"{value} {unit}".strip()))
    if not lines:
        return []
    title_ = heading(f"checks-{outcome}", label(lang, "outcomes", outcome), 3)
    return [title_, *(paragraph(x) for x in lines)]


@measure_section("diagnostics")
def diagnostics(r: ProtectedResults, lang: str) -> Parts:
    """Credibility grade with its rules, balance, overlap, pre-trends, sensitivity, MDE, placebo."""
    w = words(lang)
    d, c, fw = w["diag"], w["columns"], w["figures"]
    diag = r.diagnostics
    parts = []
    for cred in r.credibility:
        parts.append(
            heading(
                f"credibility-{cred.outcome}",
                d["credibility_title"].format(
                    outcome=label(lang, "outcomes", cred.outcome),
                    grade=label(lang, "grades", cred.grade),
                ),
                3,
            )
        )
        rows = [
            (
                label(lang, "rules", x.rule),
                rule_value(x, lang),
                label(lang, "rule_status", x.status),
            )
            for x in cred.rules
        ]
        parts.append(table([c["rule"], c["value"], c["status"]], rows, numeric=(1,)))
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
        parts.append(
            paragraph(
                d["outside"].format(
                    share=fmt_share(ov.share_outside_support, lang, 1),
                    n=fmt_count(ov.n_trimmed, lang),
                )
            )
        )
    for outcome in r.outcomes():
        parts.extend(_outcome_checks(r, outcome, lang))
    if diag.placebo:
        rows = [
            (
                label(lang, "covariates", p.outcome),
                label(lang, "estimators", p.estimator),
                fmt_num(p.estimate, lang, 3),
                fmt_interval(p.ci_low, p.ci_high, None, lang),
                fmt_p(p.p_value, lang),
            )
            for p in diag.placebo
        ]
        parts.append(heading("placebo", d["placebo"], 3))
        parts.append(
            table(
                [c["outcome"], c["estimator"], c["estimate"], c["ci"], c["p_value"]],
                rows,
                numeric=(2, 3, 4),
            )
        )
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
