"""Geocoding providers, chosen by name. Each one's network call is separate from its parsing (parsing.py)."""

from __future__ import annotations

import json
import os
import time
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Protocol
from urllib.parse import urlsplit

import requests

from ..gazetteer import Gazetteer, load_gazetteer
from .model import Candidate, PermanentError, TransientError
from .parsing import parse_amap_geocode, parse_nominatim_place

PROVIDER_NAMES = ("gazetteer", "nominatim", "amap")
AMAP_DEFAULT_ENDPOINT = "https://restapi.amap.com"
NOMINATIM_DEFAULT_ENDPOINT = "https://nominatim.openstreetmap.org"
NOMINATIM_PUBLIC_HOST = "nominatim.openstreetmap.org"
#: Nominatim's usage policy: at most one request per second, and an identifying user agent.
NOMINATIM_POLICY_INTERVAL_S = 1.0
DEFAULT_USER_AGENT = "beijing-industrial-parks-atlas/0.1 (batch geocoding of park and company addresses)"
DEFAULT_TIMEOUT_S = 10.0


def _cache_name(name: str, endpoint: str, default: str) -> str:
    """What the cache files a provider's answers under: a mirror's or a test server's answers never stand in for the
    real service's (nor the other way round)."""
    return name if endpoint.rstrip("/") == default.rstrip("/") else f"{name}@{endpoint.rstrip('/')}"


class ConfigurationError(ValueError):
    """A provider cannot be set up as asked (no key, unknown name, bad endpoint)."""


class Provider(Protocol):
    """Turns one query into a WGS-84 candidate, or None when nothing matches."""

    name: str
    cacheable: bool
    min_interval_s: float

    def lookup(self, query: str) -> Candidate | None: ...


class GazetteerProvider:
    """Offline: the atlas's own parks, clusters, hubs and districts."""

    name = "gazetteer"
    cacheable = False  # instant and offline; caching would only serve stale answers after a data update
    min_interval_s = 0.0

    def __init__(self, gazetteer: Gazetteer):
        self.gazetteer = gazetteer

    def lookup(self, query: str) -> Candidate | None:
        found = self.gazetteer.find(query)
        if found is None:
            return None
        place = found.place
        return Candidate(
            lon=place.lon,
            lat=place.lat,
            datum_source="wgs84",
            match=f"gazetteer:{found.match}",
            label=f"{place.name_en} / {place.name_zh}",
            precision_m=place.precision_m,
        )


#: An answer bigger than this is not a geocoding answer (a 10 MB page would become one unreadable cell).
MAX_ANSWER_BYTES = 2 * 1024 * 1024


def _http_get_json(
    url: str, params: dict, timeout_s: float, session: requests.Session, headers: dict | None = None
) -> object:
    """GET and decode JSON within ``timeout_s`` overall, turning every network fault into a Transient or Permanent
    error. A body trickled a byte at a time, cut short, or of many megabytes is an error of that one address."""
    deadline = time.monotonic() + timeout_s
    try:
        response = session.get(url, params=params, timeout=timeout_s, stream=True, headers=headers)
    except requests.Timeout as exc:
        raise TransientError(f"timed out after {timeout_s:g} s") from exc
    except requests.RequestException as exc:
        raise TransientError(f"connection failed: {type(exc).__name__}") from exc
    with response:
        if response.status_code == 429 or response.status_code >= 500:
            retry_after = response.headers.get("Retry-After")
            delay = float(retry_after) if retry_after and retry_after.replace(".", "", 1).isdigit() else None
            raise TransientError(f"HTTP {response.status_code}", retry_after=delay)
        body = bytearray()
        try:
            for chunk in response.iter_content(64 * 1024):
                body += chunk
                if len(body) > MAX_ANSWER_BYTES:
                    raise PermanentError(f"the answer is larger than {MAX_ANSWER_BYTES // (1024 * 1024)} MB")
                if time.monotonic() > deadline:
                    raise TransientError(f"the answer took longer than {timeout_s:g} s to arrive")
        except requests.RequestException as exc:  # cut short, or a broken chunked encoding
            raise TransientError(f"the answer was cut short: {type(exc).__name__}") from exc
    if response.status_code >= 400:
        raise PermanentError(f"HTTP {response.status_code}: {bytes(body[:200]).decode('utf-8', 'replace')}")
    try:
        return json.loads(bytes(body).decode(response.encoding or "utf-8", errors="replace"))
    except ValueError as exc:
        raise PermanentError("the answer is not JSON (cut short?)") from exc


class AmapProvider:
    """Gaode/AMap web geocoding (GCJ-02 answers, converted to WGS-84 by the parser)."""

    name = "amap"
    cacheable = True
    min_interval_s = 0.0

    def __init__(
        self, key: str, endpoint: str = AMAP_DEFAULT_ENDPOINT, timeout_s: float = DEFAULT_TIMEOUT_S, city: str = "北京"
    ):
        self.key = key
        self.url = endpoint.rstrip("/") + "/v3/geocode/geo"
        self.cache_name = _cache_name(self.name, endpoint, AMAP_DEFAULT_ENDPOINT)
        self.timeout_s = timeout_s
        self.city = city
        self._session = requests.Session()

    def lookup(self, query: str) -> Candidate | None:
        params = {"key": self.key, "address": query, "city": self.city, "output": "JSON"}
        return parse_amap_geocode(_http_get_json(self.url, params, self.timeout_s, self._session))


class NominatimProvider:
    """OpenStreetMap's Nominatim /search (WGS-84 answers), with the identifying user agent its policy asks for."""

    name = "nominatim"
    cacheable = True

    def __init__(
        self,
        endpoint: str = NOMINATIM_DEFAULT_ENDPOINT,
        user_agent: str = DEFAULT_USER_AGENT,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        min_interval_s: float = NOMINATIM_POLICY_INTERVAL_S,
    ):
        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        if not parts.netloc:
            raise ConfigurationError(f"not a usable endpoint: {endpoint!r}")
        if parts.hostname == NOMINATIM_PUBLIC_HOST:
            # The public server's policy is not ours to relax, whatever the caller asks for.
            min_interval_s = max(min_interval_s, NOMINATIM_POLICY_INTERVAL_S)
        self.min_interval_s = min_interval_s
        self.url = f"{parts.scheme}://{parts.netloc}{parts.path.rstrip('/')}/search"
        self.cache_name = _cache_name(self.name, endpoint, NOMINATIM_DEFAULT_ENDPOINT)
        self.timeout_s = timeout_s
        self._headers = {"User-Agent": user_agent}
        self._session = requests.Session()

    def lookup(self, query: str) -> Candidate | None:
        params = {"q": query, "format": "json", "limit": "1", "countrycodes": "cn"}
        answer = _http_get_json(self.url, params, self.timeout_s, self._session, self._headers)
        if not isinstance(answer, list):
            raise PermanentError("Nominatim answer is not a list of places")
        return parse_nominatim_place(answer[0] if answer else None)


def amap_key(environ: Mapping[str, str] | None = None, secrets_path: Path | None = None) -> str | None:
    """The AMap key from $AMAP_KEY, else from Streamlit's secrets file (read as TOML, not through Streamlit)."""
    variables: Mapping[str, str] = os.environ if environ is None else environ
    if variables.get("AMAP_KEY"):
        return variables["AMAP_KEY"]
    path = secrets_path or Path(".streamlit") / "secrets.toml"
    if path.exists():
        with open(path, "rb") as f:
            secrets = tomllib.load(f)
        key = secrets.get("amap_key") or secrets.get("AMAP_KEY") or (secrets.get("amap") or {}).get("key")
        return str(key) if key else None
    return None


def make_provider(
    name: str,
    endpoint: str | None = None,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    min_interval_s: float | None = None,
    user_agent: str = DEFAULT_USER_AGENT,
    data_dir: Path | None = None,
) -> Provider:
    """The provider called ``name``, pointed at ``endpoint`` when one is given (a mirror or a test server)."""
    if name == "gazetteer":
        return GazetteerProvider(load_gazetteer(data_dir) if data_dir else load_gazetteer())
    if name == "nominatim":
        interval = NOMINATIM_POLICY_INTERVAL_S if min_interval_s is None else min_interval_s
        return NominatimProvider(endpoint or NOMINATIM_DEFAULT_ENDPOINT, user_agent, timeout_s, interval)
    if name == "amap":
        key = amap_key()
        if not key:
            raise ConfigurationError(
                "the amap provider needs a key: set AMAP_KEY, or amap_key in .streamlit/secrets.toml"
            )
        provider = AmapProvider(key, endpoint or AMAP_DEFAULT_ENDPOINT, timeout_s)
        if min_interval_s:
            provider.min_interval_s = min_interval_s
        return provider
    raise ConfigurationError(f"unknown provider {name!r}: expected one of {', '.join(PROVIDER_NAMES)}")
