"""Rank: weights for sector, airport, rail and area; every score explained; the top three compared in one click."""

from __future__ import annotations

import streamlit as st

from layers import RankRequest, rank_parks, rank_table

from ..context import Page
from ..state import PERSIST, WEIGHT_KEYS, keep, set_value, widget_key
from ..tables import show_table
from ..widgets import multiselect


def open_comparison(park_ids: list[str]) -> None:
    # A callback: it runs before the next rerun draws the view switch, so it may still change it.
    set_value("compare", park_ids)
    set_value("view", "compare")


def show(page: Page) -> None:
    t, lang, atlas = page.t, page.lang, page.atlas
    st.subheader(t["view_rank"])
    st.caption(t["rank_scope"])
    if "rank_sectors" not in st.session_state:  # first visit: start from the sidebar's sectors
        st.session_state["rank_sectors"] = sorted(page.shown.selection.sectors)
    other_lang = "en" if lang == "zh" else "zh"
    sectors = keep(
        "rank_sectors",
        multiselect(
            st,
            t["rank_sectors"],
            list(atlas.sectors.codes),
            widget_key("rank_sectors", lang, []),
            lambda c: f"{atlas.sectors[c].label(lang)} · {atlas.sectors[c].label(other_lang)}",
            t["choose"],
        ),
    )
    only = st.toggle(t["rank_only"], key="rank_only", persist_state=PERSIST, disabled=not sectors)
    cols = st.columns(len(WEIGHT_KEYS))
    weights = [
        cols[i].slider(t[key], 0.0, 5.0, step=0.5, key=key, persist_state=PERSIST) for i, key in enumerate(WEIGHT_KEYS)
    ]
    limits = st.columns(2)
    limit = limits[0].number_input(
        t["rank_max_airport"],
        min_value=0.0,
        max_value=200.0,
        step=5.0,
        key="rank_max_airport",
        persist_state=PERSIST,
        help=t["rank_max_airport_help"],
    )
    cbd_limit = limits[1].number_input(
        t["rank_max_cbd"],
        min_value=0.0,
        max_value=240.0,
        step=5.0,
        key="rank_max_cbd",
        persist_state=PERSIST,
        help=t["rank_max_cbd_help"],
    )
    if not any(w > 0 for w in weights):
        st.warning(t["rank_bad_weights"])
        return
    request = RankRequest(
        frozenset(sectors),
        *weights[:4],
        max_airport_km=limit or None,
        only_matching=bool(only and sectors),
        w_cbd=weights[4],
        max_cbd_min=cbd_limit or None,
    )
    ranked = rank_parks(atlas, request, page.distances)
    if ranked.empty:
        st.info(t["rank_none"])
        return
    show_table(
        rank_table(
            atlas,
            ranked,
            lang,
            {"airport": request.max_airport_km, "rail": request.max_rail_km, "cbd": request.max_cbd_min},
        ),
        "rank-table",
    )
    st.caption(t["rank_explain"])
    top = list(ranked.loc[ranked["rank"].notna(), "id"])[:3]
    if len(top) >= 2:
        st.button(t["rank_compare_top"], key="rank-compare", on_click=open_comparison, args=(top,))
