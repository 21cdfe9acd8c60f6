"""An adaptive limit on requests in flight to one service, shared by everything that calls it.

Google answers 429 when a client asks too fast, and the rate it tolerates is not published
and changes. So the limit is found the way TCP finds a window (AIMD): it halves when Google
answers 429 or stops answering, and grows by one after a run of successes as long as the
limit, never above ``max_limit`` (``--jobs``) nor below 1.

One :class:`AdaptiveLimiter` can be shared by the threads of several articles at once, so a
batch keeps a single budget. It counts threads of one process; separate processes each need
their own (or a smaller ``max_limit`` each).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Literal

from narrate.stop import Cancelled

Outcome = Literal["success", "congestion", "failure"]

#: How often a waiting thread looks at its cancel event.
_POLL_S = 0.05


@dataclass(frozen=True)
class Slot:
    """Permission to send one request. ``epoch`` is the limiter's decrease count when it was
    granted: a 429 to a request sent under an older, higher limit does not halve again."""

    epoch: int


class AdaptiveLimiter:
    """How many requests may be in flight at once, adapted to the answers (AIMD)."""

    def __init__(self, max_limit: int = 8, *, initial: int | None = None) -> None:
        if max_limit < 1:
            raise ValueError(f"max_limit must be at least 1, not {max_limit}")
        self.max_limit = max_limit
        start = max_limit if initial is None else initial
        self._limit = min(max(1, start), max_limit)
        self._in_flight = 0
        self._successes = 0
        self._epoch = 0
        self._peak = 0
        self._lowest = self._limit
        self._cond = threading.Condition()

    @property
    def limit(self) -> int:
        """Requests allowed in flight right now."""
        with self._cond:
            return self._limit

    @property
    def in_flight(self) -> int:
        with self._cond:
            return self._in_flight

    @property
    def peak(self) -> int:
        """The most requests that were ever in flight at once."""
        with self._cond:
            return self._peak

    @property
    def lowest(self) -> int:
        """The lowest the limit has been."""
        with self._cond:
            return self._lowest

    @property
    def decreases(self) -> int:
        """How many times the limit was halved."""
        with self._cond:
            return self._epoch

    def acquire(self, cancel: threading.Event | None = None) -> Slot:
        """Wait for room under the limit. Raises :class:`Cancelled` once ``cancel`` is set."""
        with self._cond:
            while self._in_flight >= self._limit:
                if cancel is not None and cancel.is_set():
                    raise Cancelled
                self._cond.wait(_POLL_S if cancel is not None else None)
            if cancel is not None and cancel.is_set():
                raise Cancelled
            self._in_flight += 1
            self._peak = max(self._peak, self._in_flight)
            return Slot(self._epoch)

    def release(self, slot: Slot, outcome: Outcome) -> None:
        """Give the slot back, saying how the request went.

        ``congestion`` (429, no answer in time) halves the limit once per epoch;
        ``success`` counts towards the next +1; ``failure`` (other errors) changes nothing.
        """
        with self._cond:
            self._in_flight -= 1
            if outcome == "congestion":
                if slot.epoch == self._epoch:
                    self._limit = max(1, self._limit // 2)
                    self._lowest = min(self._lowest, self._limit)
                    self._epoch += 1
                    self._successes = 0
            elif outcome == "success":
                self._successes += 1
                if self._successes >= self._limit and self._limit < self.max_limit:
                    self._limit += 1
                    self._successes = 0
            self._cond.notify_all()
