"""Attrition: weights for outcomes past a person's last observed month, and Lee (2009) bounds.

People whose registers end (moved away, died) have no outcome after their last observed month;
the analysis sample marks this with ``observed_{h}m`` (0/1) and leaves the outcome at horizon h
missing. Dropping them is unbiased only if who leaves is unrelated to the outcome given nothing.

- ``censoring_weights``: inverse-probability-of-censoring weights (IPCW). A logit of being
  observed at h on treatment and covariates (the project's one logit fitter) gives
  ``P(observed | d, x)``; observed rows get ``1 / P``, censored rows 0. Passed as ``weights=`` to
  a cross-sectional estimator, the observed rows then stand for everyone, which removes the
  bias when leaving depends only on treatment and the covariates (missing at random). The
  estimators' standard errors treat these weights as known, which for inverse-probability
  weights errs on the conservative side (the estimated censoring score lowers the variance).
- ``lee_bounds``: Lee's (2009) sharp bounds on the effect for those who would be observed
  whether treated or not, assuming only that treatment moves attrition in one direction
  (monotonicity): the group with less attrition is trimmed by the share of its observed units
  that the other group lacks, from the top (lower bound) or the bottom (upper bound). It needs no
  model of why people leave, so it is the sensitivity check beside IPCW. Lee's bounds assume
  that treatment is as good as random; ``weights`` (e.g. the headline's ATT weights) apply them
  to a reweighted comparison.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any

import numpy as np
import pandas as pd
from scipy import optimize, stats

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import prepare
from evalkit.estimators.bootstrap import resample_positions
from evalkit.estimators.logit import fit_logit

#: Horizons (months after start) at which the analysis sample marks whether a unit is observed.
HORIZONS = (6, 12, 24, 36)


def observed_column(horizon: int) -> str:
    """The analysis sample's 0/1 column saying whether a unit is observed ``horizon`` months on."""
    return f"observed_{horizon}m"


@dataclass(frozen=True)
class CensoringWeights:
    """IPCW weights for one horizon (aligned to the frame's index) and what the fit says."""

    horizon: int | None
    observed: str
    weights: pd.Series
    observed_share_treated: float
    observed_share_control: float
    n_censored_treated: int
    n_censored_control: int
    max_weight: float
    covariates_used: tuple[str, ...]
    separation: bool
    n_missing_covariates: int
    converged: bool = True

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (no unit-level values)."""
        out = asdict(self)
        out.pop("weights")
        out["covariates_used"] = list(self.covariates_used)
        return out


def censoring_weights(
    frame: pd.DataFrame,
    horizon: int | None = None,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    observed: str | None = None,
    weights: str | None = None,
    penalty: float = 0.0,
    interact: bool = False,
) -> CensoringWeights:
    """IPCW weights ``w / P(observed | treatment, covariates)`` for observed rows, 0 for the rest.

    ``observed`` defaults to ``observed_{horizon}m``. ``interact`` fits the logit separately
    among treated and comparison units (censoring may depend on covariates differently in the
    two groups). Rows with a missing covariate get weight 0 (every estimator drops them anyway);
    their count is ``n_missing_covariates``. ``weights`` (sampling weights) multiply the result.
    """
    name = "censoring_weights"
    if observed is None:
        if horizon is None:
            raise EstimationError("give a horizon or the observed column", estimator=name)
        observed = observed_column(horizon)
    groups = [(treatment, (0.0, 1.0))] if interact else [(None, None)]
    out = pd.Series(0.0, index=frame.index, name=f"ipcw_{observed}")
    used: tuple[str, ...] = ()
    separation = False
    converged = True
    n_kept = 0
    for column, levels in groups:
        for level in levels or (None,):
            part = frame if column is None else frame[frame[column] == level]
            flag = part[observed].to_numpy(dtype=float)
            if np.isin(flag, (0.0, 1.0)).all() and (flag.all() or not flag.any()):
                # everyone (or no one) observed: no model, weight = sampling weight where observed
                out.loc[part.index] = flag * _scale(part, weights, part.index)
                n_kept += len(part)
                continue
            regressors = [*covariates] if column is not None else [treatment, *covariates]
            p = prepare(
                part.assign(_one=1.0),
                "_one",
                observed,
                regressors,
                weights=weights,
                estimator=name,
            )
            fit = fit_logit(p.d, p.design(), p.w, penalty=penalty)
            separation |= bool(fit.separation)
            converged &= bool(getattr(fit, "converged", True))
            raw = _scale(part, weights, p.index)
            out.loc[p.index] = np.where(p.d == 1, raw / fit.ps, 0.0)
            used = tuple(dict.fromkeys([*used, *p.covariates]))
            n_kept += p.n
    d = frame[treatment].to_numpy(dtype=float)
    seen = frame[observed].to_numpy(dtype=float) == 1
    share = {g: float(seen[d == g].mean()) if np.any(d == g) else math.nan for g in (0.0, 1.0)}
    return CensoringWeights(
        horizon=horizon,
        observed=observed,
        weights=out,
        observed_share_treated=share[1.0],
        observed_share_control=share[0.0],
        n_censored_treated=int(((d == 1) & ~seen).sum()),
        n_censored_control=int(((d == 0) & ~seen).sum()),
        max_weight=float(out.max()),
        covariates_used=used,
        separation=separation,
        n_missing_covariates=int(len(frame) - n_kept),
        converged=converged,
    )


def _scale(frame: pd.DataFrame, weights: str | None, index: pd.Index) -> np.ndarray:
    """The sampling weights of the rows ``index`` (ones without weights)."""
    if weights is None:
        return np.ones(len(index))
    return frame.loc[index, weights].to_numpy(dtype=float)


def attrition_summary(
    frame: pd.DataFrame, treatment: str = "treated", horizons: Sequence[int] = HORIZONS
) -> list[dict[str, Any]]:
    """Per group and horizon: units, units still observed, and the share observed (counts only)."""
    rows = []
    d = frame[treatment].to_numpy(dtype=float)
    for h in horizons:
        column = observed_column(h)
        if column not in frame.columns:
            continue
        seen = frame[column].to_numpy(dtype=float) == 1
        for group, label in ((1.0, "treated"), (0.0, "control")):
            n = int((d == group).sum())
            k = int(((d == group) & seen).sum())
            rows.append(
                {
                    "horizon": h,
                    "group": label,
                    "n": n,
                    "n_observed": k,
                    "share_observed": k / n if n else math.nan,
                }
            )
    return rows


@dataclass(frozen=True)
class LeeBounds:
    """Lee (2009) bounds on the effect among those observed under either treatment."""

    outcome: str
    lower: float
    upper: float
    trim_share: float
    trimmed_group: str | None
    observed_share_treated: float
    observed_share_control: float
    n_treated_observed: int
    n_control_observed: int
    se_lower: float
    se_upper: float
    ci_low: float
    ci_high: float
    level: float
    reps: int

    def to_dict(self) -> dict[str, Any]:
        """JSON-safe summary (NaN as None)."""
        out = asdict(self)
        return {
            k: (None if isinstance(v, float) and not math.isfinite(v) else v)
            for k, v in out.items()
        }


def trimmed_mean(y: np.ndarray, w: np.ndarray, share: float, side: str) -> float:
    """Weighted mean after removing exactly ``share`` of the weight from the ``top`` or ``bottom``.

    A unit on the cut keeps the part of its weight that is not removed, so ties (0/1 outcomes)
    are trimmed exactly.
    """
    if not 0.0 <= share < 1.0:
        raise ValueError(f"trim share must lie in [0, 1), got {share}")
    order = np.argsort(y, kind="stable")
    if side == "bottom":
        order = order[::-1]
    elif side != "top":
        raise ValueError("side must be 'top' or 'bottom'")
    ys, ws = y[order], w[order]
    keep_mass = (1.0 - share) * ws.sum()
    before = np.cumsum(ws) - ws
    kept = np.clip(keep_mass - before, 0.0, ws)
    return float(np.sum(kept * ys) / keep_mass)


def _bounds(
    y: np.ndarray, d: np.ndarray, seen: np.ndarray, w: np.ndarray
) -> tuple[float, float, float, str | None, float, float]:
    """(lower, upper, trim share, trimmed group, q1, q0) of one sample."""
    q1 = float(np.sum(w * seen * d) / np.sum(w * d))
    q0 = float(np.sum(w * seen * (1 - d)) / np.sum(w * (1 - d)))
    t = seen & (d == 1)
    c = seen & (d == 0)
    if not t.any() or not c.any():
        return math.nan, math.nan, math.nan, None, q1, q0
    m1 = float(np.average(y[t], weights=w[t]))
    m0 = float(np.average(y[c], weights=w[c]))
    if q1 >= q0:
        share = (q1 - q0) / q1
        lower = trimmed_mean(y[t], w[t], share, "top") - m0
        upper = trimmed_mean(y[t], w[t], share, "bottom") - m0
        group = "treated" if share > 0 else None
    else:
        share = (q0 - q1) / q0
        lower = m1 - trimmed_mean(y[c], w[c], share, "bottom")
        upper = m1 - trimmed_mean(y[c], w[c], share, "top")
        group = "control"
    return lower, upper, share, group, q1, q0


def imbens_manski_critical(
    lower: float, upper: float, se_lower: float, se_upper: float, level: float
) -> float:
    """Imbens & Manski (2004) critical value c: Phi(c + width / max se) - Phi(-c) = level."""
    sigma = max(se_lower, se_upper)
    if not sigma > 0:
        return math.nan
    width = max(upper - lower, 0.0) / sigma

    def gap(c: float) -> float:
        return stats.norm.cdf(c + width) - stats.norm.cdf(-c) - level

    return float(optimize.brentq(gap, 0.0, 10.0))


def lee_bounds(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    *,
    observed: str | None = None,
    weights: str | None = None,
    cluster: str | None = None,
    reps: int = 199,
    seed: int = 20261126,
    level: float = 0.95,
) -> LeeBounds:
    """Lee (2009) bounds with an Imbens–Manski interval from a (cluster) bootstrap of the bounds.

    ``observed`` (0/1) defaults to whether ``outcome`` is present. ``reps=0`` gives the bounds
    without an interval.
    """
    name = "lee_bounds"
    for column in [outcome, treatment, *(c for c in (observed, weights, cluster) if c)]:
        if column not in frame.columns:
            raise EstimationError(f"column '{column}' is missing from the data", estimator=name)
    d = frame[treatment].to_numpy(dtype=float)
    if np.isnan(d).any() or not np.isin(d, (0.0, 1.0)).all():
        raise EstimationError(f"treatment column '{treatment}' must be 0/1", estimator=name)
    y = frame[outcome].to_numpy(dtype=float)
    seen = np.isfinite(y)
    if observed is not None:
        flag = frame[observed].to_numpy(dtype=float) == 1
        if np.any(flag & ~seen):
            raise EstimationError(
                f"{int(np.sum(flag & ~seen))} rows are marked observed in '{observed}' but have "
                f"no '{outcome}'",
                estimator=name,
                outcome=outcome,
            )
        seen = flag
    w = np.ones(len(frame)) if weights is None else frame[weights].to_numpy(dtype=float)
    if not np.all(np.isfinite(w) & (w >= 0)):
        raise EstimationError(
            f"weights column '{weights}' has missing or negative values", estimator=name
        )
    n1, n0 = int(np.sum(seen & (d == 1))), int(np.sum(seen & (d == 0)))
    if n1 < 2 or n0 < 2:
        raise InsufficientDataError(
            f"need observed treated and control units; have {n1} and {n0}",
            estimator=name,
            outcome=outcome,
        )
    y = np.where(seen, y, 0.0)
    lower, upper, share, group, q1, q0 = _bounds(y, d, seen, w)
    se_l = se_u = lo = hi = math.nan
    if reps > 0:
        rng = np.random.default_rng(seed)
        codes = pd.factorize(frame[cluster])[0] if cluster else None
        draws = []
        for _ in range(reps):
            rows = resample_positions(len(frame), rng, codes)
            b = _bounds(y[rows], d[rows], seen[rows], w[rows])
            if np.isfinite(b[0]) and np.isfinite(b[1]):
                draws.append(b[:2])
        if len(draws) > 1:
            arr = np.array(draws)
            se_l, se_u = (float(v) for v in arr.std(axis=0, ddof=1))
            c = imbens_manski_critical(lower, upper, se_l, se_u, level)
            lo, hi = lower - c * se_l, upper + c * se_u
    return LeeBounds(
        outcome=outcome,
        lower=lower,
        upper=upper,
        trim_share=share,
        trimmed_group=group,
        observed_share_treated=q1,
        observed_share_control=q0,
        n_treated_observed=n1,
        n_control_observed=n0,
        se_lower=se_l,
        se_upper=se_u,
        ci_low=lo,
        ci_high=hi,
        level=level,
        reps=reps,
    )
