"""The results file's JSON Schema: generated from the models, and it holds for registers, table,
panel and failed runs."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest
import yaml

from evalkit import cli
from evalkit.audit.disclosure import protect
from evalkit.errors import DataError, ParamsError
from evalkit.params import load_params, validate_params
from evalkit.pipeline import analyse, failed_result, write_results
from evalkit.results import SCHEMA_FILE, MeasureResults, results_schema, write_json

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def validator():
    jsonschema.Draft202012Validator.check_schema(SCHEMA)
    return jsonschema.Draft202012Validator(SCHEMA)


def problems(validator, results) -> list[str]:
    """Schema violations of a results dict after a round trip through the results file."""
    return [
        f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
        for e in validator.iter_errors(results)
    ]


def round_trip(results: MeasureResults, tmp_path: Path) -> dict:
    """Results through disclosure control into a results file, read back as JSON."""
    path = write_results(protect(results), tmp_path / "r.json")
    return json.loads(path.read_text(encoding="utf-8"))


def test_committed_schema_is_the_one_generated_from_the_models():
    assert results_schema() == SCHEMA, "regenerate: evalkit schema > evalkit/results_schema.json"


def test_schema_verb_prints_the_committed_schema(capsys):
    assert cli.main(["schema"]) == 0
    assert json.loads(capsys.readouterr().out) == SCHEMA


def test_results_file_reads_back_as_the_same_results(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    protected = protect(analyse(load_params("examples/projekt_x.yaml")))
    path = write_results(protected, tmp_path / "r.json")
    assert protect(MeasureResults.read(path)).to_json_dict() == protected.to_json_dict()


def test_only_protected_results_are_written(tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    with pytest.raises(TypeError, match="ProtectedResults"):
        write_results(analyse(load_params("examples/projekt_x.yaml")), tmp_path / "r.json")


def test_registers_run_matches_schema(validator, tmp_path, monkeypatch):
    from evalkit.data.synth import write_synth

    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", "test-key-for-synthetic-data")
    data = write_synth(tmp_path / "city.duckdb", persons=2000, seed=11)
    raw = yaml.safe_load((ROOT / "params" / "defaults.yaml").read_text(encoding="utf-8"))
    raw.update(yaml.safe_load((ROOT / "params" / "praktik.yaml").read_text(encoding="utf-8")))
    raw["data"]["source"]["path"] = str(data)
    raw["estimators"] = ["naive", "aipw", "cs_did", "dynamic_matching"]
    results = analyse(validate_params(raw), out_dir=tmp_path)
    assert problems(validator, round_trip(results, tmp_path)) == []


@pytest.mark.parametrize("example", ["projekt_x", "lan_panel"])
def test_example_runs_match_schema(validator, example, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    results = analyse(load_params(f"examples/{example}.yaml"))
    assert problems(validator, round_trip(results, tmp_path)) == []


def test_failed_run_matches_schema(validator, tmp_path, monkeypatch):
    monkeypatch.chdir(ROOT)
    params = load_params("examples/projekt_x.yaml")
    error = DataError("end date before start date", table="participations", rule="R106", count=3)
    results = failed_result(params, error, "data")
    assert problems(validator, round_trip(results, tmp_path)) == []


def test_failed_result_from_a_path_names_measure_stage_and_error():
    error = ParamsError("unknown key", file="params/x.yaml", key="colour")
    results = failed_result("params/x.yaml", error, "params")
    assert results.status == "failed"
    assert results.measure_id == "x"
    assert results.error.to_json_dict() == {
        "type": "ParamsError",
        "message": str(error),
        "stage": "params",
    }


def test_failed_result_never_quotes_a_foreign_message():
    results = failed_result("params/x.yaml", ValueError("19900101-1234 bad"), "analysis")
    assert results.error.message == "ValueError"
    assert "19900101" not in json.dumps(results.to_json_dict())


def test_a_results_file_missing_estimates_breaks_the_schema(validator, monkeypatch):
    monkeypatch.chdir(ROOT)
    results = protect(analyse(load_params("examples/projekt_x.yaml"))).to_json_dict()
    del results["estimates"]
    assert problems(validator, results)


def test_results_files_are_written_with_nan_as_null_and_sorted_keys(tmp_path):
    path = write_json({"b": float("nan"), "a": 0.1}, tmp_path / "x.json")
    assert path.read_text(encoding="utf-8") == '{\n "a": 0.1,\n "b": null\n}\n'


def test_failed_result_from_params_keeps_measure_language_and_params(monkeypatch):
    monkeypatch.chdir(ROOT)
    params = load_params("examples/lan_panel.yaml")
    results = failed_result(params, DataError("no rows", table="data", count=0), "data")
    assert results.measure_id == "lan_panel"
    assert results.lang == "en"
    assert results.params["data"]["mode"] == "panel"
    assert results.error.stage == "data"


def test_analyse_accepts_a_params_file_path(monkeypatch):
    monkeypatch.chdir(ROOT)
    results = analyse("examples/projekt_x.yaml")
    assert results.status == "ok" and results.measure_id == "projekt_x"


def test_every_results_file_of_a_run_all_validates(validator, tmp_path_factory):
    """The small end-to-end run (ok measures, an invalid params file, a measure without data)."""
    from e2e_run import BROKEN, EMPTY, MEASURES, small_run

    run_dir = small_run(tmp_path_factory.getbasetemp()).run_dir
    files = {
        p.stem: json.loads(p.read_text(encoding="utf-8"))
        for p in run_dir.glob("*.json")
        if p.name != "portfolio.json"  # the portfolio's file has its own schema
    }
    assert {*MEASURES, BROKEN, EMPTY} <= set(files)
    for name, data in files.items():
        assert problems(validator, data) == [], name
