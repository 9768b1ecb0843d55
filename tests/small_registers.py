"""Small hand-made registers for the data-layer tests (one fixture module for them all).

- ``registers()``: valid register tables as raw text, as a loader reads them (3 persons with
  personnummer), for loading, validation and pseudonymisation;
- ``small_registers()``: five persons in four households, 2019-01..2022-08, as validated frames
  (person_id, datetime64 months): small enough to work out by hand. Every expected number in
  tests/test_sample.py and tests/test_followup.py is derived in their comments from these rows.
"""

from __future__ import annotations

import pandas as pd

from evalkit.data.pseudonym import luhn_check_digit

TEST_KEY = "test-key-not-secret"


def personnummer(yymmdd: str, serial3: str, *, century: str = "", sep: str = "-") -> str:
    """A valid personnummer for a birth date and 3-digit serial (check digit computed)."""
    check = luhn_check_digit(yymmdd + serial3)
    return f"{century}{yymmdd}{sep}{serial3}{check}"


#: Three persons; the second has a 12-digit form, the third is a samordningsnummer (day + 60).
PNR = [
    personnummer("850312", "123"),
    personnummer("900101", "234", century="19", sep=""),
    personnummer("780775", "345"),
]


def registers() -> dict[str, pd.DataFrame]:
    """Valid registers (as text, like a CSV): 3 persons, 2 measures, 3 participations, ..."""
    s = lambda *v: pd.Series(list(v), dtype="string")  # noqa: E731
    return {
        "persons": pd.DataFrame(
            {
                "personnummer": s(*PNR),
                "birth_year": s("1985", "1990", "1978"),
                "sex": s("K", "M", "K"),
                "birth_region": s("sverige", "europa", "utanfor_europa"),
                "arrival_year": s(None, "2010", "2015"),
                "education": s("gymnasial", "forgymnasial", "okand"),
                "household_id": s("h1", "h2", "h3"),
            }
        ),
        "measures": pd.DataFrame(
            {
                "measure_id": s("m1", "m2"),
                "name": s("Jobbspår", "Praktik"),
                "type": s("jobbspar", "praktik"),
                "owner": s("AME", "AME"),
                "decision_ref": s("KS 2022/118", None),
                "cost_per_participant_month_sek": s("12000", None),
            }
        ),
        "participations": pd.DataFrame(
            {
                "personnummer": s(PNR[0], PNR[1], PNR[2]),
                "measure_id": s("m1", "m2", "m1"),
                "start_date": s("2021-03-01", "2021-05-10", "2022-01-15"),
                "end_date": s("2021-09-30", None, "2022-06-30"),
                "end_reason": s("arbete_osubventionerat", "pagaende", "studier"),
            }
        ),
        "assistance": pd.DataFrame(
            {
                "household_id": s("h1", "h1", "h2", "h3"),
                "month": s("2021-01-01", "2021-02-01", "2021-01-01", "2021-03-01"),
                "amount_sek": s("5400", "5400.5", "8000", "0"),
            }
        ),
        "status": pd.DataFrame(
            {
                "personnummer": s(PNR[0], PNR[0], PNR[1]),
                "month": s("2021-01-01", "2021-02-01", "2021-01-01"),
                "status": s("arbetslos", "arbete", "studier"),
            }
        ),
        "costs": pd.DataFrame(
            {
                "measure_id": s("m1", "m2"),
                "month": s("2021-03-01", "2021-05-01"),
                "cost_sek": s("100000", "50000"),
                "external_funding_sek": s("0", None),
            }
        ),
    }


def with_rows(tables: dict[str, pd.DataFrame]) -> dict[str, pd.DataFrame]:
    """Add the loader's 1-based ``_row`` column, as ``load_registers`` does."""
    out = {}
    for name, frame in tables.items():
        frame = frame.reset_index(drop=True).copy()
        frame.insert(0, "_row", pd.array(range(1, len(frame) + 1), dtype="Int64"))
        out[name] = frame
    return out


# --- the five-person municipality (validated frames) ----------------------------------------

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
