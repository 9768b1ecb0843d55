"""Load register tables as raw values from CSV, Parquet, Excel, DuckDB, SQLite or an SQL URL.

Values are read raw (text where the source has no types) so that a bad value becomes a
quarantined row (rule R101) in validation rather than a crash here. Every frame gets ``_row``,
the 1-based row number in its source table (scan order for database tables), and a
``personnummer`` column is replaced by pseudonyms (``person_id``) before the frame is returned.
Table and column names are always quoted or reflected, never pasted into SQL.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.pseudonym import pseudonymise, pseudonymise_frame
from evalkit.data.schema import TABLES
from evalkit.errors import DataError, MissingTableError

log = logging.getLogger(__name__)

KINDS = ("csv", "parquet", "excel", "duckdb", "sqlite", "sql")
ROW = "_row"


def describe_source(source: Mapping[str, Any]) -> str:
    """A printable name for a source (path, or URL with any password hidden) for messages."""
    if source.get("url"):
        try:
            import sqlalchemy as sa

            return sa.make_url(str(source["url"])).render_as_string(hide_password=True)
        except Exception:  # an unparsable URL: never echo it, it may hold a password
            return "<sql url>"
    return str(source.get("path", "<source>"))


def quote_identifier(name: str) -> str:
    """Quote an SQL identifier (DuckDB/SQLite/PostgreSQL rules): wrap in "..." and double any "."""
    return '"' + str(name).replace('"', '""') + '"'


# --- raw value normalisation --------------------------------------------------------------------


def as_raw(frame: pd.DataFrame) -> pd.DataFrame:
    """Keep numeric, boolean and datetime columns; turn every other column into stripped text.

    Empty or blank text becomes missing. Mixed object columns (Excel, SQLite) become text so that
    the validator parses them and quarantines what does not parse.
    """
    out = {}
    for col in frame.columns:
        s = frame[col]
        if (
            pd.api.types.is_numeric_dtype(s.dtype)
            or pd.api.types.is_bool_dtype(s.dtype)
            or pd.api.types.is_datetime64_any_dtype(s.dtype)
        ):
            out[col] = s
            continue
        text = s.astype("string").str.strip()
        empty = (text == "").fillna(False).to_numpy(dtype=bool)
        out[col] = text.mask(empty) if empty.any() else text  # mask copies: only when needed
    return pd.DataFrame(out, index=frame.index, copy=False)


def _with_row(frame: pd.DataFrame) -> pd.DataFrame:
    """Add ``_row`` (1-based source row number) and a plain RangeIndex."""
    if ROW in frame.columns:
        raise DataError(f"the column name {ROW} is reserved for source row numbers", column=ROW)
    if not frame.index.equals(pd.RangeIndex(len(frame))):
        frame = frame.reset_index(drop=True)
    rows = pd.Series(np.arange(1, len(frame) + 1, dtype=np.int64), index=frame.index, name=ROW)
    return pd.concat([rows.astype("Int64"), frame], axis=1)


def apply_column_mapping(
    frame: pd.DataFrame, table: str, columns: Mapping[str, Mapping[str, str]] | None
) -> pd.DataFrame:
    """Rename user column names to schema names; also match schema names ignoring case/blanks."""
    mapping = dict((columns or {}).get(table, {}) or {})
    for user_name in mapping:
        if user_name not in frame.columns:
            log.warning("column mapping: table %s has no column %s", table, user_name)
    renamed = frame.rename(columns={k: v for k, v in mapping.items() if k in frame.columns})
    wanted = (set(TABLES[table].column_names) | {"personnummer"}) if table in TABLES else set()
    loose = {str(c).strip().lower(): c for c in renamed.columns}
    extra = {loose[n]: n for n in wanted if n not in renamed.columns and n in loose}
    renamed = renamed.rename(columns=extra) if extra else renamed
    doubled = sorted({str(c) for c in renamed.columns[renamed.columns.duplicated()]} & wanted)
    if doubled:
        raise DataError(
            f"two columns map onto {doubled} (check `columns:` in the params file)",
            table=table,
            column=doubled[0],
        )
    return renamed


# --- per-kind readers ----------------------------------------------------------------------------


def _sniff_separator(path: Path, encoding: str) -> str:
    """Pick the CSV separator from the header line (comma, semicolon, tab or bar)."""
    with open(path, encoding=encoding, errors="replace") as fh:
        header = fh.readline()
    counts = {sep: header.count(sep) for sep in (",", ";", "\t", "|")}
    best = max(counts, key=lambda k: counts[k])
    return best if counts[best] else ","


def _read_csv(path: Path, source: Mapping[str, Any], **kwargs: Any) -> pd.DataFrame:
    """Read one CSV file (every value as text unless kwargs say otherwise).

    Without an explicit ``encoding`` UTF-8 is tried first, then Windows-1252 (common in Swedish
    exports from Excel). Unparsable files raise ``DataError`` naming the file.
    """
    kwargs = kwargs or {"dtype": str, "keep_default_na": False, "na_values": [""]}
    encodings = [source["encoding"]] if source.get("encoding") else ["utf-8-sig", "cp1252"]
    for i, encoding in enumerate(encodings):
        try:
            sep = source.get("sep") or _sniff_separator(path, encoding)
            frame = pd.read_csv(path, sep=sep, encoding=encoding, **kwargs)
        except UnicodeDecodeError:
            if i + 1 < len(encodings):
                log.warning("file %s is not UTF-8: read as Windows-1252", path.name)
                continue
            raise DataError(
                f"the file cannot be decoded as {encoding}; set `encoding` in data.source",
                file=str(path),
            ) from None
        except pd.errors.ParserError as exc:
            # pandas' message names line and field counts only, never values.
            raise DataError(f"the CSV file cannot be parsed: {exc}", file=str(path)) from None
        return frame
    raise AssertionError("unreachable")


def _file_for(folder: Path, name: str, suffixes: tuple[str, ...]) -> Path | None:
    """The file in ``folder`` for a table: the name itself, or the name plus a known suffix."""
    direct = folder / name
    if direct.is_file():
        return direct
    for suffix in suffixes:
        candidate = folder / f"{name}{suffix}"
        if candidate.is_file():
            return candidate
    lower = {p.name.lower(): p for p in folder.iterdir() if p.is_file()}
    for suffix in ("", *suffixes):
        hit = lower.get(f"{name}{suffix}".lower())
        if hit is not None:
            return hit
    return None


def _folder(source: Mapping[str, Any]) -> Path:
    path = Path(source["path"])
    if not path.is_dir():
        raise DataError("the source folder does not exist", file=str(path))
    return path


def _read_files(
    source: Mapping[str, Any], names: Mapping[str, str], suffixes: tuple[str, ...], reader
) -> dict[str, pd.DataFrame]:
    folder = _folder(source)
    out = {}
    for table, name in names.items():
        path = _file_for(folder, name, suffixes)
        if path is not None:
            out[table] = reader(path)
    return out


def _read_excel(source: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    path = Path(source["path"])
    if not path.is_file():
        raise DataError("the Excel workbook does not exist", file=str(path))
    with pd.ExcelFile(path) as book:
        sheets = book.sheet_names
        by_lower = {s.lower(): s for s in sheets}
        out = {}
        for table, name in names.items():
            sheet = name if name in sheets else by_lower.get(name.lower())
            if sheet is not None:
                out[table] = pd.read_excel(book, sheet_name=sheet, dtype=object)
    return out


def _read_duckdb(source: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    import duckdb

    path = Path(source["path"])
    if not path.is_file():
        raise DataError("the DuckDB file does not exist", file=str(path))
    schema = source.get("schema")
    con = duckdb.connect(str(path), read_only=True)
    try:
        con.execute("SET preserve_insertion_order = true")
        rows = con.execute(
            "SELECT table_schema, table_name FROM information_schema.tables"
            + (" WHERE table_schema = ?" if schema else ""),
            [schema] if schema else [],
        ).fetchall()
        found = _match_names(names, [(s, t) for s, t in rows])
        out = {}
        for table, (sch, name) in found.items():
            sql = f"SELECT * FROM {quote_identifier(sch)}.{quote_identifier(name)}"
            out[table] = _arrow_to_pandas(con.sql(sql).to_arrow_table())
        return out
    finally:
        con.close()


def _arrow_to_pandas(table: Any) -> pd.DataFrame:
    """Arrow table -> pandas without Python objects: text as Arrow strings, dates as datetime64."""
    import pyarrow as pa

    def mapper(t: pa.DataType) -> Any:
        return (
            pd.StringDtype("pyarrow")
            if pa.types.is_string(t) or pa.types.is_large_string(t)
            else None
        )

    return table.to_pandas(types_mapper=mapper, date_as_object=False)


def _match_names(
    names: Mapping[str, str], available: list[tuple[str, str]]
) -> dict[str, tuple[str, str]]:
    """Find each wanted table among (schema, name) pairs: exact name first, then ignoring case."""
    found = {}
    for table, name in names.items():
        exact = [a for a in available if a[1] == name]
        loose = [a for a in available if a[1].lower() == name.lower()]
        hit = (exact or loose or [None])[0]
        if hit is not None:
            found[table] = hit
    return found


def _read_sqlalchemy(
    url: str, source: Mapping[str, Any], names: Mapping[str, str]
) -> dict[str, pd.DataFrame]:
    import sqlalchemy as sa

    engine = sa.create_engine(url)
    schema = source.get("schema")
    try:
        available = [(schema, t) for t in sa.inspect(engine).get_table_names(schema=schema)]
        found = _match_names(names, available)
        out = {}
        with engine.connect() as con:
            for table, (sch, name) in found.items():
                reflected = sa.Table(name, sa.MetaData(), autoload_with=con, schema=sch)
                result = con.execute(sa.select(reflected))
                frame = pd.DataFrame(result.fetchall(), columns=list(result.keys()))
                out[table] = frame
        return out
    finally:
        engine.dispose()


def _sql_url(source: Mapping[str, Any]) -> str:
    if source["kind"] == "sqlite":
        path = Path(source["path"])
        if not path.is_file():
            raise DataError("the SQLite file does not exist", file=str(path))
        return f"sqlite:///{path.resolve()}"
    url = source.get("url")
    if not url:
        raise DataError("an sql source needs a 'url' (an SQLAlchemy URL)")
    return str(url)


def _read_kind(source: Mapping[str, Any], names: Mapping[str, str]) -> dict[str, pd.DataFrame]:
    kind = source.get("kind")
    if kind == "csv":
        return _read_files(source, names, (".csv", ".txt"), lambda p: _read_csv(p, source))
    if kind == "parquet":
        return _read_files(source, names, (".parquet", ".pq"), pd.read_parquet)
    if kind == "excel":
        return _read_excel(source, names)
    if kind == "duckdb":
        return _read_duckdb(source, names)
    if kind in ("sqlite", "sql"):
        return _read_sqlalchemy(_sql_url(source), source, names)
    raise DataError(f"unknown source kind {kind!r}; use one of {', '.join(KINDS)}")


# --- public API ----------------------------------------------------------------------------------


def table_names(source: Mapping[str, Any]) -> dict[str, str]:
    """Schema table name -> name in the source, from the optional ``tables`` mapping."""
    mapped = dict(source.get("tables") or {})
    unknown = sorted(set(mapped) - set(TABLES))
    if unknown:
        raise DataError(
            f"the source maps unknown register tables {unknown}; known: {sorted(TABLES)}",
            file=describe_source(source),
        )
    return {t: str(mapped.get(t, t)) for t in TABLES}


def load_raw(
    source: Mapping[str, Any], *, columns: Mapping[str, Mapping[str, str]] | None = None
) -> dict[str, pd.DataFrame]:
    """Read every register table present in the source as raw values, names mapped, with ``_row``.

    Tables absent from the source are absent from the result (validation decides if fatal).
    """
    names = table_names(source)
    if columns:
        # Mapping keys may be schema table names or the source's own table names.
        by_source = {v: k for k, v in names.items()}
        columns = {by_source.get(t, t) if t not in TABLES else t: m for t, m in columns.items()}
        unknown = sorted(set(columns) - set(TABLES))
        if unknown:
            raise DataError(
                f"the column mapping names unknown tables {unknown}; known: {sorted(TABLES)}",
                file=describe_source(source),
            )
    frames = _read_kind(source, names)
    out = {}
    for table, frame in frames.items():
        frame = apply_column_mapping(as_raw(frame), table, columns)
        out[table] = _with_row(frame)
        log.info("loaded table %s: %d rows, %d columns", table, len(frame), frame.shape[1])
    return out


def load_registers(
    source: Mapping[str, Any],
    *,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    key: bytes | str | None = None,
) -> dict[str, pd.DataFrame]:
    """Load the register tables raw, with ``personnummer`` already pseudonymised to ``person_id``.

    Rows whose personnummer is invalid get a missing ``person_id`` and the marker column
    ``_personnummer_invalid`` so that validation quarantines them (R108).
    """
    raw = load_raw(source, columns=columns)
    return {table: pseudonymise_frame(frame, key) for table, frame in raw.items()}


def load_table(
    source: Mapping[str, Any], table: str | None = None, *, key: bytes | str | None = None
) -> pd.DataFrame:
    """Load one prepared table (``table``/``panel`` modes) with inferred types and ``_row``.

    ``path`` may name the file itself (CSV/Parquet) or a folder/workbook/database holding
    ``table``. A ``personnummer`` column keeps its name but holds pseudonyms; invalid ones stop.
    """
    kind = source.get("kind")
    table = table or source.get("table")
    where = describe_source(source)
    if kind in ("csv", "parquet") and Path(source["path"]).is_file():
        path = Path(source["path"])
        if kind == "csv":
            frame = _read_csv(path, source, low_memory=False)
        else:
            frame = pd.read_parquet(path)
    else:
        if kind == "excel" and not table:
            frame = pd.read_excel(Path(source["path"]), sheet_name=0)
        else:
            if not table:
                raise DataError(f"a {kind} source needs a table name", file=where)
            frames = _read_kind(source, {table: table})
            if table not in frames:
                raise MissingTableError("table not found in the source", file=where, table=table)
            frame = frames[table]
            if kind == "excel":
                frame = frame.infer_objects()
    frame = _with_row(frame)
    if "personnummer" in frame.columns:
        ids = pseudonymise(frame["personnummer"], key)
        present = frame["personnummer"].notna()
        bad = int((present & ids.isna()).sum())
        if bad:
            raise DataError(
                "invalid personnummer (format, date or check digit)",
                file=where,
                table=table,
                column="personnummer",
                rule="R108",
                count=bad,
            )
        frame["personnummer"] = ids
    log.info("loaded table %s: %d rows", table or where, len(frame))
    return frame
