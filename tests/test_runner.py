"""Specifications of the runner's run folders, keys, kernel and error handling (no kernels run)."""

from __future__ import annotations

import json
import os
from datetime import datetime
from pathlib import Path

import pytest

from evalkit import project, runner
from evalkit.errors import DataError, ParamsError, RunError
from evalkit.pipeline import stage_of
from evalkit.runner import execution

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
    assert stage_of(error) == stage


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


# --- threads, kernel environment and tasks -----------------------------------------------------


@pytest.mark.parametrize(("jobs", "cores", "threads"), [(2, 2, 1), (1, 8, 8), (3, 8, 2), (4, 2, 1)])
def test_parallel_kernels_share_the_cores(jobs, cores, threads):
    assert runner.threads_per_kernel(jobs, cores) == threads


def test_kernel_environment_is_set_inside_and_restored_after(monkeypatch):
    from evalkit.runner.kernel import kernel_environment, kernel_variables

    monkeypatch.setenv("OMP_NUM_THREADS", "8")
    monkeypatch.delenv("EVALKIT_CACHE_DIR", raising=False)
    with kernel_environment(kernel_variables(1, "/run/.cache")):
        assert os.environ["OMP_NUM_THREADS"] == "1"
        assert os.environ["OPENBLAS_NUM_THREADS"] == "1"
        assert os.environ["MKL_NUM_THREADS"] == "1"
        assert os.environ["EVALKIT_CACHE_DIR"] == "/run/.cache"
    assert os.environ["OMP_NUM_THREADS"] == "8"
    assert "EVALKIT_CACHE_DIR" not in os.environ


def _task(tmp_path, kind="measure", source="params/m.yaml", group="", environment=()):
    from evalkit.runner.tasks import NotebookTask

    return NotebookTask(
        kind, str(tmp_path / source), str(tmp_path), str(tmp_path), 5, "evalkit", environment, group
    )


def test_a_measure_task_starts_its_kernel_with_thread_limits_and_the_cache_folder(
    tmp_path, monkeypatch
):
    from evalkit.runner import tasks

    seen = {}

    def fake_run_measure(source, run_dir, **kwargs):
        seen.update({k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "EVALKIT_CACHE_DIR")})
        seen["cwd"] = kwargs["cwd"]
        return runner.MeasureOutcome("m", "ok", 1.0)

    monkeypatch.setattr(tasks, "run_measure", fake_run_measure)
    environment = (("OMP_NUM_THREADS", "1"), ("EVALKIT_CACHE_DIR", str(tmp_path / ".cache")))
    lines = []
    outcome = tasks.run_task(
        _task(tmp_path, environment=environment), lambda log, line: lines.append(line)
    )
    assert outcome["status"] == "ok"
    assert seen == {
        "OMP_NUM_THREADS": "1",
        "EVALKIT_CACHE_DIR": str(tmp_path / ".cache"),
        "cwd": str(tmp_path),
    }
    assert lines == ["start  m"]


def test_progress_lines_of_a_tree_name_the_municipality(tmp_path):
    assert _task(tmp_path, group="ale").name == "ale/m"
    assert _task(tmp_path, kind="portfolio", source="", group="ale").name == "ale/portfolio"
    assert _task(tmp_path, kind="portfolio", source="").name == "portfolio"


# --- worker processes that die -------------------------------------------------------------------


def crash_once(task) -> dict:
    """A pool target whose first call kills its worker process (a stand-in for the OOM killer)."""
    from dataclasses import asdict

    marker = Path(task.run_dir) / "crashed-once"
    if not marker.exists():
        marker.write_text("x")
        os._exit(3)
    return asdict(runner.MeasureOutcome(Path(task.source).stem, "ok", 0.5))


def crash_always(task) -> dict:
    """A pool target that always kills its worker."""
    os._exit(3)


def test_a_task_whose_worker_dies_runs_again_on_a_fresh_pool(tmp_path):
    from evalkit.runner.pool import LocalPool

    done = []
    with LocalPool(1, target=crash_once) as pool:
        outcomes = pool.run([_task(tmp_path)], lambda task, outcome: done.append(outcome))
    assert [o.status for o in outcomes] == ["ok"]
    assert done == outcomes


def test_a_task_whose_worker_dies_twice_gets_a_failed_page(tmp_path):
    from evalkit.runner.pool import LocalPool

    with LocalPool(1, target=crash_always) as pool:
        outcomes = pool.run([_task(tmp_path)], lambda task, outcome: None)
    assert [o.status for o in outcomes] == ["failed"]
    results = json.loads((tmp_path / "m.json").read_text())
    assert results["error"]["stage"] == "kernel"
    assert "worker process stopped" in results["error"]["message"]
    assert (tmp_path / "m.html").exists()


# --- a tree of municipalities, without kernels ---------------------------------------------------

FIXTURE = Path(__file__).resolve().parent / "fixtures" / "results_example.json"
MEASURE_YAML = "measure_id: {m}\ntitle: Insats {m}\n"
DEFAULTS_YAML = (
    "data:\n  mode: registers\n  source: {kind: duckdb, path: data/city.duckdb}\n"
    "design:\n  intake: {start: 2021-01, end: 2023-12}\n"
    "outcomes: [work_or_study_12m]\nestimators: [naive, aipw]\n"
)


class InlineExecutor:
    """Runs tasks one by one in this process (the pool's contract, without processes)."""

    where = "2 at a time"

    def kernel_variables(self, cache_dir):
        from evalkit.runner.kernel import kernel_variables

        return kernel_variables(1, cache_dir)

    def listen(self, say):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return None

    def run(self, tasks, on_done):
        from evalkit.runner.tasks import run_task

        out = []
        for task in tasks:
            outcome = runner.MeasureOutcome(**run_task(task))
            on_done(task, outcome)
            out.append(outcome)
        return out


def _fake_notebooks(monkeypatch, seen):
    """Measure and portfolio notebooks replaced by writers of their files."""
    from evalkit.runner import tasks

    def fake_measure(source, run_dir, *, cwd, timeout, kernel):
        measure = Path(source).stem
        seen.append((measure, cwd, os.environ.get("EVALKIT_CACHE_DIR")))
        Path(os.environ["EVALKIT_CACHE_DIR"]).mkdir(parents=True, exist_ok=True)
        results = json.loads(FIXTURE.read_text())
        results.update(measure_id=measure, title=f"Insats {measure}")
        (Path(run_dir) / f"{measure}.json").write_text(json.dumps(results))
        (Path(run_dir) / f"{measure}.html").write_text("<html></html>")
        return runner.MeasureOutcome(
            measure, "ok", 0.1, html=str(Path(run_dir) / f"{measure}.html")
        )

    def fake_portfolio(run_dir, *, cwd, timeout, kernel):
        page = Path(run_dir) / "index.html"
        page.write_text("<html></html>")
        return page

    monkeypatch.setattr(tasks, "run_measure", fake_measure)
    monkeypatch.setattr(tasks, "run_portfolio", fake_portfolio)


def _tree(tmp_path) -> Path:
    tree = tmp_path / "kommuner"
    for name, measures in (("ale", ("m1", "m2")), ("boras", ("m1",))):
        folder = tree / name
        (folder / "data").mkdir(parents=True)
        (folder / "data" / "city.duckdb").write_bytes(b"")
        (folder / "defaults.yaml").write_text(DEFAULTS_YAML)
        for m in measures:
            (folder / f"{m}.yaml").write_text(MEASURE_YAML.format(m=m))
    return tree


def test_a_folder_with_measure_files_is_one_municipality_not_a_tree(tmp_path):
    (tmp_path / "a.yaml").write_text("x: 1\n")
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "b.yaml").write_text("x: 1\n")
    assert runner.municipality_dirs(tmp_path) == []


def test_a_tree_has_one_municipality_per_subfolder_with_measures(tmp_path):
    tree = _tree(tmp_path)
    (tree / "empty").mkdir()
    assert [p.name for p in runner.municipality_dirs(tree)] == ["ale", "boras"]


def test_run_all_over_a_tree_gives_a_folder_per_municipality_and_an_overview(tmp_path, monkeypatch):
    from evalkit.runner import runs

    seen: list = []
    _fake_notebooks(monkeypatch, seen)
    monkeypatch.setattr(runs, "_executor", lambda jobs, scheduler: InlineExecutor())
    monkeypatch.chdir(tmp_path)  # data paths resolve against each municipality, not here
    lines: list[str] = []
    summary = runner.run_all(_tree(tmp_path), tmp_path / "reports", say=lines.append)
    run = summary.run_dir
    assert summary.ok, lines
    assert sorted(p.name for p in run.iterdir() if p.is_dir()) == ["ale", "boras"]
    assert (run / "ale" / "m2.json").exists() and (run / "boras" / "m1.json").exists()
    assert summary.portfolios == {
        "ale": run / "ale" / "index.html",
        "boras": run / "boras" / "index.html",
    }
    assert summary.index == run / "index.html"
    page = (run / "index.html").read_text()
    for link in (
        "ale/index.html",
        "boras/index.html",
        "ale/m1.html",
        "ale/m2.html",
        "boras/m1.html",
    ):
        assert f'href="{link}"' in page
    assert {(m, Path(cwd).name) for m, cwd, _ in seen} == {
        ("m1", "ale"),
        ("m2", "ale"),
        ("m1", "boras"),
    }
    assert lines[0].endswith("3 measures in 2 municipalities, 2 at a time")
    log = (run / "run.log").read_text()
    for line in ("start  ale/m1", "start  boras/m1", "start  ale/portfolio", "start  overview"):
        assert f"] {line}\n" in log
    assert any(line.startswith("ok     ale/m2  ") for line in lines)
    assert not (run / ".cache").exists()  # the run's cache is gone when the run ends


def test_an_invalid_params_file_in_a_tree_gets_its_failed_page_in_its_municipality(
    tmp_path, monkeypatch
):
    from evalkit.runner import runs

    _fake_notebooks(monkeypatch, [])
    monkeypatch.setattr(runs, "_executor", lambda jobs, scheduler: InlineExecutor())
    tree = _tree(tmp_path)
    (tree / "boras" / "trasig.yaml").write_text("measure_id: trasig\nnot_a_key: 1\n")
    lines: list[str] = []
    summary = runner.run_all(tree, tmp_path / "reports", say=lines.append)
    assert not summary.ok
    failed = json.loads((summary.run_dir / "boras" / "trasig.json").read_text())
    assert failed["status"] == "failed" and failed["error"]["stage"] == "params"
    assert any(line.startswith("FAILED boras/trasig") for line in lines)


def test_the_run_cache_is_removed_even_when_the_run_stops(tmp_path, monkeypatch):
    from evalkit.runner import runs

    class Broken(InlineExecutor):
        def run(self, tasks, on_done):
            Path(dict(tasks[0].environment)["EVALKIT_CACHE_DIR"]).mkdir(parents=True)
            raise KeyboardInterrupt

    monkeypatch.setattr(runs, "_executor", lambda jobs, scheduler: Broken())
    with pytest.raises(KeyboardInterrupt):
        runner.run_all(_tree(tmp_path), tmp_path / "reports", say=lambda line: None)
    run = next(p for p in (tmp_path / "reports").iterdir() if not p.is_symlink())
    assert not (run / ".cache").exists()


@pytest.mark.parametrize("address", ["local:0", "local:many"])
def test_a_bad_local_cluster_size_stops_before_any_run_folder(tmp_path, address):
    with pytest.raises(RunError, match="local:N"):
        runner.run_all(_tree(tmp_path), tmp_path / "reports", scheduler=address)
    assert not (tmp_path / "reports").exists()


def test_run_all_starts_no_more_workers_than_there_are_measures(tmp_path, monkeypatch):
    from evalkit.runner import runs

    started = []

    class Recorder(InlineExecutor):
        def __init__(self, jobs):
            started.append(jobs)

    _fake_notebooks(monkeypatch, [])
    monkeypatch.setattr(runs, "LocalPool", Recorder)
    folder = _tree(tmp_path) / "ale"  # one municipality's params folder: two measures
    monkeypatch.chdir(folder)
    summary = runner.run_all(folder, tmp_path / "reports", jobs=4, say=lambda line: None)
    assert summary.ok and started == [2]
