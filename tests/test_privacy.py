"""No personnummer survives loading: not in frames, the quarantine file, logs or error messages."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pandas as pd
import pytest
from small_registers import PNR, TEST_KEY, personnummer, registers

from evalkit.data.sources import load_table
from evalkit.data.validate import load_and_validate
from evalkit.errors import EvalkitError

#: Planted invalid personnummer (wrong check digit; impossible date) next to the valid ones.
INVALID = [PNR[0][:-1] + str((int(PNR[0][-1]) + 1) % 10), "851332-1234"]


def forms(pnr: str) -> set[str]:
    """Every way a personnummer could show up: with/without separator and century, digits only."""
    digits = re.sub(r"\D", "", pnr)
    ten = digits[-10:]
    return {pnr, digits, ten, f"{ten[:6]}-{ten[6:]}", f"{ten[:6]}+{ten[6:]}"}


PLANTED = set().union(*(forms(p) for p in PNR + INVALID))


def planted_registers() -> dict[str, pd.DataFrame]:
    """The small registers plus one status row and one person row with invalid personnummer."""
    t = registers()
    bad_status = t["status"].iloc[[0]].assign(personnummer=INVALID[0])
    t["status"] = pd.concat([t["status"], bad_status], ignore_index=True)
    bad_person = t["persons"].iloc[[0]].assign(personnummer=INVALID[1], household_id="h8")
    t["persons"] = pd.concat([t["persons"], bad_person], ignore_index=True)
    return t


def write_csv(folder: Path, tables) -> Path:
    folder.mkdir(exist_ok=True)
    for name, frame in tables.items():
        frame.to_csv(folder / f"{name}.csv", index=False)
    return folder


def leaks(text: str) -> list[str]:
    return sorted(f for f in PLANTED if f in text)


def frame_text(frame: pd.DataFrame) -> str:
    return " ".join(map(str, frame.columns)) + "\n" + frame.astype(str).to_csv(index=False)


@pytest.fixture()
def run(tmp_path, caplog):
    caplog.set_level(logging.DEBUG)
    folder = write_csv(tmp_path / "csv", planted_registers())
    v = load_and_validate(
        {"kind": "csv", "path": str(folder)}, key=TEST_KEY, quarantine_path=tmp_path / "q.parquet"
    )
    return v, caplog


def test_planted_invalid_personnummer_are_quarantined(run):
    v, _ = run
    assert v.report.counts()["status"]["R108"] == 1
    assert v.report.counts()["persons"]["R108"] == 1


def test_no_personnummer_in_any_returned_frame(run):
    v, _ = run
    for name, frame in v.tables.items():
        assert leaks(frame_text(frame)) == [], name
    assert leaks(frame_text(v.quarantine)) == []


def test_no_personnummer_in_the_quarantine_file(run):
    v, _ = run
    data = Path(v.report.quarantine_file).read_bytes()
    assert [f for f in PLANTED if f.encode() in data] == []
    assert leaks(frame_text(pd.read_parquet(v.report.quarantine_file))) == []


def test_no_personnummer_in_any_log_record(run):
    _, caplog = run
    records = caplog.get_records("setup") + caplog.get_records("call")
    assert records  # the loader and validator do log
    text = "\n".join(r.getMessage() + str(r.args) for r in records)
    assert leaks(text) == []


def test_no_personnummer_in_the_report(run):
    v, _ = run
    text = v.report.summary() + v.report._repr_html_() + str(v.report.to_dict())
    assert leaks(text) == []


def test_no_personnummer_in_the_error_for_a_csv_without_header(tmp_path):
    # Without a header line the first data row becomes the column names: the error must not list them.
    t = planted_registers()
    folder = write_csv(tmp_path / "csv", t)
    t["persons"].to_csv(folder / "persons.csv", index=False, header=False)
    with pytest.raises(EvalkitError) as err:
        load_and_validate({"kind": "csv", "path": str(folder)}, key=TEST_KEY)
    assert leaks(str(err.value) + repr(err.value)) == []


def test_no_personnummer_in_the_error_for_invalid_ones_in_a_prepared_table(tmp_path):
    path = tmp_path / "t.csv"
    pd.DataFrame({"personnummer": [PNR[0], INVALID[0]], "y": [1, 0]}).to_csv(path, index=False)
    with pytest.raises(EvalkitError) as err:
        load_table({"kind": "csv", "path": str(path)}, key=TEST_KEY)
    assert leaks(str(err.value) + repr(err.value)) == []


def test_no_personnummer_in_the_error_when_the_key_is_missing(tmp_path, monkeypatch):
    monkeypatch.delenv("EVALKIT_PSEUDONYM_KEY", raising=False)
    folder = write_csv(tmp_path / "csv", planted_registers())
    with pytest.raises(EvalkitError) as err:
        load_and_validate({"kind": "csv", "path": str(folder)})
    assert leaks(str(err.value) + repr(err.value)) == []


def test_no_personnummer_in_the_error_when_every_row_is_bad(tmp_path):
    t = planted_registers()
    t["status"]["personnummer"] = [personnummer("850312", "123")[:-1] + "0"] * len(t["status"])
    folder = write_csv(tmp_path / "csv", t)
    with pytest.raises(EvalkitError) as err:
        load_and_validate({"kind": "csv", "path": str(folder)}, key=TEST_KEY)
    text = str(err.value) + repr(err.value)
    assert leaks(text) == [] and t["status"]["personnummer"].iloc[0] not in text
