"""The bundled atlas as users rely on it: every named park present, sourced, placed and in WGS-84."""

from __future__ import annotations

import math

import pytest

from geo.crs import area_km2, distance_km

REQUIRED_PARKS = {
    "shougang-park": "Shougang Park",
    "zgc-shijingshan": "Zhongguancun Shijingshan Park",
    "huairou-science-city": "Huairou Science City",
    "beijing-etown": "Beijing E-Town",
    "zgc-science-city": "Zhongguancun Science City",
    "future-science-city": "Future Science City",
    "zpark": "Zhongguancun Software Park",
    "zgc-life-science-park": "Zhongguancun Life Science Park",
    "daxing-biomedicine-base": "Daxing Biomedicine",
    "zgc-industrial-internet-park": "Zhongguancun Industrial Internet Industrial Park",
    "zgc-vr-park": "Zhongguancun Virtual Reality Industrial Park",
    "zgc-shunyi": "Zhongguancun Shunyi Park",
    "zgc-fangshan": "Zhongguancun Fangshan Park",
    "zgc-chaoyang": "Zhongguancun Chaoyang Park",
    "shougang-scifi-cluster": "Jin'an Sci-fi Plaza",
}


def park(atlas, park_id):
    return atlas.parks.set_index("id").loc[park_id]


@pytest.mark.parametrize("park_id, name", REQUIRED_PARKS.items())
def test_each_required_park_is_present_with_both_names(atlas, park_id, name):
    row = park(atlas, park_id)
    assert name in row["name_en"]
    assert row["name_zh"] and all("\u4e00" <= ch <= "\u9fff" for ch in row["name_zh"] if ch.isalpha())


def test_layers_are_wgs84(atlas):
    for frame in (atlas.parks, atlas.hubs, atlas.districts):
        assert frame.crs.to_epsg() == 4326


def test_yizhuang_and_bda_are_aliases_of_etown(atlas):
    aliases = park(atlas, "beijing-etown")["aliases"]
    assert {"亦庄", "E-Town", "BDA"} <= set(aliases)


def test_gcj02_point_is_converted_on_load_and_the_recorded_value_kept(atlas):
    row = park(atlas, "zgc-shunyi")
    assert row["datum"] == "gcj02"
    assert (row["recorded_lon"], row["recorded_lat"]) == (116.564211, 40.114127)
    shift_m = distance_km(row["recorded_lon"], row["recorded_lat"], row.geometry.x, row.geometry.y) * 1000
    assert 500 < shift_m < 560
    # The reference converted the same published value to 40.113044, 116.558365.
    assert (row.geometry.y, row.geometry.x) == pytest.approx((40.113044, 116.558365), abs=2e-6)


def test_every_placed_park_knows_how_it_was_placed(atlas):
    placements = dict(zip(atlas.parks["id"], atlas.parks["placement"], strict=False))
    assert placements["zpark"] == "anchor"
    assert placements["huairou-science-city"] == "fallback"
    assert placements["zgc-vr-park"] == "district"
    assert placements["zgc"] == placements["beijing-ftz"] == "city"  # citywide zones stand at the city's point
    assert "none" not in set(placements.values()) and atlas.parks.geometry.notna().all(), "every row is drawn"


def test_a_stand_in_at_a_district_or_city_point_is_as_imprecise_as_the_area_it_may_be_in(atlas):
    districts = atlas.districts.to_crs(32650)
    radius_m = dict(zip(districts["adcode"], (districts.area / math.pi) ** 0.5, strict=False))
    for park in atlas.parks[atlas.parks["placement"] == "district"].itertuples():
        assert park.precision_m >= radius_m[park.district_adcode] - 500, park.id
    city = atlas.parks[atlas.parks["placement"] == "city"]
    assert (city["precision_m"] >= (districts.area.sum() / math.pi) ** 0.5 - 500).all()


def test_parks_without_a_sourced_point_say_why(atlas):
    unsourced = atlas.parks[atlas.parks["recorded_lon"].isna()]
    assert {"zgc-shijingshan", "zgc-vr-park", "beijing-ftz"} <= set(unsourced["id"])
    assert unsourced["point_gap"].str.len().gt(20).all()


def test_every_fact_names_a_source_and_year(atlas):
    assert len(atlas.facts) >= 30
    assert atlas.facts["source"].map(len).gt(0).all()
    assert atlas.facts["year"].between(2000, 2026).all()
    assert set(atlas.facts["park"]) <= set(atlas.parks["id"])


def test_clusters_have_sectors_hosts_and_sources(atlas):
    assert len(atlas.clusters) >= 10
    for _, cluster in atlas.clusters.iterrows():
        assert cluster["sectors"] and cluster["source"]
        assert cluster["host_parks"] or cluster["host_districts"]


def test_sector_vocabulary_has_the_three_taxonomies(atlas):
    assert len(atlas.sectors.in_taxonomy("hp2017")) == 10
    fields = [s for s in atlas.sectors.in_taxonomy("future2023") if s.parent is None]
    assert [s.label_zh for s in fields] == ["未来信息", "未来健康", "未来制造", "未来能源", "未来材料", "未来空间"]
    shijingshan = {s.code for s in atlas.sectors.in_taxonomy("shijingshan")}
    assert {"hp_ngit", "sjs_finance", "hp_ai", "fi_info", "fi_space"} <= shijingshan


def test_sub_sectors_share_their_field_colour(atlas):
    agi = atlas.sectors["fi_info_agi"]
    assert agi.colour == atlas.sectors["fi_info"].colour
    assert atlas.sectors.top_level("fi_info_agi").code == "fi_info"


def test_districts_cover_beijing_official_area(atlas):
    total = sum(area_km2(g) for g in atlas.districts.geometry)
    assert total == pytest.approx(16410.54, rel=0.005)  # Beijing's official area
    assert sorted(atlas.districts["adcode"]) == sorted(
        [
            "110101",
            "110102",
            "110105",
            "110106",
            "110107",
            "110108",
            "110109",
            "110111",
            "110112",
            "110113",
            "110114",
            "110115",
            "110116",
            "110117",
            "110118",
            "110119",
        ]
    )


def test_capital_airport_t2_sits_in_the_chaoyang_exclave(atlas):
    chaoyang = atlas.districts.set_index("adcode").loc["110105"].geometry
    assert chaoyang.geom_type == "MultiPolygon"
    pek = atlas.hubs.set_index("id").loc["pek"].geometry
    main_part = max(chaoyang.geoms, key=lambda g: g.area)
    assert chaoyang.contains(pek) and not main_part.contains(pek)


def test_hubs_include_both_airports_and_the_main_stations(atlas):
    assert {
        "pek",
        "pkx",
        "beijing-railway-station",
        "beijing-south",
        "beijing-west",
        "beijing-north",
        "beijing-chaoyang",
        "qinghe",
        "beijing-fengtai",
        "tiananmen",
        "guomao",
    } <= set(atlas.hubs["id"])
