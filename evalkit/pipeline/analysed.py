"""What a data mode's analysis hands to the audit: the results so far and the costs table."""

from __future__ import annotations

from dataclasses import dataclass, field

import pandas as pd

from evalkit.results import Followup, MeasureResults


@dataclass(frozen=True)
class Analysed:
    """Estimates, sample, follow-up, diagnostics (no header, audit or disclosure yet), and the
    ``costs`` register table the audit reads (registers mode only), and the follow-up of each
    descriptive goal's measurement period (cohorts whose follow-up ends by its deadline)."""

    body: MeasureResults
    costs: pd.DataFrame | None = None
    followups: dict[str, Followup] = field(default_factory=dict)
