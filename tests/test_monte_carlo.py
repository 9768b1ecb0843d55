"""Monte Carlo: 95% intervals of ipw and aipw cover the known ATT in 93–97% of replications."""

import numpy as np
import pytest
from simulate import COVARIATES, simulate

from evalkit.estimators.aipw import aipw
from evalkit.estimators.ipw import ipw
from evalkit.estimators.naive import naive

REPS = 500
N = 2000
TRUE_ATT = 1.0


@pytest.fixture(scope="module")
def replications():
    rows = []
    for rep in range(REPS):
        frame = simulate(N, seed=100_000 + rep, att=TRUE_ATT)
        rows.append(
            [
                (r.estimate, r.ci_low <= TRUE_ATT <= r.ci_high)
                for r in (
                    ipw(frame, "y", covariates=COVARIATES),
                    aipw(frame, "y", covariates=COVARIATES),
                    naive(frame, "y"),
                )
            ]
        )
    return np.array(rows, dtype=float)  # reps x estimator x (estimate, covered)


@pytest.mark.slow
def test_ipw_intervals_cover_the_truth_93_to_97_percent(replications):
    coverage = replications[:, 0, 1].mean()
    assert 0.93 <= coverage <= 0.97


@pytest.mark.slow
def test_aipw_intervals_cover_the_truth_93_to_97_percent(replications):
    coverage = replications[:, 1, 1].mean()
    assert 0.93 <= coverage <= 0.97


@pytest.mark.slow
def test_ipw_and_aipw_are_unbiased_and_naive_is_not(replications):
    means = replications[:, :, 0].mean(axis=0)
    sds = replications[:, :, 0].std(axis=0)
    assert abs(means[0] - TRUE_ATT) < 3 * sds[0] / np.sqrt(REPS)
    assert abs(means[1] - TRUE_ATT) < 3 * sds[1] / np.sqrt(REPS)
    assert means[2] - TRUE_ATT > 0.5


@pytest.mark.slow
def test_matching_intervals_with_the_estimated_score_correction_cover_93_to_97_percent():
    # Abadie & Imbens (2016): for the ATT the estimated score changes the variance; with their
    # correction the 95% intervals cover the truth. Measured: 0.960 over these 1000 draws, while
    # the known-score (2006) variance covers 0.987 (its SE is 28% too large here).
    from evalkit.estimators.matching import matching

    covered, estimates, ses = [], [], []
    for rep in range(1000):
        frame = simulate(1000, seed=200_000 + rep, att=TRUE_ATT)
        r = matching(frame, "y", covariates=COVARIATES)
        covered.append(r.ci_low <= TRUE_ATT <= r.ci_high)
        estimates.append(r.estimate)
        ses.append(r.se)
    assert 0.93 <= np.mean(covered) <= 0.97
    assert np.mean(ses) == pytest.approx(np.std(estimates), rel=0.1)
