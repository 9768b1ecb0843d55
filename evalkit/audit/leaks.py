"""Leak scanner: checks a run folder for personal data before anyone publishes it.

Every file is read (HTML, JSON, notebooks, CSV/TSV, logs and other text, PNG text chunks —
also of images embedded in HTML and notebooks —, Parquet). Kinds of finding:

- ``personnummer``: 10 or 12 digits (``YYMMDD-NNNN``, ``YYYYMMDDNNNN``, with ``-``/``+`` or no
  separator) that form a real date (or a samordningsnummer, day + 60) and pass the Luhn check.
  Digits inside longer alphanumeric runs or in the decimals of a number are not candidates.
- ``pseudonym``: a 32- or 64-character lowercase hex string (evalkit's keyed HMAC-SHA256
  pseudonyms are of this form), except data fingerprints written as ``sha256:<hex>``.
- ``known_pseudonym``: any token equal to a value in a given set of known pseudonyms.
- ``identifier_column``: a table column named ``person_id``, ``personnummer``, ``unit_id``,
  ``household_id`` (or ``pnr``, ``personal_number``): CSV/TSV/Parquet headers, HTML table
  headers, JSON keys of records in a list or of columns holding a list.
- ``person_level_table``: a table with more rows than aggregates of at least ``min_cell`` people
  allow, i.e. more than ``n / min_cell`` rows, where ``n`` is the largest sample size found in the
  folder's results JSON (``sample.n_treated + sample.n_control`` or ``n_eligible``), or
  ``max_rows`` when given. JSON lists of the results contract's aggregate sections
  (``estimates``, ``subgroups``, ``balance``, …) are aggregates by construction and exempt.

- ``unreadable``: a JSON or Parquet file that cannot be parsed (and so cannot be cleared);
  ``unchecked``: a binary file of another type (not PNG or Parquet), which cannot be cleared
  either. File types are recognised by content (a Parquet file named ``.csv`` is read as
  Parquet); other files are read as text.

A finding names the file, the kind and the position (line and column, JSON path, table number,
PNG chunk, Parquet column and row) — never the value found.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import json
import re
import zlib
from collections.abc import Iterable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

from evalkit.data.pseudonym import luhn_check_digit

#: Column names that only person-level data carries.
IDENTIFIER_COLUMNS = frozenset(
    {"person_id", "personnummer", "unit_id", "household_id", "pnr", "personal_number"}
)
#: Results-JSON sections whose list entries are aggregates (DESIGN 6, CONTRACTS "Results dict").
AGGREGATE_KEYS = frozenset(
    {
        "estimates",
        "subgroups",
        "balance",
        "placebo",
        "shares",
        "end_reasons",
        "rows",
        "goals",
        "credibility",
        "measures",
        "suppressed",
        "bin_edges",
        "treated_counts",
        "control_counts",
    }
)
#: Findings of one kind in one file beyond which only a count is reported.
MAX_PER_KIND = 20

_PNR = re.compile(
    r"(?<![0-9A-Za-z])(?<!\d\.)((?:18|19|20)?\d{6})([-+]?)(\d{4})(?![0-9A-Za-z])(?!\.\d)"
)
_HEX = re.compile(r"(?<![0-9a-fA-F])(?:[0-9a-f]{64}|[0-9a-f]{32})(?![0-9a-fA-F])")
_TOKEN = re.compile(r"[0-9A-Za-z_\-]+")
_BASE64 = re.compile(r"[A-Za-z0-9+/]{200,}={0,2}")
_DATA_URI = re.compile(r"data:image/png;base64,([A-Za-z0-9+/=]+)")
_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


@dataclass(frozen=True)
class Finding:
    """One suspected leak: where and what kind — never the value itself."""

    file: str
    kind: str
    location: str
    detail: str = ""

    def __str__(self) -> str:
        tail = f" ({self.detail})" if self.detail else ""
        return f"{self.file}: {self.kind} at {self.location}{tail}"

    def to_dict(self) -> dict[str, str]:
        return asdict(self)


# --- personnummer ----------------------------------------------------------------------------


def luhn_ok(ten_digits: str) -> bool:
    """Whether the last digit of ``YYMMDDNNNC`` is the Luhn check digit of the first nine
    (the loader's own rule, ``data.pseudonym.luhn_check_digit``)."""
    return luhn_check_digit(ten_digits[:9]) == int(ten_digits[9])


def _real_date(year_digits: str, month: int, day: int) -> bool:
    """Whether the date exists (day + 60 marks a samordningsnummer)."""
    if day > 60:
        day -= 60
    years = (
        [int(year_digits)]
        if len(year_digits) == 4
        else [1900 + int(year_digits), 2000 + int(year_digits)]
    )
    for year in years:
        try:
            date(year, month, day)
            return True
        except ValueError:
            continue
    return False


def is_personnummer(digits: str) -> bool:
    """Whether 10 or 12 digits (no separator) form a valid personnummer or samordningsnummer."""
    if len(digits) not in (10, 12) or not digits.isdigit():
        return False
    year = digits[:4] if len(digits) == 12 else digits[:2]
    rest = digits[len(digits) - 8 :]
    month, day = int(rest[:2]), int(rest[2:4])
    return _real_date(year, month, day) and luhn_ok(digits[-10:])


def find_personnummer(text: str) -> Iterator[int]:
    """Offsets of valid personnummer in ``text``."""
    for match in _PNR.finditer(text):
        if is_personnummer(match.group(1) + match.group(3)):
            yield match.start()


def find_pseudonyms(text: str) -> Iterator[int]:
    """Offsets of 32/64-hex strings that are not ``sha256:`` fingerprints."""
    for match in _HEX.finditer(text):
        value = match.group(0)
        before = text[max(0, match.start() - 7) : match.start()].lower()
        if before.endswith(("sha256:", "sha256=", "sha256-")):
            continue
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            yield match.start()


def find_known(text: str, known: frozenset[str]) -> Iterator[int]:
    """Offsets of tokens that are known pseudonyms."""
    if not known:
        return
    for match in _TOKEN.finditer(text):
        if match.group(0) in known:
            yield match.start()


# --- the collector ---------------------------------------------------------------------------


class _Collector:
    """Gathers findings, capping each (file, kind) at ``MAX_PER_KIND``."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._counts: dict[tuple[str, str], int] = {}

    def add(self, file: str, kind: str, location: str, detail: str = "") -> None:
        key = (file, kind)
        self._counts[key] = self._counts.get(key, 0) + 1
        if self._counts[key] <= MAX_PER_KIND:
            self.findings.append(Finding(file, kind, location, detail))

    def finish(self) -> list[Finding]:
        for (file, kind), n in self._counts.items():
            if n > MAX_PER_KIND:
                self.findings.append(
                    Finding(
                        file, kind, "(more)", f"{n - MAX_PER_KIND} more of this kind not listed"
                    )
                )
        return self.findings


def _line_col(text: str, offset: int) -> str:
    """``line L, col C`` (1-based) of an offset."""
    line = text.count("\n", 0, offset) + 1
    col = offset - (text.rfind("\n", 0, offset) + 1) + 1
    return f"line {line}, col {col}"


def _blank_base64(text: str) -> str:
    """Replace long base64 runs (embedded images) by spaces, keeping offsets."""

    def blank(m: re.Match[str]) -> str:
        s = m.group(0)
        return " " * len(s) if any(c.isalpha() for c in s) else s

    return _BASE64.sub(blank, text)


def scan_text(
    text: str, file: str, out: _Collector, known: frozenset[str], where: str = ""
) -> None:
    """Pattern checks on a text: personnummer, pseudonyms, known pseudonyms."""
    text = _blank_base64(text)
    prefix = f"{where}, " if where else ""
    for offset in find_personnummer(text):
        out.add(file, "personnummer", prefix + _line_col(text, offset))
    for offset in find_pseudonyms(text):
        out.add(file, "pseudonym", prefix + _line_col(text, offset))
    for offset in find_known(text, known):
        out.add(file, "known_pseudonym", prefix + _line_col(text, offset))


# --- PNG -------------------------------------------------------------------------------------


def png_texts(data: bytes) -> Iterator[tuple[str, str]]:
    """(chunk label, text) of every tEXt, zTXt and iTXt chunk of a PNG."""
    if not data.startswith(_PNG_SIGNATURE):
        return
    pos, index = len(_PNG_SIGNATURE), 0
    while pos + 8 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8].decode("latin-1", errors="replace")
        body = data[pos + 8 : pos + 8 + length]
        pos += 12 + length
        index += 1
        text = None
        with contextlib.suppress(zlib.error, ValueError, IndexError):
            if kind == "tEXt":
                text = body.replace(b"\x00", b" ").decode("latin-1")
            elif kind == "zTXt":
                key, _, rest = body.partition(b"\x00")
                text = key.decode("latin-1") + " " + zlib.decompress(rest[1:]).decode("latin-1")
            elif kind == "iTXt":
                key, _, rest = body.partition(b"\x00")
                compressed = rest[0] == 1
                rest = rest[2:]
                _lang, _, rest = rest.partition(b"\x00")
                _tkey, _, payload = rest.partition(b"\x00")
                payload = zlib.decompress(payload) if compressed else payload
                text = key.decode("latin-1") + " " + payload.decode("utf-8", errors="replace")
        if text is not None:
            yield f"PNG {kind} chunk {index}", text
        if kind == "IEND":
            break


def scan_png_bytes(
    data: bytes, file: str, out: _Collector, known: frozenset[str], where: str = ""
) -> None:
    """Pattern checks on a PNG's text chunks."""
    for label, text in png_texts(data):
        scan_text(text, file, out, known, f"{where}{', ' if where else ''}{label}")


def _embedded_pngs(text: str) -> Iterator[bytes]:
    """Decoded PNGs embedded as data URIs."""
    for match in _DATA_URI.finditer(text):
        with contextlib.suppress(binascii.Error, ValueError):
            yield base64.b64decode(match.group(1), validate=False)


# --- tables ----------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Header cells and body row counts of every HTML table."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tables: list[dict[str, Any]] = []
        self._stack: list[dict[str, Any]] = []
        self._in_th = False
        self._row_has_td = False
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "table":
            self._stack.append({"headers": [], "rows": 0})
        elif tag == "tr":
            self._row_has_td = False
        elif tag == "th":
            self._in_th, self._text = True, []
        elif tag == "td":
            self._row_has_td = True

    def handle_endtag(self, tag: str) -> None:
        if tag == "th" and self._in_th and self._stack:
            self._stack[-1]["headers"].append("".join(self._text).strip())
            self._in_th = False
        elif tag == "tr" and self._stack and self._row_has_td:
            self._stack[-1]["rows"] += 1
        elif tag == "table" and self._stack:
            self.tables.append(self._stack.pop())

    def handle_data(self, data: str) -> None:
        if self._in_th:
            self._text.append(data)


def _is_identifier(name: Any) -> bool:
    return isinstance(name, str) and name.strip().lower() in IDENTIFIER_COLUMNS


def check_table(
    headers: Iterable[Any], rows: int, file: str, where: str, out: _Collector, max_rows: int | None
) -> None:
    """Identifier columns and too many rows in one table."""
    for name in headers:
        if _is_identifier(name):
            out.add(file, "identifier_column", f"{where}, column '{str(name).strip().lower()}'")
    if max_rows is not None and rows > max_rows:
        out.add(
            file, "person_level_table", where, f"{rows} rows, aggregates allow at most {max_rows}"
        )


def scan_html_tables(
    text: str, file: str, out: _Collector, max_rows: int | None, where: str = ""
) -> None:
    """Structure checks on every HTML table."""
    parser = _Tables()
    with contextlib.suppress(Exception):
        parser.feed(text)
        parser.close()
    for i, table in enumerate(parser.tables, start=1):
        label = f"{where}{', ' if where else ''}table {i}"
        check_table(table["headers"], table["rows"], file, label, out, max_rows)


def scan_json_structure(
    obj: Any, file: str, out: _Collector, max_rows: int | None, path: str = "$"
) -> None:
    """Identifier keys in records or columns, and long lists of records outside aggregates."""
    if isinstance(obj, dict):
        for key, value in obj.items():
            child = f"{path}.{key}"
            if _is_identifier(key) and isinstance(value, list):
                out.add(file, "identifier_column", child)
            if isinstance(value, list) and str(key) in AGGREGATE_KEYS:
                scan_json_structure(value, file, out, None, child)
                continue
            scan_json_structure(value, file, out, max_rows, child)
    elif isinstance(obj, list):
        records = [x for x in obj if isinstance(x, dict)]
        if records and max_rows is not None and len(records) > max_rows:
            out.add(
                file,
                "person_level_table",
                path,
                f"{len(records)} records, aggregates allow at most {max_rows}",
            )
        keys = {k for r in records for k in r}
        for key in sorted(k for k in keys if _is_identifier(k)):
            out.add(file, "identifier_column", f"{path}[*].{key}")
        for i, item in enumerate(obj):
            scan_json_structure(item, file, out, max_rows, f"{path}[{i}]")


# --- files -----------------------------------------------------------------------------------


def _scan_notebook(
    nb: dict[str, Any], file: str, out: _Collector, known: frozenset[str], max_rows: int | None
) -> None:
    """Embedded images and HTML tables of a notebook's outputs."""
    for c, cell in enumerate(nb.get("cells") or []):
        for o, output in enumerate(cell.get("outputs") or []):
            data = output.get("data") or {}
            where = f"cell {c}, output {o}"
            png = data.get("image/png")
            if isinstance(png, str):
                with contextlib.suppress(binascii.Error, ValueError):
                    scan_png_bytes(base64.b64decode(png), file, out, known, where)
            html_out = data.get("text/html")
            if html_out:
                text = "".join(html_out) if isinstance(html_out, list) else str(html_out)
                scan_html_tables(text, file, out, max_rows, where)


def _scan_delimited(text: str, file: str, out: _Collector, max_rows: int | None, sep: str) -> None:
    """Header and row count of a CSV/TSV file."""
    lines = [ln for ln in text.splitlines() if ln.strip()]
    if not lines:
        return
    headers = [h.strip().strip('"') for h in lines[0].split(sep)]
    check_table(headers, len(lines) - 1, file, "header", out, max_rows)


def _scan_parquet(
    path: Path, file: str, out: _Collector, known: frozenset[str], max_rows: int | None
) -> None:
    """Columns, row count and string values of a Parquet file."""
    import pyarrow.parquet as pq

    try:
        table = pq.read_table(path)
    except Exception:  # noqa: BLE001 - an unreadable file is reported, not fatal
        out.add(file, "unreadable", "file", "not a readable Parquet file")
        return
    check_table(table.column_names, table.num_rows, file, "schema", out, max_rows)
    meta = table.schema.metadata or {}
    for key, value in meta.items():
        scan_text(
            value.decode("utf-8", errors="replace"),
            file,
            out,
            known,
            f"metadata {key.decode(errors='replace')}",
        )
    for name in table.column_names:
        column = table.column(name)
        for row, value in enumerate(column.to_pylist()):
            if value is None:
                continue
            text = str(value)
            if any(True for _ in find_personnummer(text)):
                out.add(file, "personnummer", f"column '{name}', row {row + 1}")
            if any(True for _ in find_pseudonyms(text)):
                out.add(file, "pseudonym", f"column '{name}', row {row + 1}")
            if known and text in known:
                out.add(file, "known_pseudonym", f"column '{name}', row {row + 1}")


def _sample_size(obj: Any) -> int | None:
    """Largest ``sample`` size in a results JSON (treated + control, or eligible)."""
    if not isinstance(obj, dict):
        return None
    sample = obj.get("sample")
    if not isinstance(sample, dict):
        return None
    sizes = []
    for key in ("n_eligible",):
        if isinstance(sample.get(key), int | float):
            sizes.append(int(sample[key]))
    parts = [sample.get("n_treated"), sample.get("n_control")]
    if all(isinstance(p, int | float) for p in parts):
        sizes.append(int(sum(parts)))
    return max(sizes) if sizes else None


def _max_rows(files: list[Path], min_cell: int) -> int | None:
    """Row bound from the largest sample size among the folder's results JSON files."""
    sizes = []
    for f in files:
        if f.suffix.lower() != ".json":
            continue
        with contextlib.suppress(OSError, ValueError):
            n = _sample_size(json.loads(f.read_text(encoding="utf-8", errors="replace")))
            if n:
                sizes.append(n)
    return max(sizes) // min_cell if sizes else None


def scan_file(
    path: Path, file: str, out: _Collector, known: frozenset[str], max_rows: int | None
) -> None:
    """All checks that apply to one file."""
    suffix = path.suffix.lower()
    data = path.read_bytes()
    if suffix == ".parquet" or (data[:4] == b"PAR1" and data[-4:] == b"PAR1"):
        _scan_parquet(path, file, out, known, max_rows)  # by content: names can mislead
        return
    if data.startswith(_PNG_SIGNATURE):
        scan_png_bytes(data, file, out, known)
        return
    if b"\x00" in data[:8192]:
        out.add(file, "unchecked", "file", "binary file of a type the scanner cannot read")
        return
    text = data.decode("utf-8", errors="replace")
    scan_text(text, file, out, known)
    for i, png in enumerate(_embedded_pngs(text), start=1):
        scan_png_bytes(png, file, out, known, f"embedded image {i}")
    if suffix in (".html", ".htm"):
        scan_html_tables(text, file, out, max_rows)
    elif suffix in (".json", ".ipynb"):
        try:
            obj = json.loads(text)
        except ValueError:
            out.add(file, "unreadable", "file", "not valid JSON")
            return
        if suffix == ".ipynb" and isinstance(obj, dict):
            _scan_notebook(obj, file, out, known, max_rows)
        else:
            scan_json_structure(obj, file, out, max_rows)
    elif suffix in (".csv", ".tsv"):
        _scan_delimited(text, file, out, max_rows, "\t" if suffix == ".tsv" else ",")


def scan(
    path: str | Path,
    *,
    known_pseudonyms: Iterable[str] = (),
    min_cell: int = 5,
    max_rows: int | None = None,
) -> list[Finding]:
    """Every finding in a run folder (or one file), in file order; empty when it is clean."""
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"nothing to scan at {root}")
    files = sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else [root]
    bound = max_rows if max_rows is not None else _max_rows(files, min_cell)
    known = frozenset(str(k) for k in known_pseudonyms if str(k))
    out = _Collector()
    for f in files:
        name = f.relative_to(root).as_posix() if root.is_dir() else f.name
        try:
            scan_file(f, name, out, known, bound)
        except OSError:
            out.add(name, "unreadable", "file", "could not be read")
    return out.finish()


def format_findings(findings: list[Finding]) -> str:
    """A plain-text report of the findings, one per line, with a closing count."""
    if not findings:
        return "No personal data found."
    lines = [str(f) for f in findings]
    files = len({f.file for f in findings})
    lines.append(f"{len(findings)} finding(s) in {files} file(s).")
    return "\n".join(lines)


def main(path: str | Path, *, known_pseudonyms_file: str | Path | None = None) -> int:
    """Scan a run folder and print the findings: 0 when clean, 1 on findings, 2 on a bad path.

    ``known_pseudonyms_file`` holds one known pseudonym per line (e.g. exported by the data
    owner); the CLI's ``evalkit scan RUN_DIR`` calls this.
    """
    known: list[str] = []
    if known_pseudonyms_file is not None:
        known = [
            ln.strip() for ln in Path(known_pseudonyms_file).read_text().splitlines() if ln.strip()
        ]
    try:
        findings = scan(path, known_pseudonyms=known)
    except FileNotFoundError as exc:
        print(exc)
        return 2
    print(format_findings(findings))
    return 1 if findings else 0
