"""Aggregated views of the registers for evaluators exploring data in JupyterLab.

Every function returns a small aggregated DataFrame (which JupyterLab shows as a table) with
disclosure control applied: counts under ``min_cell`` are hidden (``<NA>``) and secondary
suppression keeps them from being recovered from totals. No person-level row leaves this module.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from evalkit.audit.disclosure import DEFAULT_MIN_CELL, is_small, suppress_table
from evalkit.data.validate import Validated
from evalkit.errors import ParamsError
from evalkit.params import load_params
from evalkit.project import ensure_demo_key, find_project_root, source_path
from evalkit.report.wording import label, words

FREQS = ("M", "Q", "Y")


@dataclass(frozen=True)
class Registers:
    """Validated register tables of one data source, and what the checks found."""

    validated: Validated
    source: str

    @property
    def tables(self) -> dict[str, pd.DataFrame]:
        return self.validated.tables

    def _repr_html_(self) -> str:
        sizes = ", ".join(f"{t}: {len(f)}" for t, f in self.tables.items())
        return f"<p>{self.source}: {sizes}</p>"


def load(params_file: str, project_root: str = "") -> Registers:
    """Load and validate the registers a params file points at (demo key on demo data)."""
    root = Path(project_root) if project_root else find_project_root()
    with contextlib.chdir(root):
        params = load_params(params_file)
        if params.data.mode != "registers":
            raise ParamsError("explore works on register data", file=params_file, key="data.mode")
        ensure_demo_key(source_path(params))
        validated = params.load_registers()
    source = params.data.source
    return Registers(validated, str(source.path or source.kind))


def _check_freq(freq: str) -> str:
    if freq not in FREQS:
        raise ParamsError(f"freq must be one of {', '.join(FREQS)}", key="freq")
    return freq


def _periods(dates: pd.Series, freq: str) -> pd.Series:
    """Calendar periods (month, quarter or year) of dates, as text."""
    return pd.to_datetime(dates).dt.to_period(_check_freq(freq)).astype("string")


def _measure_names(data: Registers) -> dict[str, str]:
    m = data.tables.get("measures")
    if m is None or m.empty:
        return {}
    return dict(zip(m["measure_id"].astype(str), m["name"].astype(str), strict=True))


def _protected_crosstab(
    rows: pd.Series,
    cols: pd.Series,
    min_cell: int,
    total: str,
    *,
    index: list[str] | None = None,
    names: tuple[str, str] = ("", ""),
) -> pd.DataFrame:
    """Counts of (row, column) pairs with totals, rules 1 and 3 applied."""
    counts = pd.crosstab(rows, cols)
    if index is not None:
        counts = counts.reindex(index, fill_value=0)
    if counts.empty:
        return counts
    counts.columns = counts.columns.astype(str)
    out = suppress_table(counts, min_cell, total_label=total)
    out.index.name, out.columns.name = names
    return out


def data_quality(data: Registers, *, lang: str = "sv") -> pd.DataFrame:
    """Rows per table and rule that broke a data rule (counts of rows, not people)."""
    e = words(lang)["explore"]
    rows = [
        {e["table"]: r["table"], e["rule"]: r["rule"], "": r["description"], e["count"]: r["count"]}
        for r in data.validated.report.rows
    ]
    return pd.DataFrame(rows, columns=[e["table"], e["rule"], "", e["count"]])


def participants_by_measure(
    data: Registers, *, min_cell: int = DEFAULT_MIN_CELL, lang: str = "sv"
) -> pd.DataFrame:
    """Distinct participants, participations and ongoing participations per measure."""
    e = words(lang)["explore"]
    p = data.tables["participations"]
    names = _measure_names(data)
    grouped = p.groupby(p["measure_id"].astype(str))
    frame = pd.DataFrame(
        {
            e["participants"]: grouped["person_id"].nunique(),
            e["starts"]: grouped.size(),
            label(lang, "end_reasons", "pagaende"): grouped["end_date"].apply(
                lambda s: int(s.isna().sum())
            ),
        }
    )
    frame.index = [names.get(i, i) for i in frame.index]
    frame.index.name = e["measure"]
    return frame.apply(lambda col: col.map(lambda v: pd.NA if is_small(v, min_cell) else v)).astype(
        "Int64"
    )


def flows(
    data: Registers, *, freq: str = "Q", min_cell: int = DEFAULT_MIN_CELL, lang: str = "sv"
) -> pd.DataFrame:
    """Starts and ends per period and measure (inflow and outflow), with totals."""
    e = words(lang)["explore"]
    total = e["total"]
    p = data.tables["participations"]
    names = _measure_names(data)
    measure = p["measure_id"].astype(str).map(lambda m: names.get(m, m))
    start = _periods(p["start_date"], freq)
    ended = p["end_date"].notna()
    end = _periods(p.loc[ended, "end_date"], freq)
    index = sorted(set(start.dropna()) | set(end.dropna()))
    names = (e["period"], e["measure"])
    starts = _protected_crosstab(start, measure, min_cell, total, index=index, names=names)
    ends = _protected_crosstab(end, measure[ended], min_cell, total, index=index, names=names)
    return pd.concat({e["starts"]: starts, e["ends"]: ends}, axis=1)


def assistance_trend(
    data: Registers, *, freq: str = "Q", min_cell: int = DEFAULT_MIN_CELL, lang: str = "sv"
) -> pd.DataFrame:
    """Households with assistance and SEK paid per period (amounts hidden with small counts)."""
    e = words(lang)["explore"]
    a = data.tables["assistance"]
    a = a[a["amount_sek"] > 0]
    period = _periods(a["month"], freq)
    grouped = a.groupby(period)
    frame = pd.DataFrame(
        {
            e["households"]: grouped["household_id"].nunique(),
            e["amount_sek"]: grouped["amount_sek"].sum().round(0),
        }
    )
    small = frame[e["households"]].map(lambda v: is_small(v, min_cell))
    frame[e["households"]] = frame[e["households"]].astype("Int64").mask(small)
    frame[e["amount_sek"]] = frame[e["amount_sek"]].astype("Float64").mask(small)
    frame.index.name = e["period"]
    return frame


def end_reasons_by_measure(
    data: Registers, *, min_cell: int = DEFAULT_MIN_CELL, lang: str = "sv"
) -> pd.DataFrame:
    """Ended participations per measure and end reason, with totals."""
    p = data.tables["participations"]
    names = _measure_names(data)
    measure = p["measure_id"].astype(str).map(lambda m: names.get(m, m))
    reason = p["end_reason"].astype(str).map(lambda r: label(lang, "end_reasons", r))
    e = words(lang)["explore"]
    names = (e["measure"], words(lang)["columns"]["reason"])
    return _protected_crosstab(measure, reason, min_cell, e["total"], names=names)
