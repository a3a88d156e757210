"""The sidebar: language, view, the filters every view shares, the map's settings and the company-list upload."""

from __future__ import annotations

import streamlit as st

from layers import LANGUAGE_NAMES, LAYER_SPECS, TAXONOMIES, Atlas, MapRequest, Selection, available_basemaps, other, text, vocabulary

from .state import VIEWS, keep_widget_values

#: Typing in a list box keeps the options that contain the text: Enter then picks what the person typed, not a
#: fuzzy guess (Streamlit's default matching would pick 'Zpark' for 'ZGC park').
FILTER_MODE = "contains"


def sidebar(atlas: Atlas) -> MapRequest:
    """Draw the sidebar; return what the map and views are asked to show."""
    bar = st.sidebar
    lang = bar.radio(text("en")["language"], ["en", "zh"], format_func=LANGUAGE_NAMES.get, key="lang", horizontal=True,
                     on_change=keep_widget_values)
    t = text(lang)
    bar.radio(t["view"], VIEWS, key="view", format_func=lambda v: t[f"view_{v}"], horizontal=True)
    bar.header(t["filters"])
    bar.caption(t["sectors"])
    second = other(lang)
    sectors: list[str] = []
    for taxonomy in TAXONOMIES:
        options = [s.code for s in atlas.sectors if s.taxonomy == taxonomy]
        sectors += bar.multiselect(
            vocabulary("taxonomies", lang)[taxonomy], options, key=f"sectors_{taxonomy}", placeholder=t["choose"],
            format_func=lambda c: f"{atlas.sectors[c].label(lang)} · {atlas.sectors[c].label(second)}", filter_mode=FILTER_MODE,
        )
    names = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"], strict=True))
    others = dict(zip(atlas.districts["adcode"], atlas.districts["name_en" if lang == "zh" else "name_zh"], strict=True))
    districts = bar.multiselect(t["districts"], list(names), key="districts", format_func=lambda a: f"{names[a]} · {others[a]}",
                                placeholder=t["choose"], filter_mode=FILTER_MODE)
    kinds_en, kinds = vocabulary("kinds", "en"), vocabulary("kinds", lang)
    chosen_kinds = bar.multiselect(t["kinds"], list(kinds_en), key="kinds", format_func=kinds.get, placeholder=t["choose"],
                                   filter_mode=FILTER_MODE)
    query = bar.text_input(t["search"], key="q")
    bar.header(t["map_settings"])
    titles = {s.key: s.title(lang) for s in LAYER_SPECS}
    layers = bar.multiselect(t["layers"], list(titles), key="layers", placeholder=t["choose"], format_func=titles.get,
                             filter_mode=FILTER_MODE)
    basemaps = {b.key: b.label(lang) for b in available_basemaps()}
    chosen_basemap = bar.selectbox(t["basemap"], list(basemaps), key="basemap", format_func=basemaps.get)
    bar.header(t["firms_header"])
    bar.file_uploader(t["firms_upload"], type=["csv", "txt", "xlsx"], key="firms_file", help=t["firms_upload_help"])
    datums = vocabulary("datums", lang)
    bar.selectbox(t["firms_datum"], list(datums), key="firms_datum", format_func=datums.get)
    selection = Selection.of(sectors, districts, chosen_kinds, query)
    layer_keys = tuple(s.key for s in LAYER_SPECS if s.key in layers)
    return MapRequest(selection, chosen_basemap or "osm", lang, layer_keys)
