"""Effects over the whole horizon: cumulative effects, the monthly path and the lock-in period.

Rules (quoted by the report's method appendix):

- **The horizon** the summary leads with is ``horizon_months`` from params, else the measure's
  typical duration (the median months between start and end of the participations that started
  in the intake and have ended) plus 12 months, at least 24 and at most 36. When too few
  participants are observed that long (fewer than ``min_treated``, or the data end first), the
  longest horizon of 36, 24 or 12 months with enough of them is used (``rule: shortened``).
- **Monthly path.** On the units observed through month h (the outcome of a unit whose registers
  end earlier is unknown, not zero), AIPW estimates the effect on being in work or studies and on
  assistance paid in each month 1..h with one propensity score and one outcome design
  (``estimators.aipw.aipw_many``). Every step of AIPW is linear in the outcome, so the effect on
  the sum of months is exactly the sum of the monthly effects, and any linear combination of
  months (a cumulative total, a discounted total, tax revenue) has its influence function, its
  standard error and its covariance with any other such combination, clustered by person.
- **Cumulative effects** at 12, 24, 36 months and at the chosen horizon: extra months in work or
  studies (``work_or_study_months_<h>m``) and SEK of assistance (``assistance_sek_<h>m``),
  undiscounted; at 12, 24 and 36 they equal AIPW on the sample's cumulative outcomes.
- **Discounting.** Month k after start is discounted by ``(1 + r) ** (-k / 12)`` (``r`` from
  params, default 3.5 % real per year, ASEK); costs are counted at the start.
- **Lock-in.** The month in which the cumulative effect on work or studies is lowest (0 when it
  never falls below zero): before it the measure keeps people from work, after it the path is
  positive on balance. If the lowest point is the horizon's last month, the path has not turned
  within the horizon. Its interval is the 2.5 and 97.5 percentiles of the same month over draws
  of the whole path from the normal distribution with the influence functions' covariance.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.months import month_number, month_numbers
from evalkit.errors import EvalkitError
from evalkit.estimators.aipw import AipwMany, aipw_many
from evalkit.estimators.result import inference
from evalkit.results import CumulativeEffect, Functionals, Horizon, LockIn, PathPoint

#: Horizons (months after start) with cumulative effects, besides the chosen one.
CUMULATIVE_HORIZONS = (12, 24, 36)
#: The shortest default horizon, and the months added to the typical duration.
MIN_HORIZON, AFTER_MEASURE = 24, 12
#: The longest path the sample holds.
MAX_HORIZON = 36
#: Draws of the path behind the lock-in interval.
LOCK_IN_DRAWS = 4000
#: Names of the functionals kept per horizon (SEK saved, months in work or studies, share in
#: work or studies in the horizon's last month; discounted ones end in ``_discounted``).
FUNCTIONALS = (
    "savings",
    "savings_discounted",
    "work_months",
    "work_months_discounted",
    "work_share_at_end",
)


def work_column(k: int) -> str:
    """The frame's column: in work or studies in month k after start (0/1, NaN if unobserved)."""
    return f"work_or_study_m{k}"


def assistance_column(k: int) -> str:
    """The frame's column: assistance SEK paid in month k after start (NaN if unobserved)."""
    return f"assistance_sek_m{k}"


def discount_factors(months: int, rate: float) -> np.ndarray:
    """``(1 + rate) ** (-k / 12)`` for k = 1..months."""
    return (1.0 + rate) ** (-np.arange(1, months + 1) / 12.0)


# --- the horizon -----------------------------------------------------------------------------


def typical_duration(
    participations: pd.DataFrame | None, measure_id: str, intake: tuple[str, str] | None = None
) -> float | None:
    """Median months between start and end of the measure's ended participations (started in
    the intake), or None when none has ended."""
    if participations is None or not {"measure_id", "start_date", "end_date"} <= set(
        participations.columns
    ):
        return None
    rows = participations[participations["measure_id"].astype("string") == str(measure_id)]
    start = pd.to_datetime(rows["start_date"], errors="coerce")
    end = pd.to_datetime(rows["end_date"], errors="coerce")
    keep = start.notna() & end.notna() & (end >= start)
    if intake is not None:
        months = month_numbers(start)
        lo, hi = (month_number(m) for m in intake)
        keep &= (months >= lo) & (months <= hi)
    if not keep.any():
        return None
    days = (end[keep] - start[keep]).dt.days + 1
    return float(np.median(days / (365.25 / 12)))


def default_horizon(duration: float | None) -> int:
    """Typical duration + 12 months, at least 24, at most 36."""
    if duration is None or not math.isfinite(duration):
        return MIN_HORIZON
    return int(min(MAX_HORIZON, max(MIN_HORIZON, math.ceil(duration - 1e-9) + AFTER_MEASURE)))


def observed_through(frame: pd.DataFrame, months: int) -> pd.Series:
    """Rows whose monthly outcomes are known in every month 1..months."""
    cols = [c(k) for k in range(1, months + 1) for c in (work_column, assistance_column)]
    missing = [c for c in cols if c not in frame.columns]
    if missing:
        return pd.Series(False, index=frame.index)
    return frame[cols].notna().all(axis=1)


def _enough(frame: pd.DataFrame, months: int, treatment: str, min_treated: int) -> bool:
    """Whether at least ``min_treated`` participants are observed through ``months``."""
    seen = observed_through(frame, months)
    return int(frame.loc[seen, treatment].sum()) >= min_treated


def choose_months(
    frame: pd.DataFrame,
    *,
    chosen: int | None,
    duration: float | None,
    treatment: str,
    min_treated: int,
) -> tuple[int | None, str]:
    """The horizon and its rule (``params``, ``duration_plus_12``, ``shortened``, or None and
    ``too_few_participants``)."""
    months = chosen if chosen is not None else default_horizon(duration)
    rule = "params" if chosen is not None else "duration_plus_12"
    if _enough(frame, months, treatment, min_treated):
        return months, rule
    for shorter in sorted((h for h in CUMULATIVE_HORIZONS if h < months), reverse=True):
        if _enough(frame, shorter, treatment, min_treated):
            return shorter, "shortened"
    return None, "too_few_participants"


# --- paths and functionals -------------------------------------------------------------------


def monthly_paths(
    frame: pd.DataFrame,
    months: int,
    covariates: Sequence[str],
    *,
    treatment: str = "treated",
    cluster: str | None = None,
    **options: Any,
) -> AipwMany:
    """AIPW on work or studies and on assistance in each month 1..months (columns in that
    order: ``work_or_study_m1..`` then ``assistance_sek_m1..``), on the units observed through
    the last month."""
    outcomes = [work_column(k) for k in range(1, months + 1)]
    outcomes += [assistance_column(k) for k in range(1, months + 1)]
    rows = frame[observed_through(frame, months)]
    return aipw_many(rows, outcomes, treatment, covariates, cluster=cluster, **options)


def combination(months: int, name: str, rate: float) -> np.ndarray:
    """The weights of a functional over the 2 × months path (work months, then SEK months)."""
    zero, one = np.zeros(months), np.ones(months)
    disc = discount_factors(months, rate)
    end = np.zeros(months)
    end[-1] = 1.0
    weights = {
        "savings": (zero, -one),
        "savings_discounted": (zero, -disc),
        "work_months": (one, zero),
        "work_months_discounted": (disc, zero),
        "work_share_at_end": (end, zero),
    }[name]
    return np.concatenate(weights)


def functionals(paths: AipwMany, months: int, rate: float) -> Functionals:
    """The functionals of one horizon with their joint covariance."""
    weights = np.column_stack([combination(months, n, rate) for n in FUNCTIONALS])
    cov = weights.T @ paths.covariance() @ weights
    return Functionals(
        horizon_months=months,
        names=list(FUNCTIONALS),
        estimates=[float(v) for v in paths.estimates @ weights],
        covariance=[[float(v) for v in row] for row in cov],
        n_treated=paths.n_treated,
        n_control=paths.n_control,
    )


def _interval(estimate: float, variance: float, level: float) -> dict[str, Any]:
    se = math.sqrt(variance) if variance > 0 else math.nan
    lo, hi, p = inference(estimate, se, level)
    return {"estimate": estimate, "se": se, "ci_low": lo, "ci_high": hi, "p_value": p}


def cumulative_effects(
    paths: AipwMany, months: int, *, level: float = 0.95
) -> list[CumulativeEffect]:
    """Extra months in work or studies and SEK of assistance over months 1..months."""
    cov = paths.covariance()
    out = []
    for outcome, weights in (
        (f"work_or_study_months_{months}m", combination(months, "work_months", 0.0)),
        (f"assistance_sek_{months}m", -combination(months, "savings", 0.0)),
    ):
        numbers = _interval(float(paths.estimates @ weights), float(weights @ cov @ weights), level)
        out.append(
            CumulativeEffect(
                outcome=outcome,
                months=months,
                estimator="aipw",
                n_treated=paths.n_treated,
                n_control=paths.n_control,
                **numbers,
            )
        )
    return out


def _points(values: np.ndarray, cov: np.ndarray, level: float) -> list[PathPoint]:
    """Path points from estimates and their covariance."""
    return [
        PathPoint(month=k + 1, **_interval(float(values[k]), float(cov[k, k]), level))
        for k in range(len(values))
    ]


def path_points(
    paths: AipwMany, months: int, rate: float, *, level: float = 0.95
) -> tuple[list[PathPoint], list[PathPoint], list[PathPoint]]:
    """The monthly effect on work or studies, its running total, and the running total of
    discounted assistance saved, for months 1..months."""
    cov = paths.covariance()
    theta = paths.estimates
    work = slice(0, months)
    lower = np.tril(np.ones((months, months)))
    running = lower @ theta[work]
    running_cov = lower @ cov[work, work] @ lower.T
    disc = np.diag(-discount_factors(months, rate))
    sek = slice(months, 2 * months)
    saved = lower @ disc @ theta[sek]
    saved_cov = lower @ disc @ cov[sek, sek] @ disc @ lower.T
    return (
        _points(theta[work], cov[work, work], level),
        _points(running, running_cov, level),
        _points(saved, saved_cov, level),
    )


def lowest_month(monthly: np.ndarray) -> np.ndarray:
    """Per row of monthly effects: the month (0..H) where the running total is lowest."""
    monthly = np.atleast_2d(monthly)
    running = np.concatenate([np.zeros((monthly.shape[0], 1)), np.cumsum(monthly, axis=1)], 1)
    return np.argmin(running, axis=1)


def _draws(mean: np.ndarray, cov: np.ndarray, n: int, seed: int) -> np.ndarray:
    """Draws from N(mean, cov) for a positive semi-definite cov (eigen factor)."""
    values, vectors = np.linalg.eigh((cov + cov.T) / 2)
    root = vectors * np.sqrt(np.clip(values, 0.0, None))
    z = np.random.default_rng(seed).standard_normal((n, len(mean)))
    return mean + z @ root.T


def lock_in(
    paths: AipwMany,
    months: int,
    *,
    seed: int,
    draws: int = LOCK_IN_DRAWS,
    level: float = 0.95,
) -> LockIn:
    """The lock-in period and its simulation interval (see the module docstring)."""
    work = slice(0, months)
    point = int(lowest_month(paths.estimates[work])[0])
    sims = lowest_month(_draws(paths.estimates[work], paths.covariance()[work, work], draws, seed))
    alpha = (1 - level) / 2
    lo, hi = (int(v) for v in np.quantile(sims, [alpha, 1 - alpha], method="inverted_cdf"))
    within = point < months
    return LockIn(
        months=point if within else None,
        ci_low=lo,
        ci_high=hi if hi < months else None,
        within_horizon=within,
        horizon_months=months,
        method="simulation",
        draws=draws,
        reason=None if within else "not_within_horizon",
    )


def horizon_effects(
    frame: pd.DataFrame,
    covariates: Sequence[str],
    *,
    treatment: str = "treated",
    cluster: str | None = None,
    chosen: int | None = None,
    duration: float | None = None,
    discount_rate: float = 0.035,
    min_treated: int = 30,
    seed: int = 0,
    level: float = 0.95,
    options: dict[str, Any] | None = None,
) -> Horizon:
    """Cumulative effects, the monthly path, the lock-in and the cost functionals (typed)."""
    options = dict(options or {})
    base = {
        "typical_duration_months": duration,
        "estimator": "aipw",
        "discount_rate": discount_rate,
    }
    if work_column(1) not in frame.columns:
        return Horizon(**base, reason="no_monthly_outcomes")
    months, rule = choose_months(
        frame, chosen=chosen, duration=duration, treatment=treatment, min_treated=min_treated
    )
    if months is None:
        return Horizon(**base, rule=rule, reason=rule)
    fit = {"treatment": treatment, "cluster": cluster, **options}
    cumulative: list[CumulativeEffect] = []
    found: list[Functionals] = []
    chosen_paths: AipwMany | None = None
    for h in sorted({*CUMULATIVE_HORIZONS, months}):
        if h > MAX_HORIZON or not _enough(frame, h, treatment, min_treated):
            continue
        try:
            paths = monthly_paths(frame, h, covariates, **fit)
        except EvalkitError:
            continue
        if min(paths.n_treated, paths.n_control) < min_treated:
            continue  # never a path on a handful of people
        cumulative += cumulative_effects(paths, h, level=level)
        found.append(functionals(paths, h, discount_rate))
        if h == months:
            chosen_paths = paths
    if chosen_paths is None:
        return Horizon(**base, months=months, rule=rule, reason="no_estimate")
    path, running, saved = path_points(chosen_paths, months, discount_rate, level=level)
    return Horizon(
        **base,
        months=months,
        rule=rule,
        n_treated=chosen_paths.n_treated,
        n_control=chosen_paths.n_control,
        cumulative=cumulative,
        path=path,
        work_cumulative=running,
        savings_cumulative=saved,
        lock_in=lock_in(chosen_paths, months, seed=seed, level=level),
        functionals=found,
    )
