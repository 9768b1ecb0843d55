"""Nearest-neighbour propensity-score matching for the ATT, with Abadie–Imbens variances.

Matching is on the logit of a logit propensity score, with replacement, k neighbours and ties
kept (``nearest``: every control as close as the k-th nearest is a match). The variance is
Abadie & Imbens' (2006) for a known score, corrected for the estimated score as in Abadie &
Imbens (2016).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import Prepared, base_details, prepare
from evalkit.estimators.logit import LogitFit, fit_logit
from evalkit.estimators.nearest import Runs, SortedPool
from evalkit.estimators.propensity import PropensityFit
from evalkit.estimators.result import EffectResult

#: Neighbours (the unit itself included) used to estimate cov(X, Y | p) for the 2016 correction;
#: Stata's ``teffects psmatch`` default ``vce(robust, nn(2))`` is the smallest that can.
COVARIANCE_NEIGHBOURS = 2


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


def match(
    score: np.ndarray, d: np.ndarray, y: np.ndarray, neighbours: int, caliper_logit: float | None
) -> Matches:
    """Match every treated unit to its ``neighbours`` nearest controls on ``score`` (ties kept)."""
    treated = d == 1
    runs = SortedPool.of(score[~treated]).match(score[treated], neighbours, caliper_logit)
    k_weight, k_prime = runs.usage()
    return Matches(
        score, runs.matched, runs.count, runs.means(y[~treated]), k_weight, k_prime, caliper_logit
    )


def control_variance(score0: np.ndarray, y0: np.ndarray) -> np.ndarray:
    """Conditional outcome variance of each control, by matching it to its nearest other control.

    Abadie & Imbens (2006, eq. 14) with J = 1: sigma^2_j = J/(J+1) (y_j - mean of its J nearest
    same-group neighbours)^2; ties at the nearest distance are all used (J then counts them).
    """
    if len(y0) < 2:
        return np.full(len(y0), np.nan)
    return within_variance(SortedPool.of(score0).match_within(1), y0)


def within_variance(runs: Runs, y: np.ndarray) -> np.ndarray:
    """J/(J+1) (y_j - mean of its J same-group neighbours)^2, given those neighbours' runs."""
    j = runs.count
    return j / (j + 1.0) * (y - runs.means(y)) ** 2


def score_correction(
    logit: LogitFit,
    d: np.ndarray,
    y: np.ndarray,
    in_sample: np.ndarray,
    tau_all: np.ndarray,
    att: float,
    neighbours: int = COVARIANCE_NEIGHBOURS,
) -> tuple[float, float]:
    """Abadie & Imbens (2016, Theorem 2) terms for the ATT matched on an estimated logit score.

    With f = p(1-p) the logistic density at the index, V_theta the inverse of the (total) logit
    information and sums over the N units in the sample (N1 treated),

        c_t = 1/N1 sum_i f_i [cov(Z, Y | p, D=1)_i + p_i/(1-p_i) cov(Z, Y | p, D=0)_i],
        d_t = 1/N1 sum_i f_i Z_i (Yhat_i(1) - Yhat_i(0) - ATT),

    and Var(ATT) = V_AI2006 - c_t' V_theta c_t + d_t' V_theta d_t. The conditional covariances
    are estimated by matching: the ``neighbours`` units of group w nearest to unit i on the score
    (i itself included when it is in w). ``tau_all`` holds Yhat_i(1) - Yhat_i(0) of each unit.
    Returns (c_t' V c_t, d_t' V d_t).
    """
    score, z = logit.logit[in_sample], logit.design[in_sample]
    p, dd, yy = logit.ps[in_sample], d[in_sample], y[in_sample]
    f = p * (1 - p)
    n1 = int(dd.sum())
    v_theta = logit.info_inv / len(logit.ps)
    cov = {}
    for w in (0, 1):
        group = dd == w
        runs = SortedPool.of(score[group]).match(score, neighbours)
        cov[w] = runs.covariances(z[group], yy[group])
    c_t = (f[:, None] * (cov[1] + (p / (1 - p))[:, None] * cov[0])).sum(axis=0) / n1
    d_t = (f * (tau_all[in_sample] - att)) @ z / n1
    return float(c_t @ v_theta @ c_t), float(d_t @ v_theta @ d_t)


def _fit_and_match(
    p: Prepared, neighbours: int, caliper: float | None, penalty: float
) -> tuple[Matches, LogitFit, dict[str, Any]]:
    """Fit the score on prepared data and match; returns matches, the logit and score details."""
    if int(neighbours) != neighbours or neighbours < 1:
        raise EstimationError(
            f"neighbours must be a positive integer, got {neighbours}",
            estimator="matching",
            outcome=p.outcome,
        )
    logit = fit_logit(p.d, p.design(), p.w, penalty=penalty)
    score = logit.logit
    sd_pooled = float(np.sqrt((np.var(score[p.d == 1]) + np.var(score[p.d == 0])) / 2))
    caliper_logit = None if caliper is None else float(caliper) * sd_pooled
    found = match(score, p.d, p.y, int(neighbours), caliper_logit)
    info = {
        "neighbours": int(neighbours),
        "caliper_sd": caliper,
        "caliper_logit": caliper_logit,
        "ps_converged": logit.converged,
        "ps_iterations": logit.iterations,
        "ps_separation": logit.separation,
    }
    return found, logit, info


def _record(p: Prepared, found: Matches, logit: LogitFit) -> PropensityFit:
    """What matching used: matched treated weigh 1, unmatched 0 (excluded), controls K(j)."""
    treated = p.d == 1
    weights = np.empty(p.n)
    weights[treated] = found.matched.astype(float)
    weights[~treated] = found.k_weight
    trimmed = np.zeros(p.n, dtype=bool)
    trimmed[treated] = ~found.matched
    return PropensityFit(
        estimator="matching",
        index=p.index,
        treated=treated,
        ps=logit.ps,
        weights=weights,
        trimmed=trimmed,
        columns=p.covariates,
        converged=logit.converged,
        separation=logit.separation,
    )


def _effects_of_all_units(p: Prepared, found: Matches, neighbours: int) -> np.ndarray:
    """Yhat_i(1) - Yhat_i(0) per prepared row: treated use their matches, controls are matched
    to the matched treated."""
    treated = p.d == 1
    tau = np.full(p.n, np.nan)
    tau[treated] = p.y[treated] - found.y0_hat
    pool = found.score[treated][found.matched]
    runs = SortedPool.of(pool).match(found.score[~treated], neighbours)
    tau[~treated] = runs.means(p.y[treated][found.matched]) - p.y[~treated]
    return tau


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
    estimated_score: bool = True,
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
    That variance treats the score as known; with ``estimated_score`` (default) it is corrected
    for the estimated logit as in Abadie & Imbens (2016, Econometrica 84, Theorem 2; see
    ``score_correction``), which for the ATT can raise or lower it. Should the corrected
    variance not be positive (small samples), the 2006 variance is used with a note.
    No bias correction (Abadie & Imbens 2011) is applied. Sampling weights and clusters are not
    supported (the AI variance has no such form); the bootstrap is not valid for matching with
    a fixed number of neighbours (Abadie & Imbens 2008).
    """
    name = "matching"
    if weights is not None or cluster is not None:
        raise EstimationError(
            "matching does not support sampling weights or clusters",
            estimator=name,
            outcome=outcome,
        )
    p = prepare(frame, outcome, treatment, covariates, estimator=name)
    found, logit, info = _fit_and_match(p, neighbours, caliper, penalty)
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
    variance_known = (float(np.sum((tau_i - att) ** 2)) + control_term) / n_matched**2
    variance = variance_known
    notes: list[str] = []
    se_method = "Abadie-Imbens (2006), score treated as known"
    if estimated_score:
        in_sample = np.ones(p.n, dtype=bool)
        in_sample[np.flatnonzero(p.d == 1)[~ok]] = False
        tau_all = _effects_of_all_units(p, found, int(neighbours))
        c_term, d_term = score_correction(logit, p.d, p.y, in_sample, tau_all, att)
        info.update(
            variance_known_score=variance_known,
            score_correction_c=-c_term,
            score_correction_d=d_term,
        )
        if variance_known - c_term + d_term > 0:
            variance = variance_known - c_term + d_term
            se_method = "Abadie-Imbens (2016), estimated score"
        else:
            notes.append(
                "the estimated-score correction gave a non-positive variance; "
                "the known-score (2006) variance is used"
            )
    fit = _record(p, found, logit)
    details = base_details(
        p,
        **info,
        n_unmatched=n_unmatched,
        n_matched_treated=n_matched,
        n_controls_used=int(used.sum()),
        mean_matches_per_treated=float(found.n_matches[ok].mean()),
        max_control_reuse=float(found.k_weight.max()),
        max_control_weight_share=fit.max_control_weight_share,
        se_method=se_method,
    )
    if n_unmatched:
        notes.append(
            f"{n_unmatched} treated unit(s) had no control within the caliper and are excluded"
        )
    if notes:
        details["notes"] = [*details.get("notes", []), *notes]
    return EffectResult.from_estimate(
        name,
        outcome,
        att,
        float(np.sqrt(variance)),
        n_matched,
        int(used.sum()),
        level=level,
        details=details,
        warnings=fit.warnings(),
        fit=fit,
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
    each use weighted 1/M_i); rows not used in estimation (missing outcome) get NaN. The same
    weights as ``matching(...).fit.weights``.
    """
    p = prepare(frame, outcome, treatment, covariates, estimator="matching")
    found, logit, _ = _fit_and_match(p, neighbours, caliper, penalty)
    out = pd.Series(np.nan, index=frame.index, name="matching_weight")
    out.loc[p.index] = _record(p, found, logit).weights
    return out
