"""A small simulator of the stacked risk-set sample with a dip, a fixed unobserved trait and a known
effect path, in the column names of the analysis sample (one row per person and reference month).

Each person has a monthly chance of work ``p_it = clip(a(x_i) + alpha_i + tau_t + eta_it)``:
``a`` is linear in recorded traits (age, sex, education, birth region), ``alpha_i`` a fixed trait
the registers never see, ``tau_t`` the calendar (a season and a recession year) and ``eta_it`` a
transitory AR(1) shock with occasional job losses (a drop of ``job_loss`` that fades at rate
``persistence`` a month). Work is a Bernoulli draw; a household without work draws assistance in most months
(``need_i``, larger for bigger households). Because the risk set at u (out of work at u-1,
assistance in one of the months u-3..u-1, never joined before) is entered after bad months,
participants and comparison units alike enter in a dip; ``dip`` > 0 makes caseworkers also
pick those whose latent shock at u-1 is deepest (a differential dip that the registers do not
record). Within the risk set persons join with a logit hazard in the recorded traits, the
calendar and ``hidden`` times the standardised trait ``alpha_i`` (a hidden drive).
``trend`` breaks parallel trends directly (as Roth 2022 does to gauge pre-tests): participants'
observed work paths from 18 months before to 36 months after start get ``trend * e / 12`` added
(e = event time), a drift that no covariate records and that the truth does not include.

Joining at u adds ``EFFECT_PATH[e]`` to the chance of work e months later (lock-in, then a
lasting gain). The truth is that of the ``not_yet_treated`` comparison (Sianesi 2004): the mean
over participants of E[Y(join at u) - Y(not at u, perhaps later) | history to u], the second
term averaged over ``truth_reps`` re-simulated futures in which the participant may join later.

Columns: ``unit_id``, ``cluster_id``, ``treated``, ``ref_month``, ``start_quarter``, recorded
traits, histories at u-1, the pre paths ``work_or_study_b{k}``/``assistance_sek_b{k}`` (k = 1..36),
the post paths ``work_or_study_m{k}``/``assistance_sek_m{k}`` (NaN after a move), the standard
outcomes, the placebo outcomes, ``months_observed`` and ``observed_{6,12,24,36}m``.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

PRE = 40  # months simulated before the first intake month (36 of pre paths, and a margin)
POST = 36
BURN_IN = 24
SHOCK_SD = 0.06
JOB_LOSS_RATE = 0.02
ALPHA_SD = 0.10
NEED_SHARE = 0.85
HISTORY_WINDOWS = (3, 6, 12, 24, 36)
HORIZONS = (6, 12, 24, 36)
#: Recorded traits and calendar (what a DiD may condition on besides pre-base histories).
STATIC_COVARIATES = (
    "age",
    "female",
    "edu_gymnasial",
    "edu_eftergymnasial",
    "born_outside_europe",
    "household_size",
    "start_quarter",
)
#: Histories at u-1, as the analysis sample's default covariate list holds them. Not
#: ``months_since_work``: at u-1 everyone is out of work, so it equals ``months_out_of_work``.
HISTORY_COVARIATES = (
    *(f"work_months_{h}m_before" for h in HISTORY_WINDOWS),
    *(f"assistance_months_{h}m_before" for h in HISTORY_WINDOWS),
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "months_out_of_work",
    "months_on_assistance",
)


def effect_path(scale: float = 1.0) -> np.ndarray:
    """Effect on the chance of work e = 0..36 months after start: lock-in, then +0.15 from e = 9."""
    e = np.arange(POST + 1)
    path = -0.10 + 0.25 * np.clip((e - 3) / 6, 0.0, 1.0)
    path[0] = 0.0
    return scale * path


@dataclass(frozen=True)
class DesignWorld:
    """A simulated stacked sample and its truth (ATT per outcome name and per event time)."""

    frame: pd.DataFrame
    truth: dict[str, float]
    truth_path: dict[str, dict[int, float]]


def _clip(p: np.ndarray) -> np.ndarray:
    return np.clip(p, 0.02, 0.98)


def _calendar(t: np.ndarray) -> np.ndarray:
    """A season and a recession year early in the intake window."""
    return 0.03 * np.sin(2 * np.pi * t / 12) - 0.06 * ((t >= PRE + 4) & (t < PRE + 16))


def _join_logit(
    base: np.ndarray,
    alpha: np.ndarray,
    eta_prev: np.ndarray,
    t: int | np.ndarray,
    hidden: float,
    dip: float,
) -> np.ndarray:
    """The joining hazard's logit of persons in the risk set at month t."""
    return (
        base + 0.25 * np.cos(2 * np.pi * t / 12) + hidden * alpha / ALPHA_SD - dip * eta_prev / 0.15
    )


def simulate_stacked(
    n_persons: int = 3000,
    *,
    seed: int = 0,
    intake_months: int = 24,
    hidden: float = 0.0,
    dip: float = 0.0,
    trend: float = 0.0,
    attrition: float = 0.0,
    control_share: float = 0.3,
    effect_scale: float = 1.0,
    join_rate: float = -4.4,
    persistence: float = 0.6,
    job_loss: float = 0.35,
    truth_reps: int = 20,
) -> DesignWorld:
    """Simulate persons month by month and return the stacked risk-set sample and its truth."""
    rng = np.random.default_rng(seed)
    n = n_persons
    T = PRE + intake_months + POST
    first_u, last_u = PRE, PRE + intake_months - 1
    age0 = rng.uniform(22, 58, n)
    female = rng.binomial(1, 0.5, n).astype(float)
    edu = rng.choice(3, size=n, p=(0.3, 0.5, 0.2))
    born_out = rng.binomial(1, 0.3, n).astype(float)
    hh_size = rng.choice([1, 2, 3, 4], size=n, p=(0.4, 0.3, 0.2, 0.1)).astype(float)
    alpha = rng.normal(0.0, ALPHA_SD, n)
    need = 5000.0 + 1500.0 * (hh_size - 1)
    a = (
        0.50
        + 0.08 * (edu == 1)
        + 0.15 * (edu == 2)
        - 0.05 * female
        - 0.08 * born_out
        - 0.003 * (age0 - 40)
    )
    join_base = join_rate + 0.3 * (edu == 2) + 0.3 * female - 0.02 * (age0 - 40) - 0.2 * born_out
    path = effect_path(effect_scale)

    # the transitory shock, from a burn-in so that month 0 is stationary
    eta = np.zeros((n, T))
    state = np.zeros(n)
    for t in range(-BURN_IN, T):
        state = (
            persistence * state
            + rng.normal(0.0, SHOCK_SD, n)
            - job_loss * (rng.random(n) < JOB_LOSS_RATE)
        )
        if t >= 0:
            eta[:, t] = state
    months = np.arange(T)
    p0 = a[:, None] + alpha[:, None] + _calendar(months)[None, :] + eta

    # moving away: after month ``moved`` a person's registers end (participants move less)
    move_h = attrition * np.exp(0.4 * (edu == 2) - 0.3 * female + 0.02 * (age0 - 40))
    moved = np.full(n, T + 100)
    u_move = rng.random((n, T))
    u_work = rng.random((n, T))
    u_need = rng.random((n, T))
    u_join = rng.random((n, T))
    work = np.zeros((n, T))
    sek = np.zeros((n, T))
    joined_at = np.full(n, -1)
    uplift = np.zeros((n, T))
    at_risk: dict[int, np.ndarray] = {}
    for t in range(T):
        p = _clip(p0[:, t] + uplift[:, t])
        work[:, t] = u_work[:, t] < p
        sek[:, t] = (1 - work[:, t]) * (u_need[:, t] < NEED_SHARE) * need
        if attrition and t > first_u:
            hazard = move_h * np.where(joined_at >= 0, 0.6, 1.0)
            leave = (moved > T) & (u_move[:, t] < hazard)
            moved[leave] = t
        nxt = t + 1
        if first_u <= nxt <= last_u:
            risk = (
                (work[:, t] == 0)
                & (sek[:, max(nxt - 3, 0) : nxt].sum(axis=1) > 0)
                & (joined_at < 0)
                & (moved >= nxt)
            )
            logit = _join_logit(join_base, alpha, eta[:, t], nxt, hidden, dip)
            join = risk & (u_join[:, nxt] < 1 / (1 + np.exp(-logit)))
            joined_at[join] = nxt
            stop = min(nxt + POST + 1, T)
            uplift[join, nxt:stop] += path[: stop - nxt][None, :]
            at_risk[nxt] = risk

    # units: participants at their start month, drawn comparison units at each month
    rows_i, rows_u, rows_d = [], [], []
    draw = rng.random((n, intake_months))
    for j, u in enumerate(range(first_u, last_u + 1)):
        risk = at_risk[u]
        part = joined_at == u
        ctrl = risk & ~part & (draw[:, j] < control_share)
        for who, d in ((np.flatnonzero(part), 1), (np.flatnonzero(ctrl), 0)):
            rows_i.append(who)
            rows_u.append(np.full(who.size, u))
            rows_d.append(np.full(who.size, d))
    i = np.concatenate(rows_i)
    u = np.concatenate(rows_u)
    d = np.concatenate(rows_d)
    frame = _frame(i, u, d, age0, female, edu, born_out, hh_size, work, sek, moved, T, trend)
    truth, truth_path = _truth(
        i[d == 1],
        u[d == 1],
        p0,
        need,
        path,
        work,
        sek,
        eta,
        alpha,
        join_base,
        (hidden, dip),
        last_u,
        T,
        np.random.default_rng([seed, 7]),
        truth_reps,
    )
    return DesignWorld(frame, truth, truth_path)


def _frame(
    i, u, d, age0, female, edu, born_out, hh_size, work, sek, moved, T, trend=0.0
) -> pd.DataFrame:
    """The stacked sample's columns for units (person i, reference month u, treated d)."""
    cols: dict[str, np.ndarray] = {
        "unit_id": np.arange(1, i.size + 1),
        "cluster_id": i + 1,
        "treated": d,
    }
    year, month = 2018 + u // 12, u % 12 + 1
    cols["ref_month"] = pd.to_datetime({"year": year, "month": month, "day": 1}).to_numpy()
    cols["start_quarter"] = np.array(
        [f"{y}Q{(m - 1) // 3 + 1}" for y, m in zip(year, month, strict=True)]
    )
    cols["age"] = np.floor(age0[i] + (u - PRE) / 12)
    cols["female"] = female[i]
    cols["edu_gymnasial"] = (edu[i] == 1).astype(float)
    cols["edu_eftergymnasial"] = (edu[i] == 2).astype(float)
    cols["born_outside_europe"] = born_out[i]
    cols["household_size"] = hh_size[i]
    back = u[:, None] - np.arange(1, 37)[None, :]  # month of b1..b36
    w_pre = work[i[:, None], back]
    if trend:
        drift = trend * d[:, None] * np.arange(-1, -37, -1)[None, :] / 12.0
        w_pre = w_pre + np.where(np.arange(1, 37) <= 18, drift, 0.0)
    s_pre = sek[i[:, None], back]
    for k in range(36):
        cols[f"work_or_study_b{k + 1}"] = w_pre[:, k]
    for k in range(36):
        cols[f"assistance_sek_b{k + 1}"] = s_pre[:, k]
    for h in HISTORY_WINDOWS:
        cols[f"work_months_{h}m_before"] = w_pre[:, :h].sum(axis=1)
        cols[f"assistance_months_{h}m_before"] = (s_pre[:, :h] > 0).sum(axis=1)
    for h in (12, 24):
        cols[f"assistance_sek_{h}m_before"] = s_pre[:, :h].sum(axis=1)
    worked = w_pre > 0
    since = np.where(worked.any(axis=1), worked.argmax(axis=1), 36)
    cols["months_out_of_work"] = since.astype(float)  # current spell, capped at 36
    cols["months_since_work"] = since.astype(float)
    on = s_pre > 0
    cols["months_on_assistance"] = np.where((~on).any(axis=1), (~on).argmax(axis=1), 36).astype(
        float
    )
    ahead = u[:, None] + np.arange(1, POST + 1)[None, :]
    inside = ahead < T
    ahead = np.minimum(ahead, T - 1)
    seen = inside & (ahead <= moved[i][:, None])
    w_post = np.where(seen, work[i[:, None], ahead], np.nan)
    if trend:
        w_post = w_post + trend * d[:, None] * np.arange(1, POST + 1)[None, :] / 12.0
    s_post = np.where(seen, sek[i[:, None], ahead], np.nan)
    for k in range(POST):
        cols[f"work_or_study_m{k + 1}"] = w_post[:, k]
    for k in range(POST):
        cols[f"assistance_sek_m{k + 1}"] = s_post[:, k]
    months_observed = seen.sum(axis=1)
    cols["months_observed"] = months_observed.astype(float)
    for h in HORIZONS:
        obs = months_observed >= h
        cols[f"observed_{h}m"] = obs.astype(float)
        cols[f"work_or_study_{h}m"] = np.where(obs, w_post[:, h - 1], np.nan)
        cols[f"work_or_study_months_{h}m"] = np.where(obs, w_post[:, :h].sum(axis=1), np.nan)
        cols[f"assistance_sek_{h}m"] = np.where(obs, s_post[:, :h].sum(axis=1), np.nan)
    cols["assistance_months_12m"] = np.where(
        months_observed >= 12, (s_post[:, :12] > 0).sum(axis=1), np.nan
    )
    cols["placebo_work_or_study_25m_before"] = w_pre[:, 24]
    cols["placebo_assistance_sek_25_36m_before"] = s_pre[:, 24:36].sum(axis=1)
    return pd.DataFrame(cols)


def _truth(
    i, u, p0, need, path, work, sek, eta, alpha, join_base, sel, last_u, T, rng, reps
) -> tuple[dict[str, float], dict[str, dict[int, float]]]:
    """Mean over participants of E[Y(join at u)] - E[Y(not at u, perhaps later)], per month."""
    hidden, dip = sel
    m = i.size
    e = np.arange(1, POST + 1)
    ahead = u[:, None] + e[None, :]
    inside = ahead < T
    ahead_c = np.minimum(ahead, T - 1)
    base = p0[i[:, None], ahead_c]
    ey1 = _clip(base + path[1:][None, :])
    ey0 = np.zeros_like(ey1)
    for _ in range(reps):
        uplift = np.zeros((m, POST + 1))  # months u..u+36, relative to u
        joined = np.zeros(m, dtype=bool)
        recent = [sek[i, u - 2], sek[i, u - 1]]
        for k in range(POST + 1):
            t = np.minimum(u + k, T - 1)
            p = _clip(p0[i, t] + uplift[:, k])
            if k >= 1:
                ey0[:, k - 1] += p
            w = rng.random(m) < p
            s = (~w) * (rng.random(m) < NEED_SHARE) * need[i]
            nxt = u + k + 1
            risk = ~w & ((recent[0] + recent[1] + s) > 0) & ~joined & (nxt <= last_u)
            recent = [recent[1], s]
            logit = _join_logit(join_base[i], alpha[i], eta[i, t], nxt, hidden, dip)
            go = risk & (rng.random(m) < 1 / (1 + np.exp(-logit)))
            joined |= go
            if go.any() and k + 1 <= POST:
                span = POST + 1 - (k + 1)
                uplift[np.flatnonzero(go), k + 1 :] += path[:span][None, :]
    ey0 /= reps
    valid = inside.all(axis=0)
    d_work = np.where(inside, ey1 - ey0, np.nan)
    d_sek = np.where(inside, NEED_SHARE * need[i][:, None] * (ey0 - ey1), np.nan)
    work_path = {int(k): float(np.nanmean(d_work[:, k - 1])) for k in e}
    sek_path = {int(k): float(np.nanmean(d_sek[:, k - 1])) for k in e}
    truth: dict[str, float] = {}
    for h in HORIZONS:
        truth[f"work_or_study_{h}m"] = work_path[h]
        truth[f"work_or_study_months_{h}m"] = float(np.nanmean(d_work[:, :h].sum(axis=1)))
        truth[f"assistance_sek_{h}m"] = float(np.nanmean(d_sek[:, :h].sum(axis=1)))
    truth["all_months_inside"] = bool(valid.all())
    for k in range(-36, 0):
        work_path[k] = 0.0
        sek_path[k] = 0.0
    return truth, {"work_or_study": work_path, "assistance_sek": sek_path}


def simulate_censored(n: int, seed: int) -> tuple[pd.DataFrame, float]:
    """A cross-section with an effect of 1 + x where participants with high x leave more often.

    Returns the frame (``x``, ``treated``, ``observed_12m``, ``y`` missing where not observed)
    and the true ATT over all participants (observed or not): complete cases understate it,
    inverse-probability-of-censoring weights on (treated, x) recover it.
    """
    rng = np.random.default_rng(seed)
    x = rng.normal(size=n)
    d = rng.binomial(1, 1 / (1 + np.exp(-(0.5 * x))))
    y = 1.0 + 0.5 * x + d * (1.0 + x) + rng.normal(size=n)
    stay = rng.binomial(1, 1 / (1 + np.exp(-(1.0 - 1.5 * x * d))))
    frame = pd.DataFrame({"x": x, "treated": d, "observed_12m": stay})
    frame["y"] = np.where(stay == 1, y, np.nan)
    return frame, float(np.mean(1.0 + x[d == 1]))
