"""Kolada exports read offline, Kolada's follow-up share from registers, peer comparisons."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from evalkit.data.kolada import (
    FOLLOWUP_TITLE,
    followup_share_by_year,
    peer_comparison,
    read_kolada,
)
from evalkit.errors import DataError, MissingColumnError

EXAMPLE = Path(__file__).resolve().parent.parent / "examples" / "kolada_export.json"


def _v2(rows: list[tuple[str, str, int, str, float | None]]) -> dict:
    """A Kolada v2 data response from (kpi, municipality, period, gender, value) rows."""
    values = []
    for kpi, code, period, gender, value in rows:
        values.append(
            {
                "kpi": kpi,
                "municipality": code,
                "period": period,
                "values": [{"count": 1, "gender": gender, "status": "", "value": value}],
            }
        )
    return {"count": len(values), "values": values}


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "kolada.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    return path


def test_v2_json_becomes_one_row_per_kpi_municipality_year_and_gender(tmp_path):
    doc = _v2([("N31807", "0180", 2022, "T", 4.1), ("N31807", "0180", 2022, "K", 4.3)])
    export = read_kolada(_write(tmp_path, doc))
    assert export.values[["kpi", "municipality", "period", "gender", "value"]].values.tolist() == [
        ["N31807", "0180", 2022, "T", 4.1],
        ["N31807", "0180", 2022, "K", 4.3],
    ]


def test_csv_with_the_same_columns_reads_alike_and_keeps_leading_zeros(tmp_path):
    path = tmp_path / "kolada.csv"
    path.write_text("kpi,municipality,period,gender,value\nN31001,180,2021,T,2500\n")
    export = read_kolada(path)
    assert export.values.loc[0, "municipality"] == "0180"
    assert export.values.loc[0, "value"] == 2500.0


def test_csv_without_a_value_column_names_file_and_column(tmp_path):
    path = tmp_path / "kolada.csv"
    path.write_text("kpi,municipality,period,gender\nN31001,0180,2021,T\n")
    with pytest.raises(MissingColumnError) as err:
        read_kolada(path)
    assert err.value.column == "value" and "kolada.csv" in str(err.value)


def test_values_kolada_left_empty_are_counted_not_dropped(tmp_path):
    doc = _v2([("N31807", "0180", 2022, "T", None), ("N31807", "0181", 2022, "T", 3.0)])
    export = read_kolada(_write(tmp_path, doc))
    assert export.n_without_value == 1 and len(export.values) == 2


def test_a_period_that_is_not_a_year_is_a_data_error_with_its_count(tmp_path):
    doc = _v2([("N31807", "0180", 2022, "T", 1.0)])
    doc["values"][0]["period"] = "last year"
    with pytest.raises(DataError) as err:
        read_kolada(_write(tmp_path, doc))
    assert err.value.count == 1 and err.value.column == "period"


def test_peers_mean_and_range_exclude_the_municipality_itself(tmp_path):
    rows = [("N31807", c, 2022, "T", v) for c, v in (("0001", 9.0), ("0002", 2.0), ("0003", 4.0))]
    export = read_kolada(_write(tmp_path, _v2(rows)))
    out = peer_comparison(export, "N31807", "0001", ["0001", "0002", "0003"])
    row = out.iloc[0]
    assert (row.municipality_value, row.peer_mean, row.peer_min, row.peer_max, row.n_peers) == (
        9.0,
        3.0,
        2.0,
        4.0,
        2,
    )


def test_a_group_id_stands_for_its_members(tmp_path):
    doc = _v2([("N31001", c, 2023, "T", v) for c, v in (("0002", 10.0), ("0003", 20.0))])
    doc["municipality_groups"] = [{"id": "G1", "members": [{"id": "0002"}, {"id": "0003"}]}]
    export = read_kolada(_write(tmp_path, doc))
    out = peer_comparison(export, "N31001", "0001", ["G1"])
    assert out.iloc[0].peer_mean == 15.0 and out.iloc[0].n_peers == 2


def test_own_value_from_registers_replaces_the_export_value(tmp_path):
    doc = _v2([("K1", "0001", 2023, "T", 50.0), ("K1", "0002", 2023, "T", 30.0)])
    export = read_kolada(_write(tmp_path, doc))
    out = peer_comparison(export, "K1", "0001", ["0002"], own={2023: 41.5})
    assert out.iloc[0].municipality_value == 41.5


def test_followup_kpi_is_found_by_its_kolada_title_in_the_example_export():
    export = read_kolada(EXAMPLE)
    assert export.kpi_by_title(FOLLOWUP_TITLE.upper()) == "EXEMPEL_AVSLUT"
    assert export.members(["G-EXEMPEL"]) == [f"99{i:02d}" for i in range(91, 97)]


def _parts(rows: list[tuple[str, str, str | None, str | None]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["person_id", "measure_id", "end_date", "end_reason"])


def test_followup_share_counts_work_subsidised_work_and_studies_over_all_who_ended():
    parts = _parts(
        [
            ("a", "m", "2023-03-31", "arbete_osubventionerat"),
            ("b", "m", "2023-05-31", "arbete_subventionerat"),
            ("c", "m", "2023-06-30", "studier"),
            ("d", "m", "2023-07-31", "avbrott"),
            ("e", "m", None, "pagaende"),
        ]
    )
    out = followup_share_by_year(parts)
    assert out.to_dict("records") == [
        {"period": 2023, "n_ended": 4, "n_work_or_study": 3, "share": 0.75}
    ]


def test_a_person_ending_twice_in_a_year_counts_once_by_the_last_ending():
    parts = _parts([("a", "m", "2023-02-28", "studier"), ("a", "n", "2023-09-30", "avbrott")])
    out = followup_share_by_year(parts)
    assert (out.n_ended.item(), out.n_work_or_study.item()) == (1, 0)


def test_followup_share_can_be_limited_to_some_measures():
    parts = _parts([("a", "m", "2022-02-28", "studier"), ("b", "x", "2022-09-30", "avbrott")])
    out = followup_share_by_year(parts, ["m"])
    assert np.isclose(out.share.item(), 1.0)
