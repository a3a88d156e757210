"""What an export holds: one record per park shown, every field with its facts and sources, WGS-84 lon/lat.

Beside the codes (sectors, district, kind, placement) records carry their labels in the export's language, so a
spreadsheet reads without a lookup table; ``read_records`` reads the codes back and ignores the labels.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import geopandas as gpd
import pandas as pd
from shapely.geometry import Point

from .. import format as fmt
from ..labels import term
from ..model.load import Atlas
from ..model.row_rules import CATALOGUE_FIELDS
from ..selection import Shown

#: Park columns carried into data exports, in order; lists become arrays (GeoJSON) or '|'-joined text.
EXPORT_COLUMNS = (
    "id",
    "name_en",
    "name_zh",
    "aliases",
    "kind",
    "parent",
    "district_adcode",
    "other_adcodes",
    "sectors",
    "lon",
    "lat",
    "recorded_lon",
    "recorded_lat",
    "datum",
    "precision_m",
    "point_role",
    "point_basis",
    "point_source",
    "point_year",
    "placement",
    "area_km2",
    "area_year",
    "area_scope",
    "area_source",
    "sectors_source",
    "sectors_year",
    "level",
    "lists",
    "within",
    "catalogue_code",
    *CATALOGUE_FIELDS,
)
#: Labels beside the codes, in the export's language: what a person reads in a spreadsheet.
LABEL_COLUMNS = ("kind_label", "district_name", "sector_labels", "placement_label", "level_label")
LIST_COLUMNS = (
    "aliases",
    "other_adcodes",
    "sectors",
    "point_source",
    "area_source",
    "sectors_source",
    "lists",
    "within",
    "catalogue_source",
)
NUMERIC_COLUMNS = ("lon", "lat", "recorded_lon", "recorded_lat", "precision_m", "area_km2", "approved_area_ha")
YEAR_COLUMNS = ("point_year", "area_year", "sectors_year")


def _clean(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if fmt.is_missing(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    return value


def export_records(atlas: Atlas, shown: Shown, lang: str = "en") -> list[dict]:
    """One record per park shown: every field, its labels, its facts and the sources cited."""
    records = []
    for _, park in shown.parks.iterrows():
        record = {column: _clean(park.get(column)) for column in EXPORT_COLUMNS}
        for column in YEAR_COLUMNS:
            record[column] = None if record[column] is None else int(record[column])
        record["kind_label"] = term("kinds", park["kind"], lang)
        record["district_name"] = fmt.district_name(atlas, park["district_adcode"], lang)
        record["sector_labels"] = fmt.sector_labels(atlas, park["sectors"], lang)
        record["placement_label"] = term("placements", park["placement"], lang)
        record["level_label"] = term("levels", park["level"], lang)
        facts = atlas.facts[atlas.facts["park"] == park["id"]]
        record["facts"] = [
            {k: _clean(v) for k, v in fact.items() if k != "park"} for fact in facts.to_dict(orient="records")
        ]
        for fact in record["facts"]:
            fact["year"] = int(fact["year"])
        cited = sorted(
            {
                *(record["point_source"] or ()),
                *(record["area_source"] or ()),
                *(record["sectors_source"] or ()),
                *(record["catalogue_source"] or ()),
                *(s for f in record["facts"] for s in f["source"] or ()),
            }
        )
        record["sources"] = [
            {
                "id": s,
                **{
                    k: _clean(atlas.sources.loc[s, k])
                    for k in ("publisher", "title", "published", "url", "read_at", "licence")
                },
            }
            for s in cited
        ]
        records.append(record)
    return records


def geometry_of(record: dict) -> Point | None:
    if record["lon"] is None or record["lat"] is None:
        return None
    return Point(record["lon"], record["lat"])


def records_frame(records: list[dict], flat: bool) -> gpd.GeoDataFrame:
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
    frame = gpd.GeoDataFrame(
        rows,
        columns=[*EXPORT_COLUMNS, *LABEL_COLUMNS, "facts", "sources"],
        geometry=[geometry_of(r) for r in records],
        crs="EPSG:4326",
    )
    # Years are whole numbers, also where some are missing (pandas would otherwise write 2012.0).
    return frame.astype({column: "Int64" for column in YEAR_COLUMNS})


def _unflatten(row: dict) -> dict:
    record = {column: _clean(row.get(column)) for column in EXPORT_COLUMNS}
    for column in LIST_COLUMNS:
        record[column] = record[column].split("|") if record[column] else None
    for column in ("facts", "sources"):
        record[column] = json.loads(row[column]) if row.get(column) else []
    return record


def read_records(path: Path) -> list[dict]:
    """Read an export back into records (codes, facts, sources; labels are derived and dropped), whatever its format."""
    path = Path(path)
    if path.suffix == ".geojson":
        collection = json.loads(path.read_text(encoding="utf-8"))
        records = [
            {k: v for k, v in feature["properties"].items() if k not in LABEL_COLUMNS}
            for feature in collection["features"]
        ]
        return records
    if path.suffix == ".csv":
        frame = pd.read_csv(path, encoding="utf-8-sig", dtype=str, keep_default_na=False).replace({"": None})
    elif path.suffix == ".gpkg":
        frame = pd.DataFrame(gpd.read_file(path, layer="parks", engine="pyogrio").drop(columns="geometry"))
    else:
        raise ValueError(f"cannot read {path.suffix!r} exports")
    records = [_unflatten(row) for row in frame.to_dict(orient="records")]
    for record in records:
        for column in NUMERIC_COLUMNS:
            record[column] = None if record[column] is None else float(record[column])
        for column in YEAR_COLUMNS:
            record[column] = None if record[column] is None else int(float(record[column]))
    return records
