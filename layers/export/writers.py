"""The data formats, one registry: a new format is one ``Format`` with its writer and a label in each language."""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from ..files import BOM, write_atomically, write_bytes_atomically
from .records import geometry_of, records_frame


def write_geojson(records: list[dict], path: Path) -> None:
    """RFC 7946 GeoJSON (WGS-84, lon/lat); lists stay arrays and facts nested objects. Unplaced parks have null
    geometry."""
    collection = {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": r["id"],
                "geometry": None if geometry_of(r) is None else {"type": "Point", "coordinates": [r["lon"], r["lat"]]},
                "properties": r,
            }
            for r in records
        ],
    }
    write_bytes_atomically(path, json.dumps(collection, ensure_ascii=False, indent=1).encode("utf-8"))


def write_csv(records: list[dict], path: Path) -> None:
    """CSV in UTF-8 with a BOM (Excel on Chinese Windows), lon/lat columns, lists '|'-joined, facts as JSON."""
    frame = pd.DataFrame(records_frame(records, flat=True).drop(columns="geometry"))
    write_bytes_atomically(path, BOM + frame.to_csv(index=False).encode("utf-8"))


def write_gpkg(records: list[dict], path: Path) -> None:
    """GeoPackage, layer 'parks', WGS-84; lists '|'-joined and facts as JSON text, as in the CSV."""
    frame = records_frame(records, flat=True)
    write_atomically(path, lambda tmp: frame.to_file(tmp, layer="parks", driver="GPKG", engine="pyogrio"))


@dataclass(frozen=True)
class Format:
    """An export format: its key (also the file suffix), MIME type, and writer (None for the HTML map)."""

    key: str
    mime: str
    write: Callable[[list[dict], Path], None] | None = None


FORMATS: dict[str, Format] = {
    f.key: f
    for f in (
        Format("html", "text/html"),
        Format("geojson", "application/geo+json", write_geojson),
        Format("csv", "text/csv", write_csv),
        Format("gpkg", "application/geopackage+sqlite3", write_gpkg),
    )
}
