"""Specifications of the leak scanner (evalkit.audit.leaks)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import io
import json
import shutil
import zlib
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from matplotlib.figure import Figure

from evalkit.audit.leaks import format_findings, is_personnummer, luhn_ok, main, scan

# Skatteverket's published example personnummer 811218-9876 (check digit 6 by Luhn:
# 8*2=16->7, 1, 1*2=2, 2, 1*2=2, 8, 9*2=18->9, 8, 7*2=14->5; sum 44; (10 - 4) % 10 = 6).
PNR = "811218-9876"
PSEUDONYM = hmac.new(b"demo-key", b"198112189876", hashlib.sha256).hexdigest()[:32]


def _png(metadata: dict[str, str] | None = None) -> bytes:
    fig = Figure(figsize=(2, 1.5))
    ax = fig.add_subplot()
    ax.errorbar([0.1, 0.05], [1, 0], xerr=[[0.04, 0.03], [0.04, 0.03]], fmt="o")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata=metadata or {})
    return buf.getvalue()


def _results() -> dict:
    rng = np.random.default_rng(7)
    estimates = [
        {
            "outcome": outcome,
            "estimator": est,
            "estimand": "ATT",
            "estimate": float(rng.normal(0.05, 0.03)),
            "se": float(rng.uniform(0.01, 0.03)),
            "ci_low": float(rng.normal(0.0, 0.01)),
            "ci_high": float(rng.normal(0.1, 0.01)),
            "p_value": float(rng.uniform()),
            "n_treated": 412,
            "n_control": 5377,
        }
        for outcome in ("work_or_study_12m", "assistance_sek_12m")
        for est in ("naive", "regression", "ipw", "matching", "aipw")
    ]
    return {
        "measure_id": "jobbspar_vard",
        "title": "Jobbspår vård och omsorg",
        "status": "ok",
        "evalkit_version": "0.1.0",
        "data_fingerprint": "sha256:" + hashlib.sha256(b"demo").hexdigest(),
        "commit": hashlib.sha1(b"x").hexdigest(),
        "created": "2026-11-27T01:02:03Z",
        "seed": 20261126,
        "params": {"data": {"mode": "registers", "id": "person_id"}},
        "sample": {"n_treated": 412, "n_control": 5377, "n_eligible": 5789},
        "followup": {
            "n_participants": 412,
            "shares": [{"horizon": "12m", "n": 412, "n_in_work_or_study": 160, "share": 0.3883}],
            "end_reasons": [{"reason": "studier", "n": 80}, {"reason": "avbrott", "n": 60}],
        },
        "estimates": estimates,
        "diagnostics": {
            "balance": [
                {"covariate": f"c{i}", "smd_before": 0.3, "smd_after": 0.01} for i in range(14)
            ],
            "overlap": {
                "bin_edges": list(np.linspace(0, 1, 21)),
                "treated_counts": [20] * 20,
                "control_counts": [260] * 20,
            },
        },
        "costs": {"cost_per_participant": {"gross": 41234.56, "net": 38000.0}},
    }


def _html(results: dict) -> str:
    img = base64.b64encode(_png()).decode()
    rows = "".join(
        f"<tr><td>{e['estimator']}</td><td>{e['estimate']:.3f}</td>"
        f"<td>[{e['ci_low']:.3f}, {e['ci_high']:.3f}]</td><td>{e['n_treated']}</td></tr>"
        for e in results["estimates"]
    )
    return f"""<!DOCTYPE html><html lang="sv"><head><meta charset="utf-8">
<title>{results["title"]}</title><style>td{{padding:2px}}</style></head><body>
<h1>{results["title"]}</h1>
<p>Datafingeravtryck: {results["data_fingerprint"]} · commit {results["commit"]} · frö 20261126</p>
<table><thead><tr><th>Skattare</th><th>Effekt</th><th>95 % KI</th><th>Antal</th></tr></thead>
<tbody>{rows}</tbody></table>
<img alt="Effekter" src="data:image/png;base64,{img}">
<p>Kostnad per deltagare 41 234,56 kr; andel 0,3883; p = 0.0123456789.</p>
</body></html>"""


def _notebook(results: dict) -> dict:
    img = base64.b64encode(_png()).decode()
    return {
        "nbformat": 4,
        "nbformat_minor": 5,
        "metadata": {"papermill": {"duration": 12.3456789012, "parameters": {"seed": 20261126}}},
        "cells": [
            {
                "cell_type": "code",
                "id": "a1b2c3d4",
                "metadata": {},
                "execution_count": 1,
                "source": ["evalkit.report.effects(results)"],
                "outputs": [
                    {
                        "output_type": "display_data",
                        "metadata": {},
                        "data": {"image/png": img, "text/plain": ["<Figure>"]},
                    }
                ],
            }
        ],
    }


@pytest.fixture
def clean_run(tmp_path: Path) -> Path:
    run = tmp_path / "2026-11-27T010203"
    run.mkdir()
    results = _results()
    (run / "jobbspar_vard.json").write_text(
        json.dumps(results, ensure_ascii=False), encoding="utf-8"
    )
    (run / "jobbspar_vard.html").write_text(_html(results), encoding="utf-8")
    (run / "jobbspar_vard.ipynb").write_text(json.dumps(_notebook(results)), encoding="utf-8")
    (run / "index.html").write_text(
        "<html><body><table><tr><th>Insats</th><th>Effekt</th></tr>"
        "<tr><td>Jobbspår</td><td>0,08</td></tr></table></body></html>",
        encoding="utf-8",
    )
    (run / "run.log").write_text(
        "2026-11-27 01:02:03 INFO run jobbspar_vard done in 12.3s (1699999999999 ms epoch)\n"
    )
    (run / "figures").mkdir()
    (run / "figures" / "forest.png").write_bytes(_png({"Title": "Skogsdiagram"}))
    (run / "followup.csv").write_text("horizon,n,share\n6m,412,0.31\n12m,412,0.39\n")
    pq.write_table(
        pa.table({"outcome": ["work_or_study_12m"], "estimate": [0.08]}), run / "summary.parquet"
    )
    return run


@pytest.fixture
def leaky_run(clean_run: Path, tmp_path: Path) -> Path:
    run = tmp_path / "leaky"
    shutil.copytree(clean_run, run)
    html = (run / "jobbspar_vard.html").read_text(encoding="utf-8")
    html = html.replace("<p>Kostnad", f"<p>Exempel: {PNR}.</p><p>Kostnad")
    (run / "jobbspar_vard.html").write_text(html, encoding="utf-8")
    results = json.loads((run / "jobbspar_vard.json").read_text(encoding="utf-8"))
    results["diagnostics"]["note"] = f"largest weight for unit {PSEUDONYM}"
    (run / "jobbspar_vard.json").write_text(json.dumps(results), encoding="utf-8")
    return run


def test_clean_run_folder_has_no_findings(clean_run: Path):
    assert scan(clean_run) == []


def test_planted_personnummer_and_pseudonym_are_both_found(leaky_run: Path):
    found = {(f.file, f.kind) for f in scan(leaky_run)}
    assert found == {("jobbspar_vard.html", "personnummer"), ("jobbspar_vard.json", "pseudonym")}


def test_findings_name_file_and_position_but_never_the_value(leaky_run: Path):
    findings = scan(leaky_run)
    text = format_findings(findings)
    assert "line" in findings[0].location
    assert PNR not in text and "8112189876" not in text and PSEUDONYM not in text


def test_luhn_check_and_real_date_decide_what_counts_as_a_personnummer():
    assert luhn_ok("8112189876")
    assert is_personnummer("8112189876") and is_personnummer("198112189876")
    assert not is_personnummer("8112189875")  # wrong check digit
    # month 13 with a valid check digit: 7+1+2+3+2+8+9+8+5 = 45 -> 5
    assert luhn_ok("8113189875") and not is_personnummer("8113189875")
    # samordningsnummer (day 18 + 60 = 78): 7+1+2+2+5+8+9+8+5 = 47 -> 3
    assert is_personnummer("8112789873")


@pytest.mark.parametrize(
    "form", ["811218-9876", "8112189876", "19811218-9876", "198112189876", "811218+9876"]
)
def test_personnummer_is_found_with_or_without_separator_and_century(tmp_path: Path, form: str):
    (tmp_path / "a.txt").write_text(f"id: {form}\n")
    assert [f.kind for f in scan(tmp_path)] == ["personnummer"]


@pytest.mark.parametrize("text", ["0.8112189876", "x8112189876", "88112189876", "8112189876.5"])
def test_digits_inside_numbers_or_words_are_not_personnummer(tmp_path: Path, text: str):
    (tmp_path / "a.txt").write_text(text)
    assert scan(tmp_path) == []


def test_personnummer_in_a_csv_field_after_a_comma_is_found(tmp_path: Path):
    (tmp_path / "q.csv").write_text("row,value\n3,198112189876\n")
    assert [f.kind for f in scan(tmp_path)] == ["personnummer"]


def test_data_fingerprint_is_not_taken_for_a_pseudonym(tmp_path: Path):
    (tmp_path / "a.txt").write_text("sha256:" + hashlib.sha256(b"x").hexdigest())
    assert scan(tmp_path) == []


def test_full_length_hmac_is_a_pseudonym(tmp_path: Path):
    (tmp_path / "a.txt").write_text(hashlib.sha256(b"x").hexdigest())
    assert [f.kind for f in scan(tmp_path)] == ["pseudonym"]


def test_known_pseudonym_of_any_form_is_found(tmp_path: Path):
    (tmp_path / "a.log").write_text("weights ok\nmax weight at P-000123\n")
    findings = scan(tmp_path, known_pseudonyms={"P-000123"})
    assert [(f.kind, f.location) for f in findings] == [("known_pseudonym", "line 2, col 15")]


def test_personnummer_in_png_text_chunk_is_found(tmp_path: Path):
    (tmp_path / "fig.png").write_bytes(_png({"Description": f"person {PNR}"}))
    findings = scan(tmp_path)
    assert [f.kind for f in findings] == ["personnummer"]
    assert "PNG tEXt chunk" in findings[0].location


def test_personnummer_in_compressed_png_chunk_of_an_embedded_image_is_found(tmp_path: Path):
    png = _png()
    body = b"Comment\x00\x00" + zlib.compress(f"pnr {PNR}".encode())
    chunk = len(body).to_bytes(4, "big") + b"zTXt" + body + b"\x00\x00\x00\x00"
    planted = png[:33] + chunk + png[33:]  # after the 8-byte signature and 25-byte IHDR
    img = base64.b64encode(planted).decode()
    (tmp_path / "r.html").write_text(f'<img src="data:image/png;base64,{img}">')
    findings = scan(tmp_path)
    assert [f.kind for f in findings] == ["personnummer"]
    assert "embedded image 1" in findings[0].location


def test_identifier_columns_in_csv_html_and_json_are_found(tmp_path: Path):
    (tmp_path / "a.csv").write_text("person_id,y\nx,1\n")
    (tmp_path / "b.html").write_text(
        "<table><tr><th>Household_ID</th></tr><tr><td>1</td></tr></table>"
    )
    (tmp_path / "c.json").write_text(json.dumps({"rows": [{"unit_id": 1}], "t": [{"unit_id": 2}]}))
    kinds = sorted((f.file, f.kind) for f in scan(tmp_path))
    assert kinds == [
        ("a.csv", "identifier_column"),
        ("b.html", "identifier_column"),
        ("c.json", "identifier_column"),
        ("c.json", "identifier_column"),
    ]


def test_params_naming_the_id_column_is_not_an_identifier_column(tmp_path: Path):
    (tmp_path / "r.json").write_text(json.dumps({"params": {"data": {"id": "person_id"}}}))
    assert scan(tmp_path) == []


def test_table_with_more_rows_than_aggregates_allow_is_person_level(clean_run: Path):
    # the sample has 412 + 5377 = 5789 persons; with min_cell 5 at most 1157 aggregate rows
    rows = "".join(f"<tr><td>{i % 2}</td><td>{i % 7}</td></tr>" for i in range(1200))
    (clean_run / "extra.html").write_text(f"<table><tr><th>a</th><th>b</th></tr>{rows}</table>")
    findings = scan(clean_run)
    assert [(f.file, f.kind, f.location) for f in findings] == [
        ("extra.html", "person_level_table", "table 1")
    ]
    assert "1200 rows" in findings[0].detail and "1157" in findings[0].detail


def test_parquet_with_identifier_column_and_pseudonym_values_is_found(tmp_path: Path):
    pq.write_table(pa.table({"person_id": [PSEUDONYM, "x"]}), tmp_path / "p.parquet")
    found = [(f.kind, f.location) for f in scan(tmp_path)]
    assert ("identifier_column", "schema, column 'person_id'") in found
    assert ("pseudonym", "column 'person_id', row 1") in found


def test_unparseable_json_is_reported_because_it_cannot_be_cleared(tmp_path: Path):
    (tmp_path / "broken.json").write_text("{not json")
    assert [f.kind for f in scan(tmp_path)] == ["unreadable"]


def test_main_exits_zero_when_clean_one_on_findings_two_on_missing_path(
    clean_run: Path, leaky_run: Path, tmp_path: Path, capsys
):
    assert main(clean_run) == 0
    assert main(leaky_run) == 1
    assert "personnummer" in capsys.readouterr().out
    assert main(tmp_path / "missing") == 2


def test_main_reads_known_pseudonyms_from_a_file(tmp_path: Path):
    run = tmp_path / "run"
    run.mkdir()
    (run / "a.txt").write_text("unit K7 had a large weight")
    keys = tmp_path / "known.txt"
    keys.write_text("K7\n")
    assert main(run, known_pseudonyms_file=keys) == 1


def test_binary_file_of_unknown_type_is_reported_as_unchecked(tmp_path: Path):
    (tmp_path / "export.xlsx").write_bytes(b"PK\x03\x04\x00\x00" + bytes(range(256)))
    assert [(f.kind, f.file) for f in scan(tmp_path)] == [("unchecked", "export.xlsx")]


def test_parquet_content_under_a_csv_name_is_read_as_parquet(tmp_path: Path):
    pq.write_table(pa.table({"household_id": ["h1", "h2"], "amount": [1, 2]}), tmp_path / "q.csv")
    found = [(f.kind, f.location) for f in scan(tmp_path)]
    assert found == [("identifier_column", "schema, column 'household_id'")]
