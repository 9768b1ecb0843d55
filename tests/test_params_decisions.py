"""Params of issue 12: costs' assumptions, the horizon and the Kolada benchmark."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from evalkit.errors import ParamsError
from evalkit.params import CostAssumptions, load_params

ROOT = Path(__file__).resolve().parent.parent


def _write(folder: Path, extra: dict) -> Path:
    (folder / "x.csv").write_text("id,d,y\n", encoding="utf-8")
    raw = {
        "measure_id": "x",
        "title": "X",
        "data": {"mode": "table", "source": {"kind": "csv", "path": "x.csv"}, "id": "id",
                 "treatment": "d"},
        "outcomes": ["y"],
        "estimators": ["naive"],
        **extra,
    }  # fmt: skip
    path = folder / "x.yaml"
    path.write_text(yaml.safe_dump(raw, allow_unicode=True), encoding="utf-8")
    return path


def test_cost_assumptions_have_documented_defaults():
    a = CostAssumptions()
    assert (a.discount_rate, a.monthly_wage_sek, a.income_tax_rate) == (0.035, 25_000, 0.3237)
    assert (a.employer_contribution_rate, a.work_share) == (0.3142, 0.7)
    assert a.revenue_per_work_month_sek == pytest.approx(25_000 * (0.3237 + 0.3142))


def test_cost_assumptions_are_set_in_params_and_reach_the_cost_summary(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    params = load_params(_write(tmp_path, {"costs": {"discount_rate": 0.03, "work_share": 0.5}}))
    options = params.costs.options()
    assert options["assumptions"].discount_rate == 0.03
    assert options["assumptions"].work_share == 0.5
    assert "discount_rate" not in options  # assumptions travel as one object


def test_a_negative_discount_rate_is_an_error_naming_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParamsError, match="costs.discount_rate"):
        load_params(_write(tmp_path, {"costs": {"discount_rate": -0.01}}))


@pytest.mark.parametrize("months", [6, 48])
def test_horizon_months_outside_12_to_36_is_an_error(tmp_path, monkeypatch, months):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ParamsError, match="horizon_months"):
        load_params(_write(tmp_path, {"horizon_months": months}))


def test_a_missing_kolada_export_is_an_error_naming_the_key(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bench = {"kolada": "nowhere.json", "municipality": "0180", "peers": ["0114"]}
    with pytest.raises(ParamsError, match="benchmark.kolada"):
        load_params(_write(tmp_path, {"benchmark": bench}))


def test_benchmark_needs_at_least_one_peer(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    bench = {"kolada": str(ROOT / "examples" / "kolada_export.json"), "municipality": "9990",
             "peers": []}  # fmt: skip
    with pytest.raises(ParamsError, match="benchmark.peers"):
        load_params(_write(tmp_path, {"benchmark": bench}))


def test_demo_defaults_point_at_the_example_kolada_export(monkeypatch):
    monkeypatch.chdir(ROOT)
    params = load_params(ROOT / "params" / "jobbspar_vard.yaml", check_files=False)
    assert params.benchmark.kolada == "examples/kolada_export.json"
    assert (params.benchmark.municipality, params.benchmark.peers) == ("9990", ["G-EXEMPEL"])
    assert "work_or_study_months_24m" in params.outcomes


def test_resolved_params_make_the_kolada_path_absolute(monkeypatch):
    monkeypatch.chdir(ROOT)
    params = load_params(ROOT / "params" / "jobbspar_vard.yaml", check_files=False)
    assert Path(params.resolved(ROOT).benchmark.kolada).is_absolute()
