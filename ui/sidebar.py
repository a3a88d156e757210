"""The sidebar: language, view, the filters every view shares, the map's settings and the company-list upload."""

from __future__ import annotations

from functools import partial

import streamlit as st

from layers import (
    LANGUAGE_NAMES,
    LAYER_SPECS,
    TAXONOMIES,
    Atlas,
    MapRequest,
    Selection,
    available_basemaps,
    format,
    other,
    text,
    vocabulary,
)

from . import context
from .state import PERSIST, VIEWS, keep, widget_key
from .widgets import multiselect


def sidebar(atlas: Atlas) -> MapRequest:
    """Draw the sidebar; return what the map and views are asked to show."""
    bar = st.sidebar
    lang = bar.radio(text("en")["language"], ["en", "zh"], format_func=LANGUAGE_NAMES.get, key="lang", horizontal=True)
    t = text(lang)
    keep(
        "view",
        bar.radio(
            t["view"], VIEWS, key=widget_key("view", lang, "map"), format_func=lambda v: t[f"view_{v}"], horizontal=True
        ),
    )
    bar.header(t["filters"])
    bar.caption(t["sectors"])
    sectors: list[str] = []
    for taxonomy in TAXONOMIES:
        options = [s.code for s in atlas.sectors if s.taxonomy == taxonomy]
        sectors += keep(
            f"sectors_{taxonomy}",
            multiselect(
                bar,
                vocabulary("taxonomies", lang)[taxonomy],
                options,
                widget_key(f"sectors_{taxonomy}", lang, []),
                partial(sector_option, atlas, lang),
                t["choose"],
            ),
        )
    names = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"], strict=True))
    others = dict(
        zip(atlas.districts["adcode"], atlas.districts["name_en" if lang == "zh" else "name_zh"], strict=True)
    )
    districts = keep(
        "districts",
        multiselect(
            bar,
            t["districts"],
            list(names),
            widget_key("districts", lang, []),
            lambda a: f"{names[a]} · {others[a]}",
            t["choose"],
        ),
    )
    kinds_en, kinds = vocabulary("kinds", "en"), vocabulary("kinds", lang)
    chosen_kinds = keep(
        "kinds", multiselect(bar, t["kinds"], list(kinds_en), widget_key("kinds", lang, []), kinds.get, t["choose"])
    )
    levels_en, levels = vocabulary("levels", "en"), vocabulary("levels", lang)
    chosen_levels = keep(
        "levels",
        multiselect(bar, t["levels"], list(levels_en), widget_key("levels", lang, []), levels.get, t["choose"]),
    )
    query = bar.text_input(t["search"], key="q")
    reach = _reach(bar, atlas, lang, t)
    bar.header(t["map_settings"])
    titles = {s.key: s.title(lang) for s in LAYER_SPECS}
    layers = keep(
        "layers", multiselect(bar, t["layers"], list(titles), widget_key("layers", lang, []), titles.get, t["choose"])
    )
    basemaps = {b.key: b.label(lang) for b in available_basemaps()}
    chosen_basemap = keep(
        "basemap",
        bar.selectbox(t["basemap"], list(basemaps), key=widget_key("basemap", lang, "osm"), format_func=basemaps.get),
    )
    bar.header(t["firms_header"])
    bar.file_uploader(t["firms_upload"], type=["csv", "txt", "xlsx"], key="firms_file", help=t["firms_upload_help"])
    datums = vocabulary("datums", lang)
    keep(
        "firms_datum",
        bar.selectbox(
            t["firms_datum"], list(datums), key=widget_key("firms_datum", lang, "wgs84"), format_func=datums.get
        ),
    )
    selection = Selection.of(sectors, districts, chosen_kinds, query, chosen_levels, reach)
    layer_keys = tuple(s.key for s in LAYER_SPECS if s.key in layers)
    return MapRequest(selection, chosen_basemap or "osm", lang, layer_keys)


def sector_option(atlas: Atlas, lang: str, code: str) -> str:
    """A sector as its box lists it: in the language, then in the other (the map's page reads these to filter)."""
    return f"{atlas.sectors[code].label(lang)} · {atlas.sectors[code].label(other(lang))}"


def _reach(bar, atlas: Atlas, lang: str, t: dict[str, str]) -> tuple[str, float] | None:
    """'Reachable by subway within N minutes of' a hub: the estimate's filter, saying what it hides."""
    hubs = {row.id: format.name(row._asdict(), lang) for row in atlas.hubs.itertuples()}
    hub = keep(
        "reach_hub",
        bar.selectbox(
            t["reach_hub"],
            ["", *hubs],
            key=widget_key("reach_hub", lang, ""),
            format_func=lambda h: hubs.get(h) or t["reach_any"],
            help=t["reach_help"],
        ),
    )
    if not hub:
        return None
    minutes = bar.slider(t["reach_min"], 15, 120, step=5, key="reach_min", persist_state=PERSIST)
    unknown = int(context.distances()[f"min_{hub}"].isna().sum())
    bar.caption(t["reach_note"].format(n=unknown, km=format.number(context.atlas().transit.model["max_walk_km"])))
    return hub, float(minutes)
