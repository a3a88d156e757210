"""What every map layer module shares: the request a map is built for, what drawing needs, and what it gives back.

A layer is one module under ``overlays/`` with a ``SPEC`` (a ``LayerSpec``), ``prepare(atlas, lang, datum,
full_cards)`` (its features, made once per language and datum; the app caches them) and ``draw(m, ctx, prepared)``
(what a selection shows, added to the map), returning ``Drawn``: the element it added and what the legend must
say about it. ``overlays.LAYERS`` lists the modules in drawing order.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Protocol

import folium
import geopandas as gpd
import pandas as pd

from geo.datums import Datum, convert_geometry

from ..model.load import Atlas
from ..selection import Selection, Shown
from .spec import LayerSpec

#: Leaflet pane for the district ground, under a company list's canvas (390) and the parks (overlay pane, 400).
GROUND_PANE = "atlasGround"
#: Leaflet pane for the rail network: above the district ground (350), under a company list (390) and the parks.
RAIL_PANE = "atlasRail"
DEFAULT_LAYERS = ("districts", "rail_lines", "extents", "clusters", "parks", "hubs", "enterprises")


@dataclass(frozen=True)
class MapRequest:
    """Everything a map depends on besides the data; hashable, so a rendered map can be cached by it."""

    selection: Selection = Selection()
    basemap: str = "osm"
    lang: str = "en"
    layers: tuple[str, ...] = DEFAULT_LAYERS
    #: (lon, lat, radius_km) of a search radius to draw, WGS-84
    circle: tuple[float, float, float] | None = None
    #: (zoom, lat, lon) to open at, in the basemap's datum (a link's view); None fits the map to what it shows
    view: tuple[int, float, float] | None = None


@dataclass(frozen=True)
class DrawContext:
    """What a layer's ``draw`` may read: the selection's result and how the page is being made."""

    atlas: Atlas
    shown: Shown
    lang: str
    datum: Datum
    titles: Mapping[str, str]
    #: park id -> fill colour (its colouring sector's)
    colour_of: Mapping[str, str]
    #: no tiles: the districts are the ground
    background: bool = False
    #: an exported file: its legend filters in the page
    filterable: bool = False
    #: the app serves the district outlines at this URL instead of embedding them
    districts_url: str | None = None
    firms: Any = None
    #: every layer key switched on
    switched_on: frozenset[str] = field(default_factory=frozenset)
    #: the app's kept map: every feature is drawn, and the page shows what each selection leaves (``Drawn.parts``)
    live: bool = False


@dataclass(frozen=True)
class Drawn:
    """What one layer added: the folium element (for the export's filter to find) and its legend entries."""

    element: Any = None
    sectors: tuple[str, ...] = ()
    extents: bool = False
    rings: bool = False
    standins: bool = False
    unmapped_firms: bool = False
    #: a park shown has no sector recorded (drawn grey; the legend names grey, and an export's box toggles them)
    unsectored: bool = False
    firm_line: str | None = None
    firms_shown: int | None = None
    #: on a live map, the elements the page filters by id, by name (parks, extents, clusters, chosen districts)
    parts: Mapping[str, Any] = field(default_factory=dict)


class Overlay(Protocol):
    """A layer module's face (see the module docstring)."""

    SPEC: LayerSpec

    def prepare(self, atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> Any: ...

    def draw(self, m: folium.Map, ctx: DrawContext, prepared: Any) -> Drawn: ...


def shift(frame: gpd.GeoDataFrame, target: Datum) -> gpd.GeoDataFrame:
    """Overlays are WGS-84; on GCJ-02 tiles they are shifted so they sit on the right streets."""
    if target is Datum.WGS84 or frame.empty:
        return frame
    return frame.set_geometry(convert_geometry(frame.geometry, Datum.WGS84, target))


def geojson(frame: gpd.GeoDataFrame, columns: list[str]) -> dict:
    """Only the columns a tooltip, popup or style uses; values made JSON-safe (NaN and None become null)."""
    clean = frame[[*columns, "geometry"]].copy()
    for column in columns:
        clean[column] = clean[column].map(_json_safe)
    return clean.__geo_interface__


def _json_safe(value: Any) -> Any:
    if isinstance(value, tuple):
        return list(value)
    if value is None or (isinstance(value, float) and pd.isna(value)):
        return None
    return value


def features_by_id(collection: dict) -> dict[str, dict]:
    return {feature["properties"]["id"]: feature for feature in collection["features"]}


def with_properties(feature: dict, **properties: Any) -> dict:
    return {**feature, "properties": {**feature["properties"], **properties}}


def collection(features: list[dict]) -> dict:
    """A FeatureCollection of copies: folium writes ids into the features it is given, and prepared features are
    shared by every session through the cache, so it must never be handed the originals."""
    return {"type": "FeatureCollection", "features": [{**f, "properties": dict(f["properties"])} for f in features]}


def interaction(tooltip: str | None = "tooltip", popup: str | None = None, popup_width: int = 300) -> dict:
    """Tooltip and popup reading pre-escaped HTML properties; the popup pans clear of the controls and legend."""
    found: dict[str, Any] = {}
    if tooltip:
        found["tooltip"] = folium.GeoJsonTooltip(fields=[tooltip], labels=False)
    if popup:
        found["popup"] = folium.GeoJsonPopup(
            fields=[popup],
            labels=False,
            max_width=popup_width,
            auto_pan_padding_top_left=[50, 50],
            auto_pan_padding_bottom_right=[250, 40],
        )
    return found
