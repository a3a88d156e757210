"""Beijing Industrial Parks Atlas: the Streamlit app. UI only: widgets, layout and calls into layers/."""

from __future__ import annotations

from pathlib import Path

import streamlit as st
from streamlit_folium import st_folium

from layers import assets
from layers.export import MIME_TYPES, export_bytes
from layers.filters import Selection, select_clusters, select_parks
from layers.i18n import KIND_LABELS, TAXONOMY_LABELS, text
from layers.load import Atlas, load_atlas
from layers.render import MapBasis, MapRequest, build_map, prepare_basis
from layers.sectors import TAXONOMIES
from layers.spec import BASEMAPS, LAYERS, basemap
from layers.tables import park_details, parks_table, sources_table, total_area_km2

STATIC_DIR = Path(__file__).parent / "static"
ASSET_URL = f"/app/static/vendor/{assets.VENDOR_NAME}"
MAP_KEY = "atlas-map"


@st.cache_data(show_spinner=False)
def cached_atlas() -> Atlas:
    # cache_data hands each session its own copy: no session can change another's frames.
    return load_atlas()


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
    st.session_state["_restored"] = True


def sidebar(atlas: Atlas) -> tuple[MapRequest, str]:
    lang = st.sidebar.radio("Language / 语言", ["en", "zh"], format_func={"en": "English", "zh": "中文"}.get, key="lang", horizontal=True)
    t = text(lang)
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
    st.query_params.from_dict({**selection.to_query_params(), "layer": list(layer_keys), "basemap": basemap, "lang": lang})
    return MapRequest(selection, basemap, lang, layer_keys), lang


def details_panel(atlas: Atlas, clicked: dict | None, lang: str) -> None:
    t = text(lang)
    st.subheader(t["details"])
    park_id = ((clicked or {}).get("properties") or {}).get("id")
    details = park_details(atlas, park_id, lang) if park_id else None
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

    parks = select_parks(atlas.parks, request.selection, atlas.sectors)
    clusters = select_clusters(atlas.clusters, atlas.parks, request.selection, atlas.sectors)
    datum = basemap(request.basemap).datum.value
    content = build_map(atlas, request, map_basis(lang, datum), districts_url(lang, datum))
    assets.use_served_assets(content.map, ASSET_URL)

    left, right = st.columns([3, 2])
    with left:
        # render=False: st_folium renders the map itself a second time anyway; one render is enough.
        returned = st_folium(content.map, key=MAP_KEY, height=620, use_container_width=True,
                             returned_objects=["last_active_drawing"], render=False)
    with right:
        a, b, c = st.columns(3)
        a.metric(t["parks"], len(content.park_ids))
        b.metric(t["clusters"], len(clusters))
        c.metric(t["area"], f"{total_area_km2(parks):,.1f}", help=t["area_help"])
        details_panel(atlas, (returned or {}).get("last_active_drawing"), lang)
    if parks.empty:
        st.info(t["no_parks"])
    st.subheader(t["table"])
    st.dataframe(parks_table(atlas, lang, parks), hide_index=True, width="stretch", key="parks-table")
    downloads(atlas, request, t)
    with st.expander(t["sources"]):
        st.dataframe(sources_table(atlas, parks, lang), hide_index=True, width="stretch")
    st.caption(t["notes"])
    st.caption(t["share"])


main()
