"""Small frozen value types that describe what is drawn: basemaps (with their datum) and layers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Callable

import xyzservices.providers as xyz

from geo.datums import Datum

from . import styles


@dataclass(frozen=True)
class Basemap:
    """A tile basemap, or none. ``datum`` is the datum its tiles are drawn in: overlays are shifted to it."""

    key: str
    label_en: str
    label_zh: str
    datum: Datum = Datum.WGS84
    provider: str | None = None  # dotted xyzservices name, e.g. "OpenStreetMap.Mapnik"
    token_env: str | None = None  # environment variable holding a required API key

    def __post_init__(self) -> None:
        if self.provider is not None:
            self.tile_provider()  # fail at definition time on a misspelt provider

    def tile_provider(self):
        """The xyzservices TileProvider (with its key filled in), or None for the no-tiles basemap."""
        if self.provider is None:
            return None
        provider = xyz.query_name(self.provider)
        if self.token_env and os.environ.get(self.token_env):
            provider = provider(apikey=os.environ[self.token_env])
        return provider

    @property
    def available(self) -> bool:
        """False when the tiles need a key that is not set."""
        return self.token_env is None or bool(os.environ.get(self.token_env))

    def label(self, lang: str) -> str:
        return self.label_zh if lang == "zh" else self.label_en


BASEMAPS: tuple[Basemap, ...] = (
    Basemap("osm", "OpenStreetMap", "OpenStreetMap", Datum.WGS84, "OpenStreetMap.Mapnik"),
    Basemap("positron", "CartoDB Positron", "CartoDB 浅色", Datum.WGS84, "CartoDB.Positron", token_env="CARTO_API_KEY"),
    Basemap("imagery", "Esri World Imagery", "Esri 卫星影像", Datum.WGS84, "Esri.WorldImagery"),
    Basemap("gaode", "Gaode (GCJ-02)", "高德地图(GCJ-02)", Datum.GCJ02, "Gaode.Normal"),
    Basemap("none", "No tiles (offline)", "无底图(离线)", Datum.WGS84, None),
)


def basemap(key: str) -> Basemap:
    """The basemap called ``key``; ValueError names the choices."""
    for candidate in BASEMAPS:
        if candidate.key == key:
            return candidate
    raise ValueError(f"unknown basemap {key!r}: expected one of {', '.join(b.key for b in BASEMAPS)}")


@dataclass(frozen=True)
class LayerSpec:
    """One map layer: a stable key, its titles, what it draws, how, and which properties its tooltip and popup show."""

    key: str
    title_en: str
    title_zh: str
    geometry: str  # "point", "polygon" or "line": what the layer's features are
    style: Callable[[dict], dict] | None = None  # a pure function of a feature
    tooltip_field: str | None = "tooltip"
    popup_field: str | None = None
    shown: bool = True

    def __post_init__(self) -> None:
        if self.geometry not in ("point", "polygon", "line"):
            raise ValueError(f"layer {self.key}: geometry must be point, polygon or line, not {self.geometry!r}")

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en

    @property
    def fields(self) -> tuple[str, ...]:
        """The feature properties the layer's tooltip and popup read: all that needs embedding for them."""
        return tuple(f for f in (self.tooltip_field, self.popup_field) if f)


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec("districts", "Districts", "行政区", "polygon", style=None, tooltip_field="name"),
    LayerSpec("extents", "Park extents (schematic)", "园区范围(示意)", "polygon", style=styles.extent_style),
    LayerSpec("clusters", "Industry clusters", "产业集群", "point", style=styles.cluster_style),
    LayerSpec("parks", "Parks", "园区", "point", style=styles.park_style, popup_field="popup"),
    LayerSpec("hubs", "Airports and stations", "机场与车站", "point", style=None),
    # Drawn only when a company list is loaded; canvas-drawn, so no per-feature style or tooltip.
    LayerSpec("enterprises", "Enterprises (your list)", "企业(您的名单)", "point", style=None, tooltip_field=None),
    LayerSpec("heatmap", "Enterprise heatmap", "企业热力图", "point", style=None, tooltip_field=None, shown=False),
)


def layer(key: str) -> LayerSpec:
    """The layer spec called ``key``."""
    for spec in LAYERS:
        if spec.key == key:
            return spec
    raise ValueError(f"unknown layer {key!r}: expected one of {', '.join(s.key for s in LAYERS)}")
