"""cs_did reproduces R ``did`` (Callaway & Sant'Anna 2021) on mpdta, to 1e-4.

Reference numbers: R package ``did`` (att_gt + aggte, analytic SEs, bstrap = FALSE) on its
``mpdta`` data, as listed in issue 4; ATT(g,t) also printed in the package's introduction vignette.
"""

from __future__ import annotations

import pandas as pd
import pytest

from evalkit.estimators.cs_did import cs_did

TOL = 1e-4


@pytest.fixture(scope="module")
def mpdta(test_data) -> pd.DataFrame:
    return pd.read_csv(test_data / "mpdta.csv")


def _fit(frame: pd.DataFrame, **kw):
    return cs_did(frame, "lemp", unit="countyreal", time="year", cohort="first.treat", **kw)


@pytest.fixture(scope="module")
def baseline(mpdta):
    return _fit(mpdta, method="dr", control_group="never_treated", base_period="varying")


ATT_GT = {
    (2004, 2004): -0.0105,
    (2004, 2005): -0.0704,
    (2004, 2006): -0.1373,
    (2004, 2007): -0.1008,
    (2006, 2004): 0.0065,
    (2006, 2005): -0.0028,
    (2006, 2006): -0.0046,
    (2006, 2007): -0.0412,
    (2007, 2004): 0.0305,
    (2007, 2005): -0.0027,
    (2007, 2006): -0.0311,
    (2007, 2007): -0.0261,
}


def test_att_gt_cells_match_r_did(baseline):
    cells = baseline.filter(aggregation="att_gt")
    got = {(r.group, r.time): r.estimate for r in cells}
    assert set(got) == set(ATT_GT)
    for key, expected in ATT_GT.items():
        assert got[key] == pytest.approx(expected, abs=TOL), key


def test_att_gt_cells_carry_event_time(baseline):
    cell = baseline.filter(aggregation="att_gt", group=2006, time=2004)[0]
    assert cell.event_time == -2


@pytest.mark.parametrize(
    ("aggregation", "estimate", "se"),
    [
        ("simple", -0.03995, 0.01203),
        ("dynamic", -0.07724, 0.01996),
        ("group", -0.03102, 0.01245),
        ("calendar", -0.04170, 0.01597),
    ],
)
def test_overall_aggregates_match_r_did(baseline, aggregation, estimate, se):
    overall = [
        r
        for r in baseline.filter(aggregation=aggregation)
        if r.group is None and r.time is None and r.event_time is None
    ]
    assert len(overall) == 1
    assert overall[0].estimate == pytest.approx(estimate, abs=TOL)
    assert overall[0].se == pytest.approx(se, abs=TOL)


def test_dynamic_by_event_time_matches_r_did(baseline):
    expected = {
        -3: 0.0305,
        -2: -0.0006,
        -1: -0.0245,
        0: -0.0199,
        1: -0.0510,
        2: -0.1373,
        3: -0.1008,
    }
    rows = [r for r in baseline.filter(aggregation="dynamic") if r.event_time is not None]
    got = {r.event_time: r.estimate for r in rows}
    assert set(got) == set(expected)
    for e, value in expected.items():
        assert got[e] == pytest.approx(value, abs=TOL), e


def test_not_yet_treated_simple_matches_r_did(mpdta):
    res = _fit(mpdta, control_group="not_yet_treated", aggregations=["simple"])
    simple = res.filter(aggregation="simple")[0]
    assert simple.estimate == pytest.approx(-0.03976, abs=TOL)
    assert simple.se == pytest.approx(0.01205, abs=TOL)


def test_lpop_covariate_with_reg_matches_r_did(mpdta):
    res = _fit(mpdta, covariates=["lpop"], method="reg", aggregations=["simple"])
    simple = res.filter(aggregation="simple")[0]
    assert simple.estimate == pytest.approx(-0.04197, abs=TOL)
    assert simple.se == pytest.approx(0.01144, abs=TOL)


def test_without_covariates_reg_ipw_dr_agree(mpdta, baseline):
    # with only an intercept all three 2x2 estimators reduce to the difference in mean changes
    expected = baseline.filter(aggregation="simple")[0]
    for method in ("reg", "ipw"):
        got = _fit(mpdta, method=method, aggregations=["simple"]).filter(aggregation="simple")[0]
        assert got.estimate == pytest.approx(expected.estimate, abs=1e-10)
        assert got.se == pytest.approx(expected.se, abs=1e-10)


def test_cell_level_pre_test_matches_r_did(baseline):
    # R did's summary of this att_gt: "P-value for pre-test of parallel trends assumption: 0.16812"
    assert baseline.details["pretrend_cells"]["p_value"] == pytest.approx(0.16812, abs=1e-4)
    assert baseline.details["pretrend_cells"]["df"] == 5


def test_json_entries_name_estimator_and_aggregation(baseline):
    entries = baseline.to_dicts()
    assert {e["estimator"] for e in entries} == {"cs_did"}
    assert {e["aggregation"] for e in entries} == {
        "att_gt",
        "simple",
        "dynamic",
        "group",
        "calendar",
    }
    cell = next(e for e in entries if e["aggregation"] == "att_gt")
    assert {"group", "time", "event_time"} <= set(cell)
    simple = next(e for e in entries if e["aggregation"] == "simple")
    assert not {"group", "time", "event_time"} & set(simple)
