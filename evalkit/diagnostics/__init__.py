"""Diagnostics that say how far to trust an effect estimate, and ``diagnose`` that runs them all.

``diagnose`` returns only aggregates (SMDs, histogram counts, shares, E-values, MDE, placebo
estimates): nothing person-level, and JSON-safe.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.diagnostics.balance import balance_table
from evalkit.diagnostics.overlap import overlap_summary
from evalkit.diagnostics.placebo import placebo
from evalkit.diagnostics.power import minimum_detectable_effect, minimum_detectable_proportion
from evalkit.diagnostics.sensitivity import (
    e_value,
    e_value_for_difference,
    robustness_value,
    rr_from_proportions,
    rr_from_smd,
)
from evalkit.errors import EvalkitError
from evalkit.estimators.result import EffectResult, _clean

BALANCE_KEYS = ("covariate", "smd_before", "smd_after", "vr_before", "vr_after")


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
) -> dict[str, Any]:
    """E-values of ``estimate`` and the robustness value of the regression estimate."""
    from evalkit.estimators.regression import regression

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
    return out


def diagnose(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    outcome: str | None = None,
    *,
    estimate: EffectResult | None = None,
    estimator: str = "aipw",
    placebo_outcomes: Sequence[str] = (),
    bins: int = 20,
    trim: tuple[float, float] | float | None = None,
    alpha: float = 0.05,
    power: float = 0.8,
) -> dict[str, Any]:
    """Balance (before/after IPW ATT weights), overlap, and, given an outcome, sensitivity, MDE, placebo.

    The shape of CONTRACTS.md ``diagnostics``: ``balance`` rows {covariate, smd_before,
    smd_after, vr_before, vr_after}; ``overlap`` {bin_edges, treated_counts, control_counts,
    share_outside_support, ...}; ``sensitivity`` {e_value, e_value_ci, robustness_value, ...} of
    ``estimate`` (default: ``estimator`` run here); ``mde`` {mde, ...}; ``placebo`` [estimates].
    A part that cannot be computed is left out and its error named in ``errors``.
    """
    from evalkit.estimators import get
    from evalkit.estimators.propensity import propensity_score

    out: dict[str, Any] = {}
    errors: dict[str, str] = {}
    d = frame[treatment].to_numpy(dtype=float, na_value=np.nan)
    try:
        ps = propensity_score(frame, treatment, covariates).to_numpy()
        with np.errstate(divide="ignore", invalid="ignore"):
            w = np.where(d == 1, 1.0, ps / (1 - ps))
        table = balance_table(frame, treatment, covariates, weights=w)
        out["balance"] = [
            {k: row[k] for k in BALANCE_KEYS} for row in table.to_dict(orient="records")
        ]
        out["balance_weighting"] = "ipw_att"
        out["overlap"] = overlap_summary(ps, d, bins, trim=trim)
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
            out["sensitivity"] = sensitivity_summary(frame, outcome, treatment, covariates, result)
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
