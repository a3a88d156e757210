"""Compare: two to four parks side by side, facts lined up by metric, downloadable as CSV."""

from __future__ import annotations

import streamlit as st

from layers import compare_parks, comparison_csv, format, other

from ..context import Page
from ..state import keep, widget_key
from ..tables import show_static_table
from ..widgets import multiselect


def show(page: Page) -> None:
    t, lang, atlas = page.t, page.lang, page.atlas
    st.subheader(t["view_compare"])
    names = format.park_names(atlas, lang)
    others = format.park_names(atlas, other(lang))
    chosen = keep(
        "compare",
        multiselect(
            st,
            t["compare_pick"],
            list(names),
            widget_key("compare", lang, []),
            lambda p: f"{names[p]} · {others[p]}",
            t["choose"],
            max_selections=4,
        ),
    )
    if len(chosen) < 2:
        st.caption(t["compare_hint"])
        return
    table = compare_parks(atlas, chosen, lang, page.distances)
    # A static table: every figure's year, scope and source stay readable in full, wrapped rather than cut.
    show_static_table(table)
    st.download_button(
        t["compare_download"],
        data=comparison_csv(table),
        file_name=f"park-comparison_{'_'.join(chosen)}.csv",
        mime="text/csv",
        key="compare-download",
        on_click="ignore",
    )
