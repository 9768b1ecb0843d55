"""Placebo check: an estimator run on an outcome measured before the measure started."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import pandas as pd

from evalkit.estimators.result import EffectResult, EffectResults


def placebo(
    estimator: str | Callable[..., EffectResult],
    frame: pd.DataFrame,
    placebo_outcome: str | Sequence[str],
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    **options: Any,
) -> EffectResult | EffectResults:
    """Estimate the 'effect' on pre-period outcome(s); the measure cannot have caused one.

    An interval that excludes zero warns of confounding the covariates miss. Each result has
    ``details["placebo"] = True`` and ``details["placebo_passes"]`` (interval covers zero).
    A list of outcomes gives an ``EffectResults``.
    """
    if callable(estimator):
        fn = estimator
    else:
        from evalkit.estimators import get

        fn = get(estimator)
    names = [placebo_outcome] if isinstance(placebo_outcome, str) else list(placebo_outcome)
    results = []
    for name in names:
        r = fn(frame, name, treatment, covariates, **options)
        passes = not r.significant
        results.append(r.with_(details={**r.details, "placebo": True, "placebo_passes": passes}))
    return results[0] if isinstance(placebo_outcome, str) else EffectResults(results)
