"""The transit tables: lines, stations, each line's stations in order, and the travel-time model's parameters.

Built from OpenStreetMap by ``scripts/build_transit.py`` (the model's parameters are written by hand); checked cell
by cell like the other tables, then as a network: every stop names a known line and station, each pattern's stops
run 1, 2, 3 ..., every line has a pattern and every station a line, every parameter the model needs is there.
"""

from __future__ import annotations

from collections import defaultdict

from .cells import Column, TableSchema, adcode, choice, colour, datum, list_of, number, positive, slug, text, year
from .problems import Problem
from .row_rules import point_checks, sourced, translated

LINE_KINDS = ("metro", "airport_express", "light_rail", "maglev", "tram")
#: What a station's English name rests on: OSM's name:en, a nearby named OSM station, or pinyin of the Chinese.
NAME_BASES = ("osm", "osm-nearby", "osm+pinyin", "osm-nearby+pinyin")
MODEL_KEYS = (
    "walk_kmh",
    "walk_detour",
    "max_walk_km",
    "default_top_kmh",
    "cruise_share",
    "track_detour",
    "stop_min",
    "wait_min",
    "transfer_min",
)

TRANSIT_LINES = TableSchema(
    name="transit_lines",
    filename="transit_lines.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("kind", choice(*LINE_KINDS), required=True),
        Column("colour", colour, required=True),
        Column("osm", required=True),
        Column("source", list_of(slug), required=True),
        Column("year", year, required=True),
        Column("top_kmh", positive),
        Column("top_kmh_source", list_of(slug)),
        Column("top_kmh_year", year),
        Column("top_kmh_gap"),
        Column("top_kmh_gap_zh"),
    ),
    extra_checks=(
        sourced("top_kmh", "top_kmh_source", "top_kmh_year", gap_column="top_kmh_gap"),
        translated("top_kmh_gap"),
    ),
)

TRANSIT_STATIONS = TableSchema(
    name="transit_stations",
    filename="transit_stations.csv",
    id_column="id",
    columns=(
        Column("id", slug, required=True),
        Column("name_en", required=True),
        Column("name_zh", required=True),
        Column("lon", number, required=True),
        Column("lat", number, required=True),
        Column("datum", datum, required=True),
        Column("name_basis", choice(*NAME_BASES), required=True),
        Column("osm", list_of(text), required=True),
        Column("source", list_of(slug), required=True),
        Column("year", year, required=True),
        Column("district_adcode", adcode, required=True),
    ),
    extra_checks=(point_checks,),
)

TRANSIT_STOPS = TableSchema(
    name="transit_stops",
    filename="transit_stops.csv",
    id_column=None,
    columns=(
        Column("line", slug, required=True),
        Column("pattern", required=True),
        Column("seq", positive, required=True),
        Column("station", slug, required=True),
    ),
)

TRANSIT_MODEL = TableSchema(
    name="transit_model",
    filename="transit_model.csv",
    id_column="key",
    columns=(
        Column("key", choice(*MODEL_KEYS), required=True),
        Column("value", positive, required=True),
        Column("unit", required=True),
        Column("label_en", required=True),
        Column("label_zh", required=True),
        Column("basis_en", required=True),
        Column("basis_zh", required=True),
        Column("source", list_of(slug)),
        Column("year", year),
    ),
)

TRANSIT_TABLES = (TRANSIT_LINES, TRANSIT_STATIONS, TRANSIT_STOPS, TRANSIT_MODEL)


def check_network(rows: dict[str, list[dict]]) -> list[Problem]:
    """The tables as one network: stops resolvable, patterns in order, nothing left without a line."""
    lines = {r["id"] for r in rows["transit_lines"] if r.get("id")}
    stations = {r["id"] for r in rows["transit_stations"] if r.get("id")}
    problems: list[Problem] = []
    patterns: dict[tuple[str, str], list[tuple[float, str]]] = defaultdict(list)
    served: set[str] = set()
    for row in rows["transit_stops"]:
        label = row["_label"]
        if row.get("line") and row["line"] not in lines:
            problems.append(Problem("transit_stops.csv", label, "line", f"unknown line {row['line']!r}"))
        if row.get("station") and row["station"] not in stations:
            problems.append(Problem("transit_stops.csv", label, "station", f"unknown station {row['station']!r}"))
        if row.get("line") and row.get("pattern") and row.get("seq") is not None:
            patterns[(row["line"], row["pattern"])].append((row["seq"], label))
            served.add(row["line"])
            if row.get("station"):
                served.add(f"station:{row['station']}")
    for (line, pattern), seqs in patterns.items():
        numbers = sorted(seq for seq, _ in seqs)
        if numbers != list(range(1, len(numbers) + 1)):
            problems.append(
                Problem("transit_stops.csv", seqs[0][1], "seq", f"{line} {pattern}: stops are not numbered 1..n")
            )
        elif len(numbers) < 2:
            problems.append(Problem("transit_stops.csv", seqs[0][1], "seq", f"{line} {pattern}: fewer than 2 stops"))
    for row in rows["transit_lines"]:
        if row.get("id") and row["id"] not in served:
            problems.append(Problem("transit_lines.csv", row["_label"], "id", "no stops in transit_stops.csv"))
    for row in rows["transit_stations"]:
        if row.get("id") and f"station:{row['id']}" not in served:
            problems.append(Problem("transit_stations.csv", row["_label"], "id", "no line stops here"))
    keys = {r["key"] for r in rows["transit_model"] if r.get("key")}
    for key in MODEL_KEYS:
        if key not in keys:
            problems.append(Problem("transit_model.csv", "-", "key", f"the model's {key!r} is missing"))
    return problems
