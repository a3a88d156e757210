"""WGS-84, GCJ-02 and BD-09: the three datums Beijing coordinates arrive in.

GCJ-02 is the offset applied by Chinese map providers (Gaode/AMap, Tencent); BD-09 is Baidu's further
shift of GCJ-02. PROJ does not implement either (OSGeo/PROJ#982), so the published forward formulas live
here, vectorised with numpy. Every function takes and returns ``(lon, lat)`` — shapely's ``(x, y)``
order — as floats or numpy arrays of any shape.

The forward transforms have closed forms; the inverses are solved by fixed-point iteration until the
round trip is exact to well under a millimetre. Outside China's bounding box the transforms are the
identity, as every reference implementation has it.
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

import geopandas
import numpy as np
import shapely
from numpy.typing import ArrayLike

# The obfuscation's parameters are those of the Krasovsky 1940 ellipsoid.
_KRASOVSKY_A = 6378245.0
_KRASOVSKY_E2 = 0.00669342162296594323
_BD_FACTOR = np.pi * 3000.0 / 180.0
_BD_LON_SHIFT = 0.0065
_BD_LAT_SHIFT = 0.006

# China's bounding box as the reference implementations define it: outside it no offset is applied.
CHINA_LON_RANGE = (72.004, 137.8347)
CHINA_LAT_RANGE = (0.8293, 55.8271)

# The inverses iterate w <- g - offset(w). The offset's derivative (deg per deg, infinity norm) is at most
# 0.0075 anywhere in China's box, and the BD-09 step departs from the identity by at most 0.022
# (both measured on a dense grid); with contraction c the error after a step of size d is at most
# d * c / (1 - c), so iteration stops once that bound is below the tolerance: 1e-8 deg, about 1 mm, ten times inside the
# 1 cm the atlas needs. Over Beijing three evaluations suffice and leave at most ~0.1 mm (bench/).
_GCJ02_CONTRACTION = 0.01
_BD09_CONTRACTION = 0.03
_TOLERANCE_DEG = 1e-8
_MAX_ITERATIONS = 10

LonLat = tuple  # (lon, lat), each a float or an ndarray


class Datum(str, Enum):
    """A horizontal datum a coordinate can be recorded in."""

    WGS84 = "wgs84"
    GCJ02 = "gcj02"
    BD09 = "bd09"


def in_china(lon: ArrayLike, lat: ArrayLike) -> np.ndarray | bool:
    """True where the point lies in the bounding box inside which GCJ-02 differs from WGS-84."""
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    inside = (
        (lon_a >= CHINA_LON_RANGE[0])
        & (lon_a <= CHINA_LON_RANGE[1])
        & (lat_a >= CHINA_LAT_RANGE[0])
        & (lat_a <= CHINA_LAT_RANGE[1])
    )
    return bool(inside) if inside.ndim == 0 else inside


def _as_arrays(lon: ArrayLike, lat: ArrayLike) -> tuple[np.ndarray, np.ndarray, bool]:
    lon_a = np.asarray(lon, dtype=float)
    lat_a = np.asarray(lat, dtype=float)
    if lon_a.shape != lat_a.shape:
        raise ValueError(f"lon and lat differ in shape: {lon_a.shape} vs {lat_a.shape}")
    return lon_a, lat_a, lon_a.ndim == 0


def _result(lon: np.ndarray, lat: np.ndarray, scalar: bool) -> LonLat:
    if scalar:
        return float(lon), float(lat)
    return lon, lat


def _gcj02_offset(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The GCJ-02 shift (degrees) to add to a WGS-84 point, without the China mask."""
    x = lon - 105.0
    y = lat - 35.0
    px = x * np.pi
    py = y * np.pi
    sin_2px = np.sin(2.0 * px)
    sin_6px = sin_2px * (3.0 - 4.0 * sin_2px * sin_2px)  # sin(3t) = 3 sin t - 4 sin^3 t, t = 2*pi*x
    common = (20.0 * sin_6px + 20.0 * sin_2px) * (2.0 / 3.0)
    sqrt_abs_x = np.sqrt(np.abs(x))

    d_lat = -100.0 + 2.0 * x + 3.0 * y + 0.2 * y * y + 0.1 * x * y + 0.2 * sqrt_abs_x + common
    d_lat += (20.0 * np.sin(py) + 40.0 * np.sin(py / 3.0)) * (2.0 / 3.0)
    d_lat += (160.0 * np.sin(py / 12.0) + 320.0 * np.sin(py / 30.0)) * (2.0 / 3.0)

    d_lon = 300.0 + x + 2.0 * y + 0.1 * x * x + 0.1 * x * y + 0.1 * sqrt_abs_x + common
    d_lon += (20.0 * np.sin(px) + 40.0 * np.sin(px / 3.0)) * (2.0 / 3.0)
    d_lon += (150.0 * np.sin(px / 12.0) + 300.0 * np.sin(px / 30.0)) * (2.0 / 3.0)

    rad_lat = lat / 180.0 * np.pi
    magic = 1.0 - _KRASOVSKY_E2 * np.sin(rad_lat) ** 2
    sqrt_magic = np.sqrt(magic)
    d_lat = (d_lat * 180.0) / ((_KRASOVSKY_A * (1.0 - _KRASOVSKY_E2)) / (magic * sqrt_magic) * np.pi)
    d_lon = (d_lon * 180.0) / (_KRASOVSKY_A / sqrt_magic * np.cos(rad_lat) * np.pi)
    return d_lon, d_lat


def _bd09_forward(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """GCJ-02 -> BD-09, closed form."""
    z = np.hypot(lon, lat) + 0.00002 * np.sin(lat * _BD_FACTOR)
    theta = np.arctan2(lat, lon) + 0.000003 * np.cos(lon * _BD_FACTOR)
    return z * np.cos(theta) + _BD_LON_SHIFT, z * np.sin(theta) + _BD_LAT_SHIFT


def _bd09_first_guess(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """BD-09 -> GCJ-02 by the usual closed-form approximation (about 0.16 m off)."""
    x = lon - _BD_LON_SHIFT
    y = lat - _BD_LAT_SHIFT
    z = np.hypot(x, y) - 0.00002 * np.sin(y * _BD_FACTOR)
    theta = np.arctan2(y, x) - 0.000003 * np.cos(x * _BD_FACTOR)
    return z * np.cos(theta), z * np.sin(theta)


def _largest_step(d_lon: np.ndarray, d_lat: np.ndarray) -> float:
    return max(np.max(np.abs(d_lon), initial=0.0), np.max(np.abs(d_lat), initial=0.0))


def _gcj02_inverse(g_lon: np.ndarray, g_lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve w + offset(w) = g for w, without the China mask."""
    w_lon, w_lat = g_lon, g_lat
    bound = _GCJ02_CONTRACTION / (1.0 - _GCJ02_CONTRACTION)
    for _ in range(_MAX_ITERATIONS):
        d_lon, d_lat = _gcj02_offset(w_lon, w_lat)
        n_lon, n_lat = g_lon - d_lon, g_lat - d_lat
        step = _largest_step(n_lon - w_lon, n_lat - w_lat)
        w_lon, w_lat = n_lon, n_lat
        if step * bound < _TOLERANCE_DEG:
            break
    return w_lon, w_lat


def _bd09_inverse(b_lon: np.ndarray, b_lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Solve bd09(g) = b for the GCJ-02 point g: closed-form guess, then fixed-point corrections."""
    g_lon, g_lat = _bd09_first_guess(b_lon, b_lat)
    bound = _BD09_CONTRACTION / (1.0 - _BD09_CONTRACTION)
    for _ in range(_MAX_ITERATIONS):
        f_lon, f_lat = _bd09_forward(g_lon, g_lat)
        e_lon, e_lat = f_lon - b_lon, f_lat - b_lat
        g_lon, g_lat = g_lon - e_lon, g_lat - e_lat
        if _largest_step(e_lon, e_lat) * bound < _TOLERANCE_DEG:
            break
    return g_lon, g_lat


def _in_china_only(transform: Callable[[np.ndarray, np.ndarray], LonLat], lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """Apply an unmasked array transform where points lie in China; leave the others as they are."""
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    inside = in_china(lon_a, lat_a)
    out_lon, out_lat = transform(lon_a, lat_a)
    return _result(np.where(inside, out_lon, lon_a), np.where(inside, out_lat, lat_a), scalar)


def _gcj02_forward_unmasked(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    d_lon, d_lat = _gcj02_offset(lon, lat)
    return lon + d_lon, lat + d_lat


def _wgs84_to_bd09_unmasked(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _bd09_forward(*_gcj02_forward_unmasked(lon, lat))


def _bd09_to_wgs84_unmasked(lon: np.ndarray, lat: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    return _gcj02_inverse(*_bd09_inverse(lon, lat))


def wgs84_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """WGS-84 -> GCJ-02 (Gaode/AMap, Tencent). Identity outside China."""
    return _in_china_only(_gcj02_forward_unmasked, lon, lat)


def gcj02_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """GCJ-02 -> WGS-84, iterated to within 1e-8 degrees (about 1 mm). Identity outside China."""
    return _in_china_only(_gcj02_inverse, lon, lat)


def wgs84_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """WGS-84 -> BD-09 (Baidu), through GCJ-02. Identity outside China."""
    return _in_china_only(_wgs84_to_bd09_unmasked, lon, lat)


def bd09_to_wgs84(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """BD-09 -> WGS-84, iterated to within 1e-8 degrees (about 1 mm). Identity outside China."""
    return _in_china_only(_bd09_to_wgs84_unmasked, lon, lat)


def gcj02_to_bd09(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """GCJ-02 -> BD-09. Identity outside China."""
    return wgs84_to_bd09(*gcj02_to_wgs84(lon, lat))


def bd09_to_gcj02(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    """BD-09 -> GCJ-02. Identity outside China."""
    return wgs84_to_gcj02(*bd09_to_wgs84(lon, lat))


def _identity(lon: ArrayLike, lat: ArrayLike) -> LonLat:
    lon_a, lat_a, scalar = _as_arrays(lon, lat)
    return _result(lon_a.copy(), lat_a.copy(), scalar)


_CONVERSIONS: dict[tuple[Datum, Datum], Callable[[ArrayLike, ArrayLike], LonLat]] = {
    (Datum.WGS84, Datum.GCJ02): wgs84_to_gcj02,
    (Datum.GCJ02, Datum.WGS84): gcj02_to_wgs84,
    (Datum.WGS84, Datum.BD09): wgs84_to_bd09,
    (Datum.BD09, Datum.WGS84): bd09_to_wgs84,
    (Datum.GCJ02, Datum.BD09): gcj02_to_bd09,
    (Datum.BD09, Datum.GCJ02): bd09_to_gcj02,
}


def parse_datum(value: str | Datum) -> Datum:
    """The Datum named by ``value`` ('wgs84', 'GCJ-02', 'bd09', ...); ValueError names the choices."""
    if isinstance(value, Datum):
        return value
    key = str(value).strip().lower().replace("-", "").replace("_", "")
    for datum in Datum:
        if datum.value == key:
            return datum
    choices = ", ".join(d.value for d in Datum)
    raise ValueError(f"unknown datum {value!r}: expected one of {choices}")


def converter(source: str | Datum, target: str | Datum) -> Callable[[ArrayLike, ArrayLike], LonLat]:
    """The function converting ``(lon, lat)`` from one datum to another."""
    source_d, target_d = parse_datum(source), parse_datum(target)
    if source_d is target_d:
        return _identity
    return _CONVERSIONS[(source_d, target_d)]


def convert(lon: ArrayLike, lat: ArrayLike, source: str | Datum, target: str | Datum) -> LonLat:
    """Convert ``(lon, lat)`` between any two of the three datums."""
    return converter(source, target)(lon, lat)


def convert_geometry(geometry: Any, source: str | Datum, target: str | Datum) -> Any:
    """Convert every vertex of a shapely geometry (or an array of them) between datums.

    Accepts a single geometry, a numpy array of geometries or a geopandas GeoSeries (whose CRS
    and index are kept); returns the same kind of object.
    """
    func = converter(source, target)

    def _transform_coords(coords: np.ndarray) -> np.ndarray:
        lon, lat = func(coords[:, 0], coords[:, 1])
        return np.column_stack([lon, lat])

    if isinstance(geometry, geopandas.GeoSeries):
        # Rebuild the series so that its CRS, index and name survive.
        converted = shapely.transform(np.asarray(geometry.values), _transform_coords)
        return type(geometry)(converted, index=geometry.index, crs=geometry.crs, name=geometry.name)
    return shapely.transform(geometry, _transform_coords)
