"""The rail network: the travel model on hand-checked cases, the bundled network's checks, and its estimates against
independently published journey times."""

from __future__ import annotations

import json
import shutil

import pytest

from geo.crs import distance_km
from geo.transit import Leg, Network, TravelModel
from layers.analysis.transit import GAP_FAR, GAP_VAGUE, park_transit, transit_figures, transit_network
from layers.export.html import describe_selection
from layers.model.load import read_atlas

from .conftest import DATA

#: Round numbers so a trip's minutes can be worked out by hand: a km of track is a minute, no stop time.
SIMPLE = TravelModel(
    walk_kmh=6.0,
    walk_detour=1.0,
    max_walk_km=2.0,
    default_top_kmh=60.0,
    cruise_share=1.0,
    track_detour=1.0,
    stop_min=0.0,
    wait_min=2.0,
    transfer_min=5.0,
)
# On the equator 0.01 degree of longitude is 1.11 km; line A runs west-east through X, line B south-north through X.
PLACES = {
    "a1": (0.00, 0.0),
    "x": (0.01, 0.0),
    "a3": (0.02, 0.0),
    "b1": (0.01, -0.01),
    "b3": (0.01, 0.01),
    "z1": (1.00, 1.0),
    "z2": (1.01, 1.0),
    "o1": (0.03, 0.0),
}
STEP = float(distance_km(0.0, 0.0, 0.01, 0.0))


def tiny() -> Network:
    patterns = [
        ("a", ["a1", "x", "a3"]),
        ("a", ["a3", "x", "a1"]),
        ("b", ["b1", "x", "b3"]),
        ("b", ["b3", "x", "b1"]),
        ("z", ["z1", "z2"]),  # cut off from the rest
        ("one-way", ["a3", "o1"]),  # runs east only
    ]
    return Network.build(PLACES, patterns, SIMPLE)


def test_a_trip_on_one_line_is_the_wait_and_the_ride():
    ride = tiny().rides_to({"a3": 0.0})["a1"]
    assert ride.minutes == pytest.approx(SIMPLE.wait_min + 2 * STEP, abs=1e-6)
    assert ride.legs == (Leg("a", "a1", "a3"),) and ride.transfers == 0


def test_a_trip_with_one_change_pays_the_transfer_once():
    ride = tiny().rides_to({"b3": 0.0})["a1"]
    distance = STEP + float(distance_km(0.01, 0.0, 0.01, 0.01))
    assert ride.minutes == pytest.approx(SIMPLE.wait_min + distance + SIMPLE.transfer_min, abs=1e-6)
    assert ride.legs == (Leg("a", "a1", "x"), Leg("b", "x", "b3")) and ride.transfers == 1


def test_a_station_on_two_lines_serves_both_and_a_cut_off_station_cannot_be_reached():
    network = tiny()
    assert network.lines_at["x"] == {"a", "b"}
    rides = network.rides_to({"a1": 0.0})
    assert "z1" not in rides and "z2" not in rides
    assert rides["a1"].minutes == 0.0 and rides["a1"].legs == ()  # already there: no train, no wait


def test_a_one_way_line_takes_people_one_way_only():
    network = tiny()
    assert "a3" in network.rides_to({"o1": 0.0})
    assert "o1" not in network.rides_to({"a1": 0.0})


def test_the_exit_walk_counts_and_the_quickest_exit_wins():
    ride = tiny().rides_to({"a3": 10.0, "x": 1.0})["a1"]
    assert ride.minutes == pytest.approx(SIMPLE.wait_min + STEP + 1.0, abs=1e-6)


def test_a_pattern_naming_an_unknown_station_is_refused():
    with pytest.raises(ValueError, match="line a: unknown station 'nowhere'"):
        Network.build(PLACES, [("a", ["a1", "nowhere"])], SIMPLE)
    with pytest.raises(ValueError, match="lacks walk_kmh"):
        TravelModel.of({"wait_min": 3})


# --- the bundled network ---------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def network(atlas):
    return transit_network(atlas)


def test_the_bundled_network_is_beijings_and_names_every_station_in_both_languages(atlas):
    transit = atlas.transit
    assert len(transit.lines) >= 25 and len(transit.stations) >= 380
    assert transit.stations["name_en"].str.len().min() > 0 and transit.stations["name_zh"].str.len().min() > 0
    assert not transit.stations["name_zh"].str.contains("天津").any(), "Tianjin's lines are left out"
    xizhimen = transit.stops[transit.stops["station"] == "xizhimen"]["line"].unique()
    assert set(xizhimen) == {"line-2", "line-4-daxing-line", "line-13"}  # an interchange is one station


def test_a_broken_network_is_reported_by_table_row_and_field(tmp_path):
    copy = tmp_path / "data"
    shutil.copytree(DATA, copy)
    stops = copy / "transit_stops.csv"
    text = stops.read_text(encoding="utf-8").splitlines()
    text[1] = text[1].replace(",xizhimen", ",no-such-station")
    stops.write_text("\n".join(text) + "\n", encoding="utf-8")
    lines = copy / "transit_lines.csv"
    lines.write_text(lines.read_text(encoding="utf-8").replace(",110,cctv", ",,cctv", 1), encoding="utf-8")
    _, problems = read_atlas(copy)
    said = [str(p) for p in problems]
    assert any("transit_stops.csv" in p and "station" in p and "no-such-station" in p for p in said), said
    assert any("transit_lines.csv" in p and "top_kmh" in p for p in said), said


@pytest.mark.parametrize(
    ("line", "start", "end", "published_min", "source"),
    [
        # China Daily 2019-09-29 (the transport commission): 19 minutes, a fastest, launch figure.
        ("daxing-airport-express", "caoqiao", "daxing-airport", 19, "chinadaily-2019-09-29-daxing-express"),
        # CCTV 2007-03-01 (planned): Dongzhimen to Terminal 3 in 18 minutes.
        ("capital-airport-express", "dongzhimen", "capital-airport-terminal-3", 18, "cctv-2007-03-01-airport-express"),
    ],
)
def test_the_airport_expresses_ride_within_a_fifth_of_their_published_times(
    atlas, network, line, start, end, published_min, source
):
    assert source in atlas.sources.index
    ride = network.rides_to({end: 0.0})[start]
    in_train = ride.minutes - network.model.wait_min
    assert ride.legs == (Leg(line, start, end),)
    assert in_train == pytest.approx(published_min, rel=0.2)


def test_line_10s_loop_rides_within_a_tenth_of_its_published_104_minutes(atlas, network):
    # People's Daily 2013: 57 km, 45 stations, a full loop in 104 minutes.
    loop = atlas.transit.stops[atlas.transit.stops["line"] == "line-10"]
    first = loop[loop["pattern"] == loop["pattern"].iloc[0]].sort_values("seq")["station"].tolist()
    assert first[0] == first[-1] and len(first) == 46
    minutes = 0.0
    for a, b in zip(first, first[1:], strict=False):  # the built network's own stretches, in the loop's order
        minutes += dict(network.edges[(a, "line-10")])[(b, "line-10")]
    assert minutes == pytest.approx(104, rel=0.1)


def test_the_s1_line_rides_end_to_end_in_under_its_published_20_minutes(atlas, network):
    # China Daily via china.org.cn 2017-12-29: "the entire line in less than 20 minutes".
    s1 = atlas.transit.stops[atlas.transit.stops["line"] == "line-s1"]
    stations = s1[s1["pattern"] == s1["pattern"].iloc[0]].sort_values("seq")["station"].tolist()
    ride = network.rides_to({stations[-1]: 0.0})[stations[0]]
    assert ride.minutes - network.model.wait_min < 20


def test_every_park_has_an_estimate_or_says_why_not(atlas):
    access = park_transit(atlas)
    figures = transit_figures(atlas, access)
    assert len(figures) == len(atlas.parks)
    estimated = figures[figures["transit_gap"].isna()]
    assert len(estimated) >= 25
    assert estimated["min_guomao"].notna().all(), "a park near a station reaches the CBD"
    assert set(figures["transit_gap"].dropna()) <= {GAP_VAGUE, GAP_FAR}
    huairou = access["huairou-science-city"]
    assert huairou.gap == GAP_FAR and not huairou.minutes  # no subway within walking distance in Huairou
    zgc = access["zgc-science-city"]
    assert "line-4-daxing-line" in zgc.lines and zgc.minutes["guomao"] < zgc.minutes["pkx"]


def test_the_map_and_an_exported_file_draw_every_line_in_its_colour_under_the_parks(atlas):
    from layers.export import export_bytes
    from layers.map import MapRequest, build_map
    from layers.selection import Selection, select

    shown = select(atlas, Selection())
    html = build_map(atlas, shown, MapRequest()).map.get_root().render()
    exported = export_bytes(atlas, shown, MapRequest(lang="zh"), "html").decode("utf-8")
    for page in (html, exported):
        assert "atlasRail" in page
        for colour in atlas.transit.lines["colour"]:
            assert f'"colour": "{colour}"' in page, colour
    # Named in the reader's language first (folium writes non-ASCII as JSON escapes).
    assert json.dumps("Line 4 / Daxing Line · 4号线/大兴线")[1:-1] in html
    assert json.dumps("4号线/大兴线 · Line 4 / Daxing Line")[1:-1] in exported
    assert "OpenStreetMap" in exported  # the network's licence travels with the file


def test_an_investor_ranks_by_subway_minutes_to_the_cbd_and_excludes_parks_beyond_an_hour(atlas):
    from layers.analysis import RankRequest, hub_access, rank_parks
    from layers.views.rank import rank_table

    access = hub_access(atlas)
    request = RankRequest(w_sector=0, w_airport=0, w_rail=0, w_area=0, w_cbd=1, max_cbd_min=60)
    ranked = rank_parks(atlas, request, access).set_index("id")
    shortlisted = ranked[ranked["rank"].notna()]
    assert (shortlisted["min_cbd"] <= 60).all() and len(shortlisted) >= 10
    assert shortlisted["min_cbd"].is_monotonic_increasing, "fewer minutes rank higher when it is the only criterion"
    assert ranked.loc["huairou-science-city", "excluded"] == ("cbd",)  # no estimate is not within the limit
    table = rank_table(atlas, ranked.reset_index(), "en", {"cbd": 60})
    assert table.loc["huairou-science-city", "Excluded because"].startswith("no subway estimate")
    far = ranked[(ranked["min_cbd"] > 60)].index[0]
    assert "over the 60 min limit" in table.loc[far, "Excluded because"]
    assert rank_parks(atlas, RankRequest(), access)["score_cbd"].notna().any()  # scored, but weighted 0 by default
    assert RankRequest().weights["cbd"] == 0
    alone = rank_parks(atlas, request).set_index("id")  # no table given: the estimates are computed
    assert list(alone[alone["rank"].notna()].index) == list(shortlisted.index)


def test_compare_and_rank_print_numbers_as_numbers_for_other_programs(capsys):
    from layers.compare import main as compare_command
    from layers.rank import main as rank_command

    assert compare_command(["zpark", "北京经济技术开发区", "--format", "json"]) == 0
    figures = json.loads(capsys.readouterr().out)
    zpark = figures["parks"][0]
    assert isinstance(zpark["km_guomao"], float) and isinstance(zpark["transit"]["minutes"]["guomao"], float)
    assert zpark["transit"]["station"] == "xi-erqi" and "line-13" in zpark["transit"]["lines"]
    assert figures["transit_model"]["transfer_min"] == 5.0
    assert compare_command(["zgc", "zpark", "--format", "json"]) == 0  # a citywide zone: no rail distance
    strict = json.loads(capsys.readouterr().out, parse_constant=lambda name: pytest.fail(f"{name} in JSON"))
    assert strict["parks"][0]["nearest_rail"] is None and strict["parks"][0]["transit"]["gap"] == "vague"
    assert rank_command(["--w-cbd", "1", "--max-cbd-min", "45", "--format", "json"]) == 0
    ranked = json.loads(capsys.readouterr().out)
    assert all(r["min_cbd"] is None or isinstance(r["min_cbd"], float) for r in ranked)
    assert all(r["min_cbd"] <= 45 for r in ranked if r["rank"] is not None)


def test_reachable_within_n_minutes_keeps_only_parks_estimated_within_it_and_round_trips_through_a_link(atlas):
    from layers.analysis import hub_access
    from layers.selection import Selection, select

    access = hub_access(atlas)
    selection = Selection.of(sectors=["hp_ic"], reach=("pkx", 70))
    shown = select(atlas, selection, access)
    ic = set(select(atlas, Selection.of(sectors=["hp_ic"])).park_ids)
    expected = {pid for pid in ic if access.loc[pid, "min_pkx"] <= 70}
    assert set(shown.park_ids) == expected and 0 < len(expected) < len(ic)
    assert all(set(hosts or ()) & expected for hosts in shown.clusters["host_parks"])
    assert Selection.from_query_params(selection.to_query_params()) == selection
    assert Selection.from_query_params({"reach": "pkx", "reach_min": "soon"}).reach is None  # a bad link: no filter
    assert set(select(atlas, selection).park_ids) == expected  # computed when not given
    assert ("Reachable by subway", "within 70 min of Beijing Daxing International Airport (estimated)") in (
        describe_selection(atlas, selection, "en")
    )
