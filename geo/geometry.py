"""Geometry built in metres: schematic equal-area extents for parks known only by their area."""

from __future__ import annotations

import math

import numpy as np
import shapely
from shapely.geometry import Point, Polygon

from .crs import transformer


def equal_area_circle(lon: float, lat: float, area_km2: float, segments: int = 64) -> Polygon:
    """A WGS-84 circle centred on (lon, lat) whose area is ``area_km2``: a schematic extent, not a boundary.

    Built in UTM 50N, where a Beijing circle keeps its area to within 0.1%, then brought back to lon/lat.
    """
    if area_km2 <= 0:
        raise ValueError(f"area must be positive, got {area_km2}")
    easting, northing = transformer(4326, 32650).transform(lon, lat)
    radius_m = math.sqrt(area_km2 * 1e6 / math.pi)
    circle = Point(easting, northing).buffer(radius_m, quad_segs=max(1, segments // 4))
    to_lonlat = transformer(32650, 4326)
    return shapely.transform(circle, lambda xy: np.column_stack(to_lonlat.transform(xy[:, 0], xy[:, 1])))
