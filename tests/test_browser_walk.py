"""A person's walk through every view, in both languages, in a real browser: switch the language and the view in
the middle of work, click the map in each view, type places the way people say them, paste a link.

Any Streamlit exception element, page error or console error fails the walk. Screenshots of every view in both
languages go to artifacts/ (walk-<view>-<lang>.png) for a person to look at.
"""

from __future__ import annotations

import pytest

from .browser import (
    chromium_context,
    click_a_visible_park,
    map_element,
    map_view,
    open_map,
    screenshot,
    wait_for_count,
    wait_until_idle,
)

pytestmark = pytest.mark.browser

LABELS = {
    "en": {
        "map": "Map",
        "nearby": "Nearby",
        "compare": "Compare",
        "rank": "Rank",
        "layout": "Layout check",
        "language": "English",
        "details": "Park details",
        "airport": "Beijing Daxing International Airport",
        "clicked": "Centred on the point clicked",
        "choose": "Which do you mean?",
        "distance": "Distance (km)",
    },
    "zh": {
        "map": "地图",
        "nearby": "周边",
        "compare": "对比",
        "rank": "排序",
        "layout": "布局检查",
        "language": "中文",
        "details": "园区详情",
        "airport": "北京大兴国际机场",
        "clicked": "以所点击的位置",
        "choose": "您指的是哪一个",
        "distance": "距离(公里)",
    },
}
OTHER = {"en": "zh", "zh": "en"}


class Watch:
    """Everything that went wrong on a page: script errors, console errors, Streamlit exception elements."""

    def __init__(self, page):
        self.page = page
        self.errors: list[str] = []
        page.on("pageerror", lambda exc: self.errors.append(f"page error: {exc}"))
        page.on("console", lambda m: self.errors.append(f"console: {m.text}") if m.type == "error" else None)

    def check(self, step: str) -> None:
        wait_until_idle(self.page)
        shown = self.page.locator("[data-testid='stException']")
        exceptions = [shown.nth(i).inner_text()[:600] for i in range(shown.count())]
        assert not exceptions, f"{step}: {exceptions}"
        assert not self.errors, f"{step}: {self.errors}"


def choose_view(page, lang: str, view: str) -> None:
    page.locator("[class*='st-key-view-']").get_by_text(LABELS[lang][view], exact=True).click()
    wait_until_idle(page)


def type_into(page, key: str, text: str) -> None:
    """Type into a list box and press Enter, as a person picks an option."""
    page.locator(f"[class*='st-key-{key}-'] input").first.click()
    page.keyboard.type(text)
    page.wait_for_timeout(300)
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    wait_until_idle(page)


#: For each ring, a point on its edge where the ring is what the mouse would touch (None: covered everywhere).
RING_EDGES = """
(rings) => rings.map((ring) => {
    const box = ring.getBoundingClientRect(), r = box.width / 2 - 1.2;
    const cx = box.left + box.width / 2, cy = box.top + box.height / 2;
    for (let k = 0; k < 90; k++) {
        const x = cx + r * Math.cos(2 * Math.PI * k / 90), y = cy + r * Math.sin(2 * Math.PI * k / 90);
        if (document.elementFromPoint(x, y) === ring) { return {x: x, y: y}; }
    }
    return null;
})
"""


def map_frame(page):
    return map_element(page)


def click_map_middle(page) -> None:
    """Click the map where a person would: a little off its centre, on empty ground."""
    box = map_element(page).bounding_box()
    page.mouse.click(box["x"] + box["width"] * 0.35, box["y"] + box["height"] * 0.3)
    wait_until_idle(page)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_person_walks_every_view_in_both_languages(app_url, atlas, lang):
    other = OTHER[lang]
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        page.set_viewport_size({"width": 1440, "height": 1500})
        watch = Watch(page)
        frame = open_map(page, f"{app_url}/?lang={lang}")
        parks = frame.locator("path.atlas-park")
        every = len(atlas.parks)  # every row is drawn, stand-ins too
        assert wait_for_count(page, parks, every) == every
        wait_until_idle(page)
        watch.check("first load")
        screenshot(page, f"walk-map-{lang}")
        # Hover a ring (on its edge, clear of the park's dot): it names its cluster. Rings in crowded Shijingshan
        # sit under other shapes, so the walk hovers them all and wants their clusters' names to show.
        names = set(atlas.clusters["name_zh" if lang == "zh" else "name_en"])
        named = set()
        for point in frame.locator("path.atlas-cluster").evaluate_all(RING_EDGES):
            if point is None:  # wholly under other shapes: nothing a person could hover
                continue
            page.mouse.move(point["x"], point["y"])
            tooltip = frame.locator(".leaflet-tooltip")
            for _ in range(10):
                page.wait_for_timeout(100)
                found = {n for n in names if tooltip.count() and tooltip.first.inner_text().startswith(n)}
                if found:
                    named |= found
                    break
        assert len(named) >= 6, named

        # Work in one language, then switch in the middle of it: nothing crashes, nothing chosen is lost.
        type_into(page, "sectors_hp2017", "集成电路" if lang == "zh" else "Integrated")
        ic = {r.id for r in atlas.parks.itertuples() if "hp_ic" in (r.sectors or ())}
        assert wait_for_count(page, parks, len(ic)) == len(ic)
        page.locator(".st-key-lang").get_by_text(LABELS[other]["language"], exact=True).click()
        wait_until_idle(page)
        watch.check("language switched")
        assert wait_for_count(page, parks, len(ic)) == len(ic), "the layers must survive a language switch"
        assert page.locator("[class*='st-key-view-'] input:checked").count() == 1, "the view radio keeps its choice"
        chip = page.locator("[class*='st-key-sectors_hp2017-'] [data-tag-index='0']").first.inner_text()
        assert ("集成电路" in chip) if other == "zh" else chip.startswith("Integrated circuits")
        type_into(page, "districts", "海淀" if other == "zh" else "Haidian")
        watch.check("district chosen after the switch")
        assert wait_for_count(page, parks, 2) == 2  # IC in Haidian: Zhongguancun Science City and the IC Park
        page.locator(".st-key-lang").get_by_text(LABELS[lang]["language"], exact=True).click()
        wait_until_idle(page)
        watch.check("language switched back")
        wait_until_idle(page)
        click_a_visible_park(parks)
        page.locator(".st-key-park-details").wait_for(timeout=30_000)
        page.wait_for_url(
            lambda url: "park=zgc-science-city" in url or "park=zgc-ic-design-park" in url, timeout=15_000
        )  # the link holds the clicked park
        watch.check("park clicked")

        # Nearby: a place by the name people say, then a click on the map.
        choose_view(page, lang, "nearby")
        page.locator(".st-key-nearby_q input").fill("大兴机场" if lang == "zh" else "Daxing airport")
        page.keyboard.press("Enter")
        wait_until_idle(page)
        assert LABELS[lang]["airport"] in page.locator("[data-testid='stAlert']").first.inner_text()
        watch.check("nearby place typed")
        screenshot(page, f"walk-nearby-{lang}")
        click_map_middle(page)
        page.get_by_text(LABELS[lang]["clicked"]).wait_for(timeout=30_000)
        assert page.locator(".st-key-nearby_q input").input_value() == ""
        watch.check("nearby map clicked")
        page.locator(".st-key-nearby_q input").fill("Haidian")
        page.keyboard.press("Enter")
        wait_until_idle(page)
        page.get_by_text(LABELS[lang]["choose"]).wait_for(timeout=30_000)  # two places share the name: it asks
        watch.check("an ambiguous place")

        # Compare two parks typed by name; Rank; the layout check, its map clicked.
        choose_view(page, lang, "compare")
        type_into(page, "compare", "Zpark")
        type_into(page, "compare", "首钢园" if lang == "zh" else "Shougang Park")
        chips = page.locator("[class*='st-key-compare-'] [data-tag-index]")
        assert chips.count() == 2, [
            chips.nth(i).inner_text() for i in range(chips.count())
        ]  # Enter picked one park each
        page.locator("[data-testid='stTable']").wait_for(timeout=30_000)
        table = page.locator("[data-testid='stTable']").inner_text()
        assert ("中关村软件园" if lang == "zh" else "Zhongguancun Software Park") in table and "None" not in table
        watch.check("compare")
        screenshot(page, f"walk-compare-{lang}")
        choose_view(page, lang, "rank")
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        watch.check("rank")
        screenshot(page, f"walk-rank-{lang}")
        choose_view(page, lang, "layout")
        layout_map = map_frame(page).locator("path.leaflet-interactive")
        assert wait_for_count(page, layout_map, 16) == 16
        layout_map.nth(5).click()
        watch.check("layout map clicked")
        screenshot(page, f"walk-layout-{lang}")

        # Back to the map: the filters are as they were left.
        choose_view(page, lang, "map")
        assert wait_for_count(page, map_frame(page).locator("path.atlas-park"), 2) == 2
        watch.check("back to the map")


def test_a_pasted_link_reopens_the_park_the_zoom_and_the_nearby_place(app_url, atlas):
    with chromium_context(grey_tiles=True) as (context, _blocked):
        page = context.new_page()
        watch = Watch(page)
        frame = open_map(page, f"{app_url}/?park=zpark&z=13&c=40.05,116.29&lang=zh")
        wait_for_count(page, frame.locator("path.atlas-park"), len(atlas.parks))
        page.locator(".st-key-park-details").wait_for(timeout=30_000)
        assert "中关村软件园" in page.locator(".st-key-park-details").inner_text()
        zoom, lat, lon = map_view(page)
        assert zoom == 13 and abs(lat - 40.05) < 0.01 and abs(lon - 116.29) < 0.01
        watch.check("link with a park and a view")

        page.goto(f"{app_url}/?view=nearby&near=Beijing%20South&km=7", wait_until="domcontentloaded")
        page.get_by_text("Beijing South railway station").first.wait_for(timeout=30_000)
        assert page.locator(".st-key-nearby_km input[type='range']").input_value() == "7"
        wait_until_idle(page)
        assert "km=7" in page.url and "near=Beijing" in page.url  # and the link still holds them
        watch.check("link with a nearby place")
