"""Exports: data round trips in every format, atomic writes, escaping, and the offline HTML in a real browser."""

from __future__ import annotations

import re

import pytest

from layers.export import export_data, export_filename, export_html, export_records, read_records
from layers.export.__main__ import main
from layers.map import MapRequest
from layers.model.load import load_atlas
from layers.selection import Selection, select

from .browser import TILE_URL, chromium_context, require_chromium, screenshot

LABELS = ("kind_label", "district_name", "sector_labels", "placement_label", "level_label")


@pytest.mark.parametrize("fmt", ["geojson", "csv", "gpkg"])
@pytest.mark.parametrize(
    "selection",
    [Selection(), Selection.of(["hp_ic"]), Selection.of(districts=["110107"])],
    ids=["all", "ic", "shijingshan"],
)
def test_data_round_trip_loses_nothing(atlas, tmp_path, fmt, selection):
    path = tmp_path / f"parks.{fmt}"
    count = export_data(atlas, select(atlas, selection), path)
    shown = [{k: v for k, v in r.items() if k not in LABELS} for r in export_records(atlas, select(atlas, selection))]
    back = read_records(path)
    assert count == len(back) == len(shown)
    assert [r["id"] for r in back] == [r["id"] for r in shown]
    for original, read in zip(shown, back, strict=False):
        for column in ("lon", "lat"):
            if original[column] is None:
                assert read[column] is None
            else:
                assert read[column] == pytest.approx(original[column], abs=1e-7)
        assert read == original  # names, sectors, facts with their sources: everything


def test_records_carry_facts_and_their_sources(atlas):
    zpark = next(r for r in export_records(atlas, select(atlas, Selection.of(text="zpark"))) if r["id"] == "zpark")
    assert {f["metric"] for f in zpark["facts"]} >= {"revenue", "employees"}
    assert any(s["publisher"].startswith("Beijing Youth Daily") for s in zpark["sources"])
    assert zpark["sectors"] == ["hp_software", "hp_ngit", "hp_ai"]


def test_unplaced_parks_are_exported_with_empty_coordinates(atlas, tmp_path):
    path = tmp_path / "parks.geojson"
    export_data(atlas, select(atlas, Selection()), path)
    by_id = {r["id"]: r for r in read_records(path)}
    assert by_id["zgc-vr-park"]["lon"] is None and by_id["zgc-vr-park"]["placement"] == "district"


def test_csv_opens_in_excel_on_chinese_windows(atlas, tmp_path):
    path = tmp_path / "parks.csv"
    export_data(atlas, select(atlas, Selection.of(["hp_ic"])), path)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf") and "北京经济技术开发区".encode() in raw


def test_csv_reads_without_a_lookup_table(atlas, tmp_path):
    import csv

    path = tmp_path / "parks.csv"
    export_data(atlas, select(atlas, Selection()), path, lang="zh")
    rows = {r["id"]: r for r in csv.DictReader(path.read_text(encoding="utf-8-sig").splitlines())}
    zpark = rows["zpark"]
    assert (
        zpark["sectors"] == "hp_software|hp_ngit|hp_ai"
        and zpark["sector_labels"] == "软件和信息服务、新一代信息技术、人工智能"
    )
    assert (
        zpark["district_name"] == "海淀区"
        and zpark["kind_label"] == "园区"
        and zpark["placement_label"] == "有来源的位置"
    )
    assert zpark["area_year"] == "2021" and rows["zgc-vr-park"]["area_year"] == ""  # whole years, never 2021.0
    assert all(not r["point_year"].endswith(".0") for r in rows.values())


def test_file_names_say_what_was_exported(atlas):
    assert export_filename(atlas, select(atlas, Selection()), "csv") == "beijing-parks_all.csv"
    chosen = select(atlas, Selection.of(["hp_ic"], ["110108"], text="软件 园"))
    assert export_filename(atlas, chosen, "html") == "beijing-parks_integrated-circuits_haidian_search-text.html"


def test_failed_export_leaves_the_previous_file_in_place(atlas, tmp_path, monkeypatch):
    path = tmp_path / "parks.geojson"
    path.write_text("the good old export", encoding="utf-8")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr("json.dumps", broken)
    with pytest.raises(RuntimeError):
        export_data(atlas, select(atlas, Selection()), path)
    assert path.read_text(encoding="utf-8") == "the good old export"
    assert [p.name for p in tmp_path.iterdir()] == ["parks.geojson"]


def test_command_refuses_unknown_values_and_lists_the_choices(capsys, tmp_path):
    assert main(["--out", str(tmp_path / "x.html"), "--sector", "nope"]) == 2
    err = capsys.readouterr().err
    assert "unknown sector 'nope'" in err and "hp_ic (Integrated circuits / 集成电路)" in err
    assert main(["--out", str(tmp_path / "x.html"), "--district", "999999"]) == 2
    assert "unknown district '999999'" in capsys.readouterr().err
    assert main(["--out", str(tmp_path / "x.pdf")]) == 2
    assert "unknown format 'pdf'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


@pytest.mark.parametrize(
    "sector, district",
    [("hp_ic", "110108"), ("Integrated circuits", "Haidian"), ("集成电路", "海淀区"), ("integrated  CIRCUITS", "海淀")],
)
def test_command_takes_codes_or_names_in_either_language(tmp_path, sector, district):
    out = tmp_path / "parks.csv"
    assert main(["--out", str(out), "--sector", sector, "--district", district]) == 0
    assert {r["id"] for r in read_records(out)} == {"zgc-science-city", "zgc-ic-design-park"}


def test_html_is_self_contained_utf8_and_says_what_it_shows(atlas, tmp_path):
    path = tmp_path / "map.html"
    selection = Selection.of(["hp_ic"])
    export_html(atlas, select(atlas, selection), MapRequest(selection, basemap="osm", lang="en"), path)
    html = path.read_bytes().decode("utf-8")
    assert "charset=UTF-8" in html
    assert not re.findall(r'(?:src|href)="https?://', html), "scripts and styles must be inlined"
    assert "<title>Beijing Industrial Parks Atlas — Sectors: Integrated circuits; Districts: all</title>" in html
    newest = max(p for p in atlas.sources["published"] if isinstance(p, str) and p)
    assert f"Data as of {newest}" in html and "OpenStreetMap" in html


def test_markup_in_data_stays_text_in_the_export(data_copy, tmp_path):
    data_copy.set_cell("parks.csv", "zpark", "name_en", "<img src=x onerror=alert(1)>")
    data_copy.set_cell("sectors.csv", "hp_software", "label_en", "<b onmouseover=alert(2)>Software</b>")
    atlas = load_atlas(data_copy.root)
    path = tmp_path / "map.html"
    selection = Selection.of(text="软件园")
    export_html(atlas, select(atlas, selection), MapRequest(selection), path)
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


def test_a_search_text_cannot_close_the_title_and_run_script(atlas, tmp_path):
    path = tmp_path / "map.html"
    selection = Selection.of(text="</title><script>alert(1)</script>")
    export_html(atlas, select(atlas, selection), MapRequest(selection), path)
    html = path.read_text(encoding="utf-8")
    assert "<script>alert(1)" not in html
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1)
    assert "&lt;/title&gt;&lt;script&gt;alert(1)&lt;/script&gt;" in title


def require_chromium_available() -> bool:
    require_chromium()  # skips outside CI, fails under CI, when Chromium is missing
    return True


@pytest.mark.browser
def test_exported_map_renders_and_filters_offline(atlas, tmp_path):
    require_chromium()
    path = tmp_path / "map.html"
    drawn = export_html(atlas, select(atlas, Selection()), MapRequest(lang="zh"), path)
    # Unticking a sector hides the parks that list no other ticked sector (secondary sectors count too).
    health_only = sum(
        1 for r in atlas.parks.itertuples() if r.geometry is not None and r.sectors and set(r.sectors) == {"hp_health"}
    )
    with chromium_context(grey_tiles=True) as (context, blocked):
        page = context.new_page()
        errors: list[str] = []
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(path.as_uri())
        parks = page.locator("path.atlas-park")
        parks.first.wait_for(timeout=15_000)
        every = len(atlas.parks)  # every row is drawn, stand-ins too
        assert parks.count() == drawn == every
        assert page.locator(".atlas-count").inner_text() == str(every)
        page.locator('.atlas-legend input[data-sector="hp_health"]').uncheck()
        assert parks.count() == every - health_only and page.locator(".atlas-count").inner_text() == str(
            every - health_only
        )
        page.locator('.atlas-legend input[data-sector="hp_health"]').check()
        assert parks.count() == every
        # Isolate the IC hosts, whatever sector they are coloured by: every sector on the map has a box.
        boxes = page.locator(".atlas-legend input[data-sector]")
        for i in range(boxes.count()):
            if boxes.nth(i).get_attribute("data-sector") != "hp_ic":
                boxes.nth(i).uncheck()
        ic_hosts = sum(1 for r in atlas.parks.itertuples() if r.geometry is not None and "hp_ic" in (r.sectors or ()))
        assert parks.count() == ic_hosts == 5
        ic_clusters = sum(1 for c in atlas.clusters.itertuples() if "hp_ic" in c.sectors)
        assert page.locator("path.atlas-cluster").count() >= ic_clusters  # rings of other sectors are hidden
        rings = page.locator("path.atlas-cluster").count()
        page.locator('.atlas-legend input[data-sector="hp_ic"]').uncheck()
        assert parks.count() == 0 and page.locator("path.atlas-cluster").count() == 0 < rings
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
    from layers.map.overlays.firms import FirmSource, firm_payload

    text = (
        "name,sector,lon,lat\n{{ 7*7 }} <b>Chips</b>,hp_ic,116.56,39.74\nAI one,hp_ai,116.30,39.98\n"
        "AI two,hp_ai,116.31,39.99\n"
    )
    result = process_table(read_enterprise_table(text.encode(), "firms.csv"), atlas)
    firms = FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, atlas))
    path = tmp_path / "map.html"
    selection = Selection.of(sectors=["hp_ic"])
    export_html(atlas, select(atlas, selection), MapRequest(basemap="none", selection=selection), path, firms)
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


def test_the_tiny_atlas_round_trips_through_every_data_format(tiny_atlas, tmp_path):
    for fmt in ("geojson", "csv", "gpkg"):
        path = tmp_path / f"tiny.{fmt}"
        assert export_data(tiny_atlas, select(tiny_atlas, Selection()), path) == 4
        back = {r["id"]: r for r in read_records(path)}
        assert back["city-zone"]["catalogue_code"] == "G000001" and back["city-zone"]["approved_area_ha"] == 100
        assert back["beta-park"]["parent"] == "alpha-zone" and back["alpha-zone"]["lists"] == ["tiny_list"]
        assert back["gamma-park"]["placement"] == "district" and back["alpha-zone"]["facts"][0]["value"] == 42
