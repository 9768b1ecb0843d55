"""Personnummer checks (date part, Luhn check digit) and keyed, deterministic pseudonyms."""

from __future__ import annotations

import hashlib
import hmac

import pandas as pd
import pytest

from evalkit.data.pseudonym import (
    INVALID_MARKER,
    canonical_personnummer,
    is_valid_personnummer,
    luhn_check_digit,
    pseudonymise,
    pseudonymise_frame,
)
from evalkit.errors import PseudonymKeyError

KEY = b"k"


def test_luhn_check_digit_of_skatteverket_example_811218_987_is_6():
    # digits 8 1 1 2 1 8 9 8 7, weights 2 1 2 1 2 1 2 1 2:
    # 16->1+6=7, 1, 2, 2, 2, 8, 18->1+8=9, 8, 14->1+4=5; sum 44; (10 - 4) % 10 = 6
    assert luhn_check_digit("811218987") == 6


def test_luhn_check_digit_of_640823_323_is_4():
    # 12->3, 4, 0, 8, 4, 3, 6, 2, 6: sum 36; (10 - 6) % 10 = 4  (19640823-3234)
    assert luhn_check_digit("640823323") == 4


def test_valid_personnummer_in_10_and_12_digit_forms_with_and_without_separator():
    for form in ("811218-9876", "8112189876", "19811218-9876", "198112189876"):
        assert is_valid_personnummer(form), form


def test_wrong_check_digit_is_invalid():
    assert not is_valid_personnummer("811218-9875")


def test_impossible_dates_are_invalid():
    # month 13; 30 February; 29 February 1981 (not a leap year) -- check digits made valid
    for yymmdd in ("811318", "810230", "810229"):
        nine = yymmdd + "987"
        assert not is_valid_personnummer(f"{yymmdd}-987{luhn_check_digit(nine)}"), yymmdd


def test_29_february_of_a_leap_year_is_valid():
    assert is_valid_personnummer(f"19840229-123{luhn_check_digit('840229123')}")


def test_samordningsnummer_with_day_plus_60_is_valid():
    # Skatteverket's example 701063-2391: born 3 October 1970, day 03 + 60 = 63.
    # 14->5, 0, 2, 0, 12->3, 3, 4, 3, 18->9: sum 29; (10 - 9) % 10 = 1
    assert luhn_check_digit("701063239") == 1
    assert is_valid_personnummer("701063-2391")


def test_samordningsnummer_day_above_91_is_invalid():
    nine = "701093239"  # day 93 - 60 = 33
    assert not is_valid_personnummer(f"701093-239{luhn_check_digit(nine)}")


def test_malformed_values_are_invalid():
    for value in ("", "abc", "81121-89876", "811218--9876", "81121898760", None, "811218 9876"):
        assert not is_valid_personnummer(value), value


def test_ten_digit_century_follows_separator_and_reference_year():
    s = pd.Series(["811218-9876", "811218+9876", "050101-1234"])
    canon = canonical_personnummer(s, reference_year=2026)
    assert canon.iloc[0] == "198112189876"
    assert canon.iloc[1] == "188112189876"  # '+' means 100 or older


def test_ten_digit_born_this_century_gets_20xx():
    nine = "050101123"
    canon = canonical_personnummer(
        pd.Series([f"050101-123{luhn_check_digit(nine)}"]), reference_year=2026
    )
    assert canon.iloc[0].startswith("2005")


def test_all_forms_of_one_person_get_the_same_pseudonym():
    forms = pd.Series(["811218-9876", "8112189876", "19811218-9876", "198112189876"])
    out = pseudonymise(forms, KEY)
    assert out.nunique() == 1 and out.notna().all()


def test_pseudonym_is_hmac_sha256_of_the_canonical_12_digit_form():
    expected = hmac.new(KEY, b"198112189876", hashlib.sha256).hexdigest()[:32]
    assert pseudonymise(pd.Series(["811218-9876"]), KEY).iloc[0] == expected


def test_pseudonyms_are_deterministic_across_calls():
    s = pd.Series(["811218-9876", "701063-2391"])
    assert pseudonymise(s, KEY).tolist() == pseudonymise(s.copy(), KEY).tolist()


def test_different_keys_give_different_pseudonyms():
    s = pd.Series(["811218-9876"])
    assert pseudonymise(s, b"one").iloc[0] != pseudonymise(s, b"two").iloc[0]


def test_different_persons_get_different_pseudonyms():
    out = pseudonymise(pd.Series(["811218-9876", "701063-2391"]), KEY)
    assert out.iloc[0] != out.iloc[1]


def test_invalid_and_missing_personnummer_give_missing_pseudonym():
    out = pseudonymise(pd.Series(["811218-9875", None]), KEY)
    assert out.isna().all()


def test_key_is_read_from_environment(monkeypatch):
    monkeypatch.setenv("EVALKIT_PSEUDONYM_KEY", "k")
    s = pd.Series(["811218-9876"])
    assert pseudonymise(s).iloc[0] == pseudonymise(s, b"k").iloc[0]


def test_missing_key_raises_pseudonym_key_error_saying_how_to_set_it(monkeypatch):
    monkeypatch.delenv("EVALKIT_PSEUDONYM_KEY", raising=False)
    with pytest.raises(PseudonymKeyError, match="export EVALKIT_PSEUDONYM_KEY="):
        pseudonymise(pd.Series(["811218-9876"]))


def test_numeric_personnummer_that_lost_its_leading_zero_is_restored():
    nine = "050101123"
    pnr = f"050101123{luhn_check_digit(nine)}"
    as_number = pd.Series([int(pnr)])  # e.g. from Excel: 9 digits
    assert pseudonymise(as_number, KEY).iloc[0] == pseudonymise(pd.Series([pnr]), KEY).iloc[0]


def test_frame_personnummer_column_is_replaced_by_person_id_and_marker():
    frame = pd.DataFrame({"personnummer": ["811218-9876", "811218-9875", None], "x": [1, 2, 3]})
    out = pseudonymise_frame(frame, KEY)
    assert "personnummer" not in out.columns
    assert out["person_id"].notna().tolist() == [True, False, False]
    assert out[INVALID_MARKER].tolist() == [False, True, False]  # missing is not invalid


def test_pseudonymise_runs_vectorised_on_many_rows():
    s = pd.Series(["811218-9876", "701063-2391"] * 50_000)
    out = pseudonymise(s, KEY)
    assert out.nunique() == 2 and len(out) == 100_000


def test_twelve_digit_birth_year_after_the_reference_year_is_invalid():
    nine = "300101123"
    pnr = f"20300101-123{luhn_check_digit(nine)}"
    assert not is_valid_personnummer(pnr, reference_year=2026)
    assert is_valid_personnummer(pnr, reference_year=2030)
