"""The one error type for input an estimator cannot use, shared by every estimator.

``InputError`` is both a ``DataError`` (it names the table, column, rule and row count) and an
``EstimationError`` (it names the estimator and outcome), so that callers catching either keep
working and every estimator fails the same way on the same bad input. Messages name columns and
counts, never a value from the data.
"""

from __future__ import annotations

from evalkit.errors import DataError, EstimationError, EvalkitError, MissingColumnError


class InputError(DataError, EstimationError):
    """Input data an estimator cannot use: which estimator, outcome, table, column, rule, rows."""

    def __init__(
        self,
        message: str,
        *,
        estimator: str | None = None,
        outcome: str | None = None,
        table: str | None = None,
        column: str | None = None,
        rule: str | None = None,
        count: int | None = None,
    ):
        self.estimator = estimator
        self.outcome = outcome
        self.file = None
        self.table = table
        self.column = column
        self.rule = rule
        self.count = count
        parts = [
            f"estimator {estimator}" if estimator else "",
            f"outcome {outcome}" if outcome else "",
            f"table '{table}'" if table else "",
            f"column '{column}'" if column else "",
            f"rule {rule}" if rule else "",
            f"{count} rows" if count is not None else "",
        ]
        where = ", ".join(p for p in parts if p)
        EvalkitError.__init__(self, f"{message} ({where})" if where else message)


class MissingInputColumnError(InputError, MissingColumnError):
    """A column an estimator needs is absent (rule ``column_present``)."""
