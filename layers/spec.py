"""Small frozen value types that describe what is drawn: basemaps (with their datum) and layers."""

from __future__ import annotations

import os
from dataclasses import dataclass

import xyzservices.providers as xyz

from geo.datums import Datum


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
    """One map layer: a stable key, its titles, and whether it is shown unless switched off."""

    key: str
    title_en: str
    title_zh: str
    shown: bool = True

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


LAYERS: tuple[LayerSpec, ...] = (
    LayerSpec("districts", "Districts", "行政区"),
    LayerSpec("extents", "Park extents (schematic)", "园区范围(示意)"),
    LayerSpec("clusters", "Industry clusters", "产业集群"),
    LayerSpec("parks", "Parks", "园区"),
    LayerSpec("hubs", "Airports and stations", "机场与车站"),
)
