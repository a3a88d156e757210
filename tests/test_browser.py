"""The app in a real browser, as a person opens it: headless Chromium, nothing reachable beyond 127.0.0.1."""

from __future__ import annotations

import re
import time

import pytest

from .browser import (
    TILE_URL,
    chromium_context,
    click_a_visible_park,
    map_element,
    open_map,
    screenshot,
    wait_for_count,
    wait_until_idle,
)

pytestmark = pytest.mark.browser


def test_map_shows_every_park_filters_by_sector_and_opens_details(app_url, atlas):
    with chromium_context() as (context, blocked):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        frame = open_map(page, app_url)
        parks = frame.locator("path.atlas-park")
        every = len(atlas.parks)  # every row is drawn, stand-ins too
        assert wait_for_count(page, parks, every) == every
        assert frame.locator(".atlas-legend").count() == 1
        screenshot(page, "app-map-all-parks")

        page.locator("[class*='st-key-sectors_hp2017-'] input").click()
        page.keyboard.type("Integrated")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        assert wait_for_count(page, parks, ic_hosts(atlas)) == ic_hosts(atlas)
        page.wait_for_url(lambda url: "sector=hp_ic" in url, timeout=15_000)  # the link follows once the run ends
        screenshot(page, "app-map-integrated-circuits")

        wait_until_idle(page)
        click_a_visible_park(parks)
        details = page.locator(".st-key-park-details")
        try:
            details.wait_for(timeout=15_000)
        except Exception:
            # Now and then the first click after a rerun does not reach Python; a person would click again.
            screenshot(page, "app-park-details-first-click-lost")
            wait_until_idle(page)
            click_a_visible_park(parks)
            details.wait_for(timeout=30_000)
        assert any(name in details.inner_text() for name in ("E-Town", "Zhongguancun", "Shunyi", "Chaoyang"))
        assert re.search(
            r"To PEK \(Capital airport\) \d+\.\d km · To PKX \(Daxing airport\) \d+\.\d km", details.inner_text()
        )
        page.wait_for_url(re.compile(r"park=[a-z-]+"), timeout=10_000)  # the link holds the clicked park
        screenshot(page, "app-park-details")

        assert not errors, errors
        outside_tiles = [u for u in blocked if not TILE_URL.search(u)]
        assert outside_tiles == [], f"the app reached outside 127.0.0.1 for more than tiles: {outside_tiles}"


def test_a_shared_link_reopens_the_same_view_in_chinese(app_url):
    with chromium_context() as (context, _blocked):
        page = context.new_page()
        frame = open_map(page, f"{app_url}/?sector=hp_health&district=110114&lang=zh&basemap=none")
        assert wait_for_count(page, frame.locator("path.atlas-park"), 2) == 2
        screenshot(page, "app-shared-link-zh")


def ic_hosts(atlas) -> int:
    """Parks listing integrated circuits (all drawn)."""
    return sum(1 for r in atlas.parks.itertuples() if "hp_ic" in (r.sectors or ()))


def test_downloaded_map_opens_offline_with_the_same_parks(app_url, atlas, tmp_path):
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        frame = open_map(page, f"{app_url}/?sector=hp_ic")
        assert wait_for_count(page, frame.locator("path.atlas-park"), ic_hosts(atlas)) == ic_hosts(atlas)
        wait_until_idle(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Offline map (HTML)").click()
        saved = tmp_path / "downloaded.html"
        download.value.save_as(saved)
        with page.expect_download(timeout=60_000) as csv_download:
            page.get_by_role("button", name="CSV (Excel)").click()
        csv_path = tmp_path / "downloaded.csv"
        csv_download.value.save_as(csv_path)

        offline = context.new_page()
        offline.goto(saved.as_uri())
        parks = offline.locator("path.atlas-park")
        assert wait_for_count(offline, parks, ic_hosts(atlas)) == ic_hosts(atlas)
        assert "Integrated circuits" in offline.locator(".atlas-title").inner_text()
        screenshot(offline, "downloaded-map-offline")

    raw = csv_path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert raw.decode("utf-8-sig").count("\n") == 1 + ic_hosts(atlas)  # the header and the parks shown


def test_investor_journey_in_the_browser(app_url, tmp_path):
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        page.goto(f"{app_url}/?view=rank&sector=hp_ic", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Rank").wait_for(timeout=30_000)
        page.locator(".st-key-rank_max_airport input").fill("40")
        page.keyboard.press("Enter")
        wait_until_idle(page)
        page.get_by_role("button", name="Compare the top three").click()
        page.get_by_role("heading", name="Compare").wait_for(timeout=30_000)
        wait_until_idle(page)
        screenshot(page, "investor-comparison")
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Download the comparison (CSV)").click()
        saved = tmp_path / "comparison.csv"
        download.value.save_as(saved)
    text = saved.read_bytes().decode("utf-8-sig")
    header = text.splitlines()[0].split(",")
    assert header[0] == "attribute" and len(header) >= 4
    assert "Zhongguancun Chaoyang Park" in text and "Zhongguancun Science City" in text
    assert "To PEK (Capital airport)" in text and "To the nearest main rail station" in text


def test_layout_check_map_shades_the_districts(app_url):
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        page.goto(f"{app_url}/?view=layout", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Layout check").wait_for(timeout=30_000)
        districts = map_element(page).locator("path.leaflet-interactive")
        assert wait_for_count(page, districts, 16) == 16
        screenshot(page, "layout-check")


# --- a 100,000-firm company list ------------------------------------------------------------------------

PAINTED_PIXELS = """
(tiles) => {
    const colours = {};
    let painted = 0;
    for (const tile of tiles) {
        const data = tile.getContext("2d").getImageData(0, 0, tile.width, tile.height).data;
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 200) {  // solid dot pixels, not anti-aliased edges
                painted += 1;
                const key = "#" + [data[i], data[i + 1], data[i + 2]].map(v => v.toString(16).padStart(2,
                    "0")).join("").toUpperCase();
                colours[key] = (colours[key] || 0) + 1;
            }
        }
    }
    return {painted, colours};
}
"""


FIRST_DOT = """
(tiles) => {
    const map = tiles[0].closest(".leaflet-container").getBoundingClientRect();
    for (const tile of tiles) {
        const data = tile.getContext("2d").getImageData(0, 0, tile.width, tile.height).data;
        const box = tile.getBoundingClientRect();
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 200) {
                const p = i / 4, x = box.left + (p % tile.width), y = box.top + Math.floor(p / tile.width);
                // clear of the controls and the legend, and on screen
                if (x > map.left + 60 && y > map.top + 60 && x < map.right - 240 && y < map.bottom - 40
                    && y < window.innerHeight - 10) {
                    return {x: x + 1, y: y + 1}; }
            }
        }
    }
    return null;
}
"""


def colour_distance(a: str, b: str) -> int:
    return max(abs(int(a[i : i + 2], 16) - int(b[i : i + 2], 16)) for i in (1, 3, 5))


def firm_count_in_legend(frame) -> int:
    return int(frame.locator(".atlas-firm-count").inner_text().replace(",", ""))


def test_a_100k_company_list_uploads_draws_and_follows_the_sector_filter(app_url, atlas, tmp_path):
    from bench.make_enterprises import write_synthetic
    from layers.enterprises import process_table, read_enterprise_table
    from layers.map.overlays.firms import FirmSource

    path = write_synthetic(100_000, tmp_path / "firms-100k.csv", atlas, seed=3, bad_share=0.01)
    expected = FirmSource.of(process_table(read_enterprise_table(path), atlas).enriched)
    ic_colour = atlas.sectors.colour("hp_ic").upper()
    with chromium_context() as (context, _):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.set_viewport_size({"width": 1400, "height": 1000})
        frame = open_map(page, app_url)
        wait_until_idle(page)
        page.locator(".st-key-firms_file input[type=file]").set_input_files(str(path))
        frame.locator(".leaflet-container[data-firms-drawn]").wait_for(timeout=60_000)
        wait_until_idle(page)
        frame.locator(".leaflet-container[data-firms-drawn]").wait_for(timeout=30_000)
        assert firm_count_in_legend(frame) == expected.shown(None, None) > 95_000
        assert frame.locator(".atlas-firm-tile").count() > 0
        assert frame.locator(".leaflet-marker-icon, path").count() < 200  # firms are canvas pixels, not DOM markers
        drawn = frame.locator(".atlas-firm-tile").evaluate_all(PAINTED_PIXELS)
        assert drawn["painted"] > 50_000 and len(drawn["colours"]) >= 8  # many firms, in many sector colours
        screenshot(page, "app-firms-100k")
        # Hovering a dot names the firm, as the card does on a click.
        dot = frame.locator(".atlas-firm-tile").evaluate_all(FIRST_DOT)
        page.mouse.move(dot["x"], dot["y"])
        frame.locator(".atlas-firm-hover").wait_for(timeout=10_000)
        assert frame.locator(".atlas-firm-hover").inner_text().strip()

        page.locator("[class*='st-key-sectors_hp2017-'] input").click()
        page.keyboard.type("Integrated")
        page.keyboard.press("Enter")
        page.keyboard.press("Escape")
        wait_until_idle(page)
        ic_only = expected.shown(frozenset({"hp_ic"}), None)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and (
            not frame.locator(".atlas-firm-count").count() or firm_count_in_legend(frame) != ic_only
        ):
            page.wait_for_timeout(200)
        assert firm_count_in_legend(frame) == ic_only
        page.wait_for_timeout(500)
        drawn = frame.locator(".atlas-firm-tile").evaluate_all(PAINTED_PIXELS)
        assert drawn["painted"] > 2_000
        # Only integrated-circuit firms are drawn (canvas alpha rounding moves a channel by a unit or two).
        assert max(colour_distance(c, ic_colour) for c in drawn["colours"]) <= 3
        screenshot(page, "app-firms-100k-integrated-circuits")
        assert not errors
