"""What a geocoder returns, and the two kinds of failure it can meet."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUS_OK = "ok"
STATUS_NOT_FOUND = "not_found"
STATUS_ERROR = "error"

FLAG_OUTSIDE_BEIJING = "outside_beijing"


class TransientError(Exception):
    """A failure worth retrying: a timeout, HTTP 429 or 5xx, a provider's rate-limit answer."""

    def __init__(self, reason: str, retry_after: float | None = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


class PermanentError(Exception):
    """A failure that retrying will not fix: a bad key, a refused query, an unreadable answer."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Candidate:
    """A provider's answer, already in WGS-84, with the datum the provider gave it in."""

    lon: float
    lat: float
    datum_source: str
    match: str
    label: str = ""
    precision_m: float | None = None


@dataclass(frozen=True)
class GeocodeResult:
    """The outcome for one query: ok with a point, not_found, or error with the reason."""

    query: str
    provider: str
    status: str
    candidate: Candidate | None = None
    reason: str = ""
    from_cache: bool = False
    flags: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.status == STATUS_OK
