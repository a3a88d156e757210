"""The app as Streamlit runs it, headless (AppTest)."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from .conftest import REPO


def run_app() -> AppTest:
    at = AppTest.from_file(str(REPO / "app.py"), default_timeout=60)
    return at.run()


def test_app_runs_and_lists_every_park():
    at = run_app()
    assert not at.exception
    table = at.dataframe[0].value
    assert len(table) == 16
    assert "Shougang Park" in set(table["Park"])
    assert at.metric[0].value == "16"


def test_language_switch_relabels_the_page():
    at = run_app()
    at.sidebar.radio(key="lang").set_value("zh").run()
    assert not at.exception
    assert at.title[0].value == "北京产业园区地图"
    assert "首钢园" in set(at.dataframe[0].value["园区"])
