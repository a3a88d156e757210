"""Beijing Industrial Parks Atlas: the Streamlit app. UI only: widgets, layout and calls into layers/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from layers import assets
from layers.analysis import (
    RankRequest,
    compare_parks,
    district_sector_matrix,
    hub_distances,
    leading_industries,
    locate,
    nearby,
    rank_parks,
    zoning_check,
)
from layers.compare import comparison_csv
from layers.export import MIME_TYPES, export_bytes
from layers.filters import Selection, expand_sectors, select_clusters, select_parks
from layers.i18n import KIND_LABELS, TAXONOMY_LABELS, text
from layers.load import Atlas, load_atlas
from layers.render import MapBasis, MapRequest, build_layout_map, build_map, prepare_basis
from layers.sectors import TAXONOMIES
from layers.spec import BASEMAPS, LAYERS, basemap
from layers.tables import park_details, parks_table, sources_table, total_area_km2

STATIC_DIR = Path(__file__).parent / "static"
ASSET_URL = f"/app/static/vendor/{assets.VENDOR_NAME}"
MAP_KEY = "atlas-map"
VIEWS = ("map", "nearby", "compare", "rank", "layout")


@st.cache_data(show_spinner=False)
def cached_atlas() -> Atlas:
    # cache_data hands each session its own copy: no session can change another's frames.
    return load_atlas()


@st.cache_data(show_spinner=False)
def cached_distances():
    # Distances depend on the data alone: computed once, not on every filter change.
    return hub_distances(cached_atlas())


@st.cache_resource(show_spinner=False)
def published_assets() -> str:
    return str(assets.publish(STATIC_DIR))


@st.cache_resource(show_spinner=False)
def map_basis(lang: str, datum: str) -> MapBasis:
    # Keyed by plain strings; the basis holds only dicts and pre-escaped strings that nothing modifies.
    return prepare_basis(cached_atlas(), lang, datum)


@st.cache_resource(show_spinner=False)
def districts_url(lang: str, datum: str) -> str:
    # Served once per language and datum, so the page sent on each filter change need not embed them.
    return assets.publish_json(STATIC_DIR, f"districts-{lang}-{datum}.geojson", map_basis(lang, datum).districts)


def restore_from_url(atlas: Atlas) -> None:
    """On a session's first run, set the widgets from the link it was opened with."""
    if st.session_state.get("_restored"):
        return
    params = st.query_params
    chosen = Selection.from_query_params({k: params.get_all(k) for k in ("sector", "district", "kind")} | {"q": params.get("q", "")})
    for taxonomy in TAXONOMIES:
        st.session_state[f"sectors_{taxonomy}"] = [
            s.code for s in atlas.sectors if s.taxonomy == taxonomy and s.code in chosen.sectors
        ]
    st.session_state["districts"] = [d for d in chosen.districts if d in set(atlas.districts["adcode"])]
    st.session_state["kinds"] = [k for k in chosen.kinds if k in KIND_LABELS["en"]]
    st.session_state["q"] = chosen.text
    layers = [l for l in params.get_all("layer") if l in {spec.key for spec in LAYERS}]
    st.session_state["layers"] = layers or [spec.key for spec in LAYERS if spec.shown]
    available = [b.key for b in BASEMAPS if b.available]
    st.session_state["basemap"] = params.get("basemap") if params.get("basemap") in available else available[0]
    st.session_state["lang"] = "zh" if params.get("lang") == "zh" else "en"
    st.session_state["view"] = params.get("view") if params.get("view") in VIEWS else "map"
    st.session_state["compare"] = [p for p in params.get_all("compare") if p in set(atlas.parks["id"])][:4]
    st.session_state["_restored"] = True


def sidebar(atlas: Atlas) -> tuple[MapRequest, str]:
    lang = st.sidebar.radio("Language / 语言", ["en", "zh"], format_func={"en": "English", "zh": "中文"}.get, key="lang", horizontal=True)
    t = text(lang)
    view = st.sidebar.radio(t["view"], VIEWS, key="view", format_func=lambda v: t[f"view_{v}"])
    st.sidebar.header(t["filters"])
    sectors: list[str] = []
    st.sidebar.caption(t["sectors"])
    for taxonomy in TAXONOMIES:
        options = [s.code for s in atlas.sectors if s.taxonomy == taxonomy]
        sectors += st.sidebar.multiselect(
            TAXONOMY_LABELS[lang][taxonomy], options, key=f"sectors_{taxonomy}", placeholder=t["choose"],
            format_func=lambda c: f"{atlas.sectors[c].label(lang)} · {atlas.sectors[c].label('en' if lang == 'zh' else 'zh')}",
        )
    names = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"]))
    districts = st.sidebar.multiselect(t["districts"], list(names), key="districts", format_func=names.get, placeholder=t["choose"])
    kinds = st.sidebar.multiselect(t["kinds"], list(KIND_LABELS["en"]), key="kinds", format_func=KIND_LABELS[lang].get, placeholder=t["choose"])
    query = st.sidebar.text_input(t["search"], key="q")
    layers = st.sidebar.multiselect(t["layers"], [s.key for s in LAYERS], key="layers", placeholder=t["choose"],
                                    format_func={s.key: s.title(lang) for s in LAYERS}.get)
    basemap = st.sidebar.selectbox(
        t["basemap"], [b.key for b in BASEMAPS if b.available], key="basemap", format_func={b.key: b.label(lang) for b in BASEMAPS}.get
    )
    selection = Selection.of(sectors, districts, kinds, query)
    layer_keys = tuple(s.key for s in LAYERS if s.key in layers)
    extra = {"compare": st.session_state.get("compare", [])} if view == "compare" else {}
    st.query_params.from_dict({**selection.to_query_params(), "layer": list(layer_keys), "basemap": basemap, "lang": lang,
                               "view": view, **extra})
    return MapRequest(selection, basemap, lang, layer_keys), lang


def details_panel(atlas: Atlas, clicked: dict | None, lang: str) -> None:
    t = text(lang)
    st.subheader(t["details"])
    park_id = ((clicked or {}).get("properties") or {}).get("id")
    details = park_details(atlas, park_id, lang, cached_distances()) if park_id else None
    if details is None:
        st.caption(t["details_hint"])
        return
    with st.container(border=True, key="park-details"):
        st.markdown(f"**{details['title']}**")
        st.caption(details["subtitle"])
        st.write(f"{details['kind']} · {details['district']}")
        st.write(", ".join(details["sectors"]))
        st.caption(details["sectors_source"])
        st.write(details["area"])
        st.caption(details["location"])
        if details["distances"]:
            st.write(details["distances"])
        if len(details["facts"]):
            st.dataframe(details["facts"], hide_index=True, width="stretch")


def downloads(atlas: Atlas, request: MapRequest, t: dict) -> None:
    """The current view as a file: built only when its button is clicked, by the export command's own code."""
    st.caption(t["download"])
    columns = st.columns(len(MIME_TYPES))
    for column, (fmt, mime) in zip(columns, MIME_TYPES.items()):
        column.download_button(
            t[f"download_{fmt}"], data=lambda fmt=fmt: export_bytes(atlas, request, fmt), file_name=f"beijing-parks.{fmt}",
            mime=mime, key=f"download-{fmt}", on_click="ignore",
        )


def main() -> None:
    st.set_page_config(page_title="Beijing Industrial Parks Atlas", layout="wide")
    atlas = cached_atlas()
    published_assets()
    restore_from_url(atlas)
    request, lang = sidebar(atlas)
    t = text(lang)
    st.title(t["title"])
    st.caption(t["caption"])

    view = st.session_state["view"]
    if view == "nearby":
        nearby_view(atlas, request, t)
    elif view == "compare":
        compare_view(atlas, lang, t)
    elif view == "rank":
        rank_view(atlas, request, lang, t)
    elif view == "layout":
        layout_view(atlas, request, lang, t)
    else:
        map_view(atlas, request, lang, t)
    st.caption(t["notes"])


def show_map(atlas: Atlas, request: MapRequest, key: str, returned: list[str]):
    datum = basemap(request.basemap).datum.value
    content = build_map(atlas, request, map_basis(request.lang, datum), districts_url(request.lang, datum))
    assets.use_served_assets(content.map, ASSET_URL)
    # render=False: st_folium renders the map itself a second time anyway; one render is enough.
    return content, st_folium(content.map, key=key, height=620, use_container_width=True, returned_objects=returned, render=False)


def map_view(atlas: Atlas, request: MapRequest, lang: str, t: dict) -> None:
    parks = select_parks(atlas.parks, request.selection, atlas.sectors)
    clusters = select_clusters(atlas.clusters, atlas.parks, request.selection, atlas.sectors)
    left, right = st.columns([3, 2])
    with left:
        content, returned = show_map(atlas, request, MAP_KEY, ["last_active_drawing"])
    with right:
        a, b, c = st.columns(3)
        a.metric(t["parks"], len(content.park_ids))
        b.metric(t["clusters"], len(clusters))
        c.metric(t["area"], f"{total_area_km2(parks):,.1f}", help=t["area_help"])
        details_panel(atlas, (returned or {}).get("last_active_drawing"), lang)
    if parks.empty:
        st.info(t["no_parks"])
    st.subheader(t["table"])
    st.dataframe(parks_table(atlas, lang, parks, cached_distances()), hide_index=True, width="stretch", key="parks-table")
    downloads(atlas, request, t)
    with st.expander(t["sources"]):
        st.dataframe(sources_table(atlas, parks, lang), hide_index=True, width="stretch")
    st.caption(t["share"])


def park_names(atlas: Atlas, lang: str) -> dict[str, str]:
    return dict(zip(atlas.parks["id"], atlas.parks["name_zh" if lang == "zh" else "name_en"]))


def nearby_view(atlas: Atlas, request: MapRequest, t: dict) -> None:
    st.subheader(t["view_nearby"])
    query = st.text_input(t["nearby_place"], key="nearby_q")
    radius = st.slider(t["nearby_radius"], 1, 60, 15, key="nearby_km")
    centre = None
    if query:
        found = locate(query)
        if found is None:
            st.warning(t["nearby_not_found"].format(q=query))
        else:
            centre = found
    clicked = st.session_state.get("nearby_click")
    if centre is None and clicked:
        centre = (clicked["lng"], clicked["lat"], t["nearby_clicked"])
    circle = (centre[0], centre[1], float(radius)) if centre else None
    left, right = st.columns([3, 2])
    with left:
        _, returned = show_map(atlas, MapRequest(request.selection, request.basemap, request.lang, request.layers, circle),
                               "nearby-map", ["last_clicked"])
        if returned and returned.get("last_clicked") and returned["last_clicked"] != clicked:
            st.session_state["nearby_click"] = returned["last_clicked"]
            st.session_state["nearby_q"] = ""
            st.rerun()
    with right:
        if centre is None:
            st.caption(t["nearby_hint"])
            return
        st.write(t["nearby_centre"].format(label=centre[2], lon=centre[0], lat=centre[1]))
        found = nearby(atlas, centre[0], centre[1], radius)
        names = park_names(atlas, request.lang)
        table = found.assign(park=found["id"].map(names), km=found["km"].round(1))[["park", "km", "id"]]
        st.dataframe(table, hide_index=True, width="stretch", key="nearby-table")
        if table.empty:
            st.info(t["nearby_none"])


def compare_view(atlas: Atlas, lang: str, t: dict) -> None:
    st.subheader(t["view_compare"])
    names = park_names(atlas, lang)
    chosen = st.multiselect(t["compare_pick"], list(names), key="compare", format_func=names.get, max_selections=4,
                            placeholder=t["choose"])
    if len(chosen) < 2:
        st.caption(t["compare_hint"])
        return
    table = compare_parks(atlas, chosen, lang)
    st.dataframe(table.rename(columns=names), width="stretch", key="compare-table")
    st.download_button(t["compare_download"], data=comparison_csv(table), file_name="park-comparison.csv", mime="text/csv",
                       key="compare-download", on_click="ignore")


def rank_view(atlas: Atlas, request: MapRequest, lang: str, t: dict) -> None:
    st.subheader(t["view_rank"])
    codes = list(atlas.sectors.codes)
    sectors = st.multiselect(t["rank_sectors"], codes, default=sorted(request.selection.sectors), key="rank_sectors",
                             format_func=lambda c: atlas.sectors[c].label(lang), placeholder=t["choose"])
    cols = st.columns(4)
    weights = [cols[i].slider(t[f"rank_w_{name}"], 0.0, 5.0, 1.0, 0.5, key=f"rank_w_{name}")
               for i, name in enumerate(("sector", "airport", "rail", "area"))]
    limit = st.number_input(t["rank_max_airport"], min_value=0.0, max_value=200.0, value=0.0, step=5.0, key="rank_max_airport",
                            help=t["rank_max_airport_help"])
    try:
        rank_request = RankRequest(frozenset(sectors), *weights, max_airport_km=limit or None)
    except ValueError as error:
        st.warning(str(error))
        return
    ranked = rank_parks(atlas, rank_request, expand_sectors(sectors, atlas.sectors))
    names = park_names(atlas, lang)
    shown = ranked.assign(park=ranked["id"].map(names)).round({"score": 3, "score_sector": 2, "score_airport": 2, "score_rail": 2,
                                                              "score_area": 2, "km_airport": 1, "km_rail": 1})
    st.dataframe(shown[["rank", "park", "score", "score_sector", "score_airport", "score_rail", "score_area", "km_airport",
                        "km_rail", "area_km2", "missing", "excluded", "id"]], hide_index=True, width="stretch", key="rank-table")
    st.caption(t["rank_explain"])
    top = [pid for pid in shown.loc[shown["rank"].notna(), "id"]][:3]
    if len(top) >= 2:
        st.button(t["rank_compare_top"], key="rank-compare", on_click=open_comparison, args=(top,))


def open_comparison(park_ids: list[str]) -> None:
    # A callback: it runs before the next rerun draws the view switch, so it may still change it.
    st.session_state["compare"] = park_ids
    st.session_state["view"] = "compare"


def layout_view(atlas: Atlas, request: MapRequest, lang: str, t: dict) -> None:
    st.subheader(t["view_layout"])
    st.caption(t["layout_principle"])
    by_district, by_sector = zoning_check(atlas)
    districts = dict(zip(atlas.districts["adcode"], atlas.districts["name_zh" if lang == "zh" else "name_en"]))
    label = lambda codes: ", ".join(atlas.sectors[c].label(lang) for c in codes)  # noqa: E731
    st.markdown(f"**{t['layout_by_district']}**")
    st.dataframe(by_district.assign(district=by_district["district"].map(districts), sectors=by_district["sectors"].map(label)),
                 hide_index=True, width="stretch", key="layout-districts")
    st.markdown(f"**{t['layout_by_sector']}**")
    st.dataframe(by_sector.assign(sector=by_sector["sector"].map(lambda c: atlas.sectors[c].label(lang)),
                                  districts=by_sector["districts"].map(lambda ds: ", ".join(districts[d] for d in ds))),
                 hide_index=True, width="stretch", key="layout-sectors")
    st.markdown(f"**{t['layout_matrix']}**")
    matrix = district_sector_matrix(atlas)
    st.dataframe(matrix.rename(index=districts, columns=lambda c: atlas.sectors[c].label(lang)), width="stretch", key="layout-matrix")
    with st.expander(t["layout_behind"]):
        behind = leading_industries(atlas)
        st.dataframe(behind.assign(district=behind["district"].map(districts), sector=behind["sector"].map(lambda c: atlas.sectors[c].label(lang))),
                     hide_index=True, width="stretch")
    st.markdown(f"**{t['layout_map']}**")
    content = build_layout_map(atlas, by_district, lang)
    assets.use_served_assets(content, ASSET_URL)
    st_folium(content, key="layout-map", height=520, use_container_width=True, returned_objects=[], render=False)

main()
