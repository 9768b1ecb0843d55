"""The municipality against similar municipalities in Kolada, per year ("Källa: Kolada").

Rules (quoted by the report):

- The Kolada export is read offline (``data.kolada.read_kolada``; params ``benchmark.kolada``).
  Peers are municipality codes or group ids of the export (``benchmark.peers``); the
  municipality itself is never one of its peers. Per KPI and year: the municipality's value, and
  the peers' unweighted mean, least and greatest value and their number (``n_peers``), for
  gender ``T`` (everyone).
- The follow-up share (``benchmark.followup_kpi``, else the KPI the export titles "Resultat vid
  avslut i kommunens arbetsmarknadsverksamhet, deltagare som börjat arbeta eller studera, andel
  (%)"): the municipality's own value is computed from its participations register with
  Kolada's definition (``data.kolada.followup_share_by_year``, all measures), in percent. A year
  whose number of participants who ended is under ``2 × min_cell`` is suppressed (the share of a
  handful of people describes those people), and marked so.
- The assistance KPIs N31807 (share of inhabitants with ekonomiskt bistånd during the year, %)
  and N31001 (cost of ekonomiskt bistånd, SEK per inhabitant) are shown with the municipality's
  own Kolada values.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from evalkit.audit.disclosure import share_allowed
from evalkit.data.kolada import (
    ASSISTANCE_KPIS,
    FOLLOWUP_TITLE,
    KoladaExport,
    followup_share_by_year,
    peer_comparison,
    read_kolada,
)
from evalkit.errors import EvalkitError
from evalkit.params import Benchmark
from evalkit.results import BenchmarkBlock, BenchmarkKpi


def own_followup_share(
    participations: pd.DataFrame | None, min_cell: int
) -> tuple[dict[int, float], set[int]]:
    """The municipality's follow-up share in percent by year, and the years suppressed."""
    if participations is None:
        return {}, set()
    by_year = followup_share_by_year(participations)
    shown, hidden = {}, set()
    for row in by_year.itertuples(index=False):
        if share_allowed(row.n_ended, min_cell):
            shown[int(row.period)] = 100.0 * float(row.share)
        else:
            hidden.add(int(row.period))
    return shown, hidden


def _rows(
    frame: pd.DataFrame, title: str | None, *, own: bool, hidden: set[int] = frozenset()
) -> list[BenchmarkKpi]:
    """Typed rows from ``peer_comparison``'s frame (suppressed years without a value)."""
    out = []
    for row in frame.to_dict("records"):
        period = int(row["period"])
        suppressed = period in hidden
        out.append(
            BenchmarkKpi(
                kpi=str(row["kpi"]),
                title=title,
                period=period,
                municipality_value=None if suppressed else row["municipality_value"],
                peer_mean=row["peer_mean"],
                peer_min=row["peer_min"],
                peer_max=row["peer_max"],
                n_peers=row["n_peers"],
                own=own,
                suppressed=suppressed,
            )
        )
    return out


def followup_kpi(export: KoladaExport, chosen: str | None) -> str | None:
    """The follow-up KPI's id: as given, else found by its Kolada title in the export."""
    return chosen or export.kpi_by_title(FOLLOWUP_TITLE)


def benchmark_block(
    params: Benchmark | None,
    participations: pd.DataFrame | None,
    *,
    min_cell: int,
) -> BenchmarkBlock | None:
    """The municipality's follow-up share and assistance KPIs beside its peers' (typed)."""
    if params is None:
        return None
    base = {"municipality": params.municipality, "peers": list(params.peers)}
    try:
        export = read_kolada(params.kolada)
    except EvalkitError:
        return BenchmarkBlock(**base, reason="unreadable_export")
    base["file"] = Path(export.file).name if export.file else None
    peers = list(params.peers)
    rows: list[BenchmarkKpi] = []
    kpi = followup_kpi(export, params.followup_kpi)
    if kpi is not None:
        shown, hidden = own_followup_share(participations, min_cell)
        # a suppressed year keeps its row (peers shown, own value hidden): a placeholder value
        placeholders = dict.fromkeys(hidden, 0.0)
        frame = peer_comparison(
            export, kpi, params.municipality, peers, own={**shown, **placeholders}
        )
        title = export.titles.get(kpi) or FOLLOWUP_TITLE
        rows += _rows(frame, title, own=True, hidden=hidden)
    for code, title in ASSISTANCE_KPIS.items():
        frame = peer_comparison(export, code, params.municipality, peers)
        rows += _rows(frame, export.titles.get(code) or title, own=False)
    reason = None if rows else "no_values"
    return BenchmarkBlock(**base, kpis=rows, reason=reason)
