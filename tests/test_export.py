"""Exports: data round trips in every format, atomic writes, escaping, and the offline HTML in a real browser."""

from __future__ import annotations

import re

import pytest

from layers.export import export_data, export_html, export_records, main, read_records
from layers.filters import Selection
from layers.load import load_atlas
from layers.render import MapRequest

from .browser import TILE_URL, chromium_context, require_chromium, screenshot


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
@pytest.mark.parametrize("selection", [Selection(), Selection.of(["hp_ic"]), Selection.of(districts=["110107"])], ids=["all", "ic", "shijingshan"])
def test_data_round_trip_loses_nothing(atlas, tmp_path, fmt, selection):
    path = tmp_path / f"parks.{fmt}"
    count = export_data(atlas, selection, path)
    shown = export_records(atlas, selection)
    back = read_records(path)
    assert count == len(back) == len(shown)
    assert [r["id"] for r in back] == [r["id"] for r in shown]
    for original, read in zip(shown, back):
        for column in ("lon", "lat"):
            if original[column] is None:
                assert read[column] is None
            else:
                assert read[column] == pytest.approx(original[column], abs=1e-7)
        assert read == original  # names, sectors, facts with their sources: everything


def test_records_carry_facts_and_their_sources(atlas):
    zpark = next(r for r in export_records(atlas, Selection.of(text="zpark")) if r["id"] == "zpark")
    assert {f["metric"] for f in zpark["facts"]} >= {"revenue", "employees"}
    assert any(s["publisher"].startswith("Beijing Youth Daily") for s in zpark["sources"])
    assert zpark["sectors"] == ["hp_software", "hp_ngit", "hp_ai"]


def test_unplaced_parks_are_exported_with_empty_coordinates(atlas, tmp_path):
    path = tmp_path / "parks.geojson"
    export_data(atlas, Selection(), path)
    by_id = {r["id"]: r for r in read_records(path)}
    assert by_id["zgc-vr-park"]["lon"] is None and by_id["zgc-vr-park"]["placement"] == "district"


def test_csv_opens_in_excel_on_chinese_windows(atlas, tmp_path):
    path = tmp_path / "parks.csv"
    export_data(atlas, Selection.of(["hp_ic"]), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "北京经济技术开发区".encode("utf-8") in raw


def test_failed_export_leaves_the_previous_file_in_place(atlas, tmp_path, monkeypatch):
    path = tmp_path / "parks.geojson"
    path.write_text("the good old export", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("json.dumps", broken)
    with pytest.raises(RuntimeError):
        export_data(atlas, Selection(), path)
    assert path.read_text(encoding="utf-8") == "the good old export"
    assert [p.name for p in tmp_path.iterdir()] == ["parks.geojson"]


def test_command_refuses_unknown_values(capsys, tmp_path):
    assert main(["--out", str(tmp_path / "x.html"), "--sector", "nope", "--district", "999999"]) == 2
    err = capsys.readouterr().err
    assert "unknown sector 'nope'" in err and "unknown district '999999'" in err
    assert not (tmp_path / "x.html").exists()


def test_html_is_self_contained_utf8_and_says_what_it_shows(atlas, tmp_path):
    path = tmp_path / "map.html"
    export_html(atlas, MapRequest(Selection.of(["hp_ic"]), basemap="osm", lang="en"), path)
    html = path.read_bytes().decode("utf-8")
    assert 'charset=UTF-8' in html
    assert not re.findall(r'(?:src|href)="https?://', html), "scripts and styles must be inlined"
    assert "<title>Beijing Industrial Parks Atlas — Sectors: Integrated circuits; Districts: all</title>" in html
    assert "Data as of 2026-02-06" in html and "OpenStreetMap" in html


def test_markup_in_data_stays_text_in_the_export(data_copy, tmp_path):
    data_copy.set_cell("parks.csv", "zpark", "name_en", "<img src=x onerror=alert(1)>")
    data_copy.set_cell("sectors.csv", "hp_software", "label_en", "<b onmouseover=alert(2)>Software</b>")
    atlas = load_atlas(data_copy.root)
    path = tmp_path / "map.html"
    export_html(atlas, MapRequest(Selection.of(text="软件园")), path)
    html = path.read_text(encoding="utf-8")
    assert "<img src=x" not in html and "<b onmouseover" not in html
    if require_chromium_available():
        with chromium_context(grey_tiles=True) as (context, _):
            page = context.new_page()
            dialogs: list[str] = []
            page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            page.goto(path.as_uri())
            page.locator("path.atlas-park").first.wait_for(timeout=15_000)
            page.locator("path.atlas-park").first.hover()
            page.locator("path.atlas-park").first.click()
            page.wait_for_timeout(300)
            assert "<img src=x onerror=alert(1)>" in page.locator(".leaflet-tooltip, .leaflet-popup").first.inner_text()
            assert "<b onmouseover=alert(2)>Software</b>" in page.locator(".atlas-legend").inner_text()
            assert dialogs == [] and page.locator(".leaflet-popup img, .atlas-legend b[onmouseover]").count() == 0


def require_chromium_available() -> bool:
    require_chromium()  # skips outside CI, fails under CI, when Chromium is missing
    return True


def test_exported_map_renders_and_filters_offline(atlas, tmp_path):
    require_chromium()
    path = tmp_path / "map.html"
    drawn = export_html(atlas, MapRequest(lang="zh"), path)
    health = sum(1 for r in atlas.parks.itertuples() if r.geometry is not None and r.sectors and r.sectors[0] == "hp_health")
    with chromium_context(grey_tiles=True) as (context, blocked):
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        parks = page.locator("path.atlas-park")
        parks.first.wait_for(timeout=15_000)
        assert parks.count() == drawn == 15
        assert page.locator(".atlas-count").inner_text() == "15"
        page.locator('.atlas-legend input[data-sector="hp_health"]').uncheck()
        assert parks.count() == 15 - health and page.locator(".atlas-count").inner_text() == str(15 - health)
        page.locator('.atlas-legend input[data-sector="hp_health"]').check()
        assert parks.count() == 15
        screenshot(page, "export-map-zh")
        assert errors == [], errors
        assert all(TILE_URL.search(u) for u in blocked), [u for u in blocked if not TILE_URL.search(u)]


FIND_DOT = """
(tiles) => {
    for (const tile of tiles) {
        const data = tile.getContext("2d").getImageData(0, 0, tile.width, tile.height).data;
        const box = tile.getBoundingClientRect();
        for (let i = 0; i < data.length; i += 4) {
            if (data[i + 3] > 200) {
                const p = i / 4;
                return {x: box.left + (p % tile.width), y: box.top + Math.floor(p / tile.width)};
            }
        }
    }
    return null;
}
"""


def test_exported_map_carries_a_company_list_that_filters_offline(atlas, tmp_path):
    require_chromium()
    from layers.enterprises import process_table, read_enterprise_table
    from layers.firms_map import FirmSource, firm_payload

    text = ("name,sector,lon,lat\n{{ 7*7 }} <b>Chips</b>,hp_ic,116.56,39.74\nAI one,hp_ai,116.30,39.98\n"
            "AI two,hp_ai,116.31,39.99\n")
    result = process_table(read_enterprise_table(text.encode(), "firms.csv"), atlas)
    firms = FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, atlas))
    path = tmp_path / "map.html"
    export_html(atlas, MapRequest(basemap="none", selection=Selection.of(sectors=["hp_ic"])), path, firms)
    with chromium_context() as (context, blocked):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        page.locator(".leaflet-container[data-firms-drawn]").wait_for(timeout=15_000)
        assert page.locator(".atlas-firm-count").inner_text() == "1"  # the export's own sector filter: chips only
        assert page.locator(".atlas-firm-tile").evaluate_all(FIND_DOT) is not None  # painted
        # Where Leaflet puts the firm on screen (folium names the map map_<id>), clicked as a person would.
        dot = page.evaluate("""() => {
            const map = window[Object.keys(window).find(k => k.startsWith("map_"))];
            const p = map.latLngToContainerPoint([39.74, 116.56]), box = map.getContainer().getBoundingClientRect();
            return {x: box.left + p.x, y: box.top + p.y};
        }""")
        page.mouse.click(dot["x"], dot["y"])
        screenshot(page, "export-firms-card")
        card = page.locator(".atlas-firm-card")
        card.wait_for(timeout=5_000)
        assert card.inner_text().startswith("{{ 7*7 }} <b>Chips</b>")  # a name is text, never markup or template
        page.locator('.atlas-legend input[data-sector="hp_ic"]').uncheck()
        assert page.locator(".atlas-firm-count").inner_text() == "0"
        assert page.locator(".atlas-firm-tile").evaluate_all(FIND_DOT) is None
        assert errors == [] and blocked == []
