"""Layout check: the blue paper's zoning principle against the data, with a verdict, the cases and a map."""

from __future__ import annotations

import streamlit as st
from streamlit_folium import st_folium

from layers import (
    ZONING_TAXONOMIES,
    behind_table,
    build_layout_map,
    district_sector_firms,
    district_sector_matrix,
    districts_table,
    leading_industries,
    matrix_table,
    sectors_table,
    use_served_assets,
    verdict,
    vocabulary,
    zoning_check,
)

from ..context import ASSET_URL, Page
from ..state import keep, widget_key
from ..tables import show_table


def show(page: Page) -> None:
    t, lang, atlas = page.t, page.lang, page.atlas
    st.subheader(t["view_layout"])
    st.caption(t["layout_principle"])
    taxonomies = vocabulary("taxonomies", lang)
    taxonomy = keep(
        "layout_taxonomy",
        st.radio(
            t["layout_taxonomy"],
            ZONING_TAXONOMIES,
            key=widget_key("layout_taxonomy", lang),
            format_func=taxonomies.get,
            horizontal=True,
        ),
    )
    st.caption(t["layout_scope"])
    by_district, by_sector = zoning_check(atlas, taxonomy)
    st.info(verdict(by_district, by_sector, atlas, lang))
    left, right = st.columns(2)
    with left:
        st.markdown(f"**{t['layout_by_district']}**")
        show_table(districts_table(by_district, atlas, lang), "layout-districts")
    with right:
        st.markdown(f"**{t['layout_by_sector']}**")
        show_table(sectors_table(by_sector, atlas, lang), "layout-sectors")
    st.markdown(f"**{t['layout_matrix']}**")
    show_table(matrix_table(district_sector_matrix(atlas, taxonomy), atlas, lang), "layout-matrix", index=True)
    if page.firms is not None:
        st.markdown(f"**{t['firms_matrix']}**")
        show_table(district_sector_firms(page.firms.counts, atlas, lang), "layout-firms", index=True)
    with st.expander(t["layout_behind"]):
        show_table(behind_table(leading_industries(atlas, taxonomy), atlas, lang), "layout-behind")
    st.markdown(f"**{t['layout_map']}**")
    layout_map = build_layout_map(atlas, by_district, lang)
    use_served_assets(layout_map, ASSET_URL)
    st_folium(layout_map, key="layout-map", height=520, use_container_width=True, returned_objects=[], render=False)
