"""The folium map as HTML: layers, colours, legend, escaping, datum shift and offline assets."""

from __future__ import annotations

import json
import re

import pytest

from geo.crs import distance_km
from layers.assets import use_inline_assets, use_served_assets
from layers.filters import Selection
from layers.load import load_atlas
from layers.render import MapRequest, build_map
from layers.styles import park_style

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


def test_every_placed_park_is_drawn_in_its_sector_colour(atlas):
    content = build_map(atlas)
    features = park_features(html_of(content))
    assert len(features) == len(content.park_ids) == 15
    for feature in features:
        props = feature["properties"]
        assert props["colour"] == atlas.sectors.colour(props["sector"])


def test_sector_selection_draws_only_its_parks_and_legend(atlas):
    content = build_map(atlas, MapRequest(Selection.of(["hp_ic"])))
    html = html_of(content)
    assert {f["properties"]["id"] for f in park_features(html)} == {"beijing-etown", "zgc-science-city", "zgc-shunyi", "zgc-chaoyang"}
    assert content.legend_sectors == ("hp_ic",)
    assert 'data-sector=\\"hp_ic\\"' in html and 'data-sector=\\"hp_ngit\\"' not in html


def test_rendering_is_deterministic_once_ids_are_normalised(atlas):
    assert html_of(build_map(atlas)) == html_of(build_map(atlas))


def test_layer_control_comes_after_every_layer(atlas):
    html = html_of(build_map(atlas))
    assert html.rfind("L.control.layers") > html.rfind("L.geoJson(")


def test_popup_carries_names_sources_and_years(atlas):
    feature = next(f for f in park_features(html_of(build_map(atlas))) if f["properties"]["id"] == "shougang-park")
    popup = feature["properties"]["popup"]
    assert "Shougang Park" in popup and "首钢园" in popup
    assert "8.63 km² (2012" in popup and "Xinhua, via CNTV" in popup
    assert "Enterprises: 256 enterprises (2023" in popup


def test_unplaced_parks_are_labelled_and_the_citywide_zone_is_not_drawn(atlas):
    features = {f["properties"]["id"]: f for f in park_features(html_of(build_map(atlas)))}
    assert "zgc" not in features
    popup = features["zgc-vr-park"]["properties"]["popup"]
    assert "drawn at the district's centre" in popup
    assert "(2023)" in popup and "2023.0" not in popup


def test_text_from_data_is_escaped_everywhere(data_copy):
    data_copy.set_cell("parks.csv", "zpark", "name_en", "<img src=x onerror=alert(1)>")
    data_copy.set_cell("parks.csv", "zpark", "aliases", "<script>alert(2)</script>")
    atlas = load_atlas(data_copy.root)
    content = build_map(atlas, MapRequest(Selection.of(text="软件园")))
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
    props = park_features(html_of(build_map(atlas, MapRequest(Selection.of(text="软件园")))))[0]["properties"]
    assert "Park &#123;&#123; 7*7 &#125;&#125; &#123;% if true %&#125;x&#123;% endif %&#125;" in props["tooltip"]
    assert "49" not in props["tooltip"]


def test_gaode_basemap_shifts_overlays_to_gcj02(atlas):
    wgs = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in park_features(html_of(build_map(atlas)))}
    gcj = {f["properties"]["id"]: f["geometry"]["coordinates"] for f in park_features(html_of(build_map(atlas, MapRequest(basemap="gaode"))))}
    shift_m = distance_km(*wgs["zpark"], *gcj["zpark"]) * 1000
    assert 450 < shift_m < 650


def test_no_tiles_mode_draws_the_districts_as_ground(atlas):
    html = html_of(build_map(atlas, MapRequest(basemap="none")))
    assert "L.tileLayer" not in html
    assert '"fillOpacity": 1.0' in html


def test_osm_basemap_has_its_attribution(atlas):
    html = html_of(build_map(atlas))
    assert "tile.openstreetmap.org" in html and "OpenStreetMap" in html


def test_inline_assets_leave_no_cdn_behind(atlas):
    content = build_map(atlas, MapRequest(basemap="none"))
    use_inline_assets(content.map)
    html = content.map.get_root().render()
    assert not re.findall(r'(?:src|href)="https?://', html)
    assert "cdn.jsdelivr" not in html and "code.jquery" not in html


def test_served_assets_point_at_the_app(atlas):
    content = build_map(atlas)
    use_served_assets(content.map, "/app/static/vendor/x")
    html = content.map.get_root().render()
    assert 'src="/app/static/vendor/x/leaflet.js"' in html and "cdn.jsdelivr" not in html


def test_park_style_is_a_pure_function_of_the_feature():
    feature = {"properties": {"colour": "#332288"}}
    assert park_style(feature) == park_style(feature) and park_style(feature)["fillColor"] == "#332288"


@pytest.mark.parametrize("lang, label", [("en", "Integrated circuits"), ("zh", "集成电路")])
def test_legend_language(atlas, lang, label):
    html = html_of(build_map(atlas, MapRequest(Selection.of(["hp_ic"]), lang=lang)))
    assert json.dumps(label)[1:-1] in html  # the legend travels as a JSON string


def test_layer_specs_are_validated_and_name_their_fields():
    from layers.spec import LAYERS, LayerSpec, basemap, layer

    assert layer("parks").fields == ("tooltip", "popup") and layer("parks").geometry == "point"
    assert [s.key for s in LAYERS] == ["districts", "extents", "clusters", "parks", "hubs", "enterprises", "heatmap"]
    with pytest.raises(ValueError, match="geometry must be point, polygon or line"):
        LayerSpec("x", "X", "X", "raster")
    with pytest.raises(ValueError, match="unknown basemap 'mars'"):
        basemap("mars")
    assert basemap("gaode").datum.value == "gcj02"
