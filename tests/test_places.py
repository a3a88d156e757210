"""Places found by the names people type: one place for its exact name, candidates (never a guess) otherwise."""

from __future__ import annotations

import pytest

from layers.places import find_place, place_by_key

NAMES_PEOPLE_TYPE = [
    # airports
    ("Capital Airport", "pek"),
    ("capital airport", "pek"),
    ("首都机场", "pek"),
    ("北京首都国际机场", "pek"),
    ("PEK", "pek"),
    ("shoudujichang", "pek"),
    ("Daxing airport", "pkx"),
    ("Daxing Airport", "pkx"),
    ("大兴机场", "pkx"),
    ("北京大兴国际机场", "pkx"),
    ("PKX", "pkx"),
    ("daxingjichang", "pkx"),
    # main railway stations
    ("Beijing South", "beijing-south"),
    ("北京南站", "beijing-south"),
    ("北京南", "beijing-south"),
    ("Beijing West", "beijing-west"),
    ("北京西站", "beijing-west"),
    ("beijingxizhan", "beijing-west"),
    ("Beijing Railway Station", "beijing-railway-station"),
    ("北京站", "beijing-railway-station"),
    ("Beijing North", "beijing-north"),
    ("北京朝阳站", "beijing-chaoyang"),
    ("Qinghe Station", "qinghe"),
    ("Fengtai Station", "beijing-fengtai"),
    # landmarks
    ("Guomao", "guomao"),
    ("CBD", "guomao"),
    ("国贸", "guomao"),
    ("Beijing CBD", "guomao"),
    ("China World", "guomao"),
    ("Tiananmen", "tiananmen"),
    ("天安门", "tiananmen"),
    ("Tian'anmen Square", "tiananmen"),
    # parks by name, short form, alias and pinyin
    ("Shougang Park", "shougang-park"),
    ("首钢园", "shougang-park"),
    ("shougangyuan", "shougang-park"),
    ("Zpark", "zpark"),
    ("中关村软件园", "zpark"),
    ("E-Town", "beijing-etown"),
    ("亦庄", "beijing-etown"),
    ("BDA", "beijing-etown"),
    ("Huairou Science City", "huairou-science-city"),
    ("怀柔科学城", "huairou-science-city"),
    ("未来科学城", "future-science-city"),
    ("China Pharmaceutical Valley", "daxing-biomedicine-base"),
    # districts
    ("Miyun", "110118"),
    ("密云区", "110118"),
    ("Shijingshan District", "110107"),
    ("朝阳区", "110105"),
]


@pytest.mark.parametrize("query, key", NAMES_PEOPLE_TYPE)
def test_a_common_name_finds_its_place(query, key):
    found = find_place(query)
    assert found.place is not None and found.place.key == key, (query, found)


def test_the_daxing_airport_is_not_the_daxing_district():
    airport = find_place("Daxing airport").place
    assert airport.kind == "airport" and airport.precision_m <= 1500
    assert find_place("大兴机场").place.key == "pkx" and find_place("大兴").place.key == "110115"


def test_a_lookup_says_what_kind_of_place_and_how_precise():
    station = find_place("Beijing South").place
    assert (station.kind, station.name_en, station.name_zh, station.precision_m) == (
        "rail station",
        "Beijing South railway station",
        "北京南站",
        300.0,
    )


def test_a_name_two_places_share_offers_both():
    found = find_place("Haidian")  # the district, and the Science City that has 'Haidian' as an alias
    assert found.place is None
    assert {"110108", "zgc-science-city"} <= {c.key for c in found.candidates}


@pytest.mark.parametrize(
    "query, expected",
    [
        ("Beijing airport", {"pek", "pkx"}),  # which one? both are offered
        ("Shougang", {"shougang-park"}),  # a short form: the park is among the candidates
        ("Shougan Park", {"shougang-park"}),  # a misspelling
        ("北京市石景山区首钢园金安路1号", {"shougang-park", "110107"}),  # an address naming the park and its district
    ],
)
def test_a_weak_match_offers_candidates_instead_of_guessing(query, expected):
    found = find_place(query)
    assert found.place is None and expected <= {c.key for c in found.candidates}, found


def test_typed_coordinates_are_a_place_of_their_own():
    found = find_place("39.9042, 116.4074")
    assert found.place.kind == "coordinates" and found.place.lat == pytest.approx(39.9042)
    assert find_place("39.9, 400").error  # out of range: said, not guessed


def test_nothing_found_is_said():
    found = find_place("火星基地 on Mars")
    assert found.place is None and found.candidates == () and not found.error


def test_a_candidate_can_be_chosen_by_key():
    assert place_by_key("pkx").name_zh == "北京大兴国际机场" and place_by_key("nowhere") is None
