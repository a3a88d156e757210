"""The closed vocabularies of the data model, as enums: a value outside one is a typo the validator reports.

Their values are what the CSV files and exports hold; their labels live in ``layers/labels`` (en.toml, zh.toml).
"""

from __future__ import annotations

from enum import StrEnum


class ParkKind(StrEnum):
    """What a row is physically: a park, a sub-park of another, or a functional zone of several places."""

    PARK = "park"
    SUB_PARK = "sub-park"
    FUNCTIONAL_ZONE = "functional zone"


class PointRole(StrEnum):
    """How a recorded point stands for its park: a sourced place in or at it, or a sourced stand-in."""

    ANCHOR = "anchor"
    FALLBACK = "fallback"


class Placement(StrEnum):
    """Where the loader draws a park: its recorded point (anchor or stand-in), its district's or the city's point."""

    ANCHOR = "anchor"
    FALLBACK = "fallback"
    DISTRICT = "district"
    CITY = "city"
    NONE = "none"


class Level(StrEnum):
    """A row's designation: the 2018 catalogue's levels, then the atlas's own groups."""

    NATIONAL = "national"
    PROVINCIAL = "provincial"
    SUB_PARK = "sub-park"
    SCIENCE_CITY = "science-city"
    SPECIALISED = "specialised"
    BONDED = "bonded"
    FTZ = "ftz"
    FTZ_AREA = "ftz-area"
    FUNCTIONAL = "functional"


class CatalogueType(StrEnum):
    """The 2018 catalogue's zone types (开发区类型)."""

    ETDZ = "etdz"
    HITECH_ZONE = "hitech_zone"
    CUSTOMS_ZONE = "customs_zone"
    EDZ = "edz"
    INDUSTRIAL_PARK = "industrial_park"


class HubKind(StrEnum):
    """The places investors travel to and from."""

    AIRPORT = "airport"
    RAIL_STATION = "rail station"
    LANDMARK = "landmark"


def values(vocabulary: type[StrEnum]) -> tuple[str, ...]:
    """A vocabulary's values, in order, as the tables hold them."""
    return tuple(member.value for member in vocabulary)
