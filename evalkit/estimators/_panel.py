"""The shared input normaliser of the panel estimators: checks a long panel and reshapes it.

Every panel estimator (did, twfe, event_study, cs_did) validates its frame here, so that bad
input fails the same way everywhere: an ``InputError`` (the type every estimator raises for bad
input, see ``columns.py``) naming the table, column, rule and row count, never a value.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from evalkit.estimators import columns as columns_module
from evalkit.estimators.columns import Where, encode_covariates
from evalkit.estimators.input_error import InputError

TABLE = "panel"


@dataclass(frozen=True)
class WidePanel:
    """A balanced panel in wide form: one row per unit, one column per period."""

    units: np.ndarray  # (n,) unit identifiers, sorted
    periods: np.ndarray  # (T,) sorted distinct periods
    y: np.ndarray  # (n, T) outcome
    cohort: np.ndarray  # (n,) first treated period, 0 = never treated
    x: np.ndarray  # (n, p) time-invariant covariates (p may be 0)
    weights: np.ndarray  # (n,) unit weights (ones when none given)
    covariates: tuple[str, ...]
    months: bool = False  # periods are month numbers from month dates (label with month_label)

    def label(self, period: float) -> int | float | str:
        """How a period is reported: 'YYYY-MM' for month dates, else the plain number."""
        if self.months:
            return month_label(period)
        return period.item() if hasattr(period, "item") else period

    @property
    def n(self) -> int:
        """Number of units."""
        return len(self.units)


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str | None], *, table: str = TABLE
) -> None:
    """Raise ``MissingInputColumnError`` (a ``MissingColumnError``) naming the first absent column."""
    columns_module.require_columns(frame, columns, Where(table))


def numeric_column(
    frame: pd.DataFrame, column: str, *, table: str = TABLE, allow_missing: bool = False
) -> np.ndarray:
    """A column as float64; ``InputError`` for non-numeric or (unless allowed) missing values."""
    return columns_module.numeric_column(frame, column, Where(table), allow_missing=allow_missing)


def covariate_matrix(
    frame: pd.DataFrame, covariates: Sequence[str], *, table: str = TABLE
) -> tuple[np.ndarray, list[str]]:
    """Covariates as a float matrix, text ones as ``x=level`` indicators; missing values refused."""
    encoded = encode_covariates(frame, covariates, Where(table), allow_missing=False)
    return encoded.matrix, encoded.names


def is_month_column(series: pd.Series) -> bool:
    """Whether a column holds months as dates (datetime, or text such as '2021-03' / '2021-03-01')."""
    if pd.api.types.is_datetime64_any_dtype(series):
        return True
    if not (pd.api.types.is_string_dtype(series) or series.dtype == object):
        return False
    sample = series.dropna().astype(str)
    sample = sample[~sample.isin(["", "0"])].head(50)
    return bool(len(sample)) and bool(sample.str.fullmatch(r"\d{4}-\d{2}(-\d{2})?.*").all())


def month_numbers(
    series: pd.Series, column: str, *, table: str = TABLE, allow_missing: bool = False
) -> np.ndarray:
    """Months as consecutive numbers (year·12 + month − 1); '', '0' and missing become NaN."""
    text = series.astype("string")
    blank = series.isna() | text.isin(["", "0"]).fillna(False).to_numpy(dtype=bool)
    parsed = pd.to_datetime(series.where(~blank), errors="coerce", format="mixed")
    bad = parsed.isna() & ~blank
    if bad.any():
        raise InputError(
            "values are not months", table=table, column=column, rule="month", count=int(bad.sum())
        )
    if not allow_missing and blank.any():
        raise InputError(
            "values are missing",
            table=table,
            column=column,
            rule="not_missing",
            count=int(blank.sum()),
        )
    out = (parsed.dt.year * 12 + parsed.dt.month - 1).to_numpy(dtype="float64", na_value=np.nan)
    return out


def month_label(number: float) -> str:
    """A month number of ``month_numbers`` as 'YYYY-MM'."""
    n = int(number)
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def period_column(
    frame: pd.DataFrame, column: str, *, table: str = TABLE
) -> tuple[np.ndarray, bool]:
    """Periods as numbers, and whether they are months given as dates (then month numbers)."""
    if is_month_column(frame[column]):
        return month_numbers(frame[column], column, table=table), True
    return numeric_column(frame, column, table=table), False


def cohort_column(
    frame: pd.DataFrame, column: str, *, table: str = TABLE, months: bool = False
) -> np.ndarray:
    """Return the first-treated period per row as int64; 0 or empty means never treated.

    With ``months`` (the time column holds month dates) the cohort must be a month date too.
    """
    if months:
        if (
            not is_month_column(frame[column])
            and numeric_column(frame, column, table=table, allow_missing=True).any()
        ):
            raise InputError(
                "cohort must be a month like the time column ('YYYY-MM'), or 0/empty for never treated",
                table=table,
                column=column,
                rule="cohort_month",
            )
        values = month_numbers(frame[column], column, table=table, allow_missing=True)
        return np.where(np.isnan(values), 0.0, values).astype("int64")
    if is_month_column(frame[column]):
        raise InputError(
            "cohort is a month date but the time column is not",
            table=table,
            column=column,
            rule="cohort_month",
        )
    values = numeric_column(frame, column, table=table, allow_missing=True)
    values = np.where(np.isnan(values), 0.0, values)
    if np.any(values < 0) or np.any(values != np.round(values)):
        count = int(np.sum((values < 0) | (values != np.round(values))))
        raise InputError(
            "cohort must be a whole period number, 0 or empty for never treated",
            table=table,
            column=column,
            rule="cohort_integer",
            count=count,
        )
    return values.astype("int64")


def check_unique_keys(frame: pd.DataFrame, unit: str, time: str, *, table: str = TABLE) -> None:
    """Raise InputError when a (unit, time) pair occurs more than once."""
    dup = frame.duplicated([unit, time], keep="first")
    if dup.any():
        raise InputError(
            f"duplicate ({unit}, {time}) rows",
            table=table,
            column=unit,
            rule="unique_unit_time",
            count=int(dup.sum()),
        )


def _constant_within_unit(
    codes: np.ndarray, values: np.ndarray, n_units: int, column: str, table: str
) -> np.ndarray:
    """Return one value per unit, raising InputError if the column varies within a unit."""
    first = np.full(n_units, np.nan)
    # the first row of each unit is its value; any disagreeing row is an error
    order = np.argsort(codes, kind="stable")
    codes_sorted, values_sorted = codes[order], values[order]
    starts = np.r_[0, np.flatnonzero(np.diff(codes_sorted)) + 1]
    first[codes_sorted[starts]] = values_sorted[starts]
    differs = first[codes] != values
    if np.any(differs):
        n_bad = len(np.unique(codes[differs]))
        raise InputError(
            f"column must be constant within each unit; it varies within {n_bad} units "
            "(count: rows that differ from the unit's first row)",
            table=table,
            column=column,
            rule="time_invariant",
            count=int(differs.sum()),
        )
    return first


def to_wide(
    frame: pd.DataFrame,
    outcome: str,
    *,
    unit: str,
    time: str,
    cohort: str,
    covariates: Sequence[str] = (),
    weights: str | None = None,
    table: str = TABLE,
) -> WidePanel:
    """Check a long panel and return it wide; unbalanced panels are refused with a count of units."""
    covariates = tuple(covariates)
    require_columns(frame, [unit, time, cohort, outcome, *covariates, weights], table=table)
    if len(frame) == 0:
        raise InputError("the panel has no rows", table=table, rule="not_empty", count=0)
    check_unique_keys(frame, unit, time, table=table)
    t, months = period_column(frame, time, table=table)
    y = numeric_column(frame, outcome, table=table, allow_missing=True)
    g = cohort_column(frame, cohort, table=table, months=months).astype("float64")
    units, ucode = np.unique(frame[unit].to_numpy(dtype=object).astype(str), return_inverse=True)
    periods, tcode = np.unique(t, return_inverse=True)
    n, T = len(units), len(periods)
    counts = np.bincount(ucode, minlength=n)
    if np.any(counts != T):
        n_bad = int(np.sum(counts != T))
        raise InputError(
            f"unbalanced panel: {n_bad} units are missing at least one of the {T} periods; "
            "balance the panel (or drop those units) before estimating (count: those units' rows)",
            table=table,
            column=time,
            rule="balanced_panel",
            count=int(counts[counts != T].sum()),
        )
    if np.isnan(y).any():
        n_bad = len(np.unique(ucode[np.isnan(y)]))
        raise InputError(
            f"unbalanced panel: {n_bad} units have a missing outcome in at least one period; "
            "balance the panel (or drop those units) before estimating (count: missing values)",
            table=table,
            column=outcome,
            rule="balanced_panel",
            count=int(np.isnan(y).sum()),
        )
    wide = np.empty((n, T))
    wide[ucode, tcode] = y
    g_unit = _constant_within_unit(ucode, g, n, cohort, table).astype("int64")
    encoded = encode_covariates(frame, covariates, Where(table), allow_missing=False)
    x = np.empty((n, encoded.matrix.shape[1]))
    for j, source in enumerate(encoded.sources):
        x[:, j] = _constant_within_unit(ucode, encoded.matrix[:, j], n, source, table)
    if weights is not None:
        wv = _constant_within_unit(
            ucode, numeric_column(frame, weights, table=table), n, weights, table
        )
        if np.any(wv <= 0):
            raise InputError(
                "weights must be positive",
                table=table,
                column=weights,
                rule="positive",
                count=int(np.sum(wv <= 0)),
            )
    else:
        wv = np.ones(n)
    if np.all(periods == np.round(periods)):
        periods = periods.astype("int64")
    return WidePanel(units, periods, wide, g_unit, x, wv, tuple(encoded.names), months)
