"""cs_did behaviour beyond the published mpdta numbers: options against the PyPI port of R ``did``
(``csdid``), the bootstrap, and how bad or thin data are handled."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import DataError, InsufficientDataError, MissingColumnError
from evalkit.estimators.cs_did import cs_did


@pytest.fixture(scope="module")
def mpdta(test_data) -> pd.DataFrame:
    return pd.read_csv(test_data / "mpdta.csv")


def _fit(frame: pd.DataFrame, **kw):
    return cs_did(frame, "lemp", unit="countyreal", time="year", cohort="first.treat", **kw)


def _csdid_model(frame: pd.DataFrame, xformla: str, est_method: str, **kw):
    """A fitted csdid ATTgt (a line-by-line port of R did), analytic SEs."""
    from csdid.att_gt import ATTgt

    base_period = kw.pop("base_period", "varying")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        model = ATTgt(
            yname="lemp",
            gname="first.treat",
            idname="countyreal",
            tname="year",
            data=frame,
            xformla=xformla,
            **kw,
        )
        model.fit(est_method=est_method, base_period=base_period, bstrap=False)
    return model


def _csdid_cells(frame: pd.DataFrame, xformla: str, est_method: str, **kw) -> pd.DataFrame:
    """ATT(g,t) and analytic SEs from csdid."""
    res = _csdid_model(frame, xformla, est_method, **kw).results
    return pd.DataFrame(
        {"group": res["group"], "time": res["year"], "att": res["att"], "se": res["se"]}
    )


@pytest.mark.parametrize(
    ("ours", "theirs"),
    [
        ({"method": "ipw", "covariates": ["lpop"]}, {"est_method": "ipw", "xformla": "lemp~lpop"}),
        ({"method": "dr", "covariates": ["lpop"]}, {"est_method": "dr", "xformla": "lemp~lpop"}),
        (
            {"method": "dr", "covariates": ["lpop"], "base_period": "universal"},
            {"est_method": "dr", "xformla": "lemp~lpop", "base_period": "universal"},
        ),
        (
            {"method": "dr", "anticipation": 1, "control_group": "not_yet_treated"},
            {
                "est_method": "dr",
                "xformla": "lemp~1",
                "anticipation": 1,
                "control_group": "notyettreated",
            },
        ),
        (
            {"method": "reg", "covariates": ["lpop"], "control_group": "not_yet_treated"},
            {"est_method": "reg", "xformla": "lemp~lpop", "control_group": "notyettreated"},
        ),
        (
            {
                "method": "dr",
                "covariates": ["lpop"],
                "control_group": "not_yet_treated",
                "base_period": "universal",
            },
            {
                "est_method": "dr",
                "xformla": "lemp~lpop",
                "control_group": "notyettreated",
                "base_period": "universal",
            },
        ),
    ],
    ids=[
        "ipw_lpop",
        "dr_lpop",
        "dr_universal",
        "anticipation_not_yet",
        "reg_lpop_not_yet",
        "dr_universal_not_yet",
    ],
)
def test_att_gt_cells_match_csdid_port_of_r_did(mpdta, ours, theirs):
    expected = _csdid_cells(mpdta, **theirs)
    got = _fit(mpdta, **ours).filter(aggregation="att_gt").to_frame()
    merged = expected.merge(got, on=["group", "time"], how="outer", validate="one_to_one")
    assert len(merged) == len(expected) == len(got)
    np.testing.assert_allclose(merged["estimate"], merged["att"], atol=1e-8)
    np.testing.assert_allclose(merged["se_x"].fillna(-1), merged["se_y"].fillna(-1), atol=1e-8)


def test_pre_test_wald_statistic_matches_csdid_with_covariate_and_anticipation(mpdta):
    model = _csdid_model(mpdta, "lemp~lpop", "dr", anticipation=1, control_group="notyettreated")
    res = _fit(mpdta, covariates=["lpop"], anticipation=1, control_group="not_yet_treated")
    assert res.details["pretrend_cells"]["stat"] == pytest.approx(model.MP["W"], rel=1e-8)
    assert res.details["pretrend_cells"]["p_value"] == pytest.approx(model.MP["Wpval"], abs=1e-5)


def test_universal_base_period_reference_cell_is_zero_without_se(mpdta):
    res = _fit(mpdta, base_period="universal")
    ref = res.filter(aggregation="att_gt", group=2006, time=2005)[0]
    assert ref.estimate == 0.0
    assert np.isnan(ref.se)


def test_anticipation_skips_cohort_without_pre_period(mpdta):
    # with one period of anticipation the 2004 cohort's last clean period would be before 2003
    res = _fit(mpdta, anticipation=1)
    assert res.details["groups_without_pre_period"] == [2004]
    assert not res.filter(aggregation="att_gt", group=2004)


def test_bootstrap_is_reproducible_with_a_seed(mpdta):
    a = _fit(mpdta, bootstrap=True, n_boot=199, seed=7, aggregations=["dynamic"])
    b = _fit(mpdta, bootstrap=True, n_boot=199, seed=7, aggregations=["dynamic"])
    assert [r.se for r in a] == [r.se for r in b]
    c = _fit(mpdta, bootstrap=True, n_boot=199, seed=8, aggregations=["dynamic"])
    assert [r.se for r in a] != [r.se for r in c]


def test_uniform_band_is_wider_than_pointwise_interval(mpdta):
    res = _fit(mpdta, bootstrap=True, n_boot=499, seed=1, aggregations=["dynamic"])
    rows = [r for r in res.filter(aggregation="dynamic") if r.event_time is not None]
    for r in rows:
        assert r.details["uniform_ci_low"] < r.ci_low
        assert r.details["uniform_ci_high"] > r.ci_high
        assert r.details["crit_val"] > 1.96


def test_bootstrap_se_is_close_to_analytic_se(mpdta):
    analytic = _fit(mpdta, aggregations=["simple"]).filter(aggregation="simple")[0]
    boot = _fit(mpdta, bootstrap=True, n_boot=999, seed=3, aggregations=["simple"]).filter(
        aggregation="simple"
    )[0]
    assert boot.estimate == analytic.estimate
    assert boot.se == pytest.approx(analytic.se, rel=0.15)


def test_rademacher_bootstrap_weights_are_accepted(mpdta):
    res = _fit(
        mpdta, bootstrap=True, n_boot=99, seed=1, boot_weights="rademacher", aggregations=["simple"]
    )
    assert res.details["boot_weights"] == "rademacher"
    assert np.isfinite(res.filter(aggregation="simple")[0].se)


def test_unbalanced_panel_is_refused_naming_the_count_of_units(mpdta):
    holes = mpdta.drop(index=mpdta.index[(mpdta["year"] == 2005)][:3])
    with pytest.raises(DataError, match="3 units") as err:
        _fit(holes)
    assert err.value.count == 3 * 4  # the rows of those units
    assert err.value.rule == "balanced_panel"


def test_missing_outcome_values_count_as_missing_periods_of_their_units(mpdta):
    holes = mpdta.copy()
    first_two = holes["countyreal"].isin(holes["countyreal"].unique()[:2])
    holes.loc[first_two & (holes["year"] >= 2006), "lemp"] = np.nan
    with pytest.raises(DataError, match="2 units have a missing outcome") as err:
        _fit(holes)
    assert err.value.count == 2 * 2  # missing values (2006 and 2007 for each)


def test_missing_outcome_column_is_a_typed_error(mpdta):
    with pytest.raises(MissingColumnError) as err:
        cs_did(mpdta, "nope", unit="countyreal", time="year", cohort="first.treat")
    assert err.value.column == "nope"


def test_time_varying_covariate_is_refused(mpdta):
    frame = mpdta.assign(lemp_x=mpdta["lemp"])
    with pytest.raises(DataError, match="varies within 500 units"):
        _fit(frame, covariates=["lemp_x"])


def test_a_one_unit_cohort_is_reported_not_crashed_on(mpdta):
    frame = mpdta.copy()
    one = frame["countyreal"] == frame.loc[frame["first.treat"] == 0, "countyreal"].iloc[0]
    frame.loc[one, "first.treat"] = 2005
    res = _fit(frame, covariates=["lpop"])
    assert res.details["small_cohorts"] == {2005: 1}
    cell = res.filter(aggregation="att_gt", group=2005, time=2005)[0]
    assert cell.n_treated == 1
    assert np.isfinite(cell.estimate)


def test_cohort_after_last_period_counts_as_never_treated(mpdta):
    frame = mpdta.copy()
    frame.loc[frame["first.treat"] == 0, "first.treat"] = 2010
    res = _fit(frame, aggregations=["simple"])
    assert res.details["recoded_never_treated"] == 309
    assert res.filter(aggregation="simple")[0].estimate == pytest.approx(-0.039951, abs=1e-6)


def test_units_treated_in_first_period_are_dropped_and_counted(mpdta):
    frame = mpdta.copy()
    frame.loc[frame["first.treat"] == 2004, "first.treat"] = 2003
    res = _fit(frame, aggregations=["simple"])
    assert res.details["dropped_treated_in_first_period"] == 20
    assert res.details["n_units"] == 480


def test_never_treated_control_without_never_treated_units_is_refused(mpdta):
    treated = mpdta[mpdta["first.treat"] > 0]
    with pytest.raises(InsufficientDataError, match="never-treated"):
        _fit(treated)


def test_unit_weight_of_two_equals_duplicating_the_unit(mpdta):
    first = mpdta[
        mpdta["countyreal"] == mpdta.loc[mpdta["first.treat"] == 2006, "countyreal"].iloc[0]
    ]
    dup = pd.concat([mpdta, first.assign(countyreal=-1)], ignore_index=True)
    weighted = mpdta.assign(
        w=np.where(mpdta["countyreal"] == first["countyreal"].iloc[0], 2.0, 1.0)
    )
    a = _fit(dup, aggregations=["simple"]).filter(aggregation="simple")[0]
    b = _fit(weighted, weights="w", aggregations=["simple"]).filter(aggregation="simple")[0]
    assert b.estimate == pytest.approx(a.estimate, abs=1e-12)


def test_max_e_limits_dynamic_event_times(mpdta):
    res = _fit(mpdta, min_e=-1, max_e=1, aggregations=["dynamic"])
    dynamic = res.filter(aggregation="dynamic")
    assert sorted(r.event_time for r in dynamic if r.event_time is not None) == [-1, 0, 1]


def test_balance_e_keeps_only_cohorts_observed_that_long(mpdta):
    res = _fit(mpdta, balance_e=1, aggregations=["dynamic"])
    rows = {r.event_time: r for r in res.filter(aggregation="dynamic") if r.event_time is not None}
    # only cohorts 2004 and 2006 are seen one period after start; e ranges over [1 - 4, 1]
    assert sorted(rows) == [-2, -1, 0, 1]
    assert rows[0].n_treated == 60
    assert rows[-2].n_treated == 40


def test_aggregate_influence_function_reproduces_its_se(mpdta):
    simple = _fit(mpdta, aggregations=["simple"]).filter(aggregation="simple")[0]
    n = len(simple.influence)
    assert np.sqrt(np.sum(simple.influence**2)) / n == pytest.approx(simple.se, rel=1e-12)


def test_cell_pre_test_is_not_computed_for_a_cohort_with_fewer_units_than_pre_cells(mpdta):
    firsts = mpdta.groupby("first.treat")["countyreal"].unique()
    keep = [*firsts[0][:2], *firsts[2006][:1], *firsts[2007][:2]]  # 5 units, 5 pre-treatment cells
    res = _fit(mpdta[mpdta["countyreal"].isin(keep)])
    assert res.details["pretrend_cells"]["stat"] is None
    assert (
        "cohort 2006 has 1 units for 2 pre-treatment cells" in res.details["pretrend_cells"]["note"]
    )
    # three treated units cannot carry the event-time test either, and it says so
    assert res.details["pretrend"]["note"].startswith("not computed: 3 treated units behind")


def test_month_dates_give_the_same_cells_labelled_by_month(mpdta):
    month = {2003: "2021-01", 2004: "2021-02", 2005: "2021-03", 2006: "2021-04", 2007: "2021-05"}
    monthly = mpdta.assign(
        year=mpdta["year"].map(month),
        **{"first.treat": mpdta["first.treat"].map(month).fillna("")},
    )
    by_year = _fit(mpdta).filter(aggregation="att_gt")
    by_month = _fit(monthly).filter(aggregation="att_gt")
    assert [r.estimate for r in by_month] == pytest.approx([r.estimate for r in by_year], abs=1e-12)
    cell = by_month.filter(group="2021-04", time="2021-02")[0]
    assert cell.event_time == -2
    assert cell.estimate == pytest.approx(0.0065, abs=1e-4)


def test_cohort_as_number_with_month_dates_as_time_is_refused(mpdta):
    frame = mpdta.assign(year=mpdta["year"].astype(str) + "-01")
    with pytest.raises(DataError, match="cohort must be a month"):
        _fit(frame)


def test_not_yet_treated_without_never_treated_uses_last_cohort_as_control(mpdta):
    # R did: periods from the last cohort's start on are dropped and that cohort is the control
    treated = mpdta[mpdta["first.treat"] > 0]
    res = _fit(treated, control_group="not_yet_treated", aggregations=["simple"])
    assert res.details["no_never_treated"].startswith("periods from 2007 on dropped")
    assert res.details["periods"] == [2003, 2004, 2005, 2006]
    assert {r.group for r in res.filter(aggregation="att_gt")} == {2004, 2006}
    cell = res.filter(aggregation="att_gt", group=2004, time=2004)[0]
    assert cell.n_control == 171  # cohorts 2006 (40) and 2007 (131)


def test_cohort_between_periods_is_refused_with_count(mpdta):
    frame = mpdta[mpdta["year"] != 2005]
    frame = frame.assign(**{"first.treat": frame["first.treat"].replace(2006, 2005)})
    with pytest.raises(DataError, match="not one of the panel's periods") as err:
        _fit(frame)
    assert err.value.count == 40 * 4  # the rows of the 40 units


def test_text_covariate_is_dummy_coded(mpdta):
    size = np.where(mpdta["lpop"] > mpdta["lpop"].median(), "large", "small")
    as_text = _fit(
        mpdta.assign(size=size), covariates=["size"], method="reg", aggregations=["simple"]
    )
    as_dummy = _fit(
        mpdta.assign(small=(size == "small").astype(float)),
        covariates=["small"],
        method="reg",
        aggregations=["simple"],
    )
    assert as_text.filter(aggregation="simple")[0].estimate == pytest.approx(
        as_dummy.filter(aggregation="simple")[0].estimate, abs=1e-12
    )


def test_monthly_staggered_panel_matches_csdid_to_1e_10():
    # the benchmark's design (selection on a covariate, one cohort a month) at a test's size
    from benchmarks.bench_cs_did import _run_csdid, _run_evalkit, monthly_panel

    frame = monthly_panel(units=600, months=20, cohorts=8)
    ours, theirs = _run_evalkit(frame, ["x"]), _run_csdid(frame, "y~x")
    merged = theirs["cells"].merge(ours["cells"], on=["group", "time"], validate="one_to_one")
    assert len(merged) == len(ours["cells"]) == len(theirs["cells"]) == 8 * 19
    np.testing.assert_allclose(merged["estimate"], merged["att"], rtol=0, atol=1e-10)
    np.testing.assert_allclose(merged["se_x"], merged["se_y"], rtol=0, atol=1e-10)
    assert ours["simple"] == pytest.approx(theirs["simple"], abs=1e-10)
