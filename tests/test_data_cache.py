"""Specifications of the run's data cache: registers loaded and validated once per source."""

from __future__ import annotations

import os
import threading

import pandas as pd
import pytest

from evalkit.data import cache, validate
from evalkit.data.fingerprint import data_fingerprint
from evalkit.data.quarantine import read_quarantine
from evalkit.errors import DataError

KEY = "a-test-key-that-is-long-enough-for-hmac"


@pytest.fixture(scope="module")
def city(tmp_path_factory):
    """A small dirty synthetic city (so the quarantine has rows) in DuckDB."""
    from evalkit.data.synth import write_synth

    path = tmp_path_factory.mktemp("city") / "city.duckdb"
    write_synth(path, persons=400, dirty=True)
    return {"kind": "duckdb", "path": str(path)}


@pytest.fixture
def counted(monkeypatch):
    """Count the real loads behind the cache."""
    calls = []
    real = validate.load_and_validate

    def counting(*args, **kwargs):
        calls.append(kwargs.get("quarantine_path"))
        return real(*args, **kwargs)

    monkeypatch.setattr(validate, "load_and_validate", counting)
    return calls


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / ".cache"
    monkeypatch.setenv(cache.CACHE_ENV, str(folder))
    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", KEY)
    return folder


def test_without_a_cache_folder_every_call_loads_and_nothing_is_written(
    city, counted, tmp_path, monkeypatch
):
    monkeypatch.delenv(cache.CACHE_ENV, raising=False)
    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", KEY)
    cache.load_and_validate(city)
    cache.load_and_validate(city)
    assert len(counted) == 2
    assert not (tmp_path / ".cache").exists()


def test_the_second_load_of_a_source_reads_the_cache_with_identical_tables(
    city, counted, cache_dir
):
    first = cache.load_and_validate(city)
    second = cache.load_and_validate(city)
    assert len(counted) == 1
    assert data_fingerprint(first.tables) == data_fingerprint(second.tables)
    for name, frame in first.tables.items():
        pd.testing.assert_frame_equal(frame, second.tables[name])
    assert second.report.to_dict() == first.report.to_dict()


def test_an_empty_quarantine_comes_back_with_its_types(tmp_path, cache_dir):
    from evalkit.data.synth import write_synth

    write_synth(tmp_path / "clean.duckdb", persons=300)
    source = {"kind": "duckdb", "path": str(tmp_path / "clean.duckdb")}
    first = cache.load_and_validate(source)
    second = cache.load_and_validate(source)
    assert first.quarantine.empty
    pd.testing.assert_frame_equal(first.quarantine, second.quarantine)


def test_every_measure_still_gets_its_own_quarantine_file(city, counted, cache_dir, tmp_path):
    a = cache.load_and_validate(city, quarantine_path=tmp_path / "a.quarantine.parquet")
    b = cache.load_and_validate(city, quarantine_path=tmp_path / "b.quarantine.parquet")
    assert len(counted) == 1
    assert a.report.quarantine_file.endswith("a.quarantine.parquet")
    assert b.report.quarantine_file.endswith("b.quarantine.parquet")
    qa = read_quarantine(tmp_path / "a.quarantine.parquet")
    qb = read_quarantine(tmp_path / "b.quarantine.parquet")
    assert len(qa) > 0
    pd.testing.assert_frame_equal(qa, qb)


def test_a_load_without_quarantine_path_reports_no_quarantine_file(city, cache_dir, tmp_path):
    cache.load_and_validate(city, quarantine_path=tmp_path / "a.quarantine.parquet")
    again = cache.load_and_validate(city)
    assert again.report.quarantine_file is None


def test_a_changed_data_file_is_loaded_again(city, counted, cache_dir):
    cache.load_and_validate(city)
    stat = os.stat(city["path"])
    os.utime(city["path"], ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))
    cache.load_and_validate(city)
    assert len(counted) == 2


def test_another_pseudonymisation_key_is_another_entry_and_no_key_is_stored(
    city, counted, cache_dir, monkeypatch
):
    cache.load_and_validate(city)
    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", KEY + "-other")
    cache.load_and_validate(city)
    assert len(counted) == 2
    for path in cache_dir.rglob("*"):
        if path.is_file():
            assert KEY.encode() not in path.read_bytes()


def test_another_column_mapping_or_period_is_another_key(city):
    base = cache.source_key(city)
    assert cache.source_key(city, period=("2021-01", "2023-12")) != base
    assert cache.source_key(city, columns={"persons": {"pid": "person_id"}}) != base
    assert cache.source_key(dict(city)) == base


def test_a_validation_that_stops_is_not_cached_and_raises_each_time(tmp_path, cache_dir):
    missing = {"kind": "csv", "path": str(tmp_path / "empty_folder")}
    (tmp_path / "empty_folder").mkdir()
    for _ in range(2):
        with pytest.raises(DataError):
            cache.load_and_validate(missing)
    assert not any(p.is_dir() for p in cache_dir.glob("*"))


def test_validate_without_stopping_is_never_cached(city, counted, cache_dir):
    cache.load_and_validate(city, raise_fatal=False)
    cache.load_and_validate(city, raise_fatal=False)
    assert len(counted) == 2


def test_parallel_loads_of_one_source_build_the_entry_once(city, counted, cache_dir):
    results = []
    threads = [
        threading.Thread(target=lambda: results.append(cache.load_and_validate(city)))
        for _ in range(3)
    ]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert len(counted) == 1
    assert len({data_fingerprint(r.tables) for r in results}) == 1
