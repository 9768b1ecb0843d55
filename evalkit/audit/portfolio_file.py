"""``portfolio.json``: the portfolio's decisions as a file beside ``index.html`` (README).

The models below are the file's contract; ``portfolio_schema()`` generates its JSON Schema
(the committed ``evalkit/portfolio_schema.json``, kept equal by a test). Built from the
protected results only (``portfolio_page.write_portfolio_json``), so nothing in it has escaped
disclosure control.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from evalkit.audit.commissions import CommissionGoals
from evalkit.audit.portfolio import PortfolioRow, PortfolioSummary
from evalkit.results import BenchmarkBlock, Count, Number, Part

#: The committed schema of ``portfolio.json``.
PORTFOLIO_SCHEMA_FILE = Path(__file__).resolve().parent.parent / "portfolio_schema.json"
#: The file's name in a run folder.
PORTFOLIO_JSON = "portfolio.json"


class FileInterval(Part):
    """An estimate and its 95 % interval (bounds null when unbounded or unknown)."""

    estimate: Number = None
    ci_low: Number = None
    ci_high: Number = None


class FileCumulativeEffect(FileInterval):
    """Extra months in work or studies over months 1..``months`` after start (the ranking's)."""

    outcome: str
    months: int | None = None


class FileNetCosts(Part):
    """Net cost per participant over the horizon, discounted: municipality and public sector."""

    municipality: FileInterval | None = None
    public_sector: FileInterval | None = None


class FileCostRatio(FileInterval):
    """Net cost per extra month in work or studies (Fieller), its rank and why it has no
    (bounded) interval."""

    months: int | None = None
    bounded: bool | None = None
    reason: str | None = None
    rank: int | None = None


class FileMeasure(Part):
    """One measure: rank (null if not ranked, with the reason), credibility, effect, costs."""

    measure_id: str
    title: str | None = None
    rank: int | None = None
    not_ranked_reason: str | None = None
    credibility: str | None = None
    cumulative_effect: FileCumulativeEffect | None = None
    net_cost_per_participant: FileNetCosts = FileNetCosts()
    cost_per_extra_month_in_work: FileCostRatio | None = None
    p_best: Number = None


class FileBenchmarkKpi(Part):
    """One KPI in one year: the municipality beside its peers' unweighted mean and range."""

    kpi: str
    title: str | None = None
    period: int
    municipality_value: Number = None
    peer_mean: Number = None
    peer_min: Number = None
    peer_max: Number = None
    n_peers: Count = None


class FileBenchmark(Part):
    """Kolada peers ("Källa: Kolada")."""

    source: str = "Kolada"
    kpis: list[FileBenchmarkKpi] = []


class PortfolioFile(Part):
    """``portfolio.json``: horizon, discount rate, measures, goals per commission, benchmark."""

    horizon_months: int | None = None
    discount_rate: Number = None
    measures: list[FileMeasure] = []
    goals_by_document: list[CommissionGoals] = []
    benchmark: FileBenchmark | None = None


def _interval(entry: Any) -> FileInterval | None:
    if entry is None or entry.estimate is None:
        return None
    return FileInterval(estimate=entry.estimate, ci_low=entry.ci_low, ci_high=entry.ci_high)


def file_measure(row: PortfolioRow) -> FileMeasure:
    """A portfolio row as the file holds it."""
    ratio = row.cost_per_extra_month
    return FileMeasure(
        measure_id=row.measure_id,
        title=row.title,
        rank=row.rank_effect,
        not_ranked_reason=row.reason,
        credibility=row.credibility,
        cumulative_effect=(
            FileCumulativeEffect(
                outcome=row.outcome,
                months=row.months,
                estimate=row.estimate,
                ci_low=row.ci_low,
                ci_high=row.ci_high,
            )
            if row.estimate is not None and row.outcome
            else None
        ),
        net_cost_per_participant=FileNetCosts(
            municipality=_interval(row.net_cost_municipality),
            public_sector=_interval(row.net_cost_public),
        ),
        cost_per_extra_month_in_work=(
            FileCostRatio(
                estimate=ratio.estimate,
                ci_low=ratio.ci_low,
                ci_high=ratio.ci_high,
                months=ratio.horizon_months,
                bounded=ratio.bounded,
                reason=ratio.reason,
                rank=row.rank_cost,
            )
            if ratio is not None
            else None
        ),
        p_best=row.p_best,
    )


def file_benchmark(block: BenchmarkBlock | None) -> FileBenchmark | None:
    """The benchmark as the file holds it."""
    if block is None:
        return None
    keep = {"kpi", "title", "period", "municipality_value", "peer_mean", "peer_min", "peer_max",
            "n_peers"}  # fmt: skip
    return FileBenchmark(
        source=block.source,
        kpis=[FileBenchmarkKpi(**k.model_dump(include=keep)) for k in block.kpis],
    )


def portfolio_file(
    summary: PortfolioSummary,
    goals: list[CommissionGoals],
    benchmark: BenchmarkBlock | None,
) -> PortfolioFile:
    """The file's content from the portfolio summary, the goals per commission and Kolada."""
    return PortfolioFile(
        horizon_months=summary.horizon_months,
        discount_rate=summary.discount_rate,
        measures=[file_measure(r) for r in summary.measures],
        goals_by_document=goals,
        benchmark=file_benchmark(benchmark),
    )


def portfolio_schema() -> dict[str, Any]:
    """The JSON Schema (2020-12) of ``portfolio.json``, generated from ``PortfolioFile``."""
    schema = PortfolioFile.model_json_schema(mode="validation")
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": "https://evalkit.example/portfolio_schema.json",
        "title": "evalkit portfolio file (portfolio.json)",
        "description": (
            "The portfolio's decisions beside index.html, generated from "
            "evalkit.audit.portfolio_file.PortfolioFile: measures ranked by the effect over the "
            "horizon (extra months in work or studies), net cost per participant for the "
            "municipality and the public sector, net cost per extra month in work or studies, "
            "probability of being best, goals per commission and Kolada peers."
        ),
        **{k: v for k, v in schema.items() if k not in ("title", "description")},
    }


if __name__ == "__main__":  # python -m evalkit.audit.portfolio_file > evalkit/portfolio_schema.json
    import json

    print(json.dumps(portfolio_schema(), indent=2, ensure_ascii=False))
