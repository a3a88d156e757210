"""The map: the only code that builds folium objects. The app shows what it builds; exports write it to a file."""

from __future__ import annotations

from .build import MapBasis, MapContent, build_map, prepare_basis
from .layout import build_layout_map
from .live import LiveBase, base_of, live_base, live_state, sector_filter
from .overlay import MapRequest
from .overlays import SPECS, layer_spec
from .spec import BASEMAPS, Basemap, basemap

__all__ = [
    "BASEMAPS",
    "SPECS",
    "Basemap",
    "MapBasis",
    "MapContent",
    "LiveBase",
    "MapRequest",
    "basemap",
    "build_layout_map",
    "base_of",
    "build_map",
    "layer_spec",
    "live_base",
    "live_state",
    "sector_filter",
    "prepare_basis",
]
