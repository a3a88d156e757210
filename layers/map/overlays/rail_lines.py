"""Beijing's subway and light-rail lines, each in its own colour, from OpenStreetMap.

Drawn through their stations in order (the source's track shapes are not kept), in a pane under the parks, so an
exported map shows where the parks sit in the city even with no tiles.
"""

from __future__ import annotations

import folium
import geopandas as gpd
from shapely.geometry import LineString

from geo.datums import Datum

from ... import format as fmt
from ...model.load import Atlas
from ..overlay import RAIL_PANE, DrawContext, Drawn, collection, geojson, interaction, shift
from ..popups import escape_html
from ..spec import Geometry, LayerSpec
from ..styles import rail_line_style

SPEC = LayerSpec("rail_lines", Geometry.LINE)


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict:
    """One polyline per line and direction-free pattern (a pattern and its reverse are drawn once)."""
    transit = atlas.transit
    where = {row.id: (row.geometry.x, row.geometry.y) for row in transit.stations.itertuples()}
    lines = transit.lines.set_index("id")
    rows, drawn = [], set()
    for line, _, stations in transit.patterns():
        if (line, stations) in drawn or (line, stations[::-1]) in drawn:
            continue
        drawn.add((line, stations))
        meta = lines.loc[line]
        rows.append(
            {
                "line": line,
                "colour": meta["colour"],
                "tooltip": escape_html(f"{fmt.name(meta, lang)} · {fmt.other_name(meta, lang)}"),
                "geometry": LineString([where[s] for s in stations]),
            }
        )
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    return geojson(shift(frame, datum), ["line", "colour", "tooltip"])


def draw(m: folium.Map, ctx: DrawContext, prepared: dict) -> Drawn:
    element = folium.GeoJson(
        collection(prepared["features"]),
        name=ctx.titles[SPEC.key],
        style_function=rail_line_style,
        pane=RAIL_PANE,
        **interaction(),
    )
    element.add_to(m)
    return Drawn(element)
