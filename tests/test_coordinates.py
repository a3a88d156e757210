"""Coordinates as people type them, in either order, in degrees-minutes-seconds, in any datum."""

from __future__ import annotations

import pytest

from geo.coordinates import CoordinateError, looks_like_coordinates, parse_coordinates
from geo.datums import gcj02_to_wgs84

TIANANMEN = (116.39167, 39.90333)

FORMS = {
    "lat, lon": "39.90333, 116.39167",
    "lon, lat": "116.39167, 39.90333",
    "space separated": "39.90333 116.39167",
    "brackets": "(39.90333, 116.39167)",
    "full-width comma": "39.90333，116.39167",
    "hemisphere letters after": "39.90333N 116.39167E",
    "lon first with letters": "116.39167E, 39.90333N",
    "DMS": "39°54'12\"N 116°23'30\"E",
    "DMS with primes": "39°54′12″N, 116°23′30″E",
    "Chinese hemispheres": "北纬39°54′12″ 东经116°23′30″",
    "degrees and bare minutes": "N39 54.2 E116 23.5",
}


@pytest.mark.parametrize("text", FORMS.values(), ids=FORMS.keys())
def test_every_common_form_reads_as_tiananmen(text):
    assert looks_like_coordinates(text)
    point = parse_coordinates(text)
    assert (point.lon, point.lat) == pytest.approx(TIANANMEN, abs=2e-4)


def test_auto_order_says_when_it_read_lon_first():
    point = parse_coordinates("116.39167, 39.90333")
    assert point.order == "lonlat" and "lon, lat" in point.note


def test_declared_order_that_only_fits_swapped_is_reported():
    with pytest.raises(CoordinateError, match="look swapped"):
        parse_coordinates("116.39167, 39.90333", order="latlon")


def test_declared_order_is_used_when_it_fits():
    point = parse_coordinates("116.39167, 39.90333", order="lonlat")
    assert (point.lon, point.lat) == TIANANMEN and point.note == ""


def test_gcj02_input_is_converted_to_wgs84():
    point = parse_coordinates("39.9086, 116.3975", datum="gcj02")
    assert point.datum_source == "gcj02" and (point.recorded_lon, point.recorded_lat) == (116.3975, 39.9086)
    assert (point.lon, point.lat) == pytest.approx(gcj02_to_wgs84(116.3975, 39.9086))


def test_bd09_is_accepted():
    assert parse_coordinates("39.915, 116.404", datum="bd09").datum_source == "bd09"


@pytest.mark.parametrize(
    "text, message",
    [
        ("95.0, 116.4", "latitude 95.0 is out of range"),
        ("39.9", "expected two coordinates, found 1"),
        ("39°75'N 116°23'E", "minutes and seconds must be below 60"),
        ("39.9N 40.1S", "one must be N/S and one E/W"),
    ],
)
def test_bad_coordinates_say_what_is_wrong(text, message):
    with pytest.raises(CoordinateError, match=message):
        parse_coordinates(text)


def test_unknown_datum_is_refused():
    with pytest.raises(ValueError, match="unknown datum"):
        parse_coordinates("39.9, 116.4", datum="cgcs2000")


@pytest.mark.parametrize("text", ["北京市海淀区中关村大街1号", "Shougang Park", "Building 3, Room 101", ""])
def test_addresses_are_not_taken_for_coordinates(text):
    assert not looks_like_coordinates(text)
