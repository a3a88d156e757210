"""data/ -> validated GeoDataFrames in EPSG:4326.

``read_atlas`` checks everything and returns every problem it finds; ``load_atlas`` is what the app
and the commands call, and raises ``DataError`` listing them all when anything is wrong. Points are
converted from the datum they were recorded in (GCJ-02 from Gaode, BD-09 from Baidu) to WGS-84 here,
once, so nothing downstream ever sees another datum.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.crs import in_beijing_box
from geo.datums import Datum, convert

from . import schema
from .problems import DataError, Problem
from .sectors import PALETTES, TAXONOMIES, Sector, SectorVocabulary

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent / "data"
DISTRICTS_FILE = "districts.geojson"
EXPECTED_DISTRICTS = 16

#: Where a park is drawn: its own sourced point, a sourced stand-in, its district, or nowhere.
PLACEMENT_ANCHOR = "anchor"
PLACEMENT_FALLBACK = "fallback"
PLACEMENT_DISTRICT = "district"
PLACEMENT_NONE = "none"


@dataclass(frozen=True)
class Atlas:
    """Every curated table, validated. Geometries are WGS-84 (EPSG:4326)."""

    parks: gpd.GeoDataFrame
    hubs: gpd.GeoDataFrame
    districts: gpd.GeoDataFrame
    clusters: pd.DataFrame
    facts: pd.DataFrame
    sources: pd.DataFrame
    sectors: SectorVocabulary


def load_atlas(data_dir: Path | str = DEFAULT_DATA_DIR) -> Atlas:
    """Load and validate the atlas; raise DataError naming every problem if the data is not clean."""
    atlas, problems = read_atlas(data_dir)
    if problems or atlas is None:
        raise DataError(problems)
    return atlas


def read_atlas(data_dir: Path | str = DEFAULT_DATA_DIR) -> tuple[Atlas | None, list[Problem]]:
    """Read and check every table; return the atlas (None if a table is unusable) and all problems."""
    data_dir = Path(data_dir)
    problems: list[Problem] = []
    rows: dict[str, list[dict[str, Any]]] = {}
    for table in schema.TABLES:
        table_rows, table_problems = schema.read_table(data_dir / table.filename, table)
        rows[table.name] = table_rows
        problems += table_problems

    districts, district_problems = _read_districts(data_dir / DISTRICTS_FILE)
    problems += district_problems
    adcodes = set(districts["adcode"]) if districts is not None else set()

    problems += _check_sources_cited(rows, districts)
    problems += _check_sectors(rows["sectors"])
    sector_codes = {r["code"] for r in rows["sectors"] if r.get("code")}
    problems += _check_parks(rows["parks"], sector_codes, adcodes)
    problems += _check_clusters(rows["clusters"], rows["parks"], sector_codes, adcodes)
    problems += _check_hubs(rows["hubs"], adcodes)
    problems += _check_facts(rows["facts"], rows["parks"])

    if districts is None:
        return None, problems
    parks = _to_points(rows["parks"])
    hubs = _to_points(rows["hubs"])
    problems += _check_points_in_districts(
        {"parks": parks, "hubs": hubs}, districts, rows["district_exceptions"]
    )
    parks = _place_unlocated_parks(parks, districts)

    atlas = Atlas(
        parks=parks,
        hubs=hubs,
        districts=districts,
        clusters=_frame(rows["clusters"]),
        facts=_frame(rows["facts"]),
        sources=_frame(rows["sources"]).set_index("id", drop=False) if rows["sources"] else _frame([]),
        sectors=_vocabulary(rows["sectors"]),
    )
    return atlas, problems


# --- districts -------------------------------------------------------------------------------------


def _read_districts(path: Path) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    name = path.name
    if not path.exists():
        return None, [Problem(name, "-", "-", f"file not found: {path} (build it with python -m scripts.build_districts)")]
    try:
        districts = gpd.read_file(path, engine="pyogrio")
    except Exception as exc:  # pyogrio raises several types for unreadable files; all mean the same here
        return None, [Problem(name, "-", "-", f"cannot be read as GeoJSON: {exc}")]
    problems = []
    for column in ("adcode", "name_zh", "name_en", "source"):
        if column not in districts.columns:
            problems.append(Problem(name, "-", column, "property missing from the features"))
    if problems:
        return None, problems
    if districts.crs is None or districts.crs.to_epsg() != 4326:
        problems.append(Problem(name, "-", "crs", f"expected EPSG:4326, found {districts.crs}"))
    districts["adcode"] = districts["adcode"].astype(str)
    for i, row in districts.iterrows():
        row_id = f"feature {i} [{row['adcode']}]"
        geom = row.geometry
        if geom is None or geom.is_empty:
            problems.append(Problem(name, row_id, "geometry", "empty geometry"))
        elif geom.geom_type not in ("Polygon", "MultiPolygon"):
            problems.append(Problem(name, row_id, "geometry", f"expected a polygon, found {geom.geom_type}"))
        elif not geom.is_valid:
            problems.append(Problem(name, row_id, "geometry", f"invalid geometry: {shapely.is_valid_reason(geom)}"))
        if not schema.ADCODE.match(row["adcode"]):
            problems.append(Problem(name, row_id, "adcode", f"{row['adcode']!r} is not a 6-digit Beijing adcode"))
    duplicated = districts["adcode"][districts["adcode"].duplicated()]
    for adcode in duplicated:
        problems.append(Problem(name, adcode, "adcode", "duplicate district adcode"))
    if len(districts) != EXPECTED_DISTRICTS:
        problems.append(Problem(name, "-", "-", f"expected {EXPECTED_DISTRICTS} districts, found {len(districts)}"))
    return districts, problems


# --- references and vocabularies ---------------------------------------------------------------------

_CITING_COLUMNS = {
    "sectors": ("source",),
    "parks": ("point_source", "area_source", "sectors_source"),
    "clusters": ("source",),
    "hubs": ("point_source",),
    "facts": ("source",),
    "district_exceptions": ("source",),
}


def _check_sources_cited(rows: dict[str, list[dict]], districts: gpd.GeoDataFrame | None) -> list[Problem]:
    known = {r["id"] for r in rows["sources"] if r.get("id")}
    problems = []
    for table, columns in _CITING_COLUMNS.items():
        for row in rows[table]:
            for column in columns:
                for source_id in row.get(column) or ():
                    if source_id not in known:
                        problems.append(Problem(f"{table}.csv", row["_label"], column, f"unknown source {source_id!r} (not in sources.csv)"))
    if districts is not None:
        for source_id in sorted(set(districts["source"].astype(str)) - known):
            problems.append(Problem(DISTRICTS_FILE, "-", "source", f"unknown source {source_id!r} (not in sources.csv)"))
    return problems


def _check_sectors(sector_rows: list[dict]) -> list[Problem]:
    table = "sectors.csv"
    problems = []
    by_code = {r["code"]: r for r in sector_rows if r.get("code")}
    top_colours: dict[tuple[str, str], str] = {}
    for row in sector_rows:
        label = row["_label"]
        taxonomy, palette, colour = row.get("taxonomy"), row.get("palette"), row.get("colour")
        if taxonomy and taxonomy not in TAXONOMIES:
            problems.append(Problem(table, label, "taxonomy", f"unknown taxonomy {taxonomy!r}: expected one of {', '.join(TAXONOMIES)}"))
        for other in row.get("also_in") or ():
            if other not in TAXONOMIES:
                problems.append(Problem(table, label, "also_in", f"unknown taxonomy {other!r}"))
        if palette and palette not in PALETTES:
            problems.append(Problem(table, label, "palette", f"unknown palette {palette!r}: expected one of {', '.join(PALETTES)}"))
        elif palette and colour and colour not in PALETTES[palette]:
            problems.append(Problem(table, label, "colour", f"{colour} is not in the {palette} palette"))
        parent = row.get("parent")
        if parent:
            if parent not in by_code:
                problems.append(Problem(table, label, "parent", f"unknown sector {parent!r}"))
            elif parent == row.get("code"):
                problems.append(Problem(table, label, "parent", "a sector cannot be its own parent"))
            else:
                if by_code[parent].get("taxonomy") != taxonomy:
                    problems.append(Problem(table, label, "parent", f"parent {parent!r} is in another taxonomy"))
                if colour and by_code[parent].get("colour") != colour:
                    problems.append(Problem(table, label, "colour", f"a sub-sector wears its parent's colour ({by_code[parent].get('colour')})"))
        elif taxonomy and colour:
            key = (taxonomy, colour)
            if key in top_colours:
                problems.append(Problem(table, label, "colour", f"{colour} is already used by {top_colours[key]!r} in taxonomy {taxonomy}"))
            else:
                top_colours[key] = row.get("code")
    return problems


def _unknown_codes(values: Iterable[str] | None, known: set[str]) -> list[str]:
    return [v for v in values or () if v not in known]


def _check_parks(park_rows: list[dict], sector_codes: set[str], adcodes: set[str]) -> list[Problem]:
    table = "parks.csv"
    problems = []
    ids = {r["id"] for r in park_rows if r.get("id")}
    for row in park_rows:
        label = row["_label"]
        for code in _unknown_codes(row.get("sectors"), sector_codes):
            problems.append(Problem(table, label, "sectors", f"unknown sector {code!r} (not in sectors.csv)"))
        parent = row.get("parent")
        if parent and parent not in ids:
            problems.append(Problem(table, label, "parent", f"unknown park {parent!r}"))
        elif parent and parent == row.get("id"):
            problems.append(Problem(table, label, "parent", "a park cannot be its own parent"))
        adcode = row.get("district_adcode")
        if adcode == schema.CITYWIDE_ADCODE:
            if row.get("lon") is not None:
                problems.append(Problem(table, label, "district_adcode", "a citywide zone (110000) cannot have a single point"))
        elif adcode and adcodes and adcode not in adcodes:
            problems.append(Problem(table, label, "district_adcode", f"{adcode} is not one of Beijing's districts"))
        for other in _unknown_codes(row.get("other_adcodes"), adcodes):
            problems.append(Problem(table, label, "other_adcodes", f"{other} is not one of Beijing's districts"))
    return problems


def _check_clusters(cluster_rows, park_rows, sector_codes, adcodes) -> list[Problem]:
    table = "clusters.csv"
    park_ids = {r["id"] for r in park_rows if r.get("id")}
    problems = []
    for row in cluster_rows:
        label = row["_label"]
        for code in _unknown_codes(row.get("sectors"), sector_codes):
            problems.append(Problem(table, label, "sectors", f"unknown sector {code!r} (not in sectors.csv)"))
        for park in _unknown_codes(row.get("host_parks"), park_ids):
            problems.append(Problem(table, label, "host_parks", f"unknown park {park!r} (not in parks.csv)"))
        for adcode in _unknown_codes(row.get("host_districts"), adcodes):
            problems.append(Problem(table, label, "host_districts", f"{adcode} is not one of Beijing's districts"))
    return problems


def _check_hubs(hub_rows, adcodes) -> list[Problem]:
    return [
        Problem("hubs.csv", row["_label"], "district_adcode", f"{row['district_adcode']} is not one of Beijing's districts")
        for row in hub_rows
        if row.get("district_adcode") and adcodes and row["district_adcode"] not in adcodes
    ]


def _check_facts(fact_rows, park_rows) -> list[Problem]:
    table = "facts.csv"
    park_ids = {r["id"] for r in park_rows if r.get("id")}
    problems = []
    for row in fact_rows:
        label = row["_label"]
        if row.get("park") and row["park"] not in park_ids:
            problems.append(Problem(table, label, "park", f"unknown park {row['park']!r} (not in parks.csv)"))
        metric, unit = row.get("metric"), row.get("unit")
        if metric and metric not in schema.METRIC_UNITS:
            problems.append(Problem(table, label, "metric", f"unknown metric {metric!r}: expected one of {', '.join(schema.METRIC_UNITS)}"))
        elif metric and unit and unit not in schema.METRIC_UNITS[metric]:
            problems.append(Problem(table, label, "unit", f"{unit!r} is not a unit of {metric}: expected {', '.join(schema.METRIC_UNITS[metric])}"))
    return problems


# --- points ------------------------------------------------------------------------------------------


def _frame(rows: list[dict]) -> pd.DataFrame:
    frame = pd.DataFrame([{k: v for k, v in r.items() if not k.startswith("_")} for r in rows])
    return frame


def _to_points(rows: list[dict]) -> gpd.GeoDataFrame:
    """Rows with (lon, lat, datum) -> WGS-84 points; the coordinates as recorded are kept beside them."""
    frame = _frame(rows)
    n = len(frame)
    lon_wgs = np.full(n, np.nan)
    lat_wgs = np.full(n, np.nan)
    if n:
        src_lon = pd.to_numeric(frame["lon"], errors="coerce").to_numpy(float)
        src_lat = pd.to_numeric(frame["lat"], errors="coerce").to_numpy(float)
        datums = frame["datum"].fillna("").to_numpy()
        for datum in Datum:
            mask = (datums == datum.value) & ~np.isnan(src_lon) & ~np.isnan(src_lat)
            if mask.any():
                lon_wgs[mask], lat_wgs[mask] = convert(src_lon[mask], src_lat[mask], datum, Datum.WGS84)
        frame = frame.rename(columns={"lon": "recorded_lon", "lat": "recorded_lat"})
    geometry = [None if np.isnan(x) or np.isnan(y) else Point(x, y) for x, y in zip(lon_wgs, lat_wgs)]
    frame["lon"] = lon_wgs
    frame["lat"] = lat_wgs
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _check_points_in_districts(
    tables: dict[str, gpd.GeoDataFrame], districts: gpd.GeoDataFrame, exception_rows: list[dict]
) -> list[Problem]:
    """Each point lies in its declared district (or one of its other districts), unless an exception says why not."""
    exceptions = {(r["table"], r["row_id"]): r for r in exception_rows if r.get("table") and r.get("row_id")}
    used: set[tuple[str, str]] = set()
    problems = []
    for table, frame in tables.items():
        if frame.empty:
            continue
        # Points outside Beijing's box were reported with their row; a district check would only repeat it.
        inside_box = [g is not None and in_beijing_box(g.x, g.y) for g in frame.geometry]
        located = frame[inside_box]
        joined = gpd.sjoin(located[["id", "geometry"]], districts[["adcode", "geometry"]], how="left", predicate="within")
        found_in = joined.groupby(level=0)["adcode"].first()
        for idx, row in located.iterrows():
            point_in = found_in.get(idx)
            point_in = schema.OUTSIDE_BEIJING if pd.isna(point_in) else point_in
            declared = {row["district_adcode"], *(row.get("other_adcodes") or ())}
            if point_in in declared:
                continue
            key = (table, row["id"])
            exception = exceptions.get(key)
            label = f"id {row['id']}"
            if exception and exception["point_in"] == point_in:
                used.add(key)
                continue
            where = "outside Beijing" if point_in == schema.OUTSIDE_BEIJING else f"in district {point_in}"
            problems.append(
                Problem(f"{table}.csv", label, "lon", f"point ({row['lon']:.6f}, {row['lat']:.6f}) lies {where}, not in its declared district {row['district_adcode']}")
            )
    for key, exception in exceptions.items():
        if key not in used:
            problems.append(
                Problem("district_exceptions.csv", exception["_label"], "row_id", f"no {key[0]} row {key[1]!r} lies in {exception['point_in']}: remove the stale exception")
            )
    return problems


def _place_unlocated_parks(parks: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each park its placement; a park with no sourced point sits at its district's representative point."""
    parks = parks.copy()
    placement = []
    geometries = []
    rep_points = dict(zip(districts["adcode"], districts.geometry.representative_point()))
    for _, row in parks.iterrows():
        if row.geometry is not None:
            placement.append(PLACEMENT_FALLBACK if row.get("point_role") == "fallback" else PLACEMENT_ANCHOR)
            geometries.append(row.geometry)
        elif row["district_adcode"] in rep_points:
            placement.append(PLACEMENT_DISTRICT)
            geometries.append(rep_points[row["district_adcode"]])
        else:
            placement.append(PLACEMENT_NONE)
            geometries.append(None)
    parks["placement"] = placement
    return parks.set_geometry(gpd.GeoSeries(geometries, index=parks.index, crs="EPSG:4326"))


def _vocabulary(sector_rows: list[dict]) -> SectorVocabulary:
    return SectorVocabulary(
        Sector(
            code=r["code"],
            label_en=r["label_en"],
            label_zh=r["label_zh"],
            taxonomy=r["taxonomy"],
            parent=r.get("parent"),
            colour=r["colour"],
            also_in=tuple(r.get("also_in") or ()),
        )
        for r in sector_rows
        if r.get("code")
    )

