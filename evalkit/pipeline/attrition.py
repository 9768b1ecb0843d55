"""Attrition in registers mode: people whose registers end before an outcome's horizon.

Their outcome is missing (the analysis sample never counts them as "not working, no
assistance"). For every outcome whose ``observed_{h}m`` is not 1 for all units that reached the
horizon, inverse-probability-of-censoring weights (``evalkit.estimators.attrition``, a logit of
being observed at h on treatment and the headline's covariates) are put in a column
``_ipcw_{h}m`` and handed to every adjusting estimator as ``weights=``; units past the data's end
(horizon not reached) keep weight 1 and are dropped for their missing outcome as before. Lee
(2009) bounds on the headline outcome, under the headline's propensity weighting, are the
sensitivity check that needs no model of why people leave.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pandas as pd

from evalkit.estimators.attrition import censoring_weights, lee_bounds, observed_column
from evalkit.estimators.propensity import propensity_score
from evalkit.results import AttritionRow, CensoringSummary, LeeBoundsPart

_HORIZON = re.compile(r"_(\d+)m$")
#: Bootstrap replications of the Lee bounds' interval.
LEE_REPS = 199


def outcome_horizon(outcome: str) -> int | None:
    """Months after start at which ``outcome`` is measured (its ``_{h}m`` suffix)."""
    match = _HORIZON.search(outcome)
    return int(match.group(1)) if match else None


def censoring(
    frame: pd.DataFrame, outcomes: list[str], treatment: str, covariates: list[str]
) -> tuple[dict[str, str], list[CensoringSummary]]:
    """IPCW weight columns added to ``frame`` (in place) for outcomes with attrition.

    Returns ``{outcome: weight column}`` for the outcomes that need weights, and a summary per
    outcome with an ``observed_{h}m`` column.
    """
    weights: dict[str, str] = {}
    summaries: list[CensoringSummary] = []
    for outcome in outcomes:
        h = outcome_horizon(outcome)
        flag = observed_column(h) if h is not None else None
        if flag is None or flag not in frame.columns:
            continue
        reached = frame[flag].notna()
        seen = frame.loc[reached, flag] == 1
        if bool(seen.all()):
            summaries.append(
                CensoringSummary(
                    outcome=outcome,
                    horizon=h,
                    weighted=False,
                    observed_share_treated=1.0,
                    observed_share_control=1.0,
                    n_censored_treated=0,
                    n_censored_control=0,
                )
            )
            continue
        column = f"_ipcw_{h}m"
        fit = censoring_weights(frame.loc[reached], h, treatment, covariates)
        if column not in frame.columns:
            w = pd.Series(1.0, index=frame.index)
            w.loc[reached] = fit.weights
            frame[column] = w.to_numpy()
        weights[outcome] = column
        summaries.append(
            CensoringSummary(
                outcome=outcome,
                horizon=h,
                weighted=True,
                observed_share_treated=fit.observed_share_treated,
                observed_share_control=fit.observed_share_control,
                n_censored_treated=fit.n_censored_treated,
                n_censored_control=fit.n_censored_control,
                max_weight=fit.max_weight,
            )
        )
    return weights, summaries


def lee_check(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str,
    covariates: list[str],
    *,
    seed: int,
    cluster: str = "cluster_id",
) -> LeeBoundsPart | None:
    """Lee bounds on ``outcome`` among units that reached its horizon, under ATT weights from a
    logit on the headline's covariates (treated 1, comparison units e/(1 − e)); None without
    attrition."""
    h = outcome_horizon(outcome)
    flag = observed_column(h) if h is not None else None
    if flag is None or flag not in frame.columns:
        return None
    rows = frame[frame[flag].notna()]
    if bool((rows[flag] == 1).all()):
        return None
    ps = propensity_score(rows, treatment, covariates)
    d = rows[treatment].to_numpy(dtype=float)
    with np.errstate(divide="ignore", invalid="ignore"):
        att = np.where(d == 1, 1.0, ps / (1 - ps))
    att = np.where(np.isfinite(att), att, 0.0)
    data = rows.assign(_lee_w=att)
    bounds = lee_bounds(
        data, outcome, treatment, observed=flag, weights="_lee_w", cluster=cluster,
        reps=LEE_REPS, seed=seed,
    )  # fmt: skip
    return LeeBoundsPart.model_validate(
        {k: v for k, v in bounds.to_dict().items() if k in LeeBoundsPart.model_fields}
    )


def attrition_rows(info: dict) -> list[AttritionRow]:
    """The sample's attrition table (``AnalysisSample.describe()["attrition"]``) as rows."""
    rows = []
    for key, groups in (info.get("attrition") or {}).items():
        h = outcome_horizon(f"x_{key}")
        for group, counts in groups.items():
            share = counts.get("share_not_observed")
            rows.append(
                AttritionRow(
                    horizon=h,
                    group=group,
                    n=counts.get("n"),
                    n_not_observed=counts.get("n_not_observed"),
                    share_not_observed=share if share is not None else math.nan,
                )
            )
    return rows


__all__ = ["LEE_REPS", "attrition_rows", "censoring", "lee_check", "outcome_horizon"]
