"""Designs with other assumptions than the headline's, and the tests of their agreement.

The headline (AIPW by default) assumes selection on observables: given the recorded histories,
who joins is unrelated to what would have happened without the measure. Two estimates that
rest on other assumptions are set beside it, outcome by outcome:

- ``stacked_did`` (``evalkit.estimators.stacked_did``): conditional doubly robust DiD on the
  stacked risk sets, which differences out fixed unrecorded traits but needs parallel trends
  from a base 13–18 months before start. It replaces registers-mode ``cs_did``: ``cs_did`` on
  the monthly panel cannot condition comparison persons on the histories participants are
  selected on, and its base period lies inside the dip before start. Its own pre-trend test
  (e = −12..−2) decides whether it can speak at all: when it fails, the comparison is shown but
  marked unusable (``DesignComparison.usable``).
- the headline estimator with a second comparison group (``eligible`` against
  ``not_yet_treated``, or the other way round): a second analysis sample from the same
  registers, which also counts earlier participants and persons in other measures.

Each comparison is a test of the difference with its standard error from both estimates'
influence functions summed by person (``evalkit.audit.multiplicity``): on the same sample the
units coincide; across two samples the persons do. Where an estimator has no influence function
(matching, regression), the estimates are treated as independent, which overstates the
difference's variance (they share persons) and so errs towards agreement; ``covariance`` says
which was used.
"""

from __future__ import annotations

import math
from typing import Any

import pandas as pd
from scipy import stats

from evalkit.audit.multiplicity import Terms, difference_test
from evalkit.data.sample import AnalysisSample, build_sample
from evalkit.estimators import EffectResult
from evalkit.estimators.stacked_did import horizon_outcome, stacked_did
from evalkit.params import Params
from evalkit.pipeline.estimation import as_list, chosen_options, failure_entry, terms_of
from evalkit.results import DesignComparison, EstimatorFailure

#: The second comparison group of each design.comparison (the agreement check).
ALTERNATIVE_COMPARISON = {
    "not_yet_treated": "eligible",
    "eligible": "not_yet_treated",
    "never_treated": "not_yet_treated",
}
#: Event times of the stacked DiD path: the pre-trend window and months 1..24 after start.
STACKED_EVENT_TIMES = (*range(-12, 0), *range(1, 25))
COVARIANCE_IF = "influence functions summed by person (cluster-robust)"
COVARIANCE_INDEPENDENT = "treated as independent (no influence function; conservative)"


def stacked_estimates(
    frame: pd.DataFrame, params: Params, covariates: list[str], *, cluster: str = "cluster_id"
) -> tuple[list[EffectResult], list[EstimatorFailure]]:
    """``stacked_did`` per path stem: the event-time path, its mean and the params outcomes.

    Covariates are the headline's; ``stacked_did`` leaves out those measured after its base
    (the histories at u−1) and absorbs those constant within a reference month (start quarter),
    and names both in its details.
    """
    results: list[EffectResult] = []
    failures: list[EstimatorFailure] = []
    options = {"event_times": list(STACKED_EVENT_TIMES), **chosen_options(params, "stacked_did")}
    for stem in ("work_or_study", "assistance_sek"):
        outcomes = [
            o for o in params.outcomes if (m := horizon_outcome(o)) is not None and m.stem == stem
        ]
        try:
            found = stacked_did(
                frame, stem, "treated", covariates, horizon_outcomes=outcomes, cluster=cluster,
                **options,
            )  # fmt: skip
            results.extend(as_list(found))
        except Exception as exc:  # noqa: BLE001 - one failure must not stop the run
            failures.append(failure_entry("stacked_did", stem, exc))
    return results, failures


def alternative_sample(tables: dict[str, Any], params: Params) -> AnalysisSample:
    """The analysis sample with the second comparison group (``ALTERNATIVE_COMPARISON``)."""
    return build_sample(
        tables,
        params.measure_id,
        intake=(params.design.intake.start, params.design.intake.end),
        comparison=ALTERNATIVE_COMPARISON[params.design.comparison],
        eligibility_months=params.design.eligibility_months,
        seed=params.report.seed,
    )


def compare(
    headline: EffectResult,
    other: EffectResult,
    design: str,
    head_terms: Terms | None,
    other_terms: Terms | None,
    *,
    usable: bool = True,
    reason: str | None = None,
) -> DesignComparison:
    """The difference between the headline and another design's estimate, with its test."""
    if head_terms is not None and other_terms is not None:
        diff, se, z, p = difference_test(head_terms, other_terms)
        how = COVARIANCE_IF
    else:
        diff = headline.estimate - other.estimate
        se = math.hypot(headline.se, other.se)
        z = diff / se if se > 0 else math.nan
        p = float(2 * stats.norm.sf(abs(z))) if math.isfinite(z) else math.nan
        how = COVARIANCE_INDEPENDENT
    return DesignComparison(
        outcome=headline.outcome,
        design=design,
        estimator=other.estimator,
        headline_estimator=headline.estimator,
        estimate=other.estimate,
        se=other.se,
        ci_low=other.ci_low,
        ci_high=other.ci_high,
        n_treated=other.n_treated,
        n_control=other.n_control,
        headline_estimate=headline.estimate,
        headline_se=headline.se,
        difference=diff,
        se_difference=se,
        z=z,
        p_value=p,
        covariance=how,
        usable=usable,
        reason=reason,
        warnings=list(other.warnings),
    )


def stacked_comparisons(
    headline: dict[str, EffectResult], stacked: list[EffectResult], frame: pd.DataFrame
) -> list[DesignComparison]:
    """The headline against ``stacked_did`` on every outcome both estimated.

    Unusable (``reason="pretrend_failed"``) when the DiD's own pre-trend test rejects: its
    assumption then fails on the data, and a difference says nothing about the headline.
    """
    by_outcome = {r.outcome: r for r in stacked if r.event_time is None and r.aggregation is None}
    out = []
    for outcome, head in headline.items():
        other = by_outcome.get(outcome)
        if other is None or not math.isfinite(other.estimate):
            continue
        pretrend = (other.details or {}).get("pretrend") or {}
        passes = bool(pretrend.get("passes")) and "pretrend_failed" not in other.warnings
        out.append(
            compare(
                head,
                other,
                "stacked_did",
                terms_of(head, frame),
                terms_of(other, frame),
                usable=passes,
                reason=None if passes else "pretrend_failed",
            )
        )
    return out


def comparison_group_comparisons(
    headline: dict[str, EffectResult],
    alternative: dict[str, EffectResult],
    frame: pd.DataFrame,
    alt_frame: pd.DataFrame,
    rule: str,
) -> list[DesignComparison]:
    """The headline against the same estimator with the second comparison group ``rule``."""
    out = []
    for outcome, head in headline.items():
        other = alternative.get(outcome)
        if other is None or not math.isfinite(other.estimate):
            continue
        out.append(
            compare(
                head, other, f"comparison:{rule}", terms_of(head, frame), terms_of(other, alt_frame)
            )
        )
    return out


__all__ = [
    "ALTERNATIVE_COMPARISON",
    "STACKED_EVENT_TIMES",
    "alternative_sample",
    "compare",
    "comparison_group_comparisons",
    "stacked_comparisons",
    "stacked_estimates",
    "terms_of",
]
