"""The same estimator within each level of a subgroup variable, as one table."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
import pandas as pd

from evalkit.errors import EstimationError
from evalkit.estimators import resolve
from evalkit.estimators.result import EffectResult, _clean

#: Flags of subgroup rows: too few treated or controls to estimate, or the estimator failed.
FLAG_TOO_SMALL = "too_small"
FLAG_FAILED = "failed"

COLUMNS = (
    "outcome",
    "estimator",
    "subgroup",
    "level",
    "estimate",
    "se",
    "ci_low",
    "ci_high",
    "p_value",
    "n_treated",
    "n_control",
    "flag",
)


def _plain(value: Any) -> Any:
    """A numpy scalar as a plain Python value (JSON-safe levels)."""
    return value.item() if isinstance(value, np.generic) else value


def subgroups(
    estimator: str | Callable[..., EffectResult],
    frame: pd.DataFrame,
    outcome: str,
    by: str,
    treatment: str = "treated",
    covariates: Sequence[str] = (),
    *,
    min_n: int = 20,
    **options: Any,
) -> pd.DataFrame:
    """One row per level of ``by``: the estimate within it, or a flag instead of an estimate.

    A level with fewer than ``min_n`` treated or ``min_n`` controls (rows with an outcome) is
    flagged ``too_small`` and not estimated; a level where the estimator raises an
    ``EstimationError`` is flagged ``failed``. Rows with a missing ``by`` are not in any level.
    Columns: outcome, estimator, subgroup, level, estimate, se, ci_low, ci_high, p_value,
    n_treated, n_control, flag (None when estimated). ``by`` is removed from the covariates.
    """
    name, fn = resolve(estimator)
    for column in (by, outcome, treatment):
        if column not in frame.columns:
            raise EstimationError(
                f"column '{column}' is missing from the data", estimator=name, outcome=outcome
            )
    covariates = tuple(c for c in covariates if c != by)
    rows: list[dict[str, Any]] = []
    has_y = frame[outcome].notna()
    for level, part in frame[frame[by].notna()].groupby(by, sort=True, observed=True):
        level = _plain(level[0] if isinstance(level, tuple) else level)
        with_y = part[has_y.loc[part.index]]
        n_t = int((with_y[treatment] == 1).sum())
        n_c = int((with_y[treatment] == 0).sum())
        row: dict[str, Any] = dict.fromkeys(COLUMNS)
        row.update(
            outcome=outcome, estimator=name, subgroup=by, level=level, n_treated=n_t, n_control=n_c
        )
        if n_t < min_n or n_c < min_n:
            row["flag"] = FLAG_TOO_SMALL
        else:
            try:
                r = fn(part, outcome, treatment, covariates, **options)
            except EstimationError:
                row["flag"] = FLAG_FAILED
            else:
                row.update(
                    estimate=r.estimate,
                    se=r.se,
                    ci_low=r.ci_low,
                    ci_high=r.ci_high,
                    p_value=r.p_value,
                    n_treated=r.n_treated,
                    n_control=r.n_control,
                )
        rows.append(row)
    out = pd.DataFrame(rows, columns=list(COLUMNS))
    for column in ("estimate", "se", "ci_low", "ci_high", "p_value"):
        out[column] = out[column].astype(float)
    out["flag"] = pd.Series([r["flag"] for r in rows], index=out.index, dtype=object)
    out["level"] = pd.Series([r["level"] for r in rows], index=out.index, dtype=object)
    return out


def subgroup_records(table: pd.DataFrame) -> list[dict[str, Any]]:
    """The table as JSON-safe dicts (NaN as None): the results-dict ``subgroups`` entries."""
    return [_clean(row) for row in table.to_dict(orient="records")]
