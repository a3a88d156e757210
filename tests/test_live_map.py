"""The app's kept map, server side: one base with every feature, and a small state per selection."""

from __future__ import annotations

import json
import re

import pytest

from geo.datums import convert
from layers import MapRequest, Selection, build_map, live_base, live_state, select
from layers.map import prepare_basis

ASSETS = "/app/static/vendor/test"
FOLIUM_ID = re.compile(r"_[0-9a-f]{32}")


def state_of(atlas, selection: Selection, basemap: str = "osm", lang: str = "en") -> dict:
    shown = select(atlas, selection)
    content = build_map(atlas, shown, MapRequest(selection, basemap, lang))
    return live_state(content, shown)


def test_a_base_holds_every_park_whatever_the_selection(atlas):
    request = MapRequest(Selection.of(sectors=["hp_ic"]), "osm", "en")
    base = live_base(atlas, request, prepare_basis(atlas, "en", "wgs84"), ASSETS)
    assert all(park_id in base.script for park_id in atlas.parks["id"]), "a base is drawn before any filter"
    same = live_base(atlas, MapRequest(Selection(), "osm", "en"), prepare_basis(atlas, "en", "wgs84"), ASSETS)
    assert FOLIUM_ID.sub("_ID", same.script) == FOLIUM_ID.sub("_ID", base.script), "the selection is not in a base"
    chinese = live_base(atlas, MapRequest(Selection(), "osm", "zh"), prepare_basis(atlas, "zh", "wgs84"), ASSETS)
    gaode = live_base(atlas, MapRequest(Selection(), "gaode", "en"), prepare_basis(atlas, "en", "gcj02"), ASSETS)
    assert len({base.key, chinese.key, gaode.key}) == 3
    assert gaode.datum == "gcj02" and "autonavi" in gaode.script
    assert all(url.startswith(ASSETS) for url in base.scripts + base.styles), "assets come from the app, offline"
    json.dumps(base.as_data())  # what the page receives is plain JSON


def test_a_state_names_the_parks_the_selection_leaves_with_their_legend_colours(atlas):
    state = state_of(atlas, Selection.of(sectors=["hp_ic"]))
    ic = {
        pid
        for pid, sectors in zip(atlas.parks["id"], atlas.parks["sectors"], strict=False)
        if "hp_ic" in (sectors or ())
    }
    assert set(state["parks"]) == ic
    assert set(state["parks"].values()) == {atlas.sectors.colour("hp_ic")}, "dots take the chosen sector's colour"
    assert state["firms"] == {"sectors": ["hp_ic"], "districts": None}
    assert "Integrated circuits" in state["legend"]
    json.dumps(state)  # what the page receives is plain JSON


def test_a_district_filter_chooses_its_outline_and_fits_it(atlas):
    state = state_of(atlas, Selection.of(districts=["110116"]))
    assert state["districts"] == ["110116"]
    west, south, east, north = atlas.districts.set_index("adcode").loc["110116"].geometry.bounds
    (s, w), (n, e) = state["bounds"]
    assert s <= south + 1e-9 and w <= west + 1e-9 and n >= north - 1e-9 and e >= east - 1e-9


def test_on_gaode_the_fit_is_shifted_onto_its_streets(atlas):
    selection = Selection.of(districts=["110116"])
    (s, w), (n, e) = state_of(atlas, selection)["bounds"]
    on_gaode = state_of(atlas, selection, basemap="gaode")["bounds"]
    lons, lats = convert([w, e], [s, n], "wgs84", "gcj02")
    assert sum(on_gaode, []) == pytest.approx([lats[0], lons[0], lats[1], lons[1]], abs=1e-9)


@pytest.mark.parametrize(
    "selection",
    [
        Selection.of(sectors=["hp_ic"]),
        Selection.of(sectors=["fi_info"], districts=["110108"]),
        Selection.of(sectors=["hp_ai"], kinds=["sub-park"]),
        Selection.of(sectors=["hp_ic", "hp_ai"], reach=("guomao", 45.0)),
    ],
    ids=["sector", "sector-and-district", "sector-and-kind", "subway-reach"],
)
def test_the_page_is_given_what_every_filter_but_the_sectors_leaves(atlas, selection):
    """A sector change is repainted in the page from these: they must be what the server would draw without one."""
    from dataclasses import replace

    from layers import sector_filter

    shown = select(atlas, selection)
    free = select(atlas, replace(selection, sectors=frozenset()))
    page_side = sector_filter(atlas, shown)
    assert list(page_side["parks"]) == list(free.placed_ids)
    assert list(page_side["clusters"]) == list(free.clusters["id"])
    assert page_side["chosen"] == sorted(selection.sectors)
    assert set(page_side["expand"]["fi_info"]) >= {"fi_info", "fi_info_agi"}, "a parent finds its sub-sectors"
    # The page's rule, on the server's own data: a park stays when it lists an expanded chosen sector.
    if selection.sectors:
        wanted = set().union(*(page_side["expand"][code] for code in selection.sectors))
        kept = [pid for pid, sectors in page_side["parks"].items() if wanted.intersection(sectors)]
        assert kept == list(shown.placed_ids)
    json.dumps(page_side)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_reads_each_sector_box_label_as_one_sector(atlas, lang):
    """The page maps a chip's label back to its sector: two sectors with one label would be confused."""
    from ui.sidebar import sector_option

    labels = [sector_option(atlas, lang, code) for code in atlas.sectors.codes]
    assert len(set(labels)) == len(labels)
