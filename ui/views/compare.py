"""Compare: two to four parks side by side, facts lined up by metric, downloadable as CSV."""

from __future__ import annotations

import streamlit as st

from layers import compare_parks, comparison_csv, format, other

from ..state import PERSIST
from ..context import Page

#: Typing a name keeps only options that contain it, so Enter never picks a park the person did not mean.
FILTER_MODE = "contains"


def show(page: Page) -> None:
    t, lang, atlas = page.t, page.lang, page.atlas
    st.subheader(t["view_compare"])
    names = format.park_names(atlas, lang)
    others = format.park_names(atlas, other(lang))
    chosen = st.multiselect(t["compare_pick"], list(names), key="compare", persist_state=PERSIST, max_selections=4, placeholder=t["choose"],
                            format_func=lambda p: f"{names[p]} · {others[p]}",
                            filter_mode=FILTER_MODE)
    if len(chosen) < 2:
        st.caption(t["compare_hint"])
        return
    table = compare_parks(atlas, chosen, lang, page.distances)
    # A static table: every figure's year, scope and source stay readable in full, wrapped rather than cut.
    st.table(table)
    st.download_button(t["compare_download"], data=comparison_csv(table),
                       file_name=f"park-comparison_{'_'.join(chosen)}.csv", mime="text/csv", key="compare-download",
                       on_click="ignore")
