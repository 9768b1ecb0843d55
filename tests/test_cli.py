"""Specifications of the CLI verbs, ending in one small end-to-end run (kernels start here)."""

from __future__ import annotations

import json
import math
import re
import shutil
from pathlib import Path

import pytest
from e2e_run import BROKEN, EMPTY, MEASURES, ROOT, cli, small_run

from evalkit import cli as evalkit_cli

NUMERIC_FREE = ("created", "commit", "packages", "evalkit_version")


@pytest.fixture(scope="session")
def run(tmp_path_factory):
    return small_run(tmp_path_factory.getbasetemp())


# --- verbs that need no kernel ---------------------------------------------------------------


def test_every_verb_has_help_and_exit_codes_are_documented(capsys):
    with pytest.raises(SystemExit) as info:
        evalkit_cli.main(["--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    for verb in ("synth", "validate", "run", "run-all", "scan"):
        assert verb in out
    assert "Exit codes" in out


def test_unknown_verb_exits_with_two(capsys):
    with pytest.raises(SystemExit) as info:
        evalkit_cli.main(["fly"])
    assert info.value.code == 2


def test_synth_writes_data_and_truth(tmp_path, capsys):
    code = evalkit_cli.main(["synth", "--out", str(tmp_path / "d.duckdb"), "--persons", "500"])
    assert code == 0
    assert (tmp_path / "d.duckdb").exists() and (tmp_path / "d.truth.json").exists()


def test_scan_of_a_clean_folder_exits_zero(tmp_path, capsys):
    (tmp_path / "m.json").write_text(json.dumps({"measure_id": "m", "estimate": 0.1}))
    assert evalkit_cli.main(["scan", str(tmp_path)]) == 0


def test_scan_finding_a_personnummer_exits_one_without_printing_it(tmp_path, capsys):
    # 811218-9876 is the Skatteverket example number; its Luhn check digit is valid.
    (tmp_path / "page.html").write_text("<p>Kontakt 811218-9876</p>")
    assert evalkit_cli.main(["scan", str(tmp_path)]) == 1
    captured = capsys.readouterr()
    assert "811218" not in captured.out + captured.err
    assert "personnummer" in captured.out


def test_scan_of_a_missing_folder_is_a_one_line_error(tmp_path, capsys):
    assert evalkit_cli.main(["scan", str(tmp_path / "nope")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "Traceback" not in err


def test_invalid_params_file_is_a_one_line_error_with_exit_two(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("measure_id: x\nnot_a_key: 1\n")
    assert evalkit_cli.main(["validate", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "ParamsError" in err and "bad.yaml" in err
    assert "Traceback" not in err


# --- validate on data ------------------------------------------------------------------------


def _project(tmp_path: Path, *, dirty: bool) -> Path:
    from evalkit.data.synth import write_synth

    (tmp_path / "params").mkdir()
    for name in ("defaults.yaml", f"{MEASURES[0]}.yaml"):
        (tmp_path / "params" / name).write_text((ROOT / "params" / name).read_text())
    shutil.copytree(ROOT / "examples", tmp_path / "examples")  # the defaults' Kolada export
    write_synth(tmp_path / "data" / "demo.duckdb", persons=800, dirty=dirty)
    return tmp_path


def test_validate_clean_demo_data_exits_zero(tmp_path):
    project = _project(tmp_path, dirty=False)
    done = cli(["validate", f"params/{MEASURES[0]}.yaml"], cwd=project)
    assert done.returncode == 0, done.stderr
    assert "No rule broken" in done.stdout


def test_validate_dirty_data_exits_one_and_prints_rules_not_people(tmp_path):
    project = _project(tmp_path, dirty=True)
    done = cli(["validate", f"params/{MEASURES[0]}.yaml"], cwd=project)
    assert done.returncode == 1, done.stderr
    dirty = json.loads((project / "data" / "demo.dirty.json").read_text())
    for table, rules in dirty.items():
        for rule in rules:
            assert re.search(rf"{table}\s+{rule}\s", done.stdout)
    assert not re.search(r"\d{6}[-+]?\d{4}", done.stdout)  # no personnummer-like strings


def test_validate_uses_the_demo_key_only_because_the_data_are_synthetic(tmp_path):
    project = _project(tmp_path, dirty=False)
    (project / "data" / "demo.truth.json").unlink()
    done = cli(["validate", f"params/{MEASURES[0]}.yaml"], cwd=project)
    assert done.returncode == 2
    assert "PseudonymKeyError" in done.stderr


# --- the end-to-end run ----------------------------------------------------------------------


def test_run_all_with_one_broken_params_file_exits_non_zero(run):
    assert run.returncode == 1, run.stderr


def test_run_all_good_measures_succeed_with_notebook_html_and_json(run):
    for m in MEASURES:
        results = json.loads((run.run_dir / f"{m}.json").read_text())
        assert results["status"] == "ok", results.get("error")
        assert (run.run_dir / f"{m}.html").exists()
        assert (run.run_dir / f"{m}.ipynb").exists()


def test_invalid_params_file_gets_a_failed_json_and_a_page_without_a_kernel(run):
    results = json.loads((run.run_dir / f"{BROKEN}.json").read_text())
    assert results["status"] == "failed"
    assert results["error"]["stage"] == "params"
    assert "this_key_does_not_exist" in results["error"]["message"]
    page = (run.run_dir / f"{BROKEN}.html").read_text()
    assert "kunde inte tas fram" in page and "Parameterfilen är felaktig." in page
    assert not (run.run_dir / f"{BROKEN}.ipynb").exists()


def test_measure_without_data_fails_in_its_notebook_with_a_page_saying_why(run):
    results = json.loads((run.run_dir / f"{EMPTY}.json").read_text())
    assert results["status"] == "failed"
    assert results["error"]["message"]
    page = (run.run_dir / f"{EMPTY}.html").read_text()
    assert "kunde inte tas fram" in page


def test_portfolio_page_links_every_measure(run):
    index = (run.run_dir / "index.html").read_text()
    for m in (*MEASURES, BROKEN, EMPTY):
        assert f'href="{m}.html"' in index


def test_latest_points_at_the_run(run):
    assert (run.project / "reports" / "latest").resolve() == run.run_dir.resolve()


def test_progress_lines_name_each_measure_with_time_and_status(run):
    for m in MEASURES:
        assert re.search(rf"^\[\d\d:\d\d:\d\d\] start  {m}$", run.stdout, re.MULTILINE)
    for m in MEASURES:
        assert re.search(rf"^\[\d\d:\d\d:\d\d\] ok     {m}  \d+\.\d s$", run.stdout, re.MULTILINE)
    assert re.search(rf"FAILED {BROKEN}", run.stdout)


def test_leak_scanner_finds_nothing_in_the_run_folder_and_quarantine_files_live_outside_it(run):
    # Quarantine files hold the (pseudonymised) rows that broke a rule: person-level by nature,
    # for evaluators, never for publication; they go to quarantine/<run> beside reports/.
    done = cli(["scan", str(run.run_dir)], cwd=run.project)
    assert done.returncode == 0, done.stdout
    assert not list(run.run_dir.glob("*.quarantine.*"))
    assert list((run.project / "quarantine" / run.run_dir.name).glob("*.quarantine.parquet"))


def _numbers(results: dict) -> dict:
    return {k: v for k, v in results.items() if k not in NUMERIC_FREE}


def _differences(a: object, b: object, path: str = "") -> list[str]:
    """Where two JSON values differ: numbers beyond nine significant digits, anything else at all."""
    if isinstance(a, dict) and isinstance(b, dict):
        keys = set(a) | set(b)
        return [d for k in sorted(keys) for d in _differences(a.get(k), b.get(k), f"{path}.{k}")]
    if isinstance(a, list) and isinstance(b, list) and len(a) == len(b):
        return [
            d
            for i, (x, y) in enumerate(zip(a, b, strict=True))
            for d in _differences(x, y, f"{path}[{i}]")
        ]
    both_numbers = all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in (a, b))
    if both_numbers and math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12):
        return []
    return [] if a == b else [path]


def test_two_runs_on_the_same_data_and_seed_give_the_same_json_numbers(run):
    # `run` gives its kernel every core, `run-all` splits them: BLAS sums in another order, so
    # numbers may differ in the last bits, never in the ninth significant digit.
    done = cli(["run", f"params/{MEASURES[0]}.yaml", "--out", "again"], cwd=run.project)
    assert done.returncode == 0, done.stderr
    second = next(p for p in (run.project / "again").iterdir() if not p.is_symlink())
    a = json.loads((run.run_dir / f"{MEASURES[0]}.json").read_text())
    b = json.loads((second / f"{MEASURES[0]}.json").read_text())
    assert _differences(_numbers(a), _numbers(b)) == []


def test_run_of_one_measure_writes_the_accessibility_statement_its_footer_links_to(run):
    done = cli(["run", f"params/{MEASURES[1]}.yaml", "--out", "single"], cwd=run.project)
    assert done.returncode == 0, done.stderr
    folder = (run.project / "single" / "latest").resolve()
    page = (folder / f"{MEASURES[1]}.html").read_text(encoding="utf-8")
    assert 'href="tillganglighet.html"' in page
    assert "Exempelstads kommun" in (folder / "tillganglighet.html").read_text(encoding="utf-8")


@pytest.mark.parametrize("mode", ["table", "panel"])
def test_example_in_table_and_panel_mode_produces_a_report(run, mode):
    specs = (
        [p for p in (run.project / "examples").glob("*.yaml") if f"mode: {mode}" in p.read_text()]
        if (run.project / "examples").is_dir()
        else []
    )
    if not specs:
        pytest.skip(f"no {mode}-mode example in examples/ yet")
    done = cli(
        ["run", str(specs[0].relative_to(run.project)), "--out", f"ex_{mode}"], cwd=run.project
    )
    assert done.returncode == 0, done.stdout + done.stderr
    folder = next(p for p in (run.project / f"ex_{mode}").iterdir() if not p.is_symlink())
    results = json.loads(next(folder.glob("*.json")).read_text())
    assert results["status"] == "ok"
    assert results["sample"]["data_mode"] == mode
    page = (folder / f"{results['measure_id']}.html").read_text()
    assert 'id="estimates"' in page


# --- a tree of municipalities, end to end --------------------------------------------------------

QUICK_DEFAULTS = """\
data:
  mode: registers
  source: {kind: duckdb, path: data/city.duckdb}
design:
  intake: {start: 2021-01, end: 2023-12}
outcomes: [work_or_study_12m, assistance_sek_12m]
estimators: [naive, regression, aipw]
subgroups: [sex]
"""


@pytest.mark.slow
def test_run_all_over_municipalities_gives_their_pages_and_an_overview(tmp_path):
    from evalkit.data.synth import write_synth

    tree = tmp_path / "kommuner"
    for name, persons, measure in (("ale", 1200, MEASURES[0]), ("boras", 1500, MEASURES[1])):
        folder = tree / name
        folder.mkdir(parents=True)
        write_synth(folder / "data" / "city.duckdb", persons=persons)
        (folder / "defaults.yaml").write_text(QUICK_DEFAULTS)
        (folder / f"{measure}.yaml").write_text((ROOT / "params" / f"{measure}.yaml").read_text())
    done = cli(["run-all", "kommuner", "--out", "reports"], cwd=tmp_path)
    assert done.returncode == 0, done.stdout + done.stderr
    run = (tmp_path / "reports" / "latest").resolve()
    for name, measure in (("ale", MEASURES[0]), ("boras", MEASURES[1])):
        results = json.loads((run / name / f"{measure}.json").read_text())
        assert results["status"] == "ok"
        assert (run / name / f"{measure}.html").exists() and (run / name / "index.html").exists()
        assert re.search(rf"^\[\d\d:\d\d:\d\d\] ok     {name}/{measure}  ", done.stdout, re.M)
    overview = (run / "index.html").read_text()
    for link in ("ale/index.html", "boras/index.html", f"ale/{MEASURES[0]}.html"):
        assert f'href="{link}"' in overview
    assert not (run / ".cache").exists()
    scanned = cli(["scan", str(run)], cwd=tmp_path)  # quarantine files live outside the run
    assert scanned.returncode == 0 and "no personal data found" in scanned.stdout, scanned.stdout
