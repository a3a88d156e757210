"""Decision tools: distances against an independent geodesic, nearby, comparison, ranking and the zoning check."""

from __future__ import annotations

import pandas as pd
import pytest
from geopy.distance import geodesic  # geographiclib's own implementation, independent of pyproj's

from layers.analysis import (
    RankRequest,
    compare_parks,
    hub_distances,
    leading_industries,
    nearby,
    rank_parks,
    zoning_check,
)
from layers.load import load_atlas


def point(frame, key):
    geometry = frame.loc[frame["id"] == key].iloc[0].geometry
    return geometry.y, geometry.x


@pytest.mark.parametrize("park_id, hub_id, column", [
    ("zpark", "pek", "km_pek"), ("beijing-etown", "pkx", "km_pkx"), ("shougang-park", "tiananmen", "km_tiananmen"),
    ("zgc-chaoyang", "guomao", "km_guomao"), ("huairou-science-city", "pkx", "km_pkx"),
])
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
    assert list(found["id"]) == ["zgc-science-city", "zgc-chaoyang"]
    assert found["km"].is_monotonic_increasing and found["km"].max() <= 15
    with pytest.raises(ValueError):
        nearby(atlas, 116.4, 39.9, 0)


def test_compare_two_parks_side_by_side(atlas):
    table = compare_parks(atlas, ["zpark", "beijing-etown"])
    assert list(table.columns) == ["zpark", "beijing-etown"]
    assert table.loc["district", "zpark"] == "Haidian" and table.loc["to nearest main rail station", "zpark"].endswith("(qinghe)")
    revenue = next(i for i in table.index if i.startswith("Revenue"))
    assert "336.63 bn CNY (2020; Beijing Youth Daily" in table.loc[revenue, "zpark"]
    assert table.loc[revenue, "beijing-etown"] == ""  # no such fact: shown empty, not invented
    with pytest.raises(ValueError, match="two to four"):
        compare_parks(atlas, ["zpark"])
    with pytest.raises(ValueError, match="unknown park id"):
        compare_parks(atlas, ["zpark", "atlantis"])


# --- ranking on small hand-built cases -------------------------------------------------------------------------


@pytest.fixture
def twin_atlas(data_copy):
    """Two parks made identical in place, area and sectors; a third with no area."""
    for column, value in (("lon", "116.2887219"), ("lat", "40.0518350"), ("area_km2", "2.6"), ("sectors", "hp_software|hp_ngit|hp_ai")):
        data_copy.set_cell("parks.csv", "zgc-life-science-park", column, value)
    data_copy.set_cell("parks.csv", "zgc-life-science-park", "district_adcode", "110108")
    return load_atlas(data_copy.root)


def test_ties_share_a_rank(twin_atlas):
    ranked = rank_parks(twin_atlas, RankRequest(frozenset({"hp_software"})))
    twins = ranked.set_index("id").loc[["zpark", "zgc-life-science-park"]]
    assert twins["score"].iloc[0] == pytest.approx(twins["score"].iloc[1])
    assert twins["rank"].iloc[0] == twins["rank"].iloc[1]


def test_missing_values_are_named_and_left_out_of_the_total(atlas):
    ranked = rank_parks(atlas, RankRequest(frozenset({"sjs_vr"}), w_sector=1, w_airport=0, w_rail=0, w_area=1)).set_index("id")
    vr = ranked.loc["zgc-vr-park"]
    assert vr["missing"] == "area" and pd.isna(vr["score_area"])
    assert vr["score"] == pytest.approx(1.0)  # its primary sector is the one asked for; area unknown, not zero
    assert ranked.loc["zpark", "missing"] == ""


def test_zero_weights_switch_a_criterion_off(atlas):
    ranked = rank_parks(atlas, RankRequest(w_sector=0, w_airport=1, w_rail=0, w_area=0)).set_index("id")
    assert ranked["score"].equals(ranked["score_airport"])
    assert (ranked["missing"] == "").all()  # nothing asked for is missing
    with pytest.raises(ValueError, match="at least one weight"):
        RankRequest(w_sector=0, w_airport=0, w_rail=0, w_area=0)
    with pytest.raises(ValueError, match="negative"):
        RankRequest(w_area=-1)


def test_hard_limit_excludes_and_says_why(atlas):
    ranked = rank_parks(atlas, RankRequest(frozenset({"hp_ic"}), max_airport_km=40)).set_index("id")
    assert ranked.loc["shougang-park", "excluded"].startswith("airport 41.2 km > 40 km")
    assert pd.isna(ranked.loc["shougang-park", "rank"])
    kept = ranked[ranked["excluded"] == ""]
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


def test_district_sector_matrix_counts_parks_and_clusters(atlas):
    from layers.analysis import district_sector_matrix

    matrix = district_sector_matrix(atlas)
    # Shunyi leads IC through the Shunyi semiconductor cluster only; Haidian through its IC cluster only.
    assert matrix.loc["110113", "hp_ic"] == 1 and matrix.loc["110108", "hp_ic"] == 1
    assert (matrix.loc["110116"] > 0).sum() == 1  # Huairou: science and technology services alone
