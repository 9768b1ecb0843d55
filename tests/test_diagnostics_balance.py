"""balance_table: pooled-SD standardised mean differences and variance ratios, by hand."""

import math

import numpy as np
import pandas as pd
import pytest

from evalkit.diagnostics.balance import balance_table


@pytest.fixture
def toy():
    # treated x = 1, 2, 3 (mean 2, var 1); controls x = 2, 3, 4, 5 (mean 3.5, var 5/3)
    return pd.DataFrame({"treated": [1, 1, 1, 0, 0, 0, 0], "x": [1, 2, 3, 2, 3, 4, 5.0]})


def test_smd_of_a_two_group_toy_set_uses_the_pooled_sd(toy):
    row = balance_table(toy, "treated", ["x"]).iloc[0]
    expected = (2 - 3.5) / math.sqrt((1 + 5 / 3) / 2)  # = -1.299
    assert row["smd_before"] == pytest.approx(expected)
    assert row["smd_before"] == pytest.approx(-1.2990381, abs=1e-7)


def test_variance_ratio_is_treated_over_control_variance(toy):
    row = balance_table(toy, "treated", ["x"]).iloc[0]
    assert row["vr_before"] == pytest.approx(1 / (5 / 3))


def test_weights_that_equalise_means_give_zero_smd_after(toy):
    # control weights 1, 0, 0, 0 move the control mean to 2 = treated mean
    w = np.array([1, 1, 1, 1, 0, 0, 0.0])
    w_eq = np.array([1, 1, 1, 1, 1, 1, 0.0])  # control mean (2+3+4)/3 = 3
    row = balance_table(toy, "treated", ["x"], weights=w).iloc[0]
    assert row["mean_control_after"] == 2
    assert row["smd_after"] == 0
    row_eq = balance_table(toy, "treated", ["x"], weights=w_eq).iloc[0]
    assert row_eq["smd_after"] == pytest.approx((2 - 3) / math.sqrt((1 + 5 / 3) / 2))


def test_without_weights_the_after_columns_are_missing(toy):
    row = balance_table(toy, "treated", ["x"]).iloc[0]
    assert np.isnan(row["smd_after"]) and np.isnan(row["vr_after"])


def test_text_covariate_gives_one_row_per_level():
    frame = pd.DataFrame({"treated": [1, 1, 0, 0], "edu": ["a", "b", "a", "a"]})
    table = balance_table(frame, "treated", ["edu"])
    assert table["covariate"].tolist() == ["edu=a", "edu=b"]


def test_weights_can_be_a_column_name(toy):
    frame = toy.assign(w=[1, 1, 1, 1, 0, 0, 0.0])
    assert balance_table(frame, "treated", ["x"], weights="w").iloc[0]["smd_after"] == 0
