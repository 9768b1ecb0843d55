"""Check raw register tables against the schema's rules: stop on fatal ones, quarantine bad rows.

Fatal rules (E001 missing table, E002 missing column, E003 empty table) raise one error naming
the file, table and column. Row rules (R101-R111) send the row to the quarantine. Counting:

- a row that breaks several rules is quarantined **once**, with all its rule ids (``rules``);
  the report counts rows **per rule**, so such a row appears under each of its rules, and
  ``n_quarantined`` counts distinct rows. Rows in = rows kept + rows quarantined, per table.
- duplicate keys (R103): among rows whose key is complete and readable, the first occurrence
  (lowest ``_row``) is kept and every later one is quarantined.
- unknown references (R109): a value is unknown when no row of the parent table has it at all
  (whether or not that parent row is itself quarantined).
- an invalid personnummer is R108 (not R102); a missing one is R102.

Clean frames keep ``_row`` and the schema's columns, typed: text ``string``, counts ``int64``
(``Int64`` when nullable), amounts ``float64``, dates and months ``datetime64[ns]``.
All checks are vectorised; messages carry names and counts, never values.
"""

from __future__ import annotations

import html
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data import quarantine as q
from evalkit.data.pseudonym import INVALID_MARKER, pseudonymise_frame
from evalkit.data.schema import REFERENCES, RULES, TABLES, Column, Table
from evalkit.errors import DataError, MissingColumnError, MissingTableError

log = logging.getLogger(__name__)

ROW = "_row"
MAX_EXAMPLES = 3


# --- the report ----------------------------------------------------------------------------------


@dataclass
class ValidationReport:
    """Per table and rule: rows affected and up to three example row numbers (never values)."""

    rows: list[dict[str, Any]] = field(default_factory=list)
    n_in: dict[str, int] = field(default_factory=dict)
    n_kept: dict[str, int] = field(default_factory=dict)
    n_quarantined: dict[str, int] = field(default_factory=dict)
    fatal: list[dict[str, Any]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    file: str | None = None
    quarantine_file: str | None = None

    @property
    def ok(self) -> bool:
        """True when nothing was fatal and no row was quarantined."""
        return not self.fatal and not any(self.n_quarantined.values())

    @property
    def total_quarantined(self) -> int:
        """Distinct quarantined rows over all tables."""
        return sum(self.n_quarantined.values())

    def count(self, table: str, rule: str) -> int:
        """Rows of ``table`` that broke ``rule`` (0 when none)."""
        return sum(r["count"] for r in self.rows if r["table"] == table and r["rule"] == rule)

    def counts(self) -> dict[str, dict[str, int]]:
        """``{table: {rule: rows}}`` for every rule with at least one row."""
        out: dict[str, dict[str, int]] = {}
        for r in self.rows:
            out.setdefault(r["table"], {})[r["rule"]] = r["count"]
        return out

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form for the results file (aggregates and row numbers only)."""
        return {
            "file": self.file,
            "ok": self.ok,
            "rows": [dict(r, examples=list(r["examples"])) for r in self.rows],
            "fatal": [dict(f) for f in self.fatal],
            "tables": {
                t: {
                    "n_in": self.n_in[t],
                    "n_kept": self.n_kept.get(t, 0),
                    "n_quarantined": self.n_quarantined.get(t, 0),
                }
                for t in self.n_in
            },
            "n_quarantined": self.total_quarantined,
            "quarantine_file": self.quarantine_file,
            "notes": list(self.notes),
        }

    def summary(self) -> str:
        """Plain-text report for the terminal (``evalkit validate``) and logs."""
        lines = [f"Validation of {self.file or 'register data'}"]
        for f in self.fatal:
            lines.append(f"FATAL {f['rule']} {f['message']}")
        if self.n_in:
            lines.append(f"{'table':<16}{'rows in':>10}{'kept':>10}{'quarantined':>13}")
            for t, n in self.n_in.items():
                lines.append(
                    f"{t:<16}{n:>10}{self.n_kept.get(t, 0):>10}{self.n_quarantined.get(t, 0):>13}"
                )
        if self.rows:
            lines.append(
                "Rule breaches (rows per rule; a row breaking several rules counts under each):"
            )
            for r in self.rows:
                ex = ", ".join(str(e) for e in r["examples"])
                lines.append(
                    f"  {r['table']:<15}{r['rule']:<6}{r['count']:>8} rows  {r['description']}"
                    f"  (e.g. rows {ex})"
                )
        elif not self.fatal:
            lines.append("No rule broken: every row kept.")
        if self.quarantine_file:
            lines.append(f"Quarantine file: {self.quarantine_file}")
        lines.extend(f"Note: {n}" for n in self.notes)
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        """HTML tables for JupyterLab."""
        e = html.escape
        parts = [f"<h4>Validation of {e(self.file or 'register data')}</h4>"]
        for f in self.fatal:
            parts.append(f"<p><strong>Fatal {e(f['rule'])}</strong>: {e(f['message'])}</p>")
        if self.n_in:
            body = "".join(
                f"<tr><td>{e(t)}</td><td>{n}</td><td>{self.n_kept.get(t, 0)}</td>"
                f"<td>{self.n_quarantined.get(t, 0)}</td></tr>"
                for t, n in self.n_in.items()
            )
            parts.append(
                "<table><thead><tr><th>table</th><th>rows in</th><th>kept</th>"
                f"<th>quarantined</th></tr></thead><tbody>{body}</tbody></table>"
            )
        if self.rows:
            body = "".join(
                f"<tr><td>{e(r['table'])}</td><td>{e(r['rule'])}</td><td>{e(r['description'])}</td>"
                f"<td>{r['count']}</td><td>{e(', '.join(str(x) for x in r['examples']))}</td></tr>"
                for r in self.rows
            )
            parts.append(
                "<table><thead><tr><th>table</th><th>rule</th><th>description</th><th>rows</th>"
                f"<th>example rows</th></tr></thead><tbody>{body}</tbody></table>"
            )
        if self.quarantine_file:
            parts.append(f"<p>Quarantine file: <code>{e(self.quarantine_file)}</code></p>")
        return "\n".join(parts)


@dataclass
class Validated:
    """Clean tables, the quarantined rows and the report of one validation."""

    tables: dict[str, pd.DataFrame]
    quarantine: pd.DataFrame
    report: ValidationReport

    def write_quarantine(self, path: str | Path) -> Path:
        """Write the quarantine as Parquet and record its path in the report."""
        out = q.write_quarantine(self.quarantine, path)
        self.report.quarantine_file = str(out)
        return out

    def _repr_html_(self) -> str:
        return self.report._repr_html_()


# --- parsing raw values ---------------------------------------------------------------------------


def _numbers(raw: pd.Series) -> pd.Series:
    """Raw values as float64 (NaN where missing or unreadable); accepts decimal comma and blanks."""
    if pd.api.types.is_bool_dtype(raw.dtype):
        return pd.Series(np.nan, index=raw.index)
    if pd.api.types.is_numeric_dtype(raw.dtype):
        return raw.astype("float64")
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return pd.Series(np.nan, index=raw.index)
    text = raw.astype("string").str.replace(r"[\s\u00a0]", "", regex=True)
    text = text.str.replace(",", ".", regex=False)
    return pd.to_numeric(text, errors="coerce").astype("float64")


def _dates(raw: pd.Series) -> pd.Series:
    """Raw values as datetime64[ns] at midnight (NaT where missing or unreadable)."""
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        values = raw.dt.tz_localize(None) if getattr(raw.dt, "tz", None) else raw
    elif pd.api.types.is_numeric_dtype(raw.dtype) or pd.api.types.is_bool_dtype(raw.dtype):
        return pd.Series(pd.NaT, index=raw.index, dtype="datetime64[ns]")
    else:
        text = raw.astype("string")
        values = pd.to_datetime(text, format="ISO8601", errors="coerce")
    values = values.astype("datetime64[ns]")
    ns = values.to_numpy().view("int64")
    has_time = bool(((ns % 86_400_000_000_000) != 0)[values.notna().to_numpy()].any())
    return values.dt.normalize() if has_time else values


def _text(raw: pd.Series) -> pd.Series:
    """Raw values as text; integral numbers without a trailing '.0'."""
    if pd.api.types.is_float_dtype(raw.dtype):
        v = raw.astype("Float64")
        integral = v.notna() & (v % 1 == 0)
        return v.astype("string").mask(integral, v.round().astype("Int64").astype("string"))
    if pd.api.types.is_datetime64_any_dtype(raw.dtype):
        return raw.dt.strftime("%Y-%m-%d").astype("string")
    text = raw.astype("string")
    blank = (text.str.strip() == "").fillna(False).to_numpy(dtype=bool)
    return text.mask(blank) if blank.any() else text


def present_values(raw: pd.Series) -> np.ndarray:
    """True where a raw value is there: not missing and, for text, not blank."""
    present = raw.notna().to_numpy(dtype=bool)
    if raw.dtype == object or isinstance(raw.dtype, pd.StringDtype):
        text = raw.astype("string")
        blank = (text.str.strip() == "").fillna(False).to_numpy(dtype=bool)
        present = present & ~blank
    return present


def parse_column(raw: pd.Series, column: Column) -> tuple[pd.Series, np.ndarray]:
    """Parse one raw column to its schema type; return (values, unreadable-but-present mask)."""
    present = present_values(raw)
    if column.kind == "str":
        return _text(raw), np.zeros(len(raw), dtype=bool)
    if column.kind in ("int", "float"):
        values = _numbers(raw)
        bad = present & ~np.isfinite(values.to_numpy())
        if column.kind == "int":
            frac = values.to_numpy() % 1
            bad |= present & np.isfinite(frac) & (frac != 0)
            values = values.where(~bad)
        return values.where(~bad), bad
    if column.kind in ("date", "month"):
        values = _dates(raw)
        return values, present & values.isna().to_numpy()
    raise ValueError(f"unknown column kind {column.kind!r}")


def _final_dtype(values: pd.Series, column: Column) -> pd.Series:
    """Cast parsed values of kept rows to the clean dtype."""
    if column.kind == "int":
        return values.astype("Int64") if column.nullable else values.astype("int64")
    if column.kind == "float":
        return values.astype("float64")
    if column.kind == "str":
        return values.astype("string")
    return values


# --- checks ---------------------------------------------------------------------------------------


def _month_bounds(period: tuple[str, str] | None) -> tuple[pd.Timestamp, pd.Timestamp] | None:
    """First day of the first month and first day of the month after the last one."""
    if period is None:
        return None
    start = pd.Timestamp(str(period[0])).to_period("M").start_time
    end = (pd.Timestamp(str(period[1])).to_period("M") + 1).start_time
    return start, end


def _fatal(
    raw: Mapping[str, pd.DataFrame], file: str | None
) -> tuple[list[dict[str, Any]], list[str]]:
    """Fatal problems (E001-E003) over all tables, and notes on optional columns read as missing."""
    problems: list[dict[str, Any]] = []
    notes: list[str] = []
    for name, spec in TABLES.items():
        frame = raw.get(name)
        if frame is None:
            if spec.required:
                problems.append(
                    {
                        "rule": "E001",
                        "table": name,
                        "column": None,
                        "message": f"required table '{name}' is missing from the source",
                    }
                )
            continue
        missing = [
            c
            for c in spec.column_names
            if c not in frame.columns and c not in spec.optional_columns
        ]
        for c in missing:
            problems.append(
                {
                    "rule": "E002",
                    "table": name,
                    "column": c,
                    "message": (
                        f"required column '{c}' is missing from table '{name}' "
                        "(map your column name onto it under `columns:` in the params file)"
                    ),
                }
            )
        for c in spec.optional_columns:
            if c not in frame.columns:
                notes.append(f"table '{name}' has no column '{c}': read as missing")
        if spec.required and len(frame) == 0:
            problems.append(
                {
                    "rule": "E003",
                    "table": name,
                    "column": None,
                    "message": f"required table '{name}' is empty",
                }
            )
    for p in problems:
        p["file"] = file
    problems.sort(key=lambda p: p["rule"])  # stable: missing tables, then columns, then empty
    return problems, notes


def _raise_fatal(problems: list[dict[str, Any]]) -> None:
    """Raise one error for the first fatal problem, mentioning how many others there are."""
    first = problems[0]
    more = f"; and {len(problems) - 1} more fatal problem(s)" if len(problems) > 1 else ""
    others = "".join(
        f"\n  {p['rule']}: {p['message']}" for p in problems[1:]
    )  # names only, never values
    cls = {"E001": MissingTableError, "E002": MissingColumnError}.get(first["rule"], DataError)
    raise cls(
        f"{first['message']}{more}{others}",
        file=first["file"],
        table=first["table"],
        column=first["column"],
        rule=first["rule"],
    )


def _check_table(
    name: str, raw: pd.DataFrame, spec: Table, bounds: tuple[pd.Timestamp, pd.Timestamp] | None
) -> tuple[pd.DataFrame, dict[str, np.ndarray]]:
    """Parse one table and flag its rows per row rule (all but R109, which needs other tables)."""
    n = len(raw)
    flags: dict[str, np.ndarray] = {r: np.zeros(n, dtype=bool) for r in RULES if r[0] == "R"}
    marker = (
        raw[INVALID_MARKER].fillna(False).to_numpy(dtype=bool)
        if INVALID_MARKER in raw.columns
        else np.zeros(n, dtype=bool)
    )
    flags["R108"] |= marker
    parsed: dict[str, pd.Series] = {ROW: raw[ROW]}
    for col in spec.columns:
        source = raw[col.name] if col.name in raw.columns else pd.Series(pd.NA, index=raw.index)
        values, bad = parse_column(source, col)
        flags["R101"] |= bad
        missing = ~present_values(source)
        if col.name == "person_id":
            missing &= ~marker
        if not col.nullable:
            flags["R102"] |= missing
        ok = values.notna().to_numpy()
        if col.codes is not None:
            flags["R104"] |= ok & ~values.isin(col.codes).to_numpy()
        if col.min_value is not None:
            below = ok & (values.to_numpy(dtype="float64", na_value=np.nan) < col.min_value)
            flags["R105" if col.min_value == 0 else "R111"] |= below
        if col.kind == "month":
            flags["R110"] |= ok & (values.dt.day != 1).to_numpy()
            if bounds is not None:
                outside = (values < bounds[0]) | (values >= bounds[1])
                flags["R107"] |= ok & outside.to_numpy()
        parsed[col.name] = values
    typed = pd.DataFrame(parsed, index=raw.index, copy=False)
    if name == "participations":
        end_before = typed["end_date"] < typed["start_date"]
        flags["R106"] |= end_before.fillna(False).to_numpy(dtype=bool)
    key = list(spec.key)
    complete = typed[key].notna().all(axis=1).to_numpy()
    order = np.argsort(typed[ROW].to_numpy(dtype="int64"), kind="stable")
    dup = np.zeros(n, dtype=bool)
    keyed = typed.iloc[order][key][complete[order]]
    dup_sorted = keyed.duplicated(keep="first").to_numpy()
    dup[order[complete[order]]] = dup_sorted
    flags["R103"] |= dup
    return typed, flags


def validate_registers(
    raw: Mapping[str, pd.DataFrame],
    *,
    period: tuple[str, str] | None = None,
    file: str | None = None,
    raise_fatal: bool = True,
    key: bytes | str | None = None,
) -> Validated:
    """Validate raw register tables (from ``load_registers``): clean tables, quarantine, report.

    Fatal problems raise (``MissingTableError``/``MissingColumnError``/``DataError``) unless
    ``raise_fatal`` is False, in which case they are listed in ``report.fatal`` and the
    affected tables are left out. A ``personnummer`` column still present is pseudonymised first.
    """
    raw = {t: pseudonymise_frame(f, key) for t, f in raw.items() if t in TABLES}
    problems, notes = _fatal(raw, file)
    if problems and raise_fatal:
        _raise_fatal(problems)
    skip = {p["table"] for p in problems}
    bounds = _month_bounds(period)

    typed: dict[str, pd.DataFrame] = {}
    flags: dict[str, dict[str, np.ndarray]] = {}
    for name, spec in TABLES.items():
        if name in raw and name not in skip:
            typed[name], flags[name] = _check_table(name, raw[name], spec, bounds)

    for (child, col), (parent, pcol) in REFERENCES.items():
        if child not in typed or parent not in typed:
            continue
        values = typed[child][col]
        known = values.isin(typed[parent][pcol].dropna().unique()).to_numpy()
        flags[child]["R109"] |= values.notna().to_numpy() & ~known

    report = ValidationReport(file=file, fatal=[dict(p) for p in problems], notes=notes)
    clean: dict[str, pd.DataFrame] = {}
    value_columns = list(dict.fromkeys(c for t in TABLES.values() for c in t.column_names))
    parts = []
    for name, spec in TABLES.items():
        if name not in typed:
            if not spec.required and name not in raw:
                clean[name] = _empty_clean(spec)
            continue
        frame, f = typed[name], flags[name]
        report.rows.extend(_rule_rows(name, frame, f))
        bad = np.logical_or.reduce(list(f.values()))
        clean[name] = _clean(frame.loc[~bad] if bad.any() else frame, spec)
        report.n_in[name] = len(frame)
        report.n_kept[name] = len(clean[name])
        report.n_quarantined[name] = int(bad.sum())
        marker = raw[name].get(INVALID_MARKER)
        parts.append(
            q.quarantine_rows(
                name,
                raw[name],
                {r: hit for r, hit in f.items() if hit.any()},
                masked=None if marker is None else marker.fillna(False).to_numpy(dtype=bool),
                value_columns=value_columns,
            )
        )
        if spec.required and len(clean[name]) == 0 and len(frame) > 0:
            report.fatal.append(
                {
                    "rule": "E003",
                    "table": name,
                    "column": None,
                    "file": file,
                    "message": f"every row of required table '{name}' broke a rule: none is left",
                }
            )
    quarantine = q.combine(parts, value_columns)
    for name in report.n_in:
        log.info(
            "validated table %s: %d rows in, %d kept, %d quarantined",
            name,
            report.n_in[name],
            report.n_kept[name],
            report.n_quarantined[name],
        )
    late = [p for p in report.fatal if p not in problems]
    if late and raise_fatal:
        err = DataError(
            late[0]["message"],
            file=file,
            table=late[0]["table"],
            rule="E003",
            count=report.n_quarantined[late[0]["table"]],
        )
        err.validated = Validated(clean, quarantine, report)  # type: ignore[attr-defined]
        raise err
    return Validated(tables=clean, quarantine=quarantine, report=report)


def _rule_rows(name: str, frame: pd.DataFrame, flags: dict[str, np.ndarray]) -> list[dict]:
    """Report rows for one table: per rule with any hit, its row count and first row numbers."""
    rows = []
    source_rows = frame[ROW].to_numpy(dtype="int64")
    for rule in sorted(flags):
        hit = flags[rule]
        count = int(hit.sum())
        if count:
            examples = np.sort(source_rows[hit])[:MAX_EXAMPLES]
            rows.append(
                {
                    "table": name,
                    "rule": rule,
                    "description": RULES[rule],
                    "count": count,
                    "examples": [int(r) for r in examples],
                }
            )
    return rows


def _clean(kept: pd.DataFrame, spec: Table) -> pd.DataFrame:
    """The kept rows with ``_row`` and the schema's columns in their clean dtypes."""
    columns = {c.name: _final_dtype(kept[c.name], c) for c in spec.columns}
    return pd.DataFrame({ROW: kept[ROW].astype("int64"), **columns}, copy=False).reset_index(
        drop=True
    )


def _empty_clean(spec: Table) -> pd.DataFrame:
    """A typed, empty clean frame for an optional table the source does not have."""
    cols = {ROW: pd.Series([], dtype="int64")}
    for c in spec.columns:
        empty = pd.Series([], dtype="float64")
        if c.kind in ("date", "month"):
            empty = pd.Series([], dtype="datetime64[ns]")
        cols[c.name] = _final_dtype(empty, c)
    return pd.DataFrame(cols)


def load_and_validate(
    source: Mapping[str, Any],
    *,
    columns: Mapping[str, Mapping[str, str]] | None = None,
    period: tuple[str, str] | None = None,
    quarantine_path: str | Path | None = None,
    raise_fatal: bool = True,
    key: bytes | str | None = None,
) -> Validated:
    """Load the registers from a params ``data.source``, validate, and write the quarantine file.

    The one call the pipeline and ``evalkit validate`` use. The quarantine file is written
    (possibly empty) whenever ``quarantine_path`` is given, so a run always leaves one.
    """
    from evalkit.data.sources import describe_source, load_registers

    where = describe_source(source)
    raw = load_registers(source, columns=columns, key=key)
    try:
        validated = validate_registers(
            raw, period=period, file=where, raise_fatal=raise_fatal, key=key
        )
    except DataError as exc:
        # A table with no valid row left: still write the quarantine so the user sees why.
        partial = getattr(exc, "validated", None)
        if partial is not None and quarantine_path is not None:
            partial.write_quarantine(quarantine_path)
        raise
    if quarantine_path is not None:
        validated.write_quarantine(quarantine_path)
    return validated
