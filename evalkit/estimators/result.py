"""The one result type that every estimator returns, and a collection of them.

Kept apart from how estimates and their uncertainty are computed, so that tables, plots, the
results JSON and tests treat every estimator alike (cf. linearmodels' results classes).
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

import numpy as np
import pandas as pd
from scipy import stats

from evalkit.estimators.warnings import describe, merge

if TYPE_CHECKING:
    from evalkit.estimators.propensity import PropensityFit

#: Fields of a results-JSON ``estimates`` entry that only some estimators fill in.
OPTIONAL_KEYS = ("aggregation", "group", "time", "event_time", "subgroup", "level")


def inference(
    estimate: float, se: float, level: float = 0.95, df: float | None = None
) -> tuple[float, float, float]:
    """(ci_low, ci_high, p_value) from a normal approximation, or a t with ``df`` degrees of
    freedom; NaN when the SE (or df) is not usable. The one interval helper of evalkit."""
    if not (np.isfinite(estimate) and np.isfinite(se)) or se <= 0:
        return (math.nan, math.nan, math.nan)
    if df is None:
        dist: Any = stats.norm
    elif df > 0:
        dist = stats.t(df)
    else:
        return (math.nan, math.nan, math.nan)
    q = float(dist.ppf(0.5 + level / 2))
    p = float(2 * dist.sf(abs(estimate / se)))
    return (estimate - q * se, estimate + q * se, p)


def _clean(value: Any) -> Any:
    """Turn numpy scalars and NaN into plain JSON-safe Python values."""
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {str(k): _clean(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_clean(v) for v in value]
    if isinstance(value, pd.Timestamp):
        return value.strftime("%Y-%m-%d")
    return value


@dataclass(frozen=True)
class EffectResult:
    """One effect estimate with its uncertainty.

    ``influence`` holds the estimate's influence function per unit (mean zero, scaled so that
    ``se = sqrt(sum(influence**2)) / n``) where the estimator provides one, so that aggregations
    and ratios get exact uncertainty without refitting. ``fit`` is what a propensity-based
    estimator actually used (scores, weights, trimming; ``propensity.PropensityFit``), so that
    diagnostics describe the estimate's own weights instead of refitting. Neither is serialised.
    ``warnings`` are codes of ``estimators.warnings`` (why not to read the number at face value).
    """

    estimator: str
    outcome: str
    estimate: float
    se: float
    ci_low: float
    ci_high: float
    p_value: float
    n_treated: int
    n_control: int
    estimand: str = "ATT"
    level: float = 0.95
    aggregation: str | None = None
    group: Any = None
    time: Any = None
    event_time: int | None = None
    subgroup: str | None = None
    details: dict[str, Any] = field(default_factory=dict)
    warnings: tuple[str, ...] = ()
    influence: np.ndarray | None = field(default=None, repr=False, compare=False)
    fit: PropensityFit | None = field(default=None, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "warnings", merge(self.warnings))

    @classmethod
    def from_estimate(
        cls,
        estimator: str,
        outcome: str,
        estimate: float,
        se: float,
        n_treated: int,
        n_control: int,
        *,
        level: float = 0.95,
        df: float | None = None,
        **kwargs: Any,
    ) -> EffectResult:
        """Build a result from a point estimate and its SE (normal, or t with ``df``)."""
        estimate, se = float(estimate), float(se)
        lo, hi, p = inference(estimate, se, level, df)
        return cls(
            estimator=estimator,
            outcome=outcome,
            estimate=estimate,
            se=se,
            ci_low=lo,
            ci_high=hi,
            p_value=p,
            n_treated=int(n_treated),
            n_control=int(n_control),
            level=level,
            **kwargs,
        )

    def with_(self, **changes: Any) -> EffectResult:
        """Return a copy with some fields changed."""
        return replace(self, **changes)

    def with_warnings(self, *codes: str) -> EffectResult:
        """Return a copy that also carries the given warning codes (each once, in order)."""
        return replace(self, warnings=merge(self.warnings, codes))

    @property
    def significant(self) -> bool:
        """Whether the interval excludes zero."""
        return bool(np.isfinite(self.ci_low) and (self.ci_low > 0 or self.ci_high < 0))

    def to_dict(self) -> dict[str, Any]:
        """The results-JSON ``estimates`` entry (DESIGN section 6); optional keys only when set."""
        out: dict[str, Any] = {
            "outcome": self.outcome,
            "estimator": self.estimator,
            "estimand": self.estimand,
            "estimate": self.estimate,
            "se": self.se,
            "ci_low": self.ci_low,
            "ci_high": self.ci_high,
            "p_value": self.p_value,
            "n_treated": self.n_treated,
            "n_control": self.n_control,
        }
        for key in ("aggregation", "group", "time", "event_time", "subgroup"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.warnings:
            out["warnings"] = list(self.warnings)
        if self.details:
            out["details"] = self.details
        return _clean(out)

    def summary(self) -> str:
        """A plain-text summary for terminals and logs."""
        pct = int(round(self.level * 100))
        head = f"{self.estimator} · {self.estimand} of {self.outcome}"
        for key in ("aggregation", "group", "time", "event_time", "subgroup"):
            value = getattr(self, key)
            if value is not None:
                head += f" · {key}={value}"
        lines = [
            head,
            f"  estimate   {self.estimate: .6g}",
            f"  std. error {self.se: .6g}",
            f"  {pct}% CI     [{self.ci_low:.6g}, {self.ci_high:.6g}]",
            f"  p-value    {self.p_value:.4g}",
            f"  n treated  {self.n_treated}   n control {self.n_control}",
        ]
        for key, value in self.details.items():
            if isinstance(value, (str, int, float, bool)) or value is None:
                lines.append(f"  {key}: {value}")
        for code in self.warnings:
            lines.append(f"  warning {code}: {describe(code)}")
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.summary()

    def _repr_html_(self) -> str:
        return EffectResults([self])._repr_html_()


class EffectResults(Sequence[EffectResult]):
    """An ordered collection of results: one outcome across estimators, or a panel's cells."""

    def __init__(
        self, results: Iterable[EffectResult] = (), *, details: dict[str, Any] | None = None
    ):
        self._results = list(results)
        #: Collection-level information, e.g. a joint pre-trend test of an event study.
        self.details: dict[str, Any] = dict(details or {})

    def __getitem__(self, index):  # type: ignore[override]
        if isinstance(index, slice):
            return EffectResults(self._results[index], details=self.details)
        return self._results[index]

    def __len__(self) -> int:
        return len(self._results)

    def __iter__(self) -> Iterator[EffectResult]:
        return iter(self._results)

    def __add__(self, other: Iterable[EffectResult]) -> EffectResults:
        return EffectResults([*self._results, *other], details=self.details)

    def filter(self, **criteria: Any) -> EffectResults:
        """Results whose fields equal every given value, e.g. ``filter(aggregation="dynamic")``."""
        keep = [r for r in self._results if all(getattr(r, k) == v for k, v in criteria.items())]
        return EffectResults(keep, details=self.details)

    def to_dicts(self) -> list[dict[str, Any]]:
        """The results-JSON ``estimates`` list."""
        return [r.to_dict() for r in self._results]

    def to_frame(self) -> pd.DataFrame:
        """One row per result, for tables and plots."""
        rows = []
        for r in self._results:
            d = r.to_dict()
            d.pop("details", None)
            rows.append(d)
        return pd.DataFrame(rows)

    def summary(self) -> str:
        cols = [
            "outcome",
            "estimator",
            "estimate",
            "se",
            "ci_low",
            "ci_high",
            "p_value",
            "n_treated",
            "n_control",
        ]
        frame = self.to_frame()
        extra = [c for c in OPTIONAL_KEYS if c in frame.columns]
        return frame[[c for c in cols[:2] + extra + cols[2:] if c in frame.columns]].to_string(
            index=False
        )

    def __repr__(self) -> str:
        return (
            f"EffectResults({len(self)} results)\n{self.summary()}"
            if len(self)
            else "EffectResults(0 results)"
        )

    def _repr_html_(self) -> str:
        frame = self.to_frame()
        if frame.empty:
            return "<p>No results.</p>"
        body = frame.to_html(
            index=False, float_format=lambda x: f"{x:.4g}", na_rep="–", escape=True
        )
        caption = html.escape(
            ", ".join(
                f"{k}: {v}" for k, v in self.details.items() if isinstance(v, (str, int, float))
            )
        )
        return f"<div class='evalkit-results'>{body}<p>{caption}</p></div>" if caption else body
