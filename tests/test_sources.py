"""Every source kind loads the same registers: write small tables in each format, read them back."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import duckdb
import pandas as pd
import pytest
import sqlalchemy as sa
from pg_server import postgres_url  # noqa: F401  (session fixture)
from small_registers import TEST_KEY, registers, with_rows

from evalkit.data.sources import load_raw, load_registers, load_table, quote_identifier
from evalkit.data.validate import load_and_validate, validate_registers
from evalkit.errors import DataError, MissingTableError

HOSTILE = 'persons"; DROP TABLE measures; --'


def typed_registers() -> dict[str, pd.DataFrame]:
    """The same registers with native types, as a database or Parquet file would hold them."""
    t = {k: v.copy() for k, v in registers().items()}
    for table, col in [("persons", "birth_year"), ("persons", "arrival_year")]:
        t[table][col] = pd.to_numeric(t[table][col]).astype("Int64")
    for table, col in [
        ("assistance", "amount_sek"),
        ("costs", "cost_sek"),
        ("costs", "external_funding_sek"),
        ("measures", "cost_per_participant_month_sek"),
    ]:
        t[table][col] = pd.to_numeric(t[table][col]).astype("float64")
    for table, col in [
        ("participations", "start_date"),
        ("participations", "end_date"),
        ("assistance", "month"),
        ("status", "month"),
        ("costs", "month"),
    ]:
        t[table][col] = pd.to_datetime(t[table][col]).astype("datetime64[ns]")
    return {
        k: v.astype({c: object for c in v.columns if v[c].dtype == "string"}) for k, v in t.items()
    }


def expected() -> dict[str, pd.DataFrame]:
    return validate_registers(with_rows(registers()), key=TEST_KEY).tables


def assert_same_registers(got: dict[str, pd.DataFrame]) -> None:
    want = expected()
    assert set(got) == set(want)
    for name in want:
        pd.testing.assert_frame_equal(got[name], want[name], obj=name)


def validated(source, **kw):
    v = load_and_validate(source, key=TEST_KEY, **kw)
    assert v.report.ok, v.report.summary()
    return v.tables


# --- writers ---------------------------------------------------------------------------------------


def write_csv(folder: Path, tables, sep=",") -> Path:
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False, sep=sep)
    return folder


def write_duckdb(path: Path, tables, names=None) -> Path:
    con = duckdb.connect(str(path))
    for name, frame in tables.items():
        con.register("frame", frame)
        con.execute(
            f"CREATE TABLE {quote_identifier((names or {}).get(name, name))} AS SELECT * FROM frame"
        )
        con.unregister("frame")
    con.close()
    return path


def write_sql(engine, tables, names=None) -> None:
    with engine.begin() as con:
        for name, frame in tables.items():
            frame.to_sql((names or {}).get(name, name), con, index=False, if_exists="replace")


# --- one test per source kind -------------------------------------------------------------------


def test_csv_folder_loads_the_registers(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    assert_same_registers(validated({"kind": "csv", "path": str(folder)}))


def test_semicolon_csv_is_detected(tmp_path):
    folder = write_csv(tmp_path / "csv", registers(), sep=";")
    assert_same_registers(validated({"kind": "csv", "path": str(folder)}))


def test_parquet_folder_loads_the_registers(tmp_path):
    folder = tmp_path / "pq"
    folder.mkdir()
    for name, frame in typed_registers().items():
        frame.to_parquet(folder / f"{name}.parquet", index=False)
    assert_same_registers(validated({"kind": "parquet", "path": str(folder)}))


def test_excel_workbook_with_a_sheet_per_table_loads_the_registers(tmp_path):
    path = tmp_path / "registers.xlsx"
    with pd.ExcelWriter(path) as xl:
        for name, frame in typed_registers().items():
            frame.to_excel(xl, sheet_name=name, index=False)
    assert_same_registers(validated({"kind": "excel", "path": str(path)}))


def test_duckdb_file_loads_the_registers(tmp_path):
    path = write_duckdb(tmp_path / "r.duckdb", typed_registers())
    assert_same_registers(validated({"kind": "duckdb", "path": str(path)}))


def test_sqlite_file_loads_the_registers(tmp_path):
    path = tmp_path / "r.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    write_sql(engine, typed_registers())
    engine.dispose()
    assert_same_registers(validated({"kind": "sqlite", "path": str(path)}))


@pytest.mark.postgres
def test_postgresql_url_loads_the_registers(postgres_url):  # noqa: F811
    engine = sa.create_engine(postgres_url)
    write_sql(engine, typed_registers())
    engine.dispose()
    assert_same_registers(validated({"kind": "sql", "url": postgres_url}))


@pytest.mark.postgres
def test_postgresql_hostile_table_name_is_quoted(postgres_url):  # noqa: F811
    engine = sa.create_engine(postgres_url)
    with engine.begin() as con:
        con.execute(sa.text("CREATE SCHEMA IF NOT EXISTS hostile"))
    tables = typed_registers()
    with engine.begin() as con:
        for name, frame in tables.items():
            frame.to_sql(
                HOSTILE if name == "persons" else name,
                con,
                schema="hostile",
                index=False,
                if_exists="replace",
            )
    source = {
        "kind": "sql",
        "url": postgres_url,
        "schema": "hostile",
        "tables": {"persons": HOSTILE},
    }
    assert_same_registers(validated(source))
    assert "measures" in sa.inspect(engine).get_table_names(schema="hostile")
    engine.dispose()


# --- names, mapping, raw reading -------------------------------------------------------------------


def test_table_and_column_names_are_mapped_from_params(tmp_path):
    t = registers()
    t["persons"] = t["persons"].rename(columns={"personnummer": "pnr", "sex": "kon"})
    t["personer"] = t.pop("persons")
    folder = write_csv(tmp_path / "csv", t)
    source = {"kind": "csv", "path": str(folder), "tables": {"persons": "personer"}}
    columns = {"persons": {"pnr": "personnummer", "kon": "sex"}}
    assert_same_registers(validated(source, columns=columns))


def test_column_names_differing_only_in_case_are_matched(tmp_path):
    t = registers()
    t["persons"] = t["persons"].rename(columns={"sex": "Sex", "birth_year": " BIRTH_YEAR "})
    folder = write_csv(tmp_path / "csv", t)
    assert_same_registers(validated({"kind": "csv", "path": str(folder)}))


def test_hostile_table_name_in_duckdb_is_quoted_not_executed(tmp_path):
    path = write_duckdb(tmp_path / "r.duckdb", typed_registers(), names={"persons": HOSTILE})
    assert_same_registers(
        validated({"kind": "duckdb", "path": str(path), "tables": {"persons": HOSTILE}})
    )
    con = duckdb.connect(str(path), read_only=True)
    assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == 2
    con.close()


def test_hostile_table_name_in_sqlite_is_quoted_not_executed(tmp_path):
    path = tmp_path / "r.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    write_sql(engine, typed_registers(), names={"persons": HOSTILE})
    engine.dispose()
    assert_same_registers(
        validated({"kind": "sqlite", "path": str(path), "tables": {"persons": HOSTILE}})
    )
    with sqlite3.connect(path) as con:
        assert con.execute("SELECT count(*) FROM measures").fetchone()[0] == 2


def test_text_in_a_sqlite_integer_column_becomes_r101_not_a_crash(tmp_path):
    path = tmp_path / "r.sqlite"
    engine = sa.create_engine(f"sqlite:///{path}")
    t = typed_registers()
    write_sql(engine, t)
    engine.dispose()
    with sqlite3.connect(path) as con:
        con.execute("UPDATE persons SET birth_year = 'nittio' WHERE household_id = 'h2'")
    v = load_and_validate({"kind": "sqlite", "path": str(path)}, key=TEST_KEY)
    assert v.report.counts() == {"persons": {"R101": 1}}


def test_csv_row_numbers_count_data_rows_from_one(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    raw = load_raw({"kind": "csv", "path": str(folder)})
    assert raw["assistance"]["_row"].tolist() == [1, 2, 3, 4]


def test_csv_values_are_read_as_text(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    raw = load_raw({"kind": "csv", "path": str(folder)})
    assert raw["persons"]["birth_year"].tolist() == ["1985", "1990", "1978"]


def test_loaded_registers_carry_person_id_not_personnummer(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    raw = load_registers({"kind": "csv", "path": str(folder)}, key=TEST_KEY)
    assert (
        "personnummer" not in raw["persons"].columns and raw["persons"]["person_id"].notna().all()
    )


def test_table_missing_from_a_folder_is_fatal_e001_naming_the_folder(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    (folder / "status.csv").unlink()
    with pytest.raises(MissingTableError) as err:
        load_and_validate({"kind": "csv", "path": str(folder)}, key=TEST_KEY)
    assert err.value.table == "status" and str(folder) in str(err.value)


def test_unknown_source_kind_is_a_data_error():
    with pytest.raises(DataError, match="unknown source kind"):
        load_raw({"kind": "xml", "path": "x"})


def test_mapping_an_unknown_table_is_a_data_error(tmp_path):
    with pytest.raises(DataError, match="unknown register tables"):
        load_raw({"kind": "csv", "path": str(tmp_path), "tables": {"people": "x"}})


def test_password_in_an_sql_url_is_hidden_in_messages():
    from evalkit.data.sources import describe_source

    shown = describe_source({"kind": "sql", "url": "postgresql://u:s3cret@h/db"})
    assert "s3cret" not in shown and "h/db" in shown


def test_quarantine_file_is_written_even_when_empty(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    v = load_and_validate(
        {"kind": "csv", "path": str(folder)},
        key=TEST_KEY,
        quarantine_path=tmp_path / "out" / "q.parquet",
    )
    assert len(pd.read_parquet(v.report.quarantine_file)) == 0


# --- load_table (table/panel modes) ------------------------------------------------------------


def test_load_table_reads_one_csv_file_with_inferred_types(tmp_path):
    path = tmp_path / "projekt.csv"
    pd.DataFrame({"id": ["a", "b"], "deltog": [1, 0], "y": [0.5, 1.5]}).to_csv(path, index=False)
    frame = load_table({"kind": "csv", "path": str(path)})
    assert frame["y"].tolist() == [0.5, 1.5] and frame["_row"].tolist() == [1, 2]


def test_load_table_reads_a_named_duckdb_table(tmp_path):
    path = write_duckdb(
        tmp_path / "p.duckdb", {"panel": pd.DataFrame({"unit": [1, 2], "y": [3.0, 4.0]})}
    )
    frame = load_table({"kind": "duckdb", "path": str(path)}, "panel")
    assert frame["y"].tolist() == [3.0, 4.0]


def test_load_table_pseudonymises_personnummer_in_place(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"personnummer": ["811218-9876"], "y": [1]}).to_csv(path, index=False)
    frame = load_table({"kind": "csv", "path": str(path)}, key=TEST_KEY)
    assert (
        frame["personnummer"].iloc[0] != "811218-9876" and len(frame["personnummer"].iloc[0]) == 32
    )


def test_load_table_stops_on_invalid_personnummer_with_rule_and_count(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"personnummer": ["811218-9875", "811218-9876"]}).to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        load_table({"kind": "csv", "path": str(path)}, key=TEST_KEY)
    assert (err.value.rule, err.value.count) == ("R108", 1)


def test_column_mapping_may_be_keyed_by_the_source_table_name(tmp_path):
    t = registers()
    t["personer"] = t.pop("persons").rename(columns={"sex": "kon"})
    folder = write_csv(tmp_path / "csv", t)
    source = {"kind": "csv", "path": str(folder), "tables": {"persons": "personer"}}
    assert_same_registers(validated(source, columns={"personer": {"kon": "sex"}}))


def test_excel_personnummer_stored_as_number_keeps_its_leading_zero(tmp_path):
    from small_registers import personnummer

    t = typed_registers()
    pnr = personnummer("050101", "123", sep="")  # born 2005: the number starts with 0
    t["persons"].loc[0, "personnummer"] = int(pnr)
    t["participations"].loc[0, "personnummer"] = pnr
    t["status"]["personnummer"] = t["status"]["personnummer"].replace(
        t["status"]["personnummer"][0], pnr
    )
    path = tmp_path / "registers.xlsx"
    with pd.ExcelWriter(path) as xl:
        for name, frame in t.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    v = load_and_validate({"kind": "excel", "path": str(path)}, key=TEST_KEY)
    assert v.report.ok, v.report.summary()


def test_columns_outside_the_schema_do_not_pass_validation(tmp_path):
    t = registers()
    t["persons"]["namn"] = ["Anna", "Bo", "Cecilia"]
    t["persons"].loc[2, "sex"] = "X"  # so that one row reaches the quarantine too
    folder = write_csv(tmp_path / "csv", t)
    v = load_and_validate({"kind": "csv", "path": str(folder)}, key=TEST_KEY)
    assert "namn" not in v.tables["persons"].columns and "namn" not in v.quarantine.columns
    assert len(v.quarantine) == 1


def test_windows_1252_csv_is_read_when_not_utf8(tmp_path):
    t = registers()
    t["measures"].loc[0, "name"] = "Språkpraktik för äldre"
    folder = write_csv(tmp_path / "csv", t)
    text = (folder / "measures.csv").read_text(encoding="utf-8")
    (folder / "measures.csv").write_bytes(text.encode("cp1252"))
    tables = validated({"kind": "csv", "path": str(folder)})
    assert tables["measures"]["name"].iloc[0] == "Språkpraktik för äldre"


def test_malformed_csv_is_a_data_error_naming_the_file(tmp_path):
    folder = write_csv(tmp_path / "csv", registers())
    with open(folder / "status.csv", "a") as fh:
        fh.write("a,b,c,d,e,f\n")
    with pytest.raises(DataError) as err:
        load_raw({"kind": "csv", "path": str(folder)})
    assert "status.csv" in str(err.value)


def test_quarantine_file_is_written_when_no_valid_row_is_left(tmp_path):
    t = registers()
    t["status"]["status"] = "okänd"
    folder = write_csv(tmp_path / "csv", t)
    path = tmp_path / "q.parquet"
    with pytest.raises(DataError) as err:
        load_and_validate({"kind": "csv", "path": str(folder)}, key=TEST_KEY, quarantine_path=path)
    assert err.value.rule == "E003"
    assert pd.read_parquet(path)["rule"].tolist() == ["R104"] * 3


def test_two_columns_mapped_onto_one_schema_name_is_a_data_error(tmp_path):
    t = registers()
    t["persons"]["kon"] = t["persons"]["sex"]
    folder = write_csv(tmp_path / "csv", t)
    with pytest.raises(DataError) as err:
        load_raw({"kind": "csv", "path": str(folder)}, columns={"persons": {"kon": "sex"}})
    assert (err.value.table, err.value.column) == ("persons", "sex")
