"""The view a person is in, kept in the address bar: a copied link reopens it, and a language switch keeps it.

``restore`` sets the values from the link once per session; ``link_params`` and ``publish`` write the current view
back on every run.

A widget whose options are labelled in the reader's language is one widget per language (key ``<name>-<lang>``),
seeded from the value kept under ``<name>``. Streamlit's browser side keeps a list box's value as its labels, and
after a language switch the old labels match no option (that crashed the app, then silently emptied the layers):
a widget of the new language never sees the old labels.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from layers import LAYER_SPECS, ZONING_TAXONOMIES, Atlas, Selection, available_basemaps, basemap, vocabulary

VIEWS = ("map", "nearby", "compare", "rank", "layout")

#: Widgets of one view that keep their value while another view is shown (``persist_state="session"``).
PERSIST = "session"
#: The CBD-by-subway criterion starts off (weight 0): the ranking people knew is unchanged until they ask for it.
DEFAULT_WEIGHTS = (1.0, 1.0, 1.0, 1.0, 0.0)
WEIGHT_KEYS = ("rank_w_sector", "rank_w_airport", "rank_w_rail", "rank_w_area", "rank_w_cbd")
DEFAULT_RADIUS_KM = 15
_UNCONFIRMED = "_unconfirmed_seeds"


@dataclass(frozen=True)
class MapView:
    """Where the person left the map: zoom and centre, in the datum of the basemap they were on."""

    zoom: int
    lat: float
    lon: float
    datum: str


def widget_id(name: str, lang: str) -> str:
    """The key ``name``'s widget has in ``lang`` (the page knows the widget by the class ``st-key-<key>``)."""
    return f"{name}-{lang}"


def widget_key(name: str, lang: str, default: object = None) -> str:
    """The key of ``name``'s widget in ``lang``, seeded once per language switch.

    The seed is the other language's widget's value when the browser just sent one (a change made a moment before
    the switch may not have been kept yet: the run that would keep it can be cut short by the switch), else the
    kept value. Read before any widget of this run is drawn, the old value is decoded with its own labels.

    Streamlit hands a value set in code to the browser only in the run that set it. A seeding run cut short (the
    map answering, a second click) would leave the browser's new widget empty, and its next message would empty the
    filters and layers; so a seed is set again in every run until one run has drawn it to the end (``confirm``).
    """
    key = widget_id(name, lang)
    old = widget_id(name, "en" if lang == "zh" else "zh")
    unconfirmed: set[str] = st.session_state.setdefault(_UNCONFIRMED, set())
    if key not in st.session_state:
        seed = st.session_state[old] if old in st.session_state else st.session_state.get(name, default)
        st.session_state[key] = list(seed) if isinstance(seed, (list, tuple)) else seed
        st.session_state[name] = st.session_state[key]
        unconfirmed.add(key)
    elif key in unconfirmed:
        st.session_state[key] = st.session_state[key]  # set again: this run hands it to the browser
    st.session_state.pop(old, None)
    return key


def confirm() -> None:
    """Called when a run has drawn every widget: the seeds it handed to the browser need not be set again."""
    st.session_state[_UNCONFIRMED] = set()


def keep(name: str, value: object) -> object:
    """Keep a widget's value under its language-free name, where views, links and the other language read it."""
    st.session_state[name] = value
    return value


def set_value(name: str, value: object) -> None:
    """Change a language-dependent value from a callback: the widget is seeded from it when next drawn."""
    st.session_state[name] = value
    for lang in ("en", "zh"):
        st.session_state.pop(f"{name}-{lang}", None)


def _floats(text: str | None, count: int) -> tuple[float, ...] | None:
    try:
        values = tuple(float(v) for v in (text or "").split(","))
    except ValueError:
        return None
    return values if len(values) == count and all(v == v for v in values) else None


def restore(atlas: Atlas) -> None:
    """On a session's first run, set every widget and view from the link the session was opened with."""
    if st.session_state.get("_restored"):
        return
    params = st.query_params
    chosen = Selection.from_query_params(
        {k: params.get_all(k) for k in ("sector", "district", "kind", "level")} | {"q": params.get("q", "")}
    )
    for sector in atlas.sectors:
        if sector.code in chosen.sectors:
            st.session_state.setdefault(f"sectors_{sector.taxonomy}", []).append(sector.code)
    st.session_state["districts"] = [d for d in sorted(chosen.districts) if d in set(atlas.districts["adcode"])]
    st.session_state["kinds"] = [k for k in sorted(chosen.kinds) if k in vocabulary("kinds", "en")]
    st.session_state["levels"] = [k for k in sorted(chosen.levels) if k in vocabulary("levels", "en")]
    st.session_state["q"] = chosen.text
    reach = Selection.from_query_params({"reach": params.get("reach", ""), "reach_min": params.get("reach_min", "")})
    st.session_state["reach_hub"] = reach.reach_hub if reach.reach_hub in set(atlas.hubs["id"]) else ""
    st.session_state["reach_min"] = int(min(120, max(15, round((reach.reach_min or 45) / 5) * 5)))
    layers = [key for key in params.get_all("layer") if key in {s.key for s in LAYER_SPECS}]
    st.session_state["layers"] = layers or [s.key for s in LAYER_SPECS if s.shown]
    basemaps = [b.key for b in available_basemaps()]
    st.session_state["basemap"] = params.get("basemap") if params.get("basemap") in basemaps else basemaps[0]
    st.session_state["lang"] = "zh" if params.get("lang") == "zh" else "en"
    st.session_state["view"] = params.get("view") if params.get("view") in VIEWS else "map"
    park_ids = set(atlas.parks["id"])
    st.session_state["park"] = params.get("park") if params.get("park") in park_ids else None
    view = _floats(params.get("c"), 2)
    zoom = _floats(params.get("z"), 1)
    if view and zoom:
        datum = basemap(st.session_state["basemap"]).datum.value
        st.session_state["_map_view"] = MapView(int(min(18, max(1, zoom[0]))), view[0], view[1], datum)
    st.session_state["compare"] = [p for p in params.get_all("compare") if p in park_ids][:4]
    st.session_state["nearby_q"] = params.get("near", "")
    st.session_state["nearby_choice"] = params.get("near_key") or None
    point = _floats(params.get("near_pt"), 2)
    st.session_state["_nearby_click"] = {"lat": point[0], "lng": point[1]} if point else None
    radius = _floats(params.get("km"), 1)
    st.session_state["nearby_km"] = int(min(60, max(1, radius[0]))) if radius else DEFAULT_RADIUS_KM
    if params.get_all("rank_sector"):  # else the Rank view starts from the sidebar's sectors
        st.session_state["rank_sectors"] = [c for c in params.get_all("rank_sector") if c in atlas.sectors]
    # A link made before the CBD criterion has four weights: that criterion stays off.
    weights = _floats(params.get("w"), 5) or (_floats(params.get("w"), 4) or DEFAULT_WEIGHTS[:4]) + (0.0,)
    for key, weight in zip(WEIGHT_KEYS, weights, strict=True):
        st.session_state[key] = min(5.0, max(0.0, round(weight * 2) / 2))
    limit = _floats(params.get("max_airport"), 1)
    st.session_state["rank_max_airport"] = float(min(200.0, max(0.0, limit[0]))) if limit else 0.0
    cbd_limit = _floats(params.get("max_cbd"), 1)
    st.session_state["rank_max_cbd"] = float(min(240.0, max(0.0, cbd_limit[0]))) if cbd_limit else 0.0
    st.session_state["rank_only"] = params.get("only") == "1"
    st.session_state["layout_taxonomy"] = (
        params.get("tax") if params.get("tax") in ZONING_TAXONOMIES else ZONING_TAXONOMIES[0]
    )
    st.session_state["_restored"] = True


def publish(params: dict[str, str | list[str]]) -> None:
    """Write the current view into the address bar (only what differs from the defaults, so links stay short)."""
    st.query_params.from_dict({k: v for k, v in params.items() if v not in (None, "", [], ())})


def link_params(view: str, selection: Selection, lang: str, layers: tuple[str, ...], basemap_key: str) -> dict:
    """What the address bar holds for the current view: the filters and settings, then the view's own state."""
    defaults = tuple(s.key for s in LAYER_SPECS if s.shown)
    params: dict = {
        **selection.to_query_params(),
        "lang": lang if lang != "en" else None,
        "view": view if view != "map" else None,
        "layer": list(layers) if layers != defaults else None,
        "basemap": basemap_key if basemap_key != available_basemaps()[0].key else None,
    }
    state = st.session_state
    if view == "map":
        map_view: MapView | None = state.get("_map_view")
        params |= {
            "park": state.get("park"),
            "z": str(map_view.zoom) if map_view else None,
            "c": f"{map_view.lat},{map_view.lon}" if map_view else None,
        }
    elif view == "nearby":
        click = state.get("_nearby_click")
        params |= {
            "near": state.get("nearby_q"),
            "near_key": state.get("nearby_choice"),
            "near_pt": f"{click['lat']},{click['lng']}" if click and not state.get("nearby_q") else None,
            "km": str(state.get("nearby_km")) if state.get("nearby_km") != DEFAULT_RADIUS_KM else None,
        }
    elif view == "compare":
        params["compare"] = list(state.get("compare") or [])
    elif view == "rank":
        weights = tuple(float(state.get(k, d)) for k, d in zip(WEIGHT_KEYS, DEFAULT_WEIGHTS, strict=True))
        params |= {
            "rank_sector": list(state.get("rank_sectors") or []),
            "w": ",".join(f"{w:g}" for w in weights) if weights != DEFAULT_WEIGHTS else None,
            "max_airport": f"{state.get('rank_max_airport'):g}" if state.get("rank_max_airport") else None,
            "max_cbd": f"{state.get('rank_max_cbd'):g}" if state.get("rank_max_cbd") else None,
            "only": "1" if state.get("rank_only") else None,
        }
    elif view == "layout":
        params["tax"] = state.get("layout_taxonomy") if state.get("layout_taxonomy") != ZONING_TAXONOMIES[0] else None
    return params
