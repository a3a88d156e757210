"""Showing a map in the app: built from the shared context, drawn by streamlit-folium with the app's own assets."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import streamlit as st
from streamlit_folium import st_folium

from layers import MapContent, MapRequest, basemap, build_map, use_served_assets

from . import context
from .firms import firm_source
from .state import MapView, view_key

MAP_HEIGHT = 640


def show_map(
    page: context.Page, key: str, returned: list[str], request: MapRequest | None = None, remember_view: bool = False
) -> tuple[MapContent, dict[str, Any] | None]:
    """Build and show the map; return what it shows and what streamlit-folium sends back.

    With ``remember_view`` the zoom and centre the person left the map at are kept (and put in the link) for as long
    as the selection stays the same; a new selection fits the map to what it shows.
    """
    request = request or page.request
    current = view_key(page.shown.selection, request.basemap)
    opened: MapView | None = st.session_state.get("_link_view") if remember_view else None
    if opened is not None and opened.for_key != current:
        opened = None  # the selection changed since the link was opened: fit the map to the new one
        st.session_state.pop("_link_view", None)
    if opened is not None:
        # The link's view is part of the map itself, constant while the person pans (which changes only the link).
        request = replace(request, view=(opened.zoom, opened.lat, opened.lon))
    datum = basemap(request.basemap).datum.value
    content = build_map(
        page.atlas,
        page.shown,
        request,
        context.map_basis(request.lang, datum),
        context.districts_url(request.lang, datum),
        firms=firm_source(page, datum),
    )
    use_served_assets(content.map, context.ASSET_URL)
    view: MapView | None = st.session_state.get("_map_view")
    if view is not None and view.for_key != current:
        st.session_state.pop("_map_view", None)
    extra = ["zoom", "center"] if remember_view else []
    # render=False: st_folium renders the map itself a second time anyway; one render is enough.
    answer = st_folium(
        content.map,
        key=key,
        height=MAP_HEIGHT,
        use_container_width=True,
        returned_objects=[*returned, *extra],
        render=False,
    )
    if remember_view and answer and answer.get("zoom") is not None and answer.get("center"):
        centre = answer["center"]
        st.session_state["_map_view"] = MapView(
            int(answer["zoom"]), round(float(centre["lat"]), 5), round(float(centre["lng"]), 5), current
        )
    return content, answer
