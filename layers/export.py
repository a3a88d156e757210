"""Exports of what the map shows: a self-contained offline HTML map, and the data as GeoJSON, CSV or GeoPackage.

One code path for the app's download buttons and the command:

    python -m layers.export --out FILE.{html,geojson,csv,gpkg} [--sector CODE ...] [--district ADCODE ...]
                            [--kind KIND ...] [--text TEXT] [--basemap NAME] [--lang en|zh]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .filters import Selection, select_parks
from .load import Atlas, load_atlas

FORMATS = ("html", "geojson", "csv", "gpkg")
#: Park columns carried into data exports, in order; lists become arrays (GeoJSON) or '|'-joined text.
EXPORT_COLUMNS = (
    "id", "name_en", "name_zh", "aliases", "kind", "parent", "district_adcode", "other_adcodes", "sectors",
    "lon", "lat", "recorded_lon", "recorded_lat", "datum", "precision_m", "point_role", "point_basis", "point_source",
    "point_year", "placement", "area_km2", "area_year", "area_scope", "area_source", "sectors_source", "sectors_year",
)
LIST_COLUMNS = ("aliases", "other_adcodes", "sectors", "point_source", "area_source", "sectors_source")


def write_atomically(path: Path, write) -> None:
    """Call ``write(tmp_path)`` and move the result into place only when it succeeded: never a half-written file."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=path.suffix, dir=path.parent)
    os.close(fd)
    tmp_path = Path(tmp)
    try:
        tmp_path.unlink()  # some writers (GeoPackage) refuse to write over an existing empty file
        write(tmp_path)
        os.replace(tmp_path, path)
    except BaseException:
        tmp_path.unlink(missing_ok=True)
        raise


def _clean(value):
    if isinstance(value, tuple):
        return list(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def export_records(atlas: Atlas, selection: Selection) -> list[dict]:
    """One record per selected park: every field shown, its facts and the sources cited, WGS-84 lon/lat."""
    parks = select_parks(atlas.parks, selection, atlas.sectors)
    records = []
    for _, park in parks.iterrows():
        record = {column: _clean(park.get(column)) for column in EXPORT_COLUMNS}
        facts = atlas.facts[atlas.facts["park"] == park["id"]]
        record["facts"] = [
            {k: _clean(v) for k, v in fact.items() if k != "park"} for fact in facts.to_dict(orient="records")
        ]
        cited = sorted({*(record["point_source"] or ()), *(record["area_source"] or ()), *(record["sectors_source"] or ()),
                        *(s for f in record["facts"] for s in f["source"] or ())})
        record["sources"] = [
            {"id": s, **{k: _clean(atlas.sources.loc[s, k]) for k in ("publisher", "title", "published", "url", "read_at", "licence")}}
            for s in cited
        ]
        records.append(record)
    return records


def _geometry(record: dict):
    if record["lon"] is None or record["lat"] is None:
        return None
    return Point(record["lon"], record["lat"])


def _frame(records: list[dict], flat: bool) -> gpd.GeoDataFrame:
    """Records as a GeoDataFrame; ``flat`` turns lists into '|'-joined text and facts/sources into JSON text."""
    rows = []
    for record in records:
        row = dict(record)
        if flat:
            for column in LIST_COLUMNS:
                row[column] = "|".join(row[column]) if row[column] else None
            row["facts"] = json.dumps(row["facts"], ensure_ascii=False)
            row["sources"] = json.dumps(row["sources"], ensure_ascii=False)
        rows.append(row)
    return gpd.GeoDataFrame(rows, columns=[*EXPORT_COLUMNS, "facts", "sources"], geometry=[_geometry(r) for r in records], crs="EPSG:4326")


def write_geojson(records: list[dict], path: Path) -> None:
    """RFC 7946 GeoJSON (WGS-84, lon/lat); lists stay arrays and facts nested objects. Unplaced parks have null geometry."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {"type": "Feature", "id": r["id"], "geometry": None if _geometry(r) is None else {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
             "properties": r}
            for r in records
        ],
    }
    write_atomically(path, lambda tmp: tmp.write_text(json.dumps(collection, ensure_ascii=False, indent=1), encoding="utf-8"))


def write_csv(records: list[dict], path: Path) -> None:
    """CSV in UTF-8 with a BOM (Excel on Chinese Windows), lon/lat columns, lists '|'-joined, facts as JSON."""
    frame = pd.DataFrame(_frame(records, flat=True).drop(columns="geometry"))
    write_atomically(path, lambda tmp: frame.to_csv(tmp, index=False, encoding="utf-8-sig"))


def write_gpkg(records: list[dict], path: Path) -> None:
    """GeoPackage, layer 'parks', WGS-84; lists '|'-joined and facts as JSON text, as in the CSV."""
    frame = _frame(records, flat=True)
    write_atomically(path, lambda tmp: frame.to_file(tmp, layer="parks", driver="GPKG", engine="pyogrio"))


def _unflatten(row: dict) -> dict:
    record = {column: _clean(row.get(column)) for column in EXPORT_COLUMNS}
    for column in LIST_COLUMNS:
        record[column] = record[column].split("|") if record[column] else None
    for column in ("facts", "sources"):
        record[column] = json.loads(row[column]) if row.get(column) else []
    return record


def read_records(path: Path) -> list[dict]:
    """Read an export back into records, whatever its format: what a round trip must give back unchanged."""
    path = Path(path)
    if path.suffix == ".geojson":
        collection = json.loads(path.read_text(encoding="utf-8"))
        return [feature["properties"] for feature in collection["features"]]
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False)
        frame = frame.replace({"": None})
    elif path.suffix == ".gpkg":
        frame = pd.DataFrame(gpd.read_file(path, layer="parks", engine="pyogrio").drop(columns="geometry"))
    else:
        raise ValueError(f"cannot read {path.suffix!r} exports")
    records = [_unflatten(row) for row in frame.to_dict(orient="records")]
    numeric = ("lon", "lat", "recorded_lon", "recorded_lat", "precision_m", "area_km2")
    integers = ("point_year", "area_year", "sectors_year")
    for record in records:
        for column in numeric:
            record[column] = None if record[column] is None else float(record[column])
        for column in integers:
            record[column] = None if record[column] is None else int(float(record[column]))
    return records


WRITERS = {"geojson": write_geojson, "csv": write_csv, "gpkg": write_gpkg}


def export_data(atlas: Atlas, selection: Selection, path: Path, fmt: str | None = None) -> int:
    """Write the selected parks to ``path`` in ``fmt`` (default: the file's suffix); return how many were written."""
    fmt = fmt or Path(path).suffix.lstrip(".")
    if fmt not in WRITERS:
        raise ValueError(f"unknown data format {fmt!r}: expected one of {', '.join(WRITERS)}")
    records = export_records(atlas, selection)
    WRITERS[fmt](records, Path(path))
    return len(records)


_EXPORT_TEXT = {
    "en": {"atlas": "Beijing Industrial Parks Atlas", "sectors": "Sectors", "districts": "Districts", "kinds": "Kinds",
           "text": "Search", "all": "all", "as_of": "Data as of {date} (newest source); every figure's source and year in its popup.",
           "parks": "{n} parks in this file"},
    "zh": {"atlas": "北京产业园区地图", "sectors": "产业", "districts": "行政区", "kinds": "类型", "text": "搜索", "all": "全部",
           "as_of": "数据截至 {date}(最新来源);各项数据来源与年份见弹窗。", "parks": "本文件含 {n} 个园区"},
}


def data_as_of(atlas: Atlas) -> str:
    """The newest publication date among the sources: the date the data can be said to be 'as of'."""
    dated = [p for p in atlas.sources["published"].dropna() if p]
    return max(dated) if dated else ""


def describe_selection(atlas: Atlas, selection: Selection, lang: str) -> list[tuple[str, str]]:
    """The filter in words, for the exported page's title: [(label, value), ...]."""
    from .i18n import KIND_LABELS
    from .popups import district_name

    t = _EXPORT_TEXT[lang]
    sectors = ", ".join(atlas.sectors[c].label(lang) for c in atlas.sectors.codes if c in selection.sectors) or t["all"]
    districts = ", ".join(district_name(atlas, d, lang) for d in sorted(selection.districts)) or t["all"]
    parts = [(t["sectors"], sectors), (t["districts"], districts)]
    if selection.kinds:
        parts.append((t["kinds"], ", ".join(KIND_LABELS[lang][k] for k in sorted(selection.kinds))))
    if selection.text:
        parts.append((t["text"], selection.text))
    return parts


def export_html(atlas: Atlas, request, path: Path, firms=None) -> int:
    """Write a single self-contained HTML map (scripts, styles and icons inlined; only tiles come from outside).

    Returns the number of parks drawn. The legend's checkboxes filter by sector inside the file, a company list
    (``firms``, a ``FirmSource`` with its payload inline) included.
    """
    from .assets import use_inline_assets
    from .popups import e
    from .render import build_map

    t = _EXPORT_TEXT[request.lang]
    described = describe_selection(atlas, request.selection, request.lang)
    title_text = f"{t['atlas']} — " + "; ".join(f"{label}: {value}" for label, value in described)
    probe = select_parks(atlas.parks, request.selection, atlas.sectors)
    drawn = int(probe.geometry.notna().sum())
    title_html = (
        f"<b>{e(t['atlas'])}</b><br>" + "<br>".join(f"{e(label)}: {e(value)}" for label, value in described)
        + f"<br>{e(t['parks'].format(n=drawn))} · <small>{e(t['as_of'].format(date=data_as_of(atlas)))}</small>"
    )
    content = build_map(atlas, request, title=title_html, firms=firms)
    use_inline_assets(content.map)
    root = content.map.get_root()
    root.title = title_text
    html = root.render()
    write_atomically(Path(path), lambda tmp: tmp.write_text(html, encoding="utf-8"))
    return len(content.park_ids)


def build_parser() -> argparse.ArgumentParser:
    from .spec import BASEMAPS

    parser = argparse.ArgumentParser(prog="python -m layers.export", description="Export the atlas's map or data.")
    parser.add_argument("--out", type=Path, required=True, help="file to write: .html, .geojson, .csv or .gpkg")
    parser.add_argument("--format", choices=FORMATS, help="default: from the file's suffix")
    parser.add_argument("--sector", action="append", default=[], help="sector code (repeatable)")
    parser.add_argument("--district", action="append", default=[], help="district adcode (repeatable)")
    parser.add_argument("--kind", action="append", default=[], help="park kind (repeatable)")
    parser.add_argument("--text", default="", help="text search over names and aliases")
    parser.add_argument("--basemap", default="osm", choices=[b.key for b in BASEMAPS])
    parser.add_argument("--lang", default="en", choices=["en", "zh"])
    return parser


def main(argv: list[str] | None = None) -> int:
    from .render import MapRequest
    from .schema import PARK_KINDS

    args = build_parser().parse_args(argv)
    atlas = load_atlas()
    fmt = args.format or args.out.suffix.lstrip(".").lower()
    problems = [f"unknown sector {c!r}" for c in args.sector if c not in atlas.sectors]
    problems += [f"unknown district {d!r}" for d in args.district if d not in set(atlas.districts["adcode"])]
    problems += [f"unknown kind {k!r} (expected {', '.join(PARK_KINDS)})" for k in args.kind if k not in PARK_KINDS]
    if fmt not in FORMATS:
        problems.append(f"unknown format {fmt!r}: use --format or a suffix among {', '.join(FORMATS)}")
    if problems:
        for problem in problems:
            print(f"error: {problem}", file=sys.stderr)
        return 2
    selection = Selection.of(args.sector, args.district, args.kind, args.text)
    if fmt == "html":
        count = export_html(atlas, MapRequest(selection, args.basemap, args.lang), args.out)
    else:
        count = export_data(atlas, selection, args.out, fmt)
    print(f"wrote {args.out} ({fmt}, {count} parks, {args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())


MIME_TYPES = {"html": "text/html", "geojson": "application/geo+json", "csv": "text/csv", "gpkg": "application/geopackage+sqlite3"}


def export_bytes(atlas: Atlas, request, fmt: str, firms=None) -> bytes:
    """An export as bytes, for a download button: the same writers as the command, through a temporary file."""
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as folder:
        path = Path(folder) / f"atlas.{fmt}"
        if fmt == "html":
            export_html(atlas, request, path, firms)
        else:
            export_data(atlas, request.selection, path, fmt)
        return path.read_bytes()
