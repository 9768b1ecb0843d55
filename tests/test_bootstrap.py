"""bootstrap: seeded, reproducible, rows or whole clusters drawn with replacement."""

import numpy as np
import pytest
from simulate import COVARIATES, simulate

from evalkit.estimators.bootstrap import bootstrap, resample_positions
from evalkit.estimators.ipw import ipw


@pytest.fixture(scope="module")
def data():
    frame = simulate(1000, seed=61)
    frame["cl"] = np.arange(len(frame)) // 10
    return frame


def test_same_seed_gives_identical_results(data):
    a = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=30, seed=7)
    b = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=30, seed=7)
    assert (a.se, a.ci_low, a.ci_high) == (b.se, b.ci_low, b.ci_high)


def test_different_seeds_give_different_replicates(data):
    a = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=30, seed=7)
    b = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=30, seed=8)
    assert a.se != b.se


def test_point_estimate_is_the_full_sample_estimate_and_details_say_bootstrap(data):
    r = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=20, seed=1)
    assert r.estimate == ipw(data, "y", covariates=COVARIATES).estimate
    assert r.details["se_method"] == "bootstrap"
    assert r.details["reps"] == 20 and r.details["seed"] == 1 and r.details["n_failed"] == 0


def test_bootstrap_se_agrees_with_the_influence_function_se(data):
    r = bootstrap("aipw", data, "y", covariates=COVARIATES, reps=300, seed=3)
    assert r.se == pytest.approx(r.details["se_analytic"], rel=0.15)


def test_percentile_interval_brackets_the_estimate(data):
    r = bootstrap("regression", data, "y", covariates=COVARIATES, reps=50, seed=2)
    assert r.ci_low < r.estimate < r.ci_high


def test_cluster_resampling_draws_whole_clusters():
    codes = np.repeat(np.arange(5), [1, 2, 3, 4, 5])
    rows = resample_positions(len(codes), np.random.default_rng(0), codes)
    drawn = codes[rows]
    for g in np.unique(drawn):
        size = np.sum(codes == g)
        assert np.sum(drawn == g) % size == 0


def test_cluster_bootstrap_reports_clusters(data):
    r = bootstrap("ipw", data, "y", covariates=COVARIATES, cluster="cl", reps=20, seed=4)
    assert r.details["se_method"] == "bootstrap (cluster)"
    assert r.details["n_clusters"] == 100


def test_bootstrap_accepts_an_estimator_function(data):
    r = bootstrap(ipw, data, "y", covariates=COVARIATES, reps=10, seed=5)
    assert r.estimator == "ipw"


def test_replicate_streams_come_from_spawned_seed_sequences():
    from evalkit.estimators.replicates import run_replicates

    draws = run_replicates(_first_draw, 4, 11)
    expected = [np.random.default_rng(s).random() for s in np.random.SeedSequence(11).spawn(4)]
    assert draws == expected


def _first_draw(rng: np.random.Generator) -> float:
    return float(rng.random())


def test_chunking_changes_nothing_in_the_numbers(data):
    one = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=12, seed=9, chunks=1)
    five = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=12, seed=9, chunks=5)
    assert (one.se, one.ci_low, one.ci_high) == (five.se, five.ci_low, five.ci_high)


def test_a_process_pool_gives_the_serial_numbers(data):
    from concurrent.futures import ProcessPoolExecutor

    serial = bootstrap("aipw", data, "y", covariates=COVARIATES, reps=16, seed=10)
    with ProcessPoolExecutor(max_workers=2) as pool:
        pooled = bootstrap(
            "aipw", data, "y", covariates=COVARIATES, reps=16, seed=10, executor=pool
        )
    assert (serial.se, serial.ci_low, serial.ci_high) == (pooled.se, pooled.ci_low, pooled.ci_high)


@pytest.mark.slow
def test_a_dask_cluster_gives_the_serial_numbers(data):
    distributed = pytest.importorskip("distributed")
    serial = bootstrap("ipw", data, "y", covariates=COVARIATES, reps=16, seed=12)
    with (
        distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True) as cluster,
        distributed.Client(cluster) as client,
    ):
        on_dask = bootstrap(
            "ipw",
            data,
            "y",
            covariates=COVARIATES,
            reps=16,
            seed=12,
            executor=client.get_executor(),
        )
    assert (serial.se, serial.ci_low, serial.ci_high) == (
        on_dask.se,
        on_dask.ci_low,
        on_dask.ci_high,
    )
