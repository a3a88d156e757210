"""Build the folium map from what a selection shows: one path for the app and for exported files.

``prepare_basis`` makes every layer's features once per language and datum (the app caches the result by those
two strings); ``build_map`` is then a short loop over the layer registry, the legend, the title, the fit, and
folium's layer control last (it collects the layers added before it).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any

import folium

from geo.datums import Datum, convert, parse_datum

from ..labels import text
from ..model.load import Atlas
from ..selection import Shown
from .elements import DataAttribution, HtmlControl, LiveHooks, PageStyle, SectorFilter
from .legend import LEGEND_WIDTH, PAGE_CSS, LegendContent, legend_html
from .overlay import GROUND_PANE, RAIL_PANE, DrawContext, Drawn, MapRequest
from .overlays import LAYERS, SPECS
from .popups import escape_html
from .spec import basemap
from .styles import NO_SECTOR_COLOUR

BEIJING_CENTRE = (39.95, 116.40)
#: Fitting leaves the controls (top left) and the legend (bottom right) clear: (top-left, bottom-right) in px.
FIT_PADDING = ((40, 40), (LEGEND_WIDTH + 20, 40))
MAX_ZOOM = 18


@dataclass(frozen=True)
class MapBasis:
    """Every layer's prepared features for one language and datum: plain dicts and pre-escaped strings."""

    lang: str
    datum: Datum
    full_cards: bool
    prepared: dict[str, Any]

    @property
    def districts(self) -> dict:
        return self.prepared["districts"]


@dataclass(frozen=True)
class MapContent:
    """The map and what it shows, so a caller can check counts without parsing HTML."""

    map: folium.Map
    park_ids: tuple[str, ...]
    cluster_ids: tuple[str, ...]
    legend_sectors: tuple[str, ...]
    #: the bounds the map fits to, ((south, west), (north, east)) in the basemap's datum
    bounds: tuple[tuple[float, float], tuple[float, float]]
    #: firms of a company list the filters leave on the map; None without a list
    firms_shown: int | None = None
    #: the legend's HTML (pre-escaped) and park id -> its dot's colour: what the app's page applies to a map it
    #: keeps (``live``)
    legend_html: str = ""
    colours: dict[str, str] = field(default_factory=dict)


def prepare_basis(
    atlas: Atlas, lang: str = "en", datum: Datum | str = Datum.WGS84, full_cards: bool = False
) -> MapBasis:
    """Each layer's features, shifted to ``datum``; ``full_cards`` puts the whole record in each park's card
    (exports)."""
    datum = parse_datum(datum)
    return MapBasis(lang, datum, full_cards, {m.SPEC.key: m.prepare(atlas, lang, datum, full_cards) for m in LAYERS})


def build_map(
    atlas: Atlas,
    shown: Shown,
    request: MapRequest = MapRequest(),
    basis: MapBasis | None = None,
    districts_url: str | None = None,
    title: str | None = None,
    firms: Any = None,
    live: bool = False,
) -> MapContent:
    """The map of what ``shown`` holds, drawn as ``request`` asks (basemap, language, layers, search circle).

    ``districts_url`` loads the district outlines from a served copy rather than embedding them. With a ``title``
    (a file that travels on its own) the page states what it shows and its legend filters by sector in the page.
    ``firms`` (a ``FirmSource``) adds a company list, filtered like the parks. A ``live`` map is the app's kept
    map: every layer names its parts for the page (``LiveHooks``), which shows, colours and fits them as each
    selection's ``MapContent`` says, so a filter change never redraws it.
    """
    chosen = basemap(request.basemap)
    lang = request.lang
    filterable = title is not None
    if basis is None or basis.lang != lang or basis.datum is not chosen.datum or basis.full_cards != filterable:
        basis = prepare_basis(atlas, lang, chosen.datum, full_cards=filterable)
    zoom, *centre = request.view if request.view else (9, *BEIJING_CENTRE)
    m = folium.Map(location=tuple(centre), zoom_start=zoom, tiles=None, max_zoom=MAX_ZOOM, control_scale=True)
    provider = chosen.tile_provider()
    if provider is not None:
        folium.TileLayer(
            tiles=provider, name=chosen.label(lang), max_zoom=MAX_ZOOM, overlay=False, control=False
        ).add_to(m)
    folium.map.CustomPane(GROUND_PANE, z_index=350, pointer_events=True).add_to(m)
    folium.map.CustomPane(RAIL_PANE, z_index=370, pointer_events=True).add_to(m)
    PageStyle(PAGE_CSS).add_to(m)
    colour_of = {pid: atlas.sectors.colour(s) if s else NO_SECTOR_COLOUR for pid, s in shown.colour_sector.items()}
    ctx = DrawContext(
        atlas,
        shown,
        lang,
        chosen.datum,
        {s.key: s.title(lang) for s in SPECS},
        colour_of,
        background=provider is None,
        filterable=filterable,
        districts_url=districts_url,
        firms=firms,
        switched_on=frozenset(request.layers),
        live=live,
    )
    drawn: dict[str, Drawn] = {}
    for module in LAYERS:
        key = module.SPEC.key
        if key in ctx.switched_on or module.SPEC.needs_firms:
            drawn[key] = module.draw(m, ctx, basis.prepared[key])
    if request.circle is not None:
        _add_search_circle(m, request.circle, chosen.datum)
    legend = _legend(drawn, shown, filterable)
    legend_text = legend_html(legend, atlas, lang, filterable)
    HtmlControl("" if live else legend_text, "bottomright", "atlas-legend").add_to(m)
    if filterable:
        parts = {key: drawn[key].element if key in drawn else None for key in ("parks", "extents", "clusters")}
        SectorFilter(
            parts["parks"],
            parts["extents"],
            parts["clusters"],
            {code: atlas.sectors.colour(code) for code in legend.sectors},
        ).add_to(m)
        HtmlControl(title, "topright", "atlas-title").add_to(m)
    DataAttribution(escape_html(text(lang)["attribution"])).add_to(m)
    bounds = _in_datum(_bounds(atlas, shown, request.circle), chosen.datum)
    if live:
        LiveHooks({name: part for d in drawn.values() for name, part in d.parts.items()}).add_to(m)
    elif request.view is None:
        # Padding keeps markers clear of the controls, and of the legend in the bottom-right corner.
        m.fit_bounds(
            [list(corner) for corner in bounds], padding_top_left=FIT_PADDING[0], padding_bottom_right=FIT_PADDING[1]
        )
    folium.LayerControl(collapsed=True).add_to(m)  # last: it collects the layers added before it
    firms_drawn = drawn.get("enterprises")
    return MapContent(
        m,
        shown.placed_ids,
        tuple(shown.clusters["id"]),
        legend.sectors,
        bounds,
        firms_drawn.firms_shown if firms_drawn else None,
        legend_text,
        dict(colour_of),
    )


def _legend(drawn: dict[str, Drawn], shown: Shown, filterable: bool) -> LegendContent:
    parts = list(drawn.values())
    firms = drawn.get("enterprises")
    return LegendContent(
        sectors=tuple(dict.fromkeys(code for part in parts for code in part.sectors)),
        unmapped_firms=any(part.unmapped_firms for part in parts),
        unsectored=any(part.unsectored for part in parts),
        extents=any(part.extents for part in parts),
        rings=any(part.rings for part in parts),
        standins=any(part.standins for part in parts),
        park_count=len(shown.placed_ids) if filterable else None,
        firm_line=firms.firm_line if firms else None,
    )


def _add_search_circle(m: folium.Map, circle: tuple[float, float, float], datum: Datum) -> None:
    lon, lat, radius_km = circle
    if datum is not Datum.WGS84:
        lon, lat = convert(lon, lat, Datum.WGS84, datum)
    folium.Circle(
        location=(lat, lon),
        radius=radius_km * 1000,
        color="#111111",
        weight=2,
        dash_array="6 6",
        fill=True,
        fill_opacity=0.05,
        class_name="atlas-search-radius",
    ).add_to(m)
    folium.CircleMarker(location=(lat, lon), radius=4, color="#111111", fill=True, fill_opacity=1).add_to(m)


def _in_datum(
    bounds: tuple[tuple[float, float], tuple[float, float]], datum: Datum
) -> tuple[tuple[float, float], tuple[float, float]]:
    """WGS-84 bounds on a basemap of ``datum`` (a GCJ-02 map's streets are a few hundred metres off)."""
    (south, west), (north, east) = bounds
    lons, lats = convert([west, east], [south, north], Datum.WGS84, datum)
    return (float(lats[0]), float(lons[0])), (float(lats[1]), float(lons[1]))


def _bounds(
    atlas: Atlas, shown: Shown, circle: tuple[float, float, float] | None
) -> tuple[tuple[float, float], tuple[float, float]]:
    """The search circle; else the chosen districts and the parks shown; else all of Beijing."""
    if circle is not None:
        lon, lat, radius_km = circle
        dlat = radius_km / 111.0
        dlon = dlat / max(0.2, math.cos(math.radians(lat)))
        west, south, east, north = lon - dlon, lat - dlat, lon + dlon, lat + dlat
    else:
        frames = [shown.placed] if len(shown.placed) else []
        if shown.districts is not None:
            frames.append(atlas.districts[atlas.districts["adcode"].isin(shown.districts)])
        frames = [f for f in frames if len(f)] or [atlas.districts]
        bounds = [f.total_bounds for f in frames]
        west, south = min(b[0] for b in bounds), min(b[1] for b in bounds)
        east, north = max(b[2] for b in bounds), max(b[3] for b in bounds)
        if len(frames) == 1 and len(shown.placed) == 1 and shown.districts is None:
            west, south, east, north = west - 0.05, south - 0.05, east + 0.05, north + 0.05
    return (float(south), float(west)), (float(north), float(east))
