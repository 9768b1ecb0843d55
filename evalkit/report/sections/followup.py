"""Today's descriptive follow-up: what happened to participants (no causal claim)."""

from __future__ import annotations

from evalkit.report.render import (
    fmt_count,
    fmt_share,
    paragraph,
    table,
)
from evalkit.report.sections.base import (
    Parts,
    measure_section,
)
from evalkit.report.wording import label, words
from evalkit.results import (
    ProtectedResults,
)


@measure_section("followup")
def followup(r: ProtectedResults, lang: str) -> Parts:
    """Today's follow-up: shares in work or studies by horizon and end reasons."""
    fu = r.followup
    if fu is None:
        return None
    c = words(lang)["columns"]
    shares = [
        (
            label(lang, "horizons", s.horizon),
            fmt_count(s.n, lang),
            fmt_count(s.n_in_work_or_study, lang),
            fmt_share(s.share, lang),
        )
        for s in fu.shares
    ]
    total = fu.n_participants or sum(x.n or 0 for x in fu.end_reasons)
    reason_rows = [
        (
            label(lang, "end_reasons", x.reason),
            fmt_count(x.n, lang),
            fmt_share(x.n / total if x.n and total else None, lang),
        )
        for x in fu.end_reasons
    ]
    return [
        paragraph(f"{words(lang)['appendix']['n_treated']}: {fmt_count(fu.n_participants, lang)}"),
        table(
            [c["horizon"], c["n"], c["n_in_work_or_study"], c["share"]],
            shares,
            numeric=(1, 2, 3),
        ),
        table([c["reason"], c["n"], c["share"]], reason_rows, numeric=(1, 2)),
    ]
