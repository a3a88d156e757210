"""Build data/transit_lines.csv, transit_stations.csv and transit_stops.csv: Beijing's urban rail network.

Source: OpenStreetMap (ODbL), through the public repository BoyInTheSun/beijing-subway-gtfs (commit 61f3e7a,
2026-04-30): ``data/osm/route_master.json`` (lines), ``route.json`` (each direction's stops in order),
``station.json`` (station nodes with their English names), ``stop_area_group.json`` (interchanges) and
``gtfs/stops.txt`` (which stop belongs to which station, with coordinates, WGS-84). Its inter-station times come
from an operator's app under unclear terms: they are not read here.

A line is an OSM route master; its stations in order come from each of its routes (one per direction). A station
is a physical interchange: the stop areas of different lines that share a station node, an OSM stop-area group or
(within 600 m) a name are one station. Run from the repository root, with the repository fetched or cloned:

    .venv/bin/python -m scripts.build_transit --source /path/to/beijing-subway-gtfs [--git-dir]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import geopandas as gpd
from pypinyin import lazy_pinyin
from shapely.geometry import Point

from geo.crs import distance_km

REPO = Path(__file__).resolve().parent.parent
DATA = REPO / "data"
SOURCE_ID = "osm-beijing-subway-gtfs-2026-04"
YEAR = 2026
#: Route masters that are not lines of their own here. The Batong and Daxing lines run through as Line 1 and Line 4
#: (OSM's own masters "1号线/八通线" and "4号线/大兴线" hold those trains); the Qianmen Street tram is a heritage ride.
SKIPPED_MASTERS = {
    "r13298577": "Batong line: through-run as Line 1 (the master 北京地铁1号线 holds its trains)",
    "r2684711": "Daxing line: through-run with Line 4 (the master 北京地铁4号线/大兴线 holds its trains)",
    "r1722444": "Qianmen Street tram: a heritage ride of two stops, not part of the network people commute on",
    "r12567203": "Yizhuang T1 tram: the source gives its stops neither names nor station coordinates",
}
#: Line kinds, from the OSM route type; the two airport expressess are told apart by their masters.
AIRPORT_EXPRESSES = {"r1354082", "r10136967"}
KINDS = {"subway": "metro", "light_rail": "light_rail", "tram": "tram", "monorail": "maglev"}
#: OSM's abbreviations, spelt out.
ENGLISH_LINE_NAMES = {"Beijing Subway Line 4/DX": "Line 4 / Daxing Line"}
STOP_ROLES = {"stop", "stop_entry_only", "stop_exit_only"}
#: Published top speeds (km/h) with their source and year; other lines leave the cell empty and say why.
TOP_SPEEDS = {
    "daxing-airport-express": (160, "chinadaily-2019-09-29-daxing-express", 2019),
    "capital-airport-express": (110, "cctv-2007-03-01-airport-express", 2007),
    "line-19": (100, "visitbeijing-2022-01-17-line19", 2022),
    "line-17": (100, "chinadaily-2023-line17", 2023),
    "line-s1": (100, "chinaorg-2017-12-29-s1-yanfang", 2017),
    "yanfang-line": (80, "chinaorg-2017-12-29-s1-yanfang", 2017),
    "changping-line": (100, "railwaygazette-2023-02-changping", 2023),
}
TOP_SPEED_GAP = (
    "No source found for this line's top speed; the model assumes a standard metro train's (transit_model.csv)."
)
TOP_SPEED_GAP_ZH = "未找到该线最高速度的来源；模型按普通地铁列车计(见 transit_model.csv)。"
SAME_NAME_M = 600.0
NAME_SEARCH_M = 300.0


@dataclass
class Station:
    """A physical station: one or more OSM stop areas (one per line), at the first one's station node."""

    id: str
    name_zh: str
    name_en: str
    lon: float
    lat: float
    osm: list[str] = field(default_factory=list)
    name_basis: str = "osm"
    lines: list[str] = field(default_factory=list)


def metres(lon1: float, lat1: float, lon2: float, lat2: float) -> float:
    """Geodesic distance in metres (``geo.crs.distance_km``)."""
    return float(distance_km(lon1, lat1, lon2, lat2)) * 1000


def read_source(source: Path, git_dir: bool, path: str) -> str:
    """One file of the source repository, from a checkout or (``git_dir``) a bare git directory's HEAD."""
    if git_dir:
        return subprocess.run(
            ["git", f"--git-dir={source}", "show", f"HEAD:{path}"], check=True, capture_output=True, text=True
        ).stdout
    return (source / path).read_text(encoding="utf-8")


def slug(text: str) -> str:
    """An id from an English name: lower case, words joined by '-'."""
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def pinyin_name(name_zh: str) -> str:
    """A station's name in pinyin, as Beijing's signs write them (one word, first letter capital)."""
    return "".join(lazy_pinyin(name_zh)).capitalize()


def line_name_en(tags: dict, name_zh: str) -> str:
    """The line's English name: OSM's, else built from its number or its Chinese name."""
    if tags.get("name:en"):
        return ENGLISH_LINE_NAMES.get(
            tags["name:en"], tags["name:en"].replace("Beijing Subway ", "").replace("Subway ", "")
        )
    if "T1" in name_zh:
        return "Yizhuang T1 Line"
    number = re.search(r"(\d+|S1)号?线", name_zh)
    if number:
        return f"Line {number.group(1)}"
    return pinyin_name(name_zh)


def top_speed(line_id: str) -> dict:
    """A line's published top speed with its source and year, or the reason the cells are empty."""
    if line_id in TOP_SPEEDS:
        kmh, source_id, year = TOP_SPEEDS[line_id]
        return {
            "top_kmh": kmh,
            "top_kmh_source": source_id,
            "top_kmh_year": year,
            "top_kmh_gap": "",
            "top_kmh_gap_zh": "",
        }
    return {
        "top_kmh": "",
        "top_kmh_source": "",
        "top_kmh_year": "",
        "top_kmh_gap": TOP_SPEED_GAP,
        "top_kmh_gap_zh": TOP_SPEED_GAP_ZH,
    }


def build(source: Path, git_dir: bool) -> tuple[list[dict], list[dict], list[dict], list[str]]:
    """The three tables and the notes on what could not be resolved."""
    masters = json.loads(read_source(source, git_dir, "data/osm/route_master.json"))
    routes = json.loads(read_source(source, git_dir, "data/osm/route.json"))
    osm_stations = json.loads(read_source(source, git_dir, "data/osm/station.json"))
    groups = json.loads(read_source(source, git_dir, "data/osm/stop_area_group.json"))
    stops = {r["stop_id"]: r for r in csv.DictReader(io.StringIO(read_source(source, git_dir, "gtfs/stops.txt")))}
    notes: list[str] = []

    named_nodes = [
        (k, v) for k, v in osm_stations.items() if "lat" in v and v["tags"].get("railway") in ("station", "halt")
    ]
    by_coordinate = {(round(v["lat"], 7), round(v["lon"], 7)): k for k, v in named_nodes}
    group_of = {
        f"r{m['ref']}": gid for gid, g in groups.items() for m in g["members"] if m["type"] == "r"
    }  # stop area -> interchange

    def nearest_node(lon: float, lat: float, limit_m: float, need: str) -> tuple[str, dict] | None:
        best = None
        for key, node in named_nodes:
            if need not in node["tags"]:
                continue
            d = metres(lon, lat, node["lon"], node["lat"])
            if d <= limit_m and (best is None or d < best[0]):
                best = (d, key, node)
        return (best[1], best[2]) if best else None

    stations: dict[str, Station] = {}  # physical station id -> station
    area_station: dict[str, str] = {}  # OSM stop area -> physical station id

    def station_for_area(area_id: str, stop: dict) -> str | None:
        if area_id in area_station:
            return area_station[area_id]
        area = stops.get(area_id)
        if area is None:
            return None
        # The station node's coordinates; where the table has none, the stop's own (a platform of the same station).
        located = area if area["stop_lat"] else stop
        if not located["stop_lat"]:
            notes.append(f"stop area {area_id} and its stop {stop['stop_id']} have no coordinates")
            return None
        lon, lat = float(located["stop_lon"]), float(located["stop_lat"])
        node_key = by_coordinate.get((round(lat, 7), round(lon, 7)))
        node = osm_stations.get(node_key) if node_key else None
        name_zh, basis = area["stop_name"], "osm"
        if not name_zh:
            found = nearest_node(lon, lat, NAME_SEARCH_M, "name")
            if found is None:
                notes.append(f"stop area {area_id} has no name and no named station within {NAME_SEARCH_M:.0f} m")
                return None
            node_key, node = found
            name_zh, basis = node["tags"]["name"], "osm-nearby"
        if node is None:
            found = nearest_node(lon, lat, 150.0, "name:en")
            node_key, node = found if found else (None, None)
        name_en = (node or {}).get("tags", {}).get("name:en") or ""
        if not name_en:
            name_en, basis = pinyin_name(name_zh), basis + "+pinyin"
        # One physical station: the same interchange group, the same station node, or the same name close by.
        for existing in stations.values():
            same_group = group_of.get(area_id) is not None and any(
                group_of.get(a) == group_of[area_id] for a in existing.osm
            )
            same_node = node_key is not None and f"n{node_key.lstrip('n')}" in existing.osm
            same_name = existing.name_zh == name_zh and metres(lon, lat, existing.lon, existing.lat) <= SAME_NAME_M
            if same_group or same_node or same_name:
                existing.osm.append(area_id)
                area_station[area_id] = existing.id
                return existing.id
        station_id = slug(name_en)
        while station_id in stations:
            station_id += "-2"
        stations[station_id] = Station(
            station_id, name_zh, name_en, round(lon, 7), round(lat, 7), [area_id] + ([node_key] if node_key else [])
        )
        stations[station_id].name_basis = basis
        area_station[area_id] = station_id
        return station_id

    def beijing(master_id: str, master: dict) -> bool:
        tags = master["tags"]
        name_zh = tags.get("name:zh") or tags.get("name", "")
        return tags.get("network") in (None, "北京地铁") and name_zh.startswith(("北京", "亦庄"))

    # First every stop that resolves, so a terminal named only by its route's tag finds its station below.
    for master_id, master in masters.items():
        if beijing(master_id, master) and master_id not in SKIPPED_MASTERS:
            for member in master["members"]:
                for stop_member in routes.get(f"r{member['ref']}", {}).get("members", []):
                    stop = stops.get(f"n{stop_member['ref']}") if stop_member["role"] in STOP_ROLES else None
                    if stop:
                        station_for_area(stop["parent_station"], stop)
    names_zh = {s.name_zh: s.id for s in stations.values()}

    lines: list[dict] = []
    line_stops: list[dict] = []
    for master_id, master in masters.items():
        tags = master["tags"]
        name_zh = tags.get("name:zh") or tags.get("name", "")
        if not beijing(master_id, master):
            continue
        if master_id in SKIPPED_MASTERS:
            notes.append(f"{master_id} {name_zh}: skipped, {SKIPPED_MASTERS[master_id]}")
            continue
        kind = "airport_express" if master_id in AIRPORT_EXPRESSES else KINDS.get(tags.get("route_master", ""), "")
        line_id = slug(line_name_en(tags, name_zh.removeprefix("北京地铁")))
        patterns = 0
        for member in master["members"]:
            route_id = f"r{member['ref']}"
            route = routes.get(route_id)
            if route is None:
                notes.append(f"{line_id}: route {route_id} is not in route.json; skipped")
                continue
            sequence: list[str] = []
            members = [m for m in route["members"] if m["type"] == "n" and m["role"] in STOP_ROLES]
            for position, stop_member in enumerate(members):
                stop = stops.get(f"n{stop_member['ref']}")
                station_id = station_for_area(stop["parent_station"], stop) if stop else None
                if station_id is None and position in (0, len(members) - 1):
                    # A terminal whose stop node the table lacks: the route names it ('from' / 'to').
                    end = route["tags"].get("from" if position == 0 else "to", "")
                    station_id = names_zh.get(end) or names_zh.get(end.removesuffix("站"))
                    if station_id:
                        notes.append(f"{line_id} {route_id}: terminal n{stop_member['ref']} taken as {end} (route tag)")
                if station_id is None:
                    notes.append(f"{line_id} {route_id}: stop n{stop_member['ref']} not resolvable; left out")
                    continue
                if not sequence or sequence[-1] != station_id:
                    sequence.append(station_id)
            if len(sequence) < 2:
                notes.append(f"{line_id} {route_id}: fewer than two stops resolved; skipped")
                continue
            patterns += 1
            for seq, station_id in enumerate(sequence, start=1):
                line_stops.append(
                    {"line": line_id, "pattern": f"osm:relation/{route_id[1:]}", "seq": seq, "station": station_id}
                )
                if line_id not in stations[station_id].lines:
                    stations[station_id].lines.append(line_id)
        if patterns:
            lines.append(
                {
                    "id": line_id,
                    "name_en": line_name_en(tags, name_zh.removeprefix("北京地铁")),
                    "name_zh": name_zh.removeprefix("北京地铁") or name_zh,
                    "kind": kind,
                    "colour": (tags.get("colour") or "#666666").upper(),
                    "osm": f"osm:relation/{master_id[1:]}",
                    "source": SOURCE_ID,
                    "year": YEAR,
                    **top_speed(line_id),
                }
            )
    station_rows = [
        {
            "id": s.id,
            "name_en": s.name_en,
            "name_zh": s.name_zh,
            "lon": s.lon,
            "lat": s.lat,
            "datum": "wgs84",
            "name_basis": s.name_basis,
            "osm": "|".join(
                f"osm:relation/{a[1:]}" if a.startswith("r") else f"osm:node/{a.lstrip('n')}" for a in s.osm
            ),
            "source": SOURCE_ID,
            "year": YEAR,
        }
        for s in sorted(stations.values(), key=lambda s: s.id)
        if s.lines
    ]
    return sorted(lines, key=lambda r: r["id"]), station_rows, line_stops, notes


def with_districts(station_rows: list[dict], districts_file: Path) -> list[dict]:
    """Each station's district, from data/districts.geojson; one outside Beijing gets the nearest district (its
    row in district_exceptions.csv says why)."""
    districts = gpd.read_file(districts_file).to_crs(4326)
    metric = districts.to_crs(32650)
    for row in station_rows:
        point = Point(float(row["lon"]), float(row["lat"]))
        inside = districts[districts.contains(point)]
        if len(inside):
            adcode = str(inside.iloc[0]["adcode"])
        else:
            near = metric.distance(gpd.GeoSeries([point], crs=4326).to_crs(32650).iloc[0])
            adcode = str(districts.loc[near.idxmin(), "adcode"])
            print(f"note: station {row['id']} lies outside Beijing; nearest district {adcode}", file=sys.stderr)
        row["district_adcode"] = adcode
    return station_rows


def write(path: Path, rows: list[dict]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.build_transit", description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, required=True, help="the beijing-subway-gtfs checkout (or git dir)")
    parser.add_argument("--git-dir", action="store_true", help="--source is a bare git directory: read its HEAD")
    parser.add_argument("--out", type=Path, default=DATA)
    args = parser.parse_args(argv)
    lines, stations, stops, notes = build(args.source, args.git_dir)
    stations = with_districts(stations, DATA / "districts.geojson")
    write(args.out / "transit_lines.csv", lines)
    write(args.out / "transit_stations.csv", stations)
    write(args.out / "transit_stops.csv", stops)
    for note in notes:
        print(f"note: {note}", file=sys.stderr)
    print(f"{len(lines)} lines, {len(stations)} stations, {len(stops)} stops in order -> {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
