"""The data fingerprint: deterministic, blind to row/column/dict order, sensitive to any value."""

from __future__ import annotations

import re

import pandas as pd

from evalkit.data.fingerprint import data_fingerprint


def tables() -> dict[str, pd.DataFrame]:
    return {
        "a": pd.DataFrame(
            {"_row": [1, 2, 3], "x": [1, 2, 3], "s": pd.array(["p", "q", None], dtype="string")}
        ),
        "b": pd.DataFrame({"_row": [1, 2], "m": pd.to_datetime(["2021-01-01", "2021-02-01"])}),
    }


def test_fingerprint_has_sha256_prefix_and_64_hex_digits():
    assert re.fullmatch(r"sha256:[0-9a-f]{64}", data_fingerprint(tables()))


def test_fingerprint_is_deterministic():
    assert data_fingerprint(tables()) == data_fingerprint(tables())


def test_fingerprint_ignores_row_order_and_source_row_numbers():
    t = tables()
    t["a"] = t["a"].iloc[::-1].reset_index(drop=True).assign(_row=[1, 2, 3])
    assert data_fingerprint(t) == data_fingerprint(tables())


def test_fingerprint_ignores_column_and_table_order():
    t = tables()
    shuffled = {"b": t["b"], "a": t["a"][["s", "x", "_row"]]}
    assert data_fingerprint(shuffled) == data_fingerprint(tables())


def test_fingerprint_changes_when_one_value_changes():
    t = tables()
    t["a"].loc[1, "x"] = 20
    assert data_fingerprint(t) != data_fingerprint(tables())


def test_fingerprint_changes_when_a_row_is_duplicated():
    t = tables()
    t["b"] = pd.concat([t["b"], t["b"].iloc[[0]]], ignore_index=True)
    assert data_fingerprint(t) != data_fingerprint(tables())


def test_fingerprint_changes_when_a_table_is_renamed():
    t = tables()
    assert data_fingerprint({"c": t["a"], "b": t["b"]}) != data_fingerprint(tables())
