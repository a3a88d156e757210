"""The providers' answers parsed without a network, from responses in each provider's format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from geo.crs import distance_km
from geo.geocode.model import PermanentError, TransientError
from geo.geocode.parsing import parse_amap_geocode, parse_nominatim_place

FIXTURES = Path(__file__).parent / "fixtures" / "geocode"


def load(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def test_amap_answer_is_converted_from_gcj02_to_wgs84():
    candidate = parse_amap_geocode(load("amap_ok.json"))
    assert candidate.datum_source == "gcj02"
    assert candidate.match == "amap:兴趣点" and candidate.precision_m == 100
    assert candidate.label == "北京市海淀区中关村软件园"
    # AMap's GCJ-02 point for Xi'erqi, converted, meets OpenStreetMap's WGS-84 node within metres.
    assert distance_km(candidate.lon, candidate.lat, 116.3001813, 40.0517165) * 1000 < 15


def test_amap_empty_answer_is_not_found():
    assert parse_amap_geocode(load("amap_not_found.json")) is None


def test_amap_bad_key_is_permanent():
    with pytest.raises(PermanentError, match="10001 INVALID_USER_KEY"):
        parse_amap_geocode(load("amap_invalid_key.json"))


def test_amap_rate_limit_is_transient():
    with pytest.raises(TransientError, match="10021"):
        parse_amap_geocode(load("amap_qps_exceeded.json"))


@pytest.mark.parametrize("payload", ["<html>busy</html>", {"geocodes": []}, None])
def test_amap_non_answers_are_permanent(payload):
    with pytest.raises(PermanentError):
        parse_amap_geocode(payload)


def test_amap_unreadable_location_is_permanent():
    with pytest.raises(PermanentError, match="no readable location"):
        parse_amap_geocode(load("amap_bad_location.json"))


def test_nominatim_answer_is_kept_in_wgs84():
    candidate = parse_nominatim_place(load("nominatim_ok.json")[0])
    assert (candidate.lon, candidate.lat) == (116.3001813, 40.0517165)
    assert candidate.datum_source == "wgs84" and candidate.match == "nominatim:railway/station"
    assert candidate.label.startswith("西二旗")
    assert 500 < candidate.precision_m < 800  # half the diagonal of a 0.01° box


def test_nominatim_no_answer_is_not_found():
    assert load("nominatim_empty.json") == []
    assert parse_nominatim_place(None) is None


@pytest.mark.parametrize(
    "raw", [{"lat": "x", "lon": "116"}, {"display_name": "no coordinates"}, ["not", "an", "object"]]
)
def test_nominatim_unreadable_answers_are_permanent(raw):
    with pytest.raises(PermanentError):
        parse_nominatim_place(raw)
