"""Time until 100,000 firms are drawn in headless Chromium: the atlas's canvas layer against plain folium.

    .venv/bin/python -m bench.bench_firms_draw [--firms 100000] [--runs 3]

Three self-contained HTML files of the same synthetic firms (bench.make_enterprises), opened offline:
- the atlas's export path (FirmLayer: typed arrays, canvas tiles), timed until its tiles report drawn;
- folium.Marker per firm, timed until every marker icon is in the page;
- folium.plugins.MarkerCluster of the same markers, timed until the first cluster icons are in the page.
Leaflet.markercluster 1.5.3 comes from the npm registry (``npm pack``) into bench/.cache, never committed;
folium's own files point at CDNs, which this machine cannot reach. Each run gives up after 180 s.
"""

from __future__ import annotations

import argparse
import base64
import statistics
import subprocess
import sys
import tarfile
import time
from pathlib import Path

import folium
from folium.plugins import MarkerCluster

from bench.make_enterprises import write_synthetic
from layers.enterprises import process_table, read_enterprise_table
from layers.map import MapRequest, build_map
from layers.map.assets import use_inline_assets
from layers.map.overlays.firms import FirmSource, firm_payload
from layers.model.load import load_atlas
from layers.selection import Selection, select
from tests.browser import chromium_context

CACHE = Path(__file__).resolve().parent / ".cache"
MARKERCLUSTER = "leaflet.markercluster@1.5.3"
GIVE_UP_S = 180


def markercluster_files() -> dict[str, bytes]:
    """Leaflet.markercluster's script and styles, from the npm registry at a pinned version."""
    folder = CACHE / "leaflet.markercluster-1.5.3"
    if not folder.exists():
        CACHE.mkdir(exist_ok=True)
        subprocess.run(
            ["npm", "pack", MARKERCLUSTER, "--pack-destination", str(CACHE)], check=True, capture_output=True
        )
        with tarfile.open(CACHE / "leaflet.markercluster-1.5.3.tgz") as archive:
            archive.extractall(folder, filter="data")
    dist = folder / "package" / "dist"
    return {
        name: (dist / name).read_bytes()
        for name in ("leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css")
    }


def _data_url(content: bytes, mime: str) -> str:
    return f"data:{mime};base64,{base64.b64encode(content).decode('ascii')}"


def plain_folium(points: list[tuple[float, float]], clustered: bool, path: Path) -> Path:
    m = folium.Map(location=(39.95, 116.4), zoom_start=9, tiles=None)
    m.options["maxZoom"] = 18  # with no tile layer to set it, MarkerCluster refuses the map
    target = m
    if clustered:
        files = markercluster_files()
        target = MarkerCluster()
        target.default_js = [("markerclusterjs", _data_url(files["leaflet.markercluster.js"], "text/javascript"))]
        target.default_css = [
            (n, _data_url(files[n], "text/css")) for n in ("MarkerCluster.css", "MarkerCluster.Default.css")
        ]
        target.add_to(m)
    for lat, lon in points:
        folium.Marker((lat, lon)).add_to(target)
    use_inline_assets(m)
    m.save(str(path))
    return path


def time_until(path: Path, condition: str) -> float | None:
    """Milliseconds from navigation until ``condition`` (a JS expression) holds, by the page's own clock."""
    with chromium_context() as (context, _):
        page = context.new_page()
        page.set_viewport_size({"width": 1280, "height": 800})
        page.goto(path.as_uri(), wait_until="commit", timeout=GIVE_UP_S * 1000)
        try:
            page.wait_for_function(condition, timeout=GIVE_UP_S * 1000, polling=50)
        except Exception:  # Playwright's timeout: the page never got there
            return None
        return page.evaluate("performance.now()") / 1000


def report(label: str, path: Path, condition: str, runs: int) -> None:
    times = [time_until(path, condition) for _ in range(runs)]
    done = [t for t in times if t is not None]
    size = path.stat().st_size / 1e6
    if not done:
        print(f"  {label:32s} {size:6.1f} MB  not drawn within {GIVE_UP_S} s")
        return
    print(
        f"  {label:32s} {size:6.1f} MB  median {statistics.median(done):6.2f} s "
        f"(min {min(done):.2f}, max {max(done):.2f},"
        f" {len(done)}/{runs} runs)"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_firms_draw")
    parser.add_argument("--firms", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    atlas = load_atlas()
    CACHE.mkdir(exist_ok=True)
    source = write_synthetic(args.firms, CACHE / f"draw-{args.firms}.csv", atlas, seed=7)
    result = process_table(read_enterprise_table(source), atlas)
    drawn = result.enriched[result.enriched["atlas_status"].isin(["placed", "outside_beijing"])]

    started = time.perf_counter()
    ours = CACHE / f"draw-{args.firms}-atlas.html"
    content = build_map(
        atlas,
        select(atlas, Selection()),
        MapRequest(basemap="none"),
        title="bench",
        firms=FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, atlas)),
    )
    use_inline_assets(content.map)
    ours.write_text(content.map.get_root().render(), encoding="utf-8")
    build_s = time.perf_counter() - started
    points = list(zip(drawn["atlas_lat"], drawn["atlas_lon"], strict=False))
    markers = plain_folium(points, False, CACHE / f"draw-{args.firms}-markers.html")
    clusters = plain_folium(points, True, CACHE / f"draw-{args.firms}-markercluster.html")

    print(f"{len(points):,} firms drawn, headless Chromium, offline; the atlas's map built in {build_s:.2f} s")
    report(
        "atlas canvas layer", ours, "document.querySelector('.leaflet-container[data-firms-drawn]') !== null", args.runs
    )
    report(
        "folium.Marker per firm",
        markers,
        f"document.querySelectorAll('.leaflet-marker-icon').length >= {len(points)}",
        1,
    )
    report("folium MarkerCluster", clusters, "document.querySelectorAll('.marker-cluster').length > 0", 1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
