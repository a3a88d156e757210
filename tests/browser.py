"""Real-browser support: a Streamlit server on 127.0.0.1 and Debian's headless Chromium via Playwright."""

from __future__ import annotations

import base64
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]
ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"


def require_chromium() -> None:
    """Skip when Chromium is absent (the conftest turns that skip into a failure under CI)."""
    if not Path(CHROMIUM).exists():
        pytest.skip(f"{CHROMIUM} not installed: run bash scripts/test.sh, which installs Debian's chromium")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def streamlit_server(app: Path, timeout_s: float = 60.0) -> Iterator[str]:
    """Run ``streamlit run app`` on a free loopback port; yield its URL once healthy.

    The server's log goes to a temporary file, or to the file ``ATLAS_SERVER_LOG`` names (to read it after a failure).
    """
    port = free_port()
    cmd = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        "127.0.0.1",
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--global.developmentMode",
        "false",
    ]
    log = (
        open(os.environ["ATLAS_SERVER_LOG"], "w+b") if os.environ.get("ATLAS_SERVER_LOG") else tempfile.TemporaryFile()
    )
    proc = subprocess.Popen(
        cmd, cwd=app.parent, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"}
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + timeout_s
        while True:
            try:
                with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                    if response.status == 200:
                        break
            except OSError:
                pass
            if proc.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                raise RuntimeError(f"streamlit did not start:\n{log.read().decode(errors='replace')[-3000:]}")
            time.sleep(0.2)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()


# A 1x1 light-grey PNG: what blocked tile requests get instead, so an offline page logs no errors for them.
GREY_TILE = base64.b64decode(
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mN4+vTpfwAIMQNsC9tDVAAAAABJRU5ErkJggg=="
)
TILE_URL = re.compile(r"/\d+/\d+/\d+(\.png)?(\?.*)?$|appmaptile")


@contextmanager
def chromium_context(grey_tiles: bool = False, http_cache: bool = False) -> Iterator[tuple[object, list[str]]]:
    """A fresh headless Chromium profile whose every non-loopback request is aborted and recorded.

    With ``grey_tiles`` a tile request is answered with a local grey image instead of failing (still recorded).
    With ``http_cache`` the browser keeps its cache, as a person's does (for timing loads): Playwright's request
    interception turns the cache off and passes every request through this process, so instead every non-loopback
    request goes to a proxy address where nothing listens and fails there, unrecorded, tiles included.
    """
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    profile = tempfile.mkdtemp(prefix="atlas-chromium-")
    try:
        with sync_playwright() as p:
            dead_proxy = [f"--proxy-server=http://127.0.0.1:{free_port()}", "--proxy-bypass-list=127.0.0.1;localhost"]
            context = p.chromium.launch_persistent_context(
                profile,
                executable_path=CHROMIUM,
                headless=True,
                args=CHROMIUM_FLAGS + (dead_proxy if http_cache else []),
                viewport={"width": 1400, "height": 900},
            )
            if http_cache:
                try:
                    yield context, blocked
                finally:
                    context.close()
                return

            def route(route_, request):
                url = request.url
                if url.startswith(
                    ("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:", "about:")
                ):
                    route_.continue_()
                else:
                    blocked.append(url)
                    if grey_tiles and TILE_URL.search(url):
                        route_.fulfill(status=200, content_type="image/png", body=GREY_TILE)
                    else:
                        route_.abort()

            context.route("**/*", route)
            try:
                yield context, blocked
            finally:
                context.close()
    finally:
        shutil.rmtree(profile, ignore_errors=True)


def screenshot(page, name: str) -> Path:
    """Save a screenshot under artifacts/ for a person to look at."""
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def wait_for_count(page, locator, expected: int, timeout_s: float = 30.0) -> int:
    """Poll until the locator matches ``expected`` elements. Waits through Playwright, never time.sleep:
    a sleeping Python thread would also stall the route handler that every request of the page goes through."""
    deadline = time.monotonic() + timeout_s
    count = locator.count()
    while count != expected and time.monotonic() < deadline:
        page.wait_for_timeout(200)
        count = locator.count()
    return count


def wait_until_idle(page, timeout_s: float = 30.0) -> None:
    """Wait until Streamlit has finished its rerun: a click made while the map is being replaced is lost."""
    deadline = time.monotonic() + timeout_s
    page.wait_for_timeout(300)
    while page.locator("[data-testid='stStatusWidget']").count() and time.monotonic() < deadline:
        page.wait_for_timeout(200)
    page.wait_for_timeout(300)  # the map applies the run's state after the script ends


def map_view(page) -> tuple[int, float, float]:
    """The zoom and centre (lat, lon) the page's map is at: what a person sees, read from Leaflet itself."""
    return tuple(
        page.evaluate(
            "() => { const m = document.querySelector('.atlas-live-map').parentElement.atlasMap.map;"
            " return [m.getZoom(), m.getCenter().lat, m.getCenter().lng]; }"
        )
    )


def click_a_visible_park(parks) -> None:
    """Click, as a person would, the first park marker that nothing (legend, controls) covers."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    for i in range(parks.count()):
        try:
            parks.nth(i).click(trial=True, timeout=2_000)  # checks the marker is what a click would hit
        except PlaywrightTimeout:
            continue
        parks.nth(i).click()
        return
    raise AssertionError("every park marker is covered by something")


def open_map(page, url: str):
    page.goto(url, wait_until="domcontentloaded")
    page.get_by_role("heading", name=re.compile("Beijing Industrial Parks Atlas|北京产业园区地图")).wait_for(
        timeout=30_000
    )
    return map_element(page)


#: The app's map: kept in the page itself (ui/live_map.js), not in a frame.
MAP = ".atlas-live-map"


def map_element(page):
    """The map the page shows (the first, in the views that have one), once Leaflet has drawn into it."""
    page.locator(f"{MAP} .leaflet-container").first.wait_for(timeout=30_000)
    return page.locator(MAP).first
