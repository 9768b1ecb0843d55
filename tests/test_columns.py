"""One input check and one covariate encoder: the same bad input fails the same way everywhere."""

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import DataError, EstimationError, MissingColumnError
from evalkit.estimators._panel import to_wide
from evalkit.estimators.columns import Where, encode_covariates
from evalkit.estimators.input_error import InputError, MissingInputColumnError
from evalkit.estimators.naive import naive
from evalkit.estimators.regression import regression


def _cross_section() -> pd.DataFrame:
    rng = np.random.default_rng(3)
    n = 40
    return pd.DataFrame(
        {
            "treated": np.tile([0, 1], n // 2),
            "y": rng.normal(size=n),
            "region": np.repeat(["north", "south", "east", "west"], n // 4),
        }
    )


def _panel() -> pd.DataFrame:
    frame = _cross_section()
    frame["unit"] = np.arange(len(frame))
    frame["cohort"] = np.where(frame["treated"] == 1, 2, 0)
    return pd.concat([frame.assign(t=1), frame.assign(t=2)], ignore_index=True)


def test_text_covariate_becomes_x_equals_level_indicators_without_the_first_level():
    enc = encode_covariates(_cross_section(), ["region"])
    assert enc.names == ["region=north", "region=south", "region=west"]
    assert enc.sources == ["region"] * 3
    assert enc.matrix.sum(axis=0).tolist() == [10.0, 10.0, 10.0]


def test_cross_section_and_panel_name_indicators_alike():
    r = regression(_cross_section(), "y", covariates=["region"])
    wide = to_wide(_panel(), "y", unit="unit", time="t", cohort="cohort", covariates=["region"])
    assert r.details["covariates_used"] == list(wide.covariates)


def test_missing_column_is_the_same_error_type_in_cross_section_and_panel():
    errors = []
    for call in (
        lambda: naive(_cross_section(), "y", covariates=["age"]),
        lambda: to_wide(_panel(), "y", unit="unit", time="t", cohort="cohort", covariates=["age"]),
    ):
        with pytest.raises(MissingInputColumnError) as err:
            call()
        errors.append(err.value)
    assert {(e.column, e.rule) for e in errors} == {("age", "column_present")}
    for e in errors:  # callers catching the older types keep working
        assert isinstance(e, InputError) and isinstance(e, MissingColumnError)
        assert isinstance(e, DataError) and isinstance(e, EstimationError)


def test_text_outcome_is_the_same_error_with_a_row_count_in_cross_section_and_panel():
    cross = _cross_section().assign(y=lambda f: f["y"].astype(object))
    cross.loc[:2, "y"] = "n/a"
    panel = _panel().assign(y=lambda f: f["y"].astype(object))
    panel.loc[:2, "y"] = "n/a"
    for call in (
        lambda: naive(cross, "y"),
        lambda: to_wide(panel, "y", unit="unit", time="t", cohort="cohort"),
    ):
        with pytest.raises(InputError) as err:
            call()
        assert (err.value.column, err.value.rule, err.value.count) == ("y", "numeric", 3)
        assert "n/a" not in str(err.value)


def test_missing_covariate_values_are_refused_where_rows_cannot_be_dropped():
    frame = _cross_section()
    frame.loc[[1, 4], "region"] = None
    with pytest.raises(InputError) as err:
        encode_covariates(frame, ["region"], Where("panel"), allow_missing=False)
    assert (err.value.rule, err.value.count, err.value.table) == ("not_missing", 2, "panel")


def test_missing_covariate_values_mark_rows_and_leave_nan_where_rows_can_be_dropped():
    frame = _cross_section()
    frame.loc[[1, 4], "region"] = None
    enc = encode_covariates(frame, ["region"])
    assert np.flatnonzero(enc.missing).tolist() == [1, 4]
    assert (
        np.isnan(enc.matrix[[1, 4]]).all() and np.isfinite(np.delete(enc.matrix, [1, 4], 0)).all()
    )


def test_numbers_stored_as_text_are_numbers_and_categorical_dtype_is_levels():
    frame = pd.DataFrame({"a": ["1", "2.5", None], "b": pd.Categorical(["1", "2", "1"])})
    enc = encode_covariates(frame, ["a", "b"])
    assert enc.names == ["a", "b=2"]
    assert enc.matrix[:2, 0].tolist() == [1.0, 2.5]


def test_input_error_keeps_every_field_it_names():
    err = InputError(
        "bad", estimator="ipw", outcome="y", table="data", column="x", rule="r", count=3
    )
    assert (err.estimator, err.outcome, err.table, err.column, err.rule, err.count) == (
        "ipw",
        "y",
        "data",
        "x",
        "r",
        3,
    )
    assert str(err) == "bad [estimator ipw, outcome y] (table 'data', column 'x', rule r, 3 rows)"
