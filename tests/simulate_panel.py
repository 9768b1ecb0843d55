"""A simulated staggered-adoption panel with known effects that differ by cohort and time.

Units have a covariate x; their cohort (first treated period, 0 = never) depends on x through a
multinomial logit, and their untreated outcome is α(x) + noise + λ_t + ε_it, so parallel trends
hold and selection is on x only. The effect of cohort g in period t ≥ g is a lock-in at start
followed by a gain that grows with time since start at a cohort-specific slope: exactly the case
where two-way fixed effects is biased (already-treated units serve as controls) while
Callaway–Sant'Anna and Sianesi's dynamic matching are not.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PERIODS = np.arange(1, 13)
COHORTS = (0, 4, 6, 8, 10)
#: cohort-specific slope of the effect per period since start
SLOPES = {4: 0.10, 6: 0.20, 8: 0.30, 10: 0.40}
LOCK_IN = -0.20
#: multinomial-logit intercepts and x-slopes of cohort membership (cohort 0 is the base)
COHORT_INTERCEPT = {4: -0.8, 6: -0.8, 8: -0.8, 10: -0.8}
COHORT_X = {4: 0.8, 6: 0.6, 8: 0.4, 10: 0.2}


def effect(g: int, t: int | np.ndarray, slopes: dict[int, float] | None = None) -> np.ndarray:
    """True effect on cohort g in period t: lock-in at start, then slope × periods since start."""
    slopes = SLOPES if slopes is None else slopes
    e = np.asarray(t) - g
    return np.where(e < 0, 0.0, np.where(e == 0, LOCK_IN, slopes.get(g, 0.0) * e))


def cohort_probabilities(x: np.ndarray) -> np.ndarray:
    """P(cohort = g | x) for g in COHORTS (columns in that order)."""
    scores = np.column_stack(
        [np.zeros_like(x)] + [COHORT_INTERCEPT[g] + COHORT_X[g] * x for g in COHORTS[1:]]
    )
    expd = np.exp(scores - scores.max(axis=1, keepdims=True))
    return expd / expd.sum(axis=1, keepdims=True)


@dataclass(frozen=True)
class SimPanel:
    """The simulated long panel and the unit-level draws behind it."""

    frame: pd.DataFrame  # unit, period, cohort, x, y, d (treated now)
    units: pd.DataFrame  # unit, cohort, x
    slopes: dict[int, float]

    def effect(self, g: int, t: int | np.ndarray) -> np.ndarray:
        """True effect on cohort g in period t in this simulation."""
        return effect(g, t, self.slopes)

    def att_gt(self) -> dict[tuple[int, int], float]:
        """True ATT(g,t) for every cohort and period."""
        return {(g, int(t)): float(self.effect(g, t)) for g in COHORTS[1:] for t in PERIODS}

    def simple_att(self) -> float:
        """True simple aggregate: post-treatment ATT(g,t) averaged with cohort-size weights (as ``cs_did``)."""
        sizes = self.units["cohort"].value_counts()
        num = den = 0.0
        for g in COHORTS[1:]:
            for t in PERIODS[g <= PERIODS]:
                num += sizes.get(g, 0) * float(self.effect(g, t))
                den += sizes.get(g, 0)
        return num / den

    def dynamic_att(self, e: int) -> float:
        """True effect e periods after start, averaged over cohorts observed then (cohort-size weights)."""
        sizes = self.units["cohort"].value_counts()
        pairs = [
            (sizes.get(g, 0), float(self.effect(g, g + e)))
            for g in COHORTS[1:]
            if g + e <= PERIODS.max()
        ]
        return sum(s * v for s, v in pairs) / sum(s for s, _ in pairs)

    def treated_obs_att(self) -> float:
        """Average true effect over treated unit-periods (what a TWFE coefficient would ideally be)."""
        f = self.frame[self.frame["d"] == 1]
        return float(
            np.mean([self.effect(g, t) for g, t in zip(f["cohort"], f["period"], strict=True)])
        )

    def stacked(self, horizons: range) -> pd.DataFrame:
        """Sianesi's stacked frame: per start period u, joiners in u vs those not yet joined by u."""
        wide = self.frame.pivot(index="unit", columns="period", values="y")
        u_info = self.units.set_index("unit").loc[wide.index]
        rows = []
        for u in COHORTS[1:]:
            at_risk = (u_info["cohort"] == 0) | (u_info["cohort"] >= u)
            part = pd.DataFrame(
                {
                    "unit_id": wide.index[at_risk],
                    "start_period": u,
                    "treated": (u_info.loc[at_risk, "cohort"] == u).astype(int).to_numpy(),
                    "x": u_info.loc[at_risk, "x"].to_numpy(),
                    "y_pre": wide.loc[at_risk, u - 1].to_numpy(),
                }
            )
            for k in horizons:
                part[f"y_m{k}"] = (
                    wide.loc[at_risk, u + k].to_numpy() if u + k in wide.columns else np.nan
                )
            rows.append(part)
        return pd.concat(rows, ignore_index=True)

    def sianesi_att(self, k: int) -> float:
        """True effect of joining at u rather than waiting, k periods after u, over joiners (all u pooled).

        A joiner's comparison is a unit with the same x that has not joined by u and does not join
        in u: it joins at a later g with probability P(g | x) / P(cohort 0 or > u | x) and, if
        g ≤ u + k, already has that cohort's effect in period u + k.
        """
        total, count = 0.0, 0
        for u in COHORTS[1:]:
            if u + k > PERIODS.max():
                continue
            joiners = self.units[self.units["cohort"] == u]
            probs = cohort_probabilities(joiners["x"].to_numpy())
            later = [j for j, g in enumerate(COHORTS) if g > u]
            waiting_mass = probs[:, 0] + sum(probs[:, j] for j in later)
            waiting = sum(
                probs[:, j] / waiting_mass * float(self.effect(COHORTS[j], u + k)) for j in later
            )
            gain = np.full(len(joiners), float(self.effect(u, u + k))) - waiting
            total += float(np.sum(gain))
            count += len(joiners)
        return total / count


def simulate_panel(
    n_units: int = 3000,
    seed: int = 20261126,
    noise: float = 0.3,
    slopes: dict[int, float] | None = None,
    pretrend: float = 0.0,
) -> SimPanel:
    """Draw a staggered panel over periods 1–12 with cohorts 4, 6, 8, 10 and never treated.

    ``slopes`` overrides the cohort-specific effect slopes (equal slopes = homogeneous effects);
    ``pretrend`` adds a trend of that size per period to ever-treated units (breaks parallel trends).
    """
    slopes = dict(SLOPES if slopes is None else slopes)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n_units)
    probs = cohort_probabilities(x)
    u = rng.random(n_units)[:, None]
    cohort = np.asarray(COHORTS)[(u > np.cumsum(probs, axis=1)).sum(axis=1)]
    alpha = 1.0 * x + rng.normal(scale=0.5, size=n_units)
    lam = 0.1 * PERIODS + 0.05 * np.sin(PERIODS)
    unit_ids = np.arange(1, n_units + 1)
    uu, tt = np.meshgrid(unit_ids, PERIODS, indexing="ij")
    gg = np.repeat(cohort[:, None], len(PERIODS), axis=1)
    tau = np.zeros_like(tt, dtype=float)
    for g in COHORTS[1:]:
        rows = cohort == g
        tau[rows] = effect(g, tt[rows], slopes)
    trend = pretrend * (gg > 0) * tt
    y = alpha[:, None] + lam[None, :] + trend + tau + rng.normal(scale=noise, size=tt.shape)
    d = ((gg > 0) & (tt >= gg)).astype(int)
    frame = pd.DataFrame(
        {
            "unit": uu.ravel(),
            "period": tt.ravel(),
            "cohort": gg.ravel(),
            "x": np.repeat(x, len(PERIODS)),
            "y": y.ravel(),
            "d": d.ravel(),
        }
    )
    units = pd.DataFrame({"unit": unit_ids, "cohort": cohort, "x": x})
    return SimPanel(frame, units, slopes)
