"""Exports of what the map shows: a self-contained offline HTML map, and the data as GeoJSON, CSV or GeoPackage.

One code path for the app's download buttons and the command (``python -m layers.export``).
"""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

from ..errors import UnknownKey
from ..files import write_bytes_atomically
from ..map import MapRequest
from ..model.load import Atlas
from ..selection import Shown
from .html import data_as_of, describe_selection, html_page
from .records import EXPORT_COLUMNS, LABEL_COLUMNS, export_records, read_records
from .writers import FORMATS, Format

__all__ = [
    "EXPORT_COLUMNS",
    "FORMATS",
    "LABEL_COLUMNS",
    "Format",
    "data_as_of",
    "describe_selection",
    "export_bytes",
    "export_data",
    "export_filename",
    "export_html",
    "export_records",
    "read_records",
]


def export_html(atlas: Atlas, shown: Shown, request: MapRequest, path: Path, firms: Any = None) -> int:
    """Write the offline HTML map; return the number of parks drawn."""
    page, count = html_page(atlas, shown, request, firms)
    write_bytes_atomically(path, page.encode("utf-8"))
    return count


def export_data(atlas: Atlas, shown: Shown, path: Path, fmt: str | None = None, lang: str = "en") -> int:
    """Write the parks shown to ``path`` in ``fmt`` (default: the file's suffix); return how many were written."""
    fmt = fmt or Path(path).suffix.lstrip(".")
    chosen = FORMATS.get(fmt)
    if chosen is None or chosen.write is None:
        raise UnknownKey("data format", [fmt], [k for k, f in FORMATS.items() if f.write])
    records = export_records(atlas, shown, lang)
    chosen.write(records, Path(path))
    return len(records)


def export_bytes(atlas: Atlas, shown: Shown, request: MapRequest, fmt: str, firms: Any = None) -> bytes:
    """An export as bytes, for a download button: the command's own writers."""
    if fmt == "html":
        return html_page(atlas, shown, request, firms)[0].encode("utf-8")
    with tempfile.TemporaryDirectory(prefix="atlas-export-") as folder:
        path = Path(folder) / f"atlas.{fmt}"
        export_data(atlas, shown, path, fmt, request.lang)
        return path.read_bytes()


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def export_filename(atlas: Atlas, shown: Shown, fmt: str, stem: str = "beijing-parks") -> str:
    """A file name that says what was exported: 'beijing-parks_integrated-circuits_haidian.csv' (ASCII, portable)."""
    selection = shown.selection
    parts = [stem]
    parts += [_slug(atlas.sectors[c].label_en) for c in atlas.sectors.codes if c in selection.sectors]
    names = dict(zip(atlas.districts["adcode"], atlas.districts["name_en"], strict=True))
    parts += [_slug(names.get(d, d)) for d in sorted(selection.districts)]
    parts += [_slug(k) for k in sorted(selection.kinds)]
    parts += [_slug(k) for k in sorted(selection.levels)]
    if selection.text:
        parts.append("search-" + (_slug(selection.text) or "text"))
    if len(parts) == 1:
        parts.append("all")
    name = "_".join(p for p in parts if p)
    return f"{name[:120]}.{fmt}"
