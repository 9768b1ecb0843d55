"""The analysis sample of one measure: eligible persons, participants, comparisons, outcomes.

Heavy joins and windows run in DuckDB (in memory, or spilling to disk under a memory limit) over
the validated frames or over Parquet files; months are numbered ``year * 12 + month - 1``
(``evalkit.data.months``) so that windows are integer ranges.

One comparison rule for participants and comparison units alike: a unit is a person in a
reference month u who is eligible in u (household assistance in one of the months before u, age
within the limits), was out of work and studies in month u - 1, and is not in another measure in
u. Participants start the measure in u; comparison units do not (see ``COMPARISONS``). Everything
the covariates hold is measured in u - 1 or before, for both groups alike.
"""

from __future__ import annotations

import html
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa

from evalkit.data.histories import MonthArrays, month_arrays, unit_features
from evalkit.data.months import month_label, month_number, month_number_sql
from evalkit.data.schema import WORK_OR_STUDY_STATUS
from evalkit.errors import DataError, MissingColumnError, MissingTableError, ParamsError

#: Months before u that the default covariates look back; the placebo outcomes lie beyond.
COVARIATE_WINDOW = 24
#: Windows (months before u) of the history counts.
HISTORY_WINDOWS: tuple[int, ...] = (3, 6, 12, 24, 36)
#: Months of the pre-programme (``_b{k}``) and post-programme (``_m{k}``) paths in the frame.
PATH_MONTHS = 36
#: Cap of the current spells (months out of work, months on assistance): the covariate window,
#: so that no default covariate reaches the placebo window 25-36 months before u.
SPELL_CAP = COVARIATE_WINDOW
#: Cap of ``months_since_work``: the longest history window (36 = 36 months or more, or never).
SINCE_WORK_CAP = 36
#: Horizons (months after u) at which attrition is tracked (``observed_{h}m``).
ATTRITION_HORIZONS: tuple[int, ...] = (6, 12, 24, 36)

#: Person and household traits: the start of both covariate sets below.
PERSON_COVARIATES: tuple[str, ...] = (
    "age",
    "female",
    "born_europe",
    "born_outside_europe",
    "years_in_sweden",
    "edu_gymnasial",
    "edu_eftergymnasial",
    "edu_unknown",
    "household_size",
)

#: Today's covariates (the ``observables`` scenario of the synthetic city selects on these).
BASE_COVARIATES: tuple[str, ...] = (
    *PERSON_COVARIATES,
    "assistance_months_12m_before",
    "assistance_months_24m_before",
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "work_months_24m_before",
    "earlier_measures",
)

#: Pre-programme histories at u - 1 (all in the frame; the 36-month ones and months since work
#: reach the placebo window and are left out of ``DEFAULT_COVARIATES``).
HISTORY_COLUMNS: tuple[str, ...] = (
    *(f"work_months_{w}m_before" for w in HISTORY_WINDOWS),
    *(f"assistance_months_{w}m_before" for w in HISTORY_WINDOWS),
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "months_out_of_work",
    "months_on_assistance",
    "months_since_work",
)

#: Covariates the estimators adjust for by default: person, household and the histories of the
#: 24 months before u, and the start quarter (text like ``2021Q3``: the estimators dummy-code it).
DEFAULT_COVARIATES: tuple[str, ...] = (
    *PERSON_COVARIATES,
    "work_months_3m_before",
    "work_months_6m_before",
    "work_months_12m_before",
    "work_months_24m_before",
    "assistance_months_3m_before",
    "assistance_months_6m_before",
    "assistance_months_12m_before",
    "assistance_months_24m_before",
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "months_out_of_work",
    "months_on_assistance",
    "earlier_measures",
    "start_quarter",
)

#: Cumulative outcomes over months 1..h after start (issue 12: effects over the horizon).
CUMULATIVE_OUTCOMES: tuple[str, ...] = (
    "work_or_study_months_12m",
    "work_or_study_months_24m",
    "work_or_study_months_36m",
    "assistance_sek_36m",
)

#: The standard outcome names (the contract other parts use).
STANDARD_OUTCOMES: tuple[str, ...] = (
    "work_or_study_6m",
    "work_or_study_12m",
    "work_or_study_24m",
    "assistance_sek_12m",
    "assistance_sek_24m",
    "assistance_months_12m",
    *CUMULATIVE_OUTCOMES,
)

#: Pre-period outcomes 25-36 months before u, outside the covariate window, never covariates.
PLACEBO_OUTCOMES: tuple[str, ...] = (
    "placebo_work_or_study_months_25_36m_before",
    "placebo_assistance_sek_25_36m_before",
)

#: Attrition columns: ``months_observed`` (months after u with the person's status register
#: still running, up to the data's end) and ``observed_{h}m``: 1 when it runs through u + h, 0
#: when it ended before (moved away, died: the outcome at h is then NaN), NaN when u + h lies
#: past the data's end (not attrition: the horizon is not reached yet).
ATTRITION_COLUMNS: tuple[str, ...] = (
    "months_observed",
    *(f"observed_{h}m" for h in ATTRITION_HORIZONS),
)

#: The comparison rule shared by participants and comparison units, in plain words.
COMPARISON_RULE = (
    "a unit is a person in a month u who is eligible in u (household assistance in one of the "
    "months before u, age within the limits, still in the registers in u), was not in work or "
    "studies in month u - 1, and is "
    "not in another measure in u; participants start the measure in u, comparison units do not "
    "start it in u (they may start it later); every covariate is measured in u - 1 or before"
)

#: How the comparison units of each design are formed (also returned by ``describe()``).
COMPARISONS: dict[str, str] = {
    "not_yet_treated": (
        "eligible person-months in the intake window of persons out of work and studies the "
        "month before, not in any measure that month and who had not started the measure "
        "by then (they may start it later); each such month is drawn as a reference month with "
        "probability control_share"
    ),
    "never_treated": (
        "as not_yet_treated, but only persons who never start the measure in the data; "
        "conditioning on the future, so use it as a sensitivity check"
    ),
    "eligible": (
        "eligible person-months in the intake window of persons out of work and studies the "
        "month before, in which the person is not in the measure (persons in other measures and "
        "earlier participants included); each drawn with probability control_share"
    ),
}


def pre_path_columns(horizon: int = PATH_MONTHS) -> tuple[str, ...]:
    """Names of the pre-programme paths: k months before u, k = 1..horizon."""
    return tuple(
        f"{name}_b{k}"
        for name in ("work_or_study", "assistance_sek")
        for k in range(1, horizon + 1)
    )


def post_path_columns(horizon: int = PATH_MONTHS) -> tuple[str, ...]:
    """Names of the post-programme paths: k months after u, k = 1..horizon."""
    return tuple(
        f"{name}_m{k}"
        for name in ("work_or_study", "assistance_sek")
        for k in range(1, horizon + 1)
    )


_WORK = ", ".join(f"'{s}'" for s in WORK_OR_STUDY_STATUS)
_FAR = 2_147_483_647  # "ongoing": an end month beyond any data
_mi = month_number_sql

_NEEDED = {
    "persons": ("person_id", "birth_year", "sex", "birth_region", "arrival_year", "education",
                "household_id"),
    "participations": ("person_id", "measure_id", "start_date", "end_date"),
    "assistance": ("household_id", "month", "amount_sek"),
    "status": ("person_id", "month", "status"),
}  # fmt: skip

#: A table given as a frame, or as a Parquet file, folder or glob (read by DuckDB, never pandas).
TableSource = pd.DataFrame | str | Path


def _columns_of(table: TableSource) -> list[str]:
    """Column names of a frame or of Parquet files (schema only, no data read)."""
    if isinstance(table, pd.DataFrame):
        return list(table.columns)
    con = duckdb.connect()
    try:
        return [
            d[0] for d in con.execute(f"SELECT * FROM {_parquet_sql(table)} LIMIT 0").description
        ]
    finally:
        con.close()


def _parquet_sql(path: str | Path) -> str:
    """``read_parquet`` over a file, a glob, or every Parquet file below a folder (hive parts)."""
    text = str(path)
    if Path(text).is_dir():
        text = f"{text.rstrip('/')}/**/*.parquet"
    quoted = text.replace("'", "''")
    return f"read_parquet('{quoted}', hive_partitioning = true, union_by_name = true)"


def _check_tables(
    tables: Mapping[str, TableSource], names: tuple[str, ...] = tuple(_NEEDED)
) -> None:
    """Fail with a typed error naming the table and column when an input is missing."""
    for name in names:
        cols = _NEEDED[name]
        if name not in tables:
            raise MissingTableError("the analysis sample needs this table", table=name)
        have = set(_columns_of(tables[name]))
        for col in cols:
            if col not in have:
                raise MissingColumnError(
                    "the analysis sample needs this column", table=name, column=col
                )


@dataclass
class AnalysisSample:
    """One measure's analysis sample: one row per unit (a person at a reference month).

    ``frame`` holds ``unit_id`` (opaque row number), ``cluster_id`` (opaque person number, the
    same in ``panel()`` and ``stacked()``), ``treated``, ``ref_month``, ``ref_period``,
    ``start_quarter``, the covariates and histories, the outcomes (NaN where the horizon runs
    past the data or past the month the person's registers end), the placebo outcomes, the
    subgroup columns ``sex``, ``age_group``, ``birth_region``, the attrition columns
    (``ATTRITION_COLUMNS``) and the monthly paths ``work_or_study_b{k}``, ``assistance_sek_b{k}``
    (k months before u) and ``work_or_study_m{k}``, ``assistance_sek_m{k}`` (k months after u).
    """

    frame: pd.DataFrame
    measure_id: str
    intake: tuple[str, str]
    comparison: str
    info: dict[str, Any]
    covariates: tuple[str, ...] = DEFAULT_COVARIATES
    outcomes: tuple[str, ...] = STANDARD_OUTCOMES
    placebo_outcomes: tuple[str, ...] = PLACEBO_OUTCOMES
    _con: Any = field(default=None, repr=False)
    _arrays: Any = field(default=None, repr=False)

    def describe(self) -> dict[str, Any]:
        """Counts of eligible, treated and comparison units, how they were formed, attrition."""
        return dict(self.info)

    def panel(self) -> pd.DataFrame:
        """Long monthly panel of the sample's persons: unit_id, period, cohort, outcomes.

        A person's months after their registers end (moved, died) are left out, not zero.
        """
        return self._con.execute(_PANEL_SQL).df()

    def stacked(self, horizon: int = 24, pre: int = 0) -> pd.DataFrame:
        """Per start month u: eligible persons not yet joined by u, ``treated`` = joined in u.

        The risk set follows the comparison rule (out of work in u - 1, not in a measure in u).
        Columns: ``DEFAULT_COVARIATES``, post paths ``_m1..`` up to ``horizon`` and, if ``pre``
        is positive, pre paths ``_b1..`` up to ``pre``.
        """
        if horizon < 1:
            raise ValueError("horizon must be at least 1")
        if pre < 0:
            raise ValueError("pre must not be negative")
        frame = _features(self._con, self._arrays, "stack_units", post=horizon, pre=pre, full=False)
        frame = frame.drop(columns=["unit_id"]).rename(
            columns={"cluster_id": "unit_id", "ref_period": "start_period"}
        )
        frame["ref_month"] = pd.to_datetime(frame["ref_month"])
        return frame

    def _repr_html_(self) -> str:
        rows = "".join(
            f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
            for k, v in self.info.items()
            if not isinstance(v, dict)
        )
        return f"<table class='evalkit-sample'>{rows}</table>"


_PANEL_SQL = """
WITH ppl AS (SELECT DISTINCT u.pid, u.hid, p.obs_end FROM units u JOIN persons_n p USING (pid)),
coh AS (SELECT pid, MIN(sm) AS sm FROM parts JOIN target USING (measure_id) GROUP BY 1),
pws AS (SELECT pid, m, MAX(ws) AS ws FROM ws WHERE pid IN (SELECT pid FROM ppl) GROUP BY ALL)
SELECT CAST(ppl.pid AS BIGINT) AS unit_id,
       CAST(r.m - b.first_m + 1 AS BIGINT) AS period,
       CAST(CASE WHEN coh.sm IS NULL THEN 0 ELSE coh.sm - b.first_m + 1 END AS BIGINT) AS cohort,
       CAST(COALESCE(w.ws, 0) AS DOUBLE) AS work_or_study,
       CAST(COALESCE(h.sek, 0) AS DOUBLE) AS assistance_sek
FROM ppl
CROSS JOIN bounds b
JOIN months r ON r.m <= ppl.obs_end
LEFT JOIN coh ON coh.pid = ppl.pid
LEFT JOIN pws w ON w.pid = ppl.pid AND w.m = r.m
LEFT JOIN hh h ON h.hid = ppl.hid AND h.m = r.m
WHERE coh.sm IS NULL OR coh.sm >= b.first_m
ORDER BY unit_id, period
"""


def _static_sql(units: str, *, full: bool) -> str:
    """SQL for the unit columns that need no monthly window: ids, person, household, calendar.

    ``household_size`` counts the household's members with a status row in u - 1 (so persons who
    moved away or died are not counted); without any, the persons table's count.
    """
    extra = (
        """, p.sex,
       CASE WHEN x.u // 12 - p.birth_year < 30 THEN '18-29'
            WHEN x.u // 12 - p.birth_year < 45 THEN '30-44' ELSE '45-64' END AS age_group,
       p.birth_region"""
        if full
        else ""
    )
    age = "(x.u // 12 - p.birth_year)"
    return f"""
WITH em AS (
    SELECT x.unit_id, COUNT(*) AS n
    FROM {units} x JOIN parts q ON q.pid = x.pid AND q.sm < x.u
    GROUP BY x.unit_id
), hs AS (
    SELECT x.unit_id, COUNT(DISTINCT q.pid) AS n
    FROM {units} x JOIN persons_n q ON q.hid = x.hid
    JOIN ws w ON w.pid = q.pid AND w.m = x.u - 1
    GROUP BY x.unit_id
)
SELECT x.unit_id, CAST(x.pid AS BIGINT) AS cluster_id, x.hid, x.u, x.obs_end,
       CAST(x.treated AS BIGINT) AS treated,
       make_date(CAST(x.u // 12 AS INT), CAST(x.u % 12 + 1 AS INT), 1) AS ref_month,
       CAST(x.u - b.first_m + 1 AS BIGINT) AS ref_period,
       CAST(x.u // 12 AS VARCHAR) || 'Q' || CAST(x.u % 12 // 3 + 1 AS VARCHAR) AS start_quarter,
       CAST({age} AS DOUBLE) AS age,
       CAST(p.female AS DOUBLE) AS female,
       CAST(p.born_europe AS DOUBLE) AS born_europe,
       CAST(p.born_outside_europe AS DOUBLE) AS born_outside_europe,
       CAST(CASE WHEN p.arrival_year IS NULL THEN {age} ELSE x.u // 12 - p.arrival_year END
            AS DOUBLE) AS years_in_sweden,
       CAST(p.edu_gymnasial AS DOUBLE) AS edu_gymnasial,
       CAST(p.edu_eftergymnasial AS DOUBLE) AS edu_eftergymnasial,
       CAST(p.edu_unknown AS DOUBLE) AS edu_unknown,
       CAST(COALESCE(hs.n, p.household_size) AS DOUBLE) AS household_size,
       CAST(COALESCE(em.n, 0) AS DOUBLE) AS earlier_measures{extra}
FROM {units} x
JOIN persons_n p ON p.pid = x.pid
CROSS JOIN bounds b
LEFT JOIN em ON em.unit_id = x.unit_id
LEFT JOIN hs ON hs.unit_id = x.unit_id
ORDER BY x.unit_id
"""


def _features(
    con: Any, arrays: MonthArrays, units: str, *, post: int, pre: int, full: bool
) -> pd.DataFrame:
    """The frame of ``units``: static columns from DuckDB, windows from the month arrays.

    Windows are computed for chunks of units straight into one preallocated float block that
    becomes the frame without a copy (the static columns are inserted beside it), which bounds
    memory at national scale.
    """
    static = con.execute(_static_sql(units, full=full)).df()
    windows = HISTORY_WINDOWS if full else tuple(w for w in HISTORY_WINDOWS if w <= 24)
    n = len(static)
    pid, hid = static["cluster_id"].to_numpy(), static["hid"].to_numpy()
    u, obs_end = static["u"].to_numpy(), static["obs_end"].to_numpy()
    block: np.ndarray | None = None
    names: list[str] = []
    step = 100_000  # units per chunk: bounds the (units x months) work arrays
    for lo in range(0, max(n, 1), step):
        hi = min(lo + step, n)
        values = unit_features(
            arrays,
            pid[lo:hi],
            hid[lo:hi],
            u[lo:hi],
            obs_end[lo:hi],
            windows=windows,
            spell_cap=SPELL_CAP,
            since_cap=SINCE_WORK_CAP if full else None,
            pre=pre,
            post=post,
            outcomes=full,
        )
        if full:
            values["months_observed"] = (np.minimum(obs_end[lo:hi], arrays.last) - u[lo:hi]) * 1.0
            for h in ATTRITION_HORIZONS:
                seen = (u[lo:hi] + h <= obs_end[lo:hi]).astype(float)
                values[f"observed_{h}m"] = np.where(u[lo:hi] + h > arrays.last, np.nan, seen)
        if block is None:
            keep = [c for c in static.columns if c not in ("hid", "u", "obs_end")]
            order = _column_order([*keep, *values]) if full else [*keep, *values]
            names = [c for c in order if c in values]
            block = np.empty((n, len(names)), dtype=np.float64, order="F")
        for j, name in enumerate(names):
            block[lo:hi, j] = values[name]
        del values
    frame = pd.DataFrame(block, columns=names, copy=False)
    computed = set(names)
    for pos, name in enumerate(order):
        if name not in computed:
            frame.insert(pos, name, static[name])
    return frame


def _column_order(names: list[str]) -> list[str]:
    """A fixed order: ids, covariates, histories, outcomes, placebos, attrition, paths, the rest."""
    head = ["unit_id", "cluster_id", "treated", "ref_month", "ref_period", "start_quarter"]
    groups = [
        head,
        [c for c in DEFAULT_COVARIATES if c not in head],
        [c for c in HISTORY_COLUMNS if c not in DEFAULT_COVARIATES],
        list(STANDARD_OUTCOMES),
        list(PLACEBO_OUTCOMES),
        ["sex", "age_group", "birth_region"],
        list(ATTRITION_COLUMNS),
        list(pre_path_columns()),
        list(post_path_columns()),
    ]
    order = [c for g in groups for c in g if c in names]
    return order + [c for c in names if c not in order]


def _source(con: Any, name: str, table: TableSource) -> None:
    """Make ``{name}_raw`` a view of the needed columns of a frame or of Parquet files."""
    cols = _NEEDED[name]
    if isinstance(table, pd.DataFrame):
        # as Arrow (zero-copy for Arrow-backed text): DuckDB scans it faster than pandas
        con.register(f"{name}_raw", pa.Table.from_pandas(table[list(cols)], preserve_index=False))
    else:
        select = ", ".join(f'"{c}"' for c in cols)
        con.execute(f"CREATE TEMP VIEW {name}_raw AS SELECT {select} FROM {_parquet_sql(table)}")


def _prepare(con: Any, tables: Mapping[str, TableSource]) -> None:
    """Normalise the registers in DuckDB: integer person and household numbers, month numbers."""
    for name, table in tables.items():
        if name in _NEEDED:
            _source(con, name, table)
    con.execute(
        f"""
        CREATE TEMP TABLE persons_n AS
        SELECT CAST(person_id AS VARCHAR) AS person_id,
               CAST(ROW_NUMBER() OVER (ORDER BY CAST(person_id AS VARCHAR)) AS INTEGER) AS pid,
               CAST(DENSE_RANK() OVER (ORDER BY CAST(household_id AS VARCHAR)) AS INTEGER) AS hid,
               CAST(household_id AS VARCHAR) AS household_id,
               CAST(birth_year AS BIGINT) AS birth_year,
               CAST(arrival_year AS BIGINT) AS arrival_year,
               CAST(sex AS VARCHAR) AS sex, CAST(birth_region AS VARCHAR) AS birth_region,
               CAST(sex = 'K' AS INT) AS female,
               CAST(birth_region = 'europa' AS INT) AS born_europe,
               CAST(birth_region = 'utanfor_europa' AS INT) AS born_outside_europe,
               CAST(education = 'gymnasial' AS INT) AS edu_gymnasial,
               CAST(education = 'eftergymnasial' AS INT) AS edu_eftergymnasial,
               CAST(education = 'okand' AS INT) AS edu_unknown,
               COUNT(*) OVER (PARTITION BY household_id) AS household_size
        FROM persons_raw;
        CREATE TEMP TABLE ws AS
        SELECT p.pid, CAST({_mi("month")} AS INTEGER) AS m,
               CAST(CAST(s.status AS VARCHAR) IN ({_WORK}) AS TINYINT) AS ws
        FROM status_raw s JOIN persons_n p ON p.person_id = CAST(s.person_id AS VARCHAR);
        CREATE TEMP TABLE hh AS
        SELECT k.hid, CAST({_mi("month")} AS INTEGER) AS m, SUM(CAST(a.amount_sek AS DOUBLE)) AS sek
        FROM assistance_raw a
        JOIN (SELECT DISTINCT household_id, hid FROM persons_n) k
          ON k.household_id = CAST(a.household_id AS VARCHAR)
        GROUP BY ALL;
        CREATE TEMP TABLE parts AS
        SELECT p.pid, CAST(q.measure_id AS VARCHAR) AS measure_id,
               {_mi("start_date")} AS sm, COALESCE({_mi("end_date")}, {_FAR}) AS em
        FROM participations_raw q
        LEFT JOIN persons_n p ON p.person_id = CAST(q.person_id AS VARCHAR);
        """
    )
    for name in _NEEDED:
        if isinstance(tables.get(name), pd.DataFrame):
            con.unregister(f"{name}_raw")


def _measure_known(con: Any, tables: Mapping[str, TableSource], measure_id: str) -> bool:
    """Whether the measure has participations or is listed in the measures table."""
    known = con.execute("SELECT COUNT(*) FROM parts WHERE measure_id = ?", [measure_id]).fetchone()
    if known[0]:
        return True
    measures = tables.get("measures")
    if measures is None:
        return False
    if isinstance(measures, pd.DataFrame):
        return bool((measures["measure_id"].astype(str) == measure_id).any())
    row = con.execute(
        f"SELECT COUNT(*) FROM {_parquet_sql(measures)} WHERE CAST(measure_id AS VARCHAR) = ?",
        [measure_id],
    ).fetchone()
    return bool(row[0])


def _intake_months(intake: tuple[str, str]) -> tuple[int, int]:
    """Intake months as numbers; a bad month is a params error on ``design.intake``."""
    try:
        i0, i1 = month_number(intake[0]), month_number(intake[1])
    except ValueError as exc:
        raise ParamsError(str(exc), key="design.intake") from None
    if i1 < i0:
        raise ParamsError(
            f"intake ends ({intake[1]}) before it starts ({intake[0]})", key="design.intake"
        )
    return i0, i1


def connect(memory_limit: str | None = None, temp_directory: str | Path | None = None) -> Any:
    """A DuckDB connection, optionally with a memory limit and a folder to spill to."""
    con = duckdb.connect()
    if memory_limit:
        con.execute(f"SET memory_limit = '{memory_limit}'")
    if temp_directory:
        Path(temp_directory).mkdir(parents=True, exist_ok=True)
        con.execute(f"SET temp_directory = '{str(temp_directory).replace(chr(39), '')}'")
    con.execute("SET preserve_insertion_order = false")
    return con


def build_sample(
    tables: Mapping[str, TableSource],
    measure_id: str,
    *,
    intake: tuple[str, str] = ("2021-01", "2023-12"),
    comparison: str = "not_yet_treated",
    eligibility_months: int = 3,
    seed: int = 20261126,
    ages: tuple[int, int] = (18, 64),
    control_share: float | None = None,
    memory_limit: str | None = None,
    temp_directory: str | Path | None = None,
) -> AnalysisSample:
    """Build one measure's analysis sample from validated registers (frames with ``person_id``).

    A table may also be given as a Parquet file, folder (hive partitions, e.g. by year) or glob,
    read by DuckDB without pandas; ``memory_limit`` (e.g. ``"8GB"``) and ``temp_directory`` let
    DuckDB spill to disk for national-scale registers.

    A person is eligible in month u when the household received assistance in at least one of
    the ``eligibility_months`` months before u and the person's age (u's year minus birth year)
    lies within ``ages``. Both groups follow one rule (``COMPARISON_RULE``): eligible in u, out
    of work and studies in u - 1, not in another measure in u. Treated units are first
    participations in the measure starting in the intake window that meet it; the others are
    counted by reason in ``describe()``. Comparison units are person-months that meet it without
    starting the measure in u (see ``COMPARISONS``), each drawn with probability
    ``control_share`` (default one over the number of intake months, about one reference month
    per person) so that a person's chance of being drawn never depends on the future.
    Histories count months before the data as zero; outcomes are NaN when their horizon runs
    past the data's last month or past the last month of the person's status register (moved
    away, died): such persons are not counted as without work and assistance.
    """
    if comparison not in COMPARISONS:
        known = ", ".join(COMPARISONS)
        raise ParamsError(
            f"unknown comparison '{comparison}'; known: {known}", key="design.comparison"
        )
    if eligibility_months < 1:
        raise ParamsError("eligibility_months must be at least 1", key="design.eligibility_months")
    _check_tables(tables)
    i0, i1 = _intake_months(intake)
    share = 1.0 / (i1 - i0 + 1) if control_share is None else float(control_share)
    if not 0 < share <= 1:
        raise ParamsError("control_share must lie in (0, 1]", key="control_share")

    con = connect(memory_limit, temp_directory)
    _prepare(con, tables)
    first_m, last_m, status_end = con.execute(
        "SELECT LEAST(MIN(m), (SELECT MIN(m) FROM hh)), GREATEST(MAX(m), (SELECT MAX(m) FROM hh)),"
        " MAX(m) FROM ws"
    ).fetchone()
    if first_m is None or status_end is None:
        raise DataError("no months in the status or assistance registers", table="status", count=0)
    if not _measure_known(con, tables, measure_id):
        raise DataError(
            "the measure has no participations and is not in the measures table",
            table="participations",
            column="measure_id",
            count=0,
        )
    if i1 < first_m or i0 > last_m:
        raise DataError(
            f"intake {intake[0]}..{intake[1]} lies outside the data "
            f"({month_label(first_m)}..{month_label(last_m)})",
            table="status",
            column="month",
        )
    con.execute("CREATE TEMP TABLE target AS SELECT CAST(? AS VARCHAR) AS measure_id", [measure_id])
    con.execute(f"CREATE TEMP TABLE bounds AS SELECT {first_m} AS first_m, {last_m} AS last_m")
    con.execute(
        f"CREATE TEMP TABLE months AS SELECT range AS m FROM range({first_m}, {last_m + 1})"
    )
    # a person is observed through the data's end if their status rows run to the register's
    # last month, else through their last status month (moved away, died)
    con.execute(
        f"""
        ALTER TABLE persons_n ADD COLUMN obs_end BIGINT;
        UPDATE persons_n SET obs_end = o.obs_end
        FROM (SELECT pid, CASE WHEN MAX(m) >= {status_end} THEN {last_m} ELSE MAX(m) END
                     AS obs_end FROM ws GROUP BY pid) o
        WHERE persons_n.pid = o.pid;
        UPDATE persons_n SET obs_end = {first_m - 1} WHERE obs_end IS NULL;
        """
    )
    a0, a1 = int(ages[0]), int(ages[1])
    con.execute(
        f"""
        CREATE TEMP TABLE elig AS
        SELECT p.pid, p.hid, e.u, e.u // 12 - p.birth_year AS age, p.obs_end >= e.u AS present
        FROM (SELECT DISTINCT hid, m + k AS u
              FROM hh CROSS JOIN range(1, {int(eligibility_months) + 1}) r(k)
              WHERE sek > 0 AND m + k BETWEEN {i0} AND {i1}) e
        JOIN persons_n p USING (hid);
        CREATE TEMP TABLE starts AS
        SELECT s.pid, s.u, s.first_start, p.hid,
               (e.pid IS NOT NULL) AS assisted, e.age, s.pid IS NOT NULL AS known,
               COALESCE(p.obs_end >= s.u, FALSE) AS present,
               EXISTS (SELECT 1 FROM ws w WHERE w.pid = s.pid AND w.m = s.u - 1 AND w.ws = 1)
                   AS working_before,
               EXISTS (SELECT 1 FROM parts q WHERE q.pid = s.pid AND q.sm <= s.u
                       AND s.u <= q.em AND NOT (q.measure_id = s.measure_id AND q.sm = s.u))
                   AS other
        FROM (SELECT pid, measure_id, sm AS u,
                     ROW_NUMBER() OVER (PARTITION BY pid ORDER BY sm) = 1 AS first_start
              FROM parts JOIN target USING (measure_id)) s
        LEFT JOIN persons_n p ON p.pid = s.pid
        LEFT JOIN elig e ON e.pid = s.pid AND e.u = s.u
        WHERE s.u BETWEEN {i0} AND {i1};
        CREATE TEMP TABLE risk AS
        SELECT e.pid, e.hid, e.u,
               COALESCE(BOOL_OR(q.sm <= e.u AND e.u <= q.em), FALSE) AS in_measure,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm < e.u), FALSE) AS before_m,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm = e.u), FALSE) AS starts_m,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm <= e.u AND e.u <= q.em),
                        FALSE) AS in_m_now,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id), FALSE) AS ever_m,
               COALESCE(MAX(w.ws), 0) = 1 AS working_before
        FROM elig e CROSS JOIN target t
        LEFT JOIN parts q ON q.pid = e.pid
        LEFT JOIN ws w ON w.pid = e.pid AND w.m = e.u - 1
        WHERE e.age BETWEEN {a0} AND {a1} AND e.present
        GROUP BY e.pid, e.hid, e.u;
        """
    )
    reasons = con.execute(
        f"""
        SELECT CASE WHEN NOT known THEN 'unknown_person'
                    WHEN NOT first_start THEN 'earlier_participation'
                    WHEN NOT assisted THEN 'no_recent_assistance'
                    WHEN age NOT BETWEEN {a0} AND {a1} THEN 'age_outside'
                    WHEN NOT present THEN 'registers_ended'
                    WHEN working_before THEN 'working_before_start'
                    WHEN other THEN 'in_other_measure'
                    ELSE 'included' END AS reason, COUNT(*) AS n
        FROM starts GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    reason_counts = {r: int(n) for r, n in reasons}
    treated = con.execute(
        f"""
        SELECT pid, hid, u FROM starts
        WHERE known AND first_start AND assisted AND age BETWEEN {a0} AND {a1}
          AND present AND NOT working_before AND NOT other
        ORDER BY u, pid
        """
    ).df()
    where = {
        "not_yet_treated": "NOT in_measure AND NOT before_m",
        "never_treated": "NOT in_measure AND NOT ever_m",
        "eligible": "NOT in_m_now",
    }[comparison]
    pool = con.execute(
        f"SELECT pid, hid, u FROM risk WHERE NOT working_before AND NOT starts_m AND {where} "
        "ORDER BY pid, u"
    ).df()
    drawn = pool[np.random.default_rng(seed).random(len(pool)) < share]
    units = pd.concat([treated.assign(treated=1), drawn.assign(treated=0)], ignore_index=True)
    units.insert(0, "unit_id", np.arange(1, len(units) + 1, dtype=np.int64))
    con.register("units_df", units)
    con.execute(
        "CREATE TEMP TABLE units AS SELECT x.*, p.obs_end FROM units_df x "
        "JOIN persons_n p USING (pid)"
    )
    con.unregister("units_df")
    con.execute(
        """
        CREATE TEMP TABLE stack_units AS
        SELECT CAST(ROW_NUMBER() OVER (ORDER BY u, pid) AS BIGINT) AS unit_id, s.*, p.obs_end
        FROM (SELECT pid, hid, u, 1 AS treated FROM units WHERE treated = 1
              UNION ALL
              SELECT pid, hid, u, 0 AS treated FROM risk
              WHERE NOT working_before AND NOT in_measure AND NOT before_m) s
        JOIN persons_n p USING (pid)
        """
    )
    arrays = month_arrays(con, first_m, last_m)
    frame = _features(con, arrays, "units", post=PATH_MONTHS, pre=PATH_MONTHS, full=True)
    frame["ref_month"] = pd.to_datetime(frame["ref_month"])
    n_eligible = con.execute("SELECT COUNT(DISTINCT pid), COUNT(*) FROM risk").fetchone()
    later = con.execute(
        "SELECT COUNT(DISTINCT x.unit_id) FROM units x JOIN parts q ON q.pid = x.pid "
        "JOIN target t USING (measure_id) WHERE x.treated = 0 AND q.sm > x.u"
    ).fetchone()[0]
    n_treated = int((frame["treated"] == 1).sum())
    n_control = int(len(frame) - n_treated)
    info: dict[str, Any] = {
        "measure_id": measure_id,
        "intake_start": month_label(i0),
        "intake_end": month_label(i1),
        "comparison": comparison,
        "comparison_rule": COMPARISONS[comparison],
        "unit_rule": COMPARISON_RULE,
        "eligibility_months": int(eligibility_months),
        "ages": [a0, a1],
        "control_share": share,
        "seed": seed,
        "data_start": month_label(first_m),
        "data_end": month_label(last_m),
        "n_eligible": int(n_eligible[0]),
        "n_eligible_person_months": int(n_eligible[1]),
        "n_participants_in_intake": int(sum(reason_counts.values())),
        "n_participants_excluded": {k: v for k, v in reason_counts.items() if k != "included"},
        "n_treated": n_treated,
        "n_control": n_control,
        "n_control_persons": int(frame.loc[frame["treated"] == 0, "cluster_id"].nunique()),
        "n_comparison_pool": int(len(pool)),
        "n_control_start_later": int(later),
        "share_control_start_later": float(later / n_control) if n_control else None,
        "n_outcome_missing": {o: int(frame[o].isna().sum()) for o in STANDARD_OUTCOMES},
        "attrition": attrition_table(frame),
    }
    return AnalysisSample(
        frame=frame,
        measure_id=measure_id,
        intake=(month_label(i0), month_label(i1)),
        comparison=comparison,
        info=info,
        _con=con,
        _arrays=arrays,
    )


def attrition_table(frame: pd.DataFrame) -> dict[str, dict[str, dict[str, Any]]]:
    """Per horizon and group: units whose horizon lies in the data, how many are not observed.

    ``{"12m": {"treated": {"n": ..., "n_not_observed": ..., "share_not_observed": ...},
    "control": {...}}}``; units whose horizon runs past the data's end are not counted.
    """
    out: dict[str, dict[str, dict[str, Any]]] = {}
    for h in ATTRITION_HORIZONS:
        col = frame[f"observed_{h}m"]
        row: dict[str, dict[str, Any]] = {}
        for group, value in (("treated", 1), ("control", 0)):
            seen = col[(frame["treated"] == value) & col.notna()]
            n, lost = int(seen.size), int((seen == 0).sum())
            row[group] = {
                "n": n,
                "n_not_observed": lost,
                "share_not_observed": lost / n if n else None,
            }
        out[f"{h}m"] = row
    return out
