"""Exported map: file size and time until drawn in headless Chromium, against the same map as plain folium writes it.

Run on demand:  .venv/bin/python -m bench.bench_export
Every request beyond the file itself is blocked (tiles get a local grey image), as on an intranet with no internet.
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path

from layers.export import export_html
from layers.map import MapRequest, build_map
from layers.model.load import load_atlas
from layers.selection import Selection, select
from tests.browser import chromium_context

RUNS = 5


def time_to_draw(path: Path, expected: int) -> float | None:
    """Seconds from navigation to every park marker drawn; None if not drawn within 10 s."""
    with chromium_context(grey_tiles=True) as (context, _):
        page = context.new_page()
        start = time.perf_counter()
        page.goto(path.as_uri(), wait_until="commit")
        deadline = start + 10
        while time.perf_counter() < deadline:
            if page.locator("path.atlas-park").count() == expected:
                return time.perf_counter() - start
            page.wait_for_timeout(20)
        return None


def main() -> None:
    atlas = load_atlas()
    work = Path(tempfile.mkdtemp(prefix="export-bench-"))
    ours = work / "atlas.html"
    started = time.perf_counter()
    drawn = export_html(atlas, select(atlas, Selection()), MapRequest(), ours)
    export_s = time.perf_counter() - started
    plain = work / "plain-folium.html"
    content = build_map(atlas, select(atlas, Selection()), MapRequest())
    content.map.save(str(plain))  # folium's own output: CDN links for Leaflet, jQuery, Bootstrap, Font Awesome...

    ours_times = [t for t in (time_to_draw(ours, drawn) for _ in range(RUNS)) if t is not None]
    plain_times = [time_to_draw(plain, drawn) for _ in range(2)]
    print(f"export command path: {export_s * 1000:.0f} ms to build and write")
    print(
        f"self-contained export: {ours.stat().st_size / 1024:.0f} KB; drawn offline in median "
        f"{statistics.median(ours_times):.2f} s (min {min(ours_times):.2f}, max {max(ours_times):.2f}, "
        f"{len(ours_times)}/{RUNS} runs)"
    )
    verdict = (
        "never drawn offline (its scripts are on CDNs)"
        if all(t is None for t in plain_times)
        else f"drawn in {plain_times}"
    )
    print(f"plain folium file: {plain.stat().st_size / 1024:.0f} KB plus its CDN assets; {verdict}")


if __name__ == "__main__":
    main()
