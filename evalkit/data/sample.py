"""The analysis sample of one measure: eligible persons, participants, comparisons, covariates, outcomes."""

from __future__ import annotations

#: Covariates measured before the reference month (all numeric, so every estimator can use them).
DEFAULT_COVARIATES: tuple[str, ...] = (
    "age",
    "female",
    "born_europe",
    "born_outside_europe",
    "years_in_sweden",
    "edu_gymnasial",
    "edu_eftergymnasial",
    "edu_unknown",
    "household_size",
    "assistance_months_12m_before",
    "assistance_months_24m_before",
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "work_months_24m_before",
    "earlier_measures",
)

#: The standard outcome names (the contract other parts use).
STANDARD_OUTCOMES: tuple[str, ...] = (
    "work_or_study_6m",
    "work_or_study_12m",
    "work_or_study_24m",
    "assistance_sek_12m",
    "assistance_sek_24m",
    "assistance_months_12m",
)

#: Pre-period outcomes measured before the covariate window, never used as covariates.
PLACEBO_OUTCOMES: tuple[str, ...] = (
    "placebo_work_or_study_25m_before",
    "placebo_assistance_sek_25_36m_before",
)
