"""Minimum detectable effect of a two-group comparison for the sample at hand."""

from __future__ import annotations

import math

from scipy import stats

from evalkit.errors import InsufficientDataError


def minimum_detectable_effect(
    n_treated: int,
    n_control: int,
    sd: float,
    alpha: float = 0.05,
    power: float = 0.8,
    *,
    r2: float = 0.0,
    two_sided: bool = True,
) -> float:
    """Smallest true effect detected with probability ``power`` by a test at level ``alpha``.

    MDE = (z_{1-alpha/2} + z_power) * sd * sqrt((1 - r2) (1/n1 + 1/n0)) (Bloom 1995), where
    ``r2`` is the share of outcome variance the covariates explain (0: no adjustment credit).
    """
    if n_treated < 1 or n_control < 1:
        raise InsufficientDataError(
            f"need treated and control units for an MDE; have {n_treated} and {n_control}"
        )
    if not 0 < alpha < 1 or not 0 < power < 1 or not 0 <= r2 < 1 or sd < 0:
        raise ValueError("need 0 < alpha < 1, 0 < power < 1, 0 <= r2 < 1 and sd >= 0")
    z_alpha = stats.norm.ppf(1 - alpha / 2) if two_sided else stats.norm.ppf(1 - alpha)
    z_power = stats.norm.ppf(power)
    return float((z_alpha + z_power) * sd * math.sqrt((1 - r2) * (1 / n_treated + 1 / n_control)))


def minimum_detectable_proportion(
    n_treated: int,
    n_control: int,
    p_control: float,
    alpha: float = 0.05,
    power: float = 0.8,
    *,
    two_sided: bool = True,
) -> float:
    """MDE in percentage points for a 0/1 outcome whose control share is ``p_control``.

    Uses sd = sqrt(p (1 - p)) of the control share (normal approximation).
    """
    if not 0 <= p_control <= 1:
        raise ValueError(f"p_control must be a proportion, got {p_control}")
    sd = math.sqrt(p_control * (1 - p_control))
    return minimum_detectable_effect(n_treated, n_control, sd, alpha, power, two_sided=two_sided)
