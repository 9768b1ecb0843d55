"""Statistical disclosure control: small counts, small denominators, totals that give cells away.

Rules (quoted by the report's method appendix):

1. **Small counts.** A count ``n`` with ``0 < n < min_cell`` (default ``min_cell = 5``) is
   suppressed. Zero is shown: an empty cell names no one.
2. **Small denominators.** A share whose denominator is under ``2 * min_cell`` is suppressed,
   and so is its numerator. A share is also suppressed when its numerator or its complement
   (denominator minus numerator) is a suppressed count, because the shown denominator would give
   the count away.
3. **Secondary suppression.** In a table with totals, no row or column (totals included) may hold
   exactly one suppressed cell, since it could be recovered as total minus the shown cells. Until
   none does, the smallest shown cell of such a line is suppressed as well (an inner cell before
   the total; a non-zero cell before a zero). A list of counts that adds up to a shown total (end
   reasons against the number of participants, histogram bins against the sample size, the
   levels of one subgroup variable or the cohorts of group-time cells against the sample size)
   is treated as one such line; a sample split into treated and control whose sum is shown as
   the number eligible hides that sum when one part is hidden. Across tables: the follow-up's
   exit row (a sum of end reasons) hides its count when a work-or-study end reason is hidden,
   and its denominator when the ongoing count is hidden.
   ``feasible_ranges`` audits a protected table exactly: by linear programming it finds the
   least and greatest value each hidden cell could take given everything shown; the tests
   check that no primary cell of many random tables is pinned down.
4. **Rare categories** are merged into ``other`` until every category has at least ``min_cell``
   members (``merge_rare``).
5. **Estimates on fewer than ``min_cell`` treated or control units** (subgroups, group-time
   cells) are suppressed with their counts: the mean of a handful of people describes those
   people.
6. **Statistics of a 0/1 outcome are shares.** The mean of a 0/1 outcome (work or studies) in a
   group of n people is a count divided by n, so rule 2 applies to every estimate of such an
   outcome, its interval, SE and p-value: hidden when its treated or control group (matching:
   the controls it used) has fewer than ``2 * min_cell`` people (Mentorprogram's 5 participants
   with 60 % in work is 3 people). A group mean in an estimate's details that is a small count,
   or leaves one, is hidden, and with it the unadjusted difference (its comparison mean
   describes a large group that a reader can know). The same holds for placebo estimates, for
   balance (every SMD when the treated group is under ``2 * min_cell``; the variance ratio of a
   0/1 covariate whose SMD and variance ratio pin a small count) and for the participants'
   shares outside common support.
7. **Derived values** go with the value they derive from: a suppressed lead estimate hides its
   credibility entry's estimate and its agreement and sensitivity values, its sensitivity
   block, the goal values it measures, and the cost per additional person in work or studies
   and the tax revenue built on it.

In a table a suppressed value is ``<NA>`` (nullable integer / float). In results it is ``None``
(JSON ``null``), and ``results.disclosure.suppressed`` lists the path of every value that was
suppressed (e.g. ``followup.shares[1].n_in_work_or_study``), so a reader can tell a suppressed
value from one that was never computed, and ``results.disclosure.reasons`` says why (``REASONS``).

``protect(results)`` turns ``MeasureResults`` into ``ProtectedResults``, the only type the report
layer and the results file accept: disclosure control runs once, where results leave the
pipeline, and nothing unprotected can reach a page or a file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

import pandas as pd
from scipy.optimize import linprog

from evalkit.data.schema import WORK_OR_STUDY_END_REASON
from evalkit.errors import DataError
from evalkit.results import (
    DISCLOSURE_CONTROL,
    Estimate,
    MeasureResults,
    ProtectedResults,
    lead_of,
)

#: Smallest count shown in any table or plot.
DEFAULT_MIN_CELL = 5
#: Label of the category rare categories are merged into.
OTHER = "other"


def _is_number(value: Any) -> bool:
    """True for a finite int or float (not bool, not None)."""
    if isinstance(value, bool) or value is None:
        return False
    try:
        return math.isfinite(float(value))
    except (TypeError, ValueError):
        return False


def _check_min_cell(min_cell: int) -> None:
    """Reject a threshold that would switch protection off."""
    if not isinstance(min_cell, int) or isinstance(min_cell, bool) or min_cell < 1:
        raise DataError(f"min_cell must be a positive integer, got {min_cell!r}", rule="min_cell")


def is_small(n: Any, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """Whether a count must be suppressed (rule 1: ``0 < n < min_cell``)."""
    return _is_number(n) and 0 < float(n) < min_cell


def share_allowed(denominator: Any, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """Whether a share over ``denominator`` may be shown (rule 2: ``denominator >= 2 * min_cell``)."""
    return _is_number(denominator) and float(denominator) >= 2 * min_cell


def suppress_count(n: Any, min_cell: int = DEFAULT_MIN_CELL) -> Any:
    """The count, or ``None`` when it is small (rule 1)."""
    return None if is_small(n, min_cell) else n


def suppress_share(share: Any, denominator: Any, min_cell: int = DEFAULT_MIN_CELL) -> Any:
    """The share, or ``None`` when its denominator is under ``2 * min_cell`` (rule 2)."""
    return share if share_allowed(denominator, min_cell) else None


# --- secondary suppression -------------------------------------------------------------------


def complete_line(
    values: Sequence[Any], suppressed: set[int], *, total_index: int | None
) -> int | None:
    """Index of the cell to suppress next in one additive line, or None if the line is safe.

    A line is safe when it holds no suppressed cell or at least two. Otherwise the smallest shown
    inner cell (non-zero first) is chosen, and the total only when no inner cell is left.
    """
    if len(suppressed) != 1:
        return None
    inner = [
        i
        for i in range(len(values))
        if i != total_index and i not in suppressed and _is_number(values[i])
    ]
    if inner:
        return min(inner, key=lambda i: (float(values[i]) == 0, float(values[i]), i))
    if total_index is not None and total_index not in suppressed:
        return total_index
    return None


def secondary_mask(table: pd.DataFrame, primary: pd.DataFrame, *, margins: bool) -> pd.DataFrame:
    """Extend a primary suppression mask so no row or column has exactly one suppressed cell.

    With ``margins`` the last row and column of ``table`` are totals of the others.
    """
    values = table.to_numpy(dtype=float, na_value=math.nan)
    mask = primary.to_numpy(dtype=bool).copy()
    n_rows, n_cols = values.shape
    changed = True
    while changed:
        changed = False
        for r in range(n_rows):
            hit = {c for c in range(n_cols) if mask[r, c]}
            pick = complete_line(list(values[r]), hit, total_index=n_cols - 1 if margins else None)
            if pick is not None:
                mask[r, pick] = True
                changed = True
        for c in range(n_cols):
            hit = {r for r in range(n_rows) if mask[r, c]}
            pick = complete_line(
                list(values[:, c]), hit, total_index=n_rows - 1 if margins else None
            )
            if pick is not None:
                mask[pick, c] = True
                changed = True
    return pd.DataFrame(mask, index=table.index, columns=table.columns)


def suppress_table(
    counts: pd.DataFrame,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    margins: bool = True,
    total_label: str = "total",
) -> pd.DataFrame:
    """A cross-table of counts with totals added and rules 1 and 3 applied; suppressed = ``<NA>``.

    ``counts`` holds only inner cells; with ``margins`` a total row and column are appended first,
    so that the secondary suppression protects the cells against them.
    """
    _check_min_cell(min_cell)
    if counts.empty:
        return counts.astype("Int64")
    bad = [c for c in counts.columns if not pd.api.types.is_numeric_dtype(counts[c])]
    if bad:
        raise DataError("count table has non-numeric columns", column=str(bad[0]), rule="counts")
    table = counts.copy()
    if margins:
        table[total_label] = table.sum(axis=1)
        table.loc[total_label] = table.sum(axis=0)
    primary = table.map(lambda v: is_small(v, min_cell))
    mask = secondary_mask(table, primary, margins=margins)
    return table.astype("Int64").mask(mask)


def feasible_ranges(
    table: pd.DataFrame, *, margins: bool = True
) -> dict[tuple[Any, Any], tuple[float, float]]:
    """For each hidden (``<NA>``) inner cell, the least and greatest value consistent with the shown.

    Every hidden cell, margins included, is an unknown >= 0; every row and column (with
    ``margins``: inner cells sum to the last cell of the line) is an equation; shown cells are
    fixed. Two linear programmes per hidden inner cell give its range. A range of zero width
    means the cell can be recovered: an audit of rule 3.
    """

    values = table.to_numpy(dtype=float, na_value=math.nan)
    n_rows, n_cols = values.shape
    unknown = [(r, c) for r in range(n_rows) for c in range(n_cols) if math.isnan(values[r, c])]
    inner = [(r, c) for r, c in unknown if not margins or (r < n_rows - 1 and c < n_cols - 1)]
    if not inner:
        return {}
    index = {cell: k for k, cell in enumerate(unknown)}
    a_eq: list[list[float]] = []
    b_eq: list[float] = []
    if margins:
        lines = [([(r, c) for c in range(n_cols - 1)], (r, n_cols - 1)) for r in range(n_rows)] + [
            ([(r, c) for r in range(n_rows - 1)], (n_rows - 1, c)) for c in range(n_cols)
        ]
        for cells, total in lines:
            row = [0.0] * len(unknown)
            rhs = 0.0
            for cell, sign in [*((cell, 1.0) for cell in cells), (total, -1.0)]:
                if cell in index:
                    row[index[cell]] += sign
                else:
                    rhs -= sign * values[cell]
            if any(row):
                a_eq.append(row)
                b_eq.append(rhs)
    out = {}
    for cell in inner:
        k = index[cell]
        found = []
        for sign in (1.0, -1.0):
            cost = [0.0] * len(unknown)
            cost[k] = sign
            res = linprog(
                cost, A_eq=a_eq or None, b_eq=b_eq or None, bounds=(0, None), method="highs"
            )
            found.append(sign * res.fun if res.status == 0 else (0.0 if sign > 0 else math.inf))
        out[(table.index[cell[0]], table.columns[cell[1]])] = (found[0], found[1])
    return out


def suppress_line(
    values: Sequence[Any], min_cell: int = DEFAULT_MIN_CELL, *, total_known: bool = True
) -> tuple[list[Any], list[int]]:
    """Apply rules 1 and 3 to counts that add up to a shown total; return (values, suppressed indices).

    With ``total_known`` a single suppressed count would be recoverable, so the next smallest is
    suppressed too. The total itself is not in ``values``; when only one count exists and it is
    small, the caller must suppress the total.
    """
    _check_min_cell(min_cell)
    hit = {i for i, v in enumerate(values) if is_small(v, min_cell)}
    if total_known:
        pick = complete_line(list(values), hit, total_index=None)
        if pick is not None:
            hit.add(pick)
    out = [None if i in hit else v for i, v in enumerate(values)]
    return out, sorted(hit)


def suppress_frame(
    df: pd.DataFrame,
    counts: Sequence[str],
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    shares: dict[str, str] | None = None,
    total_known: bool = True,
) -> pd.DataFrame:
    """A display table with rules 1–3 applied column by column; suppressed values are ``<NA>``.

    ``counts`` are count columns whose rows add up to a shown total (so rule 3 applies down each
    column when ``total_known``); ``shares`` maps a share column to its denominator column. A
    share is hidden with a small denominator, and its row's counts' shares with a hidden count.
    """
    _check_min_cell(min_cell)
    missing = [c for c in [*counts, *(shares or {}), *(shares or {}).values()] if c not in df]
    if missing:
        raise DataError("column to protect is missing", column=str(missing[0]), rule="disclosure")
    out = df.copy()
    hidden: dict[str, list[int]] = {}
    for col in counts:
        _, hit = suppress_line(list(out[col]), min_cell, total_known=total_known)
        hidden[col] = hit
        out[col] = (
            out[col].astype("Float64").mask(out.index.isin(out.index[hit])) if hit else out[col]
        )
    for share, denominator in (shares or {}).items():
        small = ~out[denominator].map(lambda v: share_allowed(v, min_cell)).astype(bool)
        rows_hit = set().union(*hidden.values()) if hidden else set()
        by_count = out.index.isin(out.index[sorted(rows_hit)]) if rows_hit else False
        out[share] = out[share].astype("Float64").mask(small | by_count)
    return out


# --- rare categories -------------------------------------------------------------------------


def merge_rare(
    df: pd.DataFrame,
    column: str,
    min_cell: int = DEFAULT_MIN_CELL,
    *,
    count: str | None = None,
    other: str = OTHER,
) -> pd.DataFrame:
    """Merge categories of ``column`` with fewer than ``min_cell`` members into ``other`` (rule 4).

    Members are rows, or the values of a ``count`` column when ``df`` is already aggregated (then
    merged rows are summed). If ``other`` itself stays small, the next smallest category joins it.
    """
    _check_min_cell(min_cell)
    if column not in df.columns:
        raise DataError("column to merge is missing", column=column, rule="merge_rare")
    if count is not None and count not in df.columns:
        raise DataError("count column is missing", column=count, rule="merge_rare")
    labels = df[column].astype("string").fillna(other)
    sizes = (
        df.groupby(labels, dropna=False)[count].sum()
        if count
        else labels.value_counts(dropna=False)
    ).sort_values(kind="stable")
    rare = {str(k) for k, v in sizes.items() if v < min_cell}
    if rare:
        rare.add(other)
    merged_size = sum(v for k, v in sizes.items() if str(k) in rare)
    for key, size in sizes.items():
        if not rare or merged_size >= min_cell:
            break
        if str(key) not in rare:
            rare.add(str(key))
            merged_size += size
    out = df.copy()
    out[column] = labels.where(~labels.isin(rare), other)
    if count is None:
        return out
    keys = [column]
    return out.groupby(keys, as_index=False, sort=False, dropna=False)[count].sum()


# --- results dict ----------------------------------------------------------------------------

#: Why a value was suppressed (``disclosure.reasons`` maps each suppressed path to one of these;
#: the report's wording says each in plain words).
REASONS = {
    "small_count": "rule 1: a count of 1 to min_cell - 1",
    "small_denominator": "rule 2: a share of fewer than 2 * min_cell people",
    "small_numerator": "rule 2: a share whose count or complement is a small count",
    "secondary": "rule 3: would give a suppressed count away through a shown total",
    "small_group": "rule 5: an estimate resting on fewer than min_cell treated or control units",
    "share_of_small_group": "rule 6: a statistic of a 0/1 outcome in a group under 2 * min_cell",
    "derived": "computed from a suppressed value, which it would give away",
}

_ESTIMATE_KEYS = ("estimate", "se", "ci_low", "ci_high", "p_value")


class _Suppressor:
    """Walks a results dict, nulls values and remembers their paths and why."""

    def __init__(self, min_cell: int):
        self.min_cell = min_cell
        self.paths: list[str] = []
        self.reasons: dict[str, str] = {}

    def null(
        self, obj: dict[str, Any] | list[Any], key: Any, path: str, reason: str = "small_count"
    ) -> None:
        """Set ``obj[key]`` to None and record ``path`` (once, and only if it held a value)."""
        if obj[key] is not None:
            obj[key] = None
            self.paths.append(path)
            self.reasons[path] = reason

    def counts(self, obj: dict[str, Any], keys: Iterable[str], path: str) -> list[str]:
        """Rule 1 on each present key; returns the keys suppressed."""
        hit = []
        for key in keys:
            if key in obj and is_small(obj[key], self.min_cell):
                self.null(obj, key, f"{path}.{key}")
                hit.append(key)
        return hit

    def share(self, share: Any, n: Any) -> str | None:
        """Why a share of ``n`` people may not be shown (rule 2), or None when it may."""
        if not share_allowed(n, self.min_cell):
            return "small_denominator"
        if _is_number(share) and gives_small_count(float(share), float(n), self.min_cell):
            return "small_numerator"
        return None

    def estimate(self, row: dict[str, Any], path: str, reason: str) -> None:
        """Null an estimate, its interval, SE and p-value, and the group means behind it."""
        for key in _ESTIMATE_KEYS:
            if key in row:
                self.null(row, key, f"{path}.{key}", reason)
        details = row.get("details")
        if isinstance(details, dict):
            for key in [k for k in details if str(k).startswith("mean_")]:
                self.null(details, key, f"{path}.details.{key}", reason)


def gives_small_count(share: float, n: float, min_cell: int = DEFAULT_MIN_CELL) -> bool:
    """Whether ``share`` of ``n`` people is (or leaves) a count of 1 to ``min_cell - 1``."""
    k = share * n
    return is_small(round(k), min_cell) or is_small(round(n - k), min_cell)


def is_binary_outcome(outcome: Any, binary: set[str] = frozenset()) -> bool:
    """A 0/1 outcome: work or studies (registers mode, placebo and path outcomes included), or
    one the MDE diagnostic found binary (``binary``)."""
    return outcome is not None and ("work_or_study" in str(outcome) or str(outcome) in binary)


def _binary_outcomes(out: dict[str, Any]) -> set[str]:
    """Outcomes whose MDE diagnostic says they are 0/1 (table and panel modes)."""
    diag = out.get("diagnostics") or {}
    found = set()
    head = (out.get("headline") or {}).get("outcome")
    if head and (diag.get("mde") or {}).get("binary") is True:
        found.add(str(head))
    for name, block in (diag.get("by_outcome") or {}).items():
        if ((block or {}).get("mde") or {}).get("binary") is True:
            found.add(str(name))
    return found


def _protect_sample(sup: _Suppressor, sample: dict[str, Any]) -> None:
    """Sample sizes: rule 1, and rule 3 when eligible = treated + control."""
    keys = ("n_treated", "n_control", "n_eligible")
    parts = [sample.get("n_treated"), sample.get("n_control")]
    total = sample.get("n_eligible")
    hit = sup.counts(sample, keys, "sample")
    shown = [_is_number(v) for v in (*parts, total)]
    is_line = all(shown) and float(parts[0]) + float(parts[1]) == float(total)
    if is_line and len([k for k in hit if k != "n_eligible"]) == 1:
        sup.null(sample, "n_eligible", "sample.n_eligible", "secondary")
    _protect_nested_counts(sup, sample, "sample", skip=keys)


def _protect_nested_counts(
    sup: _Suppressor, block: dict[str, Any], path: str, *, skip: tuple[str, ...] = ()
) -> None:
    """Rule 1 on every other ``n_*`` count of the sample (and every integer under an ``n_*`` key).

    Counts by exclusion reason add up to a shown difference (participants in the intake minus
    treated), so rule 3 applies to them as a line.
    """
    for key, value in block.items():
        if key in skip or not str(key).startswith("n_"):
            continue
        if isinstance(value, dict):
            keys = [k for k, v in value.items() if isinstance(v, int) and not isinstance(v, bool)]
            values = [value[k] for k in keys]
            _, hit = suppress_line(values, sup.min_cell, total_known="excluded" in str(key))
            for i in hit:
                reason = "small_count" if is_small(values[i], sup.min_cell) else "secondary"
                sup.null(value, keys[i], f"{path}.{key}.{keys[i]}", reason)
        elif (
            isinstance(value, int) and not isinstance(value, bool) and is_small(value, sup.min_cell)
        ):
            sup.null(block, key, f"{path}.{key}")


def _protect_followup(sup: _Suppressor, followup: dict[str, Any]) -> None:
    """Follow-up: participant count, shares per horizon, end reasons."""
    m = sup.min_cell
    sup.counts(followup, ("n_participants", "n_persons"), "followup")
    for i, row in enumerate(followup.get("shares") or []):
        path = f"followup.shares[{i}]"
        n, k = row.get("n"), row.get("n_in_work_or_study")
        small_n = not share_allowed(n, m)
        complement_small = _is_number(n) and _is_number(k) and is_small(float(n) - float(k), m)
        if small_n or is_small(k, m) or complement_small:
            reason = "small_denominator" if small_n else "small_numerator"
            if "n_in_work_or_study" in row:
                sup.null(row, "n_in_work_or_study", f"{path}.n_in_work_or_study", reason)
            if "share" in row:
                sup.null(row, "share", f"{path}.share", reason)
        sup.counts(row, ("n",), path)
    reasons = followup.get("end_reasons") or []
    values = [r.get("n") for r in reasons]
    total = followup.get("n_participants")
    hidden = {i for i, v in enumerate(values) if v is None}  # hidden before: still a line
    _, hit = suppress_line(values, m, total_known=_is_number(total))
    pick = complete_line(values, hidden | set(hit), total_index=None)
    for i in sorted({*hit, *([pick] if pick is not None else [])}):
        reason = "small_count" if is_small(values[i], m) else "secondary"
        sup.null(reasons[i], "n", f"followup.end_reasons[{i}].n", reason)
        if "share" in reasons[i]:
            sup.null(reasons[i], "share", f"followup.end_reasons[{i}].share", reason)
    if not share_allowed(total, m):
        for i, row in enumerate(reasons):
            if "share" in row:
                sup.null(row, "share", f"followup.end_reasons[{i}].share", "small_denominator")
    _protect_exit_row(sup, followup)


def _protect_exit_row(sup: _Suppressor, followup: dict[str, Any]) -> None:
    """The exit row is a sum of end reasons: hide what would give a hidden end reason away.

    Its denominator is every ended participation (participants minus ``pagaende``), its count
    the work-or-study end reasons.
    """
    hidden = {r.get("reason") for r in followup.get("end_reasons") or [] if r.get("n") is None}
    if not hidden:
        return
    for i, row in enumerate(followup.get("shares") or []):
        if str(row.get("horizon")).strip().lower() != "exit":
            continue
        path = f"followup.shares[{i}]"
        if "pagaende" in hidden and "n" in row:
            sup.null(row, "n", f"{path}.n", "secondary")
        if hidden & set(WORK_OR_STUDY_END_REASON):
            for key in ("n_in_work_or_study", "share"):
                if key in row:
                    sup.null(row, key, f"{path}.{key}", "secondary")


def _partition_key(row: dict[str, Any], name: str) -> tuple[Any, ...] | None:
    """Rows with the same key split one group of people (subgroup levels, cohorts) or None."""
    if name == "subgroups" and row.get("subgroup") is not None:
        return (row.get("outcome"), row.get("estimator"), row.get("subgroup"))
    if name == "estimates" and row.get("group") is not None and row.get("subgroup") is None:
        keys = ("outcome", "estimator", "aggregation", "time", "event_time")
        return tuple(row.get(k) for k in keys)
    return None


def _row_reason(sup: _Suppressor, row: dict[str, Any], binary: set[str]) -> str | None:
    """Rule 6 on one estimate of a 0/1 outcome: why it may not be shown, or None.

    Its mean in a group of n people is a count divided by n, so a group under ``2 * min_cell``
    (treated or control: matching compares with the few controls it used) hides it. A group
    mean in ``details`` that is a small count (or leaves one) is hidden too, and with it the
    unadjusted difference, whose comparison mean describes a large, known group.
    """
    if not is_binary_outcome(row.get("outcome"), binary):
        return None
    for key in ("n_treated", "n_control"):
        if _is_number(row.get(key)) and not share_allowed(row[key], sup.min_cell):
            return "share_of_small_group"
    details = row.get("details") if isinstance(row.get("details"), dict) else {}
    mean, n = details.get("mean_treated"), row.get("n_treated")
    if _is_number(mean) and _is_number(n) and gives_small_count(mean, n, sup.min_cell):
        return "small_numerator"
    return None


def _protect_effect_rows(
    sup: _Suppressor, rows: list[dict[str, Any]], name: str, binary: set[str] = frozenset()
) -> None:
    """Estimates and subgroups: small n's, the estimates resting on them, and their complements.

    Rule 5 hides an estimate on fewer than ``min_cell`` treated or control units with its
    counts; rule 6 an estimate of a 0/1 outcome on fewer than ``2 * min_cell`` (the counts stay:
    they are not small). Subgroup levels (and cohorts of group-time cells) split the sample,
    whose size is shown, so within each such partition rule 3 hides the next smallest count
    too (counts only: an estimate on many people is kept). Counts in ``details`` get rule 1.
    """
    for i, row in enumerate(rows):
        path = f"{name}[{i}]"
        hit = sup.counts(row, ("n_treated", "n_control"), path)
        reason = "small_group" if hit else _row_reason(sup, row, binary)
        details = row.get("details")
        if reason == "small_numerator" and row.get("estimator") != "naive":
            for key in [k for k in (details or {}) if str(k).startswith("mean_")]:
                sup.null(details, key, f"{path}.details.{key}", reason)
        elif reason is not None:
            sup.estimate(row, path, reason)
            if name == "subgroups":
                row["flag"] = "suppressed"
        if isinstance(details, dict):
            _protect_nested_counts(sup, details, f"{path}.details")
    families: dict[tuple[Any, ...], list[int]] = {}
    for i, row in enumerate(rows):
        key = _partition_key(row, name)
        if key is not None:
            families.setdefault(key, []).append(i)
    for members in families.values():
        if len(members) < 2:
            continue
        for count in ("n_treated", "n_control"):
            values = [rows[i].get(count) for i in members]
            hidden = {j for j, i in enumerate(members) if count in rows[i] and values[j] is None}
            pick = complete_line(values, hidden, total_index=None)
            if pick is not None:
                i = members[pick]
                sup.null(rows[i], count, f"{name}[{i}].{count}", "secondary")


#: Shares in the overlap block whose denominator is the participants, and their counts.
_OVERLAP_SHARES = {
    "share_outside_support": "n_participants_outside_support",
    "share_treated_outside_support": "n_participants_outside_support",
    "share_trimmed": "n_participants_trimmed",
    "share_excluded": None,
}


def _protect_overlap(sup: _Suppressor, overlap: dict[str, Any], n_treated: Any) -> None:
    """Propensity histograms and the participants outside support or trimmed.

    Bins: rules 1 and 3 (they add up to the known group sizes), and rule 2 for a group under
    ``2 * min_cell``, whose bins the plot draws as shares of the group. Counts of participants:
    rule 1; shares of participants: rule 2, with the count of a share whose complement is small.
    """
    m = sup.min_cell
    for key in ("treated_counts", "control_counts"):
        bins = overlap.get(key)
        if not isinstance(bins, list):
            continue
        total = sum(float(b) for b in bins if _is_number(b))
        if total > 0 and not share_allowed(total, m):
            for i in range(len(bins)):
                sup.null(bins, i, f"diagnostics.overlap.{key}[{i}]", "small_denominator")
            continue
        _, hit = suppress_line(bins, m, total_known=True)
        for i in hit:
            reason = "small_count" if is_small(bins[i], m) else "secondary"
            sup.null(bins, i, f"diagnostics.overlap.{key}[{i}]", reason)
    counts = ("n_trimmed", "n_participants", "n_participants_outside_support")
    sup.counts(overlap, (*counts, "n_participants_trimmed"), "diagnostics.overlap")
    n = overlap.get("n_participants", n_treated) if "n_participants" in overlap else n_treated
    for share, count in _OVERLAP_SHARES.items():
        if share not in overlap:
            continue
        reason = sup.share(overlap[share], n)
        if reason is None:
            continue
        sup.null(overlap, share, f"diagnostics.overlap.{share}", reason)
        if count and count in overlap and reason == "small_numerator":
            sup.null(overlap, count, f"diagnostics.overlap.{count}", reason)


def _balance_leaks(row: dict[str, Any], n1: float, n0: float, min_cell: int) -> bool:
    """Whether a row's SMD and variance ratio (before) pin a 0/1 covariate's treated count to
    one of 1 to ``min_cell - 1`` (or leave that many without it).

    For a 0/1 covariate with k of n1 treated, the variance ratio gives the comparison share and
    the SMD checks it: the audit tries every small k (and n1 - k).
    """
    smd, vr = row.get("smd_before"), row.get("vr_before")
    if not (_is_number(smd) and _is_number(vr)) or vr <= 0 or n1 < 2 or n0 < 2:
        return False
    small = [*range(1, min_cell), *range(int(n1) - min_cell + 1, int(n1))]
    for k in {k for k in small if 0 < k < n1}:
        p1 = k / n1
        v1 = p1 * (1 - p1) * n1 / (n1 - 1)
        v0 = v1 / vr
        disc = 1 - 4 * v0 * (n0 - 1) / n0
        if disc < 0:
            continue
        for p0 in ((1 - math.sqrt(disc)) / 2, (1 + math.sqrt(disc)) / 2):
            if math.isclose((p1 - p0) / math.sqrt((v1 + v0) / 2), smd, rel_tol=1e-6, abs_tol=1e-9):
                return True
    return False


def _protect_balance(
    sup: _Suppressor, diagnostics: dict[str, Any], n_treated: Any, n_control: Any
) -> bool:
    """Balance rows: all hidden when the treated group is under ``2 * min_cell`` (the SMD of a
    0/1 covariate is a share of that group in disguise); otherwise the variance ratios of a row
    that would pin a small count. Returns whether the balance was hidden."""
    m = sup.min_cell
    small = _is_number(n_treated) and not share_allowed(n_treated, m)
    keys = ("smd_before", "smd_after", "vr_before", "vr_after")
    for block in ("balance", "balance_extra"):
        for i, row in enumerate(diagnostics.get(block) or []):
            path = f"diagnostics.{block}[{i}]"
            if small:
                for key in keys:
                    if key in row:
                        sup.null(row, key, f"{path}.{key}", "share_of_small_group")
            elif (
                _is_number(n_treated)
                and _is_number(n_control)
                and _balance_leaks(row, float(n_treated), float(n_control), m)
            ):
                for key in ("vr_before", "vr_after"):
                    if key in row:
                        sup.null(row, key, f"{path}.{key}", "small_numerator")
    summary = diagnostics.get("balance_summary")
    if small and isinstance(summary, dict):
        for key in list(summary):
            sup.null(summary, key, f"diagnostics.balance_summary.{key}", "share_of_small_group")
    return small


def _hidden_outcomes(out: dict[str, Any]) -> set[str]:
    """Outcomes whose lead estimate (the one every statement rests on) is suppressed."""
    rows = [Estimate.model_validate(e) for e in out.get("estimates") or []]
    prefer = (out.get("headline") or {}).get("estimator")
    hidden = set()
    for outcome in {e.outcome for e in rows if e.is_overall}:
        lead = lead_of((e for e in rows if e.outcome == outcome and e.is_overall), prefer)
        if lead is not None and lead.estimate is None:
            hidden.add(outcome)
    return hidden


def _protect_derived(sup: _Suppressor, out: dict[str, Any], hidden: set[str]) -> None:
    """Values computed from a suppressed value: a lead estimate's credibility entry and
    sensitivity, the goal values it measures, the cost ratios and tax revenue built on it; the
    credibility values that repeat a hidden balance or overlap figure."""
    hidden_rules = {
        "balance": any(p.startswith("diagnostics.balance[") and ".smd_" in p for p in sup.reasons),
        "overlap": "diagnostics.overlap.share_outside_support" in sup.reasons,
    }
    for i, cred in enumerate(out.get("credibility") or []):
        gone = cred.get("outcome") in hidden
        if gone:
            sup.null(cred, "estimate", f"credibility[{i}].estimate", "derived")
        for j, rule in enumerate(cred.get("rules") or []):
            name = rule.get("rule")
            if "value" in rule and (
                hidden_rules.get(name) or (gone and name in ("agreement", "sensitivity"))
            ):
                sup.null(rule, "value", f"credibility[{i}].rules[{j}].value", "derived")
    diag = out.get("diagnostics") or {}
    head = (out.get("headline") or {}).get("outcome")
    if head in hidden and diag.get("sensitivity") is not None:
        sup.null(diag, "sensitivity", "diagnostics.sensitivity", "derived")
    for name, block in (diag.get("by_outcome") or {}).items():
        if name in hidden and isinstance(block, dict) and block.get("sensitivity") is not None:
            sup.null(block, "sensitivity", f"diagnostics.by_outcome.{name}.sensitivity", "derived")
    costs = out.get("costs") or {}
    if "work_or_study_12m" in hidden:
        for key in ("cost_per_additional", "net_cost_per_additional"):
            if isinstance(costs.get(key), dict):
                for k in ("estimate", "ci_low", "ci_high"):
                    if k in costs[key]:
                        sup.null(costs[key], k, f"costs.{key}.{k}", "derived")
    public = costs.get("public_finance")
    if isinstance(public, dict):
        for h in (12, 24):
            if f"work_or_study_{h}m" not in hidden:
                continue
            for key in (f"tax_revenue_{h}m", f"net_cost_{h}m"):
                if isinstance(public.get(key), dict):
                    for k in ("estimate", "ci_low", "ci_high"):
                        if k in public[key]:
                            sup.null(public[key], k, f"costs.public_finance.{key}.{k}", "derived")


def _protect_costs(sup: _Suppressor, costs: dict[str, Any]) -> None:
    """Participant counts of the cost summary, and totals that would give them away."""
    hit = sup.counts(costs, ("n_participants",), "costs")
    per = costs.get("cost_per_participant")
    if not isinstance(per, dict):
        return
    hit += sup.counts(per, ("n_participants",), "costs.cost_per_participant")
    if hit:  # total / cost per participant = number of participants
        for key in ("total_gross", "total_external_funding", "participant_months"):
            if key in per:
                sup.null(per, key, f"costs.cost_per_participant.{key}", "derived")


def _protect_goals(sup: _Suppressor, goals: list[dict[str, Any]], hidden: set[str]) -> None:
    """Goal values: counts (the ``participants`` indicator), shares of participants (rule 2 with
    the goal's n) and effects whose estimate is suppressed; and their n's."""
    for i, goal in enumerate(goals):
        path = f"goals[{i}]"
        indicator = str(goal.get("indicator") or "")
        reason = None
        if indicator == "participants":
            sup.counts(goal, ("value",), path)
        elif goal.get("unit") == "share" and _is_number(goal.get("value")):
            reason = sup.share(goal["value"], goal.get("n"))
        elif indicator.removeprefix("effect_") in hidden:
            reason = "derived"
        if reason is not None:
            for key in ("value", "ci_low", "ci_high"):
                if key in goal:
                    sup.null(goal, key, f"{path}.{key}", reason)
        sup.counts(goal, ("n",), path)


def _protect_dict(out: dict[str, Any], min_cell: int) -> _Suppressor:
    """Apply every rule to a results file's JSON values in place; return what was suppressed."""
    sup = _Suppressor(min_cell)
    binary = _binary_outcomes(out)
    sample = out.get("sample") if isinstance(out.get("sample"), dict) else {}
    n_treated, n_control = sample.get("n_treated"), sample.get("n_control")
    if isinstance(out.get("sample"), dict):
        _protect_sample(sup, out["sample"])
    if isinstance(out.get("followup"), dict):
        _protect_followup(sup, out["followup"])
    for name in ("estimates", "subgroups"):
        if isinstance(out.get(name), list):
            _protect_effect_rows(sup, out[name], name, binary)
    diag = out.get("diagnostics")
    if isinstance(diag, dict):
        if isinstance(diag.get("placebo"), list):
            _protect_effect_rows(sup, diag["placebo"], "diagnostics.placebo", binary)
        if isinstance(diag.get("overlap"), dict):
            _protect_overlap(sup, diag["overlap"], n_treated)
        _protect_balance(sup, diag, n_treated, n_control)
    hidden = _hidden_outcomes(out)
    _protect_derived(sup, out, hidden)
    if isinstance(out.get("costs"), dict):
        _protect_costs(sup, out["costs"])
    if isinstance(out.get("goals"), list):
        _protect_goals(sup, out["goals"], hidden)
    return sup


def protect(results: MeasureResults, min_cell: int | None = None) -> ProtectedResults:
    """``results`` with every disclosure rule applied to every count it holds.

    Covers ``sample`` (every ``n_*`` count in it), ``followup`` (participants, shares, end
    reasons), ``estimates``, ``subgroups`` and placebo estimates (n's, the estimates that rest on
    small n's, estimates of 0/1 outcomes in small groups, counts and means in ``details``),
    ``diagnostics.overlap`` bins, counts and shares, balance, everything derived from a
    suppressed lead estimate (credibility, sensitivity, goal values, cost ratios), cost
    participant counts and goal values; records ``disclosure: {min_cell, suppressed: [paths],
    reasons: {path: reason}}`` (``REASONS``). Validation counts (rows breaking a data rule)
    describe the data, not people, and are kept. ``min_cell`` defaults to ``results.min_cell``.
    Results that are already protected are returned as they are: control runs once.
    """
    if isinstance(results, ProtectedResults):
        return results
    if not isinstance(results, MeasureResults):
        raise TypeError(f"protect takes MeasureResults, not {type(results).__name__}")
    min_cell = results.min_cell if min_cell is None else min_cell
    _check_min_cell(min_cell)
    out = results.to_json_dict()
    sup = _protect_dict(out, min_cell)
    previous = results.disclosure
    out["disclosure"] = {
        "min_cell": min_cell,
        "suppressed": [*(previous.suppressed if previous else []), *sup.paths],
        "reasons": {**(previous.reasons if previous else {}), **sup.reasons},
    }
    return ProtectedResults.model_validate(out, context={DISCLOSURE_CONTROL: True})
