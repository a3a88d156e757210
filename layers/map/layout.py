"""The layout check's map: districts shaded by how many industries they lead, those over the limit outlined red."""

from __future__ import annotations

import folium
import pandas as pd

from ..analysis import MAX_LEADING_PER_DISTRICT
from ..format import district_names, sector_labels
from ..labels import text
from ..model.load import Atlas
from .build import BEIJING_CENTRE, MAX_ZOOM
from .elements import HtmlControl, PageStyle
from .legend import PAGE_CSS
from .overlay import geojson
from .popups import escape_html as e

#: Paul Tol's sequential "YlOrBr" steps: 0, 1, 2, 3 and 4+ leading sectors; colour-blind safe and printable in grey.
LAYOUT_STEPS = ("#FFFFE5", "#FEE391", "#FB9A29", "#CC4C02", "#662506")


def layout_style(feature: dict) -> dict:
    count = feature["properties"]["count"]
    too_many = count > MAX_LEADING_PER_DISTRICT
    return {
        "fillColor": LAYOUT_STEPS[min(count, len(LAYOUT_STEPS) - 1)],
        "fillOpacity": 0.85,
        "color": "#D62728" if too_many else "#555555",
        "weight": 3 if too_many else 1,
    }


def build_layout_map(atlas: Atlas, by_district: pd.DataFrame, lang: str = "en") -> folium.Map:
    """Districts shaded by their count of leading industries (``zoning_check``'s first table)."""
    t = text(lang)
    counts = dict(zip(by_district["district"], by_district["count"], strict=True))
    sectors = dict(zip(by_district["district"], by_district["sectors"], strict=True))
    names = district_names(atlas, lang)
    frame = atlas.districts.assign(
        count=[counts.get(a, 0) for a in atlas.districts["adcode"]],
        tooltip=[
            f"<b>{e(names[a])}</b>: {counts.get(a, 0)}"
            + (f" ({e(t['layout_over'])})" if counts.get(a, 0) > MAX_LEADING_PER_DISTRICT else "")
            + "<br>"
            + e(sector_labels(atlas, sectors.get(a, []), lang))
            for a in atlas.districts["adcode"]
        ],
    )
    m = folium.Map(location=BEIJING_CENTRE, zoom_start=8, tiles=None, max_zoom=MAX_ZOOM)
    PageStyle(PAGE_CSS).add_to(m)
    folium.GeoJson(
        geojson(frame, ["adcode", "count", "tooltip"]),
        style_function=layout_style,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)
    steps = "".join(
        f'<div><i style="background:{c};border-radius:0"></i>{label}</div>'
        for c, label in zip(LAYOUT_STEPS, ("0", "1", "2", "3", "4+"), strict=True)
    )
    HtmlControl(
        f"<b>{e(t['layout_map'])}</b>{steps}<small>{e(t['layout_outline'])}</small>", "bottomright", "atlas-legend"
    ).add_to(m)
    west, south, east, north = atlas.districts.total_bounds
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(20, 20), padding_bottom_right=(170, 20))
    return m
