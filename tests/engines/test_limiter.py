"""AIMD: halve on congestion (once per epoch), +1 after a run of successes, within bounds."""

from __future__ import annotations

import threading
import time

import pytest

from narrate.engines.limiter import AdaptiveLimiter
from narrate.stop import Cancelled


def test_starts_at_the_cap_and_halves_down_to_one() -> None:
    limiter = AdaptiveLimiter(8)
    assert limiter.limit == 8
    for expected in (4, 2, 1, 1):
        limiter.release(limiter.acquire(), "congestion")
        assert limiter.limit == expected
    assert limiter.lowest == 1


def test_answers_to_requests_sent_under_the_old_limit_halve_once() -> None:
    limiter = AdaptiveLimiter(8)
    slots = [limiter.acquire() for _ in range(8)]
    for slot in slots:
        limiter.release(slot, "congestion")
    assert limiter.limit == 4
    assert limiter.decreases == 1


def test_grows_by_one_after_a_run_of_successes_up_to_the_cap() -> None:
    limiter = AdaptiveLimiter(4, initial=1)
    for expected in (2, 3, 4):
        for _ in range(expected - 1):
            limiter.release(limiter.acquire(), "success")
        assert limiter.limit == expected
    for _ in range(20):
        limiter.release(limiter.acquire(), "success")
    assert limiter.limit == 4


def test_failures_change_nothing() -> None:
    limiter = AdaptiveLimiter(3)
    limiter.release(limiter.acquire(), "failure")
    assert limiter.limit == 3


def test_acquire_waits_for_room() -> None:
    limiter = AdaptiveLimiter(1)
    first = limiter.acquire()
    got = threading.Event()

    def second() -> None:
        limiter.release(limiter.acquire(), "success")
        got.set()

    thread = threading.Thread(target=second)
    thread.start()
    assert not got.wait(0.1)
    limiter.release(first, "success")
    assert got.wait(2)
    thread.join()
    assert limiter.peak == 1


def test_acquire_gives_up_when_cancelled() -> None:
    limiter = AdaptiveLimiter(1)
    limiter.acquire()
    cancel = threading.Event()
    threading.Timer(0.05, cancel.set).start()
    started = time.monotonic()
    with pytest.raises(Cancelled):
        limiter.acquire(cancel)
    assert time.monotonic() - started < 3.0  # without the cancel it waits for ever


def test_rejects_a_cap_below_one() -> None:
    with pytest.raises(ValueError):
        AdaptiveLimiter(0)
