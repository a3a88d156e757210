"""Trust, in a real browser: a crafted link or crafted data never runs script, in the app or in a downloaded map,
and a person's uploaded list is never something another client can fetch, during or after their session."""

from __future__ import annotations

import urllib.request
from urllib.parse import quote

import pytest

from .browser import (
    chromium_context,
    open_map,
    wait_for_count,
    wait_until_idle,
)
from .conftest import REPO

pytestmark = pytest.mark.browser

MARKER = "ZZ-SECRET-FIRM-7F3A"
ATTACK = "</title><script>alert(1)</script><img src=x onerror=alert(2)>"


def fetch(url: str) -> bytes:
    """A plain HTTP client with nothing of the browser's: no cookies, no session."""
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.read()
    except OSError:  # a refused or closed URL answers nothing
        return b""


def dialogs_of(page) -> list[str]:
    seen: list[str] = []
    page.on("dialog", lambda d: (seen.append(d.message), d.dismiss()))
    return seen


def test_a_crafted_link_runs_no_script_in_the_app_or_its_downloaded_map(app_url, tmp_path):
    with chromium_context(grey_tiles=True) as (context, _):
        page = context.new_page()
        dialogs = dialogs_of(page)
        open_map(page, f"{app_url}/?q={quote(ATTACK)}")
        wait_until_idle(page)
        assert page.locator("[data-testid='stException']").count() == 0
        page.goto(f"{app_url}/?view=nearby&near={quote(ATTACK)}", wait_until="domcontentloaded")
        page.get_by_role("heading", name="Nearby").wait_for(timeout=30_000)
        wait_until_idle(page)
        assert page.locator("img[src='x']").count() == 0
        open_map(page, f"{app_url}/?q={quote(ATTACK)}")
        wait_until_idle(page)
        with page.expect_download(timeout=60_000) as download:
            page.get_by_role("button", name="Offline map (HTML)").click()
        saved = tmp_path / "map.html"
        download.value.save_as(saved)
        offline = context.new_page()
        offline_dialogs = dialogs_of(offline)
        offline.goto(saved.as_uri())
        offline.locator(".atlas-title").wait_for(timeout=15_000)
        assert "</title><script>" in offline.locator(".atlas-title").inner_text()  # shown as text
        assert ATTACK not in saved.read_text(encoding="utf-8")
        offline.wait_for_timeout(500)
        assert dialogs == [] and offline_dialogs == []


def test_a_crafted_list_runs_no_script_and_is_never_fetchable_by_another_client(app_url, atlas, tmp_path):
    firms = tmp_path / "firms.csv"
    firms.write_text(
        f"name,sector,lon,lat\n{MARKER} <img src=x onerror=alert(3)>,<script>alert(4)</script>,116.5,39.79\n"
        f"{MARKER} two,hp_ic,116.3,39.98\n",
        encoding="utf-8",
    )
    served: list[str] = []
    with chromium_context(grey_tiles=True) as (context, _):
        page = context.new_page()
        dialogs = dialogs_of(page)
        leaks: list[str] = []

        def record(response) -> None:
            url = response.url
            if url.startswith("http://127.0.0.1"):
                served.append(url)
                try:
                    if MARKER.encode() in response.body():
                        leaks.append(url)
                except Exception:  # noqa: BLE001  (a redirect or a streamed body has none to read)
                    pass

        page.on("response", record)
        frame = open_map(page, app_url)
        wait_until_idle(page)
        page.locator(".st-key-firms_file input[type=file]").set_input_files(str(firms))
        frame.locator(".leaflet-container[data-firms-drawn]").wait_for(timeout=60_000)
        wait_until_idle(page)
        assert wait_for_count(page, frame.locator("path.atlas-park"), len(atlas.parks)) == len(atlas.parks)
        assert page.locator("[data-testid='stException']").count() == 0 and dialogs == []
        assert leaks == [], f"the list went out as a fetchable response: {leaks}"

        # Another client asks for everything the first page fetched, while its session is open ...
        assert [url for url in set(served) if MARKER.encode() in fetch(url)] == []
    # ... and after it has ended (the browser closed).
    assert [url for url in set(served) if MARKER.encode() in fetch(url)] == []
    # And nothing of it is on the server's disk where it serves files from.
    static = REPO / "static"
    for path in static.rglob("*") if static.exists() else ():
        if path.is_file():
            assert MARKER.encode() not in path.read_bytes(), path
