"""Column checks and the one covariate encoder shared by every estimator.

Cross-sectional (``_inputs``), panel (``_panel``), stacked (``dynamic_matching``) inputs and the
balance table all read columns here, so the same bad input raises the same ``InputError`` with
the same rule everywhere, and a text covariate becomes the same 0/1 columns named ``x=level``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from evalkit.estimators.input_error import InputError, MissingInputColumnError


@dataclass(frozen=True)
class Where:
    """Who reads the data, for error messages: table, estimator and outcome."""

    table: str = "data"
    estimator: str | None = None
    outcome: str | None = None

    def error(
        self, message: str, *, column: str | None = None, rule: str, count: int | None = None
    ) -> InputError:
        """An ``InputError`` naming this reader and the column, rule and row count."""
        return InputError(
            message,
            estimator=self.estimator,
            outcome=self.outcome,
            table=self.table,
            column=column,
            rule=rule,
            count=count,
        )


def require_columns(
    frame: pd.DataFrame, columns: Sequence[str | None], where: Where = Where()
) -> None:
    """Raise ``MissingInputColumnError`` naming the first absent column (None entries skipped)."""
    if not isinstance(frame, pd.DataFrame):
        raise where.error(
            f"input must be a pandas DataFrame, got {type(frame).__name__}", rule="dataframe"
        )
    for column in columns:
        if column is not None and column not in frame.columns:
            raise MissingInputColumnError(
                f"column '{column}' is missing from the data",
                estimator=where.estimator,
                outcome=where.outcome,
                table=where.table,
                column=column,
                rule="column_present",
            )


def as_numbers(series: pd.Series) -> pd.Series | None:
    """The column as numbers: numeric or boolean dtype, or text whose every value parses; else None.

    Categorical dtypes are never numbers (the user declared the levels).
    """
    if isinstance(series.dtype, pd.CategoricalDtype):
        return None
    if pd.api.types.is_bool_dtype(series):
        return series.astype("float64")
    if pd.api.types.is_numeric_dtype(series):
        return series
    parsed = pd.to_numeric(series, errors="coerce")
    if int(parsed.notna().sum()) == int(series.notna().sum()):
        return parsed
    return None


def numeric_column(
    frame: pd.DataFrame, column: str, where: Where = Where(), *, allow_missing: bool = False
) -> np.ndarray:
    """A column as float64; text that is not a number is an error, and so are missing values
    unless ``allow_missing`` (then NaN)."""
    series = frame[column]
    number = as_numbers(series)
    if number is None:
        parsed = pd.to_numeric(series, errors="coerce")
        bad = int((parsed.isna() & series.notna()).sum())
        raise where.error(
            f"column '{column}' is not numeric ({series.dtype})",
            column=column,
            rule="numeric",
            count=bad,
        )
    values = number.to_numpy(dtype="float64", na_value=np.nan)
    if not allow_missing:
        missing = int(np.isnan(values).sum())
        if missing:
            raise where.error(
                f"column '{column}' has {missing} missing values",
                column=column,
                rule="not_missing",
                count=missing,
            )
    return values


def binary_column(frame: pd.DataFrame, column: str, where: Where = Where()) -> np.ndarray:
    """A 0/1 (or boolean) column as float64; missing or other values are an error with a count."""
    values = numeric_column(frame, column, where)
    bad = int((~np.isin(values, (0.0, 1.0))).sum())
    if bad:
        raise where.error(
            f"column '{column}' must be 0/1; {bad} rows have other values",
            column=column,
            rule="binary",
            count=bad,
        )
    return values


@dataclass(frozen=True)
class Encoded:
    """Covariates as a float matrix, with where each column came from."""

    matrix: np.ndarray  # (n, k); NaN where the source value is missing
    names: list[str]  # 'x' for a number, 'x=level' for an indicator
    sources: list[str]  # the covariate each column came from
    missing: np.ndarray  # (n,) rows with any missing (or non-finite) covariate
    notes: list[str] = field(default_factory=list)


def encode_covariates(
    frame: pd.DataFrame,
    covariates: Sequence[str],
    where: Where = Where(),
    *,
    drop_first: bool = True,
    allow_missing: bool = True,
) -> Encoded:
    """Covariates as floats; a text/categorical column becomes one 0/1 column ``x=level`` per level.

    Levels are sorted as text; with ``drop_first`` the first level is the reference and has no
    column. A missing (or infinite) value makes the row's entries NaN and marks the row in
    ``missing``; with ``allow_missing=False`` it is an ``InputError`` (rule ``not_missing``).
    """
    require_columns(frame, covariates, where)
    columns: list[np.ndarray] = []
    names: list[str] = []
    sources: list[str] = []
    notes: list[str] = []
    missing = np.zeros(len(frame), dtype=bool)
    for name in covariates:
        series = frame[name]
        number = as_numbers(series)
        if number is not None:
            values = number.to_numpy(dtype="float64", na_value=np.nan)
            bad = ~np.isfinite(values)
            values = np.where(bad, np.nan, values)
            columns.append(values)
            names.append(name)
            sources.append(name)
        else:
            bad = series.isna().to_numpy()
            levels = sorted(series.dropna().astype(str).unique())
            text = series.astype(str).to_numpy()
            for level in levels[1:] if drop_first else levels:
                indicator = (text == level).astype("float64")
                indicator[bad] = np.nan
                columns.append(indicator)
                names.append(f"{name}={level}")
                sources.append(name)
            kept = len(levels) - 1 if drop_first else len(levels)
            notes.append(f"covariate '{name}' encoded as {max(kept, 0)} indicator(s)")
        if bad.any() and not allow_missing:
            count = int(bad.sum())
            raise where.error(
                f"column '{name}' has {count} missing values",
                column=name,
                rule="not_missing",
                count=count,
            )
        missing |= bad
    matrix = np.column_stack(columns) if columns else np.empty((len(frame), 0))
    return Encoded(matrix, names, sources, missing, notes)
