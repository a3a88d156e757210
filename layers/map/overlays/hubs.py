"""Airports, main rail stations and landmarks, as inline-SVG icons (no icon font from a CDN)."""

from __future__ import annotations

import folium

from geo.datums import Datum

from ...model.load import Atlas
from ..overlay import DrawContext, Drawn, collection, geojson, interaction, shift
from ..popups import hub_tooltip
from ..spec import Geometry, LayerSpec

SPEC = LayerSpec("hubs", Geometry.POINT)
ICONS = {
    "airport": '<svg width="22" height="22" viewBox="0 0 24 24">'
    '<circle cx="12" cy="12" r="11" fill="#1B1B1B"/>'
    '<path d="M12 4l1.6 6 5.4 3v1.6l-5.4-1.4-.5 4 1.8 1.3V20L12 19l-2.9 1v-1.5l1.8-1.3-.5-4-5.4 1.4V13l5.4-3z"'
    ' fill="#fff"/></svg>',
    "rail station": '<svg width="20" height="20" viewBox="0 0 24 24">'
    '<rect x="2" y="2" width="20" height="20" rx="4" fill="#1B1B1B"/>'
    '<rect x="7" y="5" width="10" height="10" rx="2" fill="#fff"/><circle cx="9.5" cy="17.5" r="1.5" fill="#fff"/>'
    '<circle cx="14.5" cy="17.5" r="1.5" fill="#fff"/></svg>',
    "landmark": '<svg width="20" height="20" viewBox="0 0 24 24">'
    '<path d="M12 2l2.9 6.6 7.1.6-5.4 4.7 1.6 7-6.2-3.7-6.2 3.7 1.6-7L2 9.2l7.1-.6z"'
    ' fill="#1B1B1B" stroke="#fff" stroke-width="1"/></svg>',
}


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict[str, dict]:
    hubs = atlas.hubs.assign(tooltip=[hub_tooltip(r, lang) for _, r in atlas.hubs.iterrows()])
    return {kind: geojson(shift(hubs[hubs["kind"] == kind], datum), ["id", "tooltip"]) for kind in ICONS}


def draw(m: folium.Map, ctx: DrawContext, prepared: dict[str, dict]) -> Drawn:
    group = folium.FeatureGroup(name=ctx.titles[SPEC.key])
    for kind, icon in ICONS.items():
        if prepared[kind]["features"]:
            marker = folium.Marker(
                icon=folium.DivIcon(html=icon, icon_size=(22, 22), icon_anchor=(11, 11), class_name="atlas-hub")
            )
            folium.GeoJson(collection(prepared[kind]["features"]), marker=marker, **interaction()).add_to(group)
    group.add_to(m)
    return Drawn(group)
