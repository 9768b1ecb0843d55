"""Specifications of the runner's run folders, keys, kernel and error handling (no kernels run)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from evalkit import project, runner
from evalkit.errors import DataError, ParamsError, RunError
from evalkit.runner import execution, notebook_call

NOW = datetime(2026, 11, 27, 1, 2, 3)


def test_run_folder_is_named_by_date_and_time(tmp_path):
    assert runner.new_run_dir(tmp_path, NOW).name == "2026-11-27_010203"


def test_run_folders_made_in_the_same_second_never_overwrite(tmp_path):
    first = runner.new_run_dir(tmp_path, NOW)
    (first / "keep.json").write_text("{}")
    second = runner.new_run_dir(tmp_path, NOW)
    third = runner.new_run_dir(tmp_path, NOW)
    assert [p.name for p in (first, second, third)] == [
        "2026-11-27_010203",
        "2026-11-27_010203_2",
        "2026-11-27_010203_3",
    ]
    assert (first / "keep.json").read_text() == "{}"


def test_latest_points_at_the_newest_run(tmp_path):
    old = runner.new_run_dir(tmp_path, NOW)
    runner.update_latest(old)
    new = runner.new_run_dir(tmp_path, datetime(2026, 11, 28))
    link = runner.update_latest(new)
    assert link.name == "latest"
    assert link.resolve() == new.resolve()


def test_latest_falls_back_to_a_file_where_symlinks_fail(tmp_path, monkeypatch):
    run = runner.new_run_dir(tmp_path, NOW)

    def no_symlinks(*args, **kwargs):
        raise OSError("symlinks not supported")

    monkeypatch.setattr(Path, "symlink_to", no_symlinks)
    marker = runner.update_latest(run)
    assert marker.name == "LATEST"
    assert marker.read_text().strip() == run.name


def test_measure_files_skip_the_shared_defaults(tmp_path):
    for name in ("defaults.yaml", "b.yaml", "a.yaml", "notes.txt"):
        (tmp_path / name).write_text("x: 1\n")
    assert [p.name for p in runner.measure_files(tmp_path)] == ["a.yaml", "b.yaml"]


def test_missing_params_folder_is_a_params_error_naming_it(tmp_path):
    with pytest.raises(ParamsError, match="nope"):
        runner.measure_files(tmp_path / "nope")


def test_demo_key_is_set_only_for_synthetic_data(tmp_path, monkeypatch):
    monkeypatch.delenv(project.KEY_ENV, raising=False)
    real = tmp_path / "registers.duckdb"
    real.write_bytes(b"")
    assert project.ensure_demo_key(real) is False
    assert project.KEY_ENV not in os.environ
    demo = tmp_path / "demo.duckdb"
    demo.write_bytes(b"")
    (tmp_path / "demo.truth.json").write_text("{}")
    assert project.ensure_demo_key(demo) is True
    assert os.environ[project.KEY_ENV] == project.DEMO_PSEUDONYM_KEY


def test_demo_key_never_replaces_a_key_that_is_set(tmp_path, monkeypatch):
    monkeypatch.setenv(project.KEY_ENV, "the-municipality's-key")
    demo = tmp_path / "demo.duckdb"
    demo.write_bytes(b"")
    (tmp_path / "demo.truth.json").write_text("{}")
    assert project.ensure_demo_key(demo) is False
    assert os.environ[project.KEY_ENV] == "the-municipality's-key"


def test_source_path_reads_dicts_and_objects():
    class Source:
        path = "data/x.csv"

    class Data:
        source = Source()

    class Params:
        data = Data()

    assert project.source_path({"data": {"source": {"path": "a.duckdb"}}}) == "a.duckdb"
    assert project.source_path(Params()) == "data/x.csv"
    assert (
        project.source_path({"data": {"source": {"kind": "sql", "url": "postgresql://"}}}) is None
    )


def test_foreign_error_messages_are_replaced_by_their_type():
    # A library's message may quote a data value; only evalkit's own messages are shown.
    error = ValueError("invalid literal for int(): '19850101-1234'")
    safe = runner.safe_error(error, "analysis")
    assert isinstance(safe, RunError)
    assert "1985" not in str(safe) and "ValueError" in str(safe)


def test_evalkit_errors_keep_their_message():
    error = DataError("end before start", table="participations", rule="R104", count=3)
    assert runner.safe_error(error, "data") is error


@pytest.mark.parametrize(
    ("error", "stage"),
    [
        (ParamsError("x"), "params"),
        (DataError("x"), "data"),
        (RunError("x", stage="timeout"), "timeout"),
        (KeyError("x"), "analysis"),
    ],
)
def test_errors_map_to_the_stage_that_failed(error, stage):
    assert notebook_call.stage_of(error) == stage


def test_existing_kernel_is_used_as_is():
    from jupyter_client.kernelspec import KernelSpecManager

    name = next(iter(KernelSpecManager().find_kernel_specs()))
    assert runner.ensure_kernel(name) == name


def test_project_root_is_the_nearest_folder_with_params(tmp_path):
    (tmp_path / "params").mkdir()
    inner = tmp_path / "notebooks" / "deeper"
    inner.mkdir(parents=True)
    assert project.find_project_root(inner) == tmp_path.resolve()


def test_kernel_start_failure_is_retried_once(tmp_path, monkeypatch):
    import papermill

    calls = []

    def flaky(*args, **kwargs):
        calls.append(kwargs["kernel_name"])
        if len(calls) == 1:
            raise RuntimeError("Kernel died before replying to kernel_info")

    monkeypatch.setattr(papermill, "execute_notebook", flaky)
    monkeypatch.setattr(execution.time, "sleep", lambda s: None)
    runner.execute(
        Path("in.ipynb"), tmp_path / "out.ipynb", {}, cwd=tmp_path, timeout=5, kernel="evalkit"
    )
    assert calls == ["evalkit", "evalkit"]


def test_kernel_that_never_starts_is_a_kernel_stage_run_error(tmp_path, monkeypatch):
    import papermill

    def dead(*args, **kwargs):
        raise RuntimeError("Kernel died")

    monkeypatch.setattr(papermill, "execute_notebook", dead)
    monkeypatch.setattr(execution.time, "sleep", lambda s: None)
    with pytest.raises(RunError) as info:
        runner.execute(
            Path("in.ipynb"), tmp_path / "o.ipynb", {}, cwd=tmp_path, timeout=5, kernel="evalkit"
        )
    assert info.value.stage == "kernel"


def test_cell_errors_are_not_retried(tmp_path, monkeypatch):
    import papermill
    from papermill.exceptions import PapermillExecutionError

    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        raise PapermillExecutionError(1, 1, "boom", "ValueError", "boom", [])

    monkeypatch.setattr(papermill, "execute_notebook", failing)
    with pytest.raises(PapermillExecutionError):
        runner.execute(
            Path("in.ipynb"), tmp_path / "o.ipynb", {}, cwd=tmp_path, timeout=5, kernel="evalkit"
        )
    assert calls == [1]


def test_a_cell_timeout_is_a_timeout_stage_run_error(tmp_path, monkeypatch):
    import papermill

    def slow(*args, **kwargs):
        raise TimeoutError("Cell execution timed out")

    monkeypatch.setattr(papermill, "execute_notebook", slow)
    with pytest.raises(RunError) as info:
        runner.execute(
            Path("in.ipynb"), tmp_path / "o.ipynb", {}, cwd=tmp_path, timeout=5, kernel="evalkit"
        )
    assert info.value.stage == "timeout"


def test_papermill_gets_absolute_paths_timeout_cwd_and_pinned_kernel(tmp_path, monkeypatch):
    import papermill

    seen = {}

    def record(input_path, output_path, **kwargs):
        seen.update(kwargs)
        seen["output"] = output_path

    monkeypatch.setattr(papermill, "execute_notebook", record)
    runner.execute(
        runner.MEASURE_NOTEBOOK,
        tmp_path / "m.ipynb",
        {"params_file": "/abs/p.yaml"},
        cwd=tmp_path,
        timeout=42,
        kernel="evalkit",
    )
    assert seen["kernel_name"] == "evalkit"
    assert seen["cwd"] == str(tmp_path)
    assert seen["execution_timeout"] == 42
    assert Path(seen["output"]).is_absolute()
    assert json.dumps(seen["parameters"]) == '{"params_file": "/abs/p.yaml"}'


def test_failed_measure_gets_a_page_and_json_built_by_the_pipeline(tmp_path):
    error = ParamsError("unknown key", file="params/x.yaml", key="nope")
    outcome = runner.write_failed(tmp_path, Path("params/x.yaml"), None, error, "params", 0.1)
    assert outcome.status == "failed" and outcome.measure_id == "x"
    results = json.loads((tmp_path / "x.json").read_text())
    assert results["status"] == "failed"
    assert results["error"]["stage"] == "params"
    assert "key 'nope'" in results["error"]["message"]
    page = (tmp_path / "x.html").read_text()
    assert "Parameterfilen är felaktig." in page
    assert '<html lang="sv">' in page


def test_a_failed_notebook_cell_is_named_by_exception_type_and_cell_only():
    from papermill.exceptions import PapermillExecutionError

    error = PapermillExecutionError(
        7, 7, "ValueError: '19850101-1234'", "ValueError", "'19850101-1234'", []
    )
    safe = runner.safe_error(error, "report")
    assert str(safe) == "a notebook cell failed (ValueError in cell 7)"
