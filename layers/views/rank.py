"""The ranking as people read it: names, scores rounded, missing criteria and exclusions in words."""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from ..labels import text
from ..model.load import Atlas


def exclusion_text(row: pd.Series, limits: dict[str, float | None], lang: str) -> str:
    """Why a park is excluded: 'nearer airport 41.2 km, over the 40 km limit'."""
    t = text(lang)
    reasons = []
    measured = {"airport": "km_airport", "rail": "km_rail", "cbd": "min_cbd"}
    for criterion in row["excluded"]:
        value = row[measured[criterion]]
        key = f"rank_excluded_{criterion}" + ("_unknown" if pd.isna(value) else "")
        reasons.append(t[key].format(km=value, minutes=value, limit=limits.get(criterion)))
    return "; ".join(reasons)


def rank_table(atlas: Atlas, ranked: pd.DataFrame, lang: str, limits: dict[str, float | None]) -> pd.DataFrame:
    """``rank_parks``'s result with human column labels (index: park id)."""
    t = text(lang)
    names = fmt.park_names(atlas, lang)
    separator = "、" if lang == "zh" else ", "
    table = pd.DataFrame(
        {
            t["rank_col_rank"]: ranked["rank"].to_numpy(),
            t["col_park"]: ranked["id"].map(names).to_numpy(),
            t["rank_col_score"]: ranked["score"].astype(float).round(3).to_numpy(),
            **{
                t[f"rank_col_{c}"]: ranked[f"score_{c}"].astype(float).round(2).to_numpy()
                for c in ("sector", "airport", "rail", "area", "cbd")
            },
            t["rank_col_km_airport"]: ranked["km_airport"].astype(float).round(1).to_numpy(),
            t["rank_col_km_rail"]: ranked["km_rail"].astype(float).round(1).to_numpy(),
            t["rank_col_min_cbd"]: ranked["min_cbd"].astype(float).round(0).to_numpy(),
            t["rank_col_area_km2"]: ranked["area_km2"].astype(float).to_numpy(),
            t["rank_col_missing"]: [
                separator.join(t[f"rank_missing_{c}"] for c in missing if f"rank_missing_{c}" in t)
                for missing in ranked["missing"]
            ],
            t["rank_col_excluded"]: [exclusion_text(row, limits, lang) for _, row in ranked.iterrows()],
        },
        index=pd.Index(ranked["id"].to_numpy(), name="id"),
    )
    return table
