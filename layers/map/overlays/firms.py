"""A company list on the map: a canvas layer that stays smooth at 100,000 firms and more.

Firms travel as typed arrays (float32 lon/lat, one byte each for sector, district and park), base64 in one
JSON object: 100,000 firms are about 1.4 MB with their names, against 10+ MB as GeoJSON. The browser draws
them on canvas tiles (only the firms inside each 256-pixel tile, batched by colour), so panning never touches
the DOM per firm; a click finds the nearest firm and opens its card. The sector and district filters are
applied in the page, so the app sends the data once and each filter change sends only the filter.
"""

from __future__ import annotations

import base64
from dataclasses import dataclass, field

import folium
import numpy as np
import pandas as pd
from branca.element import Template

from geo.csvfile import BIDI_CONTROLS
from geo.datums import Datum, convert

from ...enterprises import DRAWN_STATUSES, ColumnMap
from ...labels import text
from ...model.load import Atlas
from ..legend import with_number
from ..overlay import DrawContext, Drawn
from ..spec import Geometry, LayerSpec
from ..styles import NO_SECTOR_COLOUR

SPEC = LayerSpec("enterprises", Geometry.CANVAS, needs_firms=True)
HEAT_SPEC = LayerSpec("heatmap", Geometry.CANVAS, shown=False, needs_firms=True)
#: A firm placed from its address at a place's centre this coarse (or coarser) is marked approximate.
APPROXIMATE_FROM_M = 300

NONE_INDEX = 255  # "no sector / no district / no park" in the one-byte index arrays


def _b64(values: np.ndarray) -> str:
    return base64.b64encode(np.ascontiguousarray(values).tobytes()).decode("ascii")


def _indices(values: pd.Series, vocabulary: list[str]) -> np.ndarray:
    lookup = {v: i for i, v in enumerate(vocabulary)}
    return (
        np.array([lookup.get(v, NONE_INDEX) for v in values], dtype=np.uint8) if len(values) else np.zeros(0, np.uint8)
    )


def firm_payload(
    enriched: pd.DataFrame, columns: ColumnMap, atlas: Atlas, lang: str = "en", datum: Datum = Datum.WGS84
) -> dict:
    """The firms to draw (placed ones, duplicates once), as the JSON object the layer's script reads.

    Points are shifted to ``datum`` when the basemap's tiles are drawn in GCJ-02 (Gaode).
    """
    drawn = enriched[enriched["atlas_status"].isin(DRAWN_STATUSES)]
    lon, lat = drawn["atlas_lon"].to_numpy(dtype=float), drawn["atlas_lat"].to_numpy(dtype=float)
    if datum is not Datum.WGS84:
        lon, lat = convert(lon, lat, Datum.WGS84, datum)
    present = set(drawn["atlas_sector"])
    sectors = [code for code in atlas.sectors.codes if code in present]
    if len(sectors) >= NONE_INDEX:
        raise ValueError(f"{len(sectors)} sectors on one map: the layer can index at most {NONE_INDEX - 1}")
    districts = atlas.districts.sort_values("adcode")
    parks = sorted(set(drawn["atlas_park"]) - {""})
    park_names = dict(zip(atlas.parks["id"], atlas.parks["name_zh" if lang == "zh" else "name_en"], strict=True))
    name_column = "name_zh" if lang == "zh" else "name_en"
    precision = (
        drawn["atlas_precision_m"].to_numpy(dtype=float)
        if "atlas_precision_m" in drawn
        else np.full(len(drawn), np.nan)
    )
    approximate = np.nan_to_num(precision, nan=0.0) >= APPROXIMATE_FROM_M
    return {
        "n": len(drawn),
        "datum": datum.value,
        "lon": _b64(np.asarray(lon, dtype=np.float32)),
        "lat": _b64(np.asarray(lat, dtype=np.float32)),
        "sector": _b64(_indices(drawn["atlas_sector"], sectors)),
        "district": _b64(_indices(drawn["atlas_district"], list(districts["adcode"]))),
        "park": _b64(_indices(drawn["atlas_park"], parks)),
        "approx": _b64(approximate.astype(np.uint8)),
        "approx_label": text(lang)["firms_approximate"],
        "sectors": sectors,
        "colours": [atlas.sectors.colour(code) for code in sectors] + [NO_SECTOR_COLOUR],
        "labels": [atlas.sectors[code].label(lang) for code in sectors] + [text(lang)["firms_unmapped"]],
        "districts": list(districts["adcode"]),
        "district_names": list(districts[name_column]),
        "parks": [park_names.get(p, p) for p in parks],
        # Names come from the user's file: base64 of UTF-8 lines, so no '{{' in a name can reach folium's templating.
        "names": base64.b64encode(
            "\n".join(
                # Bidirectional controls would make one name read as another on screen: shown by name instead.
                drawn[columns.name]
                .fillna("")
                .astype(str)
                .str.replace(r"[\r\n]+", " ", regex=True)
                .str.replace(BIDI_CONTROLS.pattern, lambda m: f"<U+{ord(m.group()):04X}>", regex=True)
            ).encode("utf-8")
        ).decode("ascii"),
    }


@dataclass(frozen=True)
class FirmSource:
    """What a map needs to draw a list: the data inline, or the key it is kept under in the page; and its counts.

    An exported file carries the payload inline. The app never publishes a user's list as a file: it puts the payload
    into that user's page over their session, under ``page_key``, and the map's script reads it from there.
    """

    #: firms per (sector code or '', district adcode or '') among those drawn
    counts: dict[tuple[str, str], int]
    payload: dict | None = None
    page_key: str | None = None
    sectors: tuple[str, ...] = field(default=())
    #: the datum the payload's points are in: the basemap's
    datum: Datum = Datum.WGS84

    @classmethod
    def of(
        cls,
        enriched: pd.DataFrame,
        payload: dict | None = None,
        page_key: str | None = None,
        datum: Datum = Datum.WGS84,
    ) -> FirmSource:
        """Counts from the enriched list; the payload inline (exports) or the key it is kept under in the page (app)."""
        drawn = enriched[enriched["atlas_status"].isin(DRAWN_STATUSES)]
        counts = drawn.groupby(["atlas_sector", "atlas_district"]).size()
        return cls(
            {k: int(v) for k, v in counts.items()}, payload, page_key, tuple(sorted(set(drawn["atlas_sector"]))), datum
        )

    def shown(self, sectors: frozenset[str] | None, districts: frozenset[str] | None) -> int:
        """How many firms a filter leaves: None means no filter on that dimension."""
        return sum(
            n
            for (s, d), n in self.counts.items()
            if (sectors is None or s in sectors) and (districts is None or d in districts)
        )


def shown_label(lang: str, count: int) -> str:
    """The legend line counting the firms shown; the page updates the number as filters change."""
    return with_number(text(lang)["legend_firms_shown"], f'<b class="atlas-firm-count">{count:,}</b>')


class FirmLayer(folium.map.Layer):
    """The canvas layer (and optional heatmap) of a company list; listed in the layer control like any layer."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        var {{ this.get_name() }} = L.layerGroup();
        (function (group, map) {
            var options = {{ this.options|tojson }};
            function decode(text, Type) {
                var raw = atob(text), bytes = new Uint8Array(raw.length);
                for (var i = 0; i < raw.length; i++) { bytes[i] = raw.charCodeAt(i); }
                return new Type(bytes.buffer);
            }
            function start(data) {
                var lon = decode(data.lon, Float32Array), lat = decode(data.lat, Float32Array);
                var sector = decode(data.sector, Uint8Array), district = decode(data.district, Uint8Array);
                var park = decode(data.park, Uint8Array), n = lon.length;
                var approx = data.approx ? decode(data.approx, Uint8Array) : new Uint8Array(n);
                var names = n ? new TextDecoder().decode(decode(data.names,
                    Uint8Array)).split(String.fromCharCode(10)) : [];
                var mx = new Float64Array(n), my = new Float64Array(n), shown = new Uint8Array(n);
                for (var i = 0; i < n; i++) {
                    var s = Math.sin(lat[i] * Math.PI / 180);
                    mx[i] = (lon[i] + 180) / 360;
                    my[i] = 0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI);
                }
                var colours = data.colours.slice(0, data.sectors.length);
                colours[255] = data.colours[data.colours.length - 1];
                var count = 0, heat = null;
                function filter(sectors, districts) {
                    var okSector = new Uint8Array(256), okDistrict = new Uint8Array(256);
                    data.sectors.forEach(function (code, k) {
                        okSector[k] = (sectors === null || sectors.indexOf(code) >= 0) ? 1 : 0; });
                    okSector[255] = (sectors === null || sectors.indexOf("") >= 0) ? 1 : 0;
                    data.districts.forEach(function (code, k) {
                        okDistrict[k] = (districts === null || districts.indexOf(code) >= 0) ? 1 : 0; });
                    okDistrict[255] = districts === null ? 1 : 0;
                    count = 0;
                    for (var i = 0; i < n; i++) {
                        shown[i] = okSector[sector[i]] & okDistrict[district[i]]; count += shown[i]; }
                    document.querySelectorAll(".atlas-firm-count").forEach(function (el) {
                        el.textContent = count.toLocaleString("en-US"); });
                    map.getContainer().setAttribute("data-firms-shown", String(count));
                }
                var indexByZoom = {};
                function tileIndex(z, tileSize, scale) {
                    // Firm indices by the tile they fall in, once per zoom level: a redraw (a filter change)
                    // then visits only the firms of the tiles in view.
                    if (!indexByZoom[z]) {
                        var index = {};
                        for (var i = 0; i < n; i++) {
                            var key = Math.floor(mx[i] * scale / tileSize) + ":" + Math.floor(my[i] * scale / tileSize);
                            (index[key] = index[key] || []).push(i);
                        }
                        indexByZoom[z] = index;
                    }
                    return indexByZoom[z];
                }
                var Tiles = L.GridLayer.extend({
                    createTile: function (coords) {
                        var tile = L.DomUtil.create("canvas", "atlas-firm-tile"), size = this.getTileSize();
                        tile.width = size.x; tile.height = size.y;
                        var scale = size.x * Math.pow(2, coords.z), x0 = coords.x * size.x, y0 = coords.y * size.y;
                        // Big enough to see at city zoom (9), small enough that dense parks stay readable.
                        var r = coords.z >= 14 ? 4.5 : coords.z >= 12 ? 3.5 : coords.z >= 10 ? 3 : 2.4;
                        var batches = {}, near = tileIndex(coords.z, size.x, scale);
                        // This tile's firms and its neighbours' (a dot near the edge overlaps): not all n.
                        for (var dx = -1; dx <= 1; dx++) {
                            for (var dy = -1; dy <= 1; dy++) {
                                var bucket = near[(coords.x + dx) + ":" + (coords.y + dy)] || [];
                                for (var b = 0; b < bucket.length; b++) {
                                    var i = bucket[b];
                                    if (!shown[i]) { continue; }
                                    var px = mx[i] * scale - x0, py = my[i] * scale - y0;
                                    if (px < -r || py < -r || px > size.x + r || py > size.y + r) { continue; }
                                    (batches[sector[i]] = batches[sector[i]] || []).push(px, py);
                                }
                            }
                        }
                        var ctx = tile.getContext("2d");
                        ctx.globalAlpha = 0.85;
                        Object.keys(batches).forEach(function (k) {
                            var points = batches[k];
                            ctx.fillStyle = colours[k];
                            ctx.beginPath();
                            for (var j = 0; j < points.length; j += 2) {
                                ctx.moveTo(points[j] + r, points[j + 1]);
                                ctx.arc(points[j], points[j + 1], r, 0, 2 * Math.PI);
                            }
                            ctx.fill();
                        });
                        return tile;
                    }
                });
                if (!map.getPane("atlasFirms")) {
                    var pane = map.createPane("atlasFirms");
                    pane.style.zIndex = 390;  // above the districts' fill (350), below parks and extents (400)
                    pane.style.pointerEvents = "none";  // hovering still reaches the districts; clicks reach the map
                }
                // The app's kept map is drawn unfiltered; its page leaves the filter it last applied here.
                var wanted = window.atlasFirmFilterWanted || options;
                filter(wanted.sectors,
                    wanted.districts);  // before the tiles exist: they draw at once when fetched late
                var tiles = new Tiles({pane: "atlasFirms", updateWhenZooming: false, keepBuffer: 4});
                tiles.on("load", function () { map.getContainer().setAttribute("data-firms-drawn",
                    String(performance.now())); });
                group.addLayer(tiles);
                function heatPoints() {
                    var points = [];
                    for (var i = 0; i < n; i++) { if (shown[i]) { points.push([lat[i], lon[i], 1]); } }
                    return points;
                }
                function apply(sectors, districts) {
                    filter(sectors, districts);
                    tiles.redraw();
                    if (heat) { heat.setLatLngs(heatPoints()); }
                }
                if (options.heat && L.heatLayer) {
                    heat = L.heatLayer(heatPoints(), {radius: 14, blur: 18, minOpacity: 0.35, maxZoom: 13});
                    group.addLayer(heat);
                }
                function nearest(latlng) {
                    var z = map.getZoom(), scale = 256 * Math.pow(2, z), p = map.project(latlng, z);
                    var best = -1, bestDistance = 64;  // within 8 px
                    for (var i = 0; i < n; i++) {
                        if (!shown[i]) { continue; }
                        var dx = mx[i] * scale - p.x, dy = my[i] * scale - p.y, d = dx * dx + dy * dy;
                        if (d < bestDistance) { best = i; bestDistance = d; }
                    }
                    return best;
                }
                function card(i, full) {
                    // Text nodes only: a firm's name comes from the user's file and is never parsed as markup.
                    var div = document.createElement("div"), title = document.createElement("b");
                    div.className = full ? "atlas-popup atlas-firm-card" : "atlas-popup atlas-firm-hover";
                    title.textContent = names[i];
                    div.appendChild(title);
                    var lines = [data.labels[sector[i] === 255 ? data.labels.length - 1 : sector[i]]];
                    if (full) {
                        lines.push(park[i] === 255 ? "" : data.parks[park[i]],
                            district[i] === 255 ? "" : data.district_names[district[i]]);
                    }
                    if (approx[i]) { lines.push(data.approx_label); }
                    lines.forEach(function (line) {
                        if (line) {
                            div.appendChild(document.createElement("br"));
                            div.appendChild(document.createTextNode(line));
                        }
                    });
                    return div;
                }
                map.on("click", function (event) {
                    if (!map.hasLayer(group)) { return; }
                    var best = nearest(event.latlng);
                    if (best < 0) { return; }
                    L.popup({maxWidth: 320}).setLatLng([lat[best], lon[best]]).setContent(card(best, true)).openOn(map);
                });
                var hover = L.tooltip({direction: "top", offset: [0, -6], className: "atlas-firm-tooltip"}),
                    hovered = -1, pending = false;
                map.on("mousemove", function (event) {
                    if (pending || !map.hasLayer(group)) { return; }
                    pending = true;
                    window.requestAnimationFrame(function () {
                        pending = false;
                        var best = nearest(event.latlng);
                        if (best === hovered) { return; }
                        hovered = best;
                        if (best < 0) { map.closeTooltip(hover); return; }
                        hover.setLatLng([lat[best], lon[best]]).setContent(card(best, false));
                        map.openTooltip(hover);
                    });
                });
                map.on("mouseout", function () { hovered = -1; map.closeTooltip(hover); });
                // The exported file's legend checkboxes call this; so can anyone scripting the page.
                window.atlasFirmFilter = function (sectors, districts) { apply(sectors,
                    districts === undefined ? null : districts); };
            }
            if (options.page_key) {
                // The app's page holds the list (sent over the user's own session); this map is a frame of that page.
                var tries = 0, timer = setInterval(function () {
                    var store = null;
                    try { store = window.parent.atlasFirmData; } catch (e) { store = null; }
                    if (store && store[options.page_key]) { clearInterval(timer); start(store[options.page_key]); }
                    else if (++tries > 1200) { clearInterval(timer); }
                }, 50);
            } else {
                start({{ this.payload|tojson }});
            }
            {% if this.show %}group.addTo(map);{% endif %}
        })({{ this.get_name() }}, {{ this._parent.get_name() }});
        {% endmacro %}
        """
    )

    def __init__(
        self,
        source: FirmSource,
        name: str,
        sectors: frozenset[str] | None,
        districts: frozenset[str] | None,
        heat: bool = False,
        show: bool = True,
    ):
        super().__init__(name=name, overlay=True, control=True, show=show)
        self._name = "FirmLayer"
        self.payload = source.payload
        self.options = {
            "page_key": source.page_key,
            "heat": heat,
            "sectors": None if sectors is None else sorted(sectors),
            "districts": None if districts is None else sorted(districts),
        }


def prepare(atlas: Atlas, lang: str, datum: Datum, full_cards: bool) -> None:
    """Nothing to prepare from the atlas: a company list arrives with the request (``DrawContext.firms``)."""
    return None


def draw(m: folium.Map, ctx: DrawContext, prepared: None) -> Drawn:
    """The list's canvas layer (and its heatmap when switched on), filtered by the selection's sectors and districts."""
    source: FirmSource | None = ctx.firms
    if source is None:
        return Drawn()
    sectors, districts = ctx.shown.sectors, ctx.shown.districts
    count = source.shown(sectors, districts)  # what the filters leave, whether or not the layer is switched on
    if SPEC.key not in ctx.switched_on:
        return Drawn(firms_shown=count)
    if source.datum is not ctx.datum:
        raise ValueError(f"the company list was prepared in {source.datum.value}, the basemap is {ctx.datum.value}")
    element = FirmLayer(source, ctx.titles[SPEC.key], sectors, districts, heat=HEAT_SPEC.key in ctx.switched_on)
    element.add_to(m)
    # Only the sectors that have firms on the map under this filter: the legend lists what is shown.
    present = tuple(
        dict.fromkeys(
            s
            for (s, d), n in sorted(source.counts.items())
            if n and (sectors is None or s in sectors) and (districts is None or d in districts)
        )
    )
    ordered = tuple(code for code in ctx.atlas.sectors.codes if code in present)
    return Drawn(
        element,
        sectors=ordered,
        unmapped_firms="" in present,
        firm_line=shown_label(ctx.lang, count),
        firms_shown=count,
    )
