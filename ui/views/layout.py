"""Layout check: the blue paper's zoning principle against the data, with a verdict, the cases and a map."""

from __future__ import annotations

import streamlit as st

from layers import (
    ZONING_TAXONOMIES,
    LiveBase,
    base_of,
    behind_table,
    build_layout_map,
    district_sector_firms,
    district_sector_matrix,
    districts_table,
    leading_industries,
    matrix_table,
    sectors_table,
    verdict,
    vocabulary,
    zoning_check,
)

from .. import context
from ..context import Page
from ..maps import show_static_map
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
    show_static_map(_layout_base(lang, taxonomy), "layout-map", height=520)


@st.cache_resource(show_spinner=False, max_entries=8)
def _layout_base(lang: str, taxonomy: str) -> LiveBase:
    # Drawn once per language and taxonomy: the page keeps it while the person reads the tables.
    atlas = context.atlas()
    by_district, _ = zoning_check(atlas, taxonomy)
    return base_of(build_layout_map(atlas, by_district, lang), context.ASSET_URL)
