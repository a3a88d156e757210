"""Decision tools: distances against an independent geodesic, nearby, comparison, ranking and the zoning check."""

from __future__ import annotations

import pandas as pd
import pytest
from geopy.distance import geodesic  # geographiclib's own implementation, independent of pyproj's

from layers.analysis import (
    RankRequest,
    district_sector_matrix,
    hub_distances,
    leading_industries,
    nearby,
    rank_parks,
    zoning_check,
)
from layers.errors import UnknownKey
from layers.model.load import load_atlas
from layers.views.compare import compare_parks
from layers.views.rank import rank_table


def point(frame, key):
    geometry = frame.loc[frame["id"] == key].iloc[0].geometry
    return geometry.y, geometry.x


@pytest.mark.parametrize(
    "park_id, hub_id, column",
    [
        ("zpark", "pek", "km_pek"),
        ("beijing-etown", "pkx", "km_pkx"),
        ("shougang-park", "tiananmen", "km_tiananmen"),
        ("zgc-chaoyang", "guomao", "km_guomao"),
        ("huairou-science-city", "pkx", "km_pkx"),
    ],
)
def test_hub_distances_match_an_independent_geodesic(atlas, park_id, hub_id, column):
    expected = geodesic(point(atlas.parks, park_id), point(atlas.hubs, hub_id)).km
    assert hub_distances(atlas).loc[park_id, column] == pytest.approx(expected, abs=1e-6)


def test_nearest_rail_station_is_the_nearest(atlas):
    distances = hub_distances(atlas)
    stations = atlas.hubs[atlas.hubs["kind"] == "rail station"]
    zpark = point(atlas.parks, "zpark")
    by_station = {s: geodesic(zpark, point(atlas.hubs, s)).km for s in stations["id"]}
    assert distances.loc["zpark", "nearest_rail"] == min(by_station, key=by_station.get) == "qinghe"
    assert distances.loc["zpark", "km_rail"] == pytest.approx(min(by_station.values()), abs=1e-6)


def test_distances_are_marked_approximate_or_missing_as_the_placement_is(atlas):
    distances = hub_distances(atlas)
    assert bool(distances.loc["zgc-vr-park", "approximate"]) and not bool(distances.loc["zpark", "approximate"])
    assert distances.loc["zgc"].drop(["approximate", "nearest_rail"]).isna().all()


def test_nearby_lists_parks_within_the_radius_nearest_first(atlas):
    found = nearby(atlas, 116.39167, 39.90333, 15)  # Tiananmen, 15 km
    by_geodesic = {
        p.id
        for p in atlas.parks.itertuples()
        if p.placement != "city" and geodesic((39.90333, 116.39167), (p.geometry.y, p.geometry.x)).km <= 15
    }
    assert (
        set(found["id"]) == by_geodesic
        and {"zgc-dongcheng", "zgc-xicheng", "beijing-cbd", "zgc-science-city"} <= by_geodesic
    )
    assert found["id"].iloc[0] == "zgc-dongcheng"  # Yonghegong, 4.9 km north
    assert "zgc" not in set(found["id"]), "a citywide zone's stand-in point is near nothing"
    assert found["km"].is_monotonic_increasing and found["km"].max() <= 15
    with pytest.raises(ValueError):
        nearby(atlas, 116.4, 39.9, 0)


def test_compare_two_parks_side_by_side(atlas):
    table = compare_parks(atlas, ["zpark", "beijing-etown"], "en", hub_distances(atlas))
    zpark, etown = (
        "Zhongguancun Software Park (Zpark)",
        "Beijing Economic-Technological Development Area (Beijing E-Town)",
    )
    assert list(table.columns) == [zpark, etown]
    assert table.loc["District", zpark] == "Haidian"
    assert table.loc["To the nearest main rail station", zpark].endswith(
        "(Qinghe railway station)"
    )  # a name, not an id
    assert "336.63 bn CNY (2020; park revenue; Beijing Youth Daily" in table.loc["Revenue", zpark]
    assert table.loc["Revenue", etown] == ""  # no such fact: shown empty, not invented
    with pytest.raises(ValueError, match="two to four"):
        compare_parks(atlas, ["zpark"], "en", hub_distances(atlas))
    with pytest.raises(UnknownKey, match="unknown park 'atlantis'"):
        compare_parks(atlas, ["zpark", "atlantis"], "en", hub_distances(atlas))


def test_compare_lines_up_facts_by_metric_newest_first(atlas):
    table = compare_parks(atlas, ["zgc-shijingshan", "zpark"], "en", hub_distances(atlas))
    revenue = table.loc["Revenue", "Zhongguancun Shijingshan Park"].split("\n")
    assert revenue[0].startswith("440 bn CNY (2023") and revenue[1].startswith("46.5 bn CNY (2010")
    assert table.loc["Revenue", "Zhongguancun Software Park (Zpark)"].startswith("336.63 bn CNY (2020")


def test_compare_in_chinese_is_chinese(atlas):
    table = compare_parks(atlas, ["zpark", "beijing-etown"], "zh", hub_distances(atlas))
    assert list(table.columns) == ["中关村软件园", "北京经济技术开发区"]
    assert table.loc["所在区", "中关村软件园"] == "海淀区"
    assert table.loc["收入", "中关村软件园"].startswith("3,366.3亿元 (2020; 园区收入;")  # 336.63 bn CNY in 亿元
    assert table.loc["距最近的主要火车站", "中关村软件园"].endswith("(清河站)")


# --- ranking on small hand-built cases -------------------------------------------------------------------------


@pytest.fixture
def twin_atlas(data_copy):
    """Two parks made identical in place, area and sectors; a third with no area."""
    for column, value in (
        ("lon", "116.2887219"),
        ("lat", "40.0518350"),
        ("area_km2", "2.6"),
        ("sectors", "hp_software|hp_ngit|hp_ai"),
    ):
        data_copy.set_cell("parks.csv", "zgc-life-science-park", column, value)
    data_copy.set_cell("parks.csv", "zgc-life-science-park", "district_adcode", "110108")
    data_copy.set_cell("parks.csv", "zgc-life-science-park", "parent", "")  # moved out of Future Science City
    return load_atlas(data_copy.root)


def test_ties_share_a_rank(twin_atlas):
    ranked = rank_parks(twin_atlas, RankRequest(frozenset({"hp_software"})))
    twins = ranked.set_index("id").loc[["zpark", "zgc-life-science-park"]]
    assert twins["score"].iloc[0] == pytest.approx(twins["score"].iloc[1])
    assert twins["rank"].iloc[0] == twins["rank"].iloc[1]


def test_missing_values_are_named_and_left_out_of_the_total(atlas):
    ranked = rank_parks(
        atlas, RankRequest(frozenset({"sjs_vr"}), w_sector=1, w_airport=0, w_rail=0, w_area=1)
    ).set_index("id")
    vr = ranked.loc["zgc-vr-park"]
    assert vr["missing"] == ("area",) and pd.isna(vr["score_area"])
    assert vr["score"] == pytest.approx(1.0)  # its primary sector is the one asked for; area unknown, not zero
    assert ranked.loc["zpark", "missing"] == ()


def test_zero_weights_switch_a_criterion_off(atlas):
    ranked = rank_parks(atlas, RankRequest(w_sector=0, w_airport=1, w_rail=0, w_area=0)).set_index("id")
    assert ranked["score"].equals(ranked["score_airport"])
    assert (ranked["missing"].map(len) == 0).all()  # nothing asked for is missing
    with pytest.raises(ValueError, match="at least one weight"):
        RankRequest(w_sector=0, w_airport=0, w_rail=0, w_area=0)
    with pytest.raises(ValueError, match="negative"):
        RankRequest(w_area=-1)


def test_hard_limit_excludes_and_says_why(atlas):
    request = RankRequest(frozenset({"hp_ic"}), max_airport_km=40)
    ranked = rank_parks(atlas, request)
    table = rank_table(atlas, ranked, "en", {"airport": 40, "rail": None})
    assert table.loc["shougang-park", "Excluded because"] == "nearer airport 41.2 km, over the 40 km limit"
    zh = rank_table(atlas, ranked, "zh", {"airport": 40, "rail": None})
    assert zh.loc["shougang-park", "排除原因"] == "距较近机场 41.2 公里,超过 40 公里上限"
    ranked = ranked.set_index("id")
    assert pd.isna(ranked.loc["shougang-park", "rank"])
    kept = ranked[ranked["excluded"].map(len) == 0]
    assert (kept["km_airport"] <= 40).all()
    assert kept.sort_values("rank").index[0] in {"zgc-chaoyang", "zgc-science-city", "beijing-etown", "zgc-shunyi"}


# --- the zoning principle --------------------------------------------------------------------------------------


def test_zoning_check_names_the_cases_and_what_is_behind_them(atlas):
    by_district, by_sector = zoning_check(atlas)
    haidian = by_district.set_index("district").loc["110108"]
    assert haidian["sectors"] == ["hp_ic", "hp_ngit", "hp_software"] and bool(haidian["meets"])
    ic = by_sector.set_index("sector").loc["hp_ic"]
    assert ic["count"] == 4 and not bool(ic["meets"])  # E-Town's Daxing, Haidian, Shunyi, Chaoyang
    leading = leading_industries(atlas)
    behind = leading[(leading["district"] == "110113") & (leading["sector"] == "hp_ic")].iloc[0]
    assert behind["clusters"] == ["shunyi-semiconductor-5g"]
    assert set(leading["sector"]) <= {s.code for s in atlas.sectors.in_taxonomy("hp2017")}


def test_only_matching_ranks_only_parks_with_the_sectors(atlas):
    ranked = rank_parks(atlas, RankRequest(frozenset({"hp_ic"}), only_matching=True))
    assert set(ranked["id"]) == {
        "beijing-etown",
        "zgc-science-city",
        "zgc-shunyi",
        "zgc-chaoyang",
        "zgc-ic-design-park",
    }
    assert (ranked["score_sector"] > 0).all()


def test_future_industries_count_only_their_own_taxonomy(atlas):
    by_district, _ = zoning_check(atlas, "future2023")
    shijingshan = by_district.set_index("district").loc["110107"]
    assert set(shijingshan["sectors"]) <= {s.code for s in atlas.sectors if s.taxonomy == "future2023" and not s.parent}
    assert "fi_info" in shijingshan["sectors"]  # the sci-fi and AGI clusters name future-information industries


def test_district_sector_matrix_counts_parks_and_clusters(atlas):
    matrix = district_sector_matrix(atlas)
    # Shunyi leads IC through the Shunyi semiconductor cluster only; Haidian through its IC cluster and the IC Park.
    assert matrix.loc["110113", "hp_ic"] == 1 and matrix.loc["110108", "hp_ic"] == 2
    huairou = matrix.loc[
        "110116"
    ]  # the Science City (S&T services first) and the Yanqi EDZ (equipment manufacturing first)
    assert set(huairou[huairou > 0].index) == {"hp_sts", "hp_equipment"}


def test_the_area_shown_counts_a_zone_inside_another_once(atlas):
    from layers.views.parks import total_area_km2

    pair = atlas.parks[atlas.parks["id"].isin(["huairou-science-city", "yanqi-edz"])]  # the EDZ lies within the city
    assert total_area_km2(pair) == pytest.approx(100.9)
    alone = atlas.parks[atlas.parks["id"] == "yanqi-edz"]
    assert total_area_km2(alone) == pytest.approx(10.7269)
