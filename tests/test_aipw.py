"""aipw: doubly robust ATT with influence-function SE; equals DRDID; recovers the truth."""

import numpy as np
import pytest
from drdid._estimators import drdid_panel
from simulate import COVARIATES, simulate

from evalkit.estimators.aipw import aipw
from evalkit.estimators.regression import regression


@pytest.fixture(scope="module")
def data():
    return simulate(3000, seed=41)


def test_aipw_equals_drdid_doubly_robust_att_and_influence_function(data):
    # DRDID's drdid_panel with y0 = 0 is the cross-sectional DR ATT of Sant'Anna & Zhao (2020).
    X = data[list(COVARIATES)].to_numpy(float)
    att, inf = drdid_panel(
        data["y"].to_numpy(), np.zeros(len(data)), data["treated"].to_numpy(), X, trim_level=0.99999
    )
    r = aipw(data, "y", covariates=COVARIATES)
    assert r.estimate == pytest.approx(att, abs=1e-7)
    assert np.max(np.abs(r.influence - inf)) < 1e-5
    assert r.se == pytest.approx(np.std(inf) / np.sqrt(len(data)), rel=1e-6)


def test_weighted_aipw_equals_drdid_with_sampling_weights(data):
    X = data[list(COVARIATES)].to_numpy(float)
    w = np.where(data.x2 > 0, 2.5, 1.0)
    att, inf = drdid_panel(
        data["y"].to_numpy(),
        np.zeros(len(data)),
        data["treated"].to_numpy(),
        X,
        i_weights=w,
        trim_level=0.99999,
    )
    r = aipw(data.assign(w=w), "y", covariates=COVARIATES, weights="w")
    assert r.estimate == pytest.approx(att, abs=1e-7)
    assert r.se == pytest.approx(np.std(inf) / np.sqrt(len(data)), rel=1e-5)


def test_aipw_recovers_the_known_att_where_naive_does_not():
    frame = simulate(20_000, seed=42)
    r = aipw(frame, "y", covariates=COVARIATES)
    assert r.ci_low < 1.0 < r.ci_high
    naive_diff = frame.y[frame.treated == 1].mean() - frame.y[frame.treated == 0].mean()
    assert naive_diff > r.ci_high + 0.3


def test_aipw_is_consistent_when_only_the_score_model_is_right():
    # The untreated outcome gets a term the linear outcome model leaves out; the logit is right.
    frame = simulate(40_000, seed=43)
    frame["y"] = frame["y"] + 1.5 * frame["x1"] ** 2
    r = aipw(frame, "y", covariates=COVARIATES)
    reg = regression(frame, "y", covariates=COVARIATES)  # outcome model alone: biased here
    assert r.ci_low < 1.0 < r.ci_high
    assert abs(reg.estimate - 1.0) > 4 * reg.se


def test_aipw_influence_has_mean_zero_and_gives_the_se(data):
    r = aipw(data, "y", covariates=COVARIATES)
    assert abs(r.influence.mean()) < 1e-8
    assert r.se == pytest.approx(np.sqrt(np.sum(r.influence**2)) / len(data), rel=1e-12)


def test_aipw_trimming_reports_the_number_trimmed(data):
    r = aipw(data, "y", covariates=COVARIATES, trim=0.1)
    assert r.details["n_trimmed"] > 0
    assert r.n_treated + r.n_control + r.details["n_trimmed"] == len(data)


@pytest.fixture(scope="module")
def synthetic_city(tmp_path_factory):
    """The synthetic municipality's registers (validated) and its true effects."""
    import json
    import os

    from evalkit.data.synth import write_synth
    from evalkit.data.validate import load_and_validate

    os.environ.setdefault("EVALKIT_PSEUDONYM_KEY", "evalkit-demo-key")
    # selection on recorded characteristics only (the dip demo has a measure with a hidden drive)
    path = write_synth(
        tmp_path_factory.mktemp("city") / "demo.duckdb", persons=30_000, scenario="observables"
    )
    truth = json.loads(path.with_name("demo.truth.json").read_text())
    tables = load_and_validate({"kind": "duckdb", "path": str(path)}).tables
    return tables, truth


@pytest.mark.slow
@pytest.mark.parametrize("outcome", ["work_or_study_12m", "assistance_sek_12m"])
def test_every_synthetic_measures_true_att_lies_in_the_aipw_interval(synthetic_city, outcome):
    from evalkit.data.sample import build_sample
    from evalkit.data.synth import MEASURES

    tables, truth = synthetic_city
    missed = []
    for spec in MEASURES:
        sample = build_sample(tables, spec.measure_id)
        rows = sample.frame.dropna(subset=[outcome])
        r = aipw(rows, outcome, "treated", list(sample.covariates))
        true = truth[spec.measure_id][outcome]
        if not r.ci_low <= true <= r.ci_high:
            missed.append((spec.measure_id, true, r.ci_low, r.ci_high))
    assert not missed
    assert len(MEASURES) >= 4
