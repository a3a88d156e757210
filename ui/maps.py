"""Showing a map in the app: one kept map per view, its base drawn once, each selection applied in the page."""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from functools import partial

import streamlit as st

from layers import (
    TAXONOMIES,
    LiveBase,
    MapContent,
    MapRequest,
    basemap,
    build_map,
    convert,
    live_base,
    live_state,
    sector_filter,
)

from . import context
from .firms import firm_source
from .live_map import live_map
from .sidebar import sector_option
from .state import MapView, widget_id

MAP_HEIGHT = 640
#: After a map whose selection changed, the run waits this long before drawing what follows (tables, downloads).
#: The page takes in a run's messages as a burst and paints once the burst is over; given a moment alone, the map's
#: message is painted first. Measured with bench.bench_browser_map: the map repaints ~60 ms sooner, the tables
#: below it arrive this much later.
PAINT_PAUSE_S = 0.025


@st.cache_resource(show_spinner=False, max_entries=12)
def _shared_base(
    lang: str,
    basemap_key: str,
    layers: tuple[str, ...],
    circle: tuple[float, float, float] | None,
    _request: MapRequest,
) -> LiveBase:
    # A base without a company list holds only the atlas: one per language, basemap, layers and search circle for
    # every session, so a new visitor's first run does not draw one again.
    return _draw_base(_request, None)


@st.cache_resource(show_spinner=False, scope="session", max_entries=6)
def _base_with_firms(
    lang: str,
    basemap_key: str,
    layers: tuple[str, ...],
    circle: tuple[float, float, float] | None,
    firms_key: str,
    _request: MapRequest,
    _firms: object,
) -> LiveBase:
    # Kept in this session only: its script names the session's company list.
    return _draw_base(_request, _firms)


def _draw_base(request: MapRequest, firms: object) -> LiveBase:
    """The base for ``request`` (a filter change reuses it, so the page never draws the map again)."""
    datum = basemap(request.basemap).datum.value
    return live_base(
        context.atlas(),
        request,
        context.map_basis(request.lang, datum),
        context.ASSET_URL,
        context.districts_url(request.lang, datum),
        firms=firms,
    )


def show_map(
    page: context.Page,
    key: str,
    clicks: str,
    request: MapRequest | None = None,
    remember_view: bool = False,
    on_point: Callable[[tuple[float, float]], None] | None = None,
) -> MapContent:
    """Show the map of ``request`` (default: the sidebar's) and return what it shows.

    The map follows the selection (fits to it) until the person moves it; from then on a filter change leaves pan
    and zoom where they are. With ``remember_view`` where they left it is kept, put in the link, and reopened when
    they come back to this view or open the link. ``on_point`` is called with a clicked point's WGS-84 (lon, lat)
    (``clicks="point"``), before the run the click starts.
    """
    follows_sidebar = request is None
    request = request or page.request
    datum = basemap(request.basemap).datum.value
    firms = firm_source(page, datum)
    basis = context.map_basis(request.lang, datum)
    # The selection's map is built (cheaply, never rendered) for what it says: ids, colours, legend, bounds.
    content = build_map(page.atlas, page.shown, request, basis, context.districts_url(request.lang, datum), firms=firms)
    key = (request.lang, request.basemap, tuple(request.layers), request.circle)
    base = _shared_base(*key, request) if firms is None else _base_with_firms(*key, firms.page_key, request, firms)
    kept: MapView | None = st.session_state.get("_map_view") if remember_view else None
    state = live_state(content, page.shown)
    if follows_sidebar:
        state["instant"] = _sector_filter(page)
    live_map(
        key,
        base,
        state,
        height=MAP_HEIGHT,
        labels={"fit": page.t["map_fit"]},
        view=_in_datum(kept, datum),
        clicks=clicks,
        refit=repr(request.circle) if request.circle else None,
        on_view=partial(_keep_view, key) if remember_view else None,
        on_park=partial(_keep_park, key, frozenset(page.atlas.parks["id"])),
        on_point=partial(_take_point, key, on_point) if on_point else None,
    )
    _pause_if_changed(key, state)
    return content


def _sector_filter(page: context.Page) -> dict:
    """What lets the page repaint a change of the sidebar's sectors at once; it reads the boxes by these labels."""
    labels = {sector_option(page.atlas, page.lang, code): code for code in page.atlas.sectors.codes}
    # This language's boxes only: the other language's may linger in the page for a moment after a switch.
    boxes = [f"st-key-{widget_id(f'sectors_{taxonomy}', page.lang)}" for taxonomy in TAXONOMIES]
    return {**sector_filter(page.atlas, page.shown), "labels": labels, "boxes": boxes}


def _pause_if_changed(key: str, state: dict) -> None:
    """A new selection on this map: let the page paint it before the rest of the run arrives (``PAINT_PAUSE_S``)."""
    stamp = hashlib.sha1(json.dumps(state, sort_keys=True).encode("utf-8")).hexdigest()
    previous = st.session_state.get(f"_painted-{key}")
    st.session_state[f"_painted-{key}"] = stamp
    if previous is not None and previous != stamp:
        time.sleep(PAINT_PAUSE_S)


def _keep_park(key: str, ids: frozenset[str]) -> None:
    """A dot was clicked: its park is the one the details panel shows (an id the atlas lacks is ignored)."""
    park = (st.session_state.get(key) or {}).get("park")
    if park in ids:
        st.session_state["park"] = park


def _take_point(key: str, on_point: Callable[[tuple[float, float]], None]) -> None:
    """The map was clicked: the point, in WGS-84 (on a GCJ-02 basemap the click is a few hundred metres off)."""
    point = (st.session_state.get(key) or {}).get("point")
    if point:
        lon, lat = convert(float(point["lng"]), float(point["lat"]), str(point.get("datum", "wgs84")), "wgs84")
        on_point((float(lon), float(lat)))


def _keep_view(key: str) -> None:
    """The person moved the map (or asked it to follow the selection again: no view): kept for the link."""
    view = (st.session_state.get(key) or {}).get("view")
    st.session_state["_map_view"] = (
        MapView(int(view["zoom"]), float(view["lat"]), float(view["lng"]), str(view["datum"])) if view else None
    )


def show_static_map(base: LiveBase, key: str, height: int) -> None:
    """A map with nothing to filter (the layout view's), shown by the same component."""
    live_map(key, base, None, height=height, labels={"fit": ""})


def _in_datum(view: MapView | None, datum: str) -> dict | None:
    """The kept view for a basemap of ``datum``: the same streets, a few hundred metres apart on a GCJ-02 map."""
    if view is None:
        return None
    lon, lat = (view.lon, view.lat) if view.datum == datum else convert(view.lon, view.lat, view.datum, datum)
    return {"zoom": view.zoom, "lat": round(float(lat), 5), "lng": round(float(lon), 5), "datum": datum}
