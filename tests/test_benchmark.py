"""Specifications of the Kolada peer benchmark (evalkit.audit.benchmark)."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from evalkit.audit.benchmark import benchmark_block, own_followup_share
from evalkit.params import Benchmark

EXAMPLE = str(Path(__file__).resolve().parent.parent / "examples" / "kolada_export.json")


def _participations(n_work: int, n_other: int, year: int = 2022) -> pd.DataFrame:
    n = n_work + n_other
    return pd.DataFrame(
        {
            "person_id": [f"p{i}" for i in range(n)],
            "measure_id": ["m"] * n,
            "start_date": [f"{year}-01-01"] * n,
            "end_date": [f"{year}-06-30"] * n,
            "end_reason": ["arbete_osubventionerat"] * n_work + ["avbrott"] * n_other,
        }
    )


def _block(participations: pd.DataFrame | None, min_cell: int = 5, **changes):
    params = Benchmark(kolada=EXAMPLE, municipality="9990", peers=["G-EXEMPEL"], **changes)
    return benchmark_block(params, participations, min_cell=min_cell)


def _row(block, kpi: str, period: int):
    return next(k for k in block.kpis if k.kpi == kpi and k.period == period)


def test_assistance_kpis_show_own_value_beside_the_peers_unweighted_mean_and_range():
    row = _row(_block(None), "N31807", 2022)
    # peers 9991..9996 in 2022: 5.8, 6.2, 5.3, 6.3, 3.9, 5.5
    assert row.municipality_value == 6.2
    assert row.peer_mean == pytest.approx((5.8 + 6.2 + 5.3 + 6.3 + 3.9 + 5.5) / 6)
    assert (row.peer_min, row.peer_max, row.n_peers) == (3.9, 6.3, 6)
    assert row.own is False


def test_followup_share_is_the_municipalitys_own_from_its_registers_in_percent():
    row = _row(_block(_participations(6, 14)), "EXEMPEL_AVSLUT", 2022)
    assert row.municipality_value == pytest.approx(30.0)  # 6 of 20, not Kolada's 25.6
    assert row.own is True
    assert row.peer_mean == pytest.approx((41.4 + 33.0 + 36.7 + 44.4 + 24.6 + 31.3) / 6)


def test_followup_kpi_is_found_by_its_kolada_title_when_params_do_not_name_it():
    kpis = {k.kpi for k in _block(None).kpis}
    assert "EXEMPEL_AVSLUT" in kpis


def test_a_year_with_fewer_than_twice_min_cell_ended_participants_is_suppressed():
    row = _row(_block(_participations(3, 6)), "EXEMPEL_AVSLUT", 2022)
    assert row.municipality_value is None and row.suppressed is True
    assert row.peer_mean is not None  # the peers are still shown


def test_own_followup_share_lists_suppressed_years_apart():
    parts = pd.concat([_participations(6, 14, 2022), _participations(1, 2, 2023)])
    parts["person_id"] = [f"p{i}" for i in range(len(parts))]
    shown, hidden = own_followup_share(parts, min_cell=5)
    assert shown == {2022: pytest.approx(30.0)} and hidden == {2023}


def test_benchmark_names_its_source_and_the_export_file():
    block = _block(None)
    assert block.source == "Kolada" and block.file == "kolada_export.json"
    assert block.peers == ["G-EXEMPEL"]


def test_an_unreadable_export_gives_a_reason_instead_of_stopping_the_run(tmp_path):
    bad = tmp_path / "kolada.json"
    bad.write_text("{not json", encoding="utf-8")
    params = Benchmark(kolada=str(bad), municipality="9990", peers=["9991"])
    block = benchmark_block(params, None, min_cell=5)
    assert block.reason == "unreadable_export" and block.kpis == []


def test_municipality_codes_written_as_numbers_keep_four_digits():
    assert Benchmark(kolada=EXAMPLE, municipality=180, peers=[114, "G-X"]).municipality == "0180"
    assert Benchmark(kolada=EXAMPLE, municipality=180, peers=[114, "G-X"]).peers == ["0114", "G-X"]
