"""Schematic extents: a circle of each park's recorded area around its point, never passed off as a boundary."""

from __future__ import annotations

import folium

from geo.datums import Datum

from ...extents import park_extents
from ...model.load import Atlas
from ..overlay import DrawContext, Drawn, collection, features_by_id, geojson, interaction, shift, with_properties
from ..popups import extent_tooltip
from ..spec import Geometry, LayerSpec
from ..styles import extent_style

SPEC = LayerSpec("extents", Geometry.POLYGON)


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict[str, dict]:
    extents = park_extents(atlas)
    by_id = atlas.parks.set_index("id")
    extents = extents.assign(tooltip=[extent_tooltip(by_id.loc[pid], lang) for pid in extents["id"]])
    return features_by_id(geojson(shift(extents, datum), ["id", "tooltip"]))


def draw(m: folium.Map, ctx: DrawContext, prepared: dict[str, dict]) -> Drawn:
    features = [
        with_properties(prepared[pid], colour=ctx.colour_of[pid]) for pid in ctx.shown.placed_ids if pid in prepared
    ]
    if not features:
        return Drawn()
    element = folium.GeoJson(
        collection(features), name=ctx.titles[SPEC.key], style_function=extent_style, **interaction()
    )
    element.add_to(m)
    return Drawn(element, extents=True, parts={"extents": element})
