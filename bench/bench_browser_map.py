"""Where the person feels it: first load to a drawn map, and a sector change to the repainted map, in Chromium.

Run on demand:  .venv/bin/python -m bench.bench_browser_map [--changes 12] [--firms 100000] [--leak 200]

First load is timed three ways: the server's very first visitor (its caches cold), a new visitor (empty browser
cache, warm server), and the same browser loading again (Streamlit's hashed scripts come from its cache). The
browser keeps its cache as a person's does: the tests' request interception turns it off and passes every request
through the harness (``--intercepted`` times that way, for comparison with earlier numbers).

In the same run and the same browser, the reference: the exported HTML map of the same data, unticking and ticking
a sector in its own legend (the browser filtering shapes it already has). The ratio app / export is what holds on a
noisy machine. With ``--firms`` a generated company list is uploaded first and each change also waits for the
list's canvas to repaint. With ``--leak`` the app's page is changed that many times and its map is counted before
and after (Leaflet layers, DOM nodes, JS heap). Works on the old iframe map too, so before and after compare.
"""

from __future__ import annotations

import argparse
import statistics
import tempfile
import time
from functools import partial
from pathlib import Path

from layers.enterprises import process_table, read_enterprise_table
from layers.export import export_bytes
from layers.map import MapRequest
from layers.map.overlays.firms import FirmSource, firm_payload
from layers.model.load import load_atlas
from layers.selection import Selection, select
from tests.browser import chromium_context, streamlit_server, wait_until_idle

from .make_enterprises import write_synthetic

APP = Path(__file__).resolve().parent.parent / "app.py"
COUNT = "(n) => document.querySelectorAll('path.atlas-park').length === n"
FIRMS_DRAWN = (
    "(t) => { const c = document.querySelector('.leaflet-container[data-firms-drawn]');"
    " return c !== null && c.getAttribute('data-firms-drawn') !== t; }"
)
#: Both at once: ``[parks, the firm layer's previous stamp]``.
COUNT_AND_FIRMS = f"(a) => ({COUNT})(a[0]) && ({FIRMS_DRAWN})(a[1])"
MAP_STATS = """() => {
    const holder = document.querySelector('.atlas-live-map');
    const map = holder ? holder.parentElement.atlasMap.map : window.map;
    const memory = performance.memory ? performance.memory.usedJSHeapSize : 0;
    return {layers: Object.keys(map._layers).length, nodes: document.getElementsByTagName('*').length,
            heap_mb: memory / 1e6};
}"""


def map_frame(page):
    """The frame the map draws in: the page itself (kept map), or streamlit-folium's iframe (the old map)."""
    for frame in page.frames:
        if "streamlit_folium" in frame.url:
            return frame
    return page.main_frame


def first_load(page, url: str, parks: int) -> float:
    start = time.perf_counter()
    page.goto(url, wait_until="commit")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            map_frame(page).wait_for_function(COUNT, arg=parks, timeout=1_000, polling="raf")
            return time.perf_counter() - start
        except Exception:  # noqa: BLE001 - the map's frame may not exist yet: look again
            continue
    raise TimeoutError("the map never drew")


def wait_in_map(page, expression: str, arg, timeout_s: float = 30.0) -> None:
    """Wait until ``expression`` holds in the map's frame; the old iframe map is replaced on a change: look again."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            map_frame(page).wait_for_function(expression, arg=arg, timeout=1_000, polling="raf")
            return
        except Exception:  # noqa: BLE001 - a detached or not yet drawn frame: look again until the deadline
            if time.monotonic() > deadline:
                raise


#: In the page, from the person's input to the first frame that shows the change: the input event's own timestamp,
#: then each animation frame checks the condition; the first frame that finds it true is the one that paints it.
#: Timed inside the page, so the harness's round trips (slow while the page is busy) are not counted, for the app
#: and the export alike.
ARM = """([condition, arg]) => {
    const test = new Function("return " + condition)();
    const probe = (window.__atlasProbe = {input: null, painted: null});
    const input = (event) => { if (probe.input === null) { probe.input = event.timeStamp; } };
    window.addEventListener("keydown", input, {capture: true, once: true});
    window.addEventListener("click", input, {capture: true, once: true});
    const look = (frame) => {
        if (probe.input !== null && test(arg)) { probe.painted = frame - probe.input; return; }
        requestAnimationFrame(look);
    };
    requestAnimationFrame(look);
}"""
PAINTED = "() => window.__atlasProbe && window.__atlasProbe.painted !== null"
#: ``--harness-timing``: time every change from this script instead (as before the in-page probe; the old iframe map
#: is always timed so), to compare with numbers measured that way.
HARNESS_TIMING = False


def timed(frame, act, condition: str, arg) -> float:
    """Seconds from the input ``act`` makes to the first frame where ``condition(arg)`` holds, measured in ``frame``."""
    frame.evaluate(ARM, [condition, arg])
    act()
    frame.wait_for_function(PAINTED, timeout=30_000)
    return frame.evaluate("() => window.__atlasProbe.painted") / 1000


def firms_stamp(frame) -> str:
    return frame.evaluate(
        "() => { const c = document.querySelector('.leaflet-container[data-firms-drawn]');"
        " return c ? c.getAttribute('data-firms-drawn') : ''; }"
    )


def app_changes(page, counts: dict[str, int], changes: int, firms: bool) -> list[float]:
    """Add a sector in the sidebar, then take it away again; time each from the key press to the repainted map."""
    box = page.locator("[class*='st-key-sectors_hp2017-'] input")
    times = []
    for i in range(changes):
        adding = i % 2 == 0
        box.click()
        if adding:
            page.keyboard.type("Integrated")
            page.wait_for_timeout(300)
        frame = map_frame(page)
        count = counts["ic" if adding else "all"]
        key = "Enter" if adding else "Backspace"
        if frame is page.main_frame and not HARNESS_TIMING:  # timed in the page, from the key's event to the frame
            if firms:
                condition, arg = COUNT_AND_FIRMS, [count, firms_stamp(frame)]
            else:
                condition, arg = COUNT, count
            times.append(timed(frame, lambda key=key: page.keyboard.press(key), condition, arg))
        else:  # the old iframe map is replaced on each change: timed from the harness, its round trips included
            stamp = firms_stamp(frame) if firms else ""
            start = time.perf_counter()
            page.keyboard.press(key)
            wait_in_map(page, COUNT, count)
            if firms:
                wait_in_map(page, FIRMS_DRAWN, stamp)
            times.append(time.perf_counter() - start)
        page.keyboard.press("Escape")
        wait_until_idle(page)
    return times


def export_changes(page, path: Path, counts: dict[str, int], changes: int, firms: bool) -> tuple[float, list[float]]:
    """The exported file's own legend: untick and tick the integrated-circuit box, timed the same way (with its
    company list redrawn too, when it carries one)."""
    load = first_load(page, path.as_uri(), counts["all"])
    if firms:
        page.wait_for_selector(".leaflet-container[data-firms-drawn]", timeout=60_000)
    box = page.locator(".atlas-legend input[data-sector='hp_ic']")
    times = []
    for i in range(changes):
        count = counts["no_ic" if i % 2 == 0 else "all"]
        if HARNESS_TIMING:
            start = time.perf_counter()
            box.click()
            page.wait_for_function(COUNT, arg=count, timeout=30_000, polling="raf")
            times.append(time.perf_counter() - start)
        elif firms:
            times.append(timed(page.main_frame, box.click, COUNT_AND_FIRMS, [count, firms_stamp(page.main_frame)]))
        else:
            times.append(timed(page.main_frame, box.click, COUNT, count))
    return load, times


def summary(name: str, times: list[float]) -> str:
    ms = [t * 1000 for t in times]
    return f"{name:<34} median {statistics.median(ms):6.0f} ms   max {max(ms):6.0f} ms   ({len(ms)} changes)"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bench_browser_map", description=__doc__.splitlines()[0])
    parser.add_argument("--changes", type=int, default=12)
    parser.add_argument("--firms", type=int, default=0, help="upload a generated list of this many firms first")
    parser.add_argument("--leak", type=int, default=0, help="this many more changes, counting the page before/after")
    parser.add_argument("--harness-timing", action="store_true", help="time changes from the harness, not the page")
    parser.add_argument(
        "--intercepted", action="store_true", help="block requests by interception (no browser cache), as the tests do"
    )
    parser.add_argument("--app", type=Path, default=APP, help="another checkout's app.py (a before/after run)")
    args = parser.parse_args(argv)
    global HARNESS_TIMING
    HARNESS_TIMING = args.harness_timing

    atlas = load_atlas()
    everything = select(atlas, Selection())
    ic = select(atlas, Selection.of(["hp_ic"]))
    only_ic = sum(1 for sectors in everything.placed["sectors"] if set(sectors or ()) == {"hp_ic"})
    counts = {
        "all": len(everything.placed_ids),
        "ic": len(ic.placed_ids),
        # the export drops a park when none of its ticked sectors is left: those whose only sector is IC
        "no_ic": len(everything.placed_ids) - only_ic,
    }
    with tempfile.TemporaryDirectory() as tmp, streamlit_server(args.app) as url:
        csv = write_synthetic(args.firms, Path(tmp) / "firms.csv", atlas) if args.firms else None
        firms = None
        if csv is not None:  # the reference carries the same list, filtered by its own legend
            result = process_table(read_enterprise_table(csv), atlas)
            firms = FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, atlas))
        export = Path(tmp) / "atlas.html"
        export.write_bytes(export_bytes(atlas, everything, MapRequest(), "html", firms))
        # The browser keeps its cache, as a person's does (the harness's interception would turn it off).
        browser = partial(chromium_context, http_cache=not args.intercepted, grey_tiles=args.intercepted)
        with browser() as (context, _blocked):
            page = context.new_page()
            page.set_viewport_size({"width": 1400, "height": 1000})
            cold = first_load(page, url, counts["all"])
            warm = [first_load(page, url, counts["all"]) for _ in range(3)]
        visitors = []  # a new visitor: an empty browser cache, a server that has served others before
        for _ in range(3):
            with browser() as (context, _blocked):
                visitors.append(first_load(context.new_page(), url, counts["all"]))
        with browser() as (context, _blocked):
            page = context.new_page()
            page.set_viewport_size({"width": 1400, "height": 1000})
            first_load(page, url, counts["all"])
            wait_until_idle(page)
            if csv is not None:
                page.locator("[data-testid='stFileUploaderDropzoneInput']").set_input_files(str(csv))
                map_frame(page).wait_for_selector(".leaflet-container[data-firms-drawn]", timeout=180_000)
                wait_until_idle(page)
            app = app_changes(page, counts, args.changes, bool(args.firms))
            leak = None
            if args.leak:
                before = map_frame(page).evaluate(MAP_STATS)
                app_changes(page, counts, args.leak, False)
                leak = (before, map_frame(page).evaluate(MAP_STATS))
            reference_page = context.new_page()
            export_load, reference = export_changes(reference_page, export, counts, args.changes, bool(firms))
    print(f"first load, cold server:           {cold * 1000:6.0f} ms")
    print(f"first load, new visitor (median):  {statistics.median(visitors) * 1000:6.0f} ms   (empty cache)")
    print(f"first load, again (median of 3):   {statistics.median(warm) * 1000:6.0f} ms   (the browser's cache)")
    print(f"exported file's first load:        {export_load * 1000:6.0f} ms")
    print(summary("app: sector change -> repainted" + (" (+firms)" if args.firms else ""), app))
    print(summary("export: legend box -> repainted" + (" (+firms)" if firms else ""), reference))
    print(f"ratio app / export (medians):      {statistics.median(app) / statistics.median(reference):6.1f}x")
    if leak:
        print(f"after {args.leak} more changes: {leak[0]} -> {leak[1]}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
