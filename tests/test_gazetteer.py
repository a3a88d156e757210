"""The offline gazetteer finds the atlas's places by any of their names."""

from __future__ import annotations

import pytest

from geo.gazetteer import load_gazetteer, normalise_name, toneless_pinyin

from .conftest import DATA


@pytest.fixture(scope="module")
def gazetteer():
    return load_gazetteer(DATA)


@pytest.mark.parametrize(
    "query, key",
    [
        ("亦庄", "beijing-etown"),
        ("E-Town", "beijing-etown"),
        ("BDA", "beijing-etown"),
        ("yizhuang", "beijing-etown"),
        ("首钢园", "shougang-park"),
        ("Shou Gang Yuan", "shougang-park"),
        ("shougangyuan", "shougang-park"),
        ("ZPARK", "zpark"),
        ("中关村软件园", "zpark"),
        ("PEK", "pek"),
        ("北京西站", "beijing-west"),
        ("Miyun District", "110118"),
        ("密云", "110118"),
        ("E-Town integrated-circuit cluster", "etown-ic"),
    ],
)
def test_exact_names_aliases_and_pinyin(gazetteer, query, key):
    found = gazetteer.find(query)
    assert found is not None and found.place.key == key and found.match == "exact"


def test_park_inside_an_address_beats_its_district(gazetteer):
    found = gazetteer.find("北京市石景山区首钢园金安路1号")
    assert found.place.key == "shougang-park" and found.match == "partial"


def test_places_without_a_sourced_point_are_not_offered(gazetteer):
    # The VR park has no sourced location: the gazetteer must not invent one.
    found = gazetteer.find("中关村虚拟现实产业园")
    assert found is None or found.place.key != "zgc-vr-park"


def test_converted_datum_is_used_for_gcj02_rows(gazetteer):
    place = next(p for p in gazetteer.places if p.key == "zgc-shunyi")
    assert (place.lon, place.lat) == pytest.approx((116.558365, 40.113044), abs=2e-6)


def test_unknown_place_is_none(gazetteer):
    assert gazetteer.find("火星基地") is None
    assert gazetteer.find("   ") is None


def test_normalisation_and_pinyin():
    assert normalise_name("Zhongguancun  Software-Park") == "zhongguancunsoftwarepark"
    assert normalise_name("ＺＰＡＲＫ") == "zpark"
    assert toneless_pinyin("中关村") == "zhongguancun"
    assert toneless_pinyin("Zpark") == ""
