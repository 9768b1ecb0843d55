"""Personnummer checks and keyed pseudonyms, so that no personnummer passes the loader.

A personnummer (10 or 12 digits, with or without a ``-``/``+`` separator; samordningsnummer
have day + 60) is checked for a real date and the Luhn check digit, normalised to one canonical
12-digit form ``YYYYMMDDNNNC`` and replaced by HMAC-SHA256 keyed by ``EVALKIT_PSEUDONYM_KEY``.
The same person therefore gets the same pseudonym whichever form a table uses.
Nothing here logs or raises with a personnummer in the message.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os

import numpy as np
import pandas as pd

from evalkit.errors import PseudonymKeyError

KEY_ENV = "EVALKIT_PSEUDONYM_KEY"

#: Hex characters kept from the HMAC-SHA256 digest (128 bits: collisions are negligible for any
#: population, and memory for city-size monthly tables stays moderate).
PSEUDONYM_HEX_CHARS = 32

#: Column a frame carries after pseudonymisation: True where the personnummer was present but
#: invalid (rule R108). The validator quarantines those rows and then drops the column.
INVALID_MARKER = "_personnummer_invalid"

_PATTERN = r"^(?P<century>\d{2})?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{4})$"
_LUHN_WEIGHTS = np.array([2, 1, 2, 1, 2, 1, 2, 1, 2], dtype=np.int64)


def pseudonym_key(key: bytes | str | None = None) -> bytes:
    """Return the HMAC key: the argument, else ``EVALKIT_PSEUDONYM_KEY``; refuse to run without."""
    if key is None:
        key = os.environ.get(KEY_ENV, "")
    if isinstance(key, str):
        key = key.encode("utf-8")
    if not key:
        raise PseudonymKeyError(
            f"personnummer must be pseudonymised but {KEY_ENV} is not set. Set it to a long secret "
            f"and keep it (the same key gives the same pseudonyms), e.g. "
            f"`export {KEY_ENV}=$(python -c 'import secrets; print(secrets.token_hex(32))')`"
        )
    return key


def luhn_check_digit(nine_digits: str) -> int:
    """Return the Luhn check digit of the first nine digits YYMMDDNNN (for tests and docs)."""
    products = [int(d) * w for d, w in zip(nine_digits, _LUHN_WEIGHTS, strict=True)]
    return (10 - sum(p // 10 + p % 10 for p in products) % 10) % 10


def canonical_personnummer(values: pd.Series, *, reference_year: int | None = None) -> pd.Series:
    """Return the canonical 12-digit form of each valid personnummer, NA where invalid or missing.

    Ten-digit forms get their century from the separator: ``-`` (or none) means younger than
    100 in ``reference_year`` (default: this year), ``+`` means 100 or older.
    """
    ref = reference_year or dt.date.today().year
    text = _as_text(values)
    parts = text.str.extract(_PATTERN)
    ok = parts["date"].notna().to_numpy()
    out = pd.Series(pd.NA, index=values.index, dtype="string")
    if not ok.any():
        return out
    p = parts[ok]
    yymmdd = p["date"].to_numpy(dtype="U6")
    serial = p["serial"].to_numpy(dtype="U4")
    yy = _int_slice(yymmdd, 0, 2)
    mm = _int_slice(yymmdd, 2, 4)
    dd = _int_slice(yymmdd, 4, 6)
    has_century = p["century"].notna().to_numpy()
    cc = pd.to_numeric(p["century"], errors="coerce").fillna(0).to_numpy(dtype=np.int64)
    plus = p["sep"].to_numpy(dtype=str) == "+"
    # Ten-digit: the latest year ending in yy that is not after ref, 100 years earlier with '+'.
    guess = ref - ((ref - yy) % 100) - np.where(plus, 100, 0)
    year = np.where(has_century, cc * 100 + yy, guess)
    day = np.where(dd > 60, dd - 60, dd)  # samordningsnummer: day + 60
    not_future = year <= ref
    valid = _real_date(year, mm, day) & not_future & _luhn_ok(np.char.add(yymmdd, serial))
    res = np.full(len(yymmdd), None, dtype=object)
    if valid.any():
        mmdd = np.char.add(_slice(yymmdd[valid], 2, 4), _slice(yymmdd[valid], 4, 6))
        res[valid] = np.char.add(np.char.add(year[valid].astype("U4"), mmdd), serial[valid])
    out[ok] = pd.array(res, dtype="string")
    return out


def _as_text(values: pd.Series) -> pd.Series:
    """Personnummer as stripped text; numbers that lost a leading zero get it back."""
    if pd.api.types.is_numeric_dtype(values.dtype):
        text = values.astype("Int64").astype("string")
    else:
        text = values.astype("string").str.strip()
    # Nine bare digits: a ten-digit number that a spreadsheet stored as a number (0 dropped).
    lost_zero = text.str.fullmatch(r"\d{9}").fillna(False)
    return text.mask(lost_zero, text.str.zfill(10))


def _int_slice(arr: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Integer value of characters [start, stop) of each fixed-width digit string."""
    b = np.char.encode(arr.astype(f"U{max(stop, 1)}"), "ascii")
    codes = np.frombuffer(b.tobytes(), dtype=np.uint8).reshape(len(arr), -1)
    out = np.zeros(len(arr), dtype=np.int64)
    for i in range(start, stop):
        out = out * 10 + (codes[:, i].astype(np.int64) - 48)
    return out


def _slice(arr: np.ndarray, start: int, stop: int) -> np.ndarray:
    """Characters [start, stop) of each string, vectorised."""
    return np.strings.slice(arr, start, stop)


def _real_date(year: np.ndarray, month: np.ndarray, day: np.ndarray) -> np.ndarray:
    """True where year-month-day is a real calendar date."""
    month_ok = (month >= 1) & (month <= 12)
    m = np.clip(month, 1, 12)
    leap = ((year % 4 == 0) & (year % 100 != 0)) | (year % 400 == 0)
    days = np.array([31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31])[m - 1] + (leap & (m == 2))
    return month_ok & (day >= 1) & (day <= days)


def _luhn_ok(ten_digits: np.ndarray) -> np.ndarray:
    """True where the tenth digit is the Luhn check digit of the first nine."""
    b = np.char.encode(ten_digits.astype("U10"), "ascii")
    d = np.frombuffer(b.tobytes(), dtype=np.uint8).reshape(len(ten_digits), 10).astype(np.int64)
    d = d - 48
    prod = d[:, :9] * _LUHN_WEIGHTS
    total = (prod // 10 + prod % 10).sum(axis=1)
    return (10 - total % 10) % 10 == d[:, 9]


def is_valid_personnummer(value: object, *, reference_year: int | None = None) -> bool:
    """True when one value is a personnummer or samordningsnummer with a real date and check digit."""
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return False
    s = pd.Series([value])
    return bool(canonical_personnummer(s, reference_year=reference_year).notna().iloc[0])


def _pseudonymise_distinct(
    values: pd.Series, secret: bytes, reference_year: int | None
) -> tuple[pd.Series, np.ndarray]:
    """Pseudonyms and the invalid-but-present mask, computed once per distinct raw value."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    text = _as_text(pd.Series(uniques))
    present = (text.fillna("").str.len() > 0).to_numpy(dtype=bool)
    canon = canonical_personnummer(text, reference_year=reference_year)
    hashed = np.array(
        [
            None
            if c is pd.NA
            else hmac.new(secret, c.encode("ascii"), hashlib.sha256).hexdigest()[
                :PSEUDONYM_HEX_CHARS
            ]
            for c in canon.tolist()
        ]
        + [None],  # index -1: missing values
        dtype=object,
    )
    invalid = np.append(present & canon.isna().to_numpy(), False)
    ids = pd.Series(pd.array(hashed[codes], dtype="string"), index=values.index, name="person_id")
    return ids, invalid[codes]


def pseudonymise(
    values: pd.Series, key: bytes | str | None = None, *, reference_year: int | None = None
) -> pd.Series:
    """Replace each valid personnummer by its keyed pseudonym; invalid or missing give NA.

    Checks and HMACs run once per distinct value, not per row, so monthly tables stay cheap.
    """
    return _pseudonymise_distinct(values, pseudonym_key(key), reference_year)[0]


def pseudonymise_frame(
    frame: pd.DataFrame, key: bytes | str | None = None, *, column: str = "personnummer"
) -> pd.DataFrame:
    """Return the frame with ``column`` replaced by ``person_id`` pseudonyms and the R108 marker.

    Frames without the column are returned unchanged. A ``person_id`` column already present is
    overwritten: the personnummer is the identifier of record.
    """
    if column not in frame.columns:
        return frame
    ids, invalid = _pseudonymise_distinct(frame[column], pseudonym_key(key), None)
    pos = list(frame.columns).index(column)
    out = frame.drop(columns=[c for c in (column, "person_id") if c in frame.columns])
    out.insert(min(pos, len(out.columns)), "person_id", ids)
    out[INVALID_MARKER] = invalid
    return out
