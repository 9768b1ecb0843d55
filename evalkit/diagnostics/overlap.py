"""Propensity-score overlap: histogram counts by group on shared bins, and common support."""

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
) -> dict[str, Any]:
    """Counts of treated and controls in ``bins`` equal bins of [0, 1], and support shares.

    Common support is [max(min ps1, min ps0), min(max ps1, max ps0)];
    ``share_outside_support`` is the share of all units outside it and
    ``share_treated_outside_support`` that of the treated (who then have no comparable
    controls). ``n_trimmed`` counts units outside ``trim`` (0 without trimming). Only counts and
    shares are returned — the bin edges are fixed, so no unit's score can be read off.
    """
    ps = np.asarray(ps, dtype=float)
    d = np.asarray(treated, dtype=float)
    ok = np.isfinite(ps)
    ps, d = ps[ok], d[ok]
    edges = np.linspace(0.0, 1.0, int(bins) + 1)
    t_counts = np.histogram(ps[d == 1], bins=edges)[0]
    c_counts = np.histogram(ps[d == 0], bins=edges)[0]
    if (d == 1).any() and (d == 0).any():
        lo = max(ps[d == 1].min(), ps[d == 0].min())
        hi = min(ps[d == 1].max(), ps[d == 0].max())
        outside = (ps < lo) | (ps > hi)
        share = float(outside.mean())
        share_t = float(outside[d == 1].mean())
    else:
        share, share_t = 1.0, 1.0
    return {
        "bin_edges": [round(float(e), 12) for e in edges],
        "treated_counts": [int(c) for c in t_counts],
        "control_counts": [int(c) for c in c_counts],
        "share_outside_support": share,
        "share_treated_outside_support": share_t,
        "n_trimmed": int((~trim_mask(ps, trim)).sum()),
    }
