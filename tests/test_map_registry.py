"""Adding a map layer is one module, one entry in the registry and one label (CONTRIBUTING.md's recipe): a layer
written here, registered the same way, is prepared, drawn, switched and listed like the atlas's own."""

from __future__ import annotations

import types

import folium

from layers.labels import text
from layers.map import MapRequest, build_map
from layers.map import build as map_build
from layers.map.overlay import DrawContext, Drawn, collection, geojson, shift
from layers.map.spec import Geometry, LayerSpec
from layers.selection import Selection, select


def _landmark_layer() -> types.ModuleType:
    """The whole of a new layer: the landmarks among the hubs, drawn as plain circles."""
    layer = types.ModuleType("landmarks")
    layer.SPEC = LayerSpec("landmarks", Geometry.POINT, shown=False)

    def prepare(atlas, lang, datum, full_cards):
        landmarks = atlas.hubs[atlas.hubs["kind"] == "landmark"]
        return geojson(shift(landmarks, datum), ["id"])

    def draw(m: folium.Map, ctx: DrawContext, prepared: dict) -> Drawn:
        element = folium.GeoJson(
            collection(prepared["features"]),
            name=ctx.titles["landmarks"],
            marker=folium.CircleMarker(radius=5, className="test-landmark"),
        )
        element.add_to(m)
        return Drawn(element)

    layer.prepare, layer.draw = prepare, draw
    return layer


def test_a_new_layer_is_one_module_one_registry_entry_and_one_label(tiny_atlas, monkeypatch):
    layer = _landmark_layer()
    monkeypatch.setattr(map_build, "LAYERS", (*map_build.LAYERS, layer))  # the one line in overlays/__init__.py
    monkeypatch.setattr(map_build, "SPECS", (*map_build.SPECS, layer.SPEC))
    monkeypatch.setitem(text("en"), "layer_landmarks", "Landmarks")  # the one label (both languages in practice)
    shown = select(tiny_atlas, Selection())
    switched_on = build_map(tiny_atlas, shown, MapRequest(layers=("parks", "landmarks"))).map.get_root().render()
    assert "Landmarks" in switched_on  # its title, as the layer control lists it
    landmarks = set(tiny_atlas.hubs.loc[tiny_atlas.hubs["kind"] == "landmark", "id"])
    assert landmarks and all(f'"id": "{hub}"' in switched_on for hub in landmarks)  # drawn
    switched_off = build_map(tiny_atlas, shown, MapRequest(layers=("parks",))).map.get_root().render()
    assert all(f'"id": "{hub}"' not in switched_off for hub in landmarks)  # and switched like the others
