"""The atlas's own folium elements: each one small class with its template, as folium builds its own.

Every value reaches the page through ``|tojson``, never spliced in as markup, so data text cannot become script.
"""

from __future__ import annotations

import folium
from branca.element import MacroElement, Template

from .styles import NO_SECTOR_COLOUR


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
            L.DomEvent.disableScrollPropagation(div);
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
    everything else on the map together. Exports embed them instead.
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
                    onEachFeature: function (feature, layer) { layer.bindTooltip(feature.properties.name,
                        {sticky: true}); }
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


class PageStyle(MacroElement):
    """The atlas's CSS for legend, cards and chips, added once to the page's head (as text, not markup)."""

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            // One sheet per page: the app's kept map may be drawn again (a language switch) in the same page.
            var style = document.getElementById("atlas-page-style") || document.createElement("style");
            style.id = "atlas-page-style";
            style.textContent = {{ this.css|tojson }};
            document.head.appendChild(style);
        })();
        {% endmacro %}
        """
    )

    def __init__(self, css: str):
        super().__init__()
        self._name = "PageStyle"
        self.css = css


class SectorFilter(MacroElement):
    """In an exported file, the legend's checkboxes show and hide parks, their extents and clusters by sector.

    A park stays while any of its sectors is ticked and takes the colour of its first ticked sector, as the app
    colours it by the first sector asked for; a cluster stays while any of its sectors is ticked.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        (function () {
            var colours = {{ this.colours|tojson }};
            var parks = {{ this.parks.get_name() if this.parks else "null" }};
            var extents = {{ this.extents.get_name() if this.extents else "null" }};
            var clusters = {{ this.clusters.get_name() if this.clusters else "null" }};
            function all(group) { return group ? group.getLayers() : []; }
            var allParks = all(parks), allExtents = all(extents), allClusters = all(clusters);
            function firstTicked(sectors, on) {
                for (var i = 0; i < (sectors || []).length; i++) { if (on[sectors[i]]) { return sectors[i]; } }
                return null;
            }
            function apply() {
                var on = {};
                document.querySelectorAll(".atlas-legend input[data-sector]").forEach(function (box) {
                    on[box.getAttribute("data-sector")] = box.checked;
                });
                var colourOf = {}, kept = [];
                allParks.forEach(function (layer) {
                    var p = layer.feature.properties, code = firstTicked(p.sectors, on);
                    if (code === null && !(p.sectors || []).length && on[""]) { code = ""; }
                    if (code === null) { return; }
                    var colour = colours[code] || {{ this.no_sector|tojson }};
                    colourOf[p.id] = colour;
                    layer.setStyle(p.standin ? {color: colour} : {fillColor: colour});
                    kept.push(layer);
                });
                if (extents) {
                    extents.clearLayers();
                    allExtents.forEach(function (layer) {
                        var colour = colourOf[layer.feature.properties.id];
                        if (colour) { layer.setStyle({color: colour, fillColor: colour}); extents.addLayer(layer); }
                    });
                }
                if (clusters) {
                    clusters.clearLayers();
                    allClusters.forEach(function (layer) {
                        if (firstTicked(layer.feature.properties.sectors, on) !== null) { clusters.addLayer(layer); }
                    });
                }
                // Added again last, the dots stay on top of the extents and rings, where a click finds them.
                if (parks) { parks.clearLayers(); kept.forEach(function (layer) { parks.addLayer(layer); }); }
                var shown = kept.length;
                if (window.atlasFirmFilter) {
                    window.atlasFirmFilter(Object.keys(on).filter(function (code) { return on[code]; }));
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

    def __init__(
        self,
        parks: folium.GeoJson | None,
        extents: folium.GeoJson | None,
        clusters: folium.GeoJson | None,
        colours: dict[str, str],
    ):
        super().__init__()
        self._name = "SectorFilter"
        self.parks = parks
        self.extents = extents
        self.clusters = clusters
        self.colours = colours
        self.no_sector = NO_SECTOR_COLOUR


class LiveHooks(MacroElement):
    """On the app's kept map, hands the page the map and the parts it filters (``__atlas``, given by the page).

    The page (``ui/live_map.js``) runs the map's script once per base and then, on each selection, shows and colours
    these parts by id: the map itself is never drawn again for a filter change.
    """

    _template = Template(
        """
        {% macro script(this, kwargs) %}
        __atlas.map = {{ this._parent.get_name() }};
        __atlas.parts = {
            {%- for name, part in this.parts.items() %}
            {{ name|tojson }}: {{ part.get_name() }},
            {%- endfor %}
        };
        {% endmacro %}
        """
    )

    def __init__(self, parts: dict):
        super().__init__()
        self._name = "LiveHooks"
        self.parts = parts
