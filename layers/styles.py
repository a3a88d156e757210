"""Styles are pure functions of a feature: the same sector has the same colour on the map, legend and table."""

from __future__ import annotations

NO_SECTOR_COLOUR = "#777777"
DISTRICT_LINE = "#555555"


def park_style(feature: dict) -> dict:
    colour = feature["properties"]["colour"]
    # The class lets people (and browser tests) find park markers among the map's other shapes.
    return {"color": "#222222", "weight": 1.2, "fillColor": colour, "fillOpacity": 0.95, "className": "atlas-park"}


def extent_style(feature: dict) -> dict:
    colour = feature["properties"]["colour"]
    return {"color": colour, "weight": 1.5, "dashArray": "5 4", "fillColor": colour, "fillOpacity": 0.12}


def cluster_style(feature: dict) -> dict:
    colour = feature["properties"]["colour"]
    return {"color": colour, "weight": 2.5, "dashArray": "2 4", "fill": False, "opacity": 0.9}


def district_style_for(background: bool):
    """District outlines; with no tiles the districts are filled so the map still has a ground."""

    def style(feature: dict) -> dict:
        return {"color": DISTRICT_LINE, "weight": 1, "fillColor": "#F2F0EB", "fillOpacity": 1.0 if background else 0.0}

    return style
