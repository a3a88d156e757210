"""The app in a real browser, as a person opens it: headless Chromium, no network beyond 127.0.0.1."""

from __future__ import annotations

import pytest

from .browser import chromium_context, require_chromium, screenshot, streamlit_server
from .conftest import REPO


@pytest.fixture(scope="module")
def app_url():
    require_chromium()
    with streamlit_server(REPO / "app.py") as url:
        yield url


def test_app_page_shows_the_parks_offline(app_url):
    with chromium_context() as (context, blocked):
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda exc: errors.append(str(exc)))
        page.goto(app_url, wait_until="domcontentloaded")
        page.get_by_text("Beijing Industrial Parks Atlas").first.wait_for(timeout=30_000)
        page.locator("[data-testid='stDataFrame']").first.wait_for(timeout=30_000)
        page.get_by_text("16", exact=True).first.wait_for(timeout=30_000)
        screenshot(page, "app-placeholder-en")
        page.get_by_text("中文", exact=True).click()
        page.get_by_text("北京产业园区地图").first.wait_for(timeout=30_000)
        screenshot(page, "app-placeholder-zh")
        assert not errors, errors
        assert blocked == [], f"the page tried to reach outside 127.0.0.1: {blocked}"
