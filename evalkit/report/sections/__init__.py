"""The sections of a measure's report, each rendered from ``ProtectedResults`` alone.

Every function takes the results that disclosure control produced (``evalkit.audit.disclosure
.protect``) and returns a ``Section``; anything else is a ``TypeError``, so no table or figure can
show a small cell. The opening every section shares (the type check, the language, what a failed
run shows) is one decorator, ``measure_section``: for a failed run every section but the title,
the summary (which says what failed) and the footer is empty, so the measure notebook needs no
``if``. An outcome's unit (``share`` in percentage points, ``sek``, ``num``) is worked out once per
outcome (``outcome_kind``) and handed to every number, axis and header of that outcome.
"""

from evalkit.report.render import Section
from evalkit.report.sections.appendix import appendix, footer, glossary
from evalkit.report.sections.base import measure_section, outcome_kind
from evalkit.report.sections.costs import costs
from evalkit.report.sections.credibility import diagnostics
from evalkit.report.sections.effects import effect_path, estimates, overall_rows, subgroups
from evalkit.report.sections.followup import followup
from evalkit.report.sections.goals import goal_rows, goal_tables, goals
from evalkit.report.sections.summary import failed, headline_sentence, summary, title
from evalkit.results import ProtectedResults

__all__ = [
    "appendix",
    "costs",
    "diagnostics",
    "effect_path",
    "estimates",
    "failed",
    "followup",
    "footer",
    "glossary",
    "goal_rows",
    "goal_tables",
    "goals",
    "headline_sentence",
    "measure_section",
    "measure_sections",
    "outcome_kind",
    "overall_rows",
    "subgroups",
    "summary",
    "title",
]


def measure_sections(results: ProtectedResults) -> list[Section]:
    """Every section of a measure's report in reading order (for standalone pages and tests)."""
    makers = (
        title,
        summary,
        followup,
        estimates,
        effect_path,
        subgroups,
        diagnostics,
        costs,
        goals,
        appendix,
        glossary,
        footer,
    )
    return [m(results) for m in makers]
