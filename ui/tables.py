"""Tables as people read them: no index column of ids, an empty cell shown as a dash, never as 'None'."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers import EMPTY

from .markdown import md


def show_table(frame: pd.DataFrame, key: str | None = None, index: bool = False) -> None:
    """A dataframe, full width; ids (the index) hidden unless ``index`` (a matrix's row names)."""
    st.dataframe(frame, hide_index=not index, width="stretch", key=key, placeholder=EMPTY)


def show_static_table(frame: pd.DataFrame) -> None:
    """A table that wraps long text rather than cutting it. Streamlit reads its cells as Markdown, so every cell (and
    header) is escaped: '>60 enterprises' would otherwise become a quotation. A new line in a cell stays one."""

    def cell(value: object) -> str:
        return "  \n".join(md(line) for line in str(value).split("\n")) if value not in (None, "") else EMPTY

    shown = frame.map(cell)
    shown.index = [md(i) for i in frame.index]
    shown.columns = [md(c) for c in frame.columns]
    st.table(shown)
