"""Beijing's sixteen districts: the ground of every map, and an outline of the districts a filter chose."""

from __future__ import annotations

from typing import Any

import folium

from geo.datums import Datum

from ...model.load import Atlas
from ..elements import FetchedOutlines
from ..overlay import GROUND_PANE, DrawContext, Drawn, collection, geojson, interaction, shift
from ..popups import escape_html
from ..spec import Geometry, LayerSpec
from ..styles import chosen_district_style, district_style_for

SPEC = LayerSpec("districts", Geometry.POLYGON)


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> dict:
    """The districts as GeoJSON with escaped names, shifted to the basemap's datum."""
    districts = atlas.districts.assign(name=atlas.districts["name_zh" if lang == "zh" else "name_en"].map(escape_html))
    return geojson(shift(districts, datum), ["adcode", "name"])


def draw(m: folium.Map, ctx: DrawContext, prepared: dict) -> Drawn:
    style = district_style_for(background=ctx.background)
    if ctx.districts_url:
        group = folium.FeatureGroup(name=ctx.titles[SPEC.key])
        FetchedOutlines(ctx.districts_url, style({"properties": {}}), GROUND_PANE).add_to(group)
        group.add_to(m)
        element: Any = group
    else:
        element = folium.GeoJson(
            collection(prepared["features"]),
            name=ctx.titles[SPEC.key],
            style_function=style,
            pane=GROUND_PANE,
            **interaction("name"),
        )
        element.add_to(m)
    chosen = draw_chosen(m, ctx, prepared)
    return Drawn(element, parts={"chosen": chosen} if chosen is not None else {})


def draw_chosen(m: folium.Map, ctx: DrawContext, prepared: dict) -> folium.GeoJson | None:
    """The districts the user filtered to, outlined, so the whole district is seen and not only its parks.

    A live map holds every district's outline here; the page keeps the chosen ones."""
    if ctx.shown.districts is None and not ctx.live:
        return None
    chosen = [f for f in prepared["features"] if ctx.live or f["properties"]["adcode"] in (ctx.shown.districts or ())]
    if not chosen:
        return None
    element = folium.GeoJson(collection(chosen), style_function=chosen_district_style, control=False, pane=GROUND_PANE)
    element.add_to(m)
    return element
