"""An enriched company list as GeoParquet (1.1): one folder per district, points sorted along a Hilbert curve.

    OUT/district=110105/part-000003.parquet   (Hive-style: readers can skip a district's folder)
    OUT/district=none/                      (firms in no district: outside Beijing, or not placed)

Each file holds every input and atlas_* column as text, as the CSV does, plus ``atlas_lon``/``atlas_lat`` as
numbers, ``geometry`` (WKB points in OGC:CRS84, i.e. WGS-84 longitude/latitude; empty where a firm has no point)
and a ``bbox`` struct that the file's metadata declares as the geometry's covering, so a reader filtering by area
prunes row groups by their statistics. Each worker writes its own partition's files: nothing is gathered.
"""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import shapely

from geo.hilbert import hilbert_index

from .storage import Location

PARTITION_KEY = "district"
NO_DISTRICT = "none"
#: Rows per row group: small enough that a box query skips most of a big district's file.
ROW_GROUP_ROWS = 50_000
#: The Hilbert curve spans Beijing and its surroundings; points beyond it share the edge cells.
CURVE_BOUNDS = (115.0, 39.0, 118.0, 41.5)
NUMERIC = ("atlas_lon", "atlas_lat")


def geo_metadata(bbox: list[float] | None) -> dict:
    """The file's ``geo`` metadata: one WKB point column in CRS84 (GeoParquet's default CRS), bbox as covering."""
    column = {
        "encoding": "WKB",
        "geometry_types": ["Point"],
        "covering": {"bbox": {k: ["bbox", k] for k in ("xmin", "ymin", "xmax", "ymax")}},
    }
    if bbox is not None:
        column["bbox"] = bbox
    return {"version": "1.1.0", "primary_column": "geometry", "columns": {"geometry": column}}


def to_table(frame: pd.DataFrame) -> pa.Table:
    """The rows as an Arrow table with geometry, bbox and geo metadata, in Hilbert order."""
    lon = pd.to_numeric(frame["atlas_lon"], errors="coerce").to_numpy(dtype=float)
    lat = pd.to_numeric(frame["atlas_lat"], errors="coerce").to_numpy(dtype=float)
    order = np.argsort(hilbert_index(lon, lat, CURVE_BOUNDS), kind="stable")
    frame, lon, lat = frame.iloc[order], lon[order], lat[order]
    has_point = np.isfinite(lon) & np.isfinite(lat)
    points = np.full(len(frame), None, dtype=object)
    points[has_point] = shapely.to_wkb(shapely.points(lon[has_point], lat[has_point]))
    text = {c: frame[c].fillna("").astype(str).to_numpy(dtype=object) for c in frame.columns if c not in NUMERIC}
    arrays: dict[str, pa.Array] = {c: pa.array(values, pa.string()) for c, values in text.items()}
    arrays["atlas_lon"] = pa.array(np.where(has_point, lon, np.nan), pa.float64(), mask=~has_point)
    arrays["atlas_lat"] = pa.array(np.where(has_point, lat, np.nan), pa.float64(), mask=~has_point)
    arrays["geometry"] = pa.array(points, pa.binary())
    corner = [pa.array(np.where(has_point, v, np.nan), pa.float64(), mask=~has_point) for v in (lon, lat)]
    arrays["bbox"] = pa.StructArray.from_arrays(
        [corner[0], corner[1], corner[0], corner[1]], names=["xmin", "ymin", "xmax", "ymax"], mask=pa.array(~has_point)
    )
    table = pa.table(
        [arrays[c] for c in [*frame.columns, "geometry", "bbox"]], names=[*frame.columns, "geometry", "bbox"]
    )
    bbox = (
        [
            float(lon[has_point].min()),
            float(lat[has_point].min()),
            float(lon[has_point].max()),
            float(lat[has_point].max()),
        ]
        if has_point.any()
        else None
    )
    return table.replace_schema_metadata({b"geo": json.dumps(geo_metadata(bbox)).encode("utf-8")})


def write_partition(frame: pd.DataFrame, folder: Location, number: int) -> int:
    """This partition's rows into ``folder``, one file per district; returns how many files were written."""
    districts = frame["atlas_district"].fillna("").astype(str)
    written = 0
    for district, rows in frame.groupby(districts.to_numpy(), sort=True):
        name = f"{PARTITION_KEY}={district or NO_DISTRICT}/part-{number:06d}.parquet"
        with folder.child(name).open("wb") as handle:
            pq.write_table(to_table(rows), handle, row_group_size=ROW_GROUP_ROWS, compression="zstd")
        written += 1
    return written
