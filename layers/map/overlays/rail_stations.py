"""Beijing's subway and light-rail stations, with the lines that stop there (off by default: they crowd the map).

Drawn before the parks, so a park's dot stays on top of a station's (Leaflet puts a GeoJSON's point markers in the
overlay pane whatever pane the layer names).
"""

from __future__ import annotations

import folium

from geo.datums import Datum

from ... import format as fmt
from ...model.load import Atlas
from ..overlay import DrawContext, Drawn, collection, geojson, interaction, shift
from ..popups import escape_html, hub_tooltip
from ..spec import Geometry, LayerSpec
from ..styles import rail_station_style

SPEC = LayerSpec("rail_stations", Geometry.POINT, shown=False)


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict:
    """Each station with its names and the lines that stop there, escaped."""
    transit = atlas.transit
    serving = transit.lines_at()
    stations = transit.stations.assign(
        tooltip=[
            f"{hub_tooltip(row, lang)}<br>{escape_html(fmt.line_names(atlas, serving.get(row['id']), lang))}"
            for _, row in transit.stations.iterrows()
        ]
    )
    return geojson(shift(stations, datum), ["id", "tooltip"])


def draw(m: folium.Map, ctx: DrawContext, prepared: dict) -> Drawn:
    element = folium.GeoJson(
        collection(prepared["features"]),
        name=ctx.titles[SPEC.key],
        marker=folium.CircleMarker(radius=3.5),
        style_function=rail_station_style,
        **interaction(),
    )
    element.add_to(m)
    return Drawn(element)
