"""The kept map, as a person uses it: filters never redraw it, the view stays where it was left and is in the link,
⤢ fits it again, and many changes leave the page no bigger."""

from __future__ import annotations

import re

import pytest

from layers import Selection, select

from .browser import (
    TILE_URL,
    chromium_context,
    click_a_visible_park,
    map_element,
    map_view,
    open_map,
    screenshot,
    wait_for_count,
)
from .browser import wait_until_idle as idle

pytestmark = pytest.mark.browser

LAYER_COUNT = "() => Object.keys(document.querySelector('.atlas-live-map').parentElement.atlasMap.map._layers).length"


def choose_sector(page, typed: str) -> None:
    page.locator("[class*='st-key-sectors_hp2017-'] input").click()
    page.keyboard.type(typed)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    idle(page)


def drop_sector(page) -> None:
    page.locator("[class*='st-key-sectors_hp2017-'] input").click()
    page.keyboard.press("Backspace")
    page.keyboard.press("Escape")
    idle(page)


def test_filters_leave_the_map_where_the_person_put_it(app_url, atlas):
    every = len(atlas.parks)
    ic = sum(1 for sectors in atlas.parks["sectors"] if "hp_ic" in (sectors or ()))
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        page.set_viewport_size({"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        frame = open_map(page, app_url)
        parks = frame.locator("path.atlas-park")
        assert wait_for_count(page, parks, every) == every
        idle(page)
        assert "z=" not in page.url, "a map nobody moved puts no view in the link"
        # The person zooms in twice with the + button and drags the map a little.
        fitted_zoom = map_view(page)[0]
        for _ in range(2):
            frame.locator(".leaflet-control-zoom-in").click()
            page.wait_for_timeout(400)  # Leaflet's zoom animation
        box = frame.bounding_box()
        page.mouse.move(box["x"] + 300, box["y"] + 300)
        page.mouse.down()
        page.mouse.move(box["x"] + 380, box["y"] + 340, steps=5)
        page.mouse.up()
        idle(page)
        left_at = map_view(page)
        assert left_at[0] == fitted_zoom + 2
        assert f"z={left_at[0]}" in page.url, "the link holds where the map was left"
        frame.locator(".leaflet-container").evaluate("(el) => el.setAttribute('data-probe', 'same map')")

        choose_sector(page, "Integrated")
        assert wait_for_count(page, parks, ic) == ic
        layers_before = page.evaluate(LAYER_COUNT)
        assert map_view(page) == left_at, "a filter change leaves pan and zoom alone"
        assert frame.locator(".leaflet-container[data-probe='same map']").count() == 1, "the map was not redrawn"
        for _ in range(4):
            drop_sector(page)
            assert wait_for_count(page, parks, every) == every
            choose_sector(page, "Integrated")
            assert wait_for_count(page, parks, ic) == ic
        assert page.evaluate(LAYER_COUNT) == layers_before, "changes add no layers to the page"
        assert map_view(page) == left_at

        # Clicking a dot opens its record beside the map, as before.
        click_a_visible_park(parks)
        page.locator(".st-key-park-details").wait_for(timeout=30_000)

        # ⤢ fits the map to what is shown and lets it follow the filters again: the link forgets the view.
        frame.locator(".atlas-fit a").click()
        idle(page)
        assert map_view(page) != left_at
        assert "z=" not in page.url
        assert not errors, errors


def choose_basemap(page, typed: str) -> None:
    box = page.locator("[class*='st-key-basemap-'] input[role='combobox']")
    box.click()
    box.fill(typed)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    idle(page)


PARK_DOT = (
    "(id) => { let at = null; document.querySelector('.atlas-live-map').parentElement.atlasMap.parts.parks"
    ".eachLayer((l) => { if (l.feature.properties.id === id) { at = [l.getLatLng().lat, l.getLatLng().lng]; } });"
    " return at; }"
)


def test_the_gaode_basemap_keeps_the_streets_in_view_and_clicks_land_where_they_are(app_url, atlas):
    """On Gaode (GCJ-02) the dots sit shifted onto its streets, the place the person was looking at stays in view,
    and a click on Nearby's map searches around the real (WGS-84) point, not one a few hundred metres off."""
    from geo.datums import convert

    shougang = atlas.parks.set_index("id").loc["shougang-park"].geometry
    with chromium_context(grey_tiles=True) as (context, blocked):
        page = context.new_page()
        page.set_viewport_size({"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        frame = open_map(page, app_url)
        assert wait_for_count(page, frame.locator("path.atlas-park"), len(atlas.parks)) == len(atlas.parks)
        idle(page)
        for _ in range(4):  # close enough that Gaode's shift (~600 m) is many pixels
            frame.locator(".leaflet-control-zoom-in").click()
            page.wait_for_timeout(400)
        idle(page)
        zoom, lat, lon = map_view(page)
        two_pixels = 2 * 360 / (256 * 2**zoom)  # degrees of longitude; Leaflet rounds a view to whole pixels

        choose_basemap(page, "Gaode")
        page.wait_for_url(lambda url: "basemap=gaode" in url, timeout=15_000)
        assert wait_for_count(page, frame.locator("path.atlas-park"), len(atlas.parks)) == len(atlas.parks)
        gcj_lon, gcj_lat = convert(lon, lat, "wgs84", "gcj02")
        on_gaode = map_view(page)
        assert on_gaode[0] == zoom
        assert on_gaode[1:] == pytest.approx((float(gcj_lat), float(gcj_lon)), abs=two_pixels), "the same streets"
        assert abs(on_gaode[2] - lon) > 5 * two_pixels, "the view moved with Gaode's shift"
        dot = page.evaluate(PARK_DOT, "shougang-park")
        dot_lon, dot_lat = convert(shougang.x, shougang.y, "wgs84", "gcj02")
        assert dot == pytest.approx([float(dot_lat), float(dot_lon)], abs=1e-6), "dots are shifted onto Gaode's streets"
        assert any("autonavi" in url for url in blocked), "Gaode's tiles were asked for"

        page.locator("[class*='st-key-view-']").get_by_text("Nearby", exact=True).click()
        idle(page)
        box = map_element(page).bounding_box()  # the view's own map, on Gaode too
        x, y = round(box["x"] + box["width"] * 0.35), round(box["y"] + box["height"] * 0.3)
        page.evaluate(  # what Leaflet itself makes of the click, in the basemap's datum
            "() => document.querySelector('.atlas-live-map').parentElement.atlasMap.map"
            ".once('click', (e) => { window.clickedAt = [e.latlng.lat, e.latlng.lng]; })"
        )
        page.mouse.click(x, y)
        idle(page)
        at = page.evaluate("() => window.clickedAt")
        real_lon, real_lat = convert(at[1], at[0], "gcj02", "wgs84")
        said = page.locator("[data-testid='stAlert']").filter(has_text="Centred on the point clicked")
        said.wait_for(timeout=30_000)
        centre = [float(v) for v in re.findall(r"\d+\.\d{5}", said.inner_text())]
        assert centre == pytest.approx([float(real_lat), float(real_lon)], abs=2e-5), "searched around the real point"
        assert not errors, errors


RAIL = "path.atlas-rail-line"
STATIONS = "path.atlas-station"


def test_the_subway_network_is_drawn_offline_in_both_languages_and_its_stations_on_request(app_url, atlas):
    """Lines come on by default under the parks; the stations layer adds a dot per station, each naming itself."""
    transit = atlas.transit
    patterns = transit.stops.groupby(["line", "pattern"]).ngroups
    with chromium_context(grey_tiles=True) as (context, blocked):
        page = context.new_page()
        page.set_viewport_size({"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        open_map(page, app_url)
        lines = page.locator(RAIL)
        drawn = wait_for_count(page, lines, patterns // 2)  # a pattern and its reverse are one polyline
        assert transit.lines.shape[0] <= drawn <= patterns, drawn
        screenshot(page, "map-subway-lines-en")

        page.locator(".st-key-lang").get_by_text("中文", exact=True).click()
        idle(page)
        assert wait_for_count(page, lines, drawn) == drawn, "the network stays drawn in Chinese"
        box = page.locator(".st-key-layers-zh input")  # the Chinese widget (the English one may linger a moment)
        box.click()
        page.keyboard.type("地铁车站")
        page.wait_for_timeout(300)
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        idle(page)
        stations = page.locator(STATIONS)
        assert wait_for_count(page, stations, len(transit.stations)) == len(transit.stations)
        assert lines.count() == drawn
        first = transit.stations.sort_values("id").iloc[0]  # drawn in the data's order
        stations.first.dispatch_event("mouseover")  # a hover, wherever the dot is (a park's may sit on top)
        tooltip = page.locator(".leaflet-tooltip", has_text=first["name_zh"])
        tooltip.wait_for(timeout=10_000)
        assert first["name_en"] in tooltip.inner_text()  # Chinese first, then English, then its lines
        screenshot(page, "map-subway-stations-zh")
        assert not [url for url in blocked if not TILE_URL.search(url)], blocked  # only tiles were asked for
        assert not errors, errors


PARK_COLOURS = """() => Object.fromEntries(
    document.querySelector('.atlas-live-map').parentElement.atlasMap.parts.parks.getLayers().map((layer) => [
        layer.feature.properties.id,
        layer.feature.properties.standin ? layer.options.color : layer.options.fillColor,
    ]))"""


class HeldServer:
    """The app's websocket, passed through, except that what the server sends can be held back for a while."""

    def __init__(self, page):
        self.holding = False
        self.held: list = []
        page.route_web_socket("**/_stcore/stream", self._route)

    def _route(self, ws) -> None:
        server = ws.connect_to_server()
        self.page_side = ws
        ws.on_message(server.send)
        server.on_message(lambda message: self.held.append(message) if self.holding else ws.send(message))

    def release(self) -> None:
        self.holding = False
        while self.held:
            self.page_side.send(self.held.pop(0))


def pick(page, box: str, typed: str) -> None:
    """Type into a sector box and press Enter, with no wait for the server (it may be held back)."""
    page.locator(f"[class*='st-key-{box}-'] input").click()
    page.keyboard.type(typed)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")


def test_a_sector_change_repaints_the_map_before_the_server_answers(app_url, atlas):
    every = select(atlas, Selection())
    ic = select(atlas, Selection.of(["hp_ic"]))
    future = select(atlas, Selection.of(["hp_ic", "fi_info"]))  # a parent sector finds its sub-sectors' parks too
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        page.set_viewport_size({"width": 1400, "height": 1000})
        errors: list[str] = []
        page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
        server = HeldServer(page)
        frame = open_map(page, app_url)
        parks = frame.locator("path.atlas-park")
        assert wait_for_count(page, parks, len(every.placed_ids)) == len(every.placed_ids)
        idle(page)
        for box, typed, shown in (
            ("sectors_hp2017", "Integrated", ic),
            ("sectors_future2023", "Future information", future),
        ):
            server.holding = True
            pick(page, box, typed)
            # Nothing from the server reaches the page: the map repaints from what it has.
            assert wait_for_count(page, parks, len(shown.placed_ids)) == len(shown.placed_ids)
            guessed = page.evaluate(PARK_COLOURS)
            server.release()
            idle(page)
            assert parks.count() == len(shown.placed_ids)
            answered = page.evaluate(PARK_COLOURS)
            assert guessed == answered, "the page's guess is what the server then draws, colours included"
            assert set(answered) == set(shown.placed_ids)
        screenshot(page, "map-instant-sectors-en")

        # Mid-work, the person switches to Chinese: the boxes now read in Chinese, and still repaint at once.
        page.locator(".st-key-lang").get_by_text("中文", exact=True).click()
        page.locator(".st-key-sectors_future2023-zh [data-tag]").wait_for(timeout=30_000)
        frame.locator(".atlas-legend", has_text="集成电路").wait_for(timeout=30_000)  # the map's Chinese state
        idle(page)
        assert parks.count() == len(future.placed_ids), "the language keeps the chosen sectors"
        server.holding = True
        page.locator(".st-key-sectors_future2023-zh input").click()
        page.keyboard.press("Backspace")
        page.keyboard.press("Escape")
        assert wait_for_count(page, parks, len(ic.placed_ids)) == len(ic.placed_ids)
        server.release()
        idle(page)
        assert parks.count() == len(ic.placed_ids)
        legend = frame.locator(".atlas-legend").inner_text()
        assert "集成电路" in legend and "未来信息" not in legend, "the server's answer brings the legend"
        screenshot(page, "map-instant-sectors-zh")
        assert not errors, errors
