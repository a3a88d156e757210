"""The kept map, as a person uses it: filters never redraw it, the view stays where it was left and is in the link,
⤢ fits it again, and many changes leave the page no bigger."""

from __future__ import annotations

import pytest

from .browser import (
    chromium_context,
    click_a_visible_park,
    map_view,
    open_map,
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
