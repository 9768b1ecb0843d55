"""Five persons in four households, 2019-01..2022-08: a register small enough to work out by hand.

Shared by tests/test_sample.py and tests/test_followup.py; every expected number in those tests
is derived in their comments from the rows written here.
"""

from __future__ import annotations

import pandas as pd

FIRST, LAST = "2019-01", "2022-08"  # status months; assistance lies inside


def _months(first: str, last: str) -> pd.DatetimeIndex:
    return pd.date_range(f"{first}-01", f"{last}-01", freq="MS")


def small_registers() -> dict[str, pd.DataFrame]:
    """Validated-looking frames (person_id, datetime64 months) of the hand-made municipality."""
    persons = pd.DataFrame(
        {
            "person_id": ["a", "b", "c", "d", "e"],
            "birth_year": [1990, 1985, 2005, 1960, 1995],
            "sex": ["K", "M", "M", "K", "M"],
            "birth_region": ["sverige", "utanfor_europa", "europa", "sverige", "sverige"],
            "arrival_year": pd.array([None, 2015, 2010, None, None], dtype="Int64"),
            "education": ["gymnasial", "forgymnasial", "okand", "eftergymnasial", "gymnasial"],
            "household_id": ["h1", "h1", "h2", "h3", "h4"],
        }
    )
    assistance_rows = [
        ("h1", "2020-10", 5000.0),
        ("h1", "2020-11", 5000.0),
        ("h1", "2020-12", 6000.0),
        ("h1", "2021-02", 4000.0),
        ("h1", "2021-05", 3000.0),
        ("h1", "2022-01", 2500.0),
        ("h2", "2020-12", 2000.0),
    ]
    assistance_rows += [("h3", f"2020-{m:02d}", 1000.0) for m in range(6, 13)]
    assistance_rows += [("h3", "2021-01", 1000.0)]
    assistance = pd.DataFrame(assistance_rows, columns=["household_id", "month", "amount_sek"])
    assistance["month"] = pd.to_datetime(assistance["month"] + "-01")

    overrides = {
        "a": [("2019-01", "2019-01", "arbete"), ("2020-01", "2020-06", "arbete"),
              ("2021-02", "2021-04", "kommunal_insats"), ("2021-05", "2021-12", "arbete")],
        "b": [("2019-06", "2019-08", "arbete_subventionerat"),
              ("2020-11", "2021-01", "kommunal_insats"), ("2021-03", "2021-03", "studier"),
              ("2022-02", "2022-08", "arbete")],
        "c": [("2021-09", "2021-09", "studier")],
        "d": [("2021-01", "2021-01", "arbete"), ("2021-05", "2022-08", "kommunal_insats")],
        "e": [("2022-01", "2022-01", "arbete")],
    }  # fmt: skip
    rows = []
    for pid in persons["person_id"]:
        for month in _months(FIRST, LAST):
            value = "arbetslos"
            for lo, hi, status in overrides[pid]:
                if pd.Timestamp(f"{lo}-01") <= month <= pd.Timestamp(f"{hi}-01"):
                    value = status
            rows.append((pid, month, value))
    status = pd.DataFrame(rows, columns=["person_id", "month", "status"])

    participations = pd.DataFrame(
        [
            ("a", "m1", "2021-02-15", "2021-04-30", "arbete_osubventionerat"),
            ("b", "m2", "2020-11-03", "2021-01-20", "annan_insats"),
            ("c", "m1", "2021-03-01", "2021-03-31", "studier"),
            ("d", "m1", "2021-05-10", None, "pagaende"),
            ("e", "m1", "2021-01-10", "2021-02-15", "annat"),
        ],
        columns=["person_id", "measure_id", "start_date", "end_date", "end_reason"],
    )
    for col in ("start_date", "end_date"):
        participations[col] = pd.to_datetime(participations[col])
    measures = pd.DataFrame(
        {
            "measure_id": ["m1", "m2"],
            "name": ["Measure one", "Measure two"],
            "type": ["praktik", "coachning"],
            "owner": ["AME", "AME"],
            "decision_ref": ["AMN 2020/1", "AMN 2020/2"],
            "cost_per_participant_month_sek": [1000.0, 2000.0],
        }
    )
    return {
        "persons": persons,
        "measures": measures,
        "participations": participations,
        "assistance": assistance,
        "status": status,
    }
