"""Write the small table-mode and panel-mode example data (deterministic): ``python examples/make_examples.py``.

``projekt_x.csv``: one row per person, participation ``deltog`` chosen on the covariates, true
effect on ``arbete_12m`` +0.08 (a share) for everyone. ``panel.csv``: 200 units × 2015–2022,
first treated year 2018, 2019, 2020 or never (0), true effect +1.0 from the first treated year.
``kolada_export.json``: a Kolada API (v2) data response for an invented municipality "9990" and
six invented peers (group ``G-EXEMPEL``), with the KPIs N31807, N31001 and the follow-up share;
every value is invented for the example.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pandas as pd

HERE = Path(__file__).resolve().parent
SEED = 20261126
TRUE_EFFECT_TABLE = 0.08
TRUE_EFFECT_PANEL = 1.0


def projekt_x(n: int = 800, seed: int = SEED) -> pd.DataFrame:
    """One prepared row per person with selection on observables."""
    rng = np.random.default_rng(seed)
    alder = rng.integers(18, 65, n)
    kvinna = rng.integers(0, 2, n)
    utbildning_ar = rng.choice([9, 12, 15], n, p=[0.35, 0.45, 0.2])
    bistand = rng.integers(0, 25, n)
    logit = -0.5 + 0.03 * (40 - alder) + 0.3 * kvinna - 0.04 * bistand
    deltog = (rng.random(n) < 1 / (1 + np.exp(-logit))).astype(int)
    p0 = 1 / (
        1 + np.exp(-(-0.8 - 0.02 * (alder - 40) + 0.1 * (utbildning_ar - 12) - 0.05 * bistand))
    )
    arbete = (rng.random(n) < np.clip(p0 + TRUE_EFFECT_TABLE * deltog, 0, 1)).astype(int)
    return pd.DataFrame(
        {
            "person_id": [f"P{i:04d}" for i in range(1, n + 1)],
            "deltog": deltog,
            "arbete_12m": arbete,
            "alder": alder,
            "kvinna": kvinna,
            "utbildning_ar": utbildning_ar,
            "bistand_manader_fore": bistand,
        }
    )


def panel(units: int = 200, seed: int = SEED) -> pd.DataFrame:
    """A balanced yearly panel with staggered adoption and a constant effect."""
    rng = np.random.default_rng(seed + 1)
    years = np.arange(2015, 2023)
    cohort = rng.choice([0, 2018, 2019, 2020], units, p=[0.4, 0.2, 0.2, 0.2])
    alpha = rng.normal(0, 1, units)
    gamma = 0.3 * (years - years[0])
    rows = []
    for i in range(units):
        for j, year in enumerate(years):
            treated = cohort[i] > 0 and year >= cohort[i]
            y = alpha[i] + gamma[j] + TRUE_EFFECT_PANEL * treated + rng.normal(0, 0.5)
            rows.append((f"U{i + 1:03d}", int(year), int(cohort[i]), round(float(y), 6)))
    return pd.DataFrame(rows, columns=["unit", "year", "first_treated", "y"])


KOLADA_MUNICIPALITY = "9990"
KOLADA_PEERS = [f"99{i:02d}" for i in range(91, 97)]
KOLADA_FOLLOWUP = "EXEMPEL_AVSLUT"


def kolada_export(seed: int = SEED) -> dict:
    """A Kolada v2 data response with KPI and group metadata (values invented)."""
    from evalkit.data.kolada import ASSISTANCE_KPIS, FOLLOWUP_TITLE

    rng = np.random.default_rng(seed)
    centre = {"N31807": 4.5, "N31001": 2400.0, KOLADA_FOLLOWUP: 36.0}
    spread = {"N31807": 1.2, "N31001": 600.0, KOLADA_FOLLOWUP: 7.0}
    values = []
    for kpi in centre:
        for code in [KOLADA_MUNICIPALITY, *KOLADA_PEERS]:
            for year in range(2019, 2025):
                v = float(np.round(centre[kpi] + spread[kpi] * rng.standard_normal(), 1))
                cells = [{"count": 1, "gender": "T", "status": "", "value": v}]
                if kpi == "N31807":
                    for g, d in (("K", 0.3), ("M", -0.3)):
                        cells.append(
                            {"count": 1, "gender": g, "status": "", "value": round(v + d, 1)}
                        )
                values.append({"kpi": kpi, "municipality": code, "period": year, "values": cells})
    titles = {**ASSISTANCE_KPIS, KOLADA_FOLLOWUP: FOLLOWUP_TITLE}
    return {
        "note": "Invented values for evalkit's example; municipality codes 99xx do not exist.",
        "count": len(values),
        "values": values,
        "kpis": [{"id": k, "title": t} for k, t in titles.items()],
        "municipality_groups": [
            {
                "id": "G-EXEMPEL",
                "title": "Exempelkommuner (liknande kommuner, påhittade)",
                "members": [{"id": c, "title": f"Exempelkommun {c}"} for c in KOLADA_PEERS],
            }
        ],
    }


def main() -> None:
    """Write the example files beside this script."""
    projekt_x().to_csv(HERE / "projekt_x.csv", index=False)
    (HERE / "kolada_export.json").write_text(
        json.dumps(kolada_export(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    panel().to_csv(HERE / "panel.csv", index=False)


if __name__ == "__main__":
    main()
