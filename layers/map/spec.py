"""Small frozen value types that describe what is drawn: basemaps (with their datum) and layers."""

from __future__ import annotations

import os
from dataclasses import dataclass
from enum import StrEnum

import xyzservices
import xyzservices.providers as xyz

from geo.datums import Datum

from ..labels import text


@dataclass(frozen=True)
class Basemap:
    """A tile basemap, or none. ``datum`` is the datum its tiles are drawn in: overlays are shifted to it."""

    key: str
    datum: Datum = Datum.WGS84
    provider: str | None = None  # dotted xyzservices name, e.g. "OpenStreetMap.Mapnik"
    token_env: str | None = None  # environment variable holding a required API key
    #: Serve the tiles over https where xyzservices still lists http (a page served over https blocks http tiles).
    https: bool = False

    def __post_init__(self) -> None:
        if self.provider is not None:
            xyz.query_name(self.provider)  # fail at definition time on a misspelt provider

    def tile_provider(self) -> xyzservices.TileProvider | None:
        """The xyzservices TileProvider (with its key filled in), or None for the no-tiles basemap."""
        if self.provider is None:
            return None
        provider = xyz.query_name(self.provider)
        if self.token_env and os.environ.get(self.token_env):
            provider = provider(apikey=os.environ[self.token_env])
        if self.https and provider.url.startswith("http://"):
            provider = provider(url="https://" + provider.url.removeprefix("http://"))
        return provider

    @property
    def available(self) -> bool:
        """False when the tiles need a key that is not set."""
        return self.token_env is None or bool(os.environ.get(self.token_env))

    def label(self, lang: str) -> str:
        return text(lang)[f"basemap_{self.key}"]


BASEMAPS: tuple[Basemap, ...] = (
    Basemap("osm", Datum.WGS84, "OpenStreetMap.Mapnik"),
    Basemap("positron", Datum.WGS84, "CartoDB.Positron", token_env="CARTO_API_KEY"),
    Basemap("imagery", Datum.WGS84, "Esri.WorldImagery"),
    Basemap("gaode", Datum.GCJ02, "Gaode.Normal", https=True),
    Basemap("none", Datum.WGS84, None),
)
_BASEMAPS = {b.key: b for b in BASEMAPS}


def basemap(key: str) -> Basemap:
    """The basemap called ``key``; ValueError names the choices."""
    try:
        return _BASEMAPS[key]
    except KeyError:
        raise ValueError(f"unknown basemap {key!r}: expected one of {', '.join(_BASEMAPS)}") from None


class Geometry(StrEnum):
    """What a layer's features are."""

    POINT = "point"
    POLYGON = "polygon"
    LINE = "line"
    CANVAS = "canvas"


@dataclass(frozen=True)
class LayerSpec:
    """One map layer: a stable key (its title comes from the labels), what it draws, and whether it starts on."""

    key: str
    geometry: Geometry
    shown: bool = True
    #: only drawn when a company list is loaded
    needs_firms: bool = False

    def title(self, lang: str) -> str:
        return text(lang)[f"layer_{self.key}"]
