"""Month-by-month registers as dense arrays, and the windows the analysis sample reads from them.

DuckDB normalises the registers (integer person and household numbers, month numbers) and
streams them here in Arrow batches; each person's work-or-studies status and each assisted
household's SEK become one row of a dense array over the data's months (int8 and float64, a few
bytes per person-month, far less than the registers themselves). A unit's histories, paths and
outcomes are then slices of its person's and household's rows at its reference month u.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np

#: Months of margin on either side of the data, so every window is an in-bounds slice.
PAD = 36
_NO_ROW = -1  # work array: no status row that month


@dataclass(frozen=True)
class MonthArrays:
    """Dense monthly registers: column ``m - origin`` holds month m.

    ``work[pid]``: 1 in work or studies, 0 not, -1 no status row; ``sek[rows[hid]]``: household
    assistance paid (row 0 is all zeros, for households never assisted); ``first``/``last``:
    the data's first and last month.
    """

    work: np.ndarray
    sek: np.ndarray
    rows: np.ndarray
    origin: int
    first: int
    last: int


def month_arrays(con: Any, first: int, last: int, batch: int = 2_000_000) -> MonthArrays:
    """Fill the dense arrays from DuckDB tables ``ws(pid, m, ws)`` and ``hh(hid, m, sek)``."""
    origin = first - PAD
    width = last - first + 1 + 2 * PAD
    n_pid = int(con.execute("SELECT COALESCE(MAX(pid), 0) FROM persons_n").fetchall()[0][0])
    n_hid = int(con.execute("SELECT COALESCE(MAX(hid), 0) FROM persons_n").fetchall()[0][0])
    work = np.full((n_pid + 1, width), _NO_ROW, dtype=np.int8)
    for rb in _batches(con, f"SELECT pid, m - {origin} AS c, ws FROM ws", batch):
        # a month with several rows counts as work if any says work (rows as they come)
        one = rb["ws"] == 1
        pid, col = rb["pid"][~one], rb["c"][~one]
        work[pid, col] = np.maximum(work[pid, col], 0)
        work[rb["pid"][one], rb["c"][one]] = 1
    assisted = con.execute("SELECT DISTINCT hid FROM hh ORDER BY hid").fetchnumpy()["hid"]
    rows = np.zeros(n_hid + 1, dtype=np.int64)
    rows[np.asarray(assisted, dtype=np.int64)] = np.arange(1, len(assisted) + 1)
    sek = np.zeros((len(assisted) + 1, width), dtype=np.float64)
    for rb in _batches(con, f"SELECT hid, m - {origin} AS c, sek FROM hh", batch):
        sek[rows[rb["hid"]], rb["c"]] = rb["sek"]
    return MonthArrays(work, sek, rows, origin, first, last)


def _batches(con: Any, sql: str, size: int):
    """Arrow record batches of a query as dicts of NumPy arrays."""
    for rb in con.sql(sql).to_arrow_reader(size):
        yield {
            name: rb.column(i).to_numpy(zero_copy_only=False)
            for i, name in enumerate(rb.schema.names)
        }


def _last_true(mask: np.ndarray) -> np.ndarray:
    """Per row: 1 + how many columns from the right the last True lies (1 = last column), 0 if none."""
    rev = mask[:, ::-1]
    return np.where(rev.any(axis=1), rev.argmax(axis=1) + 1, 0)


def unit_features(
    arrays: MonthArrays,
    pid: np.ndarray,
    hid: np.ndarray,
    u: np.ndarray,
    obs_end: np.ndarray,
    *,
    windows: tuple[int, ...],
    spell_cap: int,
    since_cap: int | None,
    pre: int,
    post: int,
    outcomes: bool,
) -> dict[str, np.ndarray]:
    """Histories at u - 1, pre and post paths and outcomes of units (person, household, month u).

    Histories count months before the data as out of work and without assistance; pre paths and
    placebos are NaN before the data; post paths and outcomes are NaN after ``obs_end`` (the
    last month the person's registers run, capped at the data's end).
    """
    back = max((*windows, spell_cap, since_cap or 0, pre, 36 if outcomes else 0))
    ahead = max(post, 36 if outcomes else 0)
    offsets = np.arange(-back, ahead + 1)
    cols = (np.asarray(u, dtype=np.int64) - arrays.origin)[:, None] + offsets[None, :]
    work = arrays.work[np.asarray(pid, dtype=np.int64)[:, None], cols] == 1
    sek = arrays.sek[arrays.rows[np.asarray(hid, dtype=np.int64)][:, None], cols]
    o = back  # column of month u
    u = np.asarray(u, dtype=np.int64)
    obs_end = np.asarray(obs_end, dtype=np.int64)
    out: dict[str, np.ndarray] = {}
    for w in windows:
        out[f"work_months_{w}m_before"] = work[:, o - w : o].sum(axis=1).astype(float)
    for w in windows:
        out[f"assistance_months_{w}m_before"] = (sek[:, o - w : o] > 0).sum(axis=1).astype(float)
    for w in (12, 24):
        out[f"assistance_sek_{w}m_before"] = sek[:, o - w : o].sum(axis=1)
    pos = _last_true(work[:, o - spell_cap : o])
    out["months_out_of_work"] = np.where(pos > 0, pos - 1, spell_cap).astype(float)
    pos = _last_true(sek[:, o - spell_cap : o] <= 0)
    out["months_on_assistance"] = np.where(pos > 0, pos - 1, spell_cap).astype(float)
    if since_cap:
        pos = _last_true(work[:, o - since_cap : o])
        out["months_since_work"] = np.where(pos > 0, pos, since_cap).astype(float)
    before_data = (u - arrays.first)[:, None] < np.arange(1, pre + 1)[None, :]
    pre_work = np.where(before_data, np.nan, work[:, o - 1 : o - pre - 1 if o > pre else None : -1])
    pre_sek = np.where(before_data, np.nan, sek[:, o - 1 : o - pre - 1 if o > pre else None : -1])
    for k in range(1, pre + 1):
        out[f"work_or_study_b{k}"] = pre_work[:, k - 1]
    for k in range(1, pre + 1):
        out[f"assistance_sek_b{k}"] = pre_sek[:, k - 1]
    seen = np.arange(1, ahead + 1)[None, :] <= (obs_end - u)[:, None]
    post_work = np.where(seen, work[:, o + 1 :], np.nan)
    post_sek = np.where(seen, sek[:, o + 1 :], np.nan)
    for k in range(1, post + 1):
        out[f"work_or_study_m{k}"] = post_work[:, k - 1]
    for k in range(1, post + 1):
        out[f"assistance_sek_m{k}"] = post_sek[:, k - 1]
    if outcomes:
        for h in (6, 12, 24):
            out[f"work_or_study_{h}m"] = post_work[:, h - 1]
        for h in (12, 24):
            out[f"assistance_sek_{h}m"] = post_sek[:, :h].sum(axis=1)  # NaN if any month unseen
        out["assistance_months_12m"] = np.where(
            seen[:, 11], (np.nan_to_num(post_sek[:, :12]) > 0).sum(axis=1), np.nan
        )
        for h in (12, 24, 36):
            out[f"work_or_study_months_{h}m"] = post_work[:, :h].sum(axis=1)
        out["assistance_sek_36m"] = post_sek[:, :36].sum(axis=1)
        far = u - 36 < arrays.first
        out["placebo_work_or_study_months_25_36m_before"] = np.where(
            far, np.nan, work[:, o - 36 : o - 24].sum(axis=1)
        )
        out["placebo_assistance_sek_25_36m_before"] = np.where(
            far, np.nan, sek[:, o - 36 : o - 24].sum(axis=1)
        )
    return out
