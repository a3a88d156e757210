"""Tables as people read them: no index column of ids, an empty cell shown as a dash, never as 'None'."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers import EMPTY


def show_table(frame: pd.DataFrame, key: str | None = None, index: bool = False) -> None:
    """A dataframe, full width; ids (the index) hidden unless ``index`` (a matrix's row names)."""
    st.dataframe(frame, hide_index=not index, width="stretch", key=key, placeholder=EMPTY)
