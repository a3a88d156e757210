"""What every view is given, and the caches behind it (keyed by plain strings only, never by frames).

``st.cache_data`` hands each session its own copy (no session can change another's frames); ``st.cache_resource``
holds values nothing modifies (prepared map features, published asset paths).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import streamlit as st

from layers import (
    VENDOR_NAME,
    Atlas,
    EnterpriseResult,
    MapBasis,
    MapRequest,
    Shown,
    clusters_table,
    hub_access,
    load_atlas,
    parks_table,
    prepare_basis,
    publish,
    publish_json,
)

STATIC_DIR = Path(__file__).resolve().parent.parent / "static"
ASSET_URL = f"/app/static/vendor/{VENDOR_NAME}"


@dataclass(frozen=True)
class Page:
    """One run's shared context: the data, what the sidebar selects, the request the map is drawn for, the labels."""

    atlas: Atlas
    shown: Shown
    request: MapRequest
    t: dict[str, str]
    distances: pd.DataFrame
    #: the uploaded company list, placed and joined (None without one)
    firms: EnterpriseResult | None = None
    firms_key: str | None = None

    @property
    def lang(self) -> str:
        return self.request.lang


@st.cache_data(show_spinner=False)
def atlas() -> Atlas:
    return load_atlas()


@st.cache_data(show_spinner=False)
def distances() -> pd.DataFrame:
    # Distances and rail estimates depend on the data alone: computed once, not on every filter change.
    return hub_access(atlas())


@st.cache_data(show_spinner=False, max_entries=2)
def all_parks_table(lang: str) -> pd.DataFrame:
    # Every park's row, once per language: a filter change only picks rows (building them took most of a rerun).
    return parks_table(atlas(), lang, atlas().parks, distances())


@st.cache_data(show_spinner=False, max_entries=2)
def all_clusters_table(lang: str) -> pd.DataFrame:
    # Every cluster's row, once per language (as the parks table above).
    return clusters_table(atlas(), lang, atlas().clusters)


@st.cache_resource(show_spinner=False)
def published_assets() -> str:
    return str(publish(STATIC_DIR))


@st.cache_resource(show_spinner=False)
def map_basis(lang: str, datum: str) -> MapBasis:
    # Keyed by plain strings; the basis holds only dicts and pre-escaped strings that nothing modifies.
    return prepare_basis(atlas(), lang, datum)


@st.cache_resource(show_spinner=False)
def districts_url(lang: str, datum: str) -> str:
    # Served once per language and datum, so the page sent on each filter change need not embed them.
    return publish_json(STATIC_DIR, f"districts-{lang}-{datum}.geojson", map_basis(lang, datum).districts)
