"""Dynamic propensity-score matching (Sianesi 2004): joining in month u versus waiting.

Input is the "stacked" frame of CONTRACTS.md: one row per person × start month u for persons
eligible in u who have not joined before u; ``treated`` = joined in u; covariates measured at u;
outcome columns ``<name>_m<k>`` = outcome k months after u. Each joiner is matched (nearest
neighbours on the logit of the score, with replacement, ties kept, optional caliper) to persons
at risk in the same u who did not join in u — they may join later, so the estimand is the effect
of joining now rather than waiting (Sianesi 2004), which includes the lock-in while in the
measure. The effect path is reported by k. Matches are bias-corrected by default (Abadie &
Imbens 2011), which removes the small bias that nearest-neighbour matching leaves where joiners
are dense and waiting persons sparse.

Propensity score: **one pooled logit over all start months** with a fixed effect per start
month, ridge-penalised (the month effects shrink towards the common intercept, the standardised
covariates' coefficients barely). A month has a dozen joiners in a small municipality: a logit
per month on fifteen covariates fails to converge or separates in most months, while the pooled
model borrows the covariates' coefficients across months and keeps each month's intake level.
Whether it converged, and how, is in every result's ``details["propensity"]`` and ``warnings``.

Standard errors: Abadie & Imbens (2006) variance for matching with replacement, which uses the
match counts K (how often a control row serves as a match) and conditional variances estimated by
matching controls to controls within u. Because one person can be a control in several months,
the match counts of a person's rows are added up as if that person's rows were perfectly
correlated — conservative, and cheap; a bootstrap would be both slow and not valid for
nearest-neighbour matching with a fixed number of matches (Abadie & Imbens 2008). The
propensity model's estimation error is ignored (it is fitted on every at-risk row of every
month, so it is small beside the matching error).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import InsufficientDataError
from evalkit.estimators._panel import check_unique_keys
from evalkit.estimators.columns import (
    Where,
    binary_column,
    encode_covariates,
    numeric_column,
    require_columns,
)
from evalkit.estimators.logit import LogitFit, fit_logit
from evalkit.estimators.matching import within_variance
from evalkit.estimators.nearest import Runs, SortedPool
from evalkit.estimators.result import EffectResult, EffectResults
from evalkit.estimators.warnings import count_warnings, merge, weight_warnings

ESTIMATOR = "dynamic_matching"
TABLE = "stacked"
#: Ridge weight on the start-month effects and the standardised covariates' coefficients: a
#: normal prior with variance 1 on each (weak beside the information of hundreds of rows).
PENALTY = 1.0


@dataclass(frozen=True)
class _Matched:
    """Matches of one start month for one outcome horizon."""

    treated_rows: np.ndarray  # row positions (in the whole frame) of matched joiners
    gaps: np.ndarray  # (n_t,) joiner's outcome minus its matches' mean (bias-corrected if asked)
    control_rows: np.ndarray  # row positions of the waiting persons with an observed outcome
    k_weight: np.ndarray  # per such control row: K = sum_i 1{j in J(i)}/M_i
    k_prime: np.ndarray  # per such control row: K' = sum_i 1{j in J(i)}/M_i^2
    sigma2_control: np.ndarray  # conditional variance estimate per such control row
    n_dropped: int  # joiners without a match inside the caliper


def outcome_horizons(frame: pd.DataFrame, name: str) -> list[int]:
    """The k of every column ``<name>_m<k>``, sorted."""
    pattern = re.compile(rf"^{re.escape(name)}_m(\d+)$")
    ks = sorted(int(m.group(1)) for c in frame.columns if (m := pattern.match(str(c))))
    if not ks:
        raise Where(TABLE, ESTIMATOR, name).error(
            f"no outcome columns named '{name}_m<k>'", column=f"{name}_m<k>", rule="outcome_path"
        )
    return ks


@dataclass(frozen=True)
class _MonthPlan:
    """Matches of one start month for one pattern of observed outcomes (reused across k)."""

    t_idx: np.ndarray  # local positions of the joiners with an observed outcome
    keep: np.ndarray  # which of them have a match inside the caliper
    runs: Runs  # their matches among the waiting persons (c_idx order)
    k_weight: np.ndarray  # per waiting person: K = sum_i 1{j in J(i)}/M_i
    k_prime: np.ndarray  # per waiting person: K' = sum_i 1{j in J(i)}/M_i^2
    within: Runs  # each waiting person's nearest other waiting person (for sigma^2)
    c_idx: np.ndarray  # local positions of the waiting persons with an observed outcome
    x_gap: np.ndarray | None  # joiner's covariates minus its matches' mean (for bias correction)
    proj: np.ndarray | None  # pseudo-inverse of the controls' design [1, x]


def _plan_month(
    score: np.ndarray,
    d: np.ndarray,
    ok: np.ndarray,
    x: np.ndarray,
    neighbours: int,
    caliper: float | None,
    bias_correction: bool,
) -> _MonthPlan | None:
    """Nearest-neighbour matching of joiners to waiting persons within one start month."""
    t_idx = np.flatnonzero(ok & (d == 1))
    c_idx = np.flatnonzero(ok & (d == 0))
    if len(t_idx) == 0 or len(c_idx) == 0:
        return None
    pool = SortedPool.of(score[c_idx])
    runs = pool.match(score[t_idx], neighbours, caliper)
    keep = runs.matched
    x_gap = proj = None
    if bias_correction and x.shape[1]:
        x_gap = (x[t_idx] - runs.means(x[c_idx]))[keep]
        proj = np.linalg.pinv(np.column_stack([np.ones(len(c_idx)), x[c_idx]]))
    k_weight, k_prime = runs.usage()
    return _MonthPlan(
        t_idx, keep, runs, k_weight, k_prime, pool.match_within(1), c_idx, x_gap, proj
    )


def _apply_plan(plan: _MonthPlan, y: np.ndarray, rows: np.ndarray) -> _Matched:
    """Gaps, and the controls' conditional variances, of one outcome under a month's matches."""
    yc = y[plan.c_idx]
    gaps = (y[plan.t_idx] - plan.runs.means(yc))[plan.keep]
    if plan.proj is not None:
        # Abadie & Imbens (2011): remove the part of the gap due to covariate differences,
        # predicted by a linear regression of the outcome on the covariates among controls
        beta = plan.proj @ yc
        gaps = gaps - plan.x_gap @ beta[1:]
    sigma2 = within_variance(plan.within, yc) if len(yc) > 1 else np.zeros(1)
    return _Matched(
        rows[plan.t_idx[plan.keep]],
        gaps,
        rows[plan.c_idx],
        plan.k_weight,
        plan.k_prime,
        np.nan_to_num(sigma2),
        int((~plan.keep).sum()),
    )


def pooled_propensity(
    months: np.ndarray, d: np.ndarray, x: np.ndarray, *, penalty: float = PENALTY
) -> tuple[LogitFit, dict[str, Any]]:
    """One ridge-penalised logit of joining on the covariates with a fixed effect per start month.

    Design: intercept (unpenalised), one indicator per start month and the standardised
    covariates (both penalised by ``penalty``; without a penalty the first month is the
    reference). Returns the fit and what the JSON records.
    """
    codes, labels = pd.factorize(months, sort=True)
    dummies = np.zeros((len(codes), len(labels)))
    dummies[np.arange(len(codes)), codes] = 1.0
    if penalty <= 0:  # unpenalised: the first month is the reference, else the design is singular
        dummies = dummies[:, 1:]
    design = np.column_stack([np.ones(len(codes)), dummies, x])
    ridge = np.full(design.shape[1], float(penalty))
    ridge[0] = 0.0
    fit = fit_logit(d, design, penalty=ridge)
    info = {
        "model": "pooled logit, start-month effects, ridge",
        "penalty": float(penalty),
        "converged": fit.converged,
        "iterations": fit.iterations,
        "separation": fit.separation,
        "n_rows": len(codes),
        "n_start_months": len(labels),
        "n_covariate_columns": int(x.shape[1]),
        "max_abs_logit": float(np.max(np.abs(fit.logit))),
    }
    return fit, info


def _ai_variance(
    persons: np.ndarray, matched: list[_Matched], estimate: float
) -> tuple[float, float]:
    """Abadie–Imbens variance with match counts summed per person (conservative across months),
    and the largest share of the comparison weight one person carries."""
    n1 = sum(len(m.treated_rows) for m in matched)
    resid = np.concatenate([m.gaps - estimate for m in matched])
    first = float(np.sum(resid**2))
    rows = pd.DataFrame(
        {
            "person": persons[np.concatenate([m.control_rows for m in matched])],
            "k": np.concatenate([m.k_weight for m in matched]),
            "kp": np.concatenate([m.k_prime for m in matched]),
            "sigma2": np.concatenate([m.sigma2_control for m in matched]),
        }
    )
    rows = rows[rows["k"] > 0]
    per = rows.groupby("person").agg(k=("k", "sum"), kp=("kp", "sum"), sigma2=("sigma2", "mean"))
    second = float(np.sum((per["k"] ** 2 - per["kp"]) * per["sigma2"]))
    return (first + second) / n1**2, float(per["k"].max() / n1)


def _check(
    stacked: pd.DataFrame, unit: str, period: str, treatment: str, covariates: Sequence[str]
) -> np.ndarray:
    """Validate the stacked frame; returns the 0/1 treatment."""
    where = Where(TABLE, ESTIMATOR)
    require_columns(stacked, [unit, period, treatment, *covariates], where)
    d = binary_column(stacked, treatment, where)
    check_unique_keys(stacked, unit, period, table=TABLE)
    joins = stacked.loc[d == 1, unit].value_counts()
    if (joins > 1).any():
        raise where.error(
            f"{int((joins > 1).sum())} persons join in more than one start month "
            "(count: their joining rows)",
            column=treatment,
            rule="single_join",
            count=int(joins[joins > 1].sum()),
        )
    if d.sum() == 0:
        raise InsufficientDataError("no joiners in the stacked frame", estimator=ESTIMATOR)
    return d


def _skipped_months(stacked: pd.DataFrame, period: str, d: np.ndarray) -> dict[Any, str]:
    """Start months that cannot be matched in: no joiners, or no one waiting."""
    out: dict[Any, str] = {}
    for u, idx in stacked.groupby(period, sort=True).indices.items():
        joined = d[idx].sum()
        if joined == 0 or joined == len(idx):
            out[u.item() if hasattr(u, "item") else u] = (
                "no joiners" if joined == 0 else "no one waiting"
            )
    return out


def dynamic_matching(
    stacked: pd.DataFrame,
    outcomes: Sequence[str],
    *,
    unit: str = "unit_id",
    period: str = "start_period",
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    neighbours: int = 1,
    caliper: float | None = None,
    bias_correction: bool = True,
    penalty: float = PENALTY,
    level: float = 0.95,
) -> EffectResults:
    """Effect of joining in u (vs not yet) k months later, pooled over u: one result per outcome × k.

    ``caliper`` is in standard deviations of the logit propensity score (within each u); joiners
    without a match inside it are dropped and counted in ``details["n_unmatched"]``.
    ``bias_correction`` applies Abadie & Imbens' (2011) regression adjustment of each match for
    the remaining covariate difference (linear in the covariates, fitted on that month's controls).
    ``penalty`` is the ridge weight of the pooled propensity model (see the module docstring).
    Every result carries the propensity model's record in ``details["propensity"]`` and its
    problems as ``warnings`` (``no_convergence``, ``separation``), besides ``few_treated`` and
    ``extreme_weights`` of its own matches.
    """
    if isinstance(outcomes, str):
        outcomes = [outcomes]
    d = _check(stacked, unit, period, treatment, covariates)
    encoded = encode_covariates(stacked, covariates, Where(TABLE, ESTIMATOR), allow_missing=False)
    x = encoded.matrix
    if x.shape[1]:
        x = (x - x.mean(axis=0)) / np.where(x.std(axis=0) > 0, x.std(axis=0), 1.0)
    skipped = _skipped_months(stacked, period, d)
    fit, ps_info = pooled_propensity(stacked[period].to_numpy(), d, x, penalty=penalty)
    ps_info["skipped_start_months"] = skipped
    fit_warnings = merge(
        () if fit.converged else ("no_convergence",), ("separation",) if fit.separation else ()
    )
    score = fit.logit
    persons = pd.factorize(stacked[unit].astype(str))[0]
    months = stacked.groupby(period, sort=True).indices
    plans: dict[tuple[Any, bytes], _MonthPlan | None] = {}
    results: list[EffectResult] = []
    for name in outcomes:
        for k in outcome_horizons(stacked, name):
            col = f"{name}_m{k}"
            y = numeric_column(stacked, col, Where(TABLE, ESTIMATOR, name), allow_missing=True)
            matched, n_dropped = [], 0
            for u, idx in months.items():
                ok = np.isfinite(y[idx])
                key = (u, ok.tobytes())
                if key not in plans:
                    cal = None if caliper is None else caliper * float(np.std(score[idx]))
                    plans[key] = _plan_month(
                        score[idx], d[idx], ok, x[idx], neighbours, cal, bias_correction
                    )
                plan = plans[key]
                if plan is None:
                    continue
                n_dropped += int((~plan.keep).sum())
                if plan.keep.any():
                    matched.append(_apply_plan(plan, y[idx], idx))
            if not matched:
                continue
            gaps = np.concatenate([m.gaps for m in matched])
            est = float(gaps.mean())
            variance, max_share = _ai_variance(persons, matched, est)
            used = np.concatenate([m.control_rows[m.k_weight > 0] for m in matched])
            results.append(
                EffectResult.from_estimate(
                    ESTIMATOR,
                    name,
                    est,
                    float(np.sqrt(variance)),
                    len(gaps),
                    len(np.unique(persons[used])),
                    level=level,
                    aggregation="dynamic",
                    event_time=int(k),
                    details={
                        "n_start_months": len(matched),
                        "n_unmatched": n_dropped,
                        "max_control_weight_share": max_share,
                        "propensity": ps_info,
                    },
                    warnings=merge(
                        fit_warnings, count_warnings(len(gaps)), weight_warnings(max_share)
                    ),
                )
            )
    if not results:
        raise InsufficientDataError(
            "no start month has both joiners and waiting persons", estimator=ESTIMATOR
        )
    details: dict[str, Any] = {
        "neighbours": neighbours,
        "bias_correction": bias_correction,
        "caliper": caliper,
        "se_method": "Abadie-Imbens (2006) with match counts summed per person",
        "propensity": ps_info,
        "skipped_start_months": skipped,
    }
    return EffectResults(results, details=details)
