"""Nonparametric (optionally cluster) bootstrap of any cross-sectional estimator, seeded.

Replicates run through ``replicates.run_replicates``: seeded per replicate with
``SeedSequence(seed).spawn(reps)`` and executed serially, on a process pool or on a Dask cluster
with identical numbers.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators import resolve
from evalkit.estimators.columns import Where, require_columns
from evalkit.estimators.replicates import MapExecutor, run_replicates
from evalkit.estimators.result import EffectResult, inference

Estimator = Callable[..., EffectResult]


def _one_replicate(
    rng: np.random.Generator,
    fn: Estimator,
    frame: pd.DataFrame,
    codes: np.ndarray | None,
    call: tuple[Any, ...],
    options: dict[str, Any],
) -> float | None:
    """The estimate on one resample, or None where the estimator cannot estimate."""
    outcome, treatment, covariates, weights = call
    sample = frame.iloc[resample_positions(len(frame), rng, codes)].reset_index(drop=True)
    try:
        r = fn(sample, outcome, treatment, covariates, weights=weights, cluster=None, **options)
    except InsufficientDataError:
        return None
    return r.estimate if np.isfinite(r.estimate) else None


def resample_positions(
    n: int, rng: np.random.Generator, cluster_codes: np.ndarray | None = None
) -> np.ndarray:
    """Row positions of one bootstrap sample: rows, or whole clusters, drawn with replacement."""
    if cluster_codes is None:
        return rng.integers(0, n, size=n)
    order = np.argsort(cluster_codes, kind="stable")
    counts = np.bincount(cluster_codes)
    starts = np.concatenate([[0], np.cumsum(counts)[:-1]])
    drawn = rng.integers(0, len(counts), size=len(counts))
    return np.concatenate([order[starts[g] : starts[g] + counts[g]] for g in drawn])


def bootstrap(
    estimator: str | Estimator,
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    reps: int = 499,
    seed: int = 20261126,
    level: float = 0.95,
    executor: MapExecutor | None = None,
    chunks: int | None = None,
    **options: Any,
) -> EffectResult:
    """Re-estimate on ``reps`` resamples; SE = SD of the replicates, CI = their percentiles.

    Rows are drawn with replacement (whole clusters when ``cluster`` is given); replicate r
    draws with ``default_rng(SeedSequence(seed).spawn(reps)[r])``, so the same seed gives the
    same result whether it runs serially (default), on ``executor`` (e.g. a
    ``ProcessPoolExecutor`` or a ``dask.distributed`` client's ``get_executor()``) or in any
    number of ``chunks``. The point estimate is the estimator's on the full data. Replicates
    where the estimator cannot estimate (e.g. no controls drawn) are skipped and counted in
    ``details["n_failed"]``. For ``matching`` with a fixed number of neighbours the bootstrap
    is not valid (Abadie & Imbens 2008); a note says so.
    """
    name, fn = resolve(estimator)
    if reps < 2:
        raise EstimationError(
            f"reps must be at least 2, got {reps}", estimator=name, outcome=outcome
        )
    base = fn(frame, outcome, treatment, covariates, weights=weights, cluster=None, **options)
    codes = None
    if cluster is not None:
        where = Where("data", name, outcome)
        require_columns(frame, [cluster], where)
        codes, _ = pd.factorize(frame[cluster])
        if (codes < 0).any():
            n_bad = int((codes < 0).sum())
            raise where.error(
                f"cluster column '{cluster}' has {n_bad} missing values",
                column=cluster,
                rule="not_missing",
                count=n_bad,
            )
    values_or_none = run_replicates(
        _one_replicate,
        reps,
        seed,
        fn,
        frame,
        codes,
        (outcome, treatment, covariates, weights),
        options,
        executor=executor,
        chunks=chunks,
    )
    draws = [v for v in values_or_none if v is not None]
    failed = reps - len(draws)
    if len(draws) < 2:
        raise InsufficientDataError(
            f"only {len(draws)} of {reps} bootstrap replicates could be estimated",
            estimator=name,
            outcome=outcome,
        )
    values = np.asarray(draws)
    se = float(values.std(ddof=1))
    alpha = 1 - level
    lo, hi = (float(v) for v in np.quantile(values, [alpha / 2, 1 - alpha / 2]))
    _, _, p_value = inference(base.estimate, se, level)
    details = {
        **base.details,
        "se_method": "bootstrap" + (" (cluster)" if cluster else ""),
        "ci_method": "percentile",
        "reps": reps,
        "n_failed": failed,
        "seed": seed,
        "seeding": "numpy SeedSequence(seed).spawn(reps)",
        "se_analytic": base.se,
    }
    if cluster:
        details["cluster"] = cluster
        details["n_clusters"] = int(codes.max()) + 1 if codes is not None else None
    if name == "matching":
        details.setdefault("notes", [])
        details["notes"] = [
            *details["notes"],
            "bootstrap is not valid for nearest-neighbour matching (Abadie & Imbens 2008)",
        ]
    return base.with_(
        se=se, ci_low=lo, ci_high=hi, p_value=p_value, level=level, details=details, influence=None
    )
