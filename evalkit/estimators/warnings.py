"""Warning codes an estimate can carry, with what each means in plain English.

An estimate that should not be read at face value carries codes in ``EffectResult.warnings``
(and ``"warnings": [...]`` in the results JSON); the report words them per language. Every code
any part of evalkit attaches is defined here, with the thresholds estimators use to detect them.
"""

from __future__ import annotations

from collections.abc import Iterable

#: Fewer participants than this in an estimate: too few to trust its interval.
FEW_TREATED = 30
#: More than this share of the participants outside common support or trimmed: poor overlap.
POOR_OVERLAP_SHARE = 0.10
#: One comparison unit carrying more than this share of all comparison weight: extreme weights.
EXTREME_WEIGHT_SHARE = 0.05

WARNINGS: dict[str, str] = {
    "unadjusted": (
        "The raw difference between participants and the comparison group, not adjusted for how "
        "the groups differed before the start: it shows what a follow-up shows, not an effect."
    ),
    "no_convergence": (
        "The propensity-score model did not converge, so the weights or matches behind the "
        "estimate may be unstable."
    ),
    "separation": (
        "The covariates almost perfectly separate participants from comparison persons: some "
        "propensity scores are 0 or 1, so those participants have no comparable persons."
    ),
    "poor_overlap": (
        f"More than {POOR_OVERLAP_SHARE:.0%} of the participants lie outside the range of "
        "comparison persons' propensity scores or were trimmed away, so the estimate speaks for "
        "fewer participants than it seems."
    ),
    "extreme_weights": (
        f"A single comparison person carries more than {EXTREME_WEIGHT_SHARE:.0%} of the "
        "comparison group's weight, so the estimate leans on very few people."
    ),
    "few_treated": (
        f"Fewer than {FEW_TREATED} participants: too few for the interval to be trusted."
    ),
    "pretrend_failed": (
        "Participants and comparison persons developed differently before the start, so the "
        "comparison may not show what would have happened without the measure."
    ),
    "placebo_failed": (
        "The method finds an 'effect' on an outcome measured before the start, which the "
        "measure cannot have caused: the comparison is probably biased."
    ),
    "attrition": (
        "Many people's registers end before the outcome is measured (they moved or died), and "
        "those who remain may differ from those who left."
    ),
}


def describe(code: str) -> str:
    """The English description of a warning code (KeyError naming the known codes if unknown)."""
    try:
        return WARNINGS[code]
    except KeyError:
        raise KeyError(f"unknown warning '{code}'; known: {', '.join(sorted(WARNINGS))}") from None


def merge(*groups: Iterable[str]) -> tuple[str, ...]:
    """The codes of all groups in first-seen order, each once; unknown codes are an error."""
    out: dict[str, None] = {}
    for group in groups:
        for code in group:
            describe(code)
            out[code] = None
    return tuple(out)


def count_warnings(n_treated: int) -> tuple[str, ...]:
    """``few_treated`` when an estimate rests on fewer than ``FEW_TREATED`` participants."""
    return ("few_treated",) if n_treated < FEW_TREATED else ()


def weight_warnings(max_weight_share: float) -> tuple[str, ...]:
    """``extreme_weights`` when one comparison unit has more than its share of the weight."""
    return ("extreme_weights",) if max_weight_share > EXTREME_WEIGHT_SHARE else ()


def overlap_warnings(share_participants_excluded: float) -> tuple[str, ...]:
    """``poor_overlap`` when too many participants are outside support or trimmed."""
    return ("poor_overlap",) if share_participants_excluded > POOR_OVERLAP_SHARE else ()
