"""Driving the app headless (Streamlit's AppTest) as the browser does: widgets by their language-free name."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

#: Widgets labelled in the reader's language: one widget per language, keyed '<name>-<lang>' (see ui/state.py).
LANGUAGE_KEYED = {
    "view",
    "sectors_hp2017",
    "sectors_future2023",
    "sectors_shijingshan",
    "sectors_other",
    "districts",
    "kinds",
    "levels",
    "layers",
    "basemap",
    "reach_hub",
    "firms_datum",
    "firms_encoding",
    "firms_sheet",
    "compare",
    "rank_sectors",
    "layout_taxonomy",
    "nearby_choice",
}


def widget(at: AppTest, kind: str, name: str):
    """The widget called ``name`` as the app draws it now (KeyError when the current view does not show it)."""
    lang = at.session_state["lang"] if "lang" in at.session_state else "en"
    return getattr(at, kind)(key=f"{name}-{lang}" if name in LANGUAGE_KEYED else name)
