"""Placebo tests as equivalence tests: the headline estimator's "effect" on outcomes measured
before the covariate window, which the measure cannot have caused.

A plain significance test passes a placebo whenever the data are too few to see anything, and
fails it on a trivial difference in a large sample. An equivalence test asks the right question:
is the placebo "effect" shown to be smaller than a margin that matters? Two one-sided tests
(TOST, Schuirmann 1987; Hartman & Hidalgo 2018 for balance and placebo tests) reject both
"effect <= -margin" and "effect >= margin" at level alpha, i.e. the (1 - 2 alpha) interval lies
inside (-margin, margin).

Margin rule: the minimum detectable effect of the placebo outcome at 90 % power and a two-sided
5 % test for the sample at hand (``evalkit.diagnostics.power``, Bloom's formula without
covariate credit, as for real outcomes). A placebo difference below it is one the study could
hardly have told from zero on a real outcome; a larger one, or one the data cannot bound, means
the covariates miss something that moves outcomes, and the placebo fails. Why 90 % and not 80 %:
a margin of m standard errors lets TOST pass an unbiased placebo with probability
2 Phi(m - 1.645) - 1, i.e. about 75 % at the 80 %-power MDE (m = 2.8) and 88 % at the 90 %-power
MDE (m = 3.24); with two placebo outcomes the 80 % rule failed about 40 % of simulated studies
without any hidden confounding (``benchmarks/mc_placebo.py``), the 90 % rule about 15 %.

Each test also has a three-way ``status``: ``equivalent`` (TOST passes), ``different`` (the plain
two-sided test rejects zero at alpha) or ``inconclusive`` (neither: too few data to bound it).

The placebo run leaves out covariates that look into the placebo months (``*_{h}m_before``
windows reaching as far back as the placebo outcome) and caps current-spell lengths just short
of them, so the estimator cannot simply adjust the placebo outcome away; ``details`` names both.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.diagnostics.power import minimum_detectable_effect, minimum_detectable_proportion
from evalkit.estimators.result import EffectResult, EffectResults, _clean

#: Spell lengths (months) that reveal how far back the current spell began; capped in a placebo.
SPELL_COVARIATES = ("months_out_of_work", "months_on_assistance", "months_since_work")
#: Power of the MDE that sets the equivalence margin (see the module docstring).
MARGIN_POWER = 0.9
_WINDOW = re.compile(r"_(\d+)m_before$")
_PLACEBO_START = re.compile(r"_(\d+)(?:_\d+)?m_before$")


@dataclass(frozen=True)
class PlaceboTest:
    """One placebo equivalence test: estimate, interval, margin, TOST and difference p-values."""

    outcome: str
    estimator: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    level: float
    margin: float
    margin_rule: str
    alpha: float
    p_value_equivalence: float
    p_value_difference: float
    passes: bool
    status: str
    n_treated: int
    n_control: int
    details: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """The results-JSON entry (aggregates only)."""
        out = {k: getattr(self, k) for k in self.__dataclass_fields__ if k != "details"}
        out["details"] = self.details
        return _clean(out)


def tost(estimate: float, se: float, margin: float, alpha: float = 0.05) -> tuple[float, bool]:
    """Two one-sided tests of |effect| >= margin (normal); returns (p-value, equivalent at alpha)."""
    if not (math.isfinite(estimate) and math.isfinite(se) and se > 0 and margin > 0):
        return math.nan, False
    p_low = float(stats.norm.sf((estimate + margin) / se))  # H0: effect <= -margin
    p_high = float(stats.norm.cdf((estimate - margin) / se))  # H0: effect >= margin
    p = max(p_low, p_high)
    return p, bool(p < alpha)


def equivalence_margin(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    n_treated: int,
    n_control: int,
    alpha: float = 0.05,
    power: float = MARGIN_POWER,
) -> float:
    """The placebo outcome's minimum detectable effect (Bloom 1995) for the sample at hand."""
    y = frame[outcome].to_numpy(dtype=float, na_value=np.nan)
    d = frame[treatment].to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(y)
    y1, y0 = y[ok & (d == 1)], y[ok & (d == 0)]
    if len(y1) < 2 or len(y0) < 2:
        return math.nan
    if np.isin(y[ok], (0.0, 1.0)).all():
        return minimum_detectable_proportion(n_treated, n_control, float(y0.mean()), alpha, power)
    sd = math.sqrt((np.var(y1, ddof=1) + np.var(y0, ddof=1)) / 2)
    return minimum_detectable_effect(n_treated, n_control, sd, alpha, power)


def placebo_covariates(
    frame: pd.DataFrame, outcome: str, covariates: Sequence[str]
) -> tuple[pd.DataFrame, list[str], dict[str, Any]]:
    """The frame and covariates for a placebo run: windows reaching the placebo months left out,
    spell lengths capped at the month before them."""
    match = _PLACEBO_START.search(outcome)
    if match is None:
        return frame, list(covariates), {}
    start = int(match.group(1))
    dropped = [
        c for c in covariates if (m := _WINDOW.search(c)) is not None and int(m.group(1)) >= start
    ]
    capped = [c for c in covariates if c in SPELL_COVARIATES and c in frame.columns]
    kept = [c for c in covariates if c not in dropped]
    if capped:
        frame = frame.assign(**{c: frame[c].clip(upper=start - 1) for c in capped})
    info = {"covariates_excluded": dropped, "covariates_capped": capped, "cap": start - 1}
    return frame, kept, info if (dropped or capped) else {}


def equivalence_test(
    result: EffectResult,
    frame: pd.DataFrame,
    treatment: str = "treated",
    *,
    margin: float | None = None,
    alpha: float = 0.05,
    power: float = MARGIN_POWER,
    details: dict[str, Any] | None = None,
) -> PlaceboTest:
    """The TOST of a placebo estimate already made; the margin from ``frame`` unless given."""
    rule = "given"
    if margin is None:
        margin = equivalence_margin(
            frame, result.outcome, treatment, result.n_treated, result.n_control, alpha, power
        )
        rule = f"mde at {round(power * 100)} % power, {round(alpha * 100)} % two-sided"
    p_eq, passes = tost(result.estimate, result.se, margin, alpha)
    z = stats.norm.ppf(1 - alpha)
    return PlaceboTest(
        outcome=result.outcome,
        estimator=result.estimator,
        estimate=result.estimate,
        se=result.se,
        ci_low=result.ci_low,
        ci_high=result.ci_high,
        level=result.level,
        margin=float(margin),
        margin_rule=rule,
        alpha=alpha,
        p_value_equivalence=p_eq,
        p_value_difference=result.p_value,
        passes=passes,
        status="equivalent"
        if passes
        else "different"
        if np.isfinite(result.p_value) and result.p_value < alpha
        else "inconclusive",
        n_treated=result.n_treated,
        n_control=result.n_control,
        details={
            **(details or {}),
            "test": "tost",
            "power": power,
            "equivalence_interval": [
                result.estimate - z * result.se,
                result.estimate + z * result.se,
            ],
        },
    )


def _estimate(
    estimator: str | Callable[..., EffectResult],
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    options: dict[str, Any],
) -> tuple[EffectResult, pd.DataFrame, dict[str, Any]]:
    """The estimator on one placebo outcome, with the placebo's covariate rules applied."""
    if callable(estimator):
        fn = estimator
    else:
        from evalkit.estimators import get

        fn = get(estimator)
    data, kept, info = placebo_covariates(frame, outcome, covariates)
    return fn(data, outcome, treatment, kept, **options), data, info


def placebo_equivalence(
    estimator: str | Callable[..., EffectResult],
    frame: pd.DataFrame,
    placebo_outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    margin: float | None = None,
    alpha: float = 0.05,
    power: float = MARGIN_POWER,
    **options: Any,
) -> PlaceboTest:
    """Run the estimator on a placebo outcome and test equivalence to zero within the margin.

    ``margin`` overrides the rule (the placebo outcome's MDE at ``power`` and ``alpha``).
    ``options`` go to the estimator (the headline's weights, cluster, trim ...).
    """
    r, data, info = _estimate(estimator, frame, placebo_outcome, treatment, covariates, options)
    return equivalence_test(
        r, data, treatment, margin=margin, alpha=alpha, power=power, details=info
    )


def placebo(
    estimator: str | Callable[..., EffectResult],
    frame: pd.DataFrame,
    placebo_outcome: str | Sequence[str],
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    margin: float | None = None,
    alpha: float = 0.05,
    power: float = MARGIN_POWER,
    **options: Any,
) -> EffectResult | EffectResults:
    """The placebo estimate(s) as effect results, with the equivalence test in ``details``.

    ``details["placebo"] = True``; ``details["placebo_passes"]`` is the equivalence decision
    (see ``placebo_equivalence``); ``details["placebo_test"]`` holds margin and p-values. A list
    of outcomes gives an ``EffectResults``.
    """
    names = [placebo_outcome] if isinstance(placebo_outcome, str) else list(placebo_outcome)
    results = []
    for outcome in names:
        r, data, info = _estimate(estimator, frame, outcome, treatment, covariates, options)
        test = equivalence_test(
            r, data, treatment, margin=margin, alpha=alpha, power=power, details=info
        ).to_dict()
        for key in ("outcome", "estimator", "estimate", "se", "ci_low", "ci_high", "level"):
            test.pop(key)
        extra = {"placebo": True, "placebo_passes": test["passes"], "placebo_test": test}
        results.append(r.with_(details={**r.details, **extra}))
    return results[0] if isinstance(placebo_outcome, str) else EffectResults(results)
