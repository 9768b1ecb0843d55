"""Month arithmetic: one integer per month, consecutive months differ by one."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from evalkit.data.months import (
    add_months,
    month_dates,
    month_end,
    month_label,
    month_number,
    month_numbers,
)


def test_consecutive_months_differ_by_one_across_a_year_end():
    assert month_number("2021-01") - month_number("2020-12") == 1


def test_month_number_accepts_text_dates_and_timestamps_alike():
    assert month_number("2021-03") == month_number("2021-03-15") == month_number(date(2021, 3, 1))
    assert month_number(pd.Timestamp("2021-03-31")) == 2021 * 12 + 2


def test_month_number_rejects_month_thirteen():
    with pytest.raises(ValueError, match="not a month"):
        month_number("2021-13")


def test_label_inverts_number():
    assert month_label(month_number("2019-12")) == "2019-12"


def test_month_end_is_last_day_including_leap_february():
    assert month_end("2024-02") == date(2024, 2, 29)


def test_add_months_crosses_year_end():
    assert add_months("2023-11", 3) == date(2024, 2, 1)


def test_vectorised_numbers_keep_missing_as_nan():
    out = month_numbers(pd.Series(["2020-01-01", None, "2020-02-15"]))
    assert out[0] == 2020 * 12 and np.isnan(out[1]) and out[2] == 2020 * 12 + 1


def test_month_dates_are_first_days():
    assert str(month_dates(np.array([2020 * 12 + 1]))[0]) == "2020-02-01"
