"""The quarantine: rows that broke a row rule, kept (not dropped) with the rule ids they broke.

One quarantine row per offending source row, across all tables: ``table``, ``rule`` (the lowest
rule id the row broke), ``rules`` (every rule id it broke), ``_row`` (1-based source row) and the
row's original values as text. A personnummer never reaches it: the loader replaces it by a
pseudonym, and rows whose personnummer was invalid carry a masked placeholder instead.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import numpy as np
import pandas as pd

QUARANTINE_COLUMNS = ("table", "rule", "rules", "_row")

#: Written instead of an invalid personnummer (its value is never kept anywhere).
MASKED_PERSONNUMMER = "[masked: invalid personnummer]"


def empty_quarantine(value_columns: Sequence[str] = ()) -> pd.DataFrame:
    """An empty quarantine frame with the fixed columns (and any value columns) typed."""
    frame = pd.DataFrame(
        {
            "table": pd.Series([], dtype="string"),
            "rule": pd.Series([], dtype="string"),
            "rules": pd.Series([], dtype=object),
            "_row": pd.Series([], dtype="Int64"),
        }
    )
    for col in value_columns:
        frame[col] = pd.Series([], dtype="string")
    return frame


def quarantine_rows(
    table: str,
    raw: pd.DataFrame,
    flags: Mapping[str, np.ndarray],
    *,
    masked: np.ndarray | None = None,
    value_columns: Sequence[str] = (),
) -> pd.DataFrame:
    """Quarantine rows of one table: those with any rule flag set, with their rule ids.

    ``flags`` maps rule id -> boolean array over ``raw``'s rows; ``masked`` marks rows whose
    ``person_id`` must be replaced by the masked placeholder (invalid personnummer).
    """
    n = len(raw)
    rule_ids = sorted(flags)
    any_flag = np.zeros(n, dtype=bool)
    for rule in rule_ids:
        any_flag |= flags[rule]
    if not any_flag.any():
        return empty_quarantine(value_columns)
    # Semicolon-joined rule ids built column by column (vectorised), then split into lists.
    joined = np.full(int(any_flag.sum()), "", dtype=object)
    for rule in rule_ids:
        joined = joined + np.where(flags[rule][any_flag], rule + ";", "")
    rules = pd.Series(joined).str.rstrip(";").str.split(";")
    sub = raw.loc[any_flag]
    out = pd.DataFrame(
        {
            "table": pd.array([table] * len(sub), dtype="string"),
            "rule": pd.array(rules.str[0].to_numpy(), dtype="string"),
            "rules": rules.to_numpy(),
            "_row": pd.array(sub["_row"].to_numpy(), dtype="Int64"),
        }
    )
    for col in value_columns:
        if col in sub.columns:
            out[col] = _as_text(sub[col]).to_numpy()
        else:
            out[col] = pd.array([pd.NA] * len(sub), dtype="string")
    if masked is not None and "person_id" in out.columns:
        m = masked[any_flag]
        out.loc[m, "person_id"] = MASKED_PERSONNUMMER
    return out


def _as_text(values: pd.Series) -> pd.Series:
    """Original values as text: integral numbers without a trailing '.0', dates as ISO."""
    if pd.api.types.is_datetime64_any_dtype(values.dtype):
        text = values.dt.strftime("%Y-%m-%d").astype("string")
        return text
    if pd.api.types.is_float_dtype(values.dtype):
        v = values.astype("Float64")
        integral = v.notna() & (v % 1 == 0)
        text = v.astype("string")
        return text.mask(integral, v.round().astype("Int64").astype("string"))
    return values.astype("string")


def combine(parts: Sequence[pd.DataFrame], value_columns: Sequence[str]) -> pd.DataFrame:
    """Stack per-table quarantine frames into one, with every value column present."""
    parts = [p for p in parts if len(p)]
    if not parts:
        return empty_quarantine(value_columns)
    cols = [*QUARANTINE_COLUMNS, *value_columns]
    frame = pd.concat([p.reindex(columns=cols) for p in parts], ignore_index=True)
    for col in value_columns:
        frame[col] = frame[col].astype("string")
    return frame


def write_quarantine(frame: pd.DataFrame, path: str | Path) -> Path:
    """Write the quarantine as Parquet (``rules`` as a list of rule ids) and return the path."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    out = frame.copy()
    out["rules"] = [list(r) for r in out["rules"]] if len(out) else pd.Series([], dtype=object)
    if not len(out):
        import pyarrow as pa
        import pyarrow.parquet as pq

        fields = [
            pa.field("table", pa.string()),
            pa.field("rule", pa.string()),
            pa.field("rules", pa.list_(pa.string())),
            pa.field("_row", pa.int64()),
        ] + [pa.field(c, pa.string()) for c in out.columns if c not in QUARANTINE_COLUMNS]
        pq.write_table(pa.Table.from_pylist([], schema=pa.schema(fields)), path)
        return path
    out.to_parquet(path, index=False)
    return path


def read_quarantine(path: str | Path) -> pd.DataFrame:
    """Read a quarantine Parquet file back (``rules`` as lists of rule ids)."""
    frame = pd.read_parquet(path)
    frame["rules"] = [list(r) for r in frame["rules"]]
    return frame
