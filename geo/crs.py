"""Metric work for Beijing: projected CRS, geodesic distances and areas. Never measure in degrees."""

from __future__ import annotations

from functools import lru_cache

import numpy as np
from numpy.typing import ArrayLike
from pyproj import CRS, Geod, Transformer
from shapely.geometry.base import BaseGeometry

#: Data at rest: longitude/latitude on WGS-84.
STORAGE_CRS = CRS.from_epsg(4326)
#: UTM zone 50N covers all of Beijing (115.4-117.5 E); axis order east, north.
BEIJING_METRIC_CRS = CRS.from_epsg(32650)

_GEOD = Geod(ellps="WGS84")

# A generous box around Beijing municipality (115.42-117.51 E, 39.44-41.06 N): a point outside it cannot
# be in Beijing whatever its datum, and a value that fits the other axis's range is likely swapped.
BEIJING_LON_RANGE = (115.3, 117.6)
BEIJING_LAT_RANGE = (39.3, 41.2)


def in_beijing_box(lon: float, lat: float) -> bool:
    """Whether (lon, lat) lies in the generous box around Beijing, in any of the three datums."""
    return BEIJING_LON_RANGE[0] <= lon <= BEIJING_LON_RANGE[1] and BEIJING_LAT_RANGE[0] <= lat <= BEIJING_LAT_RANGE[1]


@lru_cache(maxsize=32)
def transformer(source: str | int, target: str | int) -> Transformer:
    """A cached pyproj Transformer that always takes and returns (x, y) = (lon, lat) order.

    ``always_xy`` matters: EPSG:4326 and China's CGCS2000 Gauss-Krüger CRSs declare (lat, lon) or
    (north, east) axis order, and a transformer without it silently swaps coordinates.
    """
    return Transformer.from_crs(CRS.from_user_input(source), CRS.from_user_input(target), always_xy=True)


def to_metric(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """WGS-84 (lon, lat) -> UTM 50N (easting, northing) in metres."""
    return transformer(4326, 32650).transform(np.asarray(lon, float), np.asarray(lat, float))


def from_metric(easting: ArrayLike, northing: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """UTM 50N (easting, northing) in metres -> WGS-84 (lon, lat)."""
    return transformer(32650, 4326).transform(np.asarray(easting, float), np.asarray(northing, float))


def distance_km(lon1: ArrayLike, lat1: ArrayLike, lon2: ArrayLike, lat2: ArrayLike) -> np.ndarray | float:
    """Geodesic distance on the WGS-84 ellipsoid, in km; broadcasts over arrays."""
    lon1, lat1, lon2, lat2 = np.broadcast_arrays(*(np.asarray(v, float) for v in (lon1, lat1, lon2, lat2)))
    _, _, metres = _GEOD.inv(lon1, lat1, lon2, lat2)
    km = np.asarray(metres) / 1000.0
    return float(km) if km.ndim == 0 else km


def area_km2(geometry: BaseGeometry) -> float:
    """Geodesic area of a WGS-84 (lon, lat) polygon geometry, in km²; zero for points and lines."""
    area_m2, _ = _GEOD.geometry_area_perimeter(geometry)
    return abs(area_m2) / 1e6
