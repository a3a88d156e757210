"""The 2019 blue paper's zoning principle against the data: who leads which industry, and where the limits break."""

from __future__ import annotations

import pandas as pd

from ..model.load import Atlas
from ..model.schema import CITYWIDE_ADCODE

#: The blue paper's zoning principle (2019): at most this many leading industries per district, and at most this
#: many districts per leading industry.
MAX_LEADING_PER_DISTRICT = 3
MAX_DISTRICTS_PER_INDUSTRY = 3
#: The taxonomies the check can count: the ten high-precision industries the principle speaks of, and the 2023 plan's.
ZONING_TAXONOMIES = ("hp2017", "future2023")


def leading_industries(atlas: Atlas, taxonomy: str | None = "hp2017") -> pd.DataFrame:
    """Who leads what: one row per (district, top-level sector) with the clusters and parks behind it.

    A sector leads in a district when a cluster there names it, or a park there has it as its primary sector.
    Sub-sectors count towards their top-level sector. By default only the ten high-precision industries count:
    they are the industries the blue paper's principle speaks of; ``taxonomy=None`` counts every sector.
    """
    top = {s.code: atlas.sectors.top_level(s.code).code for s in atlas.sectors}
    park_district = dict(zip(atlas.parks["id"], atlas.parks["district_adcode"], strict=True))
    links: dict[tuple[str, str], dict[str, set[str]]] = {}

    def add(district: str, sector: str, kind: str, item: str) -> None:
        if taxonomy is not None and atlas.sectors[top[sector]].taxonomy != taxonomy:
            return
        if district and district != CITYWIDE_ADCODE:
            links.setdefault((district, top[sector]), {"clusters": set(), "parks": set()})[kind].add(item)

    for _, cluster in atlas.clusters.iterrows():
        districts = set(cluster["host_districts"] or ()) | {
            park_district[p] for p in cluster["host_parks"] or () if p in park_district
        }
        for district in districts:
            for sector in cluster["sectors"]:
                add(district, sector, "clusters", cluster["id"])
    for _, park in atlas.parks.iterrows():
        if park["sectors"]:
            add(park["district_adcode"], park["sectors"][0], "parks", park["id"])
    rows = [
        {"district": d, "sector": s, "clusters": sorted(v["clusters"]), "parks": sorted(v["parks"])}
        for (d, s), v in sorted(links.items())
    ]
    return pd.DataFrame(rows, columns=["district", "sector", "clusters", "parks"])


def zoning_check(atlas: Atlas, taxonomy: str | None = "hp2017") -> tuple[pd.DataFrame, pd.DataFrame]:
    """The blue paper's principle against the data: (districts with their leading sectors, sectors with their
    districts).

    Each table has ``count``, ``limit`` and ``meets``; the lists say which sectors or districts make up the count.
    """
    leading = leading_industries(atlas, taxonomy)
    by_district = leading.groupby("district")["sector"].apply(lambda s: sorted(set(s))).reset_index(name="sectors")
    by_district["count"] = by_district["sectors"].map(len)
    by_district["limit"] = MAX_LEADING_PER_DISTRICT
    by_district["meets"] = by_district["count"] <= MAX_LEADING_PER_DISTRICT
    by_sector = leading.groupby("sector")["district"].apply(lambda s: sorted(set(s))).reset_index(name="districts")
    by_sector["count"] = by_sector["districts"].map(len)
    by_sector["limit"] = MAX_DISTRICTS_PER_INDUSTRY
    by_sector["meets"] = by_sector["count"] <= MAX_DISTRICTS_PER_INDUSTRY
    return by_district, by_sector


def district_sector_matrix(atlas: Atlas, taxonomy: str | None = "hp2017") -> pd.DataFrame:
    """Districts × sectors: in each cell, how many parks (by primary sector) and clusters lead that sector there."""
    leading = leading_industries(atlas, taxonomy)
    if leading.empty:
        return pd.DataFrame()
    counts = leading.assign(n=leading["clusters"].map(len) + leading["parks"].map(len))
    return counts.pivot_table(index="district", columns="sector", values="n", aggfunc="sum", fill_value=0)
