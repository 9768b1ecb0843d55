"""Small hand-made register tables (all valid) for the data-layer tests, built as raw text."""

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
