"""Nearest-neighbour propensity-score matching for the ATT, with the Abadie–Imbens (2006) variance.

Matching is on the logit of a logit propensity score, with replacement, k neighbours and ties
kept (every control as close as the k-th nearest is a match). On a one-dimensional score the
matched controls of a treated unit form a contiguous run of the sorted controls, so matching is
two binary searches per treated unit and runs in O(n log n) (about a second for 1e6 rows).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import Prepared, base_details, prepare
from evalkit.estimators.propensity import fit_propensity
from evalkit.estimators.result import EffectResult


@dataclass(frozen=True)
class Matches:
    """Who matched whom, in the order of the prepared rows."""

    score: np.ndarray
    matched: np.ndarray  # per treated row (in treated order): has at least one match
    n_matches: np.ndarray  # per treated row: M_i, the number of matched controls (ties included)
    y0_hat: np.ndarray  # per treated row: mean outcome of its matched controls
    k_weight: np.ndarray  # per control row (in control order): K(j) = sum_i 1{j in J(i)} / M_i
    k_prime: np.ndarray  # per control row: K'(j) = sum_i 1{j in J(i)} / M_i^2
    caliper_logit: float | None


def _tolerance(values: np.ndarray) -> np.ndarray:
    """Slack for float rounding when comparing distances on the score scale."""
    return 1e-12 * np.maximum(1.0, np.abs(values))


def _nearest_k_distance(sorted_scores: np.ndarray, targets: np.ndarray, k: int) -> np.ndarray:
    """Distance from each target to its k-th nearest value in ``sorted_scores``."""
    n0 = len(sorted_scores)
    k = min(k, n0)
    pos = np.searchsorted(sorted_scores, targets)
    offsets = np.arange(-k, k)
    idx = pos[:, None] + offsets[None, :]
    valid = (idx >= 0) & (idx < n0)
    dist = np.abs(sorted_scores[np.clip(idx, 0, n0 - 1)] - targets[:, None])
    dist[~valid] = np.inf
    return np.partition(dist, k - 1, axis=1)[:, k - 1]


def match(
    score: np.ndarray, d: np.ndarray, y: np.ndarray, neighbours: int, caliper_logit: float | None
) -> Matches:
    """Match every treated unit to its ``neighbours`` nearest controls on ``score`` (ties kept)."""
    treated = d == 1
    s1, s0 = score[treated], score[~treated]
    y0 = y[~treated]
    order = np.argsort(s0, kind="stable")
    sc, yc = s0[order], y0[order]
    dk = _nearest_k_distance(sc, s1, neighbours)
    radius = dk if caliper_logit is None else np.minimum(dk, caliper_logit)
    radius = radius + _tolerance(s1)
    lo = np.searchsorted(sc, s1 - radius, side="left")
    hi = np.searchsorted(sc, s1 + radius, side="right")
    m = hi - lo
    matched = m > 0
    cum = np.concatenate([[0.0], np.cumsum(yc)])
    with np.errstate(invalid="ignore", divide="ignore"):
        y0_hat = np.where(matched, (cum[hi] - cum[lo]) / np.maximum(m, 1), np.nan)
    inv = np.where(matched, 1.0 / np.maximum(m, 1), 0.0)
    n0 = len(sc)
    diff_k = np.zeros(n0 + 1)
    diff_kp = np.zeros(n0 + 1)
    np.add.at(diff_k, lo, inv)
    np.add.at(diff_k, hi, -inv)
    np.add.at(diff_kp, lo, inv**2)
    np.add.at(diff_kp, hi, -(inv**2))
    k_sorted = np.cumsum(diff_k)[:n0]
    kp_sorted = np.cumsum(diff_kp)[:n0]
    k_weight = np.empty(n0)
    k_prime = np.empty(n0)
    k_weight[order] = k_sorted
    k_prime[order] = kp_sorted
    return Matches(score, matched, m, y0_hat, k_weight, k_prime, caliper_logit)


def control_variance(score0: np.ndarray, y0: np.ndarray) -> np.ndarray:
    """Conditional outcome variance of each control, by matching it to its nearest other control.

    Abadie & Imbens (2006, eq. 14) with J = 1: sigma^2_j = J/(J+1) (y_j - mean of its J nearest
    same-group neighbours)^2; ties at the nearest distance are all used (J then counts them).
    """
    n0 = len(y0)
    if n0 < 2:
        return np.full(n0, np.nan)
    order = np.argsort(score0, kind="stable")
    sc, yc = score0[order], y0[order]
    left = np.concatenate([[np.inf], np.diff(sc)])
    right = np.concatenate([np.diff(sc), [np.inf]])
    d1 = np.minimum(left, right) + _tolerance(sc)
    lo = np.searchsorted(sc, sc - d1, side="left")
    hi = np.searchsorted(sc, sc + d1, side="right")
    cum = np.concatenate([[0.0], np.cumsum(yc)])
    j = hi - lo - 1
    mean_others = (cum[hi] - cum[lo] - yc) / j
    var_sorted = j / (j + 1.0) * (yc - mean_others) ** 2
    out = np.empty(n0)
    out[order] = var_sorted
    return out


def _fit_and_match(
    p: Prepared, neighbours: int, caliper: float | None, penalty: float
) -> tuple[Matches, dict]:
    """Fit the score on prepared data and match; returns matches and score details."""
    if int(neighbours) != neighbours or neighbours < 1:
        raise EstimationError(
            f"neighbours must be a positive integer, got {neighbours}",
            estimator="matching",
            outcome=p.outcome,
        )
    fit = fit_propensity(
        p.d, p.design(), p.w, penalty=penalty, estimator="matching", outcome=p.outcome
    )
    score = fit.logit
    sd_pooled = float(np.sqrt((np.var(score[p.d == 1]) + np.var(score[p.d == 0])) / 2))
    caliper_logit = None if caliper is None else float(caliper) * sd_pooled
    found = match(score, p.d, p.y, int(neighbours), caliper_logit)
    info = {
        "neighbours": int(neighbours),
        "caliper_sd": caliper,
        "caliper_logit": caliper_logit,
        "ps_separation": fit.separation,
    }
    return found, info


def matching(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    weights: str | None = None,
    cluster: str | None = None,
    neighbours: int = 1,
    caliper: float | None = None,
    penalty: float = 0.0,
    level: float = 0.95,
) -> EffectResult:
    """ATT by k-nearest-neighbour matching on the logit propensity score, with replacement.

    ``caliper`` is in standard deviations of the logit score (pooled SD, sqrt((s1^2+s0^2)/2);
    Austin 2011 recommends 0.2): controls farther away are not matches, and treated units with
    none are *unmatched* — excluded from the estimate and counted in ``details["n_unmatched"]``
    (the estimand is then the ATT of the matched treated).

    Variance: Abadie & Imbens (2006, Econometrica 74, Theorem 7) for the population ATT,

        V = 1/N1^2 [ sum_treated (y_i - y0hat_i - ATT)^2 + sum_controls (K_j^2 - K'_j) sigma^2_j ],

    with K_j = sum_i 1{j in J(i)}/M_i and K'_j = sum_i 1{j in J(i)}/M_i^2 (with M neighbours
    and no ties K^2 - K' = K(K-1)/M^2), and sigma^2_j from matching controls among themselves.
    It treats the score as known: Abadie & Imbens (2016, Econometrica 84) show that for the ATT
    the estimated score can raise or lower the variance; that correction is not applied.
    No bias correction (Abadie & Imbens 2011) is applied. Sampling weights and clusters are not
    supported (the AI variance has no such form); use ``bootstrap`` with care — Abadie & Imbens
    (2008) show the bootstrap is invalid for matching with a fixed number of neighbours.
    """
    name = "matching"
    if weights is not None or cluster is not None:
        raise EstimationError(
            "matching does not support sampling weights or clusters",
            estimator=name,
            outcome=outcome,
        )
    p = prepare(frame, outcome, treatment, covariates, estimator=name)
    found, info = _fit_and_match(p, neighbours, caliper, penalty)
    y1 = p.y[p.d == 1]
    y0 = p.y[p.d == 0]
    ok = found.matched
    n_matched = int(ok.sum())
    n_unmatched = int((~ok).sum())
    if n_matched == 0:
        raise InsufficientDataError(
            f"no treated unit has a control within the caliper ({n_unmatched} unmatched)",
            estimator=name,
            outcome=outcome,
        )
    tau_i = y1[ok] - found.y0_hat[ok]
    att = float(tau_i.mean())
    sigma2 = control_variance(found.score[p.d == 0], y0)
    extra = found.k_weight**2 - found.k_prime
    used = found.k_weight > 0
    control_term = float(np.sum(np.where(extra > 1e-12, extra * np.nan_to_num(sigma2), 0.0)))
    variance = (float(np.sum((tau_i - att) ** 2)) + control_term) / n_matched**2
    se = float(np.sqrt(variance))
    details = base_details(
        p,
        **info,
        n_unmatched=n_unmatched,
        n_matched_treated=n_matched,
        n_controls_used=int(used.sum()),
        mean_matches_per_treated=float(found.n_matches[ok].mean()),
        max_control_reuse=float(found.k_weight.max()),
        se_method="Abadie-Imbens (2006), score treated as known",
    )
    if n_unmatched:
        details.setdefault("notes", []).append(
            f"{n_unmatched} treated unit(s) had no control within the caliper and are excluded"
        )
    return EffectResult.from_estimate(
        name, outcome, att, se, n_matched, int(used.sum()), level=level, details=details
    )


def matching_weights(
    frame: pd.DataFrame,
    outcome: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    neighbours: int = 1,
    caliper: float | None = None,
    penalty: float = 0.0,
) -> pd.Series:
    """Weights that reproduce the matched comparison, for balance tables after matching.

    Matched treated get 1, unmatched treated 0, each control its K(j) (how often it was used,
    each use weighted 1/M_i); rows not used in estimation (missing outcome) get NaN.
    """
    p = prepare(frame, outcome, treatment, covariates, estimator="matching")
    found, _ = _fit_and_match(p, neighbours, caliper, penalty)
    w = np.empty(p.n)
    w[p.d == 1] = found.matched.astype(float)
    w[p.d == 0] = found.k_weight
    out = pd.Series(np.nan, index=frame.index, name="matching_weight")
    out.loc[p.index] = w
    return out
