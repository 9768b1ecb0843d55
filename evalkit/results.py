"""The typed results of one measure, from the pipeline to the page (DESIGN 6, docs/CONTRACTS.md).

``MeasureResults`` is what ``evalkit.pipeline.analyse`` returns; disclosure control
(``evalkit.audit.disclosure.protect``) turns it into ``ProtectedResults``, the only type the report
layer and the results file accept. The JSON file and ``results_schema.json`` are generated from
these models, so the file, the schema and the code cannot drift apart.

Conventions that keep the models extensible (issues 10–13 add fields here):

- every part is a ``Part``: unknown keys are kept (``extra="allow"``), so files written by another
  evalkit version load and round-trip without loss; new fields are optional with defaults;
- numbers are ``Number`` (a finite float or ``None``: NaN, inf and suppressed values are ``None``)
  and counts ``Count``; free-form blocks (estimator ``details``, ``params``) are cleaned by
  ``json_safe``, the one place where Python values become JSON values;
- a part lists in ``_omit_if_empty`` the keys it writes only when set (e.g. an estimate's
  ``event_time``), so the file keeps the shape it has always had. Only keys that disclosure
  control never suppresses may be listed: a suppressed value is always written, as ``null``.

Layer: above ``estimators`` (converts ``EffectResult``) and ``params`` (goal sources), below
``audit``, ``report`` and ``pipeline``.
"""

from __future__ import annotations

import html
import json
import math
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import Path
from typing import Annotated, Any, ClassVar, Literal

import numpy as np
import pandas as pd
from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_serializer,
    model_validator,
)

from evalkit.data.months import month_end
from evalkit.estimators.result import EffectResult
from evalkit.params.goals import GoalSource

#: Estimators that adjust for differences between groups, in the order in which one leads (the
#: headline). The unadjusted ``naive`` comparison never leads. Registers and table modes lead
#: with aipw; panel mode with cs_did's simple aggregation, else twfe; an effect path with the
#: first of these that has one (dynamic_matching before stacked_did and cs_did, event_study
#: last).
HEADLINE_ORDER: tuple[str, ...] = (
    "aipw",
    "ipw",
    "matching",
    "regression",
    "dynamic_matching",
    "stacked_did",
    "cs_did",
    "twfe",
    "did",
    "event_study",
)
#: The set of adjusting estimators (credibility compares only these).
ADJUSTED_ESTIMATORS = frozenset(HEADLINE_ORDER)

#: Aggregations of an overall (not per-cell, per-period or per-cohort) effect.
OVERALL_AGGREGATIONS = (None, "simple", "overall")
#: Aggregations whose per-event-time rows form an effect path.
PATH_AGGREGATIONS = (None, "dynamic")


# --- JSON values: the one cleaner ------------------------------------------------------------


def json_safe(value: Any) -> Any:
    """Plain JSON values: numpy unwrapped, NaN/inf as None, dates as ISO text, tuples as lists.

    Models pass through untouched (they clean themselves). A timestamp at midnight is written as
    its date (``2021-03-01``), any other as ISO date and time.
    """
    if isinstance(value, BaseModel):
        return value
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple, set, frozenset)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, bool) or value is None or isinstance(value, (str, int)):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, (pd.Timestamp, datetime)):
        stamp = pd.Timestamp(value)
        if stamp == stamp.normalize() and stamp.tzinfo is None:
            return stamp.strftime("%Y-%m-%d")
        return stamp.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, pd.Period):
        return str(value)
    return str(value)


def _number(value: Any) -> Any:
    """A finite float or None (NaN, inf, pandas' missing markers and booleans are not numbers)."""
    value = json_safe(value)
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value  # let the field's type reject it with a clear message
    return value if not isinstance(value, float) or math.isfinite(value) else None


def _count(value: Any) -> Any:
    """An integer count or None (a float that is a whole number becomes an int)."""
    value = _number(value)
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


#: A finite number or None (suppressed, not computed, NaN).
Number = Annotated[float | None, BeforeValidator(_number)]
#: A count of units (persons, person-months, rows) or None (suppressed).
Count = Annotated[int | None, BeforeValidator(_count)]
#: A JSON scalar label (cohort, period, subgroup level).
Scalar = Annotated[bool | int | float | str | None, BeforeValidator(json_safe)]
#: A free-form JSON object (estimator details, params): cleaned by ``json_safe``.
JsonDict = Annotated[dict[str, Any], BeforeValidator(json_safe)]


def _schema_required(schema: dict[str, Any], cls: type[Part]) -> None:
    """The file always holds every key but those written only when set: mark them required."""
    omit = getattr(cls, "_omit_if_empty", frozenset())
    props = schema.get("properties") or {}
    schema["required"] = [k for k in props if k not in omit]


class Part(BaseModel):
    """Base of every results part: unknown keys kept, keys in ``_omit_if_empty`` written only
    when set."""

    model_config = ConfigDict(extra="allow", json_schema_extra=_schema_required)

    _omit_if_empty: ClassVar[frozenset[str]] = frozenset()

    @model_validator(mode="after")
    def _clean_extra(self) -> Part:
        extra = self.__pydantic_extra__
        if extra:
            for key, value in extra.items():
                extra[key] = json_safe(value)
        return self

    @model_serializer(mode="wrap")
    def _drop_empty(self, handler: Any) -> Any:
        out = handler(self)
        if isinstance(out, dict):
            for key in self._omit_if_empty:
                if key in out and out[key] in (None, [], {}):
                    del out[key]
        return out

    def to_json_dict(self) -> dict[str, Any]:
        """The part as plain JSON values (what the results file holds)."""
        return json.loads(self.model_dump_json())


# --- estimates -------------------------------------------------------------------------------


class Interval(Part):
    """An estimate with its confidence interval (bounds None when unbounded or unknown)."""

    estimate: Number = None
    ci_low: Number = None
    ci_high: Number = None


class EffectNumbers(Interval):
    """The numbers of an effect estimate: estimate, interval, SE, p-value and group sizes."""

    se: Number = None
    p_value: Number = None
    n_treated: Count = None
    n_control: Count = None


class Estimate(EffectNumbers):
    """One effect estimate: every field of ``EffectResult`` that is written (not ``influence``
    or ``fit``), plus ``warnings`` (codes of ``evalkit.estimators.warnings``)."""

    _omit_if_empty = frozenset(
        {"aggregation", "group", "time", "event_time", "subgroup", "details", "warnings"}
    )

    outcome: str
    estimator: str
    estimand: str = "ATT"
    level: float = Field(0.95, description="confidence level of the interval")
    aggregation: str | None = None
    group: Scalar = None
    time: Scalar = None
    event_time: int | None = None
    subgroup: str | None = None
    details: JsonDict = {}
    warnings: list[str] = []

    @classmethod
    def from_result(cls, result: EffectResult) -> Estimate:
        """The entry of an ``EffectResult`` (lossless but for influence and fit)."""
        return cls(
            outcome=result.outcome,
            estimator=result.estimator,
            estimand=result.estimand,
            estimate=result.estimate,
            se=result.se,
            ci_low=result.ci_low,
            ci_high=result.ci_high,
            p_value=result.p_value,
            n_treated=result.n_treated,
            n_control=result.n_control,
            level=result.level,
            aggregation=result.aggregation,
            group=result.group,
            time=result.time,
            event_time=result.event_time,
            subgroup=result.subgroup,
            details=dict(result.details or {}),
            warnings=list(getattr(result, "warnings", ()) or ()),
        )

    def to_result(self) -> EffectResult:
        """Back as the shared result type (suppressed numbers become NaN, counts 0)."""
        nan = math.nan
        extra = (
            {"warnings": tuple(self.warnings)}
            if "warnings" in EffectResult.__dataclass_fields__
            else {}
        )
        return EffectResult(
            estimator=self.estimator,
            outcome=self.outcome,
            estimate=nan if self.estimate is None else self.estimate,
            se=nan if self.se is None else self.se,
            ci_low=nan if self.ci_low is None else self.ci_low,
            ci_high=nan if self.ci_high is None else self.ci_high,
            p_value=nan if self.p_value is None else self.p_value,
            n_treated=self.n_treated or 0,
            n_control=self.n_control or 0,
            estimand=self.estimand,
            level=self.level,
            aggregation=self.aggregation,
            group=self.group,
            time=self.time,
            event_time=self.event_time,
            subgroup=self.subgroup,
            details=dict(self.details),
            **extra,
        )

    @property
    def is_overall(self) -> bool:
        """An overall effect: not a path point, a group-time cell, a cohort or a subgroup."""
        if self.event_time is not None or self.subgroup is not None:
            return False
        if self.group is not None or self.time is not None:
            return False
        return self.aggregation in OVERALL_AGGREGATIONS

    @property
    def is_path_point(self) -> bool:
        """A point of an effect path by month since start (dynamic aggregation or event time)."""
        return (
            self.event_time is not None
            and self.subgroup is None
            and self.aggregation in PATH_AGGREGATIONS
        )

    @property
    def has_value(self) -> bool:
        """Whether the estimate is shown (not suppressed, not missing)."""
        return self.estimate is not None


class PlaceboEstimate(Estimate):
    """The headline estimator's "effect" on an outcome measured before the programme, tested for
    equivalence to zero (``diagnostics.placebo``: two one-sided tests within ``margin``) and for a
    difference from zero (``p_value_difference``, the estimate's own ``p_value``).

    ``status``: ``equivalent`` (the TOST shows the "effect" lies within the margin),
    ``different`` (the two-sided test rejects zero at ``alpha``), ``inconclusive`` (neither).
    ``placebo_passes`` is the TOST decision alone.
    """

    placebo_passes: bool | None = None
    margin: Number = None
    margin_rule: str | None = None
    alpha: Number = None
    p_value_equivalence: Number = None
    p_value_difference: Number = None
    status: Literal["equivalent", "different", "inconclusive"] | None = None


class SubgroupEstimate(EffectNumbers):
    """The headline estimator within one level of a subgroup variable (or a flag instead)."""

    outcome: str
    estimator: str
    subgroup: str
    level: Scalar = None
    flag: str | None = None


class Headline(Part):
    """Which outcome and estimator the summary leads with (``choose_headline``)."""

    outcome: str
    estimator: str


def lead_of(estimates: Iterable[Estimate], prefer: str | None = None) -> Estimate | None:
    """The estimate that leads among some of one outcome: ``prefer``, else ``HEADLINE_ORDER``.

    Never the unadjusted ``naive`` comparison; None when no adjusting estimator is among them.
    """
    by_name: dict[str, Estimate] = {}
    for e in estimates:
        if e.estimator in ADJUSTED_ESTIMATORS:
            by_name.setdefault(e.estimator, e)
    for name in (prefer, *HEADLINE_ORDER):
        if name and name in by_name:
            return by_name[name]
    return None


def choose_headline(estimates: Iterable[Estimate], outcomes: Iterable[str]) -> Headline | None:
    """The headline: the first outcome with an overall adjusted estimate, and its lead estimator."""
    estimates = list(estimates)
    for outcome in outcomes:
        lead = lead_of(e for e in estimates if e.outcome == outcome and e.is_overall)
        if lead is not None:
            return Headline(outcome=outcome, estimator=lead.estimator)
    return None


# --- sample, follow-up, validation -----------------------------------------------------------


class AttritionRow(Part):
    """Units of one group whose registers end before a horizon (moved away, died): counted here,
    never as "not working, no assistance". Units whose horizon lies past the data are left out."""

    horizon: int
    group: Literal["treated", "control"]
    n: Count = None
    n_not_observed: Count = None
    share_not_observed: Number = None


class Sample(Part):
    """Who was compared: counts and how the comparison group was formed (no person-level data)."""

    n_treated: Count = None
    n_control: Count = None
    n_eligible: Count = None
    n_control_persons: Count = None
    n_participants_in_intake: Count = None
    n_periods: Count = None
    data_start: str | None = None
    data_end: str | None = None
    intake_start: str | None = None
    intake_end: str | None = None
    comparison: str | None = None
    data_mode: str | None = None
    eligibility_months: int | None = None
    attrition: list[AttritionRow] = []

    _omit_if_empty = frozenset(
        {
            "data_start",
            "data_end",
            "intake_start",
            "intake_end",
            "comparison",
            "eligibility_months",
            "attrition",
        }
    )


class FollowupShare(Part):
    """Share of participants in work or studies at one horizon (today's follow-up)."""

    horizon: Scalar = None
    n: Count = None
    n_in_work_or_study: Count = None
    share: Number = None


class EndReason(Part):
    """Ended participations by end reason."""

    reason: str | None = None
    n: Count = None
    share: Number = None


class Followup(Part):
    """Today's descriptive follow-up of participants (``evalkit.data.followup``)."""

    measure_id: str | None = None
    intake_start: str | None = None
    intake_end: str | None = None
    data_end: str | None = None
    n_participants: Count = None
    n_persons: Count = None
    shares: list[FollowupShare] = []
    end_reasons: list[EndReason] = []

    def share_at(self, horizon: str | int) -> FollowupShare | None:
        """The follow-up row of a horizon (``12``, ``"12m"``, ``"exit"``)."""
        key = horizon_key(horizon)
        return next((s for s in self.shares if horizon_key(s.horizon) == key), None)


def horizon_key(value: Any) -> str:
    """Normalise a follow-up horizon (``12``, ``"12"``, ``"12m"``) to ``"12"``."""
    return str(value).strip().lower().removesuffix("months").removesuffix("m").strip()


class ValidationRow(Part):
    """Rows of one table breaking one data rule (counts of rows, not people)."""

    table: str | None = None
    rule: str | None = None
    description: str | None = None
    count: Count = None


class Validation(Part):
    """What the data checks found: counts per table and rule, and the quarantine file's name."""

    rows: list[ValidationRow] = []
    n_quarantined: Count = None
    quarantine_file: str | None = None


# --- diagnostics -----------------------------------------------------------------------------


class BalanceRow(Part):
    """Standardised mean difference and variance ratio of one covariate, before and after."""

    covariate: str
    smd_before: Number = None
    smd_after: Number = None
    vr_before: Number = None
    vr_after: Number = None


class Overlap(Part):
    """Propensity score histograms of both groups and the share outside common support."""

    bin_edges: list[Number] = []
    treated_counts: list[Count] = []
    control_counts: list[Count] = []
    share_outside_support: Number = None
    share_treated_outside_support: Number = None
    n_trimmed: Count = None
    denominator: str | None = None
    n_participants: Count = None
    n_participants_outside_support: Count = None
    n_participants_trimmed: Count = None
    share_trimmed: Number = None
    share_excluded: Number = None

    _omit_if_empty = frozenset(
        {
            "denominator",
            "n_participants",
            "n_participants_outside_support",
            "n_participants_trimmed",
            "share_trimmed",
            "share_excluded",
        }
    )


class Benchmarked(Part):
    """How strong an unobserved confounder must be, as a multiple of an observed covariate, to
    move the outcome regression's estimate or interval onto ``target`` (Cinelli & Hazlett 2020).

    ``k_interval``: the multiple (in partial R² with treatment and outcome) that brings the
    interval's bound nearest ``target`` onto it (0: it is there already; None: no possible
    confounder does); ``k_estimate`` the same for the point estimate."""

    benchmark: str | None = None
    target: Number = None
    alpha: Number = None
    r2dxj_x: Number = None
    r2yxj_dx: Number = None
    k_estimate: Number = None
    k_interval: Number = None
    rv_q: Number = None
    rv_qa: Number = None


class Sensitivity(Part):
    """Sensitivity to unobserved confounding: E-values, the robustness value, and the confounder
    strength benchmarked on an observed covariate, against zero and against a goal's target."""

    e_value: Number = None
    e_value_ci: Number = None
    robustness_value: Number = None
    robustness_value_alpha: Number = None
    partial_r2: Number = None
    rr: Number = None
    method: str | None = None
    estimator: str | None = None
    benchmarked: Benchmarked | None = None
    benchmarked_target: Benchmarked | None = None

    _omit_if_empty = frozenset({"benchmarked", "benchmarked_target"})


class Mde(Part):
    """Minimum detectable effect of the sample at hand."""

    mde: Number = None
    sd: Number = None
    binary: bool | None = None
    alpha: Number = None
    power: Number = None


class Pretrend(Part):
    """A joint test that the pre-programme effects are zero."""

    stat: Number = None
    df: Number = None
    p_value: Number = None


class OutcomeDiagnostics(Part):
    """The outcome-specific diagnostics of one outcome (sensitivity, MDE, pre-trend test)."""

    sensitivity: Sensitivity | None = None
    mde: Mde | None = None
    pretrend: Pretrend | None = None
    errors: dict[str, str] = {}

    _omit_if_empty = frozenset({"sensitivity", "mde", "pretrend", "errors"})


class DesignComparison(Part):
    """The headline set against an estimate that rests on other assumptions, on one outcome.

    ``design``: ``stacked_did`` (conditional DiD on the stacked risk sets: fixed unrecorded traits
    differenced out) or ``comparison:<rule>`` (the headline estimator with a second comparison
    group). ``difference`` = headline minus other, with ``se_difference`` from both estimates'
    influence functions summed by person (``covariance`` says how); ``usable`` is False when the
    other design fails its own check (``reason``, e.g. ``pretrend_failed``) and then says nothing
    about the headline."""

    outcome: str
    design: str
    estimator: str
    headline_estimator: str | None = None
    estimate: Number = None
    se: Number = None
    ci_low: Number = None
    ci_high: Number = None
    n_treated: Count = None
    n_control: Count = None
    headline_estimate: Number = None
    headline_se: Number = None
    difference: Number = None
    se_difference: Number = None
    z: Number = None
    p_value: Number = None
    covariance: str | None = None
    usable: bool = True
    reason: str | None = None
    warnings: list[str] = []

    _omit_if_empty = frozenset({"reason", "warnings"})


class CensoringSummary(Part):
    """Inverse-probability-of-censoring weights of one outcome (attrition before its horizon)."""

    outcome: str
    horizon: int | None = None
    weighted: bool = False
    observed_share_treated: Number = None
    observed_share_control: Number = None
    n_censored_treated: Count = None
    n_censored_control: Count = None
    max_weight: Number = None


class LeeBoundsPart(Part):
    """Lee (2009) bounds on the headline outcome's effect among those observed either way."""

    outcome: str
    lower: Number = None
    upper: Number = None
    ci_low: Number = None
    ci_high: Number = None
    level: Number = None
    trim_share: Number = None
    trimmed_group: str | None = None
    observed_share_treated: Number = None
    observed_share_control: Number = None


class AttritionCheck(Part):
    """What attrition (registers ending before a horizon) does: IPCW per outcome, Lee bounds."""

    ipcw: list[CensoringSummary] = []
    lee_bounds: LeeBoundsPart | None = None


class AdjustedInterval(Interval):
    """An estimate's interval widened for multiplicity (``Multiplicity``)."""

    outcome: str
    estimator: str | None = None
    se: Number = None


class Multiplicity(Part):
    """Intervals that decide verdicts, adjusted jointly across the outcomes with causal goals.

    ``method``: ``sup-t`` (a simultaneous band: the ``level`` quantile of the largest |t| under
    the estimates' joint normal distribution, whose covariance comes from their influence
    functions summed by person), ``bonferroni`` (when an estimate has no influence function) or
    ``none`` (one outcome: nothing to adjust)."""

    method: Literal["sup-t", "bonferroni", "none"] = "none"
    level: float = 0.95
    critical_value: Number = None
    outcomes: list[str] = []
    covariance: str | None = None
    intervals: list[AdjustedInterval] = []

    def interval(self, outcome: str) -> AdjustedInterval | None:
        """The adjusted interval of one outcome."""
        return next((i for i in self.intervals if i.outcome == outcome), None)


class SubgroupTest(Part):
    """Do the effects differ between a subgroup variable's levels? (interaction test, BH)"""

    outcome: str
    subgroup: str
    estimator: str | None = None
    n_levels: int | None = None
    statistic: Number = None
    df: int | None = None
    p_value: Number = None
    p_value_adjusted: Number = None
    adjustment: str | None = None
    differs: bool | None = None


class EstimatorFailure(Part):
    """An estimator that failed on an outcome (reason: the evalkit error's text, else its type)."""

    estimator: str
    outcome: str
    reason: str


class Diagnostics(OutcomeDiagnostics):
    """How far to trust the headline: balance, overlap and placebo of the headline; its outcome's
    sensitivity, MDE and pre-trend at top level, other outcomes' under ``by_outcome``."""

    balance: list[BalanceRow] = []
    balance_path: list[BalanceRow] = []
    balance_weighting: str | None = None
    overlap: Overlap | None = None
    placebo: list[PlaceboEstimate] = []
    by_outcome: dict[str, OutcomeDiagnostics] = {}
    designs: list[DesignComparison] = []
    attrition: AttritionCheck | None = None
    multiplicity: Multiplicity | None = None
    subgroup_tests: list[SubgroupTest] = []
    estimator_failures: list[EstimatorFailure] = []

    _omit_if_empty = frozenset(
        {
            "sensitivity",
            "mde",
            "pretrend",
            "errors",
            "balance",
            "balance_path",
            "balance_weighting",
            "overlap",
            "placebo",
            "by_outcome",
            "designs",
            "attrition",
            "multiplicity",
            "subgroup_tests",
        }
    )

    def designs_of(self, outcome: str) -> list[DesignComparison]:
        """The design comparisons of one outcome."""
        return [d for d in self.designs if d.outcome == outcome]


# --- costs -----------------------------------------------------------------------------------


class EffectInterval(Interval):
    """An interval derived from a headline effect, naming the estimator and horizon."""

    se: Number = None
    estimator: str | None = None
    n_treated: Count = None
    horizon_months: int | None = None

    _omit_if_empty = frozenset({"se", "estimator", "n_treated", "horizon_months"})


class CostPerParticipant(Part):
    """Gross, external and net (own) cost per participant (``audit.costs``)."""

    available: bool = False
    reason: str | None = None
    source: str | None = None
    n_participants: Count = None
    months: Count = None
    total_gross: Number = None
    total_external_funding: Number = None
    participant_months: Number = None
    mean_months_in_measure: Number = None
    price_per_month: Number = None
    gross: Number = None
    external_funding: Number = None
    net: Number = None
    external_funding_known: bool | None = None

    _omit_if_empty = frozenset(
        {
            "months",
            "mean_months_in_measure",
            "price_per_month",
            "gross",
            "external_funding",
            "net",
            "external_funding_known",
        }
    )


class BreakEven(Part):
    """Months until assistance savings repay the own cost per participant, with an interval.

    ``months_optimistic``/``months_pessimistic`` are the interval's bounds (None: not within
    the horizon); ``discounted`` says whether savings were discounted to the start.
    """

    months: int | None = None
    months_optimistic: int | None = None
    months_pessimistic: int | None = None
    within_horizon: bool = False
    horizon_months: int | None = None
    method: str | None = None
    reason: str | None = None
    discounted: bool | None = None

    _omit_if_empty = frozenset({"discounted"})


class MunicipalityView(Part):
    """The municipality's own cost against assistance saved, per horizon; ``savings`` and
    ``net_cost`` over the chosen horizon, discounted to the start."""

    cost: Number = None
    net_cost_12m: EffectInterval | None = None
    net_saving_12m: EffectInterval | None = None
    net_cost_24m: EffectInterval | None = None
    net_saving_24m: EffectInterval | None = None
    net_saving: EffectInterval | None = None
    break_even: BreakEven | None = None
    savings: EffectInterval | None = None
    net_cost: EffectInterval | None = None

    _omit_if_empty = frozenset({"savings", "net_cost"})


class CostRatio(Interval):
    """A cost per additional person (or month) in work or studies, with Fieller's interval.

    ``reason`` says why there is no ratio or no bounded interval: ``effect_negative`` (the
    effect is clearly below zero), ``effect_indistinguishable_from_zero`` (its interval includes
    zero), ``no_positive_effect`` (estimate not above zero), ``data_missing``.
    """

    bounded: bool | None = None
    defined: bool | None = None
    method: str | None = None
    estimator: str | None = None
    n_treated: Count = None
    reason: str | None = None
    covariance: str | None = None
    pays_for_itself: bool | None = None
    horizon_months: int | None = None
    correlation: Number = None

    _omit_if_empty = frozenset({"covariance", "pays_for_itself", "horizon_months", "correlation"})


class TaxRevenue(Interval):
    """Tax and contributions from additional months in work (approximate)."""

    estimator: str | None = None


class PublicNetCost(Interval):
    """The public sector's net cost over a horizon."""

    interval: str | None = None
    horizon_months: int | None = None


class PublicFinanceView(Part):
    """Gross cost against assistance saved plus tax revenue from the extra months in work along
    the monthly path; ``tax_revenue`` and ``net_cost`` over the chosen horizon, discounted."""

    cost: Number = None
    assumptions: JsonDict = {}
    tax_revenue_12m: TaxRevenue | None = None
    net_cost_12m: PublicNetCost | None = None
    tax_revenue_24m: TaxRevenue | None = None
    net_cost_24m: PublicNetCost | None = None
    tax_revenue: TaxRevenue | None = None
    net_cost: PublicNetCost | None = None

    _omit_if_empty = frozenset({"tax_revenue", "net_cost"})


class Costs(Part):
    """What the measure costs per participant against what it saves (``audit.costs``).

    ``horizon_months`` and ``discount_rate`` are those of the perspectives (``municipality``,
    ``public_finance``) and of the two ratios per extra month and per extra person in work or
    studies; ``assumptions`` lists every assumption with its value and source.
    """

    available: bool = False
    reason: str | None = None
    level: float = 0.95
    n_participants: Count = None
    cost_per_participant: CostPerParticipant | None = None
    savings: dict[str, EffectInterval | None] = {}
    municipality: MunicipalityView | None = None
    cost_per_additional: CostRatio | None = None
    net_cost_per_additional: CostRatio | None = None
    public_finance: PublicFinanceView | None = None
    horizon_months: int | None = None
    discount_rate: Number = None
    assumptions: JsonDict = {}
    cost_per_extra_month_in_work: CostRatio | None = None

    _omit_if_empty = frozenset(
        {"horizon_months", "discount_rate", "assumptions", "cost_per_extra_month_in_work"}
    )


# --- effects over the horizon ----------------------------------------------------------------


class PathPoint(Interval):
    """One month of a path after start (an effect in that month, or a total through it)."""

    month: int
    se: Number = None


class CumulativeEffect(EffectNumbers):
    """The effect summed over months 1..``months`` after start (``work_or_study_months_<h>m``:
    extra months in work or studies; ``assistance_sek_<h>m``: SEK of assistance)."""

    outcome: str
    months: int
    estimator: str | None = None
    discounted: bool = False


class LockIn(Part):
    """Months until the effect path turns positive: the month where the cumulative effect on
    work or studies is lowest (0: no lock-in), with a simulation interval."""

    months: int | None = None
    ci_low: int | None = None
    ci_high: int | None = None
    within_horizon: bool = False
    horizon_months: int | None = None
    method: str | None = None
    draws: int | None = None
    reason: str | None = None


class Functionals(Part):
    """Joint estimates of linear functionals of the monthly paths over one horizon, with their
    covariance from the influence functions (same units, one score): what cost ratios need."""

    horizon_months: int
    names: list[str] = []
    estimates: list[Number] = []
    covariance: list[list[Number]] = []
    n_treated: Count = None
    n_control: Count = None

    def estimate(self, name: str) -> float | None:
        """The estimate of one functional."""
        return self.estimates[self.names.index(name)] if name in self.names else None

    def cov(self, a: str, b: str) -> float | None:
        """The covariance of two functionals."""
        if a not in self.names or b not in self.names:
            return None
        return self.covariance[self.names.index(a)][self.names.index(b)]


class Horizon(Part):
    """Effects over the whole horizon (``audit.horizon``): cumulative effects at 12, 24 and 36
    months, the monthly path over the chosen horizon, the lock-in period, and the functionals
    the cost perspectives use. ``months`` is the horizon the summary leads with."""

    months: int | None = None
    rule: str | None = None
    typical_duration_months: Number = None
    estimator: str | None = None
    discount_rate: Number = None
    n_treated: Count = None
    n_control: Count = None
    cumulative: list[CumulativeEffect] = []
    path: list[PathPoint] = []
    work_cumulative: list[PathPoint] = []
    savings_cumulative: list[PathPoint] = []
    lock_in: LockIn | None = None
    functionals: list[Functionals] = []
    reason: str | None = None

    @property
    def lead_outcome(self) -> str | None:
        """The outcome the summary leads with: extra months in work or studies over the horizon."""
        return f"work_or_study_months_{self.months}m" if self.months else None

    def cumulative_of(self, outcome: str) -> CumulativeEffect | None:
        """The cumulative effect on one outcome."""
        return next((c for c in self.cumulative if c.outcome == outcome), None)

    def estimate(self, outcome: str) -> Estimate | None:
        """The cumulative effect on one outcome as an estimate (for a horizon the pipeline's
        outcomes do not hold, e.g. 26 months)."""
        cum = self.cumulative_of(outcome)
        if cum is None or cum.estimate is None:
            return None
        numbers = ("estimate", "se", "ci_low", "ci_high", "p_value", "n_treated", "n_control")
        return Estimate(
            outcome=outcome,
            estimator=cum.estimator or "aipw",
            **cum.model_dump(include=set(numbers)),
        )

    def functionals_at(self, months: int | None = None) -> Functionals | None:
        """The functionals over ``months`` (default: the chosen horizon)."""
        months = months or self.months
        return next((f for f in self.functionals if f.horizon_months == months), None)


# --- Kolada benchmark ------------------------------------------------------------------------


class BenchmarkKpi(Part):
    """One KPI in one year: the municipality's value beside its peers' unweighted mean and
    range (``own`` says whether the municipality's value comes from its registers)."""

    kpi: str
    title: str | None = None
    period: int
    municipality_value: Number = None
    peer_mean: Number = None
    peer_min: Number = None
    peer_max: Number = None
    n_peers: Count = None
    own: bool = False
    suppressed: bool = False


class BenchmarkBlock(Part):
    """The municipality against its peers in Kolada (``audit.benchmark``); "Källa: Kolada"."""

    source: str = "Kolada"
    municipality: str | None = None
    peers: list[str] = []
    file: str | None = None
    kpis: list[BenchmarkKpi] = []
    reason: str | None = None


# --- goals and credibility -------------------------------------------------------------------


class GoalVerdict(Part):
    """One goal of the params judged on the measure's results (``audit.goals``)."""

    id: str | None = None
    source: GoalSource | None = None
    text: str | None = None
    indicator: str | None = None
    kind: str | None = None
    unit: str | None = None
    target: Number = None
    direction: str | None = None
    deadline: date | None = None
    value: Number = None
    ci_low: Number = None
    ci_high: Number = None
    estimator: str | None = None
    n: Count = None
    verdict: str | None = None
    reason: str | None = None
    provisional_verdict: str | None = None
    decision_ci_low: Number = None
    decision_ci_high: Number = None
    adjustment: str | None = None
    grade: Literal["hog", "medel", "lag"] | None = None
    mde: Number = None
    period_start: str | None = None
    period_end: str | None = None
    parts: list[GoalVerdict] = []

    _omit_if_empty = frozenset(
        {
            "decision_ci_low",
            "decision_ci_high",
            "adjustment",
            "grade",
            "mde",
            "period_start",
            "period_end",
            "parts",
        }
    )


class CredibilityRule(Part):
    """One credibility rule's outcome: status, value and the thresholds it was held against."""

    rule: str
    status: Literal["pass", "warn", "fail", "not_applicable"]
    value: float | str | None = None
    measure: str | None = None
    reason: str | None = None
    details: JsonDict = {}
    target: Number = None
    ci_decides: bool | None = None
    n_estimators: int | None = None
    pass_below: Number = None
    warn_below: Number = None
    pass_at_most: Number = None
    warn_at_most: Number = None
    pass_at_least: Number = None
    warn_at_least: Number = None

    _omit_if_empty = frozenset(
        {
            "measure",
            "reason",
            "details",
            "target",
            "ci_decides",
            "n_estimators",
            "pass_below",
            "warn_below",
            "pass_at_most",
            "warn_at_most",
            "pass_at_least",
            "warn_at_least",
        }
    )

    @field_validator("value", mode="before")
    @classmethod
    def _finite(cls, value: Any) -> Any:
        return value if isinstance(value, str) else _number(value)


class Credibility(Part):
    """How far to trust one outcome's headline estimate: a grade and the rules behind it."""

    outcome: str
    estimator: str | None = None
    estimate: Number = None
    grade: Literal["hog", "medel", "lag"]
    rules: list[CredibilityRule] = []
    reasons: list[str] = []

    _omit_if_empty = frozenset({"reasons"})

    def rule(self, name: str) -> CredibilityRule | None:
        """The outcome of one rule by name."""
        return next((r for r in self.rules if r.rule == name), None)


# --- header, failure, disclosure -------------------------------------------------------------


class RunFailure(Part):
    """What failed, in which stage (``params``, ``data``, ``analysis``, ``report``, ``kernel``,
    ``timeout``); the message never quotes data."""

    type: str
    message: str = ""
    stage: Literal["params", "data", "analysis", "report", "kernel", "timeout"] | None = None


class Disclosure(Part):
    """Disclosure control applied: the threshold and the path of every suppressed value."""

    min_cell: int
    suppressed: list[str] = []
    reasons: dict[str, str] = Field(
        {}, description="why each suppressed path was suppressed (evalkit.audit.disclosure.REASONS)"
    )

    def reason(self, path: str) -> str | None:
        """Why the value at ``path`` was suppressed, or None if it was not."""
        return self.reasons.get(path) or ("small_count" if path in self.suppressed else None)


class Provenance(Part):
    """Which measure, and how the numbers can be reproduced (the header of every results file)."""

    measure_id: str = Field(min_length=1)
    title: str = ""
    evalkit_version: str | None = None
    data_fingerprint: str | None = Field(None, pattern=r"^sha256:[0-9a-f]{64}$")
    params: JsonDict = {}
    created: str | None = Field(None, pattern=r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
    commit: str | None = None
    packages: dict[str, str] = {}
    seed: int | None = None
    lang: Literal["sv", "en"] = "sv"
    min_cell: int = Field(5, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _lang_from_params(cls, data: Any) -> Any:
        """Without ``lang`` (a minimal failed file), the language the params chose."""
        if isinstance(data, dict) and data.get("lang") not in ("sv", "en"):
            report = (data.get("params") or {}).get("report") or {}
            lang = report.get("lang") if isinstance(report, dict) else None
            data = {**data, "lang": lang if lang in ("sv", "en") else "sv"}
        return data


# --- the results of a measure ----------------------------------------------------------------


class MeasureResults(Provenance):
    """Everything one measure's run concludes (DESIGN 6): aggregates only, never a person."""

    status: Literal["ok", "failed"] = "ok"
    error: RunFailure | None = None
    sample: Sample = Sample()
    estimates: list[Estimate] = []
    headline: Headline | None = None
    followup: Followup | None = None
    subgroups: list[SubgroupEstimate] = []
    diagnostics: Diagnostics = Diagnostics()
    costs: Costs | None = None
    horizon: Horizon | None = None
    benchmark: BenchmarkBlock | None = None
    goals: list[GoalVerdict] = []
    credibility: list[Credibility] = []
    validation: Validation | None = None
    disclosure: Disclosure | None = None

    _omit_if_empty = frozenset({"error", "data_fingerprint"})

    @field_validator("followup", "costs", "validation", "headline", "error", mode="before")
    @classmethod
    def _empty_is_none(cls, value: Any) -> Any:
        return None if value == {} else value

    @field_validator("sample", "diagnostics", mode="before")
    @classmethod
    def _none_is_empty(cls, value: Any) -> Any:
        return {} if value is None else value

    # --- accessors ---------------------------------------------------------------------------

    @property
    def is_failed(self) -> bool:
        """Whether the run failed (then only the header and the error are meaningful)."""
        return self.status != "ok"

    def overall(self, outcome: str) -> list[Estimate]:
        """Overall estimates of one outcome, one per estimator, in the order estimated."""
        return [e for e in self.estimates if e.outcome == outcome and e.is_overall]

    def headline_estimate(self, outcome: str | None = None) -> Estimate | None:
        """The estimate every statement about ``outcome`` rests on (default: the headline's).

        The estimator named in ``headline`` when it estimated this outcome, else the first of
        ``HEADLINE_ORDER``; never ``naive``. Summary, verdicts, costs, credibility and portfolio
        all read it here.
        """
        outcome = outcome or (self.headline.outcome if self.headline else None)
        if not outcome:
            return None
        prefer = self.headline.estimator if self.headline else None
        return lead_of(self.overall(outcome), prefer)

    def path_outcomes(self) -> list[str]:
        """Outcomes with an effect path by month since start, in the order estimated."""
        return list(dict.fromkeys(e.outcome for e in self.estimates if e.is_path_point))

    def paths(self, outcome: str) -> dict[str, list[Estimate]]:
        """The effect paths of ``outcome`` by month since start: ``{estimator: points}``."""
        out: dict[str, list[Estimate]] = {}
        for e in self.estimates:
            if e.outcome == outcome and e.is_path_point:
                out.setdefault(e.estimator, []).append(e)
        return out

    def headline_path(self, outcome: str) -> list[Estimate]:
        """The leading estimator's path of ``outcome`` from month 1 on, sorted, without gaps."""
        series = self.paths(outcome)
        prefer = self.headline.estimator if self.headline else None
        for name in (prefer, *HEADLINE_ORDER, *series):
            points = [p for p in series.get(name or "", []) if p.has_value and p.event_time >= 1]
            if not points:
                continue
            by_month = {p.event_time: p for p in points}
            out = []
            for k in range(1, max(by_month) + 1):
                if k not in by_month:
                    break
                out.append(by_month[k])
            return out
        return []

    def outcomes(self) -> list[str]:
        """The outcomes the page leads with: params outcomes (headline first if missing), else
        those with overall estimates."""
        outcomes = list(self.params.get("outcomes") or [])
        head = self.headline.outcome if self.headline else None
        if head and head not in outcomes:
            outcomes.insert(0, head)
        if not outcomes:
            for e in self.estimates:
                if e.is_overall and e.outcome not in outcomes:
                    outcomes.append(e.outcome)
        return outcomes

    def diagnostics_of(self, outcome: str) -> OutcomeDiagnostics:
        """Sensitivity, MDE and pre-trend of ``outcome``: ``by_outcome[outcome]``, else the top
        level when it describes ``outcome`` (the headline's, or the only outcome estimated).

        One outcome's diagnostics are never applied to another.
        """
        keyed = self.diagnostics.by_outcome.get(outcome)
        if keyed is not None:
            return keyed
        described = self.headline.outcome if self.headline else None
        if described is None:
            seen = {e.outcome for e in self.estimates if e.is_overall}
            described = seen.pop() if len(seen) == 1 else None
        if described == outcome:
            return self.diagnostics
        return OutcomeDiagnostics()

    def credibility_of(self, outcome: str) -> Credibility | None:
        """The credibility grade of ``outcome``'s headline estimate."""
        return next((c for c in self.credibility if c.outcome == outcome), None)

    def intake(self) -> tuple[str, str] | None:
        """The intake window (``sample``, else ``followup``), if known."""
        for block in (self.sample, self.followup):
            if block is not None and block.intake_start and block.intake_end:
                return (str(block.intake_start), str(block.intake_end))
        return None

    def data_end(self) -> date | None:
        """Last day of the last month the data describe (``data_end``, ``YYYY-MM``), if known."""
        for block in (self.sample, self.followup):
            value = getattr(block, "data_end", None) if block is not None else None
            if value:
                try:
                    return month_end(str(value))
                except ValueError:
                    continue
        return None

    def n_participants(self) -> int | None:
        """Participants who started in the intake (follow-up), else the sample's treated."""
        n = self.followup.n_participants if self.followup is not None else None
        return n if n is not None else self.sample.n_treated

    # --- display and files -------------------------------------------------------------------

    def summary(self) -> str:
        """A plain-text summary for terminals and logs."""
        head = f"{self.title or self.measure_id} ({self.measure_id}) · {self.status}"
        if self.is_failed:
            err = self.error
            return f"{head}\n  {err.type if err else 'error'}: {err.message if err else ''}"
        lines = [head]
        for outcome in self.outcomes():
            e = self.headline_estimate(outcome)
            if e is None:
                continue
            grade = self.credibility_of(outcome)
            lines.append(
                f"  {outcome}: {e.estimator} {e.estimate} [{e.ci_low}, {e.ci_high}]"
                + (f" · credibility {grade.grade}" if grade else "")
            )
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        return f"<pre>{html.escape(self.summary())}</pre>"

    @classmethod
    def read(cls, path: str | Path) -> MeasureResults:
        """A results file as the model (files of older evalkit versions and failed runs load)."""
        return cls.model_validate(json.loads(Path(path).read_text(encoding="utf-8")))


#: Context key that only disclosure control (``evalkit.audit.disclosure.protect``) sets.
DISCLOSURE_CONTROL = "evalkit.audit.disclosure.protect"


class ProtectedResults(MeasureResults):
    """``MeasureResults`` after disclosure control: the only type the report layer accepts and
    the results file holds. Made by ``evalkit.audit.disclosure.protect`` and nothing else."""

    disclosure: Disclosure

    @model_validator(mode="before")
    @classmethod
    def _only_from_disclosure_control(cls, data: Any, info: ValidationInfo) -> Any:
        if not (info.context or {}).get(DISCLOSURE_CONTROL):
            raise ValueError(
                "ProtectedResults are made by evalkit.audit.disclosure.protect(results) only"
            )
        return data

    def write(self, path: str | Path) -> Path:
        """Write the results file: sorted keys, shortest round-trip floats, NaN as null."""
        return write_json(self.to_json_dict(), path)


def write_json(data: dict[str, Any], path: str | Path) -> Path:
    """Write JSON values (``json_safe``) with sorted keys and one-space indent, UTF-8."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    text = json.dumps(json_safe(data), sort_keys=True, indent=1, ensure_ascii=False)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def require_protected(results: Any) -> ProtectedResults:
    """``results`` if disclosure control made it, else a ``TypeError`` (the report's guard)."""
    if not isinstance(results, ProtectedResults):
        raise TypeError(
            "the report layer takes ProtectedResults (evalkit.audit.disclosure.protect), "
            f"not {type(results).__name__}"
        )
    return results


def results_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of a results file, generated from ``ProtectedResults``."""
    schema = ProtectedResults.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://evalkit.example/results_schema.json",
        "title": "evalkit results file (<measure_id>.json)",
        "description": (
            "What one measure's run concludes (DESIGN 6, docs/CONTRACTS.md), generated from "
            "evalkit.results.ProtectedResults by `evalkit schema`. Aggregates only; a value "
            "suppressed by disclosure control is null and listed in disclosure.suppressed."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


#: The committed schema file (``evalkit schema`` prints what it must hold).
SCHEMA_FILE = Path(__file__).resolve().parent / "results_schema.json"


__all__ = [
    "SubgroupTest",
    "Multiplicity",
    "LeeBoundsPart",
    "DesignComparison",
    "CensoringSummary",
    "Benchmarked",
    "AttritionRow",
    "AttritionCheck",
    "AdjustedInterval",
    "ADJUSTED_ESTIMATORS",
    "HEADLINE_ORDER",
    "BalanceRow",
    "BenchmarkBlock",
    "BenchmarkKpi",
    "BreakEven",
    "CostPerParticipant",
    "CostRatio",
    "Costs",
    "Count",
    "Credibility",
    "CumulativeEffect",
    "CredibilityRule",
    "Diagnostics",
    "Disclosure",
    "EffectInterval",
    "EffectNumbers",
    "EndReason",
    "Estimate",
    "EstimatorFailure",
    "Followup",
    "FollowupShare",
    "Functionals",
    "GoalVerdict",
    "Headline",
    "Horizon",
    "Interval",
    "LockIn",
    "MeasureResults",
    "Mde",
    "MunicipalityView",
    "Number",
    "OutcomeDiagnostics",
    "Overlap",
    "Part",
    "PathPoint",
    "PlaceboEstimate",
    "Pretrend",
    "ProtectedResults",
    "Provenance",
    "PublicFinanceView",
    "RunFailure",
    "Sample",
    "Sensitivity",
    "SubgroupEstimate",
    "Validation",
    "ValidationRow",
    "choose_headline",
    "json_safe",
    "lead_of",
    "require_protected",
    "results_schema",
    "write_json",
]
