"""Nearby: the parks around a place a person names (or clicks), among the parks the sidebar's filters leave."""

from __future__ import annotations

import streamlit as st

from layers import MapRequest, PlaceMatch, find_place, format, nearby, nearby_table, place_by_key, term

from ..context import Page
from ..maps import show_map
from ..markdown import md
from ..state import PERSIST, keep, set_value, widget_key
from ..tables import show_table


def _forget_choice() -> None:
    # A new place name: the earlier choice among candidates and the clicked point no longer apply.
    set_value("nearby_choice", None)
    st.session_state["_nearby_click"] = None


def _search_around(point: tuple[float, float]) -> None:
    # A click on the map replaces the typed place and any choice among candidates (a callback: before any widget).
    lon, lat = point
    st.session_state["_nearby_click"] = {"lat": round(lat, 5), "lng": round(lon, 5)}
    st.session_state["nearby_q"] = ""
    set_value("nearby_choice", None)


def _describe(place: PlaceMatch, lang: str) -> str:
    precision = format.precision(place.precision_m, lang)
    return f"{place.name(lang)} ({term('place_kinds', place.kind, lang)}{', ' + precision if precision else ''})"


def _centre(page: Page, query: str) -> tuple[float, float] | None:
    """Where the search is centred, saying what the typed name matched (or offering candidates); None if nowhere."""
    t, lang = page.t, page.lang
    if query:
        found = find_place(query)
        if found.error:
            st.warning(t["nearby_coordinates_error"].format(q=md(query), error=md(found.error)))
            return None
        if found.place is not None:
            place = found.place
            if place.kind == "coordinates":
                st.info(t["nearby_matched_point"].format(lat=place.lat, lon=place.lon))
            else:
                st.info(
                    t["nearby_matched"].format(
                        name=md(place.name(lang)),
                        kind=term("place_kinds", place.kind, lang),
                        precision=format.precision(place.precision_m, lang).lstrip("±"),
                        q=md(query),
                    )
                )
            return place.lon, place.lat
        if not found.candidates:
            st.warning(t["nearby_not_found"].format(q=md(query)))
            return None
        options = [c.key for c in found.candidates]
        if st.session_state.get("nearby_choice") not in options:
            set_value("nearby_choice", None)
        by_key = {c.key: c for c in found.candidates}
        choice = keep(
            "nearby_choice",
            st.selectbox(
                t["nearby_choose"].format(q=md(query)),
                options,
                index=None,
                key=widget_key("nearby_choice", lang),
                placeholder=t["nearby_choose_placeholder"],
                format_func=lambda k: _describe(by_key[k], lang),
            ),
        )
        if choice is None:
            return None
        place = place_by_key(choice) or by_key[choice]
        return place.lon, place.lat
    clicked = st.session_state.get("_nearby_click")
    if clicked:
        st.info(t["nearby_clicked"].format(lat=clicked["lat"], lon=clicked["lng"]))
        return clicked["lng"], clicked["lat"]
    return None


def show(page: Page) -> None:
    t = page.t
    st.subheader(t["view_nearby"])
    query = st.text_input(t["nearby_place"], key="nearby_q", persist_state=PERSIST, on_change=_forget_choice).strip()
    radius = st.slider(t["nearby_radius"], 1, 60, key="nearby_km", persist_state=PERSIST)
    centre = _centre(page, query)
    circle = (centre[0], centre[1], float(radius)) if centre else None
    request = page.request
    left, right = st.columns([5, 2])
    with left:
        show_map(
            page,
            "nearby-map",
            "point",
            MapRequest(request.selection, request.basemap, request.lang, request.layers, circle),
            on_point=_search_around,
        )
    with right:
        if centre is None:
            st.caption(t["nearby_hint"])
            return
        found = nearby(page.atlas, centre[0], centre[1], radius, set(page.shown.placed_ids))
        st.caption(
            t["nearby_filters"].format(
                shown=len(page.shown.placed_ids), total=int(page.atlas.parks.geometry.notna().sum())
            )
        )
        if found.empty:
            st.info(t["nearby_none"].format(km=radius))
        else:
            show_table(nearby_table(page.atlas, found, page.lang), "nearby-table")
