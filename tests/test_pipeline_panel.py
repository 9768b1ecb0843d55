"""Panel mode: twfe, event_study and cs_did on a prepared long panel, end to end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from evalkit.audit.disclosure import protect
from evalkit.params import load_params, validate_params
from evalkit.pipeline import analyse

ROOT = Path(__file__).resolve().parent.parent
MPDTA = ROOT / "tests" / "data" / "mpdta.csv"


def file_of(results) -> dict:
    """What the results file holds: the results through disclosure control, as JSON."""
    return protect(results).to_json_dict()


def mpdta_params(tmp_path: Path, **changes):
    shutil.copy(MPDTA, tmp_path / "mpdta.csv")
    raw = {
        "measure_id": "mpdta",
        "title": "Minimum wage and teen employment",
        "data": {
            "mode": "panel",
            "source": {"kind": "csv", "path": str(tmp_path / "mpdta.csv")},
            "id": "countyreal",
            "time": "year",
            "cohort": "first.treat",
        },
        "outcomes": ["lemp"],
        "estimators": ["twfe", "event_study", "cs_did"],
        "estimator_options": {
            "cs_did": {"control_group": "never_treated", "method": "dr", "base_period": "varying"}
        },
    }
    raw.update(changes)
    return validate_params(raw)


@pytest.fixture(scope="module")
def mpdta_results(tmp_path_factory):
    return file_of(analyse(mpdta_params(tmp_path_factory.mktemp("mpdta"))))


def overall(results, estimator, aggregation):
    (entry,) = [
        e
        for e in results["estimates"]
        if e["estimator"] == estimator
        and e.get("aggregation") == aggregation
        and e.get("event_time") is None
        and e.get("group") is None
        and e.get("time") is None
    ]
    return entry


def test_cs_did_simple_matches_published_mpdta_value(mpdta_results):
    # Callaway & Sant'Anna (2021) / R did: simple ATT -0.0400 (SE 0.0120) on mpdta
    entry = overall(mpdta_results, "cs_did", "simple")
    assert entry["estimate"] == pytest.approx(-0.03995, abs=5e-5)
    assert entry["se"] == pytest.approx(0.01203, abs=1e-3)


def test_cs_did_simple_leads_the_summary(mpdta_results):
    assert mpdta_results["headline"] == {"outcome": "lemp", "estimator": "cs_did"}


def test_sample_counts_units_by_cohort(mpdta_results):
    import pandas as pd

    units = pd.read_csv(MPDTA).drop_duplicates("countyreal")
    assert mpdta_results["sample"]["n_treated"] == int((units["first.treat"] > 0).sum())
    assert mpdta_results["sample"]["n_control"] == int((units["first.treat"] == 0).sum())
    assert mpdta_results["sample"]["n_periods"] == 5


def test_event_study_pretrend_is_in_diagnostics(mpdta_results):
    pretrend = mpdta_results["diagnostics"]["pretrend"]
    assert 0 <= pretrend["p_value"] <= 1


def test_no_estimator_failed(mpdta_results):
    assert mpdta_results["diagnostics"]["estimator_failures"] == []


def test_twfe_recovers_a_constant_effect_on_the_example_panel(monkeypatch):
    # examples/make_examples.py: effect +1.0 from the first treated year, the same for all
    monkeypatch.chdir(ROOT)
    results = file_of(analyse(load_params("examples/lan_panel.yaml")))
    twfe = overall(results, "twfe", None)
    assert abs(twfe["estimate"] - 1.0) < 3 * twfe["se"]
    assert overall(results, "cs_did", "simple")["ci_low"] < 1.0


def test_failing_outcome_is_recorded_not_raised(tmp_path):
    import pandas as pd

    params = mpdta_params(tmp_path, outcomes=["lemp", "empty"], estimators=["twfe"])
    frame = pd.read_csv(MPDTA)
    frame["empty"] = float("nan")  # no outcome value at all: twfe cannot estimate
    frame.to_csv(tmp_path / "mpdta.csv", index=False)
    results = file_of(analyse(params))
    assert any(e["outcome"] == "lemp" for e in results["estimates"])
    failures = results["diagnostics"]["estimator_failures"]
    assert [(f["estimator"], f["outcome"]) for f in failures] == [("twfe", "empty")]
