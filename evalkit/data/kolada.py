"""Kolada exports read offline, and the municipality's own value of Kolada's follow-up share.

Kolada (RKA, CC BY 4.0) publishes municipal key figures (KPIs). evalkit never calls its API: a
user saves the JSON of the API's data endpoints (v2 or v3: ``values`` rows with ``kpi``,
``municipality``, ``period`` and ``values`` by gender ``T``/``K``/``M``) or a CSV with the
columns ``kpi, municipality, period, gender, value``, and names the file in params. The export
may also carry metadata: ``kpis`` (``id``, ``title``) and ``municipality_groups`` (``id``,
``title``, ``members``), so that a peer group can be named by its group id.

Kolada's follow-up share ("Resultat vid avslut i kommunens arbetsmarknadsverksamhet, deltagare
som börjat arbeta eller studera, andel (%)") counts participants who ended a municipal
labour-market measure in a year and whose reason for ending was work (subsidised or not) or
studies, out of all participants who ended that year. ``followup_share_by_year`` computes it
from the municipality's own registers.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

from evalkit.data.schema import WORK_OR_STUDY_END_REASON
from evalkit.errors import DataError, MissingColumnError

#: The KPIs on ekonomiskt bistånd that every benchmark shows (id -> Swedish title).
ASSISTANCE_KPIS: dict[str, str] = {
    "N31807": "Invånare som någon gång under året erhållit ekonomiskt bistånd, andel (%)",
    "N31001": "Kostnad för ekonomiskt bistånd, kr/inv",
}

#: The title by which the follow-up KPI is found in an export's ``kpis`` metadata.
FOLLOWUP_TITLE = (
    "Resultat vid avslut i kommunens arbetsmarknadsverksamhet, deltagare som börjat arbeta "
    "eller studera, andel (%)"
)

COLUMNS = ("kpi", "municipality", "period", "gender", "value")


@dataclass(frozen=True)
class KoladaExport:
    """One Kolada export: values in long form, plus KPI titles and municipality groups."""

    values: pd.DataFrame
    titles: dict[str, str] = field(default_factory=dict)
    groups: dict[str, list[str]] = field(default_factory=dict)
    file: str | None = None
    n_without_value: int = 0

    def members(self, ids: list[str]) -> list[str]:
        """Municipality codes, with any group id replaced by the group's members."""
        out: list[str] = []
        for code in ids:
            for member in self.groups.get(str(code), [str(code)]):
                if member not in out:
                    out.append(member)
        return out

    def kpi_by_title(self, title: str) -> str | None:
        """The id of the KPI with this title (case and spacing ignored), if the export names it."""
        want = " ".join(title.lower().split())
        for kpi, text in self.titles.items():
            if " ".join(str(text).lower().split()) == want:
                return kpi
        return None


def _municipality_code(value: Any) -> str:
    """Kolada's four-digit municipality code as text (CSV readers drop the leading zero)."""
    text = str(value).strip()
    return text.zfill(4) if text.isdigit() and len(text) < 4 else text


def _rows_from_json(doc: Any) -> tuple[list[dict[str, Any]], dict[str, str], dict[str, list[str]]]:
    """Flatten one JSON document (a response, a list of responses, or a bundle) into rows."""
    rows: list[dict[str, Any]] = []
    titles: dict[str, str] = {}
    groups: dict[str, list[str]] = {}
    pages = doc if isinstance(doc, list) else [doc]
    for page in pages:
        if not isinstance(page, dict):
            continue
        for meta in page.get("kpis") or page.get("kpi") or []:
            if isinstance(meta, dict) and meta.get("id"):
                titles[str(meta["id"])] = str(meta.get("title") or "")
        for group in page.get("municipality_groups") or page.get("groups") or []:
            if isinstance(group, dict) and group.get("id"):
                members = [
                    _municipality_code(m.get("id") if isinstance(m, dict) else m)
                    for m in group.get("members") or []
                ]
                groups[str(group["id"])] = members
        entries = page.get("values") if "values" in page else page.get("data") or []
        for entry in entries or []:
            if not isinstance(entry, dict) or "kpi" not in entry:
                continue
            for cell in entry.get("values") or []:
                rows.append(
                    {
                        "kpi": entry.get("kpi"),
                        "municipality": entry.get("municipality"),
                        "period": entry.get("period"),
                        "gender": (cell or {}).get("gender"),
                        "value": (cell or {}).get("value"),
                    }
                )
    return rows, titles, groups


def read_kolada(path: str | Path) -> KoladaExport:
    """Read a Kolada export (API JSON, v2 or v3, or CSV) into a ``KoladaExport``.

    Rows without a value (Kolada publishes missing values with a status and no number) are
    counted in ``n_without_value``, never silently dropped from the count.
    """
    p = Path(path)
    if not p.exists():
        raise DataError("the Kolada export does not exist", file=str(p))
    if p.suffix.lower() == ".json":
        try:
            doc = json.loads(p.read_text(encoding="utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError):
            raise DataError("the Kolada export is not valid JSON", file=str(p)) from None
        rows, titles, groups = _rows_from_json(doc)
        frame = pd.DataFrame(rows, columns=list(COLUMNS))
    else:
        frame = pd.read_csv(p, dtype={"municipality": str, "kpi": str, "gender": str})
        frame.columns = [str(c).strip().lower() for c in frame.columns]
        titles, groups = {}, {}
        for column in COLUMNS:
            if column not in frame.columns:
                raise MissingColumnError(
                    "the Kolada export lacks a column", file=str(p), column=column
                )
    if frame.empty:
        raise DataError("the Kolada export holds no values", file=str(p))
    frame = frame[list(COLUMNS)].copy()
    frame["kpi"] = frame["kpi"].astype(str).str.strip()
    frame["municipality"] = frame["municipality"].map(_municipality_code)
    frame["gender"] = frame["gender"].fillna("T").astype(str).str.upper().str.strip()
    frame["period"] = pd.to_numeric(frame["period"], errors="coerce")
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce")
    bad_period = int(frame["period"].isna().sum())
    if bad_period:
        raise DataError(
            "period is not a year", file=str(p), column="period", rule="year", count=bad_period
        )
    frame["period"] = frame["period"].astype(int)
    missing = int(frame["value"].isna().sum())
    return KoladaExport(
        frame.reset_index(drop=True), titles, groups, file=str(p), n_without_value=missing
    )


def followup_share_by_year(
    participations: pd.DataFrame, measure_ids: list[str] | None = None
) -> pd.DataFrame:
    """Kolada's follow-up share per calendar year, from the participations register.

    A participant counts once per year: the last participation that person ended that year
    decides. The numerator is an end reason of work (subsidised or not) or studies
    (``WORK_OR_STUDY_END_REASON``); the denominator every participant who ended a measure that
    year (ongoing participations are not counted). Columns: ``period``, ``n_ended``,
    ``n_work_or_study``, ``share`` (raw counts; disclosure control comes later).
    """
    for column in ("person_id", "measure_id", "end_date", "end_reason"):
        if column not in participations.columns:
            raise MissingColumnError(
                "participations lack a column", table="participations", column=column
            )
    parts = participations[["person_id", "measure_id", "end_date", "end_reason"]].copy()
    if measure_ids is not None:
        parts = parts[parts["measure_id"].astype(str).isin([str(m) for m in measure_ids])]
    parts["end_date"] = pd.to_datetime(parts["end_date"], errors="coerce")
    ended = parts.dropna(subset=["end_date"])
    ended = ended[ended["end_reason"].astype(str) != "pagaende"]
    if ended.empty:
        return pd.DataFrame(columns=["period", "n_ended", "n_work_or_study", "share"])
    ended = ended.assign(period=ended["end_date"].dt.year.astype(int))
    last = ended.sort_values("end_date").groupby(["period", "person_id"], sort=True).tail(1)
    good = last["end_reason"].astype(str).isin(WORK_OR_STUDY_END_REASON)
    out = (
        last.assign(hit=good.astype(int))
        .groupby("period")
        .agg(n_ended=("hit", "size"), n_work_or_study=("hit", "sum"))
        .reset_index()
    )
    out["share"] = out["n_work_or_study"] / out["n_ended"]
    return out


def peer_comparison(
    export: KoladaExport,
    kpi: str,
    municipality: str,
    peers: list[str],
    *,
    own: dict[int, float] | None = None,
    gender: str = "T",
) -> pd.DataFrame:
    """One KPI per year: the municipality's value beside its peers' unweighted mean and range.

    ``own`` replaces the municipality's Kolada value by one computed from its own registers
    (for the follow-up share). Peers are municipality codes or group ids of the export; the
    municipality itself is never counted among its peers.
    """
    values = export.values
    values = values[(values["kpi"] == kpi) & (values["gender"] == gender)]
    code = _municipality_code(municipality)
    members = [m for m in export.members(peers) if m != code]
    peer_rows = values[values["municipality"].isin(members)].dropna(subset=["value"])
    stats = (
        peer_rows.groupby("period")["value"]
        .agg(peer_mean="mean", peer_min="min", peer_max="max", n_peers="count")
        .reset_index()
    )
    mine = (
        values[values["municipality"] == code]
        .dropna(subset=["value"])
        .groupby("period")["value"]
        .first()
    )
    if own is not None:
        mine = pd.Series(own, dtype="float64")
    periods = sorted(set(stats["period"]).union(int(p) for p in mine.index))
    out = pd.DataFrame({"period": periods})
    out = out.merge(stats, on="period", how="left")
    out["municipality_value"] = [float(mine.get(p, np.nan)) for p in out["period"]]
    out["n_peers"] = out["n_peers"].fillna(0).astype(int)
    out.insert(0, "kpi", kpi)
    return out[
        ["kpi", "period", "municipality_value", "peer_mean", "peer_min", "peer_max", "n_peers"]
    ]
