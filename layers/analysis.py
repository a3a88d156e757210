"""Decision tools over the atlas: distances to hubs, nearby parks, side-by-side comparison, explainable ranking,
and the city's zoning principle. All distances are geodesic, in km, on WGS-84 (never degrees)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np
import pandas as pd

from geo.crs import distance_km

from .load import Atlas

AIRPORTS = ("pek", "pkx")
CITY_CENTRE = "tiananmen"
CBD = "guomao"
#: The blue paper's zoning principle (2019): at most this many leading industries per district, and at most this
#: many districts per leading industry.
MAX_LEADING_PER_DISTRICT = 3
MAX_DISTRICTS_PER_INDUSTRY = 3


def _hub(atlas: Atlas, hub_id: str) -> tuple[float, float]:
    row = atlas.hubs.loc[atlas.hubs["id"] == hub_id].iloc[0]
    return row.geometry.x, row.geometry.y


def hub_distances(atlas: Atlas) -> pd.DataFrame:
    """Per park (index: id): km to PEK, PKX, the nearest main rail station (and which), Tiananmen and Guomao.

    Parks drawn at their district's centre get distances marked approximate; parks not placed get none.
    """
    parks = atlas.parks
    located = parks.geometry.notna()
    lon = np.array([g.x if g is not None else np.nan for g in parks.geometry])
    lat = np.array([g.y if g is not None else np.nan for g in parks.geometry])
    table = pd.DataFrame(index=parks["id"].to_numpy())
    for column, hub_id in (("km_pek", "pek"), ("km_pkx", "pkx"), ("km_tiananmen", CITY_CENTRE), ("km_guomao", CBD)):
        hub_lon, hub_lat = _hub(atlas, hub_id)
        table[column] = np.where(located, distance_km(lon, lat, hub_lon, hub_lat), np.nan)
    stations = atlas.hubs[atlas.hubs["kind"] == "rail station"]
    to_stations = np.column_stack([
        np.where(located, distance_km(lon, lat, g.x, g.y), np.nan) for g in stations.geometry
    ])
    nearest = np.where(located, np.nanargmin(np.where(np.isnan(to_stations), np.inf, to_stations), axis=1), -1)
    table["km_rail"] = np.where(located, to_stations[np.arange(len(parks)), np.maximum(nearest, 0)], np.nan)
    table["nearest_rail"] = [stations["id"].iloc[i] if i >= 0 else None for i in nearest]
    table["km_airport"] = table[["km_pek", "km_pkx"]].min(axis=1, skipna=False)
    table["approximate"] = (parks["placement"] == "district").to_numpy()
    return table


def nearby(atlas: Atlas, lon: float, lat: float, radius_km: float) -> pd.DataFrame:
    """Parks within ``radius_km`` of (lon, lat), nearest first, with their distance in km."""
    if radius_km <= 0:
        raise ValueError(f"radius must be positive, got {radius_km}")
    parks = atlas.parks[atlas.parks.geometry.notna()]
    km = np.asarray(distance_km([g.x for g in parks.geometry], [g.y for g in parks.geometry], lon, lat), dtype=float)
    found = pd.DataFrame({"id": parks["id"].to_numpy(), "km": km, "placement": parks["placement"].to_numpy()})
    return found[found["km"] <= radius_km].sort_values(["km", "id"]).reset_index(drop=True)


# --- ranking -------------------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class RankRequest:
    """What an investor asks for: weights per criterion (0 switches one off) and optional hard limits."""

    sectors: frozenset[str] = field(default_factory=frozenset)
    w_sector: float = 1.0
    w_airport: float = 1.0
    w_rail: float = 1.0
    w_area: float = 1.0
    max_airport_km: float | None = None
    max_rail_km: float | None = None
    #: Distances scoring 0: a park this far away (or further) earns nothing on that criterion.
    airport_zero_km: float = 80.0
    rail_zero_km: float = 40.0

    def __post_init__(self) -> None:
        weights = (self.w_sector, self.w_airport, self.w_rail, self.w_area)
        if any(w < 0 for w in weights):
            raise ValueError("weights must not be negative")
        if not any(w > 0 for w in weights):
            raise ValueError("at least one weight must be above zero")


CRITERIA = ("sector", "airport", "rail", "area")


def _distance_score(km: float, zero_km: float) -> float:
    """1 at 0 km, falling linearly to 0 at ``zero_km``."""
    return max(0.0, 1.0 - km / zero_km)


def rank_parks(atlas: Atlas, request: RankRequest, expanded_sectors: frozenset[str] | None = None) -> pd.DataFrame:
    """Placed parks scored per criterion (each 0..1) and in total, best first; every score explained.

    - sector: 1 when the park's primary sector is one asked for, 0.5 when another of its sectors is, else 0;
    - airport / rail: 1 at 0 km, 0 at the request's zero distance;
    - area: planned area on a log scale between the smallest and largest among the parks ranked.
    A missing value (no area, no sector asked for) is named in ``missing`` and left out of that park's total, which
    is the weighted mean over the criteria it has. Hard limits exclude parks and say why. Ties share a rank.
    """
    wanted = expanded_sectors if expanded_sectors is not None else request.sectors
    distances = hub_distances(atlas)
    parks = atlas.parks[atlas.parks.geometry.notna()].set_index("id", drop=False)
    areas = parks["area_km2"].astype(float)
    log_areas = np.log(areas.dropna()) if areas.notna().any() else pd.Series(dtype=float)
    low, high = (log_areas.min(), log_areas.max()) if len(log_areas) else (np.nan, np.nan)
    weights = {"sector": request.w_sector, "airport": request.w_airport, "rail": request.w_rail, "area": request.w_area}
    rows = []
    for park_id, park in parks.iterrows():
        km_airport = distances.loc[park_id, "km_airport"]
        km_rail = distances.loc[park_id, "km_rail"]
        scores: dict[str, float | None] = {
            "sector": None if not wanted else (1.0 if park["sectors"] and park["sectors"][0] in wanted
                                               else 0.5 if set(park["sectors"] or ()) & wanted else 0.0),
            "airport": _distance_score(km_airport, request.airport_zero_km),
            "rail": _distance_score(km_rail, request.rail_zero_km),
            "area": None if pd.isna(park["area_km2"]) else (1.0 if high == low else (math.log(park["area_km2"]) - low) / (high - low)),
        }
        excluded = []
        if request.max_airport_km is not None and km_airport > request.max_airport_km:
            excluded.append(f"airport {km_airport:.1f} km > {request.max_airport_km:g} km")
        if request.max_rail_km is not None and km_rail > request.max_rail_km:
            excluded.append(f"rail {km_rail:.1f} km > {request.max_rail_km:g} km")
        used = {c: s for c, s in scores.items() if weights[c] > 0 and s is not None}
        missing = [c for c, s in scores.items() if weights[c] > 0 and s is None and not (c == "sector" and not wanted)]
        total_weight = sum(weights[c] for c in used)
        total = sum(weights[c] * s for c, s in used.items()) / total_weight if total_weight else None
        rows.append({
            "id": park_id, "score": total, **{f"score_{c}": scores[c] for c in CRITERIA},
            "km_airport": km_airport, "km_rail": km_rail, "area_km2": park["area_km2"],
            "missing": ", ".join(missing), "excluded": "; ".join(excluded),
            "approximate": bool(distances.loc[park_id, "approximate"]),
        })
    table = pd.DataFrame(rows)
    eligible = table["excluded"] == ""
    ranked = table[eligible].sort_values(["score", "id"], ascending=[False, True], na_position="last")
    ranked["rank"] = ranked["score"].round(6).rank(method="min", ascending=False).astype("Int64")
    rest = table[~eligible].assign(rank=pd.array([pd.NA] * int((~eligible).sum()), dtype="Int64"))
    return pd.concat([ranked, rest], ignore_index=True)


# --- comparison ----------------------------------------------------------------------------------------------------


def compare_parks(atlas: Atlas, park_ids: list[str], lang: str = "en") -> pd.DataFrame:
    """Two to four parks side by side: one column per park, one row per attribute, each fact with source and year."""
    from .popups import district_name, metric_label, year
    from .tables import park_details

    if not 2 <= len(park_ids) <= 4:
        raise ValueError(f"compare two to four parks, not {len(park_ids)}")
    unknown = [p for p in park_ids if p not in set(atlas.parks["id"])]
    if unknown:
        raise ValueError(f"unknown park id(s): {', '.join(unknown)}")
    distances = hub_distances(atlas)
    columns: dict[str, dict[str, str]] = {}
    for park_id in park_ids:
        park = atlas.parks.loc[atlas.parks["id"] == park_id].iloc[0]
        details = park_details(atlas, park_id, lang, distances)
        d = distances.loc[park_id]
        approx = " (approx.)" if d["approximate"] else ""

        def km(value, approx: str = approx) -> str:
            return "" if pd.isna(value) else f"{value:.1f} km{approx}"

        column = {
            "name": details["title"], "other name": details["subtitle"], "district": district_name(atlas, park["district_adcode"], lang),
            "kind": details["kind"], "planned area": details["area"], "sectors": ", ".join(details["sectors"]),
            "sectors source": details["sectors_source"],
            "to PEK": km(d["km_pek"]), "to PKX": km(d["km_pkx"]),
            "to nearest main rail station": "" if pd.isna(d["km_rail"]) else f"{km(d['km_rail'])} ({d['nearest_rail']})",
            "to Tiananmen": km(d["km_tiananmen"]), "to Guomao (CBD)": km(d["km_guomao"]),
            "location": details["location"],
        }
        facts = atlas.facts[atlas.facts["park"] == park_id]
        for _, fact in facts.iterrows():
            label = f"{metric_label(fact['metric'], lang)} ({fact['scope']})"
            qualifier = "" if fact["qualifier"] in (None, "=") else fact["qualifier"]
            sources = "; ".join(atlas.sources.loc[s, "publisher"] for s in fact["source"])
            column[label] = f"{qualifier}{fact['value']:,g} {fact['unit']} ({year(fact['year'])}; {sources})"
        columns[park_id] = column
    rows = list(dict.fromkeys(k for column in columns.values() for k in column))
    return pd.DataFrame({pid: [columns[pid].get(r, "") for r in rows] for pid in park_ids}, index=rows)


# --- the city's layout ---------------------------------------------------------------------------------------------


def leading_industries(atlas: Atlas, taxonomy: str | None = "hp2017") -> pd.DataFrame:
    """Who leads what: one row per (district, top-level sector) with the clusters and parks behind it.

    A sector leads in a district when a cluster there names it, or a park there has it as its primary sector.
    Sub-sectors count towards their top-level sector. By default only the ten high-precision industries count:
    they are the industries the blue paper's principle speaks of; ``taxonomy=None`` counts every sector.
    """
    top = {s.code: atlas.sectors.top_level(s.code).code for s in atlas.sectors}
    park_district = dict(zip(atlas.parks["id"], atlas.parks["district_adcode"]))
    links: dict[tuple[str, str], dict[str, set[str]]] = {}

    def add(district: str, sector: str, kind: str, item: str) -> None:
        if taxonomy is not None and atlas.sectors[top[sector]].taxonomy != taxonomy:
            return
        if district and district != "110000":
            links.setdefault((district, top[sector]), {"clusters": set(), "parks": set()})[kind].add(item)

    for _, cluster in atlas.clusters.iterrows():
        districts = set(cluster["host_districts"] or ()) | {park_district[p] for p in cluster["host_parks"] or () if p in park_district}
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
    """The blue paper's principle against the data: (districts with their leading sectors, sectors with their districts).

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


@lru_cache(maxsize=1)
def offline_geocoder():
    """The atlas's own places as a geocoder: no network, no cache needed."""
    from geo.gazetteer import load_gazetteer
    from geo.geocode import Geocoder
    from geo.geocode.providers import GazetteerProvider

    return Geocoder(GazetteerProvider(load_gazetteer()))


def locate(text: str) -> tuple[float, float, str] | None:
    """A place name, alias, address or typed coordinates -> (lon, lat, what matched), offline; None if not found."""
    result = offline_geocoder().geocode(text)
    if not result.ok:
        return None
    candidate = result.candidate
    return candidate.lon, candidate.lat, candidate.label or text


def district_sector_matrix(atlas: Atlas, taxonomy: str | None = "hp2017") -> pd.DataFrame:
    """Districts × sectors: in each cell, how many parks (by primary sector) and clusters lead that sector there."""
    leading = leading_industries(atlas, taxonomy)
    if leading.empty:
        return pd.DataFrame()
    counts = leading.assign(n=leading["clusters"].map(len) + leading["parks"].map(len))
    return counts.pivot_table(index="district", columns="sector", values="n", aggfunc="sum", fill_value=0)
