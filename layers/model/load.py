"""data/ -> validated GeoDataFrames in EPSG:4326.

``read_atlas`` checks everything and returns every problem it finds; ``load_atlas`` is what the app
and the commands call, and raises ``DataError`` listing them all when anything is wrong. Points are
converted from the datum they were recorded in (GCJ-02 from Gaode, BD-09 from Baidu) to WGS-84 here,
once, so nothing downstream ever sees another datum.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import geopandas as gpd
import numpy as np
import pandas as pd
import shapely
from shapely.geometry import Point

from geo.crs import BEIJING_METRIC_CRS
from geo.datums import Datum, convert

from . import schema
from .checks import (
    check_clusters,
    check_facts,
    check_hubs,
    check_neighbour_colours,
    check_parks,
    check_points_in_districts,
    check_sectors,
    check_sources_cited,
)
from .problems import DataError, Problem
from .relations import check_children_inside_parents, check_relations
from .schema import DISTRICTS_FILE
from .sectors import Sector, SectorVocabulary
from .transit_schema import TRANSIT_TABLES, check_network
from .vocab import Placement

DEFAULT_DATA_DIR = Path(__file__).resolve().parent.parent.parent / "data"
EXPECTED_DISTRICTS = 16

#: Where a park is drawn: its own sourced point, a sourced stand-in, its district, or nowhere.
PLACEMENT_ANCHOR = Placement.ANCHOR.value
PLACEMENT_FALLBACK = Placement.FALLBACK.value
PLACEMENT_DISTRICT = Placement.DISTRICT.value
#: A citywide zone (adcode 110000) with no point of its own: drawn at the city's representative point.
PLACEMENT_CITY = Placement.CITY.value
PLACEMENT_NONE = Placement.NONE.value


@dataclass(frozen=True)
class Transit:
    """The rail network: lines, stations (WGS-84 points), each line's stations in order, the model's parameters."""

    lines: pd.DataFrame
    stations: gpd.GeoDataFrame
    stops: pd.DataFrame
    #: key -> value, and the rows themselves (labels, units, bases) for people to read
    model: dict[str, float]
    model_rows: pd.DataFrame

    def patterns(self) -> list[tuple[str, str, tuple[str, ...]]]:
        """Each (line, pattern, its stations in order): what the network is built from and the map draws."""
        return [
            (line, pattern, tuple(group.sort_values("seq")["station"]))
            for (line, pattern), group in self.stops.groupby(["line", "pattern"], sort=False)
        ]

    def lines_at(self) -> dict[str, tuple[str, ...]]:
        """Station id -> the lines stopping there, in the data's order."""
        return {
            station: tuple(dict.fromkeys(group["line"])) for station, group in self.stops.groupby("station", sort=False)
        }


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
    transit: Transit


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
    for table in (*schema.TABLES, *TRANSIT_TABLES):
        table_rows, table_problems = schema.read_table(data_dir / table.filename, table)
        rows[table.name] = table_rows
        problems += table_problems

    districts, district_problems = _read_districts(data_dir / DISTRICTS_FILE)
    problems += district_problems
    adcodes = set(districts["adcode"]) if districts is not None else set()

    problems += check_sources_cited(rows, districts)
    problems += check_sectors(rows["sectors"])
    sector_codes = {r["code"] for r in rows["sectors"] if r.get("code")}
    problems += check_parks(rows["parks"], sector_codes, adcodes)
    problems += check_clusters(rows["clusters"], rows["parks"], sector_codes, adcodes)
    problems += check_hubs(rows["hubs"], adcodes)
    problems += check_facts(rows["facts"], rows["parks"])
    problems += check_relations(rows["parks"], rows["lists"])
    problems += check_network(rows)

    if districts is None:
        return None, problems
    parks = _to_points(rows["parks"])
    hubs = _to_points(rows["hubs"])
    stations = _to_points(rows["transit_stations"])
    problems += check_points_in_districts(
        {"parks": parks, "hubs": hubs, "transit_stations": stations}, districts, rows["district_exceptions"]
    )
    parks = _place_unlocated_parks(parks, districts)
    sectors = _vocabulary(rows["sectors"])
    problems += check_neighbour_colours(parks, sectors)
    problems += check_children_inside_parents(parks)

    atlas = Atlas(
        parks=parks,
        hubs=hubs,
        districts=districts,
        clusters=_frame(rows["clusters"]),
        facts=_frame(rows["facts"]),
        sources=_frame(rows["sources"]).set_index("id", drop=False) if rows["sources"] else _frame([]),
        sectors=sectors,
        transit=Transit(
            lines=_frame(rows["transit_lines"]),
            stations=stations,
            stops=_frame(rows["transit_stops"]),
            model={r["key"]: r["value"] for r in rows["transit_model"] if r.get("key") and r.get("value")},
            model_rows=_frame(rows["transit_model"]),
        ),
    )
    return atlas, problems


# --- districts -------------------------------------------------------------------------------------


def _read_districts(path: Path) -> tuple[gpd.GeoDataFrame | None, list[Problem]]:
    name = path.name
    if not path.exists():
        return None, [
            Problem(name, "-", "-", f"file not found: {path} (build it with python -m scripts.build_districts)")
        ]
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
    geometry = [None if np.isnan(x) or np.isnan(y) else Point(x, y) for x, y in zip(lon_wgs, lat_wgs, strict=False)]
    frame["lon"] = lon_wgs
    frame["lat"] = lat_wgs
    return gpd.GeoDataFrame(frame, geometry=geometry, crs="EPSG:4326")


def _place_unlocated_parks(parks: gpd.GeoDataFrame, districts: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Give each park its placement; a park with no sourced point sits at its district's representative point
    (a citywide zone at the city's), with a precision that covers the district (or the city): every row is drawn."""
    parks = parks.copy()
    equal_area = districts.to_crs(BEIJING_METRIC_CRS)
    stand_ins = dict(
        zip(
            districts["adcode"],
            zip(districts.geometry.representative_point(), np.sqrt(equal_area.area.to_numpy() / np.pi), strict=False),
            strict=False,
        )
    )
    city = shapely.union_all(
        shapely.make_valid(districts.geometry.to_numpy())
    )  # an invalid polygon is reported, not fatal
    stand_ins[schema.CITYWIDE_ADCODE] = (city.representative_point(), float(np.sqrt(equal_area.area.sum() / np.pi)))
    placement, geometries, precisions = [], [], []
    for _, row in parks.iterrows():
        if row.geometry is not None:
            placement.append(PLACEMENT_FALLBACK if row.get("point_role") == "fallback" else PLACEMENT_ANCHOR)
            geometries.append(row.geometry)
            precisions.append(row.get("precision_m"))
        elif row["district_adcode"] in stand_ins:
            point, radius_m = stand_ins[row["district_adcode"]]
            citywide = row["district_adcode"] == schema.CITYWIDE_ADCODE
            placement.append(PLACEMENT_CITY if citywide else PLACEMENT_DISTRICT)
            geometries.append(point)
            precisions.append(float(round(radius_m, -3)))  # the park may be anywhere in the district
        else:
            placement.append(PLACEMENT_NONE)
            geometries.append(None)
            precisions.append(row.get("precision_m"))
    parks["placement"] = placement
    parks["precision_m"] = pd.to_numeric(pd.Series(precisions, index=parks.index), errors="coerce")
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
