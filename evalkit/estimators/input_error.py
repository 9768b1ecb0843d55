"""The one error type for input an estimator cannot use, shared by every estimator.

``InputError`` is both a ``DataError`` (it names the table, column, rule and row count) and an
``EstimationError`` (it names the estimator and outcome), so that callers catching either keep
working and every estimator fails the same way on the same bad input. Messages name columns and
counts, never a value from the data.
"""

from __future__ import annotations

from evalkit.errors import DataError, EstimationError, MissingColumnError


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
        who = ", ".join(
            part
            for part in (
                f"estimator {estimator}" if estimator else "",
                f"outcome {outcome}" if outcome else "",
            )
            if part
        )
        DataError.__init__(
            self,
            f"{message} [{who}]" if who else message,
            table=table,
            column=column,
            rule=rule,
            count=count,
        )
        # set after: DataError.__init__ reaches EstimationError.__init__, which resets them
        self.estimator = estimator
        self.outcome = outcome


class MissingInputColumnError(InputError, MissingColumnError):
    """A column an estimator needs is absent (rule ``column_present``)."""
