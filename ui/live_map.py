"""The map in the app's page: a small component (Streamlit's components v2, no iframe) that keeps one Leaflet map.

Two elements carry it. The base carrier brings a map's script (hundreds of KB) once per language, datum, basemap and
layers; Streamlit sends an unchanged element once and refers to it afterwards. The map element brings, on every
run, only the base's key and the selection's small state (``layers.live_state``), and sends back what the person
did (the park clicked, the point clicked, where the map was left) to callbacks. The page's code is ``live_map.js``.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from layers import LiveBase

_BASE_JS = """
export default function (component) {
    const data = component.data;
    if (!data || !data.key) { return; }
    const bases = (window.atlasMapBases = window.atlasMapBases || {});
    if (!bases[data.key]) {
        const kept = Object.keys(bases);
        if (kept.length >= 4) { delete bases[kept[0]]; }  // a few bases: the views' maps, the other language
        bases[data.key] = data;
    }
    window.dispatchEvent(new CustomEvent("atlas-map-base", {detail: data.key}));
}
"""
_CSS = """
.atlas-live-map { position: relative; width: 100%; }
.atlas-live-map .folium-map { position: relative; width: 100%; height: 100%; }
.atlas-live-map .leaflet-container { font-size: 1rem; }
.atlas-live-map .foliumtooltip table, .atlas-live-map .foliumpopup table { margin: auto; }
.atlas-live-map .foliumtooltip tr, .atlas-live-map .foliumpopup tr { text-align: left; }
.atlas-live-map .foliumtooltip th, .atlas-live-map .foliumpopup th { padding: 2px 8px 2px 2px; }
.atlas-live-map .atlas-fit a { font-size: 18px; line-height: 30px; text-decoration: none; color: #222; }
"""
_CARRIER = st.components.v2.component("atlas_map_base", js=_BASE_JS)
_MAP = st.components.v2.component(
    "atlas_live_map",
    css=_CSS,
    js=(Path(__file__).with_name("live_map.js")).read_text(encoding="utf-8"),
    isolate_styles=False,
)


def _ignore() -> None:
    """An answer nobody asked for (a map whose clicks go nowhere)."""


def live_map(
    key: str,
    base: LiveBase,
    state: dict[str, Any] | None,
    *,
    height: int,
    labels: dict[str, str],
    view: dict | None = None,
    clicks: str | None = None,
    refit: str | None = None,
    on_view: Callable[[], None] | None = None,
    on_park: Callable[[], None] | None = None,
    on_point: Callable[[], None] | None = None,
) -> None:
    """Show ``base`` (run once in the page) with ``state`` applied; what the person does comes to the callbacks.

    ``view`` opens a freshly mounted map there (a link's view, or where the person left it before changing view);
    ``clicks`` is "park" (a dot's id comes back) or "point" (any click's place); a new ``refit`` makes the map
    follow the selection's bounds again (a new search circle). ``on_view`` is called when the person has moved
    the map, ``on_park`` when a dot was clicked (its id under ``park``), ``on_point`` when the map was clicked
    (``point``: lat, lng and the basemap's datum); read them from ``st.session_state[key]``. Callbacks run before
    the script, so what the person did is kept even if the run it started is cut short by another.
    """
    _MAP(
        key=key,
        data={
            "base": base.key,
            "state": state,
            "height": height,
            "labels": labels,
            "view": view,
            "clicks": clicks,
            "refit": refit,
        },
        height=height,
        on_view_change=on_view or _ignore,
        on_park_change=on_park or _ignore,
        on_point_change=on_point or _ignore,
    )
    # After the map: on a filter change the page has the base already, and the map's message goes out first.
    _CARRIER(key=f"{key}-base", data=base.as_data())
