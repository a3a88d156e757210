"""The parks shown, one park's whole record, the clusters shown, and the sources behind them."""

from __future__ import annotations

from dataclasses import dataclass

import geopandas as gpd
import pandas as pd

from .. import format as fmt
from ..labels import term, text
from ..model.load import Atlas
from ..selection import Shown
from .transit import minutes_cell, model_basis, station_name, transit_text

_DISTANCE_COLUMNS = ("km_pek", "km_pkx", "km_rail", "km_tiananmen", "km_guomao")
_TRANSIT_HUBS = ("guomao", "pek", "pkx")


def _cited(park) -> list[str]:
    return sorted({*(park["point_source"] or ()), *(park["area_source"] or ()), *(park["sectors_source"] or ())})


def parks_table(atlas: Atlas, lang: str, parks: gpd.GeoDataFrame, distances: pd.DataFrame) -> pd.DataFrame:
    """One row per park (index: id): names, district, kind, area and its year, sectors, distances, location, sources.

    ``distances`` come from ``analysis.hub_access`` (distances and subway estimates; they depend on the data alone:
    compute them once).
    """
    t = text(lang)
    rows = []
    for _, park in parks.iterrows():
        d = distances.loc[park["id"]]
        rows.append(
            {
                t["col_park"]: fmt.name(park, lang),
                t["col_other_name"]: fmt.other_name(park, lang),
                t["col_district"]: fmt.district_name(atlas, park["district_adcode"], lang),
                t["col_kind"]: term("kinds", park["kind"], lang),
                t["col_area"]: None if fmt.is_missing(park["area_km2"]) else float(park["area_km2"]),
                t["col_area_year"]: None if fmt.is_missing(park["area_year"]) else int(park["area_year"]),
                t["col_sectors"]: fmt.sector_labels(atlas, park["sectors"], lang),
                **{t[f"col_{c}"]: None if pd.isna(d[c]) else round(float(d[c]), 1) for c in _DISTANCE_COLUMNS},
                t["col_station"]: station_name(atlas, d["station"], lang) if isinstance(d["station"], str) else "",
                t["col_walk_min"]: None if pd.isna(d["walk_min"]) else float(round(d["walk_min"])),
                **{t[f"col_min_{hub}"]: minutes_cell(d, hub) for hub in _TRANSIT_HUBS},
                t["col_location"]: term("placements", park["placement"], lang),
                t["col_sources"]: fmt.publishers(atlas, _cited(park), lang),
            }
        )
    columns = [
        t[k]
        for k in (
            "col_park",
            "col_other_name",
            "col_district",
            "col_kind",
            "col_area",
            "col_area_year",
            "col_sectors",
            *(f"col_{c}" for c in _DISTANCE_COLUMNS),
            "col_station",
            "col_walk_min",
            *(f"col_min_{hub}" for hub in _TRANSIT_HUBS),
            "col_location",
            "col_sources",
        )
    ]
    table = pd.DataFrame(rows, columns=columns, index=pd.Index(parks["id"].to_numpy(), name="id"))
    return table.astype({t["col_area_year"]: "Int64"})


def clusters_table(atlas: Atlas, lang: str, clusters: pd.DataFrame) -> pd.DataFrame:
    """One row per cluster shown (index: id): name, sectors, the parks or districts hosting it, source and year."""
    t = text(lang)
    names = fmt.park_names(atlas, lang)
    rows = []
    for _, cluster in clusters.iterrows():
        hosts = [names.get(p, p) for p in cluster["host_parks"] or ()] or [
            fmt.district_name(atlas, d, lang) for d in cluster["host_districts"] or ()
        ]
        rows.append(
            {
                t["col_cluster"]: fmt.name(cluster, lang),
                t["col_sectors"]: fmt.sector_labels(atlas, cluster["sectors"], lang),
                t["col_hosts"]: ", ".join(hosts),
                t["col_source"]: fmt.publishers(atlas, cluster["source"], lang),
                t["col_year"]: int(cluster["year"]),
            }
        )
    columns = [t[k] for k in ("col_cluster", "col_sectors", "col_hosts", "col_source", "col_year")]
    return pd.DataFrame(rows, columns=columns, index=pd.Index(clusters["id"].to_numpy(), name="id"))


def total_area_km2(parks: gpd.GeoDataFrame) -> float:
    """Planned area of the parks shown; a park whose parent, or a zone it lies within, is also shown is inside it and
    not added again."""
    shown = set(parks["id"])
    inside = parks["parent"].isin(shown) | parks["within"].map(lambda zones: bool(shown.intersection(zones or ())))
    outermost = parks[~inside]
    return float(outermost["area_km2"].fillna(0).sum())


def sources_table(atlas: Atlas, shown: Shown, lang: str) -> pd.DataFrame:
    """The sources behind the parks shown (points, areas, sectors and facts), with their dates and links."""
    parks = shown.parks
    cited: set[str] = set()
    for column in ("point_source", "area_source", "sectors_source"):
        for ids in parks[column]:
            cited.update(ids or ())
    for ids in atlas.facts.loc[atlas.facts["park"].isin(set(shown.park_ids)), "source"]:
        cited.update(ids)
    t = text(lang)
    rows = atlas.sources.loc[sorted(cited)]
    records = rows.to_dict("records")
    return pd.DataFrame(
        {
            t["col_publisher"]: [fmt.localized(r, "publisher", lang) for r in records],
            t["col_title"]: [fmt.localized(r, "title", lang) for r in records],
            t["col_published"]: [p if not fmt.is_missing(p) else t["undated"] for p in rows["published"]],
            t["col_link"]: [
                u if not fmt.is_missing(u) else r for u, r in zip(rows["url"], rows["read_at"].fillna(""), strict=True)
            ],
            t["col_licence"]: rows["licence"].fillna("").to_numpy(),
        },
        index=pd.Index(rows.index, name="id"),
    )


@dataclass(frozen=True)
class ParkDetails:
    """Everything the details panel shows about one park, as plain text and one facts table."""

    id: str
    title: str
    subtitle: str
    kind_district: str
    sectors: str
    sectors_source: str
    area: str
    location: str
    distances: str
    #: rail access in words (or why there is no estimate), and the model behind the minutes
    transit: tuple[str, ...]
    transit_basis: str
    note: str
    parent: str
    designation: str
    within: tuple[str, ...]
    children: tuple[str, ...]
    clusters: tuple[str, ...]
    facts: pd.DataFrame


def _distance_line(atlas: Atlas, park_id: str, lang: str, distances: pd.DataFrame) -> str:
    d = distances.loc[park_id]
    if pd.isna(d["km_pek"]):
        return ""
    t = text(lang)
    rail = atlas.hubs.loc[atlas.hubs["id"] == d["nearest_rail"]].iloc[0]
    approx = f" ({t['approx']})" if d["approximate"] else ""
    parts = [
        (t["row_pek"], d["km_pek"]),
        (t["row_pkx"], d["km_pkx"]),
        (fmt.name(rail, lang), d["km_rail"]),
        (t["row_tiananmen"], d["km_tiananmen"]),
        (t["row_guomao"], d["km_guomao"]),
    ]
    return " · ".join(f"{label} {fmt.km(km, lang)}" for label, km in parts) + approx


def facts_table(atlas: Atlas, park_id: str, lang: str) -> pd.DataFrame:
    """A park's facts, newest first within each metric, each with its year, scope and source."""
    t = text(lang)
    facts = atlas.facts[atlas.facts["park"] == park_id].sort_values(
        ["metric", "year"], ascending=[True, False], kind="stable"
    )
    return pd.DataFrame(
        {
            t["col_metric"]: [fmt.metric_label(m, lang) for m in facts["metric"]],
            t["col_value"]: [
                fmt.quantity(v, u, lang, q)
                for q, v, u in zip(facts["qualifier"], facts["value"], facts["unit"], strict=True)
            ],
            t["col_year"]: [int(y) for y in facts["year"]],
            t["col_scope"]: [fmt.localized(f, "scope", lang) for _, f in facts.iterrows()],
            t["col_source"]: [fmt.citation(atlas, ids, lang) for ids in facts["source"]],
        }
    )


def park_details(atlas: Atlas, park_id: str, lang: str, distances: pd.DataFrame) -> ParkDetails | None:
    """The full record of one park, or None for an unknown id."""
    match = atlas.parks[atlas.parks["id"] == park_id]
    if match.empty:
        return None
    park = match.iloc[0]
    t = text(lang)
    names = fmt.park_names(atlas, lang)
    children = tuple(names[c] for c in atlas.parks.loc[atlas.parks["parent"] == park_id, "id"])
    clusters = tuple(fmt.name(c, lang) for _, c in atlas.clusters.iterrows() if park_id in (c["host_parks"] or ()))
    sectors_source = (
        f"{fmt.citation(atlas, park['sectors_source'], lang)} ({fmt.year(park['sectors_year'])})"
        if park["sectors"]
        else fmt.localized(park, "sectors_gap", lang)
    )
    return ParkDetails(
        id=park_id,
        title=fmt.name(park, lang),
        subtitle=fmt.other_name(park, lang),
        kind_district=t["details_kind_district"].format(
            kind=term("kinds", park["kind"], lang), district=fmt.district_name(atlas, park["district_adcode"], lang)
        ),
        sectors=fmt.sector_labels(atlas, park["sectors"], lang),
        sectors_source=sectors_source,
        area=fmt.area_text(park, atlas, lang),
        location=fmt.location_text(park, atlas, lang),
        distances=_distance_line(atlas, park_id, lang, distances),
        transit=transit_text(atlas, park_id, lang, distances) if "transit_gap" in distances else (),
        transit_basis=model_basis(atlas, lang),
        note=fmt.localized(park, "note", lang),
        parent=names.get(park["parent"], "") if not fmt.is_missing(park["parent"]) else "",
        designation=fmt.designation_text(park, lang),
        within=tuple(names[w] for w in (park["within"] or ()) if w in names),
        children=children,
        clusters=clusters,
        facts=facts_table(atlas, park_id, lang),
    )


def fact_lines(atlas: Atlas, park_id: str, lang: str) -> list[str]:
    """A park's facts as sentences (the comparison and the command line use them)."""
    facts = atlas.facts[atlas.facts["park"] == park_id]
    return [fmt.fact_text(f, atlas, lang) for _, f in facts.iterrows()]
