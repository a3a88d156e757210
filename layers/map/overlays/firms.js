// A company list's canvas layer: the script of FirmLayer (layers/map/overlays/firms.py), in exports and the app.
//
// Firms arrive as typed arrays (see firm_payload). They are drawn on canvas tiles: each tile visits only the firms
// of its own and neighbouring tiles (indexed once per zoom) and stamps a small pre-drawn dot per firm. The sector
// and district filters run here, so a filter change redraws without any new data; a click finds the nearest firm.

function atlasFirmLayer(group, map, options, payload) {
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
        var rgbs = colours.map(rgb);
        var count = 0, heat = null, stamps = {};
        function stamp(r) {
            // A dot's coverage (anti-aliased, 4x4 samples per pixel) at 85% opacity, once per radius. Tiles are
            // painted pixel by pixel from it: a canvas path of 100,000 arcs took ~150 ms to rasterise here.
            if (!stamps[r]) {
                var reach = Math.ceil(r), side = 2 * reach + 1, alpha = new Uint8Array(side * side), k = 0;
                for (var y = -reach; y <= reach; y++) {
                    for (var x = -reach; x <= reach; x++, k++) {
                        var covered = 0;
                        for (var sy = 0; sy < 4; sy++) {
                            for (var sx = 0; sx < 4; sx++) {
                                var px = x - 0.375 + sx / 4, py = y - 0.375 + sy / 4;
                                covered += px * px + py * py <= r * r ? 1 : 0;
                            }
                        }
                        alpha[k] = Math.round((covered / 16) * 0.85 * 255);
                    }
                }
                stamps[r] = {reach: reach, side: side, alpha: alpha};
            }
            return stamps[r];
        }
        function rgb(colour) {
            var value = parseInt(colour.slice(1), 16);
            return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
        }
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
                // Later sectors over earlier ones; within one colour, overlapping dots do not darken each other.
                var ctx = tile.getContext("2d"), image = ctx.createImageData(size.x, size.y), pixels = image.data;
                var dot = stamp(r), reach = dot.reach, side = dot.side, alpha = dot.alpha;
                Object.keys(batches).forEach(function (k) {
                    var points = batches[k], red = rgbs[k][0], green = rgbs[k][1], blue = rgbs[k][2];
                    for (var j = 0; j < points.length; j += 2) {
                        var cx = Math.round(points[j]), cy = Math.round(points[j + 1]);
                        for (var dy = -reach; dy <= reach; dy++) {
                            var y = cy + dy;
                            if (y < 0 || y >= size.y) { continue; }
                            for (var dx = -reach; dx <= reach; dx++) {
                                var x = cx + dx, a = alpha[(dy + reach) * side + dx + reach];
                                if (x < 0 || x >= size.x || a === 0) { continue; }
                                var o = (y * size.x + x) * 4;
                                if (a >= pixels[o + 3]) {
                                    pixels[o] = red; pixels[o + 1] = green; pixels[o + 2] = blue; pixels[o + 3] = a;
                                }
                            }
                        }
                    }
                });
                ctx.putImageData(image, 0, 0);
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
        start(payload);
    }
    if (options.show) { group.addTo(map); }
}
