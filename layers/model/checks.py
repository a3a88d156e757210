"""Checks across the curated tables: references, vocabularies, points in their districts, colours apart.

Each check returns every problem it finds (table, row, field, what is wrong); none stops at the first.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable

import geopandas as gpd
import pandas as pd

from geo.crs import distance_km, in_beijing_box

from . import schema
from .problems import Problem
from .schema import DISTRICTS_FILE
from .sectors import PALETTES, TAXONOMIES, SectorVocabulary, colour_distance

#: Two top-level sectors' colours closer than this (CIE76 delta E) are the same colour to a reader.
MIN_SECTOR_COLOUR_DISTANCE = 5.0
#: Parks this close together are seen side by side on the city map ...
NEIGHBOUR_KM = 5.0
#: ... so their colours, when their sectors differ, must be at least this far apart.
MIN_NEIGHBOUR_COLOUR_DISTANCE = 35.0


# --- references and vocabularies ---------------------------------------------------------------------

_CITING_COLUMNS = {
    "sectors": ("source",),
    "parks": ("point_source", "area_source", "sectors_source", "catalogue_source"),
    "lists": ("source",),
    "clusters": ("source",),
    "hubs": ("point_source",),
    "facts": ("source",),
    "district_exceptions": ("source",),
    "transit_lines": ("source", "top_kmh_source"),
    "transit_stations": ("source",),
    "transit_model": ("source",),
}


def check_sources_cited(rows: dict[str, list[dict]], districts: gpd.GeoDataFrame | None) -> list[Problem]:
    known = {r["id"] for r in rows["sources"] if r.get("id")}
    problems = []
    for table, columns in _CITING_COLUMNS.items():
        for row in rows[table]:
            for column in columns:
                for source_id in row.get(column) or ():
                    if source_id not in known:
                        problems.append(
                            Problem(
                                f"{table}.csv",
                                row["_label"],
                                column,
                                f"unknown source {source_id!r} (not in sources.csv)",
                            )
                        )
    if districts is not None:
        for source_id in sorted(set(districts["source"].astype(str)) - known):
            problems.append(
                Problem(DISTRICTS_FILE, "-", "source", f"unknown source {source_id!r} (not in sources.csv)")
            )
    return problems


def check_sectors(sector_rows: list[dict]) -> list[Problem]:
    table = "sectors.csv"
    problems = []
    by_code = {r["code"]: r for r in sector_rows if r.get("code")}
    top_colours: dict[tuple[str, str], str] = {}
    for row in sector_rows:
        label = row["_label"]
        taxonomy, palette, colour = row.get("taxonomy"), row.get("palette"), row.get("colour")
        if taxonomy and taxonomy not in TAXONOMIES:
            problems.append(
                Problem(
                    table, label, "taxonomy", f"unknown taxonomy {taxonomy!r}: expected one of {', '.join(TAXONOMIES)}"
                )
            )
        for other in row.get("also_in") or ():
            if other not in TAXONOMIES:
                problems.append(Problem(table, label, "also_in", f"unknown taxonomy {other!r}"))
        if palette and palette not in PALETTES:
            problems.append(
                Problem(table, label, "palette", f"unknown palette {palette!r}: expected one of {', '.join(PALETTES)}")
            )
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
                    problems.append(
                        Problem(
                            table,
                            label,
                            "colour",
                            f"a sub-sector wears its parent's colour ({by_code[parent].get('colour')})",
                        )
                    )
        elif taxonomy and colour:
            key = (taxonomy, colour)
            if key in top_colours:
                problems.append(
                    Problem(
                        table,
                        label,
                        "colour",
                        f"{colour} is already used by {top_colours[key]!r} in taxonomy {taxonomy}",
                    )
                )
            else:
                top_colours[key] = row.get("code")
    problems += _near_identical_colours(sector_rows)
    return problems


def _near_identical_colours(sector_rows: list[dict]) -> list[Problem]:
    """Top-level sectors of different taxonomies share one legend: their colours must not look the same."""
    tops = [r for r in sector_rows if not r.get("parent") and r.get("colour") and schema.HEX_COLOUR.match(r["colour"])]
    problems = []
    for a, b in itertools.combinations(tops, 2):
        apart = colour_distance(a["colour"], b["colour"])
        if a["colour"] != b["colour"] and apart < MIN_SECTOR_COLOUR_DISTANCE:
            problems.append(
                Problem(
                    "sectors.csv",
                    b["_label"],
                    "colour",
                    f"{b['colour']} looks the same as {a['code']!r}'s {a['colour']} (delta E {apart:.1f})",
                )
            )
    return problems


def _unknown_codes(values: Iterable[str] | None, known: set[str]) -> list[str]:
    return [v for v in values or () if v not in known]


def check_parks(park_rows: list[dict], sector_codes: set[str], adcodes: set[str]) -> list[Problem]:
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
                problems.append(
                    Problem(table, label, "district_adcode", "a citywide zone (110000) cannot have a single point")
                )
        elif adcode and adcodes and adcode not in adcodes:
            problems.append(Problem(table, label, "district_adcode", f"{adcode} is not one of Beijing's districts"))
        for other in _unknown_codes(row.get("other_adcodes"), adcodes):
            problems.append(Problem(table, label, "other_adcodes", f"{other} is not one of Beijing's districts"))
    return problems


def check_clusters(cluster_rows, park_rows, sector_codes, adcodes) -> list[Problem]:
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


def check_hubs(hub_rows, adcodes) -> list[Problem]:
    return [
        Problem(
            "hubs.csv", row["_label"], "district_adcode", f"{row['district_adcode']} is not one of Beijing's districts"
        )
        for row in hub_rows
        if row.get("district_adcode") and adcodes and row["district_adcode"] not in adcodes
    ]


def check_facts(fact_rows, park_rows) -> list[Problem]:
    table = "facts.csv"
    park_ids = {r["id"] for r in park_rows if r.get("id")}
    problems = []
    for row in fact_rows:
        label = row["_label"]
        if row.get("park") and row["park"] not in park_ids:
            problems.append(Problem(table, label, "park", f"unknown park {row['park']!r} (not in parks.csv)"))
        metric, unit = row.get("metric"), row.get("unit")
        if metric and metric not in schema.METRIC_UNITS:
            problems.append(
                Problem(
                    table,
                    label,
                    "metric",
                    f"unknown metric {metric!r}: expected one of {', '.join(schema.METRIC_UNITS)}",
                )
            )
        elif metric and unit and unit not in schema.METRIC_UNITS[metric]:
            problems.append(
                Problem(
                    table,
                    label,
                    "unit",
                    f"{unit!r} is not a unit of {metric}: expected {', '.join(schema.METRIC_UNITS[metric])}",
                )
            )
    return problems


def check_points_in_districts(
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
        joined = gpd.sjoin(
            located[["id", "geometry"]], districts[["adcode", "geometry"]], how="left", predicate="within"
        )
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
                Problem(
                    f"{table}.csv",
                    label,
                    "lon",
                    f"point ({row['lon']:.6f}, {row['lat']:.6f}) lies {where}, "
                    f"not in its declared district {row['district_adcode']}",
                )
            )
    for key, exception in exceptions.items():
        if key not in used:
            problems.append(
                Problem(
                    "district_exceptions.csv",
                    exception["_label"],
                    "row_id",
                    f"no {key[0]} row {key[1]!r} lies in {exception['point_in']}: remove the stale exception",
                )
            )
    return problems


def check_neighbour_colours(parks: gpd.GeoDataFrame, sectors: SectorVocabulary) -> list[Problem]:
    """Parks side by side on the map must not wear colours a reader cannot tell apart (their primary sectors')."""
    problems = []
    placed = [
        (r.id, r.sectors[0], r.geometry)
        for r in parks.itertuples()
        if r.geometry is not None and r.sectors and r.sectors[0] in sectors
    ]
    for (a, sa, ga), (b, sb, gb) in itertools.combinations(placed, 2):
        ca, cb = sectors.colour(sa), sectors.colour(sb)
        if sa == sb or ca == cb and sectors.top_level(sa) == sectors.top_level(sb):
            continue
        km = float(distance_km(ga.x, ga.y, gb.x, gb.y))
        apart = colour_distance(ca, cb)
        if km <= NEIGHBOUR_KM and apart < MIN_NEIGHBOUR_COLOUR_DISTANCE:
            problems.append(
                Problem(
                    "sectors.csv",
                    f"[{sa}] / [{sb}]",
                    "colour",
                    f"{ca} and {cb} are only {apart:.0f} apart (delta E; at least {MIN_NEIGHBOUR_COLOUR_DISTANCE:.0f} "
                    f"wanted) on parks {km:.1f} km apart ({a}, {b})",
                )
            )
    return problems
