"""A reader trying to derive a count of 1 to min_cell - 1 people from a results file or a page.

Used by the disclosure and privacy tests: it must find such counts in unprotected results (so the
tests can fail) and none after disclosure control. Each finding names the path and the
derivation, never a value of a person.
"""

from __future__ import annotations

import math
import re
from html.parser import HTMLParser
from typing import Any

#: Keys whose integers count people (rows of data checks count rows, not people).
_COUNT_KEY = re.compile(r"^(n|n_.*|.*_counts)$")
_SKIP = ("validation", "disclosure", "params")
#: Count keys that count things other than people.
_NOT_PEOPLE = frozenset({"n_estimators", "n_periods", "n_bins", "n_iterations"})
_ESTIMATE_LISTS = ("estimates", "subgroups")


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def _small(k: float, min_cell: int) -> bool:
    return 0 < round(k) < min_cell


def _binary(outcome: Any) -> bool:
    return "work_or_study" in str(outcome or "")


def _shown_counts(value: Any, path: str, min_cell: int, counting: bool = False) -> list[str]:
    """Every integer count (under a count key, or in a dict of counts) of 1 to min_cell - 1."""
    found = []
    if isinstance(value, dict):
        for k, v in value.items():
            if not path and k in _SKIP:
                continue
            sub = f"{path}.{k}" if path else k
            counts = bool(_COUNT_KEY.match(str(k))) and k not in _NOT_PEOPLE
            found += _shown_counts(v, sub, min_cell, counts or (counting and isinstance(v, int)))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            found += _shown_counts(v, f"{path}[{i}]", min_cell, counting)
    elif counting and isinstance(value, int) and not isinstance(value, bool):
        found += [f"{path}: a count of {value}"] if _small(value, min_cell) else []
    return found


def _share_of(share: Any, n: Any, min_cell: int, path: str) -> list[str]:
    """A share of n people: n * share and n - n * share are counts."""
    s, n = _number(share), _number(n)
    if s is None or n is None:
        return []
    if n < 2 * min_cell and s is not None:
        return [f"{path}: a share of {n:g} people (n × share is a count)"]
    if _small(s * n, min_cell) or _small(n - s * n, min_cell):
        return [f"{path}: share × {n:g} is a small count"]
    return []


def _effect_rows(rows: list[dict], name: str, min_cell: int) -> list[str]:
    """Estimates of 0/1 outcomes on small groups, and group means that are small counts."""
    found = []
    for i, row in enumerate(rows):
        path = f"{name}[{i}]"
        n1, n0 = _number(row.get("n_treated")), _number(row.get("n_control"))
        if not _binary(row.get("outcome")):
            continue
        shown = [
            k for k in ("estimate", "ci_low", "ci_high", "se") if _number(row.get(k)) is not None
        ]
        small = [n for n in (n1, n0) if n is not None and n < 2 * min_cell]
        if shown and small:
            found.append(f"{path}.{shown[0]}: a 0/1 outcome's statistic in a group of {small[0]:g}")
        details = row.get("details") or {}
        mean1 = _number(details.get("mean_treated"))
        if mean1 is not None and n1 is not None:
            found += _share_of(mean1, n1, min_cell, f"{path}.details.mean_treated")
        mean0 = _number(details.get("mean_control"))
        est = _number(row.get("estimate"))
        if row.get("estimator") == "naive" and est is not None and mean0 is not None and n1:
            found += _share_of(est + mean0, n1, min_cell, f"{path}.estimate + mean_control")
    return found


def derivable_counts(results: dict[str, Any], min_cell: int = 5) -> list[str]:
    """Every count of 1 to ``min_cell - 1`` people a reader can derive from a results file."""
    found = _shown_counts(results, "", min_cell)
    fu = results.get("followup") or {}
    for i, row in enumerate(fu.get("shares") or []):
        found += _share_of(row.get("share"), row.get("n"), min_cell, f"followup.shares[{i}]")
    for i, row in enumerate(fu.get("end_reasons") or []):
        found += _share_of(
            row.get("share"), fu.get("n_participants"), min_cell, f"followup.end_reasons[{i}]"
        )
    for name in _ESTIMATE_LISTS:
        found += _effect_rows(results.get(name) or [], name, min_cell)
    diag = results.get("diagnostics") or {}
    found += _effect_rows(diag.get("placebo") or [], "diagnostics.placebo", min_cell)
    overlap = diag.get("overlap") or {}
    n_part = overlap.get("n_participants", (results.get("sample") or {}).get("n_treated"))
    for key in ("share_outside_support", "share_trimmed", "share_excluded"):
        found += _share_of(overlap.get(key), n_part, min_cell, f"diagnostics.overlap.{key}")
    treated_bins = [b for b in overlap.get("treated_counts") or [] if _number(b) is not None]
    if treated_bins and 0 < sum(treated_bins) < 2 * min_cell:
        found.append("diagnostics.overlap.treated_counts: bins of a group under 2 × min_cell")
    n1 = _number((results.get("sample") or {}).get("n_treated"))
    if n1 is not None and n1 < 2 * min_cell:
        for i, row in enumerate(diag.get("balance") or []):
            if _number(row.get("smd_before")) is not None:
                found.append(f"diagnostics.balance[{i}]: an SMD in a treated group of {n1:g}")
    for i, goal in enumerate(results.get("goals") or []):
        if goal.get("unit") == "share":
            found += _share_of(goal.get("value"), goal.get("n"), min_cell, f"goals[{i}].value")
        elif goal.get("unit") == "share_points" and _number(goal.get("value")) is not None:
            n = _number(goal.get("n"))
            if n is not None and n < 2 * min_cell:
                found.append(f"goals[{i}].value: an effect on a share of {n:g} people")
    for i, cred in enumerate(results.get("credibility") or []):
        rows = [
            e
            for e in results.get("estimates") or []
            if e.get("outcome") == cred.get("outcome")
            and e.get("estimator") == cred.get("estimator")
        ]
        hidden = rows and all(_number(e.get("estimate")) is None for e in rows)
        if hidden and _number(cred.get("estimate")) is not None:
            found.append(f"credibility[{i}].estimate: repeats a suppressed estimate")
    costs = results.get("costs") or {}
    ratio = (costs.get("cost_per_additional") or {}).get("estimate")
    per = (costs.get("cost_per_participant") or {}).get("net")
    if _number(ratio) and _number(per):
        found += _cost_ratio(results, float(per) / float(ratio), min_cell)
    return found


def _cost_ratio(results: dict[str, Any], effect: float, min_cell: int) -> list[str]:
    """Cost per participant / cost per additional person = the effect on work or studies."""
    rows = [
        e
        for e in results.get("estimates") or []
        if e.get("outcome") == "work_or_study_12m" and _number(e.get("n_treated")) is not None
    ]
    small = [e["n_treated"] for e in rows if e["n_treated"] < 2 * min_cell]
    if small:
        return [f"costs.cost_per_additional: gives the effect {effect:.3f} on {small[0]} people"]
    return []


# --- pages ------------------------------------------------------------------------------------


class _Tables(HTMLParser):
    """Every table of a page as (header cells, body rows) of text."""

    def __init__(self) -> None:
        super().__init__()
        self.tables: list[tuple[list[str], list[list[str]]]] = []
        self._cell: list[str] | None = None
        self._row: list[str] | None = None
        self._in_head = False

    def handle_starttag(self, tag: str, attrs: Any) -> None:
        if tag == "table":
            self.tables.append(([], []))
        elif tag == "thead":
            self._in_head = True
        elif tag == "tr":
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []

    def handle_endtag(self, tag: str) -> None:
        if tag == "thead":
            self._in_head = False
        elif tag in ("td", "th") and self._cell is not None and self._row is not None:
            self._row.append(" ".join("".join(self._cell).split()))
            self._cell = None
        elif tag == "tr" and self._row is not None and self.tables:
            header, body = self.tables[-1]
            (header.extend if self._in_head else body.append)(self._row)
            self._row = None

    def handle_data(self, data: str) -> None:
        if self._cell is not None:
            self._cell.append(data)


def page_tables(page: str) -> list[tuple[list[str], list[list[str]]]]:
    """The tables of an HTML page: header cells and body rows, as text."""
    parser = _Tables()
    parser.feed(page)
    return parser.tables


def cell_number(text: str) -> float | None:
    """The number a cell shows (Swedish or English style), or None."""
    t = text.replace("\u2212", "-").replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
    t = t.replace("%", "").replace(",", ".") if "," in t and "." not in t else t.replace(",", "")
    try:
        return float(t)
    except ValueError:
        return None


#: Column headers (Swedish and English words) of counts of people in the report's tables.
COUNT_HEADERS = ("deltagare", "jämförelsegrupp", "varav", "antal", "participants",
                 "comparison group", "of whom", "number")  # fmt: skip
#: Column headers of shares and of effects on shares.
SHARE_HEADERS = ("andel", "procentenheter", "share", "percentage points")


def derivable_from_page(page: str, min_cell: int = 5) -> list[str]:
    """Counts of 1 to min_cell - 1 people a reader can read or derive from a page's tables:
    a count column with such a number, or a share (or effect on a share) in a row whose
    participants are fewer than 2 × min_cell."""
    found = []
    for t, (header, body) in enumerate(page_tables(page)):
        names = [h.lower() for h in header]
        counts = [i for i, h in enumerate(names) if any(w in h for w in COUNT_HEADERS)]
        shares = [i for i, h in enumerate(names) if any(w in h for w in SHARE_HEADERS)]
        people = [i for i, h in enumerate(names) if h.startswith(("deltagare", "participants"))]
        for r, row in enumerate(body):
            for i in counts:
                n = cell_number(row[i]) if i < len(row) else None
                if n is not None and 0 < n < min_cell and n == int(n):
                    found.append(f"table {t} row {r}: {header[i]} = {row[i]}")
            sizes = [cell_number(row[i]) for i in people if i < len(row)]
            small = any(n is not None and n < 2 * min_cell for n in sizes)
            for i in shares:
                if small and i < len(row) and cell_number(row[i].split("–")[0]) is not None:
                    found.append(f"table {t} row {r}: {header[i]} = {row[i]} of a small group")
    return found
