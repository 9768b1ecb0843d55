"""Concrete goals and their verdicts: every goal names its source, indicator, target and deadline.

Verdict codes: ``uppfyllt``, ``delvis``, ``ej_uppfyllt``, ``kan_ej_bedomas`` (labels in
``VERDICT_LABELS``). Rules, applied in this order (the report's method appendix quotes them):

1. **Kan ej bedömas** (cannot be judged), with a reason code:

   - ``run_failed``: the measure's run failed;
   - ``invalid_goal``: (portfolio matrix only) the goal in a failed run's params does not
     validate; it is listed rather than dropped;
   - ``deadline_not_reached``: ``as_of`` is before the deadline. The verdict the data would give
     today is still returned as ``provisional_verdict``, so progress is visible;
   - ``horizon_after_deadline``: the indicator looks ``h`` months after start and even the
     first intake month plus ``h`` lies after the deadline, so no outcome could be observed by
     then;
   - ``data_missing``: the indicator's value is absent or not a number;
   - ``too_few_participants``: a share over fewer than ``2 * min_cell`` participants (it would
     be suppressed), or a causal indicator whose estimate rests on fewer than
     ``MIN_TREATED_FOR_EFFECT`` treated units (the estimate's ``n_treated``, or the sample's when
     there is no estimate), or a run that failed with ``InsufficientDataError``. The value is
     then not returned either: an estimate on so few people would invite a reading it cannot bear.

2. **Causal indicators** (effects, savings, cost per effect) use the confidence interval of the
   headline estimate. With ``direction: at_least`` (``at_most`` mirrors it):

   - ``uppfyllt`` when the whole interval clears the target (``ci_low >= target``);
   - ``delvis`` when the estimate clears it but the interval does not (reason
     ``ci_includes_target``): the goal may be met, but the data cannot show it;
   - ``ej_uppfyllt`` when the estimate does not clear it. The reason tells the two cases apart:
     ``ci_wrong_side`` when the whole interval lies on the wrong side (clearly not met),
     ``estimate_wrong_side`` when the interval still reaches the target (not met as far as the
     data show; a larger sample might change that).

   For ``cost_per_additional_in_work_or_study`` an interval that is unbounded (the effect's
   interval includes zero) never clears a target, and a measure without a positive effect has no
   cost per additional person: ``ej_uppfyllt`` with reason ``no_positive_effect``.

3. **Descriptive indicators** (shares and counts of participants) describe all participants,
   not a sample, so they are compared with the target without a confidence interval:
   ``uppfyllt`` when the value clears the target, ``ej_uppfyllt`` otherwise.

Indicators are the named vocabulary ``INDICATORS`` plus ``effect:<outcome>`` for any estimated
outcome (table and panel modes name their own outcomes), judged as a causal indicator.

The headline estimate for a causal goal is the estimate of the indicator's outcome by the
estimator named in ``results["headline"]``, else ``aipw``, else the first adjusted estimator in
the results. The unadjusted ``naive`` comparison is never used for a causal verdict. Only overall
estimates count (no event time, subgroup or group-time cell; for ``cs_did`` the ``simple``
aggregation).
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

UPPFYLLT = "uppfyllt"
DELVIS = "delvis"
EJ_UPPFYLLT = "ej_uppfyllt"
KAN_EJ_BEDOMAS = "kan_ej_bedomas"
VERDICTS = (UPPFYLLT, DELVIS, EJ_UPPFYLLT, KAN_EJ_BEDOMAS)

#: Display labels for the verdict codes; the report's wording module may import these.
VERDICT_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        UPPFYLLT: "Uppfyllt",
        DELVIS: "Delvis uppfyllt",
        EJ_UPPFYLLT: "Ej uppfyllt",
        KAN_EJ_BEDOMAS: "Kan ej bedömas",
    },
    "en": {
        UPPFYLLT: "Met",
        DELVIS: "Partly met",
        EJ_UPPFYLLT: "Not met",
        KAN_EJ_BEDOMAS: "Cannot be assessed",
    },
}

#: Display labels for the reason codes.
REASON_LABELS: dict[str, dict[str, str]] = {
    "sv": {
        "ci_clears_target": "hela konfidensintervallet klarar målet",
        "ci_includes_target": "skattningen klarar målet men inte hela konfidensintervallet",
        "ci_wrong_side": "hela konfidensintervallet ligger på fel sida om målet",
        "estimate_wrong_side": "skattningen klarar inte målet",
        "value_clears_target": "utfallet klarar målet",
        "value_misses_target": "utfallet klarar inte målet",
        "no_positive_effect": "insatsen har ingen positiv effekt att räkna kostnad per",
        "run_failed": "körningen misslyckades",
        "deadline_not_reached": "tidpunkten för målet har inte passerats",
        "horizon_after_deadline": "utfallet kan inte ha observerats före måldatum",
        "data_missing": "uppgift saknas",
        "too_few_participants": "för få deltagare",
        "invalid_goal": "målet är felaktigt angivet",
    },
    "en": {
        "ci_clears_target": "the whole confidence interval clears the target",
        "ci_includes_target": "the estimate clears the target but the interval does not",
        "ci_wrong_side": "the whole confidence interval is on the wrong side of the target",
        "estimate_wrong_side": "the estimate does not clear the target",
        "value_clears_target": "the value clears the target",
        "value_misses_target": "the value does not clear the target",
        "no_positive_effect": "the measure has no positive effect to compute a cost per",
        "run_failed": "the run failed",
        "deadline_not_reached": "the deadline has not passed",
        "horizon_after_deadline": "the outcome cannot have been observed by the deadline",
        "data_missing": "data missing",
        "too_few_participants": "too few participants",
        "invalid_goal": "the goal is not validly specified",
    },
}

#: Fewest treated units for which an effect is used in a verdict.
MIN_TREATED_FOR_EFFECT = 30

#: Estimators that adjust for differences between groups, in order of preference after aipw.
ADJUSTED_ESTIMATORS = (
    "aipw",
    "regression",
    "ipw",
    "matching",
    "dynamic_matching",
    "cs_did",
    "twfe",
    "did",
)


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


# --- values of indicators --------------------------------------------------------------------


def _num(value: Any) -> float | None:
    """A finite float, or None."""
    if value is None or isinstance(value, bool):
        return None
    try:
        out = float(value)
    except (TypeError, ValueError):
        return None
    return out if math.isfinite(out) else None


def is_overall(entry: dict[str, Any]) -> bool:
    """Whether an estimates entry is an overall effect (not a path point, cell or subgroup)."""
    if entry.get("event_time") is not None or entry.get("subgroup") is not None:
        return False
    if entry.get("group") is not None or entry.get("time") is not None:
        return False
    return entry.get("aggregation") in (None, "simple", "overall")


def headline_estimate(results: dict[str, Any], outcome: str) -> dict[str, Any] | None:
    """The estimate a causal statement about ``outcome`` rests on (see the module docstring)."""
    overall = [
        e
        for e in results.get("estimates") or []
        if e.get("outcome") == outcome and is_overall(e) and e.get("estimator") != "naive"
    ]
    if not overall:
        return None
    preferred = [(results.get("headline") or {}).get("estimator"), *ADJUSTED_ESTIMATORS]
    for name in preferred:
        for entry in overall:
            if name and entry.get("estimator") == name:
                return entry
    return overall[0]


def _horizon_key(value: Any) -> str:
    """Normalise a follow-up horizon (``12``, ``"12"``, ``"12m"``) to ``"12"``."""
    return str(value).strip().lower().removesuffix("months").removesuffix("m").strip()


def _end_reason_share(results: dict[str, Any], good: set[str] | None, bad: set[str]) -> dict:
    """A share over ended participations from the end-reason counts."""
    reasons = (results.get("followup") or {}).get("end_reasons") or []
    counts = {r.get("reason"): _num(r.get("n")) for r in reasons}
    ended = {k: v for k, v in counts.items() if k != "pagaende"}
    if not ended or any(v is None for v in ended.values()):
        return {"value": None, "n": None}
    n = sum(ended.values())
    hits = sum(v for k, v in ended.items() if (k in good if good else k not in bad))
    return {"value": hits / n if n else None, "n": int(n)}


def descriptive_value(results: dict[str, Any], indicator: str) -> dict[str, Any]:
    """Value and denominator of a descriptive indicator: ``{value, n}``."""
    followup = results.get("followup") or {}
    if indicator == "participants":
        n = _num(followup.get("n_participants"))
        if n is None:
            n = _num((results.get("sample") or {}).get("n_treated"))
        return {"value": n, "n": n}
    if indicator == "share_work_or_study_exit":
        for row in followup.get("shares") or []:
            if _horizon_key(row.get("horizon")) == "exit":
                return {"value": _num(row.get("share")), "n": _num(row.get("n"))}
        return _end_reason_share(
            results, {"arbete_osubventionerat", "arbete_subventionerat", "studier"}, set()
        )
    if indicator == "share_completed":
        return _end_reason_share(results, None, {"avbrott"})
    h = str(INDICATORS[indicator].horizon_months)  # descriptive names are all in INDICATORS
    for row in followup.get("shares") or []:
        if _horizon_key(row.get("horizon")) == h:
            return {"value": _num(row.get("share")), "n": _num(row.get("n"))}
    return {"value": None, "n": None}


def causal_value(results: dict[str, Any], indicator: str) -> dict[str, Any]:
    """Estimate, interval, estimator and n treated of a causal indicator."""
    costs = results.get("costs") or {}
    if indicator == "net_saving_per_participant":
        entry = (costs.get("municipality") or {}).get("net_saving") or {}
        return {
            "value": _num(entry.get("estimate")),
            "ci_low": _num(entry.get("ci_low")),
            "ci_high": _num(entry.get("ci_high")),
            "estimator": entry.get("estimator"),
            "n": _num(entry.get("n_treated")),
        }
    if indicator == "cost_per_additional_in_work_or_study":
        entry = costs.get("cost_per_additional") or {}
        return {
            "value": _num(entry.get("estimate")),
            "ci_low": _num(entry.get("ci_low")),
            "ci_high": _num(entry.get("ci_high")),
            "estimator": entry.get("estimator"),
            "n": _num(entry.get("n_treated")),
            "bounded": entry.get("bounded"),
            "defined": entry.get("defined"),
        }
    spec = indicator_spec(indicator)
    entry = headline_estimate(results, (spec.outcome if spec else None) or "")
    if entry is None:
        return {"value": None, "ci_low": None, "ci_high": None, "estimator": None, "n": None}
    return {
        "value": _num(entry.get("estimate")),
        "ci_low": _num(entry.get("ci_low")),
        "ci_high": _num(entry.get("ci_high")),
        "estimator": entry.get("estimator"),
        "n": _num(entry.get("n_treated")),
    }


# --- verdicts --------------------------------------------------------------------------------


def _clears(value: float, target: float, direction: str) -> bool:
    """Whether ``value`` meets the target in the goal's direction."""
    return value >= target if direction == "at_least" else value <= target


def causal_verdict(
    estimate: float, ci_low: float | None, ci_high: float | None, target: float, direction: str
) -> tuple[str, str]:
    """Verdict and reason of a causal indicator from its estimate and interval (rule 2)."""
    near, far = (ci_low, ci_high) if direction == "at_least" else (ci_high, ci_low)
    if not _clears(estimate, target, direction):
        if far is not None and not _clears(far, target, direction):
            return EJ_UPPFYLLT, "ci_wrong_side"
        return EJ_UPPFYLLT, "estimate_wrong_side"
    if near is not None and _clears(near, target, direction):
        return UPPFYLLT, "ci_clears_target"
    return DELVIS, "ci_includes_target"


def descriptive_verdict(value: float, target: float, direction: str) -> tuple[str, str]:
    """Verdict and reason of a descriptive indicator (rule 3)."""
    if _clears(value, target, direction):
        return UPPFYLLT, "value_clears_target"
    return EJ_UPPFYLLT, "value_misses_target"


def _add_months(start: str | date, months: int) -> date | None:
    """First day of the month ``months`` after a ``YYYY-MM`` (or date) start."""
    try:
        stamp = pd.Timestamp(str(start)[:7] + "-01")
    except (ValueError, TypeError):
        return None
    return (stamp + pd.DateOffset(months=months)).date()


def _judge(goal: Goal, results: dict[str, Any], min_cell: int, min_treated: int) -> dict:
    """Value, verdict and reason of one goal, ignoring the deadline."""
    spec = goal.spec
    if spec.kind == "descriptive":
        got = descriptive_value(results, goal.indicator)
        out = {"value": got["value"], "n": got["n"], "ci_low": None, "ci_high": None}
        if got["value"] is None:
            return {**out, "verdict": KAN_EJ_BEDOMAS, "reason": "data_missing"}
        if spec.unit == "share" and (got["n"] is None or got["n"] < 2 * min_cell):
            return {
                **out,
                "value": None,
                "verdict": KAN_EJ_BEDOMAS,
                "reason": "too_few_participants",
            }
        verdict, reason = descriptive_verdict(got["value"], goal.target, goal.direction)
        return {**out, "verdict": verdict, "reason": reason}
    got = causal_value(results, goal.indicator)
    out = {k: got.get(k) for k in ("value", "ci_low", "ci_high", "estimator", "n")}
    if goal.indicator == "cost_per_additional_in_work_or_study" and got.get("defined") is False:
        return {**out, "verdict": EJ_UPPFYLLT, "reason": "no_positive_effect"}
    n_sample = _num((results.get("sample") or {}).get("n_treated"))
    if got["n"] is None and n_sample is not None and n_sample < max(min_treated, min_cell):
        return {**out, "verdict": KAN_EJ_BEDOMAS, "reason": "too_few_participants"}
    if got["value"] is None:
        return {**out, "verdict": KAN_EJ_BEDOMAS, "reason": "data_missing"}
    if got["n"] is not None and got["n"] < max(min_treated, min_cell):
        unreliable = {"value": None, "ci_low": None, "ci_high": None}
        return {**out, **unreliable, "verdict": KAN_EJ_BEDOMAS, "reason": "too_few_participants"}
    lo, hi = got["ci_low"], got["ci_high"]
    if goal.indicator == "cost_per_additional_in_work_or_study" and got.get("bounded") is False:
        hi = math.inf  # an unbounded interval never clears an at_most target
        lo = lo if lo is not None else -math.inf
    verdict, reason = causal_verdict(got["value"], lo, hi, goal.target, goal.direction)
    return {**out, "verdict": verdict, "reason": reason}


def evaluate_goal(
    goal: Goal,
    results: dict[str, Any],
    *,
    as_of: date | None = None,
    min_cell: int = 5,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> dict[str, Any]:
    """The JSON-safe verdict of one goal on one measure's results (rules in the module docstring)."""
    spec = goal.spec
    base: dict[str, Any] = {
        "id": goal.id,
        "source": {
            "title": goal.source.title,
            "dnr": goal.source.dnr,
            "decided": goal.source.decided.isoformat() if goal.source.decided else None,
        },
        "text": goal.text,
        "indicator": goal.indicator,
        "kind": spec.kind,
        "unit": spec.unit,
        "target": goal.target,
        "direction": goal.direction,
        "deadline": goal.deadline.isoformat() if goal.deadline else None,
        "provisional_verdict": None,
    }
    if results.get("status", "ok") != "ok":
        empty = {"value": None, "ci_low": None, "ci_high": None, "estimator": None, "n": None}
        error = (results.get("error") or {}).get("type")
        reason = "too_few_participants" if error == "InsufficientDataError" else "run_failed"
        return {**base, **empty, "verdict": KAN_EJ_BEDOMAS, "reason": reason}
    judged = _judge(goal, results, min_cell, min_treated)
    judged.setdefault("estimator", None)
    for key in ("value", "ci_low", "ci_high"):
        judged[key] = _num(judged.get(key))
    judged["n"] = int(judged["n"]) if _num(judged.get("n")) is not None else None
    out = {**base, **judged}
    intake_start = (results.get("sample") or {}).get("intake_start")
    if goal.deadline and spec.horizon_months and intake_start:
        first_seen = _add_months(intake_start, spec.horizon_months)
        if first_seen is not None and first_seen > goal.deadline:
            return {**out, "verdict": KAN_EJ_BEDOMAS, "reason": "horizon_after_deadline"}
    if goal.deadline and as_of and as_of < goal.deadline:
        provisional = out["verdict"] if out["verdict"] != KAN_EJ_BEDOMAS else None
        return {
            **out,
            "provisional_verdict": provisional,
            "verdict": KAN_EJ_BEDOMAS,
            "reason": "deadline_not_reached",
        }
    return out


def evaluate_goals(
    goals: list[Goal | dict[str, Any]] | None,
    results: dict[str, Any],
    *,
    as_of: date | None = None,
    min_cell: int = 5,
    min_treated: int = MIN_TREATED_FOR_EFFECT,
) -> list[dict[str, Any]]:
    """Verdicts of a measure's goals: one JSON-safe dict per goal, in the params order.

    ``as_of`` is the last date the data describe (the pipeline passes the end of the data
    period, not the day of the run); with ``None`` the deadline rule is not applied.
    """
    parsed = parse_goals(list(goals or []))
    return [
        evaluate_goal(g, results, as_of=as_of, min_cell=min_cell, min_treated=min_treated)
        for g in parsed
    ]


MATRIX_COLUMNS = [
    "source",
    "source_title",
    "source_dnr",
    "source_decided",
    "measure_id",
    "measure_title",
    "goal_id",
    "text",
    "indicator",
    "kind",
    "target",
    "direction",
    "deadline",
    "value",
    "ci_low",
    "ci_high",
    "verdict",
    "reason",
]


def _invalid_goal(item: Any) -> dict[str, Any]:
    """A matrix row for a goal that does not validate: listed, never silently dropped."""
    item = item if isinstance(item, dict) else {}
    source = item.get("source")
    if isinstance(source, str):
        source = parse_source(source).model_dump(mode="json")
    return {
        "id": item.get("id"),
        "source": source if isinstance(source, dict) else {},
        "text": item.get("text"),
        "indicator": item.get("indicator"),
        "verdict": KAN_EJ_BEDOMAS,
        "reason": "invalid_goal",
    }


def goal_matrix(
    all_results: list[dict[str, Any]], *, as_of: date | None = None, min_cell: int = 5
) -> pd.DataFrame:
    """All goals of all measures in one table, grouped (sorted) by source document.

    Uses each results dict's evaluated ``goals``; where they are missing, evaluates
    ``params.goals`` on the spot, so a failed run still lists its goals as ``kan_ej_bedomas``.
    """
    rows = []
    for results in all_results:
        goals = results.get("goals")
        if not goals:
            raw = (results.get("params") or {}).get("goals") or []
            try:
                goals = evaluate_goals(raw, results, as_of=as_of, min_cell=min_cell) if raw else []
            except ParamsError:
                goals = [_invalid_goal(item) for item in raw]
        for g in goals:
            src = g.get("source") or {}
            label = f"{src.get('title')}, dnr {src['dnr']}" if src.get("dnr") else src.get("title")
            rows.append(
                {
                    "source": label,
                    "source_title": src.get("title"),
                    "source_dnr": src.get("dnr"),
                    "source_decided": src.get("decided"),
                    "measure_id": results.get("measure_id"),
                    "measure_title": results.get("title"),
                    "goal_id": g.get("id"),
                    **{k: g.get(k) for k in MATRIX_COLUMNS[7:]},
                }
            )
    frame = pd.DataFrame(rows, columns=MATRIX_COLUMNS)
    if frame.empty:
        return frame
    return frame.sort_values(["source", "measure_id", "goal_id"], kind="stable").reset_index(
        drop=True
    )
