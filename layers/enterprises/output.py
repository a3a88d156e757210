"""Writing an enriched company list, its problem report and its counts: CSV, GeoJSON or GeoPackage."""

from __future__ import annotations

import io
import tempfile
from pathlib import Path

import geopandas as gpd
import pandas as pd
import pyarrow as pa
import pyarrow.csv as pacsv

from geo.csvfile import neutralise, neutralise_column

from ..files import BOM, write_atomically
from .storage import Location

OUTPUT_FORMATS = ("csv", "geojson", "gpkg")
MIME_TYPES = {"csv": "text/csv", "geojson": "application/geo+json", "gpkg": "application/geopackage+sqlite3"}


def safe_for_spreadsheets(frame: pd.DataFrame) -> pd.DataFrame:
    """Text cells (and headers) that a spreadsheet would run as formulas get a leading "'"; bidi controls made
    visible."""
    safe = frame.copy(deep=False)
    for column in safe.columns:
        if safe[column].dtype == object or pd.api.types.is_string_dtype(safe[column]):
            safe[column] = neutralise_column(safe[column])
    safe.columns = [neutralise(str(c)) for c in safe.columns]
    return safe


def write_csv_rows(frame: pd.DataFrame, handle, header: bool = True, keep_formulas: bool = False) -> None:
    """Rows as CSV (UTF-8) to an open binary file: pyarrow's writer, 20x pandas' at a million rows.

    Both engines write through here, so their files are byte for byte the same. Cells that would run as formulas in
    Excel are neutralised unless ``keep_formulas`` (the user asked for the text exactly as it came).
    """
    table = pa.Table.from_pandas(frame if keep_formulas else safe_for_spreadsheets(frame), preserve_index=False)
    pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=header, quoting_style="needed"))


def _csv(frame: pd.DataFrame, path: Path, keep_formulas: bool = False) -> None:
    # UTF-8 with a BOM: Excel on Chinese Windows then reads the names right.
    with open(path, "wb") as handle:
        handle.write(BOM)
        write_csv_rows(frame, handle, keep_formulas=keep_formulas)


def as_geodataframe(enriched: pd.DataFrame) -> gpd.GeoDataFrame:
    """Points at atlas_lon/atlas_lat (WGS-84); rows that were not placed keep an empty geometry, not dropped."""
    placed = enriched["atlas_lon"].notna() & enriched["atlas_lat"].notna()
    geometry = gpd.points_from_xy(enriched["atlas_lon"].where(placed), enriched["atlas_lat"].where(placed))
    frame = gpd.GeoDataFrame(enriched.reset_index(drop=True), geometry=geometry, crs="EPSG:4326")
    frame.loc[~placed.to_numpy(), "geometry"] = None
    return frame


def write_enriched(enriched: pd.DataFrame, path: Path, fmt: str | None = None, keep_formulas: bool = False) -> None:
    """Every row and column of the list with the atlas's findings, atomically."""
    fmt = fmt or Path(path).suffix.lower().lstrip(".")
    if fmt == "csv":
        write_atomically(path, lambda tmp: _csv(enriched, tmp, keep_formulas))
    elif fmt == "geojson":
        write_atomically(path, lambda tmp: as_geodataframe(enriched).to_file(tmp, driver="GeoJSON", engine="pyogrio"))
    elif fmt == "gpkg":
        write_atomically(
            path,
            lambda tmp: as_geodataframe(enriched).to_file(tmp, driver="GPKG", layer="enterprises", engine="pyogrio"),
        )
    else:
        raise ValueError(f"unknown format {fmt!r}: expected one of {', '.join(OUTPUT_FORMATS)}")


def write_report(report: pd.DataFrame, path: Path, keep_formulas: bool = False) -> None:
    write_atomically(path, lambda tmp: _csv(report, tmp, keep_formulas))


def write_counts(counts: pd.DataFrame, target: Path | Location) -> None:
    """The counts as CSV: into a local path atomically, or into a location the caller stages (any filesystem)."""
    if isinstance(target, Location):
        with target.open("wb") as handle:
            handle.write(table_bytes(counts))
    else:
        write_atomically(target, lambda tmp: _csv(counts, tmp))


def enriched_bytes(enriched: pd.DataFrame, fmt: str, keep_formulas: bool = False) -> bytes:
    """The enriched list as a file's bytes, for a download button: the same writers as the command."""
    if fmt == "csv":
        return table_bytes(enriched, keep_formulas)
    with tempfile.TemporaryDirectory(prefix="atlas-enterprises-") as folder:
        path = Path(folder) / f"enterprises.{fmt}"
        write_enriched(enriched, path, fmt)
        return path.read_bytes()


def table_bytes(frame: pd.DataFrame, keep_formulas: bool = False) -> bytes:
    """A list, report or counts table as CSV bytes (UTF-8 with BOM)."""
    buffer = io.BytesIO()
    buffer.write(BOM)
    write_csv_rows(frame, buffer, keep_formulas=keep_formulas)
    return buffer.getvalue()
