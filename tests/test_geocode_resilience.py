"""Retries, backoff and the throttle, on a fake clock: no test waits for real seconds."""

from __future__ import annotations

import pytest

from geo.geocode.model import TransientError
from geo.geocode.resilience import RetriesExhausted, RetryPolicy, Throttle, call_with_retries


class FakeClock:
    def __init__(self):
        self.now = 0.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds


def test_backoff_doubles_and_is_capped():
    policy = RetryPolicy(max_tries=6, first_delay_s=1, factor=2, max_delay_s=5)
    assert [policy.delay_before(n) for n in range(2, 7)] == [1, 2, 4, 5, 5]


def test_retry_after_is_honoured_but_capped():
    policy = RetryPolicy(first_delay_s=1, max_delay_s=30)
    assert policy.delay_before(2, retry_after=10) == 10
    assert policy.delay_before(2, retry_after=3600) == 30


def test_transient_failures_are_retried_then_succeed():
    clock = FakeClock()
    answers = iter([TransientError("HTTP 500"), TransientError("HTTP 429", retry_after=3), "ok"])

    def call():
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    assert call_with_retries(call, RetryPolicy(max_tries=4, first_delay_s=1), sleep=clock.sleep) == "ok"
    assert clock.sleeps == [1, 3]


def test_tries_are_bounded_and_the_last_reason_is_kept():
    clock = FakeClock()
    calls = []

    def call():
        calls.append(1)
        raise TransientError("timed out after 10 s")

    with pytest.raises(RetriesExhausted, match=r"timed out after 10 s \(gave up after 3 tries\)"):
        call_with_retries(call, RetryPolicy(max_tries=3, first_delay_s=0.5), sleep=clock.sleep)
    assert len(calls) == 3 and clock.sleeps == [0.5, 1.0]


def test_other_errors_are_not_retried():
    calls = []

    def call():
        calls.append(1)
        raise KeyError("bug")

    with pytest.raises(KeyError):
        call_with_retries(call, RetryPolicy(max_tries=5), sleep=lambda s: None)
    assert len(calls) == 1


def test_throttle_spaces_calls_one_second_apart():
    clock = FakeClock()
    throttle = Throttle(1.0, clock=clock, sleep=clock.sleep)
    for _ in range(4):
        throttle.wait()
        clock.now += 0.25  # the request itself takes a quarter second
    assert clock.sleeps == [0.75, 0.75, 0.75]


def test_policy_rejects_nonsense():
    with pytest.raises(ValueError):
        RetryPolicy(max_tries=0)
