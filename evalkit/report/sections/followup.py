"""Today's descriptive follow-up: what happened to participants (no causal claim)."""

from __future__ import annotations

from evalkit.audit.disclosure import share_allowed
from evalkit.report.render import (
    fmt_count,
    fmt_share,
    paragraph,
    table,
    with_unit,
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
    """Today's follow-up: shares in work or studies by horizon and end reasons, with Kolada's
    definition of work or studies and every count named."""
    fu = r.followup
    if fu is None:
        return None
    w = words(lang)
    here = w["followup_text"]
    c = w["columns"]
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
    shown_shares = share_allowed(total, r.disclosure.min_cell)
    reason_rows = [
        (
            label(lang, "end_reasons", x.reason),
            fmt_count(x.n, lang),
            fmt_share(x.n / total if x.n is not None and total and shown_shares else None, lang),
        )
        for x in fu.end_reasons
    ]
    n = fmt_count(fu.n_participants, lang)
    persons = fu.n_persons
    if persons is not None and persons != fu.n_participants:
        count = here["participations"].format(
            n=fmt_count(fu.n_participants, lang),
            persons=with_unit(fmt_count(persons, lang), "persons", lang),
        )
    else:
        count = here["participants"].format(n=n)
    return [
        paragraph(count),
        paragraph(w["kolada"], "note"),
        table(
            [c["horizon"], c["n_ended"], c["n_in_work_or_study"], c["share_of_participants"]],
            shares,
            caption=here["shares"],
            numeric=(1, 2, 3),
        ),
        paragraph(here["exit_note"], "note"),
        table(
            [c["reason"], c["n_participants"], c["share_of_participants"]],
            reason_rows,
            caption=here["reasons"],
            numeric=(1, 2),
        ),
    ]
