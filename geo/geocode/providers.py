"""Geocoding providers, chosen by name. Each one's network call is separate from its parsing (parsing.py)."""

from __future__ import annotations

import os
import tomllib
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


def _http_get_json(url: str, params: dict, timeout_s: float, session: requests.Session) -> object:
    """GET and decode JSON, turning every network fault into a Transient or Permanent error."""
    try:
        response = session.get(url, params=params, timeout=timeout_s)
    except requests.Timeout as exc:
        raise TransientError(f"timed out after {timeout_s:g} s") from exc
    except requests.ConnectionError as exc:
        raise TransientError(f"connection failed: {type(exc).__name__}") from exc
    if response.status_code == 429 or response.status_code >= 500:
        retry_after = response.headers.get("Retry-After")
        delay = float(retry_after) if retry_after and retry_after.replace(".", "", 1).isdigit() else None
        raise TransientError(f"HTTP {response.status_code}", retry_after=delay)
    if response.status_code >= 400:
        raise PermanentError(f"HTTP {response.status_code}: {response.text[:200]}")
    try:
        return response.json()
    except ValueError as exc:
        raise PermanentError("the answer is not JSON") from exc


class AmapProvider:
    """Gaode/AMap web geocoding (GCJ-02 answers, converted to WGS-84 by the parser)."""

    name = "amap"
    cacheable = True
    min_interval_s = 0.0

    def __init__(self, key: str, endpoint: str = AMAP_DEFAULT_ENDPOINT, timeout_s: float = DEFAULT_TIMEOUT_S, city: str = "北京"):
        self.key = key
        self.url = endpoint.rstrip("/") + "/v3/geocode/geo"
        self.timeout_s = timeout_s
        self.city = city
        self._session = requests.Session()

    def lookup(self, query: str) -> Candidate | None:
        params = {"key": self.key, "address": query, "city": self.city, "output": "JSON"}
        return parse_amap_geocode(_http_get_json(self.url, params, self.timeout_s, self._session))


class NominatimProvider:
    """OpenStreetMap's Nominatim through geopy (WGS-84 answers)."""

    name = "nominatim"
    cacheable = True

    def __init__(self, endpoint: str = NOMINATIM_DEFAULT_ENDPOINT, user_agent: str = DEFAULT_USER_AGENT,
                 timeout_s: float = DEFAULT_TIMEOUT_S, min_interval_s: float = NOMINATIM_POLICY_INTERVAL_S):
        from geopy.geocoders import Nominatim

        parts = urlsplit(endpoint if "://" in endpoint else f"https://{endpoint}")
        if not parts.netloc:
            raise ConfigurationError(f"not a usable endpoint: {endpoint!r}")
        if parts.hostname == NOMINATIM_PUBLIC_HOST:
            # The public server's policy is not ours to relax, whatever the caller asks for.
            min_interval_s = max(min_interval_s, NOMINATIM_POLICY_INTERVAL_S)
        self.min_interval_s = min_interval_s
        self._client = Nominatim(
            domain=parts.netloc + parts.path.rstrip("/"), scheme=parts.scheme, user_agent=user_agent, timeout=timeout_s,
            adapter_factory=_adapter_without_retries,
        )

    def lookup(self, query: str) -> Candidate | None:
        from geopy import exc as geopy_errors

        try:
            location = self._client.geocode(query, exactly_one=True, country_codes="cn")
        except geopy_errors.GeocoderTimedOut as error:
            raise TransientError("timed out") from error
        except geopy_errors.GeocoderRateLimited as error:
            raise TransientError("HTTP 429 (rate limited)", retry_after=error.retry_after) from error
        except (geopy_errors.GeocoderUnavailable, geopy_errors.GeocoderServiceError) as error:
            if isinstance(error, (geopy_errors.GeocoderAuthenticationFailure, geopy_errors.GeocoderInsufficientPrivileges,
                                  geopy_errors.GeocoderQueryError, geopy_errors.GeocoderParseError,
                                  geopy_errors.GeocoderQuotaExceeded)):
                raise PermanentError(f"Nominatim refused the request: {error}") from error
            raise TransientError(f"service unavailable: {error}") from error
        return parse_nominatim_place(location.raw if location is not None else None)


def _adapter_without_retries(proxies=None, ssl_context=None):
    """geopy's requests adapter retries timeouts on its own by default (urllib3, twice): hidden requests that
    would multiply our bounded tries and slip past the one-a-second throttle. Ours are the only retries."""
    from geopy.adapters import RequestsAdapter

    return RequestsAdapter(proxies=proxies, ssl_context=ssl_context, max_retries=0)


def amap_key(environ: dict | None = None, secrets_path: Path | None = None) -> str | None:
    """The AMap key from $AMAP_KEY, else from Streamlit's secrets file (read as TOML, not through Streamlit)."""
    environ = os.environ if environ is None else environ
    if environ.get("AMAP_KEY"):
        return environ["AMAP_KEY"]
    path = secrets_path or Path(".streamlit") / "secrets.toml"
    if path.exists():
        with open(path, "rb") as f:
            secrets = tomllib.load(f)
        key = secrets.get("amap_key") or secrets.get("AMAP_KEY") or (secrets.get("amap") or {}).get("key")
        return str(key) if key else None
    return None


def make_provider(name: str, endpoint: str | None = None, timeout_s: float = DEFAULT_TIMEOUT_S,
                  min_interval_s: float | None = None, user_agent: str = DEFAULT_USER_AGENT,
                  data_dir: Path | None = None) -> Provider:
    """The provider called ``name``, pointed at ``endpoint`` when one is given (a mirror or a test server)."""
    if name == "gazetteer":
        return GazetteerProvider(load_gazetteer(data_dir) if data_dir else load_gazetteer())
    if name == "nominatim":
        interval = NOMINATIM_POLICY_INTERVAL_S if min_interval_s is None else min_interval_s
        return NominatimProvider(endpoint or NOMINATIM_DEFAULT_ENDPOINT, user_agent, timeout_s, interval)
    if name == "amap":
        key = amap_key()
        if not key:
            raise ConfigurationError("the amap provider needs a key: set AMAP_KEY, or amap_key in .streamlit/secrets.toml")
        provider = AmapProvider(key, endpoint or AMAP_DEFAULT_ENDPOINT, timeout_s)
        if min_interval_s:
            provider.min_interval_s = min_interval_s
        return provider
    raise ConfigurationError(f"unknown provider {name!r}: expected one of {', '.join(PROVIDER_NAMES)}")
