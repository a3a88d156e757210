"""What a company list adds to the atlas's tables: firms per park, per park by sector, per district by sector."""

from __future__ import annotations

import pandas as pd

from .load import Atlas

_LABELS = {
    "en": {"firms": "Firms (your list)", "sector": "Sector", "unmapped": "Sector not in the atlas"},
    "zh": {"firms": "企业数(您的名单)", "sector": "产业", "unmapped": "未归入图集产业"},
}


def firms_column_label(lang: str) -> str:
    return _LABELS[lang]["firms"]


def _sector_label(code: str, atlas: Atlas, lang: str) -> str:
    return atlas.sectors[code].label(lang) if code else _LABELS[lang]["unmapped"]


def firms_per_park(counts: pd.DataFrame, sectors: frozenset[str] | None = None) -> dict[str, int]:
    """Park id -> firms in it (its sub-parks' firms included), of ``sectors`` only when given, from ``firm_counts``."""
    parks = counts[(counts["scope"] == "park") & (counts["sector"].isin(sectors) if sectors is not None else True)]
    return {k: int(v) for k, v in parks.groupby("key")["firms"].sum().items()}


def park_firms_by_sector(counts: pd.DataFrame, park_id: str, atlas: Atlas, lang: str) -> pd.DataFrame:
    """One park's firms by sector, most first."""
    rows = counts[(counts["scope"] == "park") & (counts["key"] == park_id)].sort_values(["firms", "sector"], ascending=[False, True])
    return pd.DataFrame({
        _LABELS[lang]["sector"]: [_sector_label(c, atlas, lang) for c in rows["sector"]],
        _LABELS[lang]["firms"]: rows["firms"].to_numpy(),
    })


def district_sector_firms(counts: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    """Districts × sectors: how many firms of the list are in each; districts with none are kept as zeros."""
    districts = counts[counts["scope"] == "district"]
    names = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"]))
    table = districts.pivot_table(index="key", columns="sector", values="firms", aggfunc="sum", fill_value=0)
    table = table.reindex(sorted(names), fill_value=0)
    order = [c for c in atlas.sectors.codes if c in table.columns] + ([""] if "" in table.columns else [])
    table = table[order] if order else table
    table.index = [names[a] for a in table.index]
    table.columns = [_sector_label(c, atlas, lang) for c in table.columns]
    return table.astype("int64")
