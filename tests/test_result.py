"""The shared result type: inference arithmetic and the results-JSON shape."""

import math

import numpy as np
from scipy import stats

from evalkit.estimators.result import EffectResult, EffectResults


def test_normal_interval_is_estimate_plus_minus_1_96_se():
    r = EffectResult.from_estimate("naive", "y", 1.0, 0.5, 10, 20)
    z = stats.norm.ppf(0.975)
    assert math.isclose(r.ci_low, 1.0 - z * 0.5)
    assert math.isclose(r.ci_high, 1.0 + z * 0.5)
    assert math.isclose(r.p_value, 2 * stats.norm.sf(2.0))


def test_t_interval_uses_degrees_of_freedom():
    r = EffectResult.from_estimate("naive", "y", 1.0, 0.5, 10, 20, df=5)
    q = stats.t.ppf(0.975, 5)
    assert math.isclose(r.ci_high - r.estimate, q * 0.5)


def test_zero_se_gives_missing_inference_not_a_crash():
    r = EffectResult.from_estimate("naive", "y", 1.0, 0.0, 10, 20)
    assert math.isnan(r.ci_low) and math.isnan(r.p_value)
    assert r.to_dict()["ci_low"] is None


def test_to_dict_has_contract_keys_and_only_set_optional_keys():
    r = EffectResult.from_estimate("cs_did", "y", 0.1, 0.05, 3, 4, aggregation="simple")
    d = r.to_dict()
    for key in (
        "outcome",
        "estimator",
        "estimand",
        "estimate",
        "se",
        "ci_low",
        "ci_high",
        "p_value",
        "n_treated",
        "n_control",
    ):
        assert key in d
    assert d["aggregation"] == "simple"
    assert "event_time" not in d


def test_to_dict_turns_numpy_scalars_into_python_values():
    r = EffectResult.from_estimate(
        "naive", "y", np.float64(0.2), np.float64(0.1), np.int64(5), np.int64(6)
    )
    d = r.to_dict()
    assert type(d["estimate"]) is float and type(d["n_treated"]) is int


def test_collection_filters_and_renders_html():
    rs = EffectResults(
        [
            EffectResult.from_estimate("cs_did", "y", 0.1, 0.05, 3, 4, aggregation="simple"),
            EffectResult.from_estimate(
                "cs_did", "y", 0.2, 0.05, 3, 4, aggregation="dynamic", event_time=0
            ),
        ]
    )
    assert len(rs.filter(aggregation="dynamic")) == 1
    assert "<table" in rs._repr_html_()
    assert list(rs.to_frame()["aggregation"]) == ["simple", "dynamic"]
