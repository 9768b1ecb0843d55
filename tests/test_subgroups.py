"""subgroups: the estimator within each level; small levels flagged, not estimated."""

import numpy as np
import pytest
from simulate import COVARIATES, simulate

from evalkit.estimators.ipw import ipw
from evalkit.estimators.subgroups import FLAG_TOO_SMALL, subgroup_records, subgroups


@pytest.fixture(scope="module")
def data():
    frame = simulate(3000, seed=71)
    frame["region"] = np.where(frame.x3 > 1.8, "small", np.where(frame.x2 > 0, "north", "south"))
    frame.loc[frame.index[:5], "region"] = None
    return frame


def test_one_row_per_level_in_sorted_order(data):
    table = subgroups("ipw", data, "y", "region", covariates=COVARIATES, min_n=50)
    assert table["level"].tolist() == ["north", "small", "south"]
    assert set(table["subgroup"]) == {"region"}


def test_level_with_too_few_treated_or_controls_is_flagged_not_estimated(data):
    table = subgroups("ipw", data, "y", "region", covariates=COVARIATES, min_n=50)
    small = table[table.level == "small"].iloc[0]
    n_t = int(((data.region == "small") & (data.treated == 1)).sum())
    assert small["flag"] == FLAG_TOO_SMALL
    assert np.isnan(small["estimate"])
    assert small["n_treated"] == n_t


def test_estimated_level_equals_the_estimator_on_that_level(data):
    table = subgroups("ipw", data, "y", "region", covariates=COVARIATES, min_n=50)
    north = table[table.level == "north"].iloc[0]
    direct = ipw(data[data.region == "north"], "y", covariates=COVARIATES)
    assert north["estimate"] == direct.estimate
    assert north["se"] == direct.se
    assert north["flag"] is None


def test_rows_with_missing_level_belong_to_no_level(data):
    table = subgroups("naive", data, "y", "region", covariates=COVARIATES, min_n=1)
    assert (table.n_treated + table.n_control).sum() == len(data) - 5


def test_records_are_json_safe(data):
    import json

    table = subgroups("ipw", data, "y", "region", covariates=COVARIATES, min_n=50)
    records = subgroup_records(table)
    text = json.dumps(records)
    assert "NaN" not in text
    assert records[1]["estimate"] is None
