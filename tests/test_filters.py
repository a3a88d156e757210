"""Selecting parks and clusters the way investors and staff ask for them."""

from __future__ import annotations

import pytest

from geo.crs import area_km2, distance_km
from geo.geometry import equal_area_circle
from layers.filters import Selection, display_sector, expand_sectors, select_clusters, select_parks


def ids(frame) -> set[str]:
    return set(frame["id"])


def test_no_selection_shows_everything(atlas):
    assert len(select_parks(atlas.parks, Selection(), atlas.sectors)) == len(atlas.parks)
    assert len(select_clusters(atlas.clusters, atlas.parks, Selection(), atlas.sectors)) == len(atlas.clusters)


def test_sector_selection_finds_every_park_listing_it(atlas):
    chosen = select_parks(atlas.parks, Selection.of(["hp_ic"]), atlas.sectors)
    expected = {r.id for r in atlas.parks.itertuples() if "hp_ic" in (r.sectors or ())}
    assert ids(chosen) == expected == {"beijing-etown", "zgc-science-city", "zgc-shunyi", "zgc-chaoyang"}


def test_a_field_includes_its_sub_sectors(atlas):
    assert "fi_info_agi" in expand_sectors(["fi_info"], atlas.sectors)
    chosen = select_parks(atlas.parks, Selection.of(["fi_info"]), atlas.sectors)
    assert "shougang-scifi-cluster" in ids(chosen)  # listed under metaverse, a sub-sector of future information


@pytest.mark.parametrize("text", ["亦庄", "Yizhuang", "yi zhuang", "BDA", "e-town", "经开区"])
def test_text_search_matches_names_aliases_and_pinyin(atlas, text):
    assert ids(select_parks(atlas.parks, Selection.of(text=text), atlas.sectors)) == {"beijing-etown"}


def test_district_filter_counts_other_districts_too(atlas):
    # Huairou Science City spans Huairou and Miyun.
    assert "huairou-science-city" in ids(select_parks(atlas.parks, Selection.of(districts=["110118"]), atlas.sectors))


def test_filters_combine(atlas):
    chosen = select_parks(atlas.parks, Selection.of(["hp_health"], ["110114"], ["park"]), atlas.sectors)
    assert ids(chosen) == {"zgc-life-science-park"}


def test_clusters_follow_sector_and_host_district(atlas):
    chosen = select_clusters(atlas.clusters, atlas.parks, Selection.of(["hp_ic"], ["110115"]), atlas.sectors)
    assert ids(chosen) == {"etown-ic"}


def test_selection_round_trips_through_query_params():
    selection = Selection.of(["hp_ic", "hp_ai"], ["110108"], ["park"], "软件园")
    params = selection.to_query_params()
    assert params == {"sector": ["hp_ai", "hp_ic"], "district": ["110108"], "kind": ["park"], "q": "软件园"}
    assert Selection.from_query_params(params) == selection
    assert Selection.from_query_params({"sector": "hp_ic"}) == Selection.of(["hp_ic"])


def test_park_is_coloured_by_the_sector_the_user_asked_for(atlas):
    assert display_sector(["hp_ngit", "hp_ic"], Selection.of(["hp_ic"]), atlas.sectors) == "hp_ic"
    assert display_sector(["hp_ngit", "hp_ic"], Selection(), atlas.sectors) == "hp_ngit"
    assert display_sector([], Selection(), atlas.sectors) is None


def test_equal_area_circle_has_the_area_it_was_given():
    circle = equal_area_circle(116.1586, 39.9077, 8.63)
    assert area_km2(circle) == pytest.approx(8.63, rel=0.005)
    assert distance_km(circle.centroid.x, circle.centroid.y, 116.1586, 39.9077) * 1000 < 5
    with pytest.raises(ValueError):
        equal_area_circle(116.1, 39.9, 0)
