"""The map's layers, one module each, in drawing order (bottom to top). Adding a layer is one module and one line."""

from __future__ import annotations

from ..spec import LayerSpec
from . import clusters, districts, extents, firms, hubs, parks, rail_lines, rail_stations

#: Drawing order: the district ground, the rail network (own pane, under the parks), schematic extents, cluster
#: rings, parks, hubs, then a company list (own pane).
LAYERS = (districts, rail_lines, rail_stations, extents, clusters, parks, hubs, firms)
#: Every switchable layer, the heatmap (drawn by the firms module) included.
SPECS: tuple[LayerSpec, ...] = (*(module.SPEC for module in LAYERS), firms.HEAT_SPEC)
_SPECS = {spec.key: spec for spec in SPECS}


def layer_spec(key: str) -> LayerSpec:
    """The layer spec called ``key``; ValueError names the choices."""
    try:
        return _SPECS[key]
    except KeyError:
        raise ValueError(f"unknown layer {key!r}: expected one of {', '.join(_SPECS)}") from None
