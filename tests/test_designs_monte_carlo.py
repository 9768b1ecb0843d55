"""Monte Carlo (slow): stacked_did coverage and pre-trend size, placebo failure under a hidden drive.

Fewer replications than ``benchmarks/mc_stacked_did.py`` and ``benchmarks/mc_placebo.py`` (whose
figures the report quotes), enough to catch a regression.
"""

import numpy as np
import pytest
from simulate_designs import HISTORY_COVARIATES, STATIC_COVARIATES, simulate_stacked

from evalkit.diagnostics.placebo import placebo_equivalence
from evalkit.estimators.stacked_did import stacked_did

REPS = 40
PLACEBOS = ("placebo_work_or_study_25m_before", "placebo_assistance_sek_25_36m_before")


@pytest.fixture(scope="module")
def hidden_drive_did():
    rows = []
    for rep in range(REPS):
        world = simulate_stacked(3000, seed=300_000 + rep, hidden=0.8, truth_reps=5)
        res = stacked_did(
            world.frame,
            "work_or_study",
            covariates=list(STATIC_COVARIATES),
            event_times=list(range(-12, 0)),
        )
        r = res.filter(outcome="work_or_study_12m")[0]
        truth = world.truth["work_or_study_12m"]
        rows.append(
            (r.estimate - truth, r.ci_low <= truth <= r.ci_high, res.details["pretrend"]["passes"])
        )
    return np.array(rows, dtype=float)


@pytest.mark.slow
def test_stacked_did_covers_the_truth_despite_a_hidden_drive(hidden_drive_did):
    assert hidden_drive_did[:, 1].mean() >= 0.88
    bias, sd = hidden_drive_did[:, 0].mean(), hidden_drive_did[:, 0].std()
    assert abs(bias) < 3 * sd / np.sqrt(REPS) + 0.005


@pytest.mark.slow
def test_pretrend_test_rarely_rejects_parallel_trends(hidden_drive_did):
    assert 1 - hidden_drive_did[:, 2].mean() <= 0.12


def _placebo_fails(hidden: float) -> float:
    covariates = [*STATIC_COVARIATES, *HISTORY_COVARIATES]
    fails = []
    for rep in range(REPS):
        frame = simulate_stacked(3000, seed=400_000 + rep, hidden=hidden, truth_reps=1).frame
        tests = [
            placebo_equivalence("aipw", frame, o, covariates=covariates, cluster="cluster_id")
            for o in PLACEBOS
        ]
        fails.append(not all(t.passes for t in tests))
    return float(np.mean(fails))


@pytest.mark.slow
def test_placebo_fails_under_a_hidden_drive():
    assert _placebo_fails(0.8) >= 0.8


@pytest.mark.slow
def test_placebo_passes_mostly_without_hidden_confounding():
    assert _placebo_fails(0.0) <= 0.3
