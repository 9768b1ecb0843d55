"""A small simulator of monthly paths after start with a known lock-in and known cumulative effects.

Units are person-months (several rows per person: ``cluster_id``); treatment follows a logit in
two covariates, so the naive comparison is biased and AIPW is not. In work or studies in month k
(0/1) has a linear-probability untreated path rising with k and with ``x1``; the measure lowers
it by ``lock_in_effect`` in months 1..``lock_in`` and raises it by ``after_effect`` from then
on. Assistance (SEK) falls with work. Each row is observed through a random last month (the data
end, people moving away): later months are NaN.
"""

from __future__ import annotations

import numpy as np
import pandas as pd


def true_work_months(h: int, lock_in: int, lock_in_effect: float, after_effect: float) -> float:
    """Sum of the monthly effects over months 1..h."""
    during = min(h, lock_in)
    return during * lock_in_effect + max(0, h - lock_in) * after_effect


def simulate_paths(
    n: int = 3000,
    months: int = 24,
    *,
    seed: int = 0,
    lock_in: int = 6,
    lock_in_effect: float = -0.25,
    after_effect: float = 0.15,
    sek_per_work: float = -6000.0,
    observed_from: int = 12,
) -> pd.DataFrame:
    """Rows of covariates, treatment, cluster and monthly paths ``work_or_study_m{k}``,
    ``assistance_sek_m{k}`` for k = 1..months, NaN after each row's last observed month."""
    rng = np.random.default_rng(seed)
    x1, x2 = rng.normal(size=n), rng.normal(size=n)
    ps = 1 / (1 + np.exp(-(-1.2 + 0.7 * x1 - 0.4 * x2)))
    treated = rng.binomial(1, ps)
    k = np.arange(1, months + 1)
    base = np.clip(0.3 + 0.005 * k[None, :] + 0.08 * x1[:, None], 0.3, 0.8)
    effect = np.where(k <= lock_in, lock_in_effect, after_effect)
    p = base + treated[:, None] * effect[None, :]
    work = rng.binomial(1, p).astype(float)
    sek = np.clip(9000 + sek_per_work * work + 800 * x2[:, None], 0, None)
    sek += rng.normal(scale=500, size=sek.shape)
    last = rng.integers(observed_from, months + 1, size=n)
    unseen = k[None, :] > last[:, None]
    work[unseen] = np.nan
    sek[unseen] = np.nan
    frame = pd.DataFrame(
        {"x1": x1, "x2": x2, "treated": treated, "cluster_id": rng.integers(0, n // 2, n)}
    )
    paths = {f"work_or_study_m{j}": work[:, j - 1] for j in k}
    paths |= {f"assistance_sek_m{j}": sek[:, j - 1] for j in k}
    frame = pd.concat([frame, pd.DataFrame(paths)], axis=1)
    for h in (12, 24):
        if h <= months:
            frame[f"work_or_study_months_{h}m"] = np.where(
                np.isnan(work[:, :h]).any(axis=1), np.nan, np.nansum(work[:, :h], axis=1)
            )
            frame[f"assistance_sek_{h}m"] = np.where(
                np.isnan(sek[:, :h]).any(axis=1), np.nan, np.nansum(sek[:, :h], axis=1)
            )
    return frame


COVARIATES = ("x1", "x2")
