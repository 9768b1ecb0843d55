"""Goals as written in a params file: source document, indicator, target, deadline (DESIGN 5).

The model and its vocabulary live on the params side so that a params file is validated once,
before any data are read; ``evalkit.audit.goals`` judges goals on a measure's results.

Indicators are the named vocabulary ``INDICATORS`` plus ``effect:<outcome>`` for any estimated
outcome (table and panel modes name their own outcomes), judged as a causal indicator.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date
from typing import Any, Literal

import pandas as pd
from pydantic import BaseModel, ConfigDict, ValidationError, field_validator, model_validator

from evalkit.errors import ParamsError


@dataclass(frozen=True)
class Indicator:
    """One indicator of the goal vocabulary: what it measures and where its value comes from."""

    name: str
    kind: Literal["descriptive", "causal"]
    unit: Literal["share", "count", "sek", "share_points", "effect"]
    source: str
    outcome: str | None = None
    horizon_months: int | None = None


def _indicators() -> dict[str, Indicator]:
    """Build the vocabulary (kept in one place so the report can list it)."""
    items = [
        Indicator(
            "participants",
            "descriptive",
            "count",
            "followup.n_participants (else sample.n_treated): persons who started in the intake",
        ),
        Indicator(
            "share_work_or_study_exit",
            "descriptive",
            "share",
            "followup.shares[horizon=exit], else followup.end_reasons: ended participations with "
            "end reason work or studies (arbete_osubventionerat, arbete_subventionerat, studier) "
            "/ ended participations",
        ),
        Indicator(
            "share_completed",
            "descriptive",
            "share",
            "followup.end_reasons: ended participations not ended by avbrott (drop-out) / "
            "ended participations (pagaende excluded)",
        ),
    ]
    for h in (6, 12, 24):
        items.append(
            Indicator(
                f"share_work_or_study_{h}m",
                "descriptive",
                "share",
                f"followup.shares[horizon={h}m].share: participants in work or studies (Kolada) "
                f"{h} months after start",
                horizon_months=h,
            )
        )
        items.append(
            Indicator(
                f"effect_work_or_study_{h}m",
                "causal",
                "share_points",
                f"headline estimate (ATT) on outcome work_or_study_{h}m, with its CI",
                outcome=f"work_or_study_{h}m",
                horizon_months=h,
            )
        )
    for h in (12, 24):
        items.append(
            Indicator(
                f"effect_assistance_sek_{h}m",
                "causal",
                "sek",
                f"headline estimate (ATT) on assistance SEK paid in months 1-{h}, with its CI "
                "(negative = less assistance)",
                outcome=f"assistance_sek_{h}m",
                horizon_months=h,
            )
        )
    items += [
        Indicator(
            "net_saving_per_participant",
            "causal",
            "sek",
            "costs.municipality.net_saving: assistance saved minus the municipality's own cost "
            "per participant, over the longest horizon estimated (24 months, else 12), with CI",
            outcome="assistance_sek_24m",
        ),
        Indicator(
            "cost_per_additional_in_work_or_study",
            "causal",
            "sek",
            "costs.cost_per_additional: the municipality's cost per participant / effect on "
            "work_or_study_12m, Fieller interval",
            outcome="work_or_study_12m",
            horizon_months=12,
        ),
    ]
    return {i.name: i for i in items}


#: The documented indicator vocabulary of goals.
INDICATORS: dict[str, Indicator] = _indicators()

_EFFECT_ON = re.compile(r"^effect:(?P<outcome>[A-Za-z_][A-Za-z0-9_]*)$")


def indicator_spec(name: str) -> Indicator | None:
    """The vocabulary entry of ``name``; also ``effect:<outcome>`` for any estimated outcome.

    ``effect:<outcome>`` (e.g. ``effect:arbete_12m`` in table or panel mode) is causal: the
    headline estimate on that outcome, with its interval, judged like the named effects.
    """
    if name in INDICATORS:
        return INDICATORS[name]
    match = _EFFECT_ON.match(str(name))
    if not match:
        return None
    outcome = match.group("outcome")
    known = INDICATORS.get(f"effect_{outcome}")
    if known is not None:
        return Indicator(name, "causal", known.unit, known.source, outcome, known.horizon_months)
    horizon = re.search(r"_(\d+)m$", outcome)
    return Indicator(
        name,
        "causal",
        "effect",
        f"headline estimate (ATT) on outcome {outcome}, with its CI",
        outcome=outcome,
        horizon_months=int(horizon.group(1)) if horizon else None,
    )


_DNR = re.compile(r"^(?P<title>.*?)[\s,;(]*\bdnr\b\.?:?\s*(?P<dnr>[^)]*?)\)?\s*$", re.IGNORECASE)


class GoalSource(BaseModel):
    """The document a goal comes from."""

    model_config = ConfigDict(extra="forbid")

    title: str
    dnr: str | None = None
    decided: date | None = None

    @property
    def label(self) -> str:
        """Title and diarienummer in one line, for grouping."""
        return f"{self.title}, dnr {self.dnr}" if self.dnr else self.title


_DECIDED = re.compile(
    r"[\s,;(]*\b(?:beslutad|beslutat|antagen|antaget|decided|adopted)?\s*:?\s*"
    r"(?P<date>\d{4}-\d{2}-\d{2})\)?",
    re.IGNORECASE,
)


def parse_source(text: str) -> GoalSource:
    """Split ``"Mål- och budget 2023, dnr KS 2022/118, beslutad 2022-11-28"`` into its parts.

    The decision date is an ISO date anywhere in the text (optionally after "beslutad",
    "antagen", "decided"); the diarienummer is what follows "dnr".
    """
    rest, decided = text.strip(), None
    found = _DECIDED.search(rest)
    if found:
        try:
            decided = date.fromisoformat(found.group("date"))
            rest = (rest[: found.start()] + rest[found.end() :]).strip(" ,;")
        except ValueError:
            decided = None
    match = _DNR.match(rest)
    if match and match.group("dnr").strip():
        title = match.group("title").strip(" ,;") or rest
        return GoalSource(title=title, dnr=match.group("dnr").strip(" ,;"), decided=decided)
    return GoalSource(title=rest, decided=decided)


def indicator_table() -> pd.DataFrame:
    """The indicator vocabulary as a table (name, kind, unit, outcome, source) for the appendix."""
    rows = [
        {
            "indicator": i.name,
            "kind": i.kind,
            "unit": i.unit,
            "outcome": i.outcome,
            "source": i.source,
        }
        for i in INDICATORS.values()
    ]
    return pd.DataFrame(rows)


class Goal(BaseModel):
    """One concrete goal from a params file (DESIGN 5)."""

    model_config = ConfigDict(extra="forbid")

    id: str
    source: GoalSource
    text: str
    indicator: str
    target: float
    direction: Literal["at_least", "at_most"] = "at_least"
    deadline: date | None = None

    @field_validator("source", mode="before")
    @classmethod
    def _source_from_text(cls, value: Any) -> Any:
        return parse_source(value) if isinstance(value, str) else value

    @field_validator("indicator")
    @classmethod
    def _known_indicator(cls, value: str) -> str:
        if indicator_spec(value) is None:
            known = ", ".join(sorted(INDICATORS))
            raise ValueError(f"unknown indicator '{value}'; known: {known}, effect:<outcome>")
        return value

    @field_validator("deadline", mode="before")
    @classmethod
    def _month_deadline(cls, value: Any) -> Any:
        """Accept ``YYYY-MM`` as the last day of that month."""
        if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}", value.strip()):
            stamp = pd.Timestamp(value.strip() + "-01") + pd.offsets.MonthEnd(0)
            return stamp.date()
        return value

    @model_validator(mode="after")
    def _sensible_target(self) -> Goal:
        if not math.isfinite(self.target):
            raise ValueError("target must be a finite number")
        unit = self.spec.unit
        if unit == "share" and not 0 <= self.target <= 1:
            raise ValueError(f"target of a share is a fraction (0.40 for 40 %), got {self.target}")
        if unit == "share_points" and not -1 <= self.target <= 1:
            raise ValueError(
                f"target of an effect on a share is in share points (0.05 for 5 %-points), "
                f"got {self.target}"
            )
        return self

    @property
    def spec(self) -> Indicator:
        """The indicator's vocabulary entry."""
        spec = indicator_spec(self.indicator)
        assert spec is not None  # validated
        return spec

    @property
    def kind(self) -> str:
        return self.spec.kind


def parse_goals(raw: list[Any] | None, *, file: str | None = None) -> list[Goal]:
    """Validate the ``goals`` list of a params file; errors name the file and the key."""
    goals: list[Goal] = []
    for i, item in enumerate(raw or []):
        if isinstance(item, Goal):
            goals.append(item)
            continue
        if hasattr(item, "model_dump"):  # another layer's pydantic model of the same goal
            item = item.model_dump()
        try:
            goals.append(Goal.model_validate(item))
        except ValidationError as exc:
            err = exc.errors()[0]
            loc = ".".join(str(p) for p in err["loc"])
            key = f"goals[{i}].{loc}" if loc else f"goals[{i}]"
            raise ParamsError(err["msg"], file=file, key=key) from None
    ids = [g.id for g in goals]
    dupes = sorted({x for x in ids if ids.count(x) > 1})
    if dupes:
        raise ParamsError(f"duplicate goal id {dupes[0]}", file=file, key="goals")
    return goals


__all__ = [
    "INDICATORS",
    "Goal",
    "GoalSource",
    "Indicator",
    "indicator_spec",
    "indicator_table",
    "parse_goals",
    "parse_source",
]
