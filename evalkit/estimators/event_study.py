"""Event study: effects by period relative to treatment start, with a joint pre-trend test.

A two-way fixed effects regression of the outcome on relative-time dummies (one per period since
start, except the reference period, default −1), unit and period effects, clustered by unit.
Far leads and lags can be binned into end-point dummies. Never-treated units (cohort 0) have all
dummies zero. The joint Wald test that every pre-period coefficient is zero is the pre-trend test.
Like ``twfe``, under heterogeneous effects across cohorts the coefficients can mix periods (Sun &
Abraham 2021); ``cs_did``'s dynamic aggregation does not.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.errors import EstimationError
from evalkit.estimators._panel import cohort_column, period_column, require_columns
from evalkit.estimators.result import EffectResult, EffectResults
from evalkit.estimators.twfe import fit_panel_ols
from evalkit.estimators.warnings import count_warnings

ESTIMATOR = "event_study"


def relative_time(frame: pd.DataFrame, *, time: str, cohort: str) -> np.ndarray:
    """Periods since start (time − cohort) per row, in months for month dates; NaN if never treated."""
    t, months = period_column(frame, time)
    g = cohort_column(frame, cohort, months=months).astype(float)
    return np.where(g > 0, t - g, np.nan)


def _name(k: int) -> str:
    """Regressor name of relative period k."""
    return f"rel_m{-k}" if k < 0 else f"rel_p{k}"


def wald_pretrend(
    params: pd.Series, cov: pd.DataFrame, names: Sequence[str]
) -> dict[str, Any] | None:
    """Joint Wald test that the named coefficients are all zero: {stat, df, p_value}."""
    if not names:
        return None
    b = params[list(names)].to_numpy()
    v = cov.loc[list(names), list(names)].to_numpy()
    stat = float(b @ np.linalg.pinv(v) @ b)
    df = int(np.linalg.matrix_rank(v))
    return {
        "stat": stat,
        "df": df,
        "p_value": float(stats.chi2.sf(stat, df)),
        "coefficients": list(names),
    }


def event_study(
    frame: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    ref: int = -1,
    min_rel: int | None = None,
    max_rel: int | None = None,
    covariates: Sequence[str] = (),
    weights: str | None = None,
    cov_type: str = "clustered",
    cluster: str | None = None,
    level: float = 0.95,
) -> EffectResults:
    """Relative-time effects (one EffectResult per period since start, ``event_time`` = k).

    ``min_rel``/``max_rel`` bin leads before ``min_rel`` and lags after ``max_rel`` into the
    end-point coefficients (their ``details["binned"]`` is True). The reference period is included
    with estimate 0 and no SE. ``details["pretrend"]`` = {stat, df, p_value} of the joint test of
    all pre-period coefficients.
    """
    require_columns(frame, [unit, time, cohort, outcome])
    rel = relative_time(frame, time=time, cohort=cohort)
    treated = ~np.isnan(rel)
    if not treated.any():
        raise EstimationError(
            "no treated units (every cohort is 0 or empty)", estimator=ESTIMATOR, outcome=outcome
        )
    k = rel.copy()
    lo = np.nanmin(k) if min_rel is None else min_rel
    hi = np.nanmax(k) if max_rel is None else max_rel
    if not lo <= ref <= hi:
        raise ValueError(f"reference period {ref} is outside the relative-time window [{lo}, {hi}]")
    k = np.where(treated, np.clip(k, lo, hi), np.nan)
    periods = [int(p) for p in np.unique(k[treated]) if p != ref]
    if not periods:
        raise EstimationError(
            "no relative periods besides the reference", estimator=ESTIMATOR, outcome=outcome
        )
    data = frame.copy()
    names = []
    for p in periods:
        name = _name(p)
        names.append(name)
        data[name] = (k == p).astype(float)
    if not np.any(~treated) and min_rel is None and max_rel is None:
        # without never-treated units the full set of relative-time dummies and the period
        # effects are collinear
        raise EstimationError(
            "no never-treated units: bin far leads/lags with min_rel/max_rel",
            estimator=ESTIMATOR,
            outcome=outcome,
        )
    res = fit_panel_ols(
        data,
        outcome,
        [*names, *covariates],
        unit=unit,
        time=time,
        weights=weights,
        cov_type=cov_type,
        cluster=cluster,
        estimator=ESTIMATOR,
    )
    ci = res.conf_int(level=level)
    units = frame[unit].astype(str).to_numpy()
    n_control = len(np.unique(units[~treated]))
    results = []
    for p, name in zip(periods, names, strict=True):
        rows = k == p
        results.append(
            EffectResult(
                estimator=ESTIMATOR,
                outcome=outcome,
                estimate=float(res.params[name]),
                se=float(res.std_errors[name]),
                ci_low=float(ci.loc[name, "lower"]),
                ci_high=float(ci.loc[name, "upper"]),
                p_value=float(res.pvalues[name]),
                n_treated=len(np.unique(units[rows])),
                n_control=n_control,
                level=level,
                aggregation="dynamic",
                event_time=p,
                details={
                    "binned": bool(
                        (p == lo and min_rel is not None) or (p == hi and max_rel is not None)
                    )
                },
                warnings=count_warnings(len(np.unique(units[rows]))),
            )
        )
    results.append(
        EffectResult(
            estimator=ESTIMATOR,
            outcome=outcome,
            estimate=0.0,
            se=float("nan"),
            ci_low=float("nan"),
            ci_high=float("nan"),
            p_value=float("nan"),
            n_treated=len(np.unique(units[k == ref])),
            n_control=n_control,
            level=level,
            aggregation="dynamic",
            event_time=int(ref),
            details={"reference": True},
        )
    )
    results.sort(key=lambda r: r.event_time)
    pre = [name for p, name in zip(periods, names, strict=True) if p < 0]
    details: dict[str, Any] = {
        "ref": int(ref),
        "window": [int(lo), int(hi)],
        "cov_type": cov_type,
        "n_obs": int(res.nobs),
        "n_units": int(res.entity_info["total"]),
    }
    pretrend = wald_pretrend(res.params, res.cov, pre)
    if pretrend is not None:
        details["pretrend"] = pretrend
    return EffectResults(results, details=details)
