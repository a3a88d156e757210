"""What a company list adds to the atlas's tables: firms per park, per park by sector, per district by sector."""

from __future__ import annotations

import pandas as pd

from .. import format as fmt
from ..labels import term, text
from ..model.load import Atlas


def _sector_label(code: str, atlas: Atlas, lang: str) -> str:
    return fmt.sector_label(atlas, code, lang) if code else text(lang)["firms_unmapped"]


def firms_per_park(counts: pd.DataFrame, sectors: frozenset[str] | None = None) -> dict[str, int]:
    """Park id -> firms in it (its sub-parks' firms included), of ``sectors`` only when given, from ``firm_counts``."""
    parks = counts[(counts["scope"] == "park") & (counts["sector"].isin(sectors) if sectors is not None else True)]
    return {k: int(v) for k, v in parks.groupby("key")["firms"].sum().items()}


def park_firms_by_sector(counts: pd.DataFrame, park_id: str, atlas: Atlas, lang: str) -> pd.DataFrame:
    """One park's firms by sector, most first."""
    t = text(lang)
    rows = counts[(counts["scope"] == "park") & (counts["key"] == park_id)].sort_values(
        ["firms", "sector"], ascending=[False, True]
    )
    return pd.DataFrame(
        {
            t["col_sector"]: [_sector_label(c, atlas, lang) for c in rows["sector"]],
            t["col_firms"]: rows["firms"].to_numpy(),
        }
    )


def district_sector_firms(counts: pd.DataFrame, atlas: Atlas, lang: str) -> pd.DataFrame:
    """Districts × sectors: how many firms of the list are in each; districts with none are kept as zeros."""
    districts = counts[counts["scope"] == "district"]
    names = fmt.district_names(atlas, lang)
    table = districts.pivot_table(index="key", columns="sector", values="firms", aggfunc="sum", fill_value=0)
    table = table.reindex(sorted(names), fill_value=0)
    order = [c for c in atlas.sectors.codes if c in table.columns] + ([""] if "" in table.columns else [])
    table = table[order] if order else table
    table.index = [names[a] for a in table.index]
    table.columns = [_sector_label(c, atlas, lang) for c in table.columns]
    return table.astype("int64")


def report_table(report: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The rows with problems, headed and their status named in the reader's language (the problems stay as written)."""
    t = text(lang)
    return pd.DataFrame(
        {
            t["col_row"]: report["row"].to_numpy(),
            t["col_status"]: [term("firm_statuses", s, lang) for s in report["status"]],
            t["col_name"]: report["name"].to_numpy(),
            t["col_problems"]: report["problems"].to_numpy(),
        }
    )
