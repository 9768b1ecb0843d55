"""Propensity-score overlap: histogram counts by group on shared bins, and how many
*participants* lie outside common support or were left out by trimming."""

from __future__ import annotations

from typing import Any

import numpy as np

from evalkit.estimators.propensity import trim_mask


def overlap_summary(
    ps: np.ndarray,
    treated: np.ndarray,
    bins: int = 20,
    *,
    trim: tuple[float, float] | float | None = None,
    trimmed: np.ndarray | None = None,
) -> dict[str, Any]:
    """Counts of treated and controls in ``bins`` equal bins of [0, 1], and support shares.

    Common support is [max(min ps1, min ps0), min(max ps1, max ps0)]. Every share is a share of
    the **participants** (``denominator: "participants"``, ``n_participants``):
    ``share_outside_support`` of those outside common support (no comparison person with as low
    or as high a score), ``share_trimmed`` of those the estimate left out (``trimmed``, e.g. an
    estimate's ``fit.trimmed``, or else scores outside ``trim``), ``share_excluded`` of those in
    either. ``share_all_units_outside_support`` is the same share over all units (mostly
    comparison units: not the figure to report). ``n_trimmed`` counts all units trimmed. Only
    counts and shares are returned — the bin edges are fixed, so no unit's score can be read off.
    """
    ps = np.asarray(ps, dtype=float)
    d = np.asarray(treated, dtype=float)
    ok = np.isfinite(ps)
    cut = ~trim_mask(np.where(ok, ps, 0.5), trim) if trimmed is None else np.asarray(trimmed)
    ps, d, cut = ps[ok], d[ok], cut[ok].astype(bool)
    edges = np.linspace(0.0, 1.0, int(bins) + 1)
    t_counts = np.histogram(ps[d == 1], bins=edges)[0]
    c_counts = np.histogram(ps[d == 0], bins=edges)[0]
    if (d == 1).any() and (d == 0).any():
        lo = max(ps[d == 1].min(), ps[d == 0].min())
        hi = min(ps[d == 1].max(), ps[d == 0].max())
        outside = (ps < lo) | (ps > hi)
    else:
        outside = np.ones(len(ps), dtype=bool)
    n1 = int((d == 1).sum())
    n_out = int((outside & (d == 1)).sum())
    n_cut = int((cut & (d == 1)).sum())
    n_excluded = int(((outside | cut) & (d == 1)).sum())

    def share(count: int) -> float:
        return count / n1 if n1 else 1.0

    return {
        "bin_edges": [round(float(e), 12) for e in edges],
        "treated_counts": [int(c) for c in t_counts],
        "control_counts": [int(c) for c in c_counts],
        "denominator": "participants",
        "n_participants": n1,
        "n_participants_outside_support": n_out,
        "n_participants_trimmed": n_cut,
        "share_outside_support": share(n_out),
        "share_trimmed": share(n_cut),
        "share_excluded": share(n_excluded),
        "share_treated_outside_support": share(n_out),
        "share_all_units_outside_support": float(outside.mean()) if len(ps) else 1.0,
        "n_trimmed": int(cut.sum()),
    }
