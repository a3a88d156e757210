"""Addresses and place names -> WGS-84 points with their provenance, offline-first.

``Geocoder`` puts a provider (gazetteer, nominatim, amap) behind one call with a persistent cache, a
throttle, bounded retries and a Beijing check; typed coordinates ("39.9, 116.4") are read directly.
The batch command is ``python -m geo.geocode``.
"""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Callable

from shapely.geometry import Point
from shapely.geometry.base import BaseGeometry

from ..coordinates import CoordinateError, looks_like_coordinates, parse_coordinates
from ..crs import in_beijing_box
from ..datums import Datum
from .cache import GeocodeCache
from .model import (
    FLAG_OUTSIDE_BEIJING,
    STATUS_ERROR,
    STATUS_NOT_FOUND,
    STATUS_OK,
    Candidate,
    GeocodeResult,
    PermanentError,
)
from .providers import PROVIDER_NAMES, ConfigurationError, Provider, make_provider
from .resilience import RetriesExhausted, RetryPolicy, Throttle, call_with_retries

__all__ = [
    "Candidate",
    "ConfigurationError",
    "GeocodeCache",
    "GeocodeResult",
    "Geocoder",
    "PROVIDER_NAMES",
    "RetryPolicy",
    "make_provider",
]


#: Four tries, waiting 1, 2 and 4 seconds between them (longer when the server asks with Retry-After).
DEFAULT_RETRY = RetryPolicy()


class Geocoder:
    """One provider with cache, throttle, retries and a check that answers fall in Beijing."""

    def __init__(
        self,
        provider: Provider,
        cache: GeocodeCache | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        boundary: BaseGeometry | None = None,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
    ):
        self.provider = provider
        self.cache = cache if provider.cacheable else None
        #: the cache's name for this provider and endpoint
        self.cache_name = getattr(provider, "cache_name", provider.name)
        #: why the cache stopped being written during this run (a full disk), or '' while it works
        self.cache_failure = ""
        self.retry = retry
        self.boundary = boundary
        self._sleep = sleep
        self._throttle = Throttle(provider.min_interval_s, clock=clock, sleep=sleep)
        #: Calls made to the provider, retries included: what a warm cache brings to zero.
        self.requests = 0

    def geocode(self, query: str, datum: str | Datum = Datum.WGS84) -> GeocodeResult:
        """Geocode one address or place name; typed coordinates are read in ``datum`` and converted."""
        name = self.provider.name
        text = (query or "").strip()
        if not text:
            return GeocodeResult(query, name, STATUS_ERROR, reason="empty address")
        if looks_like_coordinates(text):
            return self._typed(query, text, datum)
        if self.cache is not None:
            cached = self._cached(text)
            if cached is not None:
                _, candidate = cached
                return self._finish(query, candidate, from_cache=True)
        try:
            candidate = call_with_retries(self._lookup_once, self.retry, sleep=self._sleep, args=(text,))
        except RetriesExhausted as error:
            return GeocodeResult(query, name, STATUS_ERROR, reason=str(error))
        except PermanentError as error:
            return GeocodeResult(query, name, STATUS_ERROR, reason=error.reason)
        if self.cache is not None:
            try:
                self.cache.put(self.cache_name, text, candidate)
            except sqlite3.Error as error:
                # A full disk under the cache must not cost the run its answers: carry on without the cache.
                self.cache_failure = f"the geocoding cache could not be written ({error}); this run went on without it"
                self.cache = None
        return self._finish(query, candidate, from_cache=False)

    def _cached(self, text: str) -> tuple[bool, Candidate | None] | None:
        try:
            return self.cache.get(self.cache_name, text) if self.cache is not None else None
        except sqlite3.Error as error:
            self.cache_failure = f"the geocoding cache could not be read ({error}); this run went on without it"
            self.cache = None
            return None

    def _lookup_once(self, text: str) -> Candidate | None:
        self._throttle.wait()
        self.requests += 1
        return self.provider.lookup(text)

    def _typed(self, query: str, text: str, datum: str | Datum) -> GeocodeResult:
        try:
            point = parse_coordinates(text, datum=datum)
        except (CoordinateError, ValueError) as error:
            return GeocodeResult(query, "coordinates", STATUS_ERROR, reason=str(error))
        candidate = Candidate(point.lon, point.lat, point.datum_source, f"typed:{point.order}", text)
        result = self._finish(query, candidate, from_cache=False, provider="coordinates")
        return GeocodeResult(result.query, result.provider, result.status, candidate, point.note, False, result.flags)

    def _finish(
        self, query: str, candidate: Candidate | None, from_cache: bool, provider: str | None = None
    ) -> GeocodeResult:
        provider = provider or self.provider.name
        if candidate is None:
            return GeocodeResult(query, provider, STATUS_NOT_FOUND, reason="no match", from_cache=from_cache)
        flags = () if self._in_beijing(candidate) else (FLAG_OUTSIDE_BEIJING,)
        return GeocodeResult(query, provider, STATUS_OK, candidate, from_cache=from_cache, flags=flags)

    def _in_beijing(self, candidate: Candidate) -> bool:
        if self.boundary is not None:
            return self.boundary.covers(Point(candidate.lon, candidate.lat))
        return in_beijing_box(candidate.lon, candidate.lat)
