"""Styles are pure functions of a feature: the same sector has the same colour on the map, legend and table.

A park drawn at a stand-in point (a district's centre, or a building that is not the park) is a hollow dot with a
dashed rim, so a weak point is visible as such and never hidden.
"""

from __future__ import annotations

#: Grey for "no sector": 40 apart (CIE76) from the sports sector's light grey, 36 from S&T services' black, and at
#: least 34 from every hued sector colour.
NO_SECTOR_COLOUR = "#555555"
DISTRICT_LINE = "#555555"
GROUND = "#F2F0EB"


def park_style(feature: dict) -> dict:
    properties = feature["properties"]
    colour = properties["colour"]
    # The class lets people (and browser tests) find park markers among the map's other shapes.
    if properties.get("standin"):
        return {
            "color": colour,
            "weight": 2.5,
            "dashArray": "3 2",
            "fillColor": "#FFFFFF",
            "fillOpacity": 0.85,
            "className": "atlas-park atlas-standin",
        }
    return {"color": "#222222", "weight": 1.2, "fillColor": colour, "fillOpacity": 0.95, "className": "atlas-park"}


def extent_style(feature: dict) -> dict:
    colour = feature["properties"]["colour"]
    return {
        "color": colour,
        "weight": 1.5,
        "dashArray": "5 4",
        "fillColor": colour,
        "fillOpacity": 0.12,
        "className": "atlas-extent",
    }


def cluster_style(feature: dict) -> dict:
    """A dashed ring; its inside is filled invisibly so hovering anywhere in the ring names the cluster."""
    properties = feature["properties"]
    return {
        "color": properties["colour"],
        "weight": 2.5,
        "dashArray": "2 4",
        "fill": True,
        "fillOpacity": 0.0,
        "opacity": 0.9,
        "radius": properties.get("radius", 15),
        "className": "atlas-cluster",
    }


def district_style_for(background: bool):
    """District outlines; with no tiles the districts are filled so the map still has a ground."""

    def style(feature: dict) -> dict:
        return {"color": DISTRICT_LINE, "weight": 1, "fillColor": GROUND, "fillOpacity": 1.0 if background else 0.0}

    return style


def chosen_district_style(feature: dict) -> dict:
    """A district the user filtered to: outlined so the whole district is seen, not only its parks."""
    return {"color": "#1F4E79", "weight": 2.5, "fill": False, "dashArray": "8 4", "className": "atlas-chosen-district"}


def rail_line_style(feature: dict) -> dict:
    """A rail line in its own colour (OSM's), thin and half-transparent: context under the parks, not a subject."""
    return {"color": feature["properties"]["colour"], "weight": 2.5, "opacity": 0.75, "className": "atlas-rail-line"}


def rail_station_style(feature: dict) -> dict:
    """A station: a small white dot with a dark rim, as on Beijing's own subway maps."""
    return {
        "color": "#333333",
        "weight": 1,
        "fill": True,
        "fillColor": "#FFFFFF",
        "fillOpacity": 1.0,
        "className": "atlas-station",
    }
