"""Validation names every fault the synthetic municipality injects, with its exact count.

End to end: ``write_synth(..., dirty=True)`` writes the DuckDB file and ``<stem>.dirty.json``
(``{table: {rule_id: count}}``); ``load_and_validate`` on that file must report exactly those
counts, and the quarantine file must hold exactly the rows it counts.
"""

from __future__ import annotations

import json

import pytest
from small_registers import TEST_KEY

from evalkit.data.quarantine import read_quarantine
from evalkit.data.validate import load_and_validate

synth = pytest.importorskip(
    "evalkit.data.synth", reason="evalkit.data.synth (the synthetic municipality) is not there yet"
)

PERSONS = 1500
SEED = 11

#: The kinds of fault issue 2 asks the dirty data to contain, by rule id.
EXPECTED_RULES = {"R102", "R103", "R104", "R105", "R106", "R108"}


@pytest.fixture(scope="module")
def dirty_run(tmp_path_factory):
    folder = tmp_path_factory.mktemp("dirty")
    path = synth.write_synth(folder / "registers.duckdb", persons=PERSONS, seed=SEED, dirty=True)
    injected = json.loads((folder / "registers.dirty.json").read_text())
    validated = load_and_validate(
        {"kind": "duckdb", "path": str(path)},
        period=synth.PERIOD,
        quarantine_path=folder / "quarantine.parquet",
        key=TEST_KEY,
    )
    return injected, validated


def nonzero(counts: dict[str, dict[str, int]]) -> dict[str, dict[str, int]]:
    out = {t: {r: int(n) for r, n in rules.items() if n} for t, rules in counts.items()}
    return {t: rules for t, rules in out.items() if rules}


def test_dirty_synth_injects_every_kind_of_fault(dirty_run):
    injected, _ = dirty_run
    rules = {r for table in nonzero(injected).values() for r in table}
    assert rules >= EXPECTED_RULES


def test_validation_names_every_injected_fault_with_its_exact_count(dirty_run):
    injected, validated = dirty_run
    assert validated.report.counts() == nonzero(injected)


def test_quarantine_file_holds_exactly_the_rows_the_report_counts(dirty_run):
    _, validated = dirty_run
    back = read_quarantine(validated.report.quarantine_file)
    per_rule = back.explode("rules").groupby(["table", "rules"]).size().to_dict()
    assert per_rule == {(r["table"], r["rule"]): r["count"] for r in validated.report.rows}
    assert len(back) == validated.report.total_quarantined


def test_rows_in_equal_rows_kept_plus_quarantined_on_dirty_synth(dirty_run):
    _, v = dirty_run
    for table, n in v.report.n_in.items():
        assert n == v.report.n_kept[table] + v.report.n_quarantined[table]


def test_clean_synth_registers_pass_validation_untouched(tmp_path):
    path = synth.write_synth(tmp_path / "clean.duckdb", persons=PERSONS, seed=SEED)
    v = load_and_validate({"kind": "duckdb", "path": str(path)}, period=synth.PERIOD, key=TEST_KEY)
    assert v.report.ok, v.report.summary()
