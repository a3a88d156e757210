"""Beijing Industrial Parks Atlas: the Streamlit app. UI only: widgets, layout and calls into layers/."""

from __future__ import annotations

import hashlib
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
    offline_geocoder,
    rank_parks,
    zoning_check,
)
from layers.compare import comparison_csv
from layers.export import MIME_TYPES, export_bytes
from geo.datums import Datum
from layers.enterprises import EnterpriseInputError, EnterpriseResult, process_table, read_enterprise_table
from layers.enterprises.output import MIME_TYPES as LIST_MIME_TYPES
from layers.enterprises.output import enriched_bytes, table_bytes
from layers.enterprises.reading import encoding_label
from layers.filters import Selection, expand_sectors, select_clusters, select_parks
from layers.firm_tables import district_sector_firms, firms_column_label, firms_per_park, park_firms_by_sector
from layers.firms_map import FirmSource, firm_payload
from layers.i18n import KIND_LABELS, TAXONOMY_LABELS, text
from layers.load import Atlas, load_atlas
from layers.render import MapBasis, MapRequest, build_layout_map, build_map, firm_filter, prepare_basis
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
    st.sidebar.header(t["firms_header"])
    st.sidebar.file_uploader(t["firms_upload"], type=["csv", "txt", "xlsx"], key="firms_file", help=t["firms_upload_help"])
    st.sidebar.selectbox(t["firms_datum"], [d.value for d in Datum], key="firms_datum",
                         format_func={"wgs84": "WGS-84 (GPS, OSM)", "gcj02": "GCJ-02 (Gaode/AMap, Tencent)", "bd09": "BD-09 (Baidu)"}.get)
    selection = Selection.of(sectors, districts, kinds, query)
    layer_keys = tuple(s.key for s in LAYERS if s.key in layers)
    extra = {"compare": st.session_state.get("compare", [])} if view == "compare" else {}
    st.query_params.from_dict({**selection.to_query_params(), "layer": list(layer_keys), "basemap": basemap, "lang": lang,
                               "view": view, **extra})
    return MapRequest(selection, basemap, lang, layer_keys), lang


def company_list(atlas: Atlas, t: dict) -> tuple[str, EnterpriseResult] | None:
    """The uploaded list, placed and joined once per file and datum (kept in this session only: it is the user's data)."""
    uploaded = st.session_state.get("firms_file")
    if uploaded is None:
        st.session_state.pop("_firms", None)
        return None
    data = uploaded.getvalue()
    key = f"{hashlib.sha256(data).hexdigest()[:16]}-{st.session_state.get('firms_datum', 'wgs84')}"
    cached = st.session_state.get("_firms")
    if cached and cached[0] == key:
        return cached
    try:
        with st.spinner(t["firms_loading"].format(name=uploaded.name)):
            raw = read_enterprise_table(data, uploaded.name)
            result = process_table(raw, atlas, geocoder=offline_geocoder(), default_datum=Datum(st.session_state.get("firms_datum", "wgs84")))
    except EnterpriseInputError as error:
        st.sidebar.error(t["firms_error"].format(error=error))
        return None
    st.session_state["_firms"] = (key, result)
    return key, result


def firm_source(atlas: Atlas, firms: tuple[str, EnterpriseResult] | None, lang: str, datum: str) -> FirmSource | None:
    """The list as the map draws it: its points published once per list, language and datum, then fetched by URL."""
    if firms is None:
        return None
    key, result = firms
    sources = st.session_state.setdefault("_firm_sources", {})
    name = f"firms-{key}-{lang}-{datum}.json"
    if name not in sources:
        payload = firm_payload(result.enriched, result.columns, atlas, lang, Datum(datum))
        sources[name] = FirmSource.of(result.enriched, url=assets.publish_json(STATIC_DIR, name, payload), datum=Datum(datum))
    return sources[name]


def firms_section(result: EnterpriseResult, t: dict) -> None:
    st.subheader(t["firms_header"])
    statuses = result.status_counts
    st.write(t["firms_summary"].format(rows=len(result.enriched), read=encoding_label(result.encoding), placed=statuses["placed"],
                                       outside=statuses["outside_beijing"], not_placed=statuses["not_placed"],
                                       duplicate=statuses["duplicate"]))
    unknown = result.unknown_sectors
    if len(unknown):
        st.warning(t["firms_unknown"].format(labels=", ".join(f"{label} ({n:,})" for label, n in unknown.items())))
    report = result.report
    with st.expander(t["firms_report"].format(n=len(report)), expanded=bool(statuses["not_placed"])):
        st.dataframe(report, hide_index=True, width="stretch", key="firms-report")
    st.caption(t["firms_download"])
    columns = st.columns(len(LIST_MIME_TYPES) + 2)
    for column, (fmt, mime) in zip(columns, LIST_MIME_TYPES.items()):
        column.download_button(f"{fmt.upper()}", data=lambda fmt=fmt: enriched_bytes(result.enriched, fmt),
                               file_name=f"enterprises-enriched.{fmt}", mime=mime, key=f"firms-download-{fmt}", on_click="ignore")
    columns[-2].download_button("problems.csv", data=lambda: table_bytes(report), file_name="enterprises-problems.csv",
                                mime="text/csv", key="firms-download-report", on_click="ignore")
    columns[-1].download_button("counts.csv", data=lambda: table_bytes(result.counts), file_name="enterprises-counts.csv",
                                mime="text/csv", key="firms-download-counts", on_click="ignore")


def details_panel(atlas: Atlas, clicked: dict | None, lang: str, firms: EnterpriseResult | None = None) -> None:
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
        if firms is not None:
            by_sector = park_firms_by_sector(firms.counts, park_id, atlas, lang)
            st.caption(t["firms_in_park"])
            if by_sector.empty:
                st.write(t["firms_none_in_park"])
            else:
                st.dataframe(by_sector, hide_index=True, width="stretch", key="park-firms")


def html_firms(atlas: Atlas, request: MapRequest, firms: tuple[str, EnterpriseResult] | None) -> FirmSource | None:
    """The list inline, for an HTML file that must open with no server behind it."""
    if firms is None:
        return None
    result = firms[1]
    datum = basemap(request.basemap).datum
    return FirmSource.of(result.enriched, payload=firm_payload(result.enriched, result.columns, atlas, request.lang, datum), datum=datum)


def downloads(atlas: Atlas, request: MapRequest, t: dict, firms: tuple[str, EnterpriseResult] | None = None) -> None:
    """The current view as a file: built only when its button is clicked, by the export command's own code."""
    st.caption(t["download"])
    columns = st.columns(len(MIME_TYPES))
    for column, (fmt, mime) in zip(columns, MIME_TYPES.items()):
        column.download_button(
            t[f"download_{fmt}"], data=lambda fmt=fmt: export_bytes(atlas, request, fmt, html_firms(atlas, request, firms) if fmt == "html" else None),
            file_name=f"beijing-parks.{fmt}",
            mime=mime, key=f"download-{fmt}", on_click="ignore",
        )


def main() -> None:
    st.set_page_config(page_title="Beijing Industrial Parks Atlas", layout="wide")
    atlas = cached_atlas()
    published_assets()
    restore_from_url(atlas)
    request, lang = sidebar(atlas)
    t = text(lang)
    firms = company_list(atlas, t)
    st.title(t["title"])
    st.caption(t["caption"])

    view = st.session_state["view"]
    if view == "nearby":
        nearby_view(atlas, request, t, firms)
    elif view == "compare":
        compare_view(atlas, lang, t)
    elif view == "rank":
        rank_view(atlas, request, lang, t)
    elif view == "layout":
        layout_view(atlas, request, lang, t, firms[1] if firms else None)
    else:
        map_view(atlas, request, lang, t, firms)
    st.caption(t["notes"])


def show_map(atlas: Atlas, request: MapRequest, key: str, returned: list[str], firms: tuple[str, EnterpriseResult] | None = None):
    datum = basemap(request.basemap).datum.value
    content = build_map(atlas, request, map_basis(request.lang, datum), districts_url(request.lang, datum),
                        firms=firm_source(atlas, firms, request.lang, datum))
    assets.use_served_assets(content.map, ASSET_URL)
    # render=False: st_folium renders the map itself a second time anyway; one render is enough.
    return content, st_folium(content.map, key=key, height=620, use_container_width=True, returned_objects=returned, render=False)


def map_view(atlas: Atlas, request: MapRequest, lang: str, t: dict, firms: tuple[str, EnterpriseResult] | None) -> None:
    parks = select_parks(atlas.parks, request.selection, atlas.sectors)
    clusters = select_clusters(atlas.clusters, atlas.parks, request.selection, atlas.sectors)
    result = firms[1] if firms else None
    left, right = st.columns([3, 2])
    with left:
        content, returned = show_map(atlas, request, MAP_KEY, ["last_active_drawing"], firms)
    with right:
        metrics = st.columns(4 if result is not None else 3)
        metrics[0].metric(t["parks"], len(content.park_ids))
        metrics[1].metric(t["clusters"], len(clusters))
        metrics[2].metric(t["area"], f"{total_area_km2(parks):,.1f}", help=t["area_help"])
        if result is not None:
            metrics[3].metric(t["firms_shown"], f"{content.firms_shown:,}")
        details_panel(atlas, (returned or {}).get("last_active_drawing"), lang, result)
    if parks.empty:
        st.info(t["no_parks"])
    st.subheader(t["table"])
    table = parks_table(atlas, lang, parks, cached_distances())
    if result is not None:
        per_park = firms_per_park(result.counts, firm_filter(request, atlas)[0])
        table.insert(3, firms_column_label(lang), [per_park.get(pid, 0) for pid in parks["id"]])
    st.dataframe(table, hide_index=True, width="stretch", key="parks-table")
    downloads(atlas, request, t, firms)
    if result is not None:
        firms_section(result, t)
    with st.expander(t["sources"]):
        st.dataframe(sources_table(atlas, parks, lang), hide_index=True, width="stretch")
    st.caption(t["share"])


def park_names(atlas: Atlas, lang: str) -> dict[str, str]:
    return dict(zip(atlas.parks["id"], atlas.parks["name_zh" if lang == "zh" else "name_en"]))


def nearby_view(atlas: Atlas, request: MapRequest, t: dict, firms: tuple[str, EnterpriseResult] | None = None) -> None:
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
                               "nearby-map", ["last_clicked"], firms)
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


def layout_view(atlas: Atlas, request: MapRequest, lang: str, t: dict, firms: EnterpriseResult | None = None) -> None:
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
    if firms is not None:
        st.markdown(f"**{t['firms_matrix']}**")
        st.dataframe(district_sector_firms(firms.counts, atlas, lang), width="stretch", key="layout-firms")
    with st.expander(t["layout_behind"]):
        behind = leading_industries(atlas)
        st.dataframe(behind.assign(district=behind["district"].map(districts), sector=behind["sector"].map(lambda c: atlas.sectors[c].label(lang))),
                     hide_index=True, width="stretch")
    st.markdown(f"**{t['layout_map']}**")
    content = build_layout_map(atlas, by_district, lang)
    assets.use_served_assets(content, ASSET_URL)
    st_folium(content, key="layout-map", height=520, use_container_width=True, returned_objects=[], render=False)

main()
