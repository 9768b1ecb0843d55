"""The decision parts of a registers-mode measure that need persons or registers (issue 12).

Effects over the horizon (``audit.horizon``: cumulative effects, monthly path, lock-in, the
functionals the cost perspectives use) need the person-level analysis sample; the Kolada
benchmark (``audit.benchmark``) needs the participations register. Both are computed here, where
the pipeline still holds them, and only aggregates leave: the pipeline puts the two parts on the
results (``MeasureResults.horizon``, ``.benchmark``) in one call.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import pandas as pd

from evalkit.audit.benchmark import benchmark_block
from evalkit.audit.goals import MIN_TREATED_FOR_EFFECT
from evalkit.audit.horizon import horizon_effects, typical_duration
from evalkit.params import Params

#: The aipw options a params file may set that the horizon's AIPW uses as well.
AIPW_OPTIONS = ("trim", "penalty")


def registers_parts(
    frame: pd.DataFrame,
    tables: Mapping[str, pd.DataFrame],
    params: Params,
    covariates: Sequence[str],
) -> dict[str, Any]:
    """``{"horizon": Horizon, "benchmark": BenchmarkBlock | None}`` for ``MeasureResults``.

    The horizon uses the headline's AIPW with the same covariates, clustering by person and the
    params' ``aipw`` options; it is computed only on at least ``MIN_TREATED_FOR_EFFECT`` (and
    ``min_cell``) participants, so no path describes a handful of people.
    """
    participations = tables.get("participations")
    intake = (params.design.intake.start, params.design.intake.end)
    options = {
        k: v for k, v in params.estimator_options.get("aipw", {}).items() if k in AIPW_OPTIONS
    }
    horizon = horizon_effects(
        frame,
        covariates,
        treatment="treated",
        cluster="cluster_id",
        chosen=params.horizon_months,
        duration=typical_duration(participations, params.measure_id, intake),
        discount_rate=params.costs.discount_rate,
        min_treated=max(MIN_TREATED_FOR_EFFECT, params.report.min_cell),
        seed=params.report.seed,
        options=options,
    )
    benchmark = benchmark_block(params.benchmark, participations, min_cell=params.report.min_cell)
    return {"horizon": horizon, "benchmark": benchmark}
