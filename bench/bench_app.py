"""App speed on the bundled data: first run, a filter change (widget to new map HTML, server side), bytes sent.

Run on demand:  .venv/bin/python -m bench.bench_app
Server side only: Streamlit's AppTest runs the script as the server would. In the browser: ``bench.bench_browser_map``.
"""

from __future__ import annotations

import json
import statistics
import time
from pathlib import Path

from streamlit.testing.v1 import AppTest

from layers.map import MapRequest, build_map, live_base, live_state, prepare_basis
from layers.map.assets import CSS_FILES, JS_FILES
from layers.model.load import load_atlas
from layers.selection import Selection, select

APP = Path(__file__).resolve().parent.parent / "app.py"
SECTORS = ["hp_ic", "hp_health", "hp_ngit", "hp_ai", "hp_materials", "hp_nev"]


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def main() -> None:
    at = AppTest.from_file(str(APP), default_timeout=120)
    first = timed(at.run)
    second = timed(at.run)
    changes = []
    for code in SECTORS * 3:
        widget = at.multiselect(key="sectors_hp2017-en").set_value([code])  # keyed by language (ui.state)
        changes.append(timed(widget.run))
    print(f"first run (cold: data, caches, assets): {first * 1000:7.0f} ms")
    print(f"rerun with nothing changed:             {second * 1000:7.0f} ms")
    print(
        f"filter change, whole script:            median {statistics.median(changes) * 1000:5.0f} ms, "
        f"max {max(changes) * 1000:5.0f} ms ({len(changes)} changes)"
    )

    atlas = load_atlas()
    basis = prepare_basis(atlas, "en")
    districts = "/app/static/data/districts-en-wgs84.geojson"
    state_times, sizes = [], []
    for code in SECTORS * 3:
        start = time.perf_counter()
        selection = Selection.of([code])
        shown = select(atlas, selection)
        state = live_state(build_map(atlas, shown, MapRequest(selection), basis, districts), shown)
        state_times.append(time.perf_counter() - start)
        sizes.append(len(json.dumps(state, ensure_ascii=False).encode("utf-8")))
    start = time.perf_counter()
    base = live_base(atlas, MapRequest(), basis, "/app/static/vendor/x", districts)
    base_time = time.perf_counter() - start
    districts_size = len(json.dumps(basis.districts, ensure_ascii=False).encode("utf-8"))
    vendor_size = sum(p.stat().st_size for p in [*JS_FILES.values(), *CSS_FILES.values()])
    print(
        f"map per change: selection's state median {statistics.median(state_times) * 1000:.0f} ms to build, "
        f"{statistics.median(sizes) / 1024:.1f} KB sent (one sector)"
    )
    print(
        f"map base, once per language/basemap/layers: {base_time * 1000:.0f} ms to draw, "
        f"{len(base.script.encode('utf-8')) / 1024:.0f} KB sent once"
    )
    print(
        f"served once, then cached by the browser: district outlines {districts_size / 1024:.0f} KB, "
        f"Leaflet + jQuery {vendor_size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
