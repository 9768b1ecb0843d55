"""The evalkit error hierarchy: typed errors whose fields say exactly what went wrong.

Messages never contain personal data: they name files, tables, columns, rules and row counts.
"""

from __future__ import annotations


class EvalkitError(Exception):
    """Base class for every error evalkit raises on purpose."""


class ParamsError(EvalkitError):
    """A params file is invalid: names the file and the key."""

    def __init__(self, message: str, *, file: str | None = None, key: str | None = None):
        self.file = file
        self.key = key
        where = ", ".join(
            p for p in (f"file {file}" if file else "", f"key '{key}'" if key else "") if p
        )
        super().__init__(f"{message} ({where})" if where else message)


class DataError(EvalkitError):
    """Input data break a rule that makes analysis meaningless."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        table: str | None = None,
        column: str | None = None,
        rule: str | None = None,
        count: int | None = None,
    ):
        self.file = file
        self.table = table
        self.column = column
        self.rule = rule
        self.count = count
        parts = [
            f"file {file}" if file else "",
            f"table '{table}'" if table else "",
            f"column '{column}'" if column else "",
            f"rule {rule}" if rule else "",
            f"{count} rows" if count is not None else "",
        ]
        where = ", ".join(p for p in parts if p)
        super().__init__(f"{message} ({where})" if where else message)


class MissingTableError(DataError):
    """A required register table is absent from the source."""


class MissingColumnError(DataError):
    """A required column is absent from a table."""


class PseudonymKeyError(EvalkitError):
    """EVALKIT_PSEUDONYM_KEY is not set although personnummer must be pseudonymised."""


class EstimationError(EvalkitError):
    """An estimator cannot produce a valid estimate on the data it was given."""

    def __init__(self, message: str, *, estimator: str | None = None, outcome: str | None = None):
        self.estimator = estimator
        self.outcome = outcome
        where = ", ".join(
            p
            for p in (
                f"estimator {estimator}" if estimator else "",
                f"outcome {outcome}" if outcome else "",
            )
            if p
        )
        super().__init__(f"{message} ({where})" if where else message)


class InsufficientDataError(EstimationError):
    """Too few treated or control units (or too few in a cell) for a meaningful estimate."""


class RunError(EvalkitError):
    """Running a measure's notebook failed; carries the measure and the stage."""

    def __init__(self, message: str, *, measure_id: str | None = None, stage: str | None = None):
        self.measure_id = measure_id
        self.stage = stage
        super().__init__(message)
