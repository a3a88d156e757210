"""Pure parsers for the providers' answers: no network here, so each is tested on recorded responses."""

from __future__ import annotations

import math
from typing import Any

from ..crs import distance_km
from ..datums import Datum, convert
from .model import Candidate, PermanentError, TransientError

# AMap answers HTTP 200 with status "0" and an infocode on failure. These codes mean "slow down or try
# later"; every other failure (bad key, quota used up, bad parameters) will not pass on a retry.
AMAP_TRANSIENT_INFOCODES = {
    "10004": "access too frequent",
    "10014": "server overloaded",
    "10015": "server error",
    "10016": "server error",
    "10019": "concurrency limit exceeded",
    "10020": "concurrency limit exceeded",
    "10021": "QPS limit exceeded",
    "10022": "QPS limit exceeded",
    "10023": "QPS limit exceeded",
}

# How well an AMap answer stands for the address, by its 'level' (match granularity), in metres.
AMAP_LEVEL_PRECISION_M = {
    "国家": 1_000_000,
    "省": 200_000,
    "市": 30_000,
    "区县": 10_000,
    "开发区": 5_000,
    "乡镇": 3_000,
    "村庄": 1_000,
    "热点商圈": 1_000,
    "兴趣点": 100,
    "门牌号": 30,
    "单元号": 20,
    "道路": 1_000,
    "道路交叉路口": 100,
    "公交站台、地铁站": 100,
}


def parse_amap_geocode(payload: Any) -> Candidate | None:
    """AMap /v3/geocode/geo JSON -> the first answer in WGS-84 (AMap answers in GCJ-02), or None if none."""
    if not isinstance(payload, dict) or "status" not in payload:
        raise PermanentError("AMap answer is not a geocoding response (no 'status')")
    if str(payload["status"]) != "1":
        code = str(payload.get("infocode", ""))
        info = payload.get("info", "unknown error")
        if code in AMAP_TRANSIENT_INFOCODES:
            raise TransientError(f"AMap {code} {info} ({AMAP_TRANSIENT_INFOCODES[code]})")
        raise PermanentError(f"AMap refused the request: {code} {info}")
    geocodes = payload.get("geocodes") or []
    if not geocodes:
        return None
    first = geocodes[0] if isinstance(geocodes, list) else None
    if not isinstance(first, dict):
        raise PermanentError("AMap answer's geocodes are not a list of places")
    try:
        lon_text, lat_text = str(first["location"]).split(",")
        gcj_lon, gcj_lat = _coordinate(lon_text, 180), _coordinate(lat_text, 90)
    except (KeyError, ValueError) as exc:
        raise PermanentError(f"AMap answer has no readable location: {first.get('location')!r}") from exc
    lon, lat = convert(gcj_lon, gcj_lat, Datum.GCJ02, Datum.WGS84)
    level = first.get("level") or ""
    return Candidate(
        lon=float(lon),
        lat=float(lat),
        datum_source=Datum.GCJ02.value,
        match=f"amap:{level}" if level else "amap",
        label=_label(first.get("formatted_address")),
        precision_m=AMAP_LEVEL_PRECISION_M.get(level),
    )


def parse_nominatim_place(raw: Any) -> Candidate | None:
    """One Nominatim /search result (JSON object, as geopy's Location.raw) -> a WGS-84 candidate."""
    if raw is None:
        return None
    if not isinstance(raw, dict):
        raise PermanentError("Nominatim answer is not a JSON object")
    try:
        lon, lat = _coordinate(raw["lon"], 180), _coordinate(raw["lat"], 90)
    except (KeyError, TypeError, ValueError) as exc:
        raise PermanentError(f"Nominatim answer has no readable lon/lat: {exc}") from exc
    kind = "/".join(str(raw[k]) for k in ("class", "type") if raw.get(k))
    return Candidate(
        lon=lon,
        lat=lat,
        datum_source=Datum.WGS84.value,
        match=f"nominatim:{kind}" if kind else "nominatim",
        label=_label(raw.get("display_name")),
        precision_m=_bbox_radius_m(raw.get("boundingbox")),
    )


#: A provider's label longer than this is cut (with a mark): an address line, not a page.
MAX_LABEL = 500


def _coordinate(value: Any, limit: float) -> float:
    """A finite coordinate within ±limit; NaN, infinity or 95° N is no answer at all (and never cached as one)."""
    number = float(value)
    if not math.isfinite(number) or abs(number) > limit:
        raise ValueError(f"{value!r} is not a coordinate (expected a finite number within ±{limit:g})")
    return number


def _label(value: Any) -> str:
    text = str(value or "")
    return text if len(text) <= MAX_LABEL else text[:MAX_LABEL] + "…"


def _bbox_radius_m(bbox: Any) -> float | None:
    """Half the diagonal of Nominatim's [south, north, west, east] box, in metres (a rough precision)."""
    try:
        south, north, west, east = (_coordinate(v, 180) for v in bbox)
    except (TypeError, ValueError):
        return None
    return round(float(distance_km(west, south, east, north)) * 500.0, 1)
