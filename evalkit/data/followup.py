"""Today's descriptive follow-up of a measure: what happened to its participants, in raw counts.

This is what municipalities report now (Kolada-style share in work or studies at exit and some
months after start); it says nothing about what the measure caused. Disclosure control of small
counts is applied by the report layer, not here.
"""

from __future__ import annotations

from typing import Any

import duckdb
import pandas as pd

from evalkit.data.months import month_label, month_number, month_number_sql
from evalkit.data.sample import _check_tables
from evalkit.data.schema import WORK_OR_STUDY_END_REASON, WORK_OR_STUDY_STATUS
from evalkit.errors import ParamsError

#: Months after the start month at which the status register is read.
HORIZONS = (6, 12, 24)

_WORK = ", ".join(f"'{s}'" for s in WORK_OR_STUDY_STATUS)
_WORK_END = ", ".join(f"'{s}'" for s in WORK_OR_STUDY_END_REASON)


def followup(
    tables: dict[str, pd.DataFrame], measure_id: str, *, intake: tuple[str, str]
) -> dict[str, Any]:
    """Raw follow-up counts of participations starting in the intake window.

    ``shares`` has one entry per horizon: ``exit`` (end reason work, subsidised work or studies,
    among participations that have ended) and 6/12/24 months after the start month (status
    work, subsidised work or studies in that month, among participations whose month lies within
    the status register; a missing status month counts as not in work or studies).
    """
    _check_tables(tables, ("participations", "status"))
    i0, i1 = _intake(intake)
    con = duckdb.connect()
    try:
        parts = tables["participations"]
        cols = ["person_id", "measure_id", "start_date", "end_date"]
        if "end_reason" in parts.columns:
            cols.append("end_reason")
        con.register("parts_raw", parts[cols])
        con.register("status_raw", tables["status"][["person_id", "month", "status"]])
        reason = "CAST(end_reason AS VARCHAR)" if "end_reason" in cols else "NULL"
        con.execute(
            f"""
            CREATE TEMP TABLE p AS
            SELECT CAST(person_id AS VARCHAR) AS person_id, {month_number_sql("start_date")} AS sm,
                   end_date IS NOT NULL AS ended,
                   CASE WHEN end_date IS NULL THEN 'pagaende'
                        ELSE COALESCE({reason}, 'saknas') END AS reason
            FROM parts_raw
            WHERE CAST(measure_id AS VARCHAR) = ?
              AND {month_number_sql("start_date")} BETWEEN {i0} AND {i1}
            """,
            [measure_id],
        )
        con.execute(
            f"""
            CREATE TEMP TABLE s AS
            SELECT CAST(person_id AS VARCHAR) AS person_id, {month_number_sql("month")} AS m,
                   MAX(CAST(CAST(status AS VARCHAR) IN ({_WORK}) AS INT)) AS ws
            FROM status_raw GROUP BY ALL
            """
        )
        last_m = con.execute("SELECT MAX(m) FROM s").fetchone()[0]
        n, n_persons = con.execute("SELECT COUNT(*), COUNT(DISTINCT person_id) FROM p").fetchone()
        shares = []
        ex_n, ex_w = con.execute(
            f"SELECT COUNT(*), COALESCE(SUM(CAST(reason IN ({_WORK_END}) AS INT)), 0) "
            "FROM p WHERE ended"
        ).fetchone()
        shares.append(_share("exit", ex_n, ex_w))
        for k in HORIZONS:
            hn, hw = con.execute(
                f"""
                SELECT COUNT(*), COALESCE(SUM(COALESCE(s.ws, 0)), 0)
                FROM p LEFT JOIN s ON s.person_id = p.person_id AND s.m = p.sm + {k}
                WHERE p.sm + {k} <= {last_m if last_m is not None else -1}
                """
            ).fetchone()
            shares.append(_share(f"{k}m", hn, hw))
        reasons = con.execute(
            "SELECT reason, COUNT(*) AS n FROM p GROUP BY 1 ORDER BY n DESC, reason"
        ).fetchall()
    finally:
        con.close()
    return {
        "measure_id": measure_id,
        "intake_start": month_label(i0),
        "intake_end": month_label(i1),
        "data_end": month_label(last_m) if last_m is not None else None,
        "n_participants": int(n),
        "n_persons": int(n_persons),
        "shares": shares,
        "end_reasons": [{"reason": r, "n": int(c)} for r, c in reasons],
    }


def _intake(intake: tuple[str, str]) -> tuple[int, int]:
    """Intake months as numbers; a bad month is a params error on ``design.intake``."""
    try:
        return month_number(intake[0]), month_number(intake[1])
    except ValueError as exc:
        raise ParamsError(str(exc), key="design.intake") from None


def _share(horizon: str, n: int, k: int) -> dict[str, Any]:
    """One follow-up row: denominator, count in work or studies and their share (None if n = 0)."""
    n, k = int(n), int(k)
    return {"horizon": horizon, "n": n, "n_in_work_or_study": k, "share": k / n if n else None}
