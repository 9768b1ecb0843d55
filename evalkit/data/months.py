"""Month arithmetic in one place: months as integers ``year * 12 + month - 1``.

Consecutive months differ by one, so windows ("the 12 months before start") are integer ranges
in pandas, NumPy and SQL alike. Every layer that counts months uses these functions.
"""

from __future__ import annotations

import re
from datetime import date

import numpy as np
import pandas as pd

_MONTH_TEXT = re.compile(r"^\s*(\d{4})-(\d{1,2})(?:-\d{1,2})?\s*$")


def month_number(value: str | date | pd.Timestamp) -> int:
    """'YYYY-MM', 'YYYY-MM-DD', a date or a Timestamp -> ``year * 12 + month - 1``.

    Raises ``ValueError`` for anything that is not a month, so callers can name the key.
    """
    if isinstance(value, (pd.Timestamp, date)):
        return int(value.year) * 12 + int(value.month) - 1
    match = _MONTH_TEXT.match(str(value))
    if not match or not 1 <= int(match.group(2)) <= 12:
        raise ValueError(f"'{value}' is not a month (YYYY-MM)")
    return int(match.group(1)) * 12 + int(match.group(2)) - 1


def month_label(number: int | float) -> str:
    """A month number as 'YYYY-MM'."""
    n = int(number)
    return f"{n // 12:04d}-{n % 12 + 1:02d}"


def month_start(number: int) -> date:
    """The first day of a month number."""
    n = int(number)
    return date(n // 12, n % 12 + 1, 1)


def month_end(value: str | date | pd.Timestamp | int) -> date:
    """The last day of a month (a month number, 'YYYY-MM', a date or a Timestamp)."""
    n = int(value) if isinstance(value, (int, np.integer)) else month_number(value)
    return (pd.Timestamp(month_start(n)) + pd.offsets.MonthEnd(0)).date()


def add_months(value: str | date | pd.Timestamp, months: int) -> date:
    """The first day of the month ``months`` after the month of ``value``."""
    return month_start(month_number(value) + int(months))


def month_numbers(values: pd.Series) -> np.ndarray:
    """Vectorised ``month_number`` of a date, timestamp or ISO-text column (NaN where missing).

    Unparseable values become NaN too; callers that must reject them compare missingness before
    and after.
    """
    parsed = pd.to_datetime(values, errors="coerce")
    return (parsed.dt.year * 12 + parsed.dt.month - 1).to_numpy(dtype="float64", na_value=np.nan)


def month_dates(numbers: np.ndarray) -> np.ndarray:
    """Month numbers -> ``datetime64[D]`` of the first day of each month."""
    return (
        (np.asarray(numbers, dtype=np.int64) - 1970 * 12)
        .astype("datetime64[M]")
        .astype("datetime64[D]")
    )


def month_number_sql(column: str) -> str:
    """DuckDB SQL for the month number of a date, timestamp or ISO-text column."""
    return f'(year(CAST("{column}" AS DATE)) * 12 + month(CAST("{column}" AS DATE)) - 1)'
