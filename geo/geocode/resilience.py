"""Retries with exponential backoff, and a throttle that keeps requests at least N seconds apart."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from .model import TransientError

T = TypeVar("T")


@dataclass(frozen=True)
class RetryPolicy:
    """How often and how patiently to retry a transient failure."""

    max_tries: int = 4
    first_delay_s: float = 1.0
    factor: float = 2.0
    max_delay_s: float = 30.0

    def __post_init__(self) -> None:
        if self.max_tries < 1:
            raise ValueError("max_tries must be at least 1")
        if self.first_delay_s < 0 or self.max_delay_s < 0 or self.factor < 1:
            raise ValueError("delays must be >= 0 and the factor >= 1")

    def delay_before(self, attempt: int, retry_after: float | None = None) -> float:
        """Seconds to wait before try number ``attempt`` (2, 3, ...); a server's Retry-After is honoured."""
        backoff = min(self.max_delay_s, self.first_delay_s * self.factor ** (attempt - 2))
        return max(backoff, min(retry_after or 0.0, self.max_delay_s))


class Throttle:
    """Spaces calls at least ``min_interval_s`` apart (Nominatim's policy: one request a second)."""

    def __init__(
        self,
        min_interval_s: float,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], None] = time.sleep,
    ):
        self.min_interval_s = min_interval_s
        self._clock = clock
        self._sleep = sleep
        self._last: float | None = None

    def wait(self) -> None:
        """Block until the next call is allowed, then mark it as made."""
        if self._last is not None and self.min_interval_s > 0:
            remaining = self._last + self.min_interval_s - self._clock()
            if remaining > 0:
                self._sleep(remaining)
        self._last = self._clock()


class RetriesExhausted(Exception):
    """Every try failed with a transient error; the reason is the last one."""

    def __init__(self, tries: int, last: TransientError):
        super().__init__(f"{last.reason} (gave up after {tries} tries)")
        self.tries = tries
        self.last = last


def call_with_retries(
    call: Callable[..., T], policy: RetryPolicy, sleep: Callable[[float], None] = time.sleep, args: tuple = ()
) -> T:
    """Run ``call``; on TransientError wait and try again, up to the policy's number of tries."""
    for attempt in range(1, policy.max_tries + 1):
        try:
            return call(*args)
        except TransientError as error:
            if attempt == policy.max_tries:
                raise RetriesExhausted(attempt, error) from error
            sleep(policy.delay_before(attempt + 1, error.retry_after))
    raise AssertionError("unreachable")
