"""did: the 2×2 difference-in-differences and its clustered SE."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
import statsmodels.api as sm

from evalkit.errors import DataError, InsufficientDataError, MissingColumnError
from evalkit.estimators.did import did


def _panel(seed: int = 3, n: int = 600, effect: float = 0.8) -> pd.DataFrame:
    """Two periods; treated units start higher (levels differ) and share the control trend."""
    rng = np.random.default_rng(seed)
    g = (rng.random(n) < 0.5).astype(int)
    alpha = rng.normal(size=n) + 2.0 * g
    rows = []
    for t in (0, 1):
        y = alpha + 0.5 * t + effect * g * t + rng.normal(scale=1.0, size=n)
        rows.append(pd.DataFrame({"id": np.arange(n), "year": 2020 + t, "g": g, "post": t, "y": y}))
    return pd.concat(rows, ignore_index=True)


def test_estimate_is_the_double_difference_of_cell_means():
    frame = _panel()
    m = frame.groupby(["g", "post"])["y"].mean()
    expected = (m[1, 1] - m[1, 0]) - (m[0, 1] - m[0, 0])
    res = did(frame, "y", unit="id", time="year", treatment="g", post="post")
    assert res.estimate == pytest.approx(expected, abs=1e-12)


def test_recovers_the_true_effect_despite_different_levels():
    res = did(_panel(seed=11, n=4000), "y", unit="id", time="year", treatment="g", post="post")
    assert abs(res.estimate - 0.8) < 3 * res.se
    assert res.ci_low < 0.8 < res.ci_high


def test_se_is_cluster_robust_by_unit_as_statsmodels_cr1():
    frame = _panel()
    x = sm.add_constant(np.column_stack([frame["g"], frame["post"], frame["g"] * frame["post"]]))
    ref = sm.OLS(frame["y"].to_numpy(), x).fit(
        cov_type="cluster", cov_kwds={"groups": frame["id"].to_numpy()}
    )
    res = did(frame, "y", unit="id", time="year", treatment="g", post="post")
    assert res.se == pytest.approx(float(ref.bse[3]), rel=1e-10)


def test_inference_uses_t_with_clusters_minus_one_degrees_of_freedom():
    from scipy import stats

    frame = _panel(n=40)
    res = did(frame, "y", unit="id", time="year", treatment="g", post="post")
    assert res.p_value == pytest.approx(2 * stats.t.sf(abs(res.estimate / res.se), 39), rel=1e-10)


def test_counts_treated_and_control_units():
    frame = _panel(n=100)
    res = did(frame, "y", unit="id", time="year", treatment="g", post="post")
    assert res.n_treated == frame.loc[frame["g"] == 1, "id"].nunique()
    assert res.n_treated + res.n_control == 100


def test_non_binary_post_is_refused_with_count():
    frame = _panel(n=20)
    frame.loc[[0, 1], "post"] = 2
    with pytest.raises(DataError) as err:
        did(frame, "y", unit="id", time="year", treatment="g", post="post")
    assert err.value.count == 2
    assert err.value.rule == "binary"


def test_empty_cell_is_insufficient_data():
    frame = _panel(n=20)
    frame = frame[~((frame["g"] == 1) & (frame["post"] == 0))]
    with pytest.raises(InsufficientDataError, match="treated/pre"):
        did(frame, "y", unit="id", time="year", treatment="g", post="post")


def test_missing_column_is_named():
    with pytest.raises(MissingColumnError) as err:
        did(_panel(n=20), "y", unit="id", time="year", treatment="g", post="after")
    assert err.value.column == "after"
