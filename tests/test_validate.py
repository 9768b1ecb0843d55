"""Validation rules: fatal ones stop with one named error, row rules quarantine the row."""

from __future__ import annotations

import pandas as pd
import pytest
from small_registers import PNR, TEST_KEY, registers, with_rows

from evalkit.data.quarantine import MASKED_PERSONNUMMER, read_quarantine
from evalkit.data.validate import validate_registers
from evalkit.errors import DataError, MissingColumnError, MissingTableError


def run(tables=None, **kw):
    return validate_registers(with_rows(tables or registers()), key=TEST_KEY, **kw)


def set_value(tables, table, row, column, value):
    frame = tables[table].copy()
    frame[column] = frame[column].astype(object)
    frame.loc[row, column] = value
    tables[table] = frame
    return tables


def only_breach(v, table, rule, rows):
    """The report names exactly this (table, rule) with these row numbers, nothing else."""
    assert v.report.counts() == {table: {rule: len(rows)}}
    entry = next(r for r in v.report.rows if r["table"] == table and r["rule"] == rule)
    assert entry["examples"] == rows[:3]
    assert sorted(v.quarantine["_row"].tolist()) == rows


# --- clean data --------------------------------------------------------------------------------


def test_valid_registers_keep_every_row():
    v = run()
    assert v.report.ok
    assert v.report.n_kept == {t: len(f) for t, f in registers().items()}
    assert len(v.quarantine) == 0


def test_clean_tables_have_schema_types():
    t = run().tables
    assert str(t["persons"]["birth_year"].dtype) == "int64"
    assert str(t["persons"]["arrival_year"].dtype) == "Int64"
    assert t["assistance"]["amount_sek"].tolist() == [5400.0, 5400.5, 8000.0, 0.0]
    assert t["participations"]["start_date"].iloc[1] == pd.Timestamp("2021-05-10")
    assert t["participations"]["end_date"].isna().tolist() == [False, True, False]


def test_personnummer_becomes_person_id_matching_across_tables():
    t = run().tables
    assert "personnummer" not in t["persons"].columns
    # the 12-digit form in persons row 2 and the same person's participation match
    assert set(t["participations"]["person_id"]) == set(t["persons"]["person_id"])


def test_row_column_keeps_source_row_numbers():
    assert run().tables["assistance"]["_row"].tolist() == [1, 2, 3, 4]


# --- fatal rules ---------------------------------------------------------------------------------


def test_missing_required_table_raises_e001_naming_file_and_table():
    tables = registers()
    del tables["status"]
    with pytest.raises(MissingTableError) as err:
        run(tables, file="data/x.duckdb")
    assert (err.value.rule, err.value.table, err.value.file) == ("E001", "status", "data/x.duckdb")
    assert "status" in str(err.value) and "data/x.duckdb" in str(err.value)


def test_missing_optional_costs_table_gives_an_empty_typed_frame():
    tables = registers()
    del tables["costs"]
    v = run(tables)
    assert len(v.tables["costs"]) == 0
    assert str(v.tables["costs"]["month"].dtype) == "datetime64[ns]"


def test_missing_required_column_raises_e002_naming_table_and_column():
    tables = registers()
    tables["assistance"] = tables["assistance"].drop(columns=["amount_sek"])
    with pytest.raises(MissingColumnError) as err:
        run(tables, file="f.csv")
    assert (err.value.rule, err.value.table, err.value.column) == (
        "E002",
        "assistance",
        "amount_sek",
    )


def test_missing_optional_column_is_read_as_missing_with_a_note():
    tables = registers()
    tables["measures"] = tables["measures"].drop(columns=["owner"])
    v = run(tables)
    assert v.tables["measures"]["owner"].isna().all()
    assert any("owner" in n for n in v.report.notes)


def test_empty_required_table_raises_e003():
    tables = registers()
    tables["measures"] = tables["measures"].iloc[0:0]
    with pytest.raises(DataError) as err:
        run(tables)
    assert (err.value.rule, err.value.table) == ("E003", "measures")


def test_several_fatal_problems_are_all_named_in_one_error():
    tables = registers()
    del tables["status"]
    tables["persons"] = tables["persons"].drop(columns=["sex"])
    with pytest.raises(MissingTableError) as err:
        run(tables)
    assert "1 more fatal problem" in str(err.value) and "'sex'" in str(err.value)


def test_fatal_problems_are_listed_instead_of_raised_on_request():
    tables = registers()
    del tables["status"]
    v = run(tables, raise_fatal=False)
    assert [f["rule"] for f in v.report.fatal] == ["E001"]
    assert not v.report.ok and "FATAL E001" in v.report.summary()


# --- row rules: one behaviour each ------------------------------------------------------------


def test_unreadable_number_goes_to_quarantine_under_r101():
    v = run(set_value(registers(), "assistance", 1, "amount_sek", "5 4OO"))
    only_breach(v, "assistance", "R101", [2])


def test_non_integral_year_goes_to_quarantine_under_r101():
    v = run(set_value(registers(), "persons", 0, "birth_year", "1985.5"))
    only_breach(v, "persons", "R101", [1])


def test_unreadable_date_goes_to_quarantine_under_r101():
    v = run(set_value(registers(), "participations", 2, "start_date", "2022-02-30"))
    only_breach(v, "participations", "R101", [3])


def test_decimal_comma_and_blank_thousands_separator_are_read_as_numbers():
    v = run(set_value(registers(), "assistance", 1, "amount_sek", "5 400,5"))
    assert v.report.ok and v.tables["assistance"]["amount_sek"].iloc[1] == 5400.5


def test_missing_required_value_goes_to_quarantine_under_r102():
    v = run(set_value(registers(), "status", 2, "status", None))
    only_breach(v, "status", "R102", [3])


def test_blank_text_counts_as_missing_under_r102():
    v = run(set_value(registers(), "assistance", 2, "amount_sek", "  "))
    only_breach(v, "assistance", "R102", [3])


def test_missing_value_in_nullable_column_is_kept():
    v = run(set_value(registers(), "participations", 0, "end_reason", None))
    assert v.report.ok


def test_missing_personnummer_goes_to_quarantine_under_r102():
    v = run(set_value(registers(), "status", 1, "personnummer", None))
    only_breach(v, "status", "R102", [2])


def test_later_duplicate_key_goes_to_quarantine_under_r103_first_is_kept():
    tables = registers()
    tables["assistance"] = pd.concat(
        [tables["assistance"], tables["assistance"].iloc[[0]]], ignore_index=True
    )
    v = run(tables)
    only_breach(v, "assistance", "R103", [5])
    assert v.tables["assistance"]["_row"].tolist() == [1, 2, 3, 4]


def test_duplicate_person_written_in_two_personnummer_forms_is_r103():
    tables = registers()
    extra = tables["persons"].iloc[[1]].copy()
    extra["personnummer"] = PNR[1][2:]  # the 10-digit form of the same person
    tables["persons"] = pd.concat([tables["persons"], extra], ignore_index=True)
    only_breach(run(tables), "persons", "R103", [4])


def test_unknown_code_goes_to_quarantine_under_r104():
    v = run(set_value(registers(), "persons", 2, "sex", "k"))
    only_breach(v, "persons", "R104", [3])


def test_unknown_end_reason_goes_to_quarantine_under_r104():
    v = run(set_value(registers(), "participations", 0, "end_reason", "jobb"))
    only_breach(v, "participations", "R104", [1])


def test_negative_amount_goes_to_quarantine_under_r105():
    v = run(set_value(registers(), "assistance", 3, "amount_sek", "-100"))
    only_breach(v, "assistance", "R105", [4])


def test_negative_cost_goes_to_quarantine_under_r105():
    v = run(set_value(registers(), "costs", 0, "external_funding_sek", "-1"))
    only_breach(v, "costs", "R105", [1])


def test_end_before_start_rows_go_to_quarantine_under_r106():
    v = run(set_value(registers(), "participations", 2, "end_date", "2022-01-14"))
    only_breach(v, "participations", "R106", [3])


def test_end_on_start_day_is_kept():
    v = run(set_value(registers(), "participations", 2, "end_date", "2022-01-15"))
    assert v.report.ok


def test_month_outside_the_period_goes_to_quarantine_under_r107():
    # period 2021-01..2021-12: assistance rows are all in 2021; status row 2 moved to 2022-01
    tables = set_value(registers(), "status", 1, "month", "2022-01-01")
    tables["costs"] = tables["costs"].iloc[0:0]
    v = run(tables, period=("2021-01", "2021-12"))
    only_breach(v, "status", "R107", [2])


def test_first_and_last_month_of_the_period_are_inside_it():
    tables = set_value(registers(), "status", 1, "month", "2021-12-01")
    tables["costs"] = tables["costs"].iloc[0:0]
    v = run(tables, period=("2021-01", "2021-12"))
    assert v.report.ok


def test_months_are_not_checked_against_a_period_when_none_is_given():
    v = run(set_value(registers(), "status", 1, "month", "1999-01-01"))
    assert v.report.ok


def test_invalid_personnummer_goes_to_quarantine_under_r108_and_is_masked():
    bad = PNR[0][:-1] + str((int(PNR[0][-1]) + 1) % 10)  # wrong check digit
    v = run(set_value(registers(), "status", 0, "personnummer", bad))
    only_breach(v, "status", "R108", [1])
    assert v.quarantine["person_id"].tolist() == [MASKED_PERSONNUMMER]


def test_participation_in_unknown_measure_goes_to_quarantine_under_r109():
    v = run(set_value(registers(), "participations", 1, "measure_id", "m9"))
    only_breach(v, "participations", "R109", [2])


def test_assistance_for_unknown_household_goes_to_quarantine_under_r109():
    v = run(set_value(registers(), "assistance", 2, "household_id", "h9"))
    only_breach(v, "assistance", "R109", [3])


def test_status_of_unknown_person_goes_to_quarantine_under_r109():
    from small_registers import personnummer

    v = run(set_value(registers(), "status", 2, "personnummer", personnummer("700101", "111")))
    only_breach(v, "status", "R109", [3])


def test_month_not_first_of_month_goes_to_quarantine_under_r110():
    v = run(set_value(registers(), "assistance", 0, "month", "2021-01-15"))
    only_breach(v, "assistance", "R110", [1])


def test_birth_year_before_1900_goes_to_quarantine_under_r111():
    v = run(set_value(registers(), "persons", 0, "birth_year", "1850"))
    only_breach(v, "persons", "R111", [1])


# --- counting ------------------------------------------------------------------------------------


def dirty():
    tables = registers()
    set_value(tables, "assistance", 0, "amount_sek", "-5")  # R105
    set_value(tables, "assistance", 0, "month", "2021-01-15")  # and R110: same row
    set_value(tables, "assistance", 3, "household_id", "h9")  # R109
    set_value(tables, "persons", 1, "education", "hogskola")  # R104
    return tables


def test_row_breaking_two_rules_is_quarantined_once_and_counted_under_each():
    v = run(dirty())
    assert v.report.counts()["assistance"] == {"R105": 1, "R109": 1, "R110": 1}
    assert v.report.n_quarantined["assistance"] == 2
    row1 = v.quarantine[(v.quarantine["table"] == "assistance") & (v.quarantine["_row"] == 1)]
    assert len(row1) == 1 and list(row1["rules"].iloc[0]) == ["R105", "R110"]
    assert row1["rule"].iloc[0] == "R105"


def test_rows_in_equal_rows_kept_plus_rows_quarantined_in_every_table():
    v = run(dirty())
    for table, n in v.report.n_in.items():
        assert n == v.report.n_kept[table] + v.report.n_quarantined[table]
        assert v.report.n_kept[table] == len(v.tables[table])
        assert (v.quarantine["table"] == table).sum() == v.report.n_quarantined[table]


def test_quarantine_file_holds_exactly_the_rows_the_report_counts(tmp_path):
    v = run(dirty())
    path = v.write_quarantine(tmp_path / "q.parquet")
    back = read_quarantine(path)
    exploded = back.explode("rules")
    from_file = exploded.groupby(["table", "rules"]).size().to_dict()
    from_report = {(r["table"], r["rule"]): r["count"] for r in v.report.rows}
    assert from_file == from_report
    assert len(back) == v.report.total_quarantined
    assert v.report.quarantine_file == str(path)


def test_quarantined_native_dates_and_numbers_are_written_as_plain_text():
    tables = registers()
    tables["assistance"]["month"] = pd.to_datetime(tables["assistance"]["month"])
    tables["assistance"]["amount_sek"] = pd.to_numeric(tables["assistance"]["amount_sek"])
    tables["assistance"].loc[2, "amount_sek"] = -8000.0
    row = run(tables).quarantine.iloc[0]
    assert (row["month"], row["amount_sek"]) == ("2021-01-01", "-8000")


def test_quarantine_keeps_original_values_as_text():
    v = run(dirty())
    row = v.quarantine[v.quarantine["table"] == "persons"].iloc[0]
    assert (row["education"], row["birth_year"]) == ("hogskola", "1990")


def test_report_examples_are_at_most_three_row_numbers():
    tables = registers()
    tables["status"] = tables["status"].assign(status="x")
    with pytest.raises(DataError):  # every status row bad: nothing left is fatal (E003)
        run(tables)
    tables = registers()
    big = pd.concat([tables["assistance"]] * 3, ignore_index=True)
    big["amount_sek"] = "-1"
    big.loc[0, "amount_sek"] = "1"
    tables["assistance"] = big
    v = run(tables)
    entry = next(r for r in v.report.rows if r["rule"] == "R105")
    assert entry["count"] == 11 and entry["examples"] == [2, 3, 4]


def test_no_rows_left_in_a_required_table_is_fatal_e003():
    tables = registers()
    tables["status"] = tables["status"].assign(status="x")
    with pytest.raises(DataError) as err:
        run(tables)
    assert (err.value.rule, err.value.table, err.value.count) == ("E003", "status", 3)


# --- rendering -----------------------------------------------------------------------------------


def test_summary_lists_rule_counts_and_examples():
    text = run(dirty()).report.summary()
    assert "R105" in text and "negative amount" in text and "e.g. rows 1" in text


def test_html_report_is_a_table_and_escapes_names():
    html = run(dirty(), file="<data>").report._repr_html_()
    assert "<table>" in html and "&lt;data&gt;" in html


def test_to_dict_is_json_ready_and_counts_rows():
    import json

    d = run(dirty()).report.to_dict()
    json.dumps(d)
    assert d["n_quarantined"] == 3
    assert d["tables"]["persons"] == {"n_in": 3, "n_kept": 2, "n_quarantined": 1}


def test_every_rule_id_has_its_own_specification_test():
    from evalkit.data.schema import RULES

    names = [n for n in globals() if n.startswith("test_")]
    missing = [r for r in RULES if not any(r.lower() in n for n in names)]
    assert missing == []
