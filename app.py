"""Beijing Industrial Parks Atlas: ``streamlit run app.py``. The frame only: page settings, then the app's one run."""

import streamlit as st

st.set_page_config(page_title="Beijing Industrial Parks Atlas · 北京产业园区地图", layout="wide")

from ui import run  # noqa: E402  (Streamlit wants the page configured before anything else is drawn)

run()
