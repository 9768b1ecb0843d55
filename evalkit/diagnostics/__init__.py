"""Diagnostics that say how far to trust an effect estimate, and ``diagnose`` that runs them all.

``diagnose`` describes the headline estimate's own fit (``EffectResult.fit``: its weights and
scores), never a refit, and returns only aggregates (SMDs, histogram counts, shares, E-values,
robustness values, MDE, placebo estimates): nothing person-level, and JSON-safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.diagnostics.balance import balance_table
from evalkit.diagnostics.benchmark import regression_sensitivity
from evalkit.diagnostics.overlap import overlap_summary
from evalkit.diagnostics.placebo import placebo
from evalkit.diagnostics.power import minimum_detectable_effect, minimum_detectable_proportion
from evalkit.diagnostics.sensitivity import (
    benchmark_multiplier,
    benchmarked_sensitivity,
    e_value,
    e_value_for_difference,
    ovb_bound,
    robustness_value,
    rr_from_proportions,
    rr_from_smd,
)
from evalkit.errors import EstimationError, EvalkitError
from evalkit.estimators import get
from evalkit.estimators._inputs import prepare
from evalkit.estimators.propensity import PropensityFit, att_weights_of
from evalkit.estimators.regression import regression
from evalkit.estimators.result import EffectResult, _clean

BALANCE_KEYS = ("covariate", "smd_before", "smd_after", "vr_before", "vr_after")
#: The label of a default logit fitted by ``diagnose`` when no estimate's fit is given.
REFIT = "ipw_att"
REFIT_NOTE = "ipw_att (refit: no estimate's fit given)"


def _is_binary(values: np.ndarray) -> bool:
    """Whether a numeric outcome takes only the values 0 and 1."""
    return bool(len(values)) and bool(np.isin(values, (0.0, 1.0)).all())


def _outcome_summary(
    frame: pd.DataFrame, outcome: str, treatment: str
) -> tuple[np.ndarray, np.ndarray, bool, float]:
    """Treated and control outcome arrays (non-missing), whether binary, and the pooled SD."""
    y = frame[outcome].to_numpy(dtype=float, na_value=np.nan)
    d = frame[treatment].to_numpy(dtype=float, na_value=np.nan)
    ok = np.isfinite(y)
    y1, y0 = y[ok & (d == 1)], y[ok & (d == 0)]
    binary = _is_binary(y[ok])
    var1 = np.var(y1, ddof=1) if len(y1) > 1 else 0.0
    var0 = np.var(y0, ddof=1) if len(y0) > 1 else 0.0
    return y1, y0, binary, float(math.sqrt((var1 + var0) / 2))


def sensitivity_summary(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: Sequence[str],
    estimate: EffectResult,
    regression_result: EffectResult | None = None,
    *,
    benchmark: str | None = None,
    target: float | None = None,
) -> dict[str, Any]:
    """E-values of ``estimate``, robustness values of the regression estimate, and how strong a
    confounder must be, as a multiple of the strongest observed covariate (or ``benchmark``), to
    move the regression's interval across zero (``benchmarked``) and across ``target``
    (``benchmarked_target``; Cinelli & Hazlett 2020)."""
    y1, _, binary, sd = _outcome_summary(frame, outcome, treatment)
    out = e_value_for_difference(
        estimate.estimate,
        estimate.ci_low if math.isfinite(estimate.ci_low) else None,
        estimate.ci_high if math.isfinite(estimate.ci_high) else None,
        binary=binary,
        treated_mean=float(y1.mean()) if len(y1) else None,
        outcome_sd=sd if sd > 0 else None,
    )
    out["estimator"] = estimate.estimator
    reg = regression_result or regression(frame, outcome, treatment, covariates)
    rv = robustness_value(reg)
    out.update(
        robustness_value=rv["rv_q"],
        robustness_value_alpha=rv["rv_qa"],
        partial_r2=rv["partial_r2"],
    )
    if covariates:
        out["benchmarked"] = regression_sensitivity(
            frame, outcome, treatment, covariates, benchmark=benchmark
        )
        if target is not None:
            out["benchmarked_target"] = regression_sensitivity(
                frame, outcome, treatment, covariates, benchmark=benchmark, target=target
            )
    return out


def _rows_of(frame: pd.DataFrame, fit: PropensityFit) -> np.ndarray:
    """Positions in ``frame`` of the units a fit used; an error if the fit is of another frame."""
    positions = frame.index.get_indexer(fit.index)
    if (positions < 0).any() or not frame.index.is_unique:
        raise EstimationError(
            "the fit does not belong to this frame (row labels differ)", estimator=fit.estimator
        )
    return positions


def _refit(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    trim: tuple[float, float] | float | None,
) -> PropensityFit:
    """A default logit's ATT weights, for callers that pass no estimate's fit (marked refit)."""
    p = prepare(frame, treatment, treatment, covariates, estimator=REFIT)
    return att_weights_of(p, trim=trim).record(p)


def _balance_block(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    extra: Sequence[str],
    fit: PropensityFit,
) -> dict[str, Any]:
    """Balance of every covariate (and ``extra`` column) before and after the fit's weights."""
    rows = frame.iloc[_rows_of(frame, fit)].assign(**{treatment: fit.treated.astype(float)})
    source = REFIT_NOTE if fit.estimator == REFIT else f"{fit.estimator} (the estimate's own fit)"
    out: dict[str, Any] = {"balance_weighting": source}
    for key, columns in (("balance", covariates), ("balance_extra", extra)):
        if key == "balance_extra" and not columns:
            continue
        table = balance_table(rows, treatment, columns, weights=fit.weights)
        out[key] = [{k: row[k] for k in BALANCE_KEYS} for row in table.to_dict(orient="records")]
        after = table["smd_after"].abs()
        out.setdefault("balance_summary", {})[f"max_abs_smd_after_{key}"] = (
            float(after.max()) if after.notna().any() else None
        )
    return out


def diagnose(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    outcome: str | None = None,
    *,
    estimate: EffectResult | None = None,
    estimator: str = "aipw",
    fit: PropensityFit | None = None,
    balance_columns: Sequence[str] = (),
    placebo_outcomes: Sequence[str] = (),
    bins: int = 20,
    trim: tuple[float, float] | float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
    benchmark: str | None = None,
    target: float | None = None,
) -> dict[str, Any]:
    """Balance, overlap and, given an outcome, sensitivity, MDE and placebo estimates.

    Balance and overlap describe ``fit`` — what the headline estimate actually used
    (``EffectResult.fit``; taken from ``estimate`` when not given): its rows, its ATT weights
    after trimming, its scores — never a refit. Without any fit (callers not yet converted) a
    default logit is refitted and ``balance_weighting`` says so. ``balance`` rows {covariate,
    smd_before, smd_after, vr_before, vr_after} cover every covariate (text ones per level),
    ``balance_extra`` the same for ``balance_columns`` (e.g. the pre-programme outcome path
    ``work_or_study_b1..b36``, ``assistance_sek_b1..b36``), ``balance_summary`` their largest
    |SMD| after weighting. ``overlap`` (``overlap_summary``) reports shares of *participants*
    outside common support and trimmed, naming that denominator. ``sensitivity`` has E-values,
    robustness values and the benchmarked confounder strength (``sensitivity_summary``; ``target``
    e.g. a goal's target). A part that cannot be computed is left out and its error named in
    ``errors``. Only aggregates are returned, JSON-safe.
    """
    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    if fit is None and estimate is not None:
        fit = estimate.fit
    try:
        used = fit if fit is not None else _refit(frame, treatment, covariates, trim)
        out.update(_balance_block(frame, treatment, covariates, balance_columns, used))
        out["overlap"] = overlap_summary(used.ps, used.treated, bins, trimmed=used.trimmed)
    except EvalkitError as exc:
        errors["balance"] = f"{type(exc).__name__}: {exc}"
    if outcome is not None:
        y1, y0, binary, sd = _outcome_summary(frame, outcome, treatment)
        try:
            if binary:
                p0 = float(y0.mean()) if len(y0) else 0.0
                mde = minimum_detectable_proportion(len(y1), len(y0), p0, alpha, power)
                out["mde"] = {"mde": mde, "sd": math.sqrt(p0 * (1 - p0)), "binary": True}
            else:
                mde = minimum_detectable_effect(len(y1), len(y0), sd, alpha, power)
                out["mde"] = {"mde": mde, "sd": sd, "binary": False}
            out["mde"].update(alpha=alpha, power=power)
        except (EvalkitError, ValueError) as exc:
            errors["mde"] = f"{type(exc).__name__}: {exc}"
        try:
            result = estimate or get(estimator)(frame, outcome, treatment, covariates)
            out["sensitivity"] = sensitivity_summary(
                frame, outcome, treatment, covariates, result, benchmark=benchmark, target=target
            )
        except EvalkitError as exc:
            errors["sensitivity"] = f"{type(exc).__name__}: {exc}"
    placebo_rows = []
    for name in placebo_outcomes:
        try:
            entry = placebo(estimator, frame, name, treatment, covariates).to_dict()
            entry["placebo_passes"] = entry.pop("details")["placebo_passes"]
            placebo_rows.append(entry)
        except EvalkitError as exc:
            errors[f"placebo:{name}"] = f"{type(exc).__name__}: {exc}"
    if placebo_outcomes:
        out["placebo"] = placebo_rows
    if errors:
        out["errors"] = errors
    return _clean(out)


__all__ = [
    "balance_table",
    "benchmark_multiplier",
    "benchmarked_sensitivity",
    "ovb_bound",
    "regression_sensitivity",
    "diagnose",
    "e_value",
    "e_value_for_difference",
    "minimum_detectable_effect",
    "minimum_detectable_proportion",
    "overlap_summary",
    "placebo",
    "robustness_value",
    "rr_from_proportions",
    "rr_from_smd",
    "sensitivity_summary",
]
