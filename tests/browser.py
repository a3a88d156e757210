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
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator

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
    """Run ``streamlit run app`` on a free loopback port; yield its URL once healthy."""
    port = free_port()
    cmd = [
        sys.executable, "-m", "streamlit", "run", str(app),
        "--server.address", "127.0.0.1", "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--global.developmentMode", "false",
    ]
    log = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=app.parent, stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "PYTHONUNBUFFERED": "1"})
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
def chromium_context(grey_tiles: bool = False) -> Iterator[tuple[object, list[str]]]:
    """A fresh headless Chromium profile whose every non-loopback request is aborted and recorded.

    With ``grey_tiles`` a tile request is answered with a local grey image instead of failing (still recorded).
    """
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    profile = tempfile.mkdtemp(prefix="atlas-chromium-")
    try:
        with sync_playwright() as p:
            context = p.chromium.launch_persistent_context(
                profile, executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS, viewport={"width": 1400, "height": 900}
            )

            def route(route_, request):
                url = request.url
                if url.startswith(("http://127.0.0.1", "http://localhost", "ws://127.0.0.1", "data:", "blob:", "file:", "about:")):
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
