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

In a table a suppressed value is ``<NA>`` (nullable integer / float). In results it is ``None``
(JSON ``null``), and ``results.disclosure.suppressed`` lists the path of every value that was
suppressed (e.g. ``followup.shares[1].n_in_work_or_study``), so a reader can tell a suppressed
value from one that was never computed.

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
from evalkit.results import DISCLOSURE_CONTROL, MeasureResults, ProtectedResults

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


class _Suppressor:
    """Walks a results dict, nulls values and remembers their paths."""

    def __init__(self, min_cell: int):
        self.min_cell = min_cell
        self.paths: list[str] = []

    def null(self, obj: dict[str, Any] | list[Any], key: Any, path: str) -> None:
        """Set ``obj[key]`` to None and record ``path`` (once, and only if it held a value)."""
        if obj[key] is not None:
            obj[key] = None
            self.paths.append(path)

    def counts(self, obj: dict[str, Any], keys: Iterable[str], path: str) -> list[str]:
        """Rule 1 on each present key; returns the keys suppressed."""
        hit = []
        for key in keys:
            if key in obj and is_small(obj[key], self.min_cell):
                self.null(obj, key, f"{path}.{key}")
                hit.append(key)
        return hit


_ESTIMATE_KEYS = ("estimate", "se", "ci_low", "ci_high", "p_value")


def _protect_sample(sup: _Suppressor, sample: dict[str, Any]) -> None:
    """Sample sizes: rule 1, and rule 3 when eligible = treated + control."""
    keys = ("n_treated", "n_control", "n_eligible")
    parts = [sample.get("n_treated"), sample.get("n_control")]
    total = sample.get("n_eligible")
    hit = sup.counts(sample, keys, "sample")
    shown = [_is_number(v) for v in (*parts, total)]
    is_line = all(shown) and float(parts[0]) + float(parts[1]) == float(total)
    if is_line and len([k for k in hit if k != "n_eligible"]) == 1:
        sup.null(sample, "n_eligible", "sample.n_eligible")
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
                sup.null(value, keys[i], f"{path}.{key}.{keys[i]}")
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
            if "n_in_work_or_study" in row:
                sup.null(row, "n_in_work_or_study", f"{path}.n_in_work_or_study")
            if "share" in row:
                sup.null(row, "share", f"{path}.share")
        sup.counts(row, ("n",), path)
    reasons = followup.get("end_reasons") or []
    values = [r.get("n") for r in reasons]
    hidden = {i for i, v in enumerate(values) if v is None}  # hidden before: still a line
    _, hit = suppress_line(values, m, total_known=_is_number(followup.get("n_participants")))
    pick = complete_line(values, hidden | set(hit), total_index=None)
    for i in sorted({*hit, *([pick] if pick is not None else [])}):
        sup.null(reasons[i], "n", f"followup.end_reasons[{i}].n")
        if "share" in reasons[i]:
            sup.null(reasons[i], "share", f"followup.end_reasons[{i}].share")
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
            sup.null(row, "n", f"{path}.n")
        if hidden & set(WORK_OR_STUDY_END_REASON):
            for key in ("n_in_work_or_study", "share"):
                if key in row:
                    sup.null(row, key, f"{path}.{key}")


def _partition_key(row: dict[str, Any], name: str) -> tuple[Any, ...] | None:
    """Rows with the same key split one group of people (subgroup levels, cohorts) or None."""
    if name == "subgroups" and row.get("subgroup") is not None:
        return (row.get("outcome"), row.get("estimator"), row.get("subgroup"))
    if name == "estimates" and row.get("group") is not None and row.get("subgroup") is None:
        keys = ("outcome", "estimator", "aggregation", "time", "event_time")
        return tuple(row.get(k) for k in keys)
    return None


def _protect_effect_rows(sup: _Suppressor, rows: list[dict[str, Any]], name: str) -> None:
    """Estimates and subgroups: small n's, the estimates resting on them, and their complements.

    Subgroup levels (and cohorts of group-time cells) split the sample, whose size is shown, so
    within each such partition rule 3 hides the next smallest count too (counts only: an estimate
    on many people is kept).
    """
    for i, row in enumerate(rows):
        path = f"{name}[{i}]"
        hit = sup.counts(row, ("n_treated", "n_control"), path)
        if hit:
            for key in _ESTIMATE_KEYS:
                if key in row:
                    sup.null(row, key, f"{path}.{key}")
            if name == "subgroups":
                row["flag"] = "suppressed"
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
                sup.null(rows[i], count, f"{name}[{i}].{count}")


def _protect_overlap(sup: _Suppressor, overlap: dict[str, Any]) -> None:
    """Propensity histogram bins: rules 1 and 3 (bins add up to the known group sizes)."""
    for key in ("treated_counts", "control_counts"):
        bins = overlap.get(key)
        if not isinstance(bins, list):
            continue
        _, hit = suppress_line(bins, sup.min_cell, total_known=True)
        for i in hit:
            sup.null(bins, i, f"diagnostics.overlap.{key}[{i}]")
    sup.counts(overlap, ("n_trimmed",), "diagnostics.overlap")


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
                sup.null(per, key, f"costs.cost_per_participant.{key}")


def _protect_goals(sup: _Suppressor, goals: list[dict[str, Any]]) -> None:
    """Goal values that are counts (the ``participants`` indicator) and their n's."""
    for i, goal in enumerate(goals):
        if goal.get("indicator") == "participants":
            sup.counts(goal, ("value",), f"goals[{i}]")
        sup.counts(goal, ("n",), f"goals[{i}]")


def _protect_dict(out: dict[str, Any], min_cell: int) -> list[str]:
    """Apply every rule to a results file's JSON values in place; return the suppressed paths."""
    sup = _Suppressor(min_cell)
    if isinstance(out.get("sample"), dict):
        _protect_sample(sup, out["sample"])
    if isinstance(out.get("followup"), dict):
        _protect_followup(sup, out["followup"])
    for name in ("estimates", "subgroups"):
        if isinstance(out.get(name), list):
            _protect_effect_rows(sup, out[name], name)
    overlap = (out.get("diagnostics") or {}).get("overlap")
    if isinstance(overlap, dict):
        _protect_overlap(sup, overlap)
    if isinstance(out.get("costs"), dict):
        _protect_costs(sup, out["costs"])
    if isinstance(out.get("goals"), list):
        _protect_goals(sup, out["goals"])
    return sup.paths


def protect(results: MeasureResults, min_cell: int | None = None) -> ProtectedResults:
    """``results`` with every disclosure rule applied to every count it holds.

    Covers ``sample`` (every ``n_*`` count in it), ``followup`` (participants, shares, end
    reasons), ``estimates`` and ``subgroups`` (n's and the estimates that rest on small n's),
    ``diagnostics.overlap`` bins, ``costs.n_participants`` and goal values; records
    ``disclosure: {min_cell, suppressed: [paths]}``. Validation counts (rows breaking a data rule)
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
    paths = _protect_dict(out, min_cell)
    previous = results.disclosure.suppressed if results.disclosure else []
    out["disclosure"] = {"min_cell": min_cell, "suppressed": [*previous, *paths]}
    return ProtectedResults.model_validate(out, context={DISCLOSURE_CONTROL: True})
