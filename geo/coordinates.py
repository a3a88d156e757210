"""Coordinates typed by a person: "39.9, 116.4", "116.4 39.9", 39°54'15"N 116°24'27"E, 北纬39°54′ 东经116°24′.

Decimal pairs come in either order. The order is read from hemisphere letters when they are given;
otherwise it is the declared one, checked against Beijing's extent, and a pair that only makes sense the
other way round is reported as likely swapped rather than silently accepted.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .crs import in_beijing_box
from .datums import Datum, convert, parse_datum

ORDERS = ("auto", "latlon", "lonlat")

_NUMBER = r"[-+]?\d+(?:\.\d+)?"
# One coordinate: optional hemisphere before, degrees with optional minutes and seconds, optional hemisphere after.
_COMPONENT = re.compile(
    rf"""
    (?P<pre>[NSEW])?\s*
    (?P<deg>{_NUMBER})\s*(?:°|º|度|d(?![a-z]))?\s*
    (?:(?P<min>\d+(?:\.\d+)?)\s*(?:'|′|分|m(?![a-z]))\s*)?
    (?:(?P<sec>\d+(?:\.\d+)?)\s*(?:"|″|''|′′|秒|s(?![a-z]))\s*)?
    (?P<post>[NSEW])?
    """,
    re.VERBOSE | re.IGNORECASE,
)
_CHINESE_HEMISPHERES = {"北纬": "N", "南纬": "S", "东经": "E", "西经": "W"}


class CoordinateError(ValueError):
    """Text that is not a usable coordinate pair; the message says why."""


@dataclass(frozen=True)
class TypedPoint:
    """A coordinate pair read from text, converted to WGS-84."""

    lon: float
    lat: float
    datum_source: str
    recorded_lon: float
    recorded_lat: float
    order: str
    note: str = ""


def _normalise(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).strip()
    for word, letter in _CHINESE_HEMISPHERES.items():
        text = text.replace(word, f" {letter}")
    return text.replace("，", ",").replace("；", ";")


def looks_like_coordinates(text: str) -> bool:
    """Whether text is made only of two numbers, degree marks, hemispheres and separators."""
    cleaned = _normalise(text)
    if not re.search(r"\d", cleaned):
        return False
    return (
        re.fullmatch(r"[\s\d.,;:+\-°º'′″\"NSEWnsewdms度分秒()\[\]]+", cleaned) is not None
        and len(re.findall(_NUMBER, cleaned)) >= 2
    )


def _component_value(match: re.Match) -> tuple[float, str | None]:
    degrees = float(match["deg"])
    minutes = float(match["min"] or 0)
    seconds = float(match["sec"] or 0)
    if minutes >= 60 or seconds >= 60:
        raise CoordinateError(f"minutes and seconds must be below 60 in {match.group(0).strip()!r}")
    value = abs(degrees) + minutes / 60 + seconds / 3600
    hemisphere = (match["pre"] or match["post"] or "").upper() or None
    if (hemisphere in ("S", "W")) or degrees < 0:
        value = -value
    return value, hemisphere


def _mark_bare_minutes(text: str) -> str:
    """'N39 54.25 E116 24.45' -> 'N39° 54.25′ E116° 24.45′': numbers after a hemisphere letter are d m s."""
    groups = re.findall(rf"([NSEW])\s*((?:{_NUMBER}\s*){{1,3}})", text, flags=re.IGNORECASE)
    if len(groups) != 2 or re.search(r"[°º'′″\"]", text):
        return text
    marked = []
    for letter, numbers in groups:
        parts = numbers.split()
        marked.append(letter + "".join(f"{n}{mark}" for n, mark in zip(parts, ("°", "′", "″"), strict=False)))
    return " ".join(marked)


def _split_components(text: str) -> list[re.Match]:
    text = _mark_bare_minutes(text)
    matches = [m for m in _COMPONENT.finditer(text) if m.group(0).strip() and m["deg"]]
    if len(matches) != 2:
        raise CoordinateError(f"expected two coordinates, found {len(matches)} in {text!r}")
    return matches


def parse_coordinates(text: str, datum: str | Datum = Datum.WGS84, order: str = "auto") -> TypedPoint:
    """Read a coordinate pair from text and return it in WGS-84 (converted from ``datum``).

    ``order`` is 'latlon', 'lonlat' or 'auto' (decided by hemisphere letters, else by Beijing's extent,
    else the usual 'lat, lon'). A declared order that only fits Beijing the other way round raises a
    CoordinateError saying the pair looks swapped.
    """
    if order not in ORDERS:
        raise CoordinateError(f"unknown order {order!r}: expected one of {', '.join(ORDERS)}")
    source = parse_datum(datum)
    cleaned = _normalise(text)
    first, second = (_component_value(m) for m in _split_components(cleaned))
    (a, hem_a), (b, hem_b) = first, second

    note = ""
    if hem_a or hem_b:
        if {hem_a, hem_b} - {None} <= {"N", "S"} or {hem_a, hem_b} - {None} <= {"E", "W"}:
            if hem_a and hem_b:
                raise CoordinateError(
                    f"both coordinates are marked {hem_a}/{hem_b} in {text!r}: one must be N/S and one E/W"
                )
        lat_first = hem_a in ("N", "S") or hem_b in ("E", "W")
        resolved = "latlon" if lat_first else "lonlat"
        if order != "auto" and order != resolved:
            note = f"hemisphere letters say {resolved}, overriding the declared {order}"
    elif order == "auto":
        if in_beijing_box(a, b) and not in_beijing_box(b, a):
            resolved, note = "lonlat", "read as lon, lat: only that order falls in Beijing"
        else:
            resolved = "latlon"
    else:
        resolved = order
        lon, lat = (b, a) if resolved == "latlon" else (a, b)
        if not in_beijing_box(lon, lat) and in_beijing_box(lat, lon):
            raise CoordinateError(
                f"{text!r} read as {resolved} gives lon={lon}, lat={lat}, outside Beijing; "
                f"the other order falls in Beijing, so lat and lon look swapped"
            )

    lat, lon = (a, b) if resolved == "latlon" else (b, a)
    if not -90 <= lat <= 90:
        raise CoordinateError(f"latitude {lat} is out of range (-90..90) in {text!r}")
    if not -180 <= lon <= 180:
        raise CoordinateError(f"longitude {lon} is out of range (-180..180) in {text!r}")
    wgs_lon, wgs_lat = convert(lon, lat, source, Datum.WGS84)
    return TypedPoint(float(wgs_lon), float(wgs_lat), source.value, lon, lat, resolved, note)
