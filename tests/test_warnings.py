"""Warning codes on estimates, and the propensity fit an estimate carries for its diagnostics."""

import numpy as np
import pandas as pd
import pytest
from simulate import COVARIATES, simulate

from evalkit.estimators import get
from evalkit.estimators.aipw import aipw
from evalkit.estimators.ipw import ipw
from evalkit.estimators.result import EffectResult
from evalkit.estimators.warnings import FEW_TREATED, WARNINGS, describe


def _result(**kw) -> EffectResult:
    return EffectResult.from_estimate("ipw", "y", 1.0, 0.5, 40, 100, **kw)


def test_every_interface_code_has_an_english_description():
    for code in (
        "no_convergence",
        "poor_overlap",
        "pretrend_failed",
        "placebo_failed",
        "few_treated",
        "extreme_weights",
        "attrition",
    ):
        assert len(describe(code)) > 30
    assert set(WARNINGS) >= {"separation"}


def test_results_json_entry_has_warnings_only_when_there_are_some():
    assert "warnings" not in _result().to_dict()
    assert _result(warnings=("few_treated",)).to_dict()["warnings"] == ["few_treated"]


def test_an_unknown_warning_code_is_refused():
    with pytest.raises(KeyError, match="unknown warning 'bad_luck'"):
        _result(warnings=("bad_luck",))


def test_adding_warnings_keeps_each_code_once_in_order():
    r = _result(warnings=("few_treated",)).with_warnings("poor_overlap", "few_treated")
    assert r.warnings == ("few_treated", "poor_overlap")
    assert "warning poor_overlap" in r.summary()


@pytest.mark.parametrize("name", ["naive", "regression", "ipw", "aipw", "matching"])
def test_an_estimate_on_few_participants_warns_few_treated(name):
    frame = simulate(2000, seed=5)
    treated = frame.index[frame.treated == 1]
    small = frame.drop(treated[FEW_TREATED - 5 :])
    assert "few_treated" in get(name)(small, "y", covariates=COVARIATES).warnings
    assert "few_treated" not in get(name)(frame, "y", covariates=COVARIATES).warnings


def test_ipw_fit_records_the_scores_weights_and_trimming_it_used():
    frame = simulate(1500, seed=6)
    r = ipw(frame, "y", covariates=COVARIATES, trim=(0.05, 0.95))
    fit = r.fit
    assert list(fit.index) == list(frame.index)
    assert fit.treated.tolist() == (frame.treated == 1).tolist()
    kept = ~fit.trimmed
    assert (kept == ((fit.ps >= 0.05) & (fit.ps <= 0.95))).all()
    odds = fit.ps / (1 - fit.ps)
    assert np.allclose(fit.weights[kept & ~fit.treated], odds[kept & ~fit.treated])
    assert (fit.weights[kept & fit.treated] == 1).all() and (fit.weights[~kept] == 0).all()
    assert fit.columns == COVARIATES
    assert r.details["n_trimmed"] == int(fit.trimmed.sum())


def test_ipw_and_aipw_use_the_same_fit():
    frame = simulate(800, seed=7)
    a, b = ipw(frame, "y", covariates=COVARIATES), aipw(frame, "y", covariates=COVARIATES)
    assert np.array_equal(a.fit.weights, b.fit.weights) and np.array_equal(a.fit.ps, b.fit.ps)
    assert a.fit.estimator == "ipw" and b.fit.estimator == "aipw"


def test_one_comparison_person_with_most_of_the_weight_warns_extreme_weights():
    rng = np.random.default_rng(8)
    n = 600
    x = rng.normal(size=n)
    treated = (x > 1.0).astype(int)
    x[np.flatnonzero(treated == 0)[0]] = 1.02  # one control among the treated: huge odds
    frame = pd.DataFrame({"x": x, "treated": treated, "y": x + rng.normal(size=n)})
    r = ipw(frame, "y", covariates=["x"])
    assert r.details["max_control_weight_share"] > 0.05
    assert "extreme_weights" in r.warnings


def test_fit_and_influence_are_not_compared_or_serialised():
    frame = simulate(500, seed=9)
    a = ipw(frame, "y", covariates=COVARIATES)
    assert a == a.with_(fit=None, influence=None)
    assert "fit" not in a.to_dict()


def test_the_unadjusted_comparison_always_says_it_is_not_an_effect():
    frame = simulate(n=400, seed=3)
    assert "unadjusted" in get("naive")(frame, "y").warnings
    assert "unadjusted" not in get("regression")(frame, "y", covariates=COVARIATES).warnings
