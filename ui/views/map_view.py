"""The map view: counts, the map with the clicked park's full record beside it, the tables, downloads and sources."""

from __future__ import annotations

import streamlit as st

from layers import (
    FORMATS,
    basemap,
    export_bytes,
    export_filename,
    firms_per_park,
    park_details,
    park_firms_by_sector,
    sources_table,
    total_area_km2,
)

from .. import context
from ..context import Page
from ..firms import firms_section, inline_source
from ..maps import show_map
from ..markdown import md
from ..tables import show_table

MAP_KEY = "atlas-map"


def show(page: Page) -> None:
    t, shown = page.t, page.shown
    top = st.container()  # the counts, drawn once the map's message has left (see ui.run)
    left, right = st.columns([5, 2])
    with left:
        content = show_map(page, MAP_KEY, "park", remember_view=True)
    metrics = top.columns(4 if page.firms is not None else 3)
    metrics[0].metric(t["parks"], f"{len(shown.placed_ids):,}")
    metrics[1].metric(t["clusters"], f"{len(shown.clusters):,}")
    metrics[2].metric(t["area"], f"{total_area_km2(shown.parks):,.1f}", help=t["area_help"])
    if page.firms is not None:
        metrics[3].metric(t["firms_shown"], f"{content.firms_shown or 0:,}")
    if shown.parks.empty:
        top.warning(t["no_parks"])
    with right, st.container(height=640, border=False, key="details-panel"):
        details_panel(page, st.session_state.get("park"))
    parks_tab, clusters_tab, sources_tab = st.tabs(
        [t["table"].format(n=len(shown.parks)), t["clusters_table"].format(n=len(shown.clusters)), t["sources"]]
    )
    with parks_tab:
        table = context.all_parks_table(page.lang).loc[list(shown.parks["id"])]
        if page.firms is not None:
            per_park = firms_per_park(page.firms.counts, shown.sectors)
            table.insert(3, t["firms_column"], [per_park.get(pid, 0) for pid in table.index])
        show_table(table, "parks-table")
    with clusters_tab:
        show_table(context.all_clusters_table(page.lang).loc[list(shown.clusters["id"])], "clusters-table")
    with sources_tab:
        show_table(sources_table(page.atlas, shown, page.lang), "sources-table")
    downloads(page)
    firms_section(page)
    st.caption(t["share"])


def details_panel(page: Page, park_id: str | None) -> None:
    """The clicked park's whole record: every figure with its year and source."""
    t = page.t
    st.subheader(t["details"])
    details = park_details(page.atlas, park_id, page.lang, page.distances) if park_id else None
    if details is None:
        st.caption(t["details_hint"])
        return
    with st.container(border=True, key="park-details"):
        st.markdown(f"**{md(details.title)}**")
        st.caption(md(details.subtitle))
        st.markdown(md(details.kind_district))
        st.markdown(f"**{md(t['details_designation'])}**: {md(details.designation)}")
        if details.within:
            st.markdown(f"{md(t['details_within'])}: {md(', '.join(details.within))}")
        if details.parent:
            st.markdown(f"{md(t['details_parent'])}: {md(details.parent)}")
        if details.children:
            st.markdown(f"{md(t['details_children'])}: {md(', '.join(details.children))}")
        st.markdown(f"**{md(t['details_sectors'])}**: {md(details.sectors)}")
        st.caption(md(details.sectors_source))
        st.markdown(f"**{md(t['details_area'])}**: {md(details.area)}")
        st.markdown(f"**{md(t['details_location'])}**: {md(details.location)}")
        if details.distances:
            st.markdown(f"**{md(t['details_distances'])}**: {md(details.distances)}")
        if details.transit:
            st.markdown(f"**{md(t['details_transit'])}**: " + "  \n".join(md(line) for line in details.transit))
            st.caption(md(details.transit_basis))
        if details.clusters:
            st.markdown(f"**{md(t['details_clusters'])}**: {md(', '.join(details.clusters))}")
        if len(details.facts):
            st.markdown(f"**{md(t['details_facts'])}**")
            show_table(details.facts, "park-facts")
        if details.note:
            st.caption(f"{md(t['details_note'])}: {md(details.note)}")
        if page.firms is not None:
            st.caption(t["firms_in_park"])
            by_sector = park_firms_by_sector(page.firms.counts, details.id, page.atlas, page.lang)
            if by_sector.empty:
                st.write(t["firms_none_in_park"])
            else:
                show_table(by_sector, "park-firms")


def downloads(page: Page) -> None:
    """The current view as a file: built only when its button is clicked, by the export command's own code."""
    st.caption(page.t["download"])
    columns = st.columns(len(FORMATS))
    datum = basemap(page.request.basemap).datum
    for column, (fmt, spec) in zip(columns, FORMATS.items(), strict=True):
        column.download_button(
            page.t[f"download_{fmt}"],
            data=lambda fmt=fmt: export_bytes(
                page.atlas, page.shown, page.request, fmt, inline_source(page, datum) if fmt == "html" else None
            ),
            file_name=export_filename(page.atlas, page.shown, fmt),
            mime=spec.mime,
            key=f"download-{fmt}",
            on_click="ignore",
        )
