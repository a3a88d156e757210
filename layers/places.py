"""Finding a place by the name a person types: parks, clusters, airports, stations, landmarks, districts, coordinates.

Offline, from the atlas's own data. One exact name gives one place; anything else (a shared name, a name inside an
address, a short form, a misspelling) gives candidates to choose from, never a silent guess.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from geo.coordinates import CoordinateError, looks_like_coordinates, parse_coordinates
from geo.gazetteer import Gazetteer, Place, load_gazetteer
from geo.geocode import Geocoder
from geo.geocode.providers import GazetteerProvider

from .model.load import DEFAULT_DATA_DIR


@dataclass(frozen=True)
class PlaceMatch:
    """A place found for a query, in WGS-84, with what it is and how far its point may be from it."""

    key: str
    kind: str  # park, cluster, airport, rail station, landmark, district, or coordinates
    name_en: str
    name_zh: str
    lon: float
    lat: float
    precision_m: float | None

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en


@dataclass(frozen=True)
class PlaceLookup:
    """The outcome of a lookup: ``place`` when unambiguous; else ``candidates`` (maybe none); ``error`` for bad
    coordinates."""

    query: str
    place: PlaceMatch | None
    candidates: tuple[PlaceMatch, ...] = ()
    error: str = ""


@lru_cache(maxsize=1)
def gazetteer() -> Gazetteer:
    """The atlas's places, read once per process."""
    return load_gazetteer(DEFAULT_DATA_DIR)


@lru_cache(maxsize=1)
def offline_geocoder() -> Geocoder:
    """The atlas's own places as a geocoder (for addresses in company lists): no network, no cache needed."""
    return Geocoder(GazetteerProvider(gazetteer()))


def _match(place: Place) -> PlaceMatch:
    return PlaceMatch(place.key, place.kind, place.name_en, place.name_zh, place.lon, place.lat, place.precision_m)


def find_place(query: str) -> PlaceLookup:
    """A typed name, alias, pinyin, code or coordinate pair -> the place, or the candidates a person may mean."""
    query = query.strip()
    if looks_like_coordinates(query):
        try:
            point = parse_coordinates(query)
        except CoordinateError as error:
            return PlaceLookup(query, None, error=str(error))
        return PlaceLookup(query, PlaceMatch("coordinates", "coordinates", query, query, point.lon, point.lat, None))
    found = gazetteer().lookup(query)
    if found.place is not None:
        return PlaceLookup(query, _match(found.place))
    return PlaceLookup(query, None, tuple(_match(c.place) for c in found.candidates))


def place_by_key(key: str) -> PlaceMatch | None:
    """A place by its key (park or hub id, cluster id, district adcode), e.g. one chosen among candidates."""
    for place in gazetteer().places:
        if place.key == key:
            return _match(place)
    return None
