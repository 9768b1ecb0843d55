"""Propensity scores for the ATT: the weights IPW and AIPW use, and what an estimator used.

``att_weights_of`` fits the one logit (``logit.fit_logit``) on prepared data, trims, and builds
the ATT weights (treated 1, controls e/(1-e), times sampling weights) shared by ``ipw`` and
``aipw``. ``PropensityFit`` records what a propensity-based estimator actually used, carried on
``EffectResult.fit`` so that diagnostics (balance, overlap) describe the estimate's own weights
and never refit.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError, InsufficientDataError
from evalkit.estimators._inputs import Prepared, base_details, influence_se, prepare
from evalkit.estimators.logit import LogitFit, fit_logit
from evalkit.estimators.result import EffectResult
from evalkit.estimators.warnings import (
    count_warnings,
    merge,
    overlap_warnings,
    weight_warnings,
)


@dataclass(frozen=True)
class PropensityFit:
    """What a propensity-based estimator used, one entry per unit in the rows it estimated on.

    ``index`` holds the row labels (of the frame given to the estimator) of the units used;
    ``weights`` the ATT weight each unit got after trimming (treated: their sampling weight, or 1
    if matched; comparison units: e/(1-e) times their sampling weight, or how often they were
    used as a match; 0 if trimmed); ``trimmed`` marks units the estimate left out (outside the
    trimming bounds, or treated without a match inside the caliper); ``columns`` names the
    propensity model's covariate columns (after encoding ``x=level`` and dropping collinear ones).
    """

    estimator: str
    index: pd.Index
    treated: np.ndarray
    ps: np.ndarray
    weights: np.ndarray
    trimmed: np.ndarray
    columns: tuple[str, ...]
    trim: tuple[float, float] | None = None
    converged: bool = True
    separation: bool = False

    @property
    def n_treated(self) -> int:
        """Participants in the rows used (trimmed ones included)."""
        return int(self.treated.sum())

    @property
    def n_treated_excluded(self) -> int:
        """Participants the estimate left out (trimmed or unmatched)."""
        return int((self.treated & self.trimmed).sum())

    @property
    def max_control_weight_share(self) -> float:
        """The largest share of all comparison weight carried by one comparison unit."""
        w0 = self.weights[~self.treated]
        total = float(w0.sum())
        return float(w0.max() / total) if total > 0 else float("nan")

    def to_frame(self) -> pd.DataFrame:
        """One row per unit used: treated, ps, weight, trimmed (for plots; never serialised)."""
        return pd.DataFrame(
            {
                "treated": self.treated,
                "ps": self.ps,
                "weight": self.weights,
                "trimmed": self.trimmed,
            },
            index=self.index,
        )

    def warnings(self) -> tuple[str, ...]:
        """Warning codes of the fit: convergence, separation, overlap, extreme weights, few."""
        share_out = self.n_treated_excluded / self.n_treated if self.n_treated else 1.0
        return merge(
            () if self.converged else ("no_convergence",),
            ("separation",) if self.separation else (),
            overlap_warnings(share_out),
            weight_warnings(self.max_control_weight_share),
            count_warnings(self.n_treated - self.n_treated_excluded),
        )


def trim_bounds(trim: tuple[float, float] | float | None) -> tuple[float, float] | None:
    """``(lo, hi)`` of a trim option (a single number t means [t, 1-t]); checked."""
    if trim is None:
        return None
    if np.isscalar(trim):
        lo, hi = float(trim), 1.0 - float(trim)  # type: ignore[arg-type]
    else:
        lo, hi = (float(v) for v in trim)  # type: ignore[union-attr]
    if not 0.0 <= lo < hi <= 1.0:
        raise EstimationError(f"trim bounds must satisfy 0 <= lo < hi <= 1, got ({lo}, {hi})")
    return lo, hi


def trim_mask(ps: np.ndarray, trim: tuple[float, float] | float | None) -> np.ndarray:
    """Units kept after trimming scores outside ``[lo, hi]`` (a single number t means [t, 1-t])."""
    bounds = trim_bounds(trim)
    if bounds is None:
        return np.ones(len(ps), dtype=bool)
    return (ps >= bounds[0]) & (ps <= bounds[1])


@dataclass(frozen=True)
class AttWeights:
    """A logit score on prepared data and the ATT weights built from it (shared by IPW and AIPW)."""

    logit: LogitFit
    design: np.ndarray
    treated: np.ndarray
    keep: np.ndarray
    w1: np.ndarray  # treated: sampling weight, 0 if trimmed
    w0: np.ndarray  # controls: sampling weight × e/(1-e), 0 if trimmed
    trim: tuple[float, float] | None

    @property
    def n_treated(self) -> int:
        """Treated units kept."""
        return int((self.treated & self.keep).sum())

    @property
    def n_control(self) -> int:
        """Control units kept."""
        return int((~self.treated & self.keep).sum())

    def record(self, p: Prepared) -> PropensityFit:
        """What the estimator used, for ``EffectResult.fit``."""
        return PropensityFit(
            estimator=p.estimator,
            index=p.index,
            treated=self.treated,
            ps=self.logit.ps,
            weights=np.where(self.treated, self.w1, self.w0),
            trimmed=~self.keep,
            columns=p.covariates,
            trim=self.trim,
            converged=self.logit.converged,
            separation=self.logit.separation,
        )

    def result(
        self, p: Prepared, att: float, influence: np.ndarray, level: float, **details: Any
    ) -> EffectResult:
        """The weighting estimator's result: SE from the influence function (summed within
        clusters), the fit it used, its warnings, and the shared details plus ``details``."""
        fit = self.record(p)
        return EffectResult.from_estimate(
            p.estimator,
            p.outcome,
            att,
            influence_se(influence, p.cluster),
            self.n_treated,
            self.n_control,
            level=level,
            details=base_details(p, **self.details(), **details),
            warnings=fit.warnings(),
            influence=influence,
            fit=fit,
        )

    def details(self) -> dict[str, Any]:
        """Details both weighting estimators report."""
        w0 = self.w0
        return {
            "n_trimmed": int((~self.keep).sum()),
            "trim": None if self.trim is None else list(self.trim),
            "effective_n_control": float(w0.sum() ** 2 / np.sum(w0**2)),
            "max_control_weight_share": float(w0.max() / w0.sum()),
            "ps_converged": self.logit.converged,
            "ps_iterations": self.logit.iterations,
            "ps_separation": self.logit.separation,
        }


def att_weights_of(
    p: Prepared,
    *,
    trim: tuple[float, float] | float | None = None,
    penalty: float = 0.0,
) -> AttWeights:
    """Fit the logit score on ``p``, trim, and build ATT weights; unusable weights are an error.

    The score is fitted on all units; trimmed units (score outside ``trim``) weigh 0.
    """
    design = p.design()
    logit = fit_logit(p.d, design, p.w, penalty=penalty)
    e = logit.ps
    bounds = trim_bounds(trim)
    keep = trim_mask(e, bounds)
    with np.errstate(divide="ignore", invalid="ignore"):
        odds = np.where(p.d == 0, e / (1 - e), 0.0)
    w1 = p.w * p.d * keep
    w0 = np.where(keep & (p.d == 0), p.w * odds, 0.0)  # trimmed controls weigh 0, not NaN
    n_infinite = int((~np.isfinite(w0)).sum())
    if n_infinite:
        raise InsufficientDataError(
            f"{n_infinite} controls have a propensity score of 1 (infinite weight): trim the "
            "scores (trim=...) or drop covariates that separate the groups",
            estimator=p.estimator,
            outcome=p.outcome,
        )
    if w1.sum() <= 0 or w0.sum() <= 0:
        raise InsufficientDataError(
            "no treated or no control units with usable propensity weights after trimming",
            estimator=p.estimator,
            outcome=p.outcome,
        )
    return AttWeights(logit, design, p.d == 1, keep, w1, w0, bounds)


def propensity_score(
    frame: pd.DataFrame,
    treatment: str,
    covariates: Sequence[str],
    *,
    weights: str | None = None,
    penalty: float = 0.0,
) -> pd.Series:
    """Fitted logit score per row of ``frame`` (NaN where a covariate is missing)."""
    p = prepare(frame, treatment, treatment, covariates, weights=weights, estimator="propensity")
    fit = fit_logit(p.d, p.design(), p.w, penalty=penalty)
    out = pd.Series(np.nan, index=frame.index, name="propensity_score")
    out.loc[p.index] = fit.ps
    return out
