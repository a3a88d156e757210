"""Geometry built in metres: schematic equal-area extents for parks known only by their area."""

from __future__ import annotations

import math

from shapely.geometry import Point, Polygon
from shapely.ops import transform

from .crs import transformer


def equal_area_circle(lon: float, lat: float, area_km2: float, segments: int = 64) -> Polygon:
    """A WGS-84 circle centred on (lon, lat) whose area is ``area_km2``: a schematic extent, not a boundary.

    Built in UTM 50N, where a Beijing circle keeps its area to within 0.1%, then brought back to lon/lat.
    """
    if area_km2 <= 0:
        raise ValueError(f"area must be positive, got {area_km2}")
    to_metric = transformer(4326, 32650).transform
    to_lonlat = transformer(32650, 4326).transform
    centre = transform(to_metric, Point(lon, lat))
    radius_m = math.sqrt(area_km2 * 1e6 / math.pi)
    return transform(to_lonlat, centre.buffer(radius_m, quad_segs=max(1, segments // 4)))
