"""The synthetic municipality: seeded registers in the DESIGN 3.1 format with known true effects.

Persons live in households of one or two adults. Each month a person works (or studies) or not;
a person without work and without other income draws a share of the household's assistance.
At the start of each month, eligible persons (household assistance in one of the last three
months, aged 18-64, out of work the month before, not in a measure) join measures with
multinomial-logit hazards on covariates measured before the month exactly as the analysis
sample measures them (``evalkit.data.sample``); then everyone else keeps, loses or finds work.
A latent ability (the "drive") that never reaches the registers raises job finding all life
long, so it shapes the work history the covariates record.

Scenarios (``SCENARIOS``, ``--scenario`` of ``evalkit synth``) choose how participants are picked:

- ``observables``: the hazard uses today's covariates only (``BASE_COVARIATES``) and job finding
  has no duration dependence: adjusting for the covariates is enough (kept for tests);
- ``dip`` (the demo city, default): participants enter after a job loss or during a lengthening
  assistance spell (the hazard also uses the recent histories of ``DEFAULT_COVARIATES``), and job
  finding slows the longer a person has been out of work (duration dependence), so recent
  histories matter. One measure, Språkpraktik, also picks on the unrecorded drive
  (``MeasureSpec.drive``), so the demo shows what a conclusion that cannot be trusted looks like:
  its participants were already more often in work 25-36 months before start;
- ``hidden_drive``: as ``dip``, but every measure also picks on the drive, which raises job finding
  before and after the start and so leaves a trace in work more than 24 months before start;
- ``calendar``: as ``dip``, with uneven intake by quarter (``INTAKE_SHIFT``) and a recession year
  (``RECESSION_YEAR``) that lowers job finding for everyone;
- ``attrition``: as ``dip``, and households move away (``MOVE_HAZARD``): their status and
  assistance rows end, and a measure they are in ends with the reason ``flytt``.

The truth of a measure is the mean over its participants starting in the intake window of
E[Y(1) - Y(0) | history to the start month]: Y(1) continues as the person did, Y(0) is the same
household re-simulated without a start that month (the person may join a measure later, as
anyone eligible may). This is the effect of joining now against not joining now (Sianesi 2004)
among persons who were out of work the month before, which the analysis sample's comparison
(eligible in u, out of work in u - 1, not in a measure in u) identifies. Under ``attrition`` a
mover's outcome at horizon h is unobserved in both worlds alike (moving does not depend on the
measure: it is drawn from the household's own random numbers with a hazard on birth region and
household size), and the truth at h averages the participants still in the registers at u + h,
the population whose outcomes the sample observes.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from evalkit.data.months import month_dates, month_number
from evalkit.data.sample import (
    DEFAULT_COVARIATES,
    SPELL_CAP,
    STANDARD_OUTCOMES,
)
from evalkit.data.schema import STATUS

PERIOD = ("2018-01", "2025-12")
TRUTH_INTAKE = ("2021-01", "2023-12")
ELIGIBLE_AGES = (18, 64)
ELIGIBILITY_MONTHS = 3
BURN_IN_MONTHS = 36
_SEK = 1.0 / 10_000  # selection coefficients on SEK are given per 10,000 SEK

_STATUS_CODE = {s: i for i, s in enumerate(STATUS)}
_WORK_LABELS = np.array([_STATUS_CODE[s] for s in ("arbete", "arbete_subventionerat", "studier")])
_WORK_LABEL_P = np.array([0.74, 0.12, 0.14])
_IDLE_LABELS = np.array(
    [_STATUS_CODE[s] for s in ("arbetslos", "af_program", "sjuk", "foraldraledig", "okand")]
)
_IDLE_LABEL_P = np.array([0.56, 0.15, 0.14, 0.08, 0.07])
_IN_MEASURE = _STATUS_CODE["kommunal_insats"]
_WORK_END_REASON = {
    _STATUS_CODE["arbete"]: "arbete_osubventionerat",
    _STATUS_CODE["arbete_subventionerat"]: "arbete_subventionerat",
    _STATUS_CODE["studier"]: "studier",
}
_OTHER_END_REASONS = np.array(["annan_insats", "annat", "sjukdom_foraldraledighet", "flytt"])
_OTHER_END_P = np.array([0.38, 0.37, 0.16, 0.09])
_DROPOUT_REASONS = np.array(["avbrott", "sjukdom_foraldraledighet", "flytt"])
_DROPOUT_P = np.array([0.7, 0.2, 0.1])


#: Job-finding logit falls by this times log(1 + months out of work) (the ``dip`` scenarios).
DURATION_DEPENDENCE = 0.6
#: The drive's coefficient in every measure's hazard under ``hidden_drive``.
HIDDEN_DRIVE = 0.9
#: Calendar scenario: intake hazard shift per quarter of 2021..2023 (summer and budget troughs).
INTAKE_SHIFT = (0.5, 0.0, -1.0, 0.3, 0.6, 0.2, -0.8, 0.9, 0.8, 0.3, -1.1, -0.4)
#: Calendar scenario: the year in which job finding falls for everyone, and by how much (logit).
RECESSION_YEAR, RECESSION_EFFECT = 2022, -0.7
#: Attrition scenario: monthly logit of a household moving away (before birth region and size).
MOVE_HAZARD = -5.4


@dataclass(frozen=True)
class Scenario:
    """How the synthetic city picks participants and what else happens to everyone."""

    name: str
    description: str
    histories: bool = True  # hazard also on recent histories (MeasureSpec.dip_coef)
    duration_dependence: float = DURATION_DEPENDENCE  # job-finding logit per log(1 + months out)
    drive: str = "demo"  # selection on the latent drive: "demo" (MeasureSpec.drive) or "all"
    calendar: bool = False  # uneven intake by quarter and a recession year
    attrition: bool = False  # households move away


SCENARIOS: dict[str, Scenario] = {
    s.name: s
    for s in (
        Scenario(
            "observables",
            "selection on today's covariates only, no duration dependence (for tests)",
            histories=False,
            duration_dependence=0.0,
            drive="none",
        ),
        Scenario(
            "dip",
            "entry after a job loss or a lengthening assistance spell, duration dependence; "
            "Språkpraktik also picks on an unrecorded drive (the demo city)",
        ),
        Scenario(
            "hidden_drive",
            "as dip, and every measure also picks on an unrecorded drive that raises job finding",
            drive="all",
        ),
        Scenario(
            "calendar",
            "as dip, with uneven intake by quarter and a recession year (2022)",
            calendar=True,
        ),
        Scenario(
            "attrition",
            "as dip, and households move away (their registers end; end reason flytt)",
            attrition=True,
        ),
    )
}
DEFAULT_SCENARIO = "dip"


def get_scenario(name: str | Scenario) -> Scenario:
    """A scenario by name; unknown names are an error that lists the known ones."""
    if isinstance(name, Scenario):
        return name
    if name not in SCENARIOS:
        raise ValueError(f"unknown scenario '{name}'; known: {', '.join(SCENARIOS)}")
    return SCENARIOS[name]


@dataclass(frozen=True)
class MeasureSpec:
    """One synthetic measure: register facts, how people are selected, and its true effect.

    The hazard of joining is a logit with ``intercept`` and ``coef`` (on ``BASE_COVARIATES``)
    under ``observables``; the other scenarios use ``dip_intercept`` and add ``dip_coef`` (on the
    histories of ``DEFAULT_COVARIATES``) and ``drive`` times the unrecorded drive. Effects shift
    the logit of finding work: ``during`` while in the measure, ``after`` from its end until
    ``effect_months`` after start. ``paid`` measures pay a wage, so the participant's share of
    assistance stops while in the measure.
    """

    measure_id: str
    name: str
    type: str
    owner: str
    decision_ref: str
    cost_per_month: float
    external_share: float
    duration: tuple[int, int]
    intercept: float
    coef: dict[str, float]
    during: float = 0.0
    after: float = 0.0
    effect_months: int = 36
    paid: bool = False
    active: tuple[str, str] = ("2019-01", "2024-12")
    dip_intercept: float = 0.0
    dip_coef: dict[str, float] = field(default_factory=dict)
    drive: float = 0.0


MEASURES: tuple[MeasureSpec, ...] = (
    MeasureSpec(
        "jobbspar_vard",
        "Jobbspår vård och omsorg",
        "jobbspar",
        "Arbetsmarknadsenheten",
        "AMN 2018/214",
        6_500.0,
        0.4,
        (4, 6),
        -6.0,
        {
            "female": 0.8,
            "edu_gymnasial": 0.6,
            "edu_eftergymnasial": 0.4,
            "age": -0.025,
            "work_months_24m_before": 0.05,
            "assistance_months_24m_before": -0.03,
            "earlier_measures": -0.4,
        },
        during=1.0,
        after=1.0,
        dip_intercept=-5.9,
        dip_coef={"work_months_6m_before": 0.2, "months_out_of_work": -0.1},
    ),
    MeasureSpec(
        "arbetsmarknadsanstallning",
        "Arbetsmarknadsanställning",
        "anstallning",
        "Arbetsmarknadsenheten",
        "KS 2018/1102",
        24_000.0,
        0.0,
        (12, 12),
        -7.7,
        {
            "assistance_months_24m_before": 0.07,
            "work_months_24m_before": -0.05,
            "age": 0.01,
            "edu_gymnasial": 0.2,
            "earlier_measures": 0.4,
        },
        during=-2.5,
        after=1.3,
        paid=True,
        dip_intercept=-9.6,
        dip_coef={"months_on_assistance": 0.06, "months_out_of_work": 0.03},
    ),
    MeasureSpec(
        "praktik",
        "Praktik",
        "praktik",
        "Arbetsmarknadsenheten",
        "AMN 2019/031",
        2_000.0,
        0.0,
        (3, 6),
        -6.2,
        {
            "born_outside_europe": 0.6,
            "years_in_sweden": -0.02,
            "edu_gymnasial": -0.3,
            "edu_eftergymnasial": -0.4,
            "assistance_months_12m_before": 0.05,
        },
        dip_intercept=-6.9,
        dip_coef={"months_on_assistance": 0.04, "work_months_3m_before": 0.4},
    ),
    MeasureSpec(
        "sprakpraktik",
        "Språkpraktik",
        "sprakpraktik",
        "Vuxenutbildningen",
        "BUN 2019/077",
        3_000.0,
        0.25,
        (6, 6),
        -6.4,
        {
            "born_outside_europe": 1.6,
            "born_europe": 0.6,
            "years_in_sweden": -0.06,
            "edu_unknown": 0.5,
        },
        during=0.15,
        after=0.25,
        dip_intercept=-5.6,
        dip_coef={"months_out_of_work": -0.02},
        drive=1.0,
    ),
    MeasureSpec(
        "coachning",
        "Coachning till arbete",
        "coachning",
        "Arbetsmarknadsenheten",
        "AMN 2019/145",
        3_500.0,
        0.0,
        (3, 9),
        -7.4,
        {
            "age": -0.03,
            "assistance_months_24m_before": 0.04,
            "work_months_24m_before": -0.04,
            "household_size": 0.3,
            "assistance_sek_12m_before": 0.2 * _SEK,
        },
        during=-0.6,
        after=-0.6,
        effect_months=18,
        dip_intercept=-8.4,
        dip_coef={"work_months_6m_before": 0.2, "months_on_assistance": 0.03},
    ),
    MeasureSpec(
        "mentorprogram",
        "Mentorprogram för unga",
        "mentor",
        "Fritidsförvaltningen",
        "KFN 2021/012",
        1_500.0,
        0.0,
        (6, 6),
        -7.2,
        {"age": -0.08},
        during=0.5,
        after=0.8,
        active=("2021-06", "2023-06"),
        dip_intercept=-7.2,
    ),
)


@dataclass
class SynthData:
    """Generated registers, the true effects and, when dirty, the injected faults per rule."""

    tables: dict[str, pd.DataFrame]
    truth: dict[str, dict[str, float]]
    dirty_counts: dict[str, dict[str, int]] = field(default_factory=dict)
    period: tuple[str, str] = PERIOD
    scenario: str = DEFAULT_SCENARIO


# --- the population -------------------------------------------------------------------------------


@dataclass
class _Population:
    """Static attributes of the original persons (index = person) and their households."""

    household: np.ndarray
    birth_year: np.ndarray
    female: np.ndarray
    region: np.ndarray  # 0 sverige, 1 europa, 2 utanfor_europa
    arrival_year: np.ndarray  # -1 if born in Sweden
    education: np.ndarray  # 0 forgymnasial, 1 gymnasial, 2 eftergymnasial, 3 okand
    ability: np.ndarray  # latent, never in the registers
    need: np.ndarray  # monthly assistance share when without income
    household_size: np.ndarray
    init_work: np.ndarray
    init_need_state: np.ndarray
    init_spell: np.ndarray  # months out of work at the start of burn-in (if not working)


def _population(n: int, rng: np.random.Generator, first_year: int) -> _Population:
    """Draw persons in one- or two-adult households with correlated characteristics."""
    sizes = np.where(rng.random(n) < 0.27, 2, 1)
    sizes = sizes[: np.searchsorted(np.cumsum(sizes), n) + 1]
    household = np.repeat(np.arange(sizes.size), sizes)[:n]
    household_size = np.bincount(household)[household]
    age0 = np.clip(np.round(18 + rng.gamma(2.2, 8.5, n)), 18, 63).astype(np.int64)
    birth_year = first_year - age0
    region = rng.choice(3, size=n, p=[0.45, 0.15, 0.40])
    years_here = np.minimum(np.round(rng.gamma(1.8, 5.0, n)) + 1, age0).astype(np.int64)
    arrival_year = np.where(region == 0, -1, first_year - years_here)
    edu_p = np.where((region == 2)[:, None], [[0.42, 0.28, 0.14, 0.16]], [[0.30, 0.46, 0.20, 0.04]])
    education = (rng.random(n)[:, None] > np.cumsum(edu_p, axis=1)).sum(axis=1)
    female = np.zeros(n, dtype=bool)
    first = np.r_[True, household[1:] != household[:-1]]
    female[first] = rng.random(first.sum()) < 0.5
    female[~first] = ~female[np.flatnonzero(~first) - 1]
    ability = (
        rng.normal(0, 1, n)
        + 0.25 * (education == 2)
        - 0.2 * (education == 3)
        + 0.02 * np.where(region > 0, years_here, 10)
    )
    children = rng.poisson(0.8, sizes.size)[household]
    need = np.round((6_200 + 1_900 * children / household_size) * rng.uniform(0.9, 1.1, n))
    p_work = 1 / (1 + np.exp(-(0.2 + 0.9 * ability)))
    init_work = rng.random(n) < p_work
    init_need = rng.random(n) < 0.6
    init_spell = rng.integers(1, 37, n)
    return _Population(
        household,
        birth_year,
        female,
        region,
        arrival_year,
        education,
        ability,
        need,
        household_size,
        init_work,
        init_need,
        init_spell,
    )


# --- the monthly simulation -----------------------------------------------------------------------


@dataclass
class _Paths:
    """Recorded months of one simulated world (persons are world rows)."""

    status: np.ndarray  # (n, T) int8 status codes, -1 after the household moved away
    assistance: np.ndarray  # (H, T) household assistance in whole SEK
    part_person: np.ndarray
    part_measure: np.ndarray
    part_start: np.ndarray
    part_end: np.ndarray  # last month in the measure; -1 while ongoing at the end of data
    part_reason: np.ndarray
    part_start_day: np.ndarray


def _logistic(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


_N_DRAWS = 10  # uniforms per person per month; see _simulate


def _draws(seed: int, step: int, n: int) -> np.ndarray:
    """The uniforms of month ``step`` (counted from the start of burn-in) for all persons."""
    return np.random.default_rng([seed, 7, step]).random((_N_DRAWS, n))


#: The numeric covariates a hazard may use (start quarter enters as ``INTAKE_SHIFT``).
SELECTION_COVARIATES: tuple[str, ...] = tuple(c for c in DEFAULT_COVARIATES if c != "start_quarter")


def _hazard(
    measures: tuple[MeasureSpec, ...], scenario: Scenario
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Intercepts, coefficients on ``SELECTION_COVARIATES`` and drive loadings per measure."""
    if not scenario.histories:
        intercept = np.array([m.intercept for m in measures])
        coef = np.array([[m.coef.get(c, 0.0) for c in SELECTION_COVARIATES] for m in measures])
        return intercept, coef, np.zeros(len(measures))
    drive = np.array([HIDDEN_DRIVE if scenario.drive == "all" else m.drive for m in measures]) * (
        scenario.drive != "none"
    )
    # exp(d * drive) has mean about exp(d^2 / 2): keep the number of participants comparable
    intercept = np.array([m.dip_intercept for m in measures]) - drive**2 / 2
    coef = np.array(
        [
            [m.coef.get(c, 0.0) + m.dip_coef.get(c, 0.0) for c in SELECTION_COVARIATES]
            for m in measures
        ]
    )
    return intercept, coef, drive


def _simulate(
    pop: _Population,
    person: np.ndarray,
    household: np.ndarray,
    forbid: np.ndarray,
    *,
    seed: int,
    start: int,
    months: int,
    measures: tuple[MeasureSpec, ...],
    scenario: Scenario = SCENARIOS[DEFAULT_SCENARIO],
    fresh_from: np.ndarray | None = None,
    fresh_stream: np.ndarray | None = None,
) -> _Paths:
    """Simulate the world whose rows are copies of original persons ``person``.

    Random numbers are drawn per original person and month, so copies of a household follow
    exactly the same path until an intervention (``forbid``: the month in which the row may
    not start a measure, -1 for none) makes them differ. From month ``fresh_from`` on (per row)
    a row draws its own random numbers instead (column ``fresh_stream`` of a fresh draw, so
    that two rows can share a future: common random numbers for paired replications).

    Each month: (A) measures that have run their course end; (B) eligible persons (out of work
    the month before) join measures on covariates measured before the month; (C) participants
    who continue may find work or drop out, everyone else keeps, loses or finds work; (D)
    households receive assistance. Under ``attrition`` a household may first move away.
    """
    n, T, B = person.size, months, BURN_IN_MONTHS
    n_orig = pop.birth_year.size
    H = int(household.max()) + 1 if n else 0
    M = len(measures)
    female = pop.female[person].astype(float)
    region = pop.region[person]
    edu = pop.education[person]
    ability = pop.ability[person]
    need = pop.need[person]
    birth_year = pop.birth_year[person]
    arrival = pop.arrival_year[person]
    hh_size = pop.household_size[person].astype(float)
    dd = scenario.duration_dependence
    base_find = (
        -3.1
        + 0.9 * ability
        + 0.35 * (edu == 1)
        + 0.6 * (edu == 2)
        - 0.3 * (edu == 3)
        - 0.15 * female
        + dd * 2.2  # duration dependence lowers finding by dd * log(1 + spell): recentre
    )
    p_lose = _logistic(-3.5 - 0.6 * ability)
    active = np.array([[month_number(m.active[0]), month_number(m.active[1])] for m in measures])
    active -= start
    intercept, coef, drive = _hazard(measures, scenario)
    drive_eta = ability[:, None] * drive[None, :]
    during = np.array([m.during for m in measures])
    after = np.array([m.after for m in measures])
    eff_months = np.array([m.effect_months for m in measures])
    paid = np.array([m.paid for m in measures])
    dur_lo = np.array([m.duration[0] for m in measures])
    dur_hi = np.array([m.duration[1] for m in measures])
    shift = np.zeros(T)
    recession = np.zeros(T)
    if scenario.calendar:
        q0 = month_number(TRUTH_INTAKE[0]) - start
        for i, value in enumerate(INTAKE_SHIFT):
            shift[max(q0 + 3 * i, 0) : max(q0 + 3 * i + 3, 0)] = value
        r0 = RECESSION_YEAR * 12 - start
        recession[max(r0, 0) : max(r0 + 12, 0)] = RECESSION_EFFECT
    # the household's first row decides moves (rows of a household are contiguous)
    first_row = np.r_[True, household[1:] != household[:-1]] if n else np.zeros(0, dtype=bool)
    move_logit = MOVE_HAZARD + 0.9 * (region > 0) - 0.4 * (hh_size > 1)

    working = pop.init_work[person].copy()
    needy = pop.init_need_state[person].copy()
    spell = np.where(working, 0, pop.init_spell[person]).astype(np.int64)
    label = np.where(working, _WORK_LABELS[0], _IDLE_LABELS[0]).astype(np.int8)
    gone = np.zeros(n, dtype=bool)
    cur_pid = np.full(n, -1, dtype=np.int64)
    cur_m = np.full(n, -1, dtype=np.int64)
    cur_end = np.zeros(n, dtype=np.int64)
    last_m = np.full(n, -1, dtype=np.int64)
    last_start = np.zeros(n, dtype=np.int64)
    prev_m = np.full(n, -1, dtype=np.int64)
    prev_start = np.zeros(n, dtype=np.int64)
    joined = np.zeros((n, M), dtype=bool)
    n_joins = np.zeros(n, dtype=np.int64)
    last_work = np.full(n, -(10**6), dtype=np.int64)  # last recorded month in work
    last_dry = np.full(H, -1, dtype=np.int64)  # household's last recorded month without assistance

    status = np.zeros((n, T), dtype=np.int8)
    work_cum = np.zeros((n, T + 1), dtype=np.int32)
    hh_sek = np.zeros((H, T), dtype=np.float64)
    hh_sek_cum = np.zeros((H, T + 1), dtype=np.float64)
    hh_mon_cum = np.zeros((H, T + 1), dtype=np.int32)

    cap = max(n * M, 1)
    p_person = np.zeros(cap, dtype=np.int64)
    p_measure = np.zeros(cap, dtype=np.int64)
    p_start = np.zeros(cap, dtype=np.int64)
    p_end = np.full(cap, -1, dtype=np.int64)
    p_reason = np.full(cap, "pagaende", dtype=object)
    p_day = np.zeros(cap, dtype=np.int64)
    n_parts = 0

    def window(cum: np.ndarray, t: int, k: int) -> np.ndarray:
        return cum[:, t] - cum[:, max(t - k, 0)]

    for step in range(B + T):
        t = step - B
        record = t >= 0
        u = _draws(seed, step, n_orig)[:, person]
        if fresh_from is not None:
            own = fresh_from <= t
            if own.any():
                streams = np.arange(n) if fresh_stream is None else fresh_stream
                fresh = np.random.default_rng([seed, 11, step]).random((_N_DRAWS, n))
                u[:, own] = fresh[:, streams[own]]
        year = (start + max(t, 0)) // 12
        age = year - birth_year
        prev_work = working.copy()
        find_shift = recession[t] if record else 0.0

        # moves: a household leaves for good; a measure it is in ends the month before
        if scenario.attrition and record:
            move = np.zeros(H, dtype=bool)
            leave = first_row & ~gone & (u[9] < _logistic(move_logit))
            move[household[leave]] = True
            out = move[household] & ~gone
            ids = cur_pid[out & (cur_m >= 0)]
            p_end[ids] = t - 1
            p_reason[ids] = "flytt"
            cur_m[out] = -1
            cur_pid[out] = -1
            working[out] = False
            gone |= out

        # (A) measures that have run their course end (their end reason is set after (C))
        in_m = cur_m >= 0
        normal_end = in_m & (cur_end < t)
        ended_who = np.flatnonzero(normal_end)
        ended_ids = cur_pid[ended_who]
        p_end[ended_ids] = t - 1
        cur_m[normal_end] = -1
        cur_pid[normal_end] = -1

        # (B) joins among the eligible out of work last month, on covariates measured before t
        new = np.zeros(n, dtype=bool)
        if record:
            eligible = (
                (window(hh_mon_cum, t, ELIGIBILITY_MONTHS)[household] > 0)
                & (age >= ELIGIBLE_AGES[0])
                & (age <= ELIGIBLE_AGES[1])
                & (cur_m < 0)
                & ~prev_work
                & ~gone
                & (forbid != t)
            )
            open_m = (active[:, 0] <= t) & (t <= active[:, 1])
            if eligible.any() and open_m.any():
                idx = np.flatnonzero(eligible)
                X = _covariates(
                    idx, t, year, age, female, region, arrival, edu, hh_size, household,
                    hh_mon_cum, hh_sek_cum, work_cum, n_joins, last_work, last_dry, window,
                )  # fmt: skip
                eta = intercept[None, :] + X @ coef.T + drive_eta[idx] + shift[t]
                expo = np.where(open_m[None, :] & ~joined[idx], np.exp(eta), 0.0)
                probs = expo / (1.0 + expo.sum(axis=1, keepdims=True))
                choice = (u[0][idx, None] > np.cumsum(probs, axis=1)).sum(axis=1)
                take = choice < M
                who, m = idx[take], choice[take]
                d = dur_lo[m] + np.floor(u[6][who] * (dur_hi[m] - dur_lo[m] + 1)).astype(np.int64)
                pid = np.arange(n_parts, n_parts + who.size)
                n_parts += who.size
                p_person[pid], p_measure[pid], p_start[pid] = who, m, t
                p_day[pid] = 1 + np.floor(u[8][who] * 28).astype(np.int64)
                cur_pid[who], cur_m[who], cur_end[who] = pid, m, t + d - 1
                prev_m[who], prev_start[who] = last_m[who], last_start[who]
                last_m[who], last_start[who] = m, t
                joined[who, m] = True
                n_joins[who] += 1
                new[who] = True

        # (C) work: participants who continue may find work or drop out; everyone else keeps,
        # loses or finds work, the chance shifted by past measures and falling with the spell
        find_logit = base_find - 0.025 * (age - 35) - dd * np.log1p(spell) + find_shift
        going = (cur_m >= 0) & ~new
        if going.any():
            tau = during[np.maximum(cur_m, 0)] + _after(prev_m, prev_start, t, after, eff_months)
            find = going & (u[1] < _logistic(find_logit + tau))
            drop = going & ~find & (u[5] < 0.012)
            new_label = _WORK_LABELS[_pick(u[2][find], _WORK_LABEL_P)]
            # they leave the measure during month t (after this month's joins, so the registers
            # show them in the measure in t, when they could not have joined another)
            ids = cur_pid[find]
            p_end[ids] = t
            p_reason[ids] = [_WORK_END_REASON[int(x)] for x in new_label]
            working[find] = True
            label[find] = new_label
            ids = cur_pid[drop]
            p_end[ids] = t
            p_reason[ids] = _DROPOUT_REASONS[_pick(u[7][drop], _DROPOUT_P)]
            stop = find | drop
            cur_m[stop] = -1
            cur_pid[stop] = -1
        free = (cur_m < 0) & ~gone
        tau = _after(last_m, last_start, t, after, eff_months)
        tau += _after(prev_m, prev_start, t, after, eff_months)
        was = free & prev_work & working
        lose = was & (u[1] < p_lose)
        look = free & ~working
        find = look & (u[1] < _logistic(find_logit + tau))
        working[lose] = False
        working[find] = True
        label[find] = _WORK_LABELS[_pick(u[2][find], _WORK_LABEL_P)]
        label[lose] = _IDLE_LABELS[_pick(u[2][lose], _IDLE_LABEL_P)]
        if ended_who.size:
            found = working[ended_who]
            reasons = _OTHER_END_REASONS[_pick(u[7][ended_who], _OTHER_END_P)].astype(object)
            reasons[found] = [_WORK_END_REASON[int(x)] for x in label[ended_who[found]]]
            p_reason[ended_ids] = reasons
            idle = ended_who[~found]
            label[idle] = _IDLE_LABELS[_pick(u[2][idle], _IDLE_LABEL_P)]
        spell = np.where(working, 0, spell + 1)

        # (D) income and assistance
        no_work = ~working
        needy = np.where(no_work & needy, u[3] >= 0.025, np.where(no_work, u[3] < 0.04, needy))
        in_paid = (cur_m >= 0) & paid[np.maximum(cur_m, 0)]
        share = np.where(
            no_work & needy & ~in_paid & ~gone, np.round(need * (0.95 + 0.1 * u[4])), 0.0
        )

        if record:
            st = np.where(working, label, np.where(cur_m >= 0, _IN_MEASURE, label))
            status[:, t] = np.where(gone, -1, st)
            work_cum[:, t + 1] = work_cum[:, t] + working
            last_work[working] = t
            hh_sek[:, t] = np.bincount(household, weights=share, minlength=H)
            hh_sek_cum[:, t + 1] = hh_sek_cum[:, t] + hh_sek[:, t]
            hh_mon_cum[:, t + 1] = hh_mon_cum[:, t] + (hh_sek[:, t] > 0)
            last_dry[hh_sek[:, t] <= 0] = t

    # ongoing measures at the end of the data
    ongoing = cur_m >= 0
    p_end[cur_pid[ongoing]] = -1
    p_reason[cur_pid[ongoing]] = "pagaende"
    sl = slice(0, n_parts)
    return _Paths(
        status,
        hh_sek,
        p_person[sl],
        p_measure[sl],
        p_start[sl],
        p_end[sl],
        p_reason[sl],
        p_day[sl],
    )


def _after(
    m: np.ndarray, start: np.ndarray, t: int, after: np.ndarray, months: np.ndarray
) -> np.ndarray:
    """The after-effect on the job-finding logit of the measures ``m`` started at ``start``."""
    mm = np.maximum(m, 0)
    return np.where((m >= 0) & (t - start < months[mm]), after[mm], 0.0)


def _pick(u: np.ndarray, p: np.ndarray) -> np.ndarray:
    """Categorical draws from uniforms ``u`` with probabilities ``p``."""
    return np.minimum((u[:, None] > np.cumsum(p)[None, :]).sum(axis=1), p.size - 1)


def _covariates(
    idx, t, year, age, female, region, arrival, edu, hh_size, household,
    hh_mon_cum, hh_sek_cum, work_cum, n_joins, last_work, last_dry, window,
) -> np.ndarray:  # fmt: skip
    """The SELECTION_COVARIATES of persons ``idx`` at month ``t``, measured as the sample does.

    Months before the data count as out of work and without assistance; the spells are capped
    at ``SPELL_CAP`` months, like ``evalkit.data.sample``.
    """
    h = household[idx]
    a = age[idx].astype(float)
    arr = arrival[idx]
    cols = {
        "age": a,
        "female": female[idx],
        "born_europe": (region[idx] == 1).astype(float),
        "born_outside_europe": (region[idx] == 2).astype(float),
        "years_in_sweden": np.where(arr < 0, a, year - arr).astype(float),
        "edu_gymnasial": (edu[idx] == 1).astype(float),
        "edu_eftergymnasial": (edu[idx] == 2).astype(float),
        "edu_unknown": (edu[idx] == 3).astype(float),
        "household_size": hh_size[idx],
        "assistance_sek_12m_before": window(hh_sek_cum, t, 12)[h],
        "assistance_sek_24m_before": window(hh_sek_cum, t, 24)[h],
        "months_out_of_work": np.minimum(t - 1 - last_work[idx], SPELL_CAP).astype(float),
        "months_on_assistance": np.minimum(t - 1 - last_dry[h], SPELL_CAP).astype(float),
        "earlier_measures": n_joins[idx].astype(float),
    }
    for w in (3, 6, 12, 24):
        cols[f"work_months_{w}m_before"] = window(work_cum, t, w)[idx].astype(float)
        cols[f"assistance_months_{w}m_before"] = window(hh_mon_cum, t, w)[h].astype(float)
    return np.column_stack([cols[c] for c in SELECTION_COVARIATES])


# --- truth ----------------------------------------------------------------------------------------


def _path_outcomes(
    status: np.ndarray, hh_sek: np.ndarray, rows: np.ndarray, hh: np.ndarray, starts: np.ndarray
) -> dict[str, np.ndarray]:
    """The STANDARD_OUTCOMES of rows starting in ``starts``, as the sample measures them.

    NaN when the horizon runs past the data's end or past the month the row's household moved.
    """
    T = status.shape[1]
    H = 36
    cols = starts[:, None] + np.arange(1, H + 1)[None, :]
    inside = cols < T
    safe = np.minimum(cols, T - 1)
    st = status[rows[:, None], safe]
    seen = inside & (st >= 0)
    seen = np.logical_and.accumulate(seen, axis=1)  # once gone, gone for good
    work = np.where(seen, np.isin(st, _WORK_LABELS), np.nan)
    sek = np.where(seen, hh_sek[hh[:, None], safe], np.nan)
    out: dict[str, np.ndarray] = {}
    for k in (6, 12, 24):
        out[f"work_or_study_{k}m"] = work[:, k - 1]
    for k in (12, 24, 36):
        out[f"assistance_sek_{k}m"] = sek[:, :k].sum(axis=1)
    out["assistance_months_12m"] = np.where(
        seen[:, 11], (np.nan_to_num(sek[:, :12]) > 0).sum(1), np.nan
    )
    for k in (12, 24, 36):
        out[f"work_or_study_months_{k}m"] = work[:, :k].sum(axis=1)
    return {o: out[o] for o in STANDARD_OUTCOMES}


#: Paired replications per participation behind each true effect (independent futures).
TRUTH_REPLICATIONS = 10


def _truth(
    pop: _Population,
    paths: _Paths,
    *,
    seed: int,
    start: int,
    months: int,
    intake: tuple[int, int],
    scenario: Scenario,
) -> dict[str, dict[str, float]]:
    """Mean over participants starting in the intake of E[Y(1) - Y(0) | history to the start].

    For each participation the household is copied 2R times with the factual history up to the
    start month; from the next month each pair of copies draws an independent future that both
    share. In each pair one copy starts the measure as the person did (Y(1)); the other may not
    start a measure in that month (Y(0)). Averaging R futures removes most of the noise of a
    single future, so the truth is close to the participants' expected effect, which estimators
    target. A pair whose household has moved by the horizon (``attrition``: in both copies
    alike) is left out of that horizon's mean, as the sample leaves out unobserved outcomes.
    """
    R = TRUTH_REPLICATIONS
    sel = np.flatnonzero((paths.part_start >= intake[0]) & (paths.part_start <= intake[1]))
    who, starts = paths.part_person[sel], paths.part_start[sel]
    order = np.argsort(pop.household, kind="stable")
    sizes = np.bincount(pop.household)
    first = np.concatenate([[0], np.cumsum(sizes)[:-1]])
    rank = np.empty(pop.household.size, dtype=np.int64)
    rank[order] = np.arange(order.size) - first[pop.household[order]]
    # world household w = (participation j, replication r, arm a) with a = 1 (Y(1)) or 0 (Y(0))
    j_w = np.repeat(np.arange(sel.size), 2 * R)
    arm_w = np.tile([1, 0], sel.size * R)
    h_w = pop.household[who][j_w]
    size_w = sizes[h_w]
    offset_w = np.concatenate([[0], np.cumsum(size_w)[:-1]])
    world_hh = np.repeat(np.arange(j_w.size), size_w)
    within = np.arange(world_hh.size) - offset_w[world_hh]
    person = order[first[h_w][world_hh] + within]
    row_w = offset_w + rank[who][j_w]
    forbid = np.full(person.size, -1, dtype=np.int64)
    forbid[row_w[arm_w == 0]] = starts[j_w][arm_w == 0]
    fresh = (starts[j_w] + 1)[world_hh]
    # the Y(0) copy shares each future with its Y(1) twin (common random numbers)
    twin = np.arange(person.size) - np.where(arm_w == 0, size_w, 0)[world_hh]
    sim = _simulate(
        pop,
        person,
        world_hh,
        forbid,
        seed=seed,
        start=start,
        months=months,
        measures=MEASURES,
        scenario=scenario,
        fresh_from=fresh,
        fresh_stream=twin,
    )
    y = _path_outcomes(sim.status, sim.assistance, row_w, np.arange(j_w.size), starts[j_w])
    measure_of = np.repeat(paths.part_measure[sel], R)
    truth: dict[str, dict[str, float]] = {}
    for m, spec in enumerate(MEASURES):
        out: dict[str, float] = {}
        for o in STANDARD_OUTCOMES:
            v = y[o].reshape(sel.size * R, 2)
            diff = v[:, 0] - v[:, 1]
            ok = (measure_of == m) & ~np.isnan(diff)
            out[o] = round(float(diff[ok].mean()), 10) if ok.any() else None
        truth[spec.measure_id] = out
    return truth


# --- registers ------------------------------------------------------------------------------------


def _personnummer(birth_year: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Fake samordningsnummer (day + 60) with a valid Luhn digit, unique, as 'YYYYMMDD-NNNC'."""
    n = birth_year.size
    month = rng.integers(1, 13, n)
    day = rng.integers(1, 29, n)
    serial = rng.integers(0, 1000, n)
    while True:
        key = (birth_year * 10_000 + month * 100 + day) * 1000 + serial
        _, first = np.unique(key, return_index=True)
        dup = np.ones(n, dtype=bool)
        dup[first] = False
        if not dup.any():
            break
        serial[dup] = rng.integers(0, 1000, dup.sum())
    nine = ((birth_year % 100) * 10_000 + month * 100 + day + 60) * 1000 + serial
    digits = (nine[:, None] // 10 ** np.arange(8, -1, -1)) % 10
    prod = digits * np.array([2, 1, 2, 1, 2, 1, 2, 1, 2])
    check = (10 - (prod // 10 + prod % 10).sum(axis=1) % 10) % 10
    return np.array(
        [
            f"{y:04d}{mo:02d}{d + 60:02d}-{s:03d}{c}"
            for y, mo, d, s, c in zip(birth_year, month, day, serial, check, strict=True)
        ],
        dtype=object,
    )


def _tables(
    pop: _Population, paths: _Paths, pnr: np.ndarray, start: int, rng: np.random.Generator
) -> dict[str, pd.DataFrame]:
    """Turn simulated paths into the six register tables of DESIGN 3.1."""
    n, T = paths.status.shape
    region_names = np.array(["sverige", "europa", "utanfor_europa"], dtype=object)
    edu_names = np.array(["forgymnasial", "gymnasial", "eftergymnasial", "okand"], dtype=object)
    hh_ids = np.array([f"HH{h:07d}" for h in range(int(pop.household.max()) + 1)], dtype=object)
    months = month_dates(start + np.arange(T))
    persons = pd.DataFrame(
        {
            "personnummer": pd.array(pnr, dtype="str"),
            "birth_year": pop.birth_year.astype(np.int64),
            "sex": pd.array(np.where(pop.female, "K", "M"), dtype="str"),
            "birth_region": pd.array(region_names[pop.region], dtype="str"),
            "arrival_year": pd.array(
                np.where(pop.arrival_year < 0, None, pop.arrival_year), dtype="Int64"
            ),
            "education": pd.array(edu_names[pop.education], dtype="str"),
            "household_id": pd.array(hh_ids[pop.household], dtype="str"),
        }
    )
    status_names = pd.Index(STATUS, dtype="str")
    p_idx, t_idx = np.nonzero(paths.status >= 0)  # no rows after a household moved away
    status = pd.DataFrame(
        {
            "personnummer": pd.Categorical.from_codes(
                p_idx, categories=pd.Index(pnr, dtype="str")
            ).astype("str"),
            "month": pd.to_datetime(months[t_idx]),
            "status": pd.Categorical.from_codes(
                paths.status[p_idx, t_idx].astype(np.int64), categories=status_names
            ).astype("str"),
        }
    )
    h_idx, t_idx = np.nonzero(paths.assistance > 0)
    assistance = pd.DataFrame(
        {
            "household_id": pd.array(hh_ids[h_idx], dtype="str"),
            "month": pd.to_datetime(months[t_idx]),
            "amount_sek": paths.assistance[h_idx, t_idx].astype(np.float64),
        }
    )
    measure_ids = np.array([m.measure_id for m in MEASURES], dtype=object)
    start_day = month_dates(start + paths.part_start) + (paths.part_start_day - 1).astype(
        "timedelta64[D]"
    )
    ongoing = paths.part_end < 0
    end_day = month_dates(start + np.where(ongoing, 0, paths.part_end) + 1) - np.timedelta64(1, "D")
    order = np.lexsort((paths.part_start, paths.part_person))
    participations = (
        pd.DataFrame(
            {
                "personnummer": pd.array(pnr[paths.part_person], dtype="str"),
                "measure_id": pd.array(measure_ids[paths.part_measure], dtype="str"),
                "start_date": pd.to_datetime(start_day),
                "end_date": pd.to_datetime(np.where(ongoing, np.datetime64("NaT"), end_day)),
                "end_reason": pd.array(paths.part_reason.astype(object), dtype="str"),
            }
        )
        .iloc[order]
        .reset_index(drop=True)
    )
    measures = pd.DataFrame(
        {
            "measure_id": pd.array(measure_ids, dtype="str"),
            "name": pd.array([m.name for m in MEASURES], dtype="str"),
            "type": pd.array([m.type for m in MEASURES], dtype="str"),
            "owner": pd.array([m.owner for m in MEASURES], dtype="str"),
            "decision_ref": pd.array([m.decision_ref for m in MEASURES], dtype="str"),
            "cost_per_participant_month_sek": [m.cost_per_month for m in MEASURES],
        }
    )
    return {
        "persons": persons,
        "measures": measures,
        "participations": participations,
        "assistance": assistance,
        "status": status,
        "costs": _costs(paths, start, T, rng),
    }


def _costs(paths: _Paths, start: int, T: int, rng: np.random.Generator) -> pd.DataFrame:
    """Monthly cost per measure: participant-months at unit cost, overhead, external funding."""
    rows = []
    for j, spec in enumerate(MEASURES):
        mine = paths.part_measure == j
        s = paths.part_start[mine]
        e = np.where(paths.part_end[mine] < 0, T - 1, paths.part_end[mine])
        active = np.zeros(T + 1, dtype=np.int64)
        np.add.at(active, s, 1)
        np.add.at(active, e + 1, -1)
        active = np.cumsum(active)[:T]
        lo = max(month_number(spec.active[0]) - start, 0)
        hi = min(month_number(spec.active[1]) - start, T - 1)
        t = np.arange(T)
        keep = ((t >= lo) & (t <= hi)) | (active > 0)
        noise = rng.uniform(0.92, 1.08, T)
        cost = np.round(active * spec.cost_per_month * noise + 15_000.0 * keep)
        rows.append(
            pd.DataFrame(
                {
                    "measure_id": spec.measure_id,
                    "month": pd.to_datetime(month_dates(start + t[keep])),
                    "cost_sek": cost[keep],
                    "external_funding_sek": np.round(cost[keep] * spec.external_share),
                }
            )
        )
    out = pd.concat(rows, ignore_index=True)
    out["measure_id"] = out["measure_id"].astype("str")
    return out


# --- faults for validation tests ------------------------------------------------------------------

#: Injected faults: (table, rule id, rows). Each injected row breaks exactly that one rule.
DIRTY_PLAN: tuple[tuple[str, str, int], ...] = (
    ("status", "R103", 25),
    ("participations", "R106", 7),
    ("assistance", "R105", 11),
    ("assistance", "R102", 5),
    ("persons", "R104", 9),
    ("persons", "R108", 13),
    ("persons", "R102", 6),
)


def _dirty(
    tables: dict[str, pd.DataFrame], rng: np.random.Generator
) -> tuple[dict[str, pd.DataFrame], dict[str, dict[str, int]]]:
    """Append faulty rows (clean rows untouched) and return the tables and counts per rule."""
    out = dict(tables)
    counts: dict[str, dict[str, int]] = {}
    persons, status = tables["persons"], tables["status"]
    assistance, participations = tables["assistance"], tables["participations"]
    for table, rule, k in DIRTY_PLAN:
        counts.setdefault(table, {})[rule] = k
    # R103: exact copies of existing status rows (the later copy is the duplicate)
    dup = status.iloc[np.sort(rng.choice(len(status), 25, replace=False))]
    out["status"] = pd.concat([status, dup], ignore_index=True)
    # R106: new participations of existing persons in measures they never took, end before start
    taken = set(zip(participations["personnummer"], participations["measure_id"], strict=True))
    mids = tables["measures"]["measure_id"].to_numpy()
    new = []
    for i in rng.permutation(len(persons)):
        pnr, mid = persons["personnummer"].iat[i], mids[int(rng.integers(len(mids)))]
        if (pnr, mid) in taken:
            continue
        taken.add((pnr, mid))
        sday = pd.Timestamp(2022, int(rng.integers(1, 13)), int(rng.integers(10, 28)))
        new.append((pnr, mid, sday, sday - pd.Timedelta(days=int(rng.integers(1, 9))), "avbrott"))
        if len(new) == 7:
            break
    bad = pd.DataFrame(new, columns=participations.columns)
    out["participations"] = pd.concat([participations, bad], ignore_index=True)
    # R105 / R102 in assistance: new rows at household-months without assistance
    used = set(zip(assistance["household_id"], assistance["month"], strict=True))
    hh = assistance["household_id"].unique()
    months = np.sort(status["month"].unique())
    rows = []
    while len(rows) < 16:
        key = (hh[int(rng.integers(len(hh)))], pd.Timestamp(months[int(rng.integers(len(months)))]))
        if key in used:
            continue
        used.add(key)
        amount = -float(rng.integers(500, 9_000)) if len(rows) < 11 else np.nan
        rows.append((*key, amount))
    out["assistance"] = pd.concat(
        [assistance, pd.DataFrame(rows, columns=assistance.columns)], ignore_index=True
    )
    # persons: unknown education code, invalid check digit, missing birth year (new persons)
    extra_n = 9 + 13 + 6
    extra_year = rng.integers(1960, 2000, extra_n)
    pnr = _personnummer(extra_year, rng)
    while set(pnr) & set(persons["personnummer"]):
        pnr = _personnummer(extra_year, rng)
    invalid = slice(9, 22)
    pnr[invalid] = [p[:-1] + str((int(p[-1]) + 1) % 10) for p in pnr[invalid]]
    extra = pd.DataFrame(
        {
            "personnummer": pnr,
            "birth_year": pd.array(
                np.where(np.arange(extra_n) >= 22, None, extra_year), dtype="Int64"
            ),
            "sex": np.where(rng.random(extra_n) < 0.5, "K", "M"),
            "birth_region": "sverige",
            "arrival_year": pd.array([None] * extra_n, dtype="Int64"),
            "education": ["grundskola"] * 9 + ["gymnasial"] * (extra_n - 9),
            "household_id": [f"HX{i:07d}" for i in range(extra_n)],
        }
    )
    out["persons"] = pd.concat([persons, extra], ignore_index=True)
    for name in ("persons", "participations", "assistance", "status"):
        frame = out[name]
        for col in frame.columns:
            if frame[col].dtype == object:
                frame[col] = frame[col].astype("str")
    return out, counts


# --- public API -----------------------------------------------------------------------------------


def generate(
    persons: int = 30_000,
    seed: int = 20261126,
    dirty: bool = False,
    *,
    period: tuple[str, str] = PERIOD,
    truth: bool = True,
    scenario: str = DEFAULT_SCENARIO,
) -> SynthData:
    """Generate the synthetic municipality: registers, true effects, and optional known faults.

    ``period`` sets the months recorded (``("2016-01", "2025-12")`` gives 120 months);
    ``truth=False`` skips the counterfactual simulation (for large benchmark cities);
    ``scenario`` chooses how participants are picked (``SCENARIOS``; default ``dip``).
    """
    if persons < 100:
        raise ValueError("persons must be at least 100")
    spec = get_scenario(scenario)
    start, end = month_number(period[0]), month_number(period[1])
    months = end - start + 1
    pop = _population(persons, np.random.default_rng([seed, 1]), start // 12)
    everyone = np.arange(persons)
    paths = _simulate(
        pop,
        everyone,
        pop.household,
        np.full(persons, -1, dtype=np.int64),
        seed=seed,
        start=start,
        months=months,
        measures=MEASURES,
        scenario=spec,
    )
    true_effects: dict[str, dict[str, float]] = {}
    if truth:
        intake = (month_number(TRUTH_INTAKE[0]) - start, month_number(TRUTH_INTAKE[1]) - start)
        true_effects = _truth(
            pop, paths, seed=seed, start=start, months=months, intake=intake, scenario=spec
        )
    rng = np.random.default_rng([seed, 2])
    pnr = _personnummer(pop.birth_year, rng)
    tables = _tables(pop, paths, pnr, start, rng)
    counts: dict[str, dict[str, int]] = {}
    if dirty:
        tables, counts = _dirty(tables, np.random.default_rng([seed, 3]))
    return SynthData(tables, true_effects, counts, period, spec.name)


_DATE_COLUMNS = ("month", "start_date", "end_date")


def write_synth(
    out: Path | str,
    persons: int = 30_000,
    seed: int = 20261126,
    dirty: bool = False,
    *,
    scenario: str = DEFAULT_SCENARIO,
) -> Path:
    """Write the registers to a DuckDB file, the truth beside it and, if dirty, the fault counts.

    The truth file ``<stem>.truth.json`` is ``{measure_id: {outcome: true effect}}`` for the
    chosen ``scenario`` (``SCENARIOS``).
    """
    import duckdb

    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    data = generate(persons=persons, seed=seed, dirty=dirty, scenario=scenario)
    for suffix in ("", ".wal"):
        Path(str(out) + suffix).unlink(missing_ok=True)
    con = duckdb.connect(str(out))
    try:
        for name, frame in data.tables.items():
            con.register("_frame", frame)
            cols = ", ".join(
                f'CAST("{c}" AS DATE) AS "{c}"' if c in _DATE_COLUMNS else f'"{c}"'
                for c in frame.columns
            )
            con.execute(f'CREATE TABLE "{name}" AS SELECT {cols} FROM _frame')
            con.unregister("_frame")
    finally:
        con.close()
    stem = out.with_suffix("")
    Path(f"{stem}.truth.json").write_text(json.dumps(data.truth, indent=2, sort_keys=True) + "\n")
    dirty_path = Path(f"{stem}.dirty.json")
    if dirty:
        dirty_path.write_text(json.dumps(data.dirty_counts, indent=2, sort_keys=True) + "\n")
    else:
        dirty_path.unlink(missing_ok=True)
    return out
