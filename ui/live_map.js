// The atlas's kept map, in the app's own page (Streamlit components v2, no iframe). See ui/live_map.py.
//
// A base (a folium map's script) is run once; each rerun brings only a small state: which parks show and in which
// colour, which rings and chosen districts, the legend, the bounds. The page shows, hides and recolours the shapes it
// has, so a filter change never remounts the map and pan and zoom stay where the person left them.

const assets = {};

function load(url, kind) {
    if (!assets[url]) {
        assets[url] = new Promise((resolve, reject) => {
            const element = document.createElement(kind === "script" ? "script" : "link");
            if (kind === "script") {
                element.src = url;
                element.async = false;
            } else {
                element.rel = "stylesheet";
                element.href = url;
            }
            element.onload = () => resolve();
            element.onerror = () => reject(new Error("could not load " + url));
            document.head.appendChild(element);
        });
    }
    return assets[url];
}

function baseArrived(key) {
    // The base travels in its own element (sent once, then referred to by Streamlit's message cache).
    return new Promise((resolve) => {
        const bases = window.atlasMapBases || {};
        if (bases[key]) {
            resolve(bases[key]);
            return;
        }
        const listen = () => {
            const now = window.atlasMapBases || {};
            if (now[key]) {
                window.removeEventListener("atlas-map-base", listen);
                resolve(now[key]);
            }
        };
        window.addEventListener("atlas-map-base", listen);
    });
}

function quietly(kept, move) {
    // A move the page makes (first fit, following the selection) is not the person's: it is not reported.
    kept.quiet = true;
    try {
        move();
    } finally {
        kept.quiet = false;
    }
}

function fit(kept, bounds) {
    const padding = (kept.latest.state && kept.latest.state.padding) || [[40, 40], [40, 40]];
    kept.map.fitBounds(bounds, {
        animate: false,
        paddingTopLeft: padding[0],
        paddingBottomRight: padding[1],
    });
}

function report(kept) {
    clearTimeout(kept.reportTimer);
    kept.reportTimer = setTimeout(() => {
        const centre = kept.map.getCenter();
        kept.setStateValue("view", {
            zoom: kept.map.getZoom(),
            lat: Math.round(centre.lat * 1e5) / 1e5,
            lng: Math.round(centre.lng * 1e5) / 1e5,
            datum: kept.base.datum,
        });
    }, 250);
}

function fitControl(kept) {
    const control = L.control({ position: "topleft" });
    control.onAdd = () => {
        const box = L.DomUtil.create("div", "leaflet-bar atlas-fit");
        const button = L.DomUtil.create("a", "", box);
        button.href = "#";
        button.setAttribute("role", "button");
        button.textContent = "⤢";
        button.title = kept.latest.labels.fit;
        button.setAttribute("aria-label", kept.latest.labels.fit);
        L.DomEvent.disableClickPropagation(box);
        L.DomEvent.on(button, "click", (event) => {
            L.DomEvent.preventDefault(event);
            clearTimeout(kept.reportTimer); // a move still to be reported is overtaken by this one
            kept.moved = false; // follow the selection again, as before the person moved the map
            quietly(kept, () => fit(kept, kept.bounds));
            kept.setStateValue("view", null);
        });
        return box;
    };
    return control;
}

function build(kept, base) {
    let keptView = null;
    if (kept.map) {
        keptView = { centre: kept.map.getCenter(), zoom: kept.map.getZoom(), datum: kept.base.datum };
        kept.map.remove();
        kept.holder.replaceChildren();
    }
    const target = document.createElement("div");
    target.id = base.name;
    target.className = "folium-map";
    kept.holder.appendChild(target);
    const hooks = {};
    window.atlasFirmFilter = undefined; // a company list's filter belongs to the map it was drawn on
    kept.firmsApplied = undefined;
    new Function("__atlas", base.script)(hooks);
    kept.map = hooks.map;
    kept.parts = hooks.parts || {};
    kept.all = {};
    for (const [name, part] of Object.entries(kept.parts)) {
        kept.all[name] = part.getLayers();
    }
    kept.base = base;
    kept.key = base.key;
    kept.bounds = null;
    const wanted = kept.latest.view;
    quietly(kept, () => {
        if (wanted && wanted.datum === base.datum) {
            kept.map.setView([wanted.lat, wanted.lng], wanted.zoom, { animate: false });
            kept.moved = true;
        } else if (keptView && keptView.datum === base.datum) {
            kept.map.setView(keptView.centre, keptView.zoom, { animate: false });
        } else {
            kept.fitted = null; // a new map opens where folium put it: the selection's bounds are fitted next
        }
    });
    kept.map.on("moveend", () => {
        if (kept.quiet) {
            return;
        }
        kept.moved = true;
        report(kept);
    });
    if (kept.latest.clicks === "park" && kept.parts.parks) {
        kept.parts.parks.on("click", (event) => {
            kept.setTriggerValue("park", event.layer.feature.properties.id);
        });
    }
    if (kept.latest.clicks === "point") {
        kept.map.on("click", (event) => {
            kept.setTriggerValue("point", { lat: event.latlng.lat, lng: event.latlng.lng, datum: kept.base.datum });
        });
    }
    if (kept.latest.state) {
        fitControl(kept).addTo(kept.map);
    }
}

function showOnly(part, layers, keep) {
    // Only what changes is touched: Leaflet draws a shape anew each time it is added. Returns how many were added.
    let added = 0;
    for (const layer of layers) {
        const wanted = keep(layer.feature.properties);
        if (wanted && !part.hasLayer(layer)) {
            part.addLayer(layer);
            added += 1;
        } else if (!wanted && part.hasLayer(layer)) {
            part.removeLayer(layer);
        }
    }
    return added;
}

function recolour(layer, style, colour) {
    if (layer.atlasColour !== colour) {
        layer.atlasColour = colour;
        layer.setStyle(style(colour));
    }
}

function apply(kept, state, guessed = false) {
    // A shape added goes on top of those drawn before it: when a ring or an extent comes back, the dots are brought
    // to the front again, so they stay above every ring and clickable.
    const { parts, all } = kept;
    const colours = state.parks;
    let below = 0;
    if (parts.chosen) {
        const chosen = new Set(state.districts || []);
        below += showOnly(parts.chosen, all.chosen, (p) => chosen.has(p.adcode));
    }
    if (parts.extents) {
        below += showOnly(parts.extents, all.extents, (p) => p.id in colours);
        for (const layer of parts.extents.getLayers()) {
            recolour(layer, (c) => ({ color: c, fillColor: c }), colours[layer.feature.properties.id]);
        }
    }
    if (parts.clusters) {
        const clusters = new Set(state.clusters);
        below += showOnly(parts.clusters, all.clusters, (p) => clusters.has(p.id));
    }
    if (parts.parks) {
        showOnly(parts.parks, all.parks, (p) => p.id in colours);
        for (const layer of parts.parks.getLayers()) {
            const standin = layer.feature.properties.standin;
            recolour(layer, (c) => (standin ? { color: c } : { fillColor: c }), colours[layer.feature.properties.id]);
            if (below) {
                layer.bringToFront();
            }
        }
    }
    const legend = kept.holder.querySelector(".atlas-legend");
    if (legend && legend.getAttribute("data-html") !== state.legend) {
        const folded = legend.querySelector("details:not([open])") !== null;
        legend.innerHTML = state.legend; // built and escaped by the server (layers/map/legend.py)
        legend.setAttribute("data-html", state.legend);
        const details = legend.querySelector("details");
        if (details && folded) {
            details.removeAttribute("open");
        }
    }
    // Redrawn only when the filter changed: the server's answer after a guess usually asks for the same again.
    const firms = JSON.stringify(state.firms);
    window.atlasFirmFilterWanted = state.firms;
    if (window.atlasFirmFilter && kept.firmsApplied !== firms) {
        kept.firmsApplied = firms;
        window.atlasFirmFilter(state.firms.sectors, state.firms.districts);
    }
    if (guessed) {
        return; // the server's answer, a moment later, brings the legend and the bounds to follow
    }
    kept.bounds = state.bounds;
    const boundsKey = JSON.stringify(state.bounds);
    if (!kept.moved && kept.fitted !== boundsKey) {
        kept.fitted = boundsKey;
        quietly(kept, () => fit(kept, state.bounds));
    }
    kept.holder.setAttribute("data-applied", String(performance.now()));
}

// --- the sidebar's sector boxes, read in the page -------------------------------------------------------------
// A change of sectors is applied from what the page already has (state.instant: every filter but the sectors),
// the moment the box changes, as an exported file's legend does; the server's answer then replaces the guess.
// Only the map that follows the sidebar carries state.instant, with the boxes to read (this language's) and their
// labels; a label it does not know (a box drawn anew, mid-switch) leaves the change to the server.

const following = new Set();
let watcher = null;

function chosenSectors(filter) {
    const codes = [];
    const tags = document.querySelectorAll(filter.boxes.map((box) => `.${box} [data-tag]`).join(","));
    for (const tag of tags) {
        const code = filter.labels[tag.getAttribute("aria-label")];
        if (code === undefined) {
            return null;
        }
        codes.push(code);
    }
    return codes.sort();
}

function guess(state, codes) {
    const filter = state.instant;
    const wanted = codes.length ? new Set(codes.flatMap((code) => filter.expand[code] || [code])) : null;
    const parks = {};
    for (const [id, sectors] of Object.entries(filter.parks)) {
        const by = wanted ? sectors.find((code) => wanted.has(code)) : sectors[0];
        if (wanted && by === undefined) {
            continue;
        }
        parks[id] = by === undefined ? filter.none : filter.colours[by] || filter.none;
    }
    const clusters = Object.keys(filter.clusters).filter(
        (id) => !wanted || filter.clusters[id].some((code) => wanted.has(code)),
    );
    const firms = { ...state.firms, sectors: wanted ? [...wanted].sort() : null };
    return { ...state, parks, clusters, firms };
}

function followSidebar(kept) {
    const state = kept.latest.state;
    if (!kept.map || !state || !state.instant || !following.has(kept)) {
        return;
    }
    const codes = chosenSectors(state.instant);
    const signature = codes === null ? null : codes.join(",");
    if (signature === null || signature === kept.sectorsShown) {
        return;
    }
    kept.sectorsShown = signature;
    if (signature === state.instant.chosen.join(",")) {
        apply(kept, state); // back to what the server drew
    } else {
        apply(kept, guess(state, codes), true);
    }
}

function watchSidebar(kept) {
    following.add(kept);
    if (!watcher) {
        // Mutations are delivered before the next paint: the guess is drawn in the frame the box changed in.
        watcher = new MutationObserver(() => following.forEach(followSidebar));
        watcher.observe(document.body, { childList: true, subtree: true });
    }
}

async function step(kept) {
    const data = kept.latest;
    kept.holder.style.height = data.height + "px";
    if (data.refit !== kept.refit) {
        kept.refit = data.refit; // a new search circle: the map follows it again
        kept.moved = false;
        kept.fitted = null;
    }
    if (kept.key !== data.base) {
        const base = await baseArrived(data.base);
        if (kept.latest.base !== data.base) {
            return; // a newer base was asked for while this one travelled
        }
        for (const url of base.styles) {
            load(url, "style");
        }
        // All at once: the browser fetches them in parallel and (async = false) runs them in this order.
        await Promise.all(base.scripts.map((url) => load(url, "script")));
        build(kept, base);
    }
    const state = kept.latest.state;
    if (state) {
        apply(kept, state);
        if (state.instant) {
            kept.sectorsShown = state.instant.chosen.join(",");
            watchSidebar(kept);
            followSidebar(kept); // the boxes may have changed again while this answer travelled
        }
    }
}

export default function (component) {
    const { data, parentElement, setStateValue, setTriggerValue } = component;
    if (!data || !data.base) {
        return undefined;
    }
    let kept = parentElement.atlasMap;
    if (!kept) {
        const holder = document.createElement("div");
        holder.className = "atlas-live-map";
        parentElement.appendChild(holder);
        kept = { holder, queue: Promise.resolve(), moved: false };
        parentElement.atlasMap = kept;
    }
    Object.assign(kept, { latest: data, setStateValue, setTriggerValue });
    kept.queue = kept.queue
        .then(() => step(kept))
        .catch((error) => {
            kept.holder.setAttribute("data-error", String(error));
            console.error("atlas map:", error);
        });
    return () => {
        following.delete(kept);
        if (kept.map) {
            kept.map.remove();
        }
        delete parentElement.atlasMap;
    };
}
