"""The Streamlit app's tier: the sidebar, the views and the link state. The only code besides app.py that imports
Streamlit; it reaches the atlas through the ``layers`` facade alone."""

from __future__ import annotations

import streamlit as st

from layers import select, text

from . import context, state
from .firms import company_list
from .sidebar import sidebar
from .views import VIEWS


def run() -> None:
    """One run of the app: restore the link once, draw the sidebar, select once, draw the chosen view, keep the link."""
    atlas = context.atlas()
    context.published_assets()
    state.restore(atlas)
    request = sidebar(atlas)
    t = text(request.lang)
    shown = select(atlas, request.selection, context.distances())  # the one selection of this run: every view reads it
    loaded = company_list(t, request.lang)
    page = context.Page(
        atlas, shown, request, t, context.distances(), loaded[1] if loaded else None, loaded[0] if loaded else None
    )
    # Drawn after the view into a place kept at the top: the map's message leaves before them, and the page has
    # fewer messages to take in before it repaints the map.
    top = st.container()
    view = st.session_state.get("view") or "map"
    VIEWS[view](page)
    top.title(t["title"])
    top.caption(t["caption"])
    st.caption(t["notes"])
    state.publish(state.link_params(view, request.selection, request.lang, request.layers, request.basemap))
    state.confirm()
