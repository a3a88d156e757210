"""The folium map as HTML: layers, colours, legend, escaping, datum shift and offline assets."""

from __future__ import annotations

import json
import re

import pytest

from geo.crs import distance_km
from layers.map import MapRequest, build_map, prepare_basis
from layers.map.assets import use_inline_assets, use_served_assets
from layers.map.styles import NO_SECTOR_COLOUR, park_style
from layers.model.load import load_atlas
from layers.selection import Selection, select

FOLIUM_ID = re.compile(r"_[0-9a-f]{32}")


def html_of(content) -> str:
    """Rendered HTML with folium's random element ids replaced, so two renders can be compared."""
    return FOLIUM_ID.sub("_ID", content.map.get_root().render())


def geojson_layers(html: str) -> list[dict]:
    """Every GeoJSON FeatureCollection embedded in the page (folium passes each to a geo_json_*_add function)."""
    decoder = json.JSONDecoder()
    found = []
    for match in re.finditer(r"geo_json_\w+_add\((?=\{)", html):
        data, _ = decoder.raw_decode(html, match.end())
        found.append(data)
    return found


def park_features(html: str) -> list[dict]:
    return [f for layer in geojson_layers(html) for f in layer["features"] if "popup" in f["properties"]]


def draw(atlas, selection: Selection = Selection(), title: str | None = None, **request):
    """The map of a selection, as the app builds it (or, with a title, as an exported file does)."""
    return build_map(atlas, select(atlas, selection), MapRequest(selection, **request), title=title)


def test_every_placed_park_is_drawn_in_its_sector_colour(atlas):
    content = draw(atlas)
    features = park_features(html_of(content))
    assert len(features) == len(content.park_ids) == len(atlas.parks)  # every row is drawn, stand-ins too
    for feature in features:
        props = feature["properties"]
        assert props["colour"] == (atlas.sectors.colour(props["sector"]) if props["sector"] else NO_SECTOR_COLOUR)


def test_sector_selection_draws_only_its_parks_and_legend(atlas):
    content = draw(atlas, Selection.of(["hp_ic"]))
    html = html_of(content)
    assert {f["properties"]["id"] for f in park_features(html)} == {
        "beijing-etown",
        "zgc-science-city",
        "zgc-shunyi",
        "zgc-chaoyang",
        "zgc-ic-design-park",
    }
    assert content.legend_sectors == ("hp_ic",)
    assert 'data-sector=\\"hp_ic\\"' in html and 'data-sector=\\"hp_ngit\\"' not in html


def test_rendering_is_deterministic_once_ids_are_normalised(atlas):
    assert html_of(draw(atlas)) == html_of(draw(atlas))


def test_layer_control_comes_after_every_layer(atlas):
    html = html_of(draw(atlas))
    assert html.rfind("L.control.layers") > html.rfind("L.geoJson(")


def test_app_card_is_small_and_points_to_the_details(atlas):
    feature = next(f for f in park_features(html_of(draw(atlas))) if f["properties"]["id"] == "shougang-park")
    card = feature["properties"]["popup"]
    assert "Shougang Park" in card and "首钢园" in card and "Sports" in card
    assert "Full record beside the map" in card
    assert "8.63" not in card and "Enterprises" not in card  # figures live in the details panel


def test_exported_card_carries_names_sources_and_years(atlas):
    feature = next(
        f for f in park_features(html_of(draw(atlas, title="t"))) if f["properties"]["id"] == "shougang-park"
    )
    card = feature["properties"]["popup"]
    assert "Shougang Park" in card and "首钢园" in card
    assert "8.63 km² (2012" in card and "Xinhua, via CNTV" in card
    assert "Enterprises: 256 enterprises (2023" in card
    assert ", ;" not in card and ", )" not in card


def test_exported_card_in_chinese_is_chinese(atlas):
    feature = next(
        f for f in park_features(html_of(draw(atlas, title="t", lang="zh"))) if f["properties"]["id"] == "shougang-park"
    )
    card = feature["properties"]["popup"]
    assert "8.63平方公里 (2012, 新首钢高端产业综合服务区核心区用地面积" in card
    assert "企业数: 256家 (2023; 入驻园区的企业(2023年3月))" in card
    assert "Xinhua" not in card and "新华" in card


def test_cards_say_what_a_zone_is_and_its_catalogue_record(atlas):
    cards = {f["properties"]["id"]: f["properties"]["popup"] for f in park_features(html_of(draw(atlas)))}
    assert "national development zone · G111001" in cards["beijing-etown"] and "specialised park" in cards["zpark"]
    full = {
        f["properties"]["id"]: f["properties"]["popup"]
        for f in park_features(html_of(draw(atlas, title="t", lang="zh")))
    }
    assert "2018年版目录 S117013(经济开发区)，批准时间 2006-06，核准面积 1,072.69 公顷" in full["yanqi-edz"]
    assert "主导产业(目录)：交通设备、装备制造、科技研发" in full["yanqi-edz"]


def test_unplaced_parks_and_citywide_zones_are_drawn_as_stand_ins(atlas):
    html = html_of(draw(atlas, title="t"))
    features = {f["properties"]["id"]: f for f in park_features(html)}
    zgc = features["zgc"]["properties"]
    assert zgc["standin"] and "city centre (a citywide zone, no single point) (±72 km)" in zgc["popup"]
    vr = features["zgc-vr-park"]["properties"]
    assert vr["standin"] and "district centre (no sourced point)" in vr["popup"]
    assert "(2023)" in vr["popup"] and "2023.0" not in vr["popup"]
    assert not features["zpark"]["properties"]["standin"]
    assert "hollow dot: stand-in point" in html  # and the legend says what a hollow dot means


def test_text_from_data_is_escaped_everywhere(data_copy):
    data_copy.set_cell("parks.csv", "zpark", "name_en", "<img src=x onerror=alert(1)>")
    data_copy.set_cell("parks.csv", "zpark", "aliases", "<script>alert(2)</script>")
    atlas = load_atlas(data_copy.root)
    content = draw(atlas, Selection.of(text="软件园"))
    assert content.park_ids == ("zpark",)
    html = html_of(content)
    assert "<img src=x" not in html and "<script>alert" not in html
    # What the browser will put into the tooltip and popup: the markup as text, never as elements.
    props = park_features(html)[0]["properties"]
    for shown in (props["tooltip"], props["popup"]):
        assert "&lt;img src=x onerror=alert(1)&gt;" in shown and "<img" not in shown


def test_template_syntax_in_data_is_shown_not_evaluated(data_copy):
    # folium compiles rendered scripts as Jinja templates: data must never be evaluated as one.
    data_copy.set_cell("parks.csv", "zpark", "name_en", "Park {{ 7*7 }} {% if true %}x{% endif %}")
    atlas = load_atlas(data_copy.root)
    props = park_features(html_of(draw(atlas, Selection.of(text="软件园"))))[0]["properties"]
    assert "Park &#123;&#123; 7*7 &#125;&#125; &#123;% if true %&#125;x&#123;% endif %&#125;" in props["tooltip"]
    assert "49" not in props["tooltip"]


def test_gaode_basemap_shifts_overlays_to_gcj02(atlas):
    wgs = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in park_features(html_of(draw(atlas)))}
    gcj = {
        f["properties"]["id"]: f["geometry"]["coordinates"]
        for f in park_features(html_of(draw(atlas, basemap="gaode")))
    }
    shift_m = distance_km(*wgs["zpark"], *gcj["zpark"]) * 1000
    assert 450 < shift_m < 650


def test_no_tiles_mode_draws_the_districts_as_ground(atlas):
    html = html_of(draw(atlas, basemap="none"))
    assert "L.tileLayer" not in html
    assert '"fillOpacity": 1.0' in html


def test_osm_basemap_has_its_attribution(atlas):
    html = html_of(draw(atlas))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html


def test_inline_assets_leave_no_cdn_behind(atlas):
    content = draw(atlas, basemap="none")
    use_inline_assets(content.map)
    html = content.map.get_root().render()
    assert not re.findall(r'(?:src|href)="https?://', html)
    assert "cdn.jsdelivr" not in html and "code.jquery" not in html


def test_served_assets_point_at_the_app(atlas):
    content = draw(atlas)
    use_served_assets(content.map, "/app/static/vendor/x")
    html = content.map.get_root().render()
    assert 'src="/app/static/vendor/x/leaflet.js"' in html and "cdn.jsdelivr" not in html


def test_park_style_is_a_pure_function_of_the_feature():
    feature = {"properties": {"colour": "#332288"}}
    assert park_style(feature) == park_style(feature) and park_style(feature)["fillColor"] == "#332288"


@pytest.mark.parametrize("lang, label", [("en", "Integrated circuits"), ("zh", "集成电路")])
def test_legend_language(atlas, lang, label):
    html = html_of(draw(atlas, Selection.of(["hp_ic"]), lang=lang))
    assert json.dumps(label)[1:-1] in html  # the legend travels as a JSON string


def test_layers_and_basemaps_are_looked_up_by_key():
    from layers.map import SPECS, basemap, layer_spec

    assert layer_spec("parks").geometry == "point" and layer_spec("parks").title("zh") == "园区"
    assert [s.key for s in SPECS] == [
        "districts",
        "rail_lines",
        "rail_stations",
        "extents",
        "clusters",
        "parks",
        "hubs",
        "enterprises",
        "heatmap",
    ]
    with pytest.raises(ValueError, match="unknown layer 'roads'"):
        layer_spec("roads")
    with pytest.raises(ValueError, match="unknown basemap 'mars'"):
        basemap("mars")
    assert basemap("gaode").datum.value == "gcj02"
    assert basemap("gaode").tile_provider().url.startswith("https://")  # a page on https would block http tiles


def test_clusters_are_rings_that_name_themselves_and_a_second_ring_is_wider(atlas):
    html = html_of(draw(atlas))
    rings = [
        f["properties"] for layer in geojson_layers(html) for f in layer["features"] if "radius" in f["properties"]
    ]
    etown = sorted(r["radius"] for r in rings if r["id"] in ("etown-ic", "etown-commercial-space"))
    assert etown == [14, 19]  # two clusters at E-Town: two rings, not one on top of the other
    assert any("E-Town integrated-circuit cluster" in r["tooltip"] for r in rings)
    assert "dashed ring: an industry cluster at its host park" in html


def test_a_district_filter_outlines_the_district_and_fits_it(atlas):
    content = draw(atlas, Selection.of(districts=["110116"]))
    html = html_of(content)
    assert "atlas-chosen-district" in html
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html, re.S).group(1))
    huairou = atlas.districts.set_index("adcode").loc["110116"].geometry.bounds
    assert bounds[0][0] <= huairou[1] + 1e-9 and bounds[1][0] >= huairou[3] - 1e-9  # the whole district is in view


def test_an_empty_selection_keeps_beijing_in_view(atlas):
    content = draw(atlas, Selection.of(text="no such park anywhere"))
    assert content.park_ids == ()
    bounds = json.loads(re.search(r"fitBounds\(\s*(\[\[.*?\]\])", html_of(content), re.S).group(1))
    south, west, north, east = *atlas.districts.total_bounds[[1, 0]], *atlas.districts.total_bounds[[3, 2]]
    assert bounds == [[south, west], [north, east]]


def test_one_basis_serves_every_selection(atlas):
    basis = prepare_basis(atlas, "en", "wgs84")
    for selection in (Selection(), Selection.of(["hp_ic"]), Selection.of(districts=["110108"])):
        shown = select(atlas, selection)
        assert html_of(build_map(atlas, shown, MapRequest(selection), basis)) == html_of(
            build_map(atlas, shown, MapRequest(selection))
        )


def test_a_clicked_shape_gets_no_black_focus_box(atlas):
    assert ".leaflet-interactive:focus" in html_of(draw(atlas)) and "outline:none" in html_of(draw(atlas))


def test_stand_ins_sharing_a_spot_are_each_visible_and_stay_near_it(atlas):
    features = park_features(html_of(draw(atlas)))
    spots = [tuple(round(c, 6) for c in f["geometry"]["coordinates"]) for f in features]
    assert len(set(spots)) == len(spots), "no marker hides another"
    recorded = {r.id: (r.geometry.x, r.geometry.y) for r in atlas.parks.itertuples()}
    haidian = [f for f in features if f["properties"]["id"] in {"zgc-haidian", "cuihu-park", "zgc-cbz"}]
    for feature in haidian:
        lon, lat = feature["geometry"]["coordinates"]
        assert float(distance_km(lon, lat, *recorded[feature["properties"]["id"]])) <= 1.0
    etown = next(f for f in features if f["properties"]["id"] == "beijing-etown")
    assert tuple(etown["geometry"]["coordinates"]) == pytest.approx(recorded["beijing-etown"])  # a sourced point stays


def test_the_no_sector_grey_is_told_apart_from_every_sector_colour(atlas):
    from layers.model.checks import MIN_NEIGHBOUR_COLOUR_DISTANCE
    from layers.model.sectors import colour_distance

    # The other greys and black must clear the neighbour rule; a hued colour is told from a neutral grey by its hue
    # too, so 30 (CIE76) is enough there.
    def needed(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        return MIN_NEIGHBOUR_COLOUR_DISTANCE if max(r, g, b) - min(r, g, b) < 16 else 30.0

    close = {
        s.code: round(colour_distance(NO_SECTOR_COLOUR, s.colour), 1)
        for s in atlas.sectors
        if colour_distance(NO_SECTOR_COLOUR, s.colour) < needed(s.colour)
    }
    assert close == {}, close


# --- on the tiny atlas: what the map does with each placement, whatever the bundled data holds --------------------


def test_each_placement_is_drawn_as_it_is(tiny_atlas):
    features = {f["properties"]["id"]: f["properties"] for f in park_features(html_of(draw(tiny_atlas)))}
    assert set(features) == {"alpha-zone", "beta-park", "gamma-park", "city-zone"}  # every row, stand-ins too
    assert not features["alpha-zone"]["standin"]  # a sourced point is filled ...
    assert features["beta-park"]["standin"] and features["gamma-park"]["standin"] and features["city-zone"]["standin"]
    assert features["alpha-zone"]["colour"] == tiny_atlas.sectors.colour("hp_ic")  # its primary sector
    assert features["city-zone"]["colour"] == NO_SECTOR_COLOUR
    chosen = {f["properties"]["id"] for f in park_features(html_of(draw(tiny_atlas, Selection.of(["hp_ai"]))))}
    assert chosen == {"alpha-zone", "beta-park"}  # a secondary sector counts too
