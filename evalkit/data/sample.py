"""The analysis sample of one measure: eligible persons, participants, comparisons, outcomes.

Heavy joins and aggregations run in an in-memory DuckDB connection over the validated frames;
months are numbered ``year * 12 + month - 1`` so that windows are integer ranges.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from typing import Any

import duckdb
import numpy as np
import pandas as pd

from evalkit.data.schema import WORK_OR_STUDY_STATUS
from evalkit.errors import DataError, MissingColumnError, MissingTableError, ParamsError

#: Covariates measured before the reference month (all numeric, so every estimator can use them).
DEFAULT_COVARIATES: tuple[str, ...] = (
    "age",
    "female",
    "born_europe",
    "born_outside_europe",
    "years_in_sweden",
    "edu_gymnasial",
    "edu_eftergymnasial",
    "edu_unknown",
    "household_size",
    "assistance_months_12m_before",
    "assistance_months_24m_before",
    "assistance_sek_12m_before",
    "assistance_sek_24m_before",
    "work_months_24m_before",
    "earlier_measures",
)

#: The standard outcome names (the contract other parts use).
STANDARD_OUTCOMES: tuple[str, ...] = (
    "work_or_study_6m",
    "work_or_study_12m",
    "work_or_study_24m",
    "assistance_sek_12m",
    "assistance_sek_24m",
    "assistance_months_12m",
)

#: Pre-period outcomes measured before the covariate window, never used as covariates.
PLACEBO_OUTCOMES: tuple[str, ...] = (
    "placebo_work_or_study_25m_before",
    "placebo_assistance_sek_25_36m_before",
)

#: How the comparison units of each design are formed (also returned by ``describe()``).
COMPARISONS: dict[str, str] = {
    "not_yet_treated": (
        "eligible person-months in the intake window without work or studies and not in any "
        "measure that month, of persons who had not started the measure by then (they may "
        "start later); each such month is drawn as a reference month with probability "
        "control_share"
    ),
    "never_treated": (
        "as not_yet_treated, but only persons who never start the measure in the data; "
        "conditioning on the future, so use it as a sensitivity check"
    ),
    "eligible": (
        "eligible person-months in the intake window without work or studies in which the "
        "person is not in the measure (persons in other measures and earlier participants "
        "included); each drawn with probability control_share"
    ),
}

_WORK = ", ".join(f"'{s}'" for s in WORK_OR_STUDY_STATUS)
_FAR = 2_147_483_647  # "ongoing": an end month beyond any data


def _month_number(month: str) -> int:
    """'YYYY-MM' (or 'YYYY-MM-DD') -> year * 12 + month - 1."""
    try:
        year, mon = str(month).split("-")[:2]
        value = int(year) * 12 + int(mon) - 1
    except ValueError:
        raise ParamsError(f"'{month}' is not a month (YYYY-MM)", key="design.intake") from None
    if not 1 <= int(mon) <= 12:
        raise ParamsError(f"'{month}' is not a month (YYYY-MM)", key="design.intake")
    return value


def _month_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def _mi(column: str) -> str:
    """SQL for the month number of a date, timestamp or ISO-text column."""
    return f'(year(CAST("{column}" AS DATE)) * 12 + month(CAST("{column}" AS DATE)) - 1)'


_NEEDED = {
    "persons": ("person_id", "birth_year", "sex", "birth_region", "arrival_year", "education",
                "household_id"),
    "participations": ("person_id", "measure_id", "start_date", "end_date"),
    "assistance": ("household_id", "month", "amount_sek"),
    "status": ("person_id", "month", "status"),
}  # fmt: skip


def _check_tables(tables: dict[str, pd.DataFrame], names: tuple[str, ...] = tuple(_NEEDED)) -> None:
    """Fail with a typed error naming the table and column when an input is missing."""
    for name in names:
        cols = _NEEDED[name]
        if name not in tables:
            raise MissingTableError("the analysis sample needs this table", table=name)
        for col in cols:
            if col not in tables[name].columns:
                raise MissingColumnError(
                    "the analysis sample needs this column", table=name, column=col
                )


@dataclass
class AnalysisSample:
    """One measure's analysis sample: one row per unit (a person at a reference month).

    ``frame`` holds ``unit_id`` (opaque row number), ``cluster_id`` (opaque person number, the
    same in ``panel()`` and ``stacked()``), ``treated``, ``ref_month``, ``ref_period``, the
    covariates, the outcomes (NaN where the horizon runs past the data), the placebo outcomes
    and the subgroup columns ``sex``, ``age_group``, ``birth_region``.
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

    def describe(self) -> dict[str, Any]:
        """Counts of eligible, treated and comparison units and how the comparison was formed."""
        return dict(self.info)

    def panel(self) -> pd.DataFrame:
        """Long monthly panel of the sample's persons: unit_id, period, cohort, outcomes."""
        return self._con.execute(_PANEL_SQL).df()

    def stacked(self, horizon: int = 24) -> pd.DataFrame:
        """Per start month u: eligible persons not yet joined by u, ``treated`` = joined in u."""
        if horizon < 1:
            raise ValueError("horizon must be at least 1")
        frame = self._con.execute(_features_sql("stack_units", horizon, stacked=True)).df()
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
WITH ppl AS (SELECT DISTINCT cluster_id, person_id, household_id FROM units),
coh AS (
    SELECT q.person_id, MIN(q.sm) AS sm FROM parts q JOIN target t USING (measure_id) GROUP BY 1
)
SELECT ppl.cluster_id AS unit_id,
       CAST(r.m - b.first_m + 1 AS BIGINT) AS period,
       CAST(CASE WHEN coh.sm IS NULL THEN 0 ELSE coh.sm - b.first_m + 1 END AS BIGINT) AS cohort,
       CAST(COALESCE(w.ws, 0) AS DOUBLE) AS work_or_study,
       CAST(COALESCE(h.sek, 0) AS DOUBLE) AS assistance_sek
FROM ppl
CROSS JOIN bounds b
JOIN months r ON TRUE
LEFT JOIN coh ON coh.person_id = ppl.person_id
LEFT JOIN ws w ON w.person_id = ppl.person_id AND w.m = r.m
LEFT JOIN hh h ON h.household_id = ppl.household_id AND h.m = r.m
WHERE coh.sm IS NULL OR coh.sm >= b.first_m
ORDER BY unit_id, period
"""


def _features_sql(units: str, horizon: int, *, stacked: bool) -> str:
    """SQL for covariates and outcomes of every row of ``units`` (range joins, one pass each)."""
    hh_cols = [
        "SUM(CASE WHEN h.m BETWEEN x.u - 12 AND x.u - 1 AND h.sek > 0 THEN 1 ELSE 0 END) AS am12",
        "SUM(CASE WHEN h.m BETWEEN x.u - 24 AND x.u - 1 AND h.sek > 0 THEN 1 ELSE 0 END) AS am24",
        "SUM(CASE WHEN h.m BETWEEN x.u - 12 AND x.u - 1 THEN h.sek ELSE 0 END) AS as12",
        "SUM(CASE WHEN h.m BETWEEN x.u - 24 AND x.u - 1 THEN h.sek ELSE 0 END) AS as24",
    ]
    ws_cols = ["SUM(CASE WHEN w.m BETWEEN x.u - 24 AND x.u - 1 THEN w.ws ELSE 0 END) AS wm24"]
    out: list[str] = []
    if stacked:
        lo_h, hi = 24, horizon
        for k in range(1, horizon + 1):
            hh_cols.append(f"SUM(CASE WHEN h.m = x.u + {k} THEN h.sek ELSE 0 END) AS s{k}")
            ws_cols.append(f"MAX(CASE WHEN w.m = x.u + {k} THEN w.ws END) AS w{k}")
            out.append(_past_end(k, f"COALESCE(wk.w{k}, 0)", f"work_or_study_m{k}"))
        for k in range(1, horizon + 1):
            out.append(_past_end(k, f"COALESCE(a.s{k}, 0)", f"assistance_sek_m{k}"))
        lo_w = 24
    else:
        lo_h, hi, lo_w = 36, 24, 25
        hh_cols += [
            "SUM(CASE WHEN h.m BETWEEN x.u + 1 AND x.u + 12 THEN h.sek ELSE 0 END) AS s12",
            "SUM(CASE WHEN h.m BETWEEN x.u + 1 AND x.u + 24 THEN h.sek ELSE 0 END) AS s24",
            "SUM(CASE WHEN h.m BETWEEN x.u + 1 AND x.u + 12 AND h.sek > 0 THEN 1 ELSE 0 END)"
            " AS n12",
            "SUM(CASE WHEN h.m BETWEEN x.u - 36 AND x.u - 25 THEN h.sek ELSE 0 END) AS ps",
        ]
        ws_cols += [f"MAX(CASE WHEN w.m = x.u + {k} THEN w.ws END) AS w{k}" for k in (6, 12, 24)]
        ws_cols.append("MAX(CASE WHEN w.m = x.u - 25 THEN w.ws END) AS pw")
        out += [
            _past_end(6, "COALESCE(wk.w6, 0)", "work_or_study_6m"),
            _past_end(12, "COALESCE(wk.w12, 0)", "work_or_study_12m"),
            _past_end(24, "COALESCE(wk.w24, 0)", "work_or_study_24m"),
            _past_end(12, "COALESCE(a.s12, 0)", "assistance_sek_12m"),
            _past_end(24, "COALESCE(a.s24, 0)", "assistance_sek_24m"),
            _past_end(12, "COALESCE(a.n12, 0)", "assistance_months_12m"),
            "CAST(CASE WHEN x.u - 25 < b.first_m THEN NULL ELSE COALESCE(wk.pw, 0) END AS DOUBLE)"
            " AS placebo_work_or_study_25m_before",
            "CAST(CASE WHEN x.u - 36 < b.first_m THEN NULL ELSE COALESCE(a.ps, 0) END AS DOUBLE)"
            " AS placebo_assistance_sek_25_36m_before",
            "p.sex",
            "CASE WHEN x.u // 12 - p.birth_year < 30 THEN '18-29' "
            "WHEN x.u // 12 - p.birth_year < 45 THEN '30-44' ELSE '45-64' END AS age_group",
            "p.birth_region",
        ]
    age = "(x.u // 12 - p.birth_year)"
    return f"""
WITH a AS (
    SELECT x.unit_id, {", ".join(hh_cols)}
    FROM {units} x JOIN hh h
      ON h.household_id = x.household_id AND h.m BETWEEN x.u - {lo_h} AND x.u + {hi}
    GROUP BY x.unit_id
), wk AS (
    SELECT x.unit_id, {", ".join(ws_cols)}
    FROM {units} x JOIN ws w
      ON w.person_id = x.person_id AND w.m BETWEEN x.u - {lo_w} AND x.u + {hi}
    GROUP BY x.unit_id
), em AS (
    SELECT x.unit_id, COUNT(*) AS n
    FROM {units} x JOIN parts q ON q.person_id = x.person_id AND q.sm < x.u
    GROUP BY x.unit_id
)
SELECT x.unit_id, x.cluster_id, CAST(x.treated AS BIGINT) AS treated,
       make_date(CAST(x.u // 12 AS INT), CAST(x.u % 12 + 1 AS INT), 1) AS ref_month,
       CAST(x.u - b.first_m + 1 AS BIGINT) AS ref_period,
       CAST({age} AS DOUBLE) AS age,
       CAST(p.female AS DOUBLE) AS female,
       CAST(p.born_europe AS DOUBLE) AS born_europe,
       CAST(p.born_outside_europe AS DOUBLE) AS born_outside_europe,
       CAST(CASE WHEN p.arrival_year IS NULL THEN {age} ELSE x.u // 12 - p.arrival_year END
            AS DOUBLE) AS years_in_sweden,
       CAST(p.edu_gymnasial AS DOUBLE) AS edu_gymnasial,
       CAST(p.edu_eftergymnasial AS DOUBLE) AS edu_eftergymnasial,
       CAST(p.edu_unknown AS DOUBLE) AS edu_unknown,
       CAST(p.household_size AS DOUBLE) AS household_size,
       CAST(COALESCE(a.am12, 0) AS DOUBLE) AS assistance_months_12m_before,
       CAST(COALESCE(a.am24, 0) AS DOUBLE) AS assistance_months_24m_before,
       CAST(COALESCE(a.as12, 0) AS DOUBLE) AS assistance_sek_12m_before,
       CAST(COALESCE(a.as24, 0) AS DOUBLE) AS assistance_sek_24m_before,
       CAST(COALESCE(wk.wm24, 0) AS DOUBLE) AS work_months_24m_before,
       CAST(COALESCE(em.n, 0) AS DOUBLE) AS earlier_measures,
       {", ".join(out)}
FROM {units} x
JOIN persons_n p ON p.person_id = x.person_id
CROSS JOIN bounds b
LEFT JOIN a ON a.unit_id = x.unit_id
LEFT JOIN wk ON wk.unit_id = x.unit_id
LEFT JOIN em ON em.unit_id = x.unit_id
ORDER BY x.unit_id
"""


def _past_end(k: int, value: str, name: str) -> str:
    """An outcome k months after the reference month: NULL when that month is past the data."""
    return f"CAST(CASE WHEN x.u + {k} > b.last_m THEN NULL ELSE {value} END AS DOUBLE) AS {name}"


def _prepare(con: Any, tables: dict[str, pd.DataFrame]) -> None:
    """Register the validated frames and normalise them to month numbers in DuckDB."""
    for name, cols in _NEEDED.items():
        con.register(f"{name}_raw", tables[name][list(cols)])
    con.execute(
        f"""
        CREATE TEMP TABLE persons_n AS
        SELECT CAST(person_id AS VARCHAR) AS person_id,
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
               COUNT(*) OVER (PARTITION BY household_id) AS household_size,
               CAST(ROW_NUMBER() OVER (ORDER BY person_id) AS BIGINT) AS cluster_id
        FROM persons_raw;
        CREATE TEMP TABLE hh AS
        SELECT CAST(household_id AS VARCHAR) AS household_id, {_mi("month")} AS m,
               SUM(CAST(amount_sek AS DOUBLE)) AS sek
        FROM assistance_raw GROUP BY ALL;
        CREATE TEMP TABLE ws AS
        SELECT CAST(person_id AS VARCHAR) AS person_id, {_mi("month")} AS m,
               MAX(CAST(CAST(status AS VARCHAR) IN ({_WORK}) AS INT)) AS ws
        FROM status_raw GROUP BY ALL;
        CREATE TEMP TABLE parts AS
        SELECT CAST(person_id AS VARCHAR) AS person_id, CAST(measure_id AS VARCHAR) AS measure_id,
               {_mi("start_date")} AS sm, COALESCE({_mi("end_date")}, {_FAR}) AS em
        FROM participations_raw;
        """
    )
    for name in _NEEDED:
        con.unregister(f"{name}_raw")


def build_sample(
    tables: dict[str, pd.DataFrame],
    measure_id: str,
    *,
    intake: tuple[str, str] = ("2021-01", "2023-12"),
    comparison: str = "not_yet_treated",
    eligibility_months: int = 3,
    seed: int = 20261126,
    ages: tuple[int, int] = (18, 64),
    control_share: float | None = None,
) -> AnalysisSample:
    """Build one measure's analysis sample from validated registers (frames with ``person_id``).

    A person is eligible in month u when the household received assistance in at least one of
    the ``eligibility_months`` months before u and the person's age (u's year minus birth year)
    lies within ``ages``. Treated units are first participations in the measure that start in
    the intake window while eligible and not in another measure; the others are counted by
    reason in ``describe()``. Comparison units are eligible person-months without work or
    studies (see ``COMPARISONS``), each drawn with probability ``control_share`` (default one
    over the number of intake months, about one reference month per person) so that a person's
    chance of being drawn never depends on the future. Covariates use the 24 months before u
    (months before the data count as zero); outcomes whose horizon runs past the data's last
    month are NaN.
    """
    if comparison not in COMPARISONS:
        known = ", ".join(COMPARISONS)
        raise ParamsError(
            f"unknown comparison '{comparison}'; known: {known}", key="design.comparison"
        )
    if eligibility_months < 1:
        raise ParamsError("eligibility_months must be at least 1", key="design.eligibility_months")
    _check_tables(tables)
    i0, i1 = _month_number(intake[0]), _month_number(intake[1])
    if i1 < i0:
        raise ParamsError(
            f"intake ends ({intake[1]}) before it starts ({intake[0]})", key="design.intake"
        )
    share = 1.0 / (i1 - i0 + 1) if control_share is None else float(control_share)
    if not 0 < share <= 1:
        raise ParamsError("control_share must lie in (0, 1]", key="design.control_share")

    con = duckdb.connect()
    _prepare(con, tables)
    first_m, last_m = con.execute(
        "SELECT MIN(m), MAX(m) FROM (SELECT m FROM ws UNION ALL SELECT m FROM hh)"
    ).fetchone()
    if first_m is None:
        raise DataError("no months in the status or assistance registers", table="status", count=0)
    known = con.execute("SELECT COUNT(*) FROM parts WHERE measure_id = ?", [measure_id]).fetchone()
    in_measures = (
        "measures" in tables and (tables["measures"]["measure_id"].astype(str) == measure_id).any()
    )
    if not known[0] and not in_measures:
        raise DataError(
            "the measure has no participations and is not in the measures table",
            table="participations",
            column="measure_id",
            count=0,
        )
    if i1 < first_m or i0 > last_m:
        raise DataError(
            f"intake {intake[0]}..{intake[1]} lies outside the data "
            f"({_month_text(first_m)}..{_month_text(last_m)})",
            table="status",
            column="month",
        )
    con.execute("CREATE TEMP TABLE target AS SELECT CAST(? AS VARCHAR) AS measure_id", [measure_id])
    con.execute(f"CREATE TEMP TABLE bounds AS SELECT {first_m} AS first_m, {last_m} AS last_m")
    con.execute(
        f"CREATE TEMP TABLE months AS SELECT range AS m FROM range({first_m}, {last_m + 1})"
    )
    a0, a1 = int(ages[0]), int(ages[1])
    con.execute(
        f"""
        CREATE TEMP TABLE elig AS
        SELECT p.person_id, p.household_id, p.cluster_id, e.u, e.u // 12 - p.birth_year AS age
        FROM (SELECT DISTINCT household_id, m + k AS u
              FROM hh CROSS JOIN range(1, {int(eligibility_months) + 1}) r(k)
              WHERE sek > 0 AND m + k BETWEEN {i0} AND {i1}) e
        JOIN persons_n p USING (household_id);
        CREATE TEMP TABLE starts AS
        SELECT s.person_id, s.u, s.first_start, p.cluster_id, p.household_id,
               (e.person_id IS NOT NULL) AS assisted, e.age, p.person_id IS NOT NULL AS known,
               EXISTS (SELECT 1 FROM parts q WHERE q.person_id = s.person_id AND q.sm <= s.u
                       AND s.u <= q.em AND NOT (q.measure_id = s.measure_id AND q.sm = s.u))
                   AS other
        FROM (SELECT person_id, measure_id, sm AS u,
                     ROW_NUMBER() OVER (PARTITION BY person_id ORDER BY sm) = 1 AS first_start
              FROM parts JOIN target USING (measure_id)) s
        LEFT JOIN persons_n p ON p.person_id = s.person_id
        LEFT JOIN elig e ON e.person_id = s.person_id AND e.u = s.u
        WHERE s.u BETWEEN {i0} AND {i1};
        CREATE TEMP TABLE risk AS
        SELECT e.person_id, e.household_id, e.cluster_id, e.u,
               COALESCE(BOOL_OR(q.sm <= e.u AND e.u <= q.em), FALSE) AS in_measure,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm < e.u), FALSE) AS before_m,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm = e.u), FALSE) AS starts_m,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id AND q.sm <= e.u AND e.u <= q.em),
                        FALSE) AS in_m_now,
               COALESCE(BOOL_OR(q.measure_id = t.measure_id), FALSE) AS ever_m,
               COALESCE(MAX(w.ws), 0) = 1 AS working
        FROM elig e CROSS JOIN target t
        LEFT JOIN parts q ON q.person_id = e.person_id
        LEFT JOIN ws w ON w.person_id = e.person_id AND w.m = e.u
        WHERE e.age BETWEEN {a0} AND {a1}
        GROUP BY e.person_id, e.household_id, e.cluster_id, e.u;
        """
    )
    reasons = con.execute(
        f"""
        SELECT CASE WHEN NOT known THEN 'unknown_person'
                    WHEN NOT first_start THEN 'earlier_participation'
                    WHEN NOT assisted THEN 'no_recent_assistance'
                    WHEN age NOT BETWEEN {a0} AND {a1} THEN 'age_outside'
                    WHEN other THEN 'in_other_measure'
                    ELSE 'included' END AS reason, COUNT(*) AS n
        FROM starts GROUP BY 1 ORDER BY 1
        """
    ).fetchall()
    reason_counts = {r: int(n) for r, n in reasons}
    treated = con.execute(
        f"""
        SELECT person_id, household_id, cluster_id, u FROM starts
        WHERE known AND first_start AND assisted AND age BETWEEN {a0} AND {a1} AND NOT other
        ORDER BY u, cluster_id
        """
    ).df()
    where = {
        "not_yet_treated": "NOT in_measure AND NOT before_m",
        "never_treated": "NOT in_measure AND NOT ever_m",
        "eligible": "NOT in_m_now",
    }[comparison]
    pool = con.execute(
        f"SELECT person_id, household_id, cluster_id, u FROM risk "
        f"WHERE NOT working AND NOT starts_m AND {where} ORDER BY cluster_id, u"
    ).df()
    drawn = pool[np.random.default_rng(seed).random(len(pool)) < share]
    units = pd.concat([treated.assign(treated=1), drawn.assign(treated=0)], ignore_index=True)
    units.insert(0, "unit_id", np.arange(1, len(units) + 1, dtype=np.int64))
    con.register("units_df", units)
    con.execute("CREATE TEMP TABLE units AS SELECT * FROM units_df")
    con.unregister("units_df")
    con.execute(
        """
        CREATE TEMP TABLE stack_units AS
        SELECT CAST(ROW_NUMBER() OVER (ORDER BY u, cluster_id) AS BIGINT) AS unit_id, *
        FROM (SELECT cluster_id, person_id, household_id, u, 1 AS treated FROM units
              WHERE treated = 1
              UNION ALL
              SELECT cluster_id, person_id, household_id, u, 0 AS treated FROM risk
              WHERE NOT working AND NOT in_measure AND NOT before_m)
        """
    )
    frame = con.execute(_features_sql("units", 0, stacked=False)).df()
    frame["ref_month"] = pd.to_datetime(frame["ref_month"])
    n_eligible = con.execute("SELECT COUNT(DISTINCT person_id), COUNT(*) FROM risk").fetchone()
    n_treated = int((frame["treated"] == 1).sum())
    info: dict[str, Any] = {
        "measure_id": measure_id,
        "intake_start": _month_text(i0),
        "intake_end": _month_text(i1),
        "comparison": comparison,
        "comparison_rule": COMPARISONS[comparison],
        "eligibility_months": int(eligibility_months),
        "ages": [a0, a1],
        "control_share": share,
        "seed": seed,
        "data_start": _month_text(first_m),
        "data_end": _month_text(last_m),
        "n_eligible": int(n_eligible[0]),
        "n_eligible_person_months": int(n_eligible[1]),
        "n_participants_in_intake": int(sum(reason_counts.values())),
        "n_participants_excluded": {k: v for k, v in reason_counts.items() if k != "included"},
        "n_treated": n_treated,
        "n_control": int(len(frame) - n_treated),
        "n_control_persons": int(frame.loc[frame["treated"] == 0, "cluster_id"].nunique()),
        "n_comparison_pool": int(len(pool)),
        "n_outcome_missing": {o: int(frame[o].isna().sum()) for o in STANDARD_OUTCOMES},
    }
    return AnalysisSample(
        frame=frame,
        measure_id=measure_id,
        intake=(_month_text(i0), _month_text(i1)),
        comparison=comparison,
        info=info,
        _con=con,
    )
