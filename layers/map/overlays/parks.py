"""The parks: one dot per placed park in its colouring sector's colour; a stand-in point is drawn hollow."""

from __future__ import annotations

import math

import folium
import geopandas as gpd
from shapely.geometry import Point

from geo.datums import Datum

from ...model.load import PLACEMENT_CITY, PLACEMENT_DISTRICT, PLACEMENT_FALLBACK, Atlas
from ..overlay import DrawContext, Drawn, collection, features_by_id, geojson, interaction, shift, with_properties
from ..popups import park_card, park_full_card, park_tooltip
from ..spec import Geometry, LayerSpec
from ..styles import park_style

SPEC = LayerSpec("parks", Geometry.POINT)
STANDIN_PLACEMENTS = (PLACEMENT_FALLBACK, PLACEMENT_DISTRICT, PLACEMENT_CITY)
#: Stand-ins that share one spot (five zones at Haidian's point) are drawn on a ring this far out, so each can be seen
#: and clicked; far inside their precision (12 km and more there), and the data keeps the shared point.
FAN_OUT_M = 900.0


def fan_out(parks: gpd.GeoDataFrame) -> gpd.GeoDataFrame:
    """Parks drawn on one spot, spread on a small ring around it (a sourced point stays where it is)."""
    spots: dict[tuple[float, float], list] = {}
    for index, geometry in zip(parks.index, parks.geometry, strict=False):
        spots.setdefault((round(geometry.x, 6), round(geometry.y, 6)), []).append(index)
    moved = parks.geometry.copy()
    for (lon, lat), members in spots.items():
        spread = [i for i in members if parks.at[i, "placement"] in STANDIN_PLACEMENTS] if len(members) > 1 else []
        if not spread:  # alone on its spot, or only sourced points there
            continue
        for k, index in enumerate(spread):
            angle = 2 * math.pi * k / len(spread)
            dlat = FAN_OUT_M * math.cos(angle) / 111_320
            dlon = FAN_OUT_M * math.sin(angle) / (111_320 * math.cos(math.radians(lat)))
            moved[index] = Point(lon + dlon, lat + dlat)
    return parks.set_geometry(moved)


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict[str, dict]:
    """Each placed park's feature: id, tooltip, card (small in the app, the full record in exports), sectors."""
    placed = atlas.parks[atlas.parks.geometry.notna()]
    card = park_full_card if full_cards else park_card
    parks = placed.assign(
        tooltip=[park_tooltip(row, lang) for _, row in placed.iterrows()],
        popup=[card(row, atlas, lang) for _, row in placed.iterrows()],
        standin=placed["placement"].isin(STANDIN_PLACEMENTS).to_numpy(),
        sectors=[list(s or ()) for s in placed["sectors"]],
    )
    return features_by_id(geojson(shift(fan_out(parks), datum), ["id", "tooltip", "popup", "standin", "sectors"]))


def draw(m: folium.Map, ctx: DrawContext, prepared: dict[str, dict]) -> Drawn:
    ids = ctx.shown.placed_ids
    if not ids:
        return Drawn()
    features = [
        with_properties(prepared[pid], sector=ctx.shown.colour_sector[pid], colour=ctx.colour_of[pid]) for pid in ids
    ]
    element = folium.GeoJson(
        collection(features),
        name=ctx.titles[SPEC.key],
        marker=folium.CircleMarker(radius=8, fill=True),
        style_function=park_style,
        **interaction(popup="popup"),
    )
    element.add_to(m)
    if ctx.filterable:
        # An exported file's legend offers every sector a shown park lists, so secondary sectors can be isolated.
        listed = {code for pid in ids for code in prepared[pid]["properties"]["sectors"]}
        if ctx.shown.sectors is not None:  # a file filtered to some sectors offers those sectors' boxes only
            listed &= ctx.shown.sectors
        sectors = tuple(code for code in ctx.atlas.sectors.codes if code in listed)
    else:
        sectors = tuple(dict.fromkeys(s for s in (ctx.shown.colour_sector[pid] for pid in ids) if s))
    standins = any(prepared[pid]["properties"]["standin"] for pid in ids)
    unsectored = any(not prepared[pid]["properties"]["sectors"] for pid in ids)
    return Drawn(element, sectors=sectors, standins=standins, unsectored=unsectored, parts={"parks": element})
