"""Selecting parks and clusters the way investors and staff ask for them."""

from __future__ import annotations

import pytest

from geo.crs import area_km2, distance_km
from geo.geometry import equal_area_circle
from layers.selection import Selection, select


def ids(frame) -> set[str]:
    return set(frame["id"])


def parks(atlas, selection) -> set[str]:
    return ids(select(atlas, selection).parks)


def test_no_selection_shows_everything(atlas):
    shown = select(atlas, Selection())
    assert len(shown.parks) == len(atlas.parks) and len(shown.clusters) == len(atlas.clusters)
    assert shown.sectors is None and shown.districts is None
    assert set(shown.placed_ids) == set(atlas.parks.loc[atlas.parks.geometry.notna(), "id"])


def test_sector_selection_finds_every_park_listing_it(atlas):
    expected = {r.id for r in atlas.parks.itertuples() if "hp_ic" in (r.sectors or ())}
    assert (
        parks(atlas, Selection.of(["hp_ic"]))
        == expected
        == {"beijing-etown", "zgc-science-city", "zgc-shunyi", "zgc-chaoyang", "zgc-ic-design-park"}
    )


def test_a_field_includes_its_sub_sectors(atlas):
    assert "fi_info_agi" in atlas.sectors.expand(["fi_info"])
    assert "fi_info_agi" in select(atlas, Selection.of(["fi_info"])).sectors
    assert "shougang-scifi-cluster" in parks(
        atlas, Selection.of(["fi_info"])
    )  # listed under metaverse, a sub-sector of future information


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("BDA", {"beijing-etown"}),
        ("e-town", {"beijing-etown"}),
        # the ZGC sub-park of 2012 is called Yizhuang Park too; a park in E-Town is known as 经开区信创园
        ("亦庄", {"beijing-etown", "zgc-daxing-yizhuang"}),
        ("Yizhuang", {"beijing-etown", "zgc-daxing-yizhuang"}),
        ("yi zhuang", {"beijing-etown", "zgc-daxing-yizhuang"}),
        ("经开区", {"beijing-etown", "national-it-innovation-park"}),
    ],
)
def test_text_search_matches_names_aliases_and_pinyin(atlas, text, found):
    assert parks(atlas, Selection.of(text=text)) == found


@pytest.mark.parametrize("text", ["集成电路", "integrated circuits", "jichengdianlu"])
def test_text_search_matches_sector_names(atlas, text):
    assert parks(atlas, Selection.of(text=text)) == parks(atlas, Selection.of(["hp_ic"]))


def test_district_filter_counts_other_districts_too(atlas):
    # Huairou Science City spans Huairou and Miyun.
    assert "huairou-science-city" in parks(atlas, Selection.of(districts=["110118"]))


def test_filters_combine(atlas):
    assert parks(atlas, Selection.of(["hp_health"], ["110114"], ["park"])) == {"zgc-life-science-park"}


def test_clusters_follow_sector_and_host_district(atlas):
    assert ids(select(atlas, Selection.of(["hp_ic"], ["110115"])).clusters) == {"etown-ic"}


def test_selection_round_trips_through_query_params():
    selection = Selection.of(["hp_ic", "hp_ai"], ["110108"], ["park"], "软件园")
    params = selection.to_query_params()
    assert params == {"sector": ["hp_ai", "hp_ic"], "district": ["110108"], "kind": ["park"], "q": "软件园"}
    assert Selection.from_query_params(params) == selection
    assert Selection.from_query_params({"sector": "hp_ic"}) == Selection.of(["hp_ic"])


def test_park_is_coloured_by_the_sector_the_user_asked_for(atlas):
    # E-Town lists new-generation IT first and integrated circuits later.
    assert select(atlas, Selection.of(["hp_ic"])).colour_sector["beijing-etown"] == "hp_ic"
    assert select(atlas, Selection()).colour_sector["beijing-etown"] == "hp_ngit"
    assert select(atlas, Selection()).colour_sector["zgc-vr-park"] == "sjs_vr"


def test_equal_area_circle_has_the_area_it_was_given():
    circle = equal_area_circle(116.1586, 39.9077, 8.63)
    assert area_km2(circle) == pytest.approx(8.63, rel=0.005)
    assert distance_km(circle.centroid.x, circle.centroid.y, 116.1586, 39.9077) * 1000 < 5
    with pytest.raises(ValueError):
        equal_area_circle(116.1, 39.9, 0)


def test_a_designation_filter_keeps_only_parks_of_that_level(atlas):
    provincial = parks(atlas, Selection.of(levels=["provincial"]))
    assert provincial == {
        r.id for r in atlas.parks.itertuples() if isinstance(r.catalogue_code, str) and r.catalogue_code.startswith("S")
    }
    assert len(provincial) == 16  # the catalogue's sixteen provincial zones
    both = parks(atlas, Selection.of(["hp_health"], levels=["provincial", "national"]))
    assert both and all(atlas.parks.set_index("id").loc[p, "level"] in ("provincial", "national") for p in both)
    assert Selection.from_query_params(Selection.of(levels=["sub-park"]).to_query_params()) == Selection.of(
        levels=["sub-park"]
    )
