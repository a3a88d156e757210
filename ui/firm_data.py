"""A user's company list reaches their map through their own session, never through a file anyone can fetch.

A small component with no face (Streamlit's components v2, in the app's page) receives the list's drawing data over
the session's connection and keeps it in the page under a random key; the map, in its frame of the same origin,
reads it from there. The page says when it has the list; from then on a run sends only its key (serialising a list
of 100,000 firms on every filter change took the server longer than the rest of the run). The server keeps the list
only in the session's cache, which ends with the session.
"""

from __future__ import annotations

import streamlit as st

_JS = """
export default function (component) {
    const data = component.data;
    if (!data || !data.key) { return; }
    const store = (window.atlasFirmData = window.atlasFirmData || {});
    if (!store[data.key] && data.payload) {
        for (const old of Object.keys(store)) { delete store[old]; }  // one list at a time: a new upload replaces it
        store[data.key] = data.payload;
    }
    if (store[data.key] && data.payload) { component.setStateValue("have", data.key); }  // no need to send it again
}
"""
_CARRIER = st.components.v2.component("atlas_firm_data", js=_JS)


def _ignore() -> None:
    """The page's receipt is read from the session state when the next run sends the list."""


def send(key: str, payload: dict) -> None:
    """Put the list's drawing data into this session's page, under ``key`` (the map's layer asks for that key).

    Sent until the page says it has it; then only the key."""
    received = (st.session_state.get("atlas-firm-data") or {}).get("have") == key
    _CARRIER(
        key="atlas-firm-data",
        data={"key": key, "payload": None if received else payload},
        on_have_change=_ignore,
    )
