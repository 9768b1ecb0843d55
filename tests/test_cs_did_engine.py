"""cs_did's factored batch engine equals the cell-by-cell reference ``drdid.att_2x2``.

A batch keeps its influence functions factored (``IF = κ (a·(e_t − e_b) + b·c)``); everything
cs_did reports is computed from that form. These tests compare each use of it (the ATT, the
influence functions, their sums of squares with and without the shared products, weighted sums
into aggregates, multiplier draws) with the reference formulas applied to the same units.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from evalkit.estimators import cs_did as engine
from evalkit.estimators._panel import to_wide
from evalkit.estimators.cs_did_aggregate import multiplier_bootstrap, multipliers
from evalkit.estimators.drdid import att_2x2

PERIODS = 8


@pytest.fixture(scope="module")
def units() -> engine._Units:
    rng = np.random.default_rng(11)
    n = 400
    cohort = rng.choice([0, 0, 4, 5, 6, 7], size=n)
    x1 = rng.normal(size=n)
    x2 = (rng.random(n) < 0.4).astype(float)
    w = rng.uniform(0.5, 2.0, size=n)
    t = np.arange(1, PERIODS + 1)
    y = (
        5.0
        + x1[:, None] * (1 + 0.1 * t)
        + 0.3 * x2[:, None] * t
        + np.where((cohort[:, None] > 0) & (t >= cohort[:, None]), 0.5, 0.0)
        + rng.normal(size=(n, PERIODS))
    )
    frame = pd.DataFrame(
        {
            "id": np.repeat(np.arange(n), PERIODS),
            "t": np.tile(t, n),
            "g": np.repeat(cohort, PERIODS),
            "x1": np.repeat(x1, PERIODS),
            "x2": np.repeat(x2, PERIODS),
            "w": np.repeat(w, PERIODS),
            "y": y.ravel(),
        }
    )
    raw = to_wide(frame, "y", unit="id", time="t", cohort="g", covariates=["x1", "x2"], weights="w")
    return engine._Units.of(raw)


# cohort 5 (period index 4): pre cells against the period before, post cells against index 3
CUR = np.array([1, 2, 3, 4, 5, 6, 7])
BASE = np.array([0, 1, 2, 3, 3, 3, 3])
CASES = [
    pytest.param(method, controls, id=f"{method}-{'never' if controls == (0,) else 'not_yet'}")
    for method in ("reg", "ipw", "dr")
    for controls in ((0,), (0, 6, 7))
]


def _reference(units: engine._Units, controls: tuple[int, ...], method: str):
    """ATT, influence functions (controls' rows first) and row numbers from ``att_2x2``."""
    rows = np.r_[units.index(units.rows(controls)), units.index(units.rows((5,)))]
    d = np.r_[np.zeros(units.size(controls)), np.ones(units.size((5,)))]
    dy = units.y[rows][:, CUR] - units.y[rows][:, BASE]
    att, inf = att_2x2(dy, d, units.x[rows], units.w[rows], method)
    return att, inf * units.n / len(rows), rows


def _fit(units: engine._Units, controls: tuple[int, ...], method: str, shared: bool):
    group = engine._Controls.fit(units, controls, np.arange(PERIODS), method)
    out = engine._estimate_batch(units, 5, group, CUR, BASE, method, shared)
    assert not isinstance(out, str), out
    return out


@pytest.mark.parametrize(("method", "controls"), CASES)
def test_factored_att_and_influence_equal_the_reference(units, method, controls):
    att_ref, inf_ref, _ = _reference(units, controls, method)
    att, (treated, control) = _fit(units, controls, method, shared=True)
    np.testing.assert_allclose(att, att_ref, rtol=0, atol=1e-12)
    dense = np.vstack([control.dense(), treated.dense()])
    np.testing.assert_allclose(dense, inf_ref, rtol=0, atol=1e-11)


@pytest.mark.parametrize(("method", "controls"), CASES)
@pytest.mark.parametrize("shared", [True, False], ids=["shared_products", "dense"])
def test_sums_of_squares_equal_the_reference(units, method, controls, shared):
    _, inf_ref, _ = _reference(units, controls, method)
    _, sides = _fit(units, controls, method, shared=shared)
    got = sum(side.sum_squares() for side in sides)
    np.testing.assert_allclose(got, np.sum(inf_ref**2, axis=0), rtol=1e-11)


@pytest.mark.parametrize(("method", "controls"), CASES)
@pytest.mark.parametrize("kind", ["many_cells_per_aggregate", "one_cell_per_aggregate"])
def test_weighted_sums_into_aggregates_equal_the_reference(units, method, controls, kind):
    _, inf_ref, rows = _reference(units, controls, method)
    _, sides = _fit(units, controls, method, shared=True)
    rng = np.random.default_rng(3)
    if kind == "many_cells_per_aggregate":
        weights = rng.random((len(CUR), 3))
    else:
        weights = np.diag(rng.uniform(0.1, 1.0, len(CUR)))[:, ::-1]
    cols = np.arange(weights.shape[1]) + 2
    sums = np.zeros((units.n, weights.shape[1] + 2))
    for side in sides:
        side.add_to(sums, cols, weights)
    expected = np.zeros_like(sums)
    expected[rows[:, None], cols] = inf_ref @ weights
    np.testing.assert_allclose(sums, expected, rtol=0, atol=1e-11)


@pytest.mark.parametrize(("method", "controls"), CASES)
def test_multiplier_draws_equal_the_reference(units, method, controls):
    _, inf_ref, rows = _reference(units, controls, method)
    _, (treated, control) = _fit(units, controls, method, shared=True)
    v = np.random.default_rng(5).normal(size=(20, units.n))
    got = treated.draws(v[:, units.index(treated.rows)]) + control.draws(
        v[:, units.index(control.rows)]
    )
    np.testing.assert_allclose(got, v[:, rows] @ inf_ref, rtol=0, atol=1e-10)


def test_never_treated_units_come_last_so_later_cohorts_and_never_treated_are_one_block(units):
    assert units.rows((0, 6, 7)) == (slice(units.n - units.size((0, 6, 7)), units.n),)
    assert len(units.rows((0, 5, 7))) == 2


@pytest.mark.parametrize("control_group", ["never_treated", "not_yet_treated"])
def test_cell_bootstrap_uses_each_units_multiplier_as_the_dense_reference(test_data, control_group):
    # rebuild every cell's influence function (panel unit order) from the reference formulas and
    # bootstrap it with the same multipliers: the SEs and the band must be cs_did's
    mpdta = pd.read_csv(test_data / "mpdta.csv")
    kw = {"unit": "countyreal", "time": "year", "cohort": "first.treat", "covariates": ["lpop"]}
    res = engine.cs_did(
        mpdta, "lemp", control_group=control_group, bootstrap=True, n_boot=99, seed=4, **kw
    )
    cells = res.filter(aggregation="att_gt")
    raw = to_wide(mpdta, "lemp", **kw)
    panel, _ = engine._prepare(raw, control_group, 0, "first.treat")
    plan, _ = engine._plan(
        panel.periods, np.unique(panel.cohort[panel.cohort > 0]), control_group, 0, "varying"
    )
    units = engine._Units.of(panel)
    inf = np.zeros((panel.n, len(plan.group)))
    for batch in engine._batches(plan, units.cohorts):
        rows = np.r_[
            units.index(units.rows(batch.controls)), units.index(units.rows((batch.group,)))
        ]
        d = np.r_[np.zeros(units.size(batch.controls)), np.ones(units.size((batch.group,)))]
        cur = np.asarray(plan.t_idx)[batch.cells]
        base = np.asarray(plan.base_idx)[batch.cells]
        dy = units.y[rows][:, cur] - units.y[rows][:, base]
        _, f = att_2x2(dy, d, units.x[rows], units.w[rows], "dr")
        inf[np.ix_(units.order[rows], batch.cells)] = f * units.n / len(rows)
    v = multipliers(panel.n, 99, np.random.default_rng(4), "mammen")
    se, crit = multiplier_bootstrap(inf, v, 0.95)
    np.testing.assert_allclose([r.se for r in cells], se, rtol=1e-9)
    assert cells[0].details["crit_val"] == pytest.approx(crit, rel=1e-9)
