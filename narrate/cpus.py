"""The cores narrate uses: how many this process may use (a batch's default workers, a local
cluster's worker processes, Kokoro's parallel runs), and pinning a batch's workers one to a
core."""

from __future__ import annotations

import itertools
import logging
import os
from collections.abc import Callable, Sequence

log = logging.getLogger(__name__)

#: Set to 0 to leave batch workers unpinned (see :func:`worker_cpus`).
PIN_ENV = "NARRATE_PIN_WORKERS"


def cores() -> int:
    """The cores this process may use: the process's set (its main thread's), so a worker
    thread pinned to one core still sees them all."""
    if hasattr(os, "sched_getaffinity"):
        try:
            return max(1, len(os.sched_getaffinity(os.getpid())))
        except OSError:
            pass
    return max(1, os.cpu_count() or 1)


def worker_cpus(workers: int) -> tuple[int, ...] | None:
    """The CPU each of ``workers`` worker threads is pinned to, or None to let the OS
    schedule them.

    ffmpeg (7 and later) runs each stage of an encode (reading, decoding, filtering,
    encoding, writing) in a thread of its own and hands every frame from one to the next.
    Alone, an encode spreads over two cores and pays a cross-core wake-up for each hand-off:
    about 1.2 cores busy for one core's work. A batch that keeps every core busy gains
    nothing from that spread, so each worker thread is pinned to one CPU, and every process
    it starts inherits the pin (a child takes the affinity of the thread that starts it).
    On this project's 2-core machine, 20 encodes took 1.47 s as two unpinned streams and
    1.27 s pinned. A lone article is never pinned: there the spread is a gain.

    Pinning needs ``os.sched_setaffinity`` (Linux), at least two CPUs, a worker count that
    the CPUs this process may use divide evenly (the default, one per core, does), and
    ``NARRATE_PIN_WORKERS`` not set to ``0``.
    """
    if workers < 2 or os.environ.get(PIN_ENV, "1").strip() == "0":
        return None
    if not hasattr(os, "sched_setaffinity") or not hasattr(os, "sched_getaffinity"):
        return None
    cpus = sorted(os.sched_getaffinity(0))
    if len(cpus) < 2 or workers % len(cpus):
        return None
    return tuple(cpus[i % len(cpus)] for i in range(workers))


def pinner(cpus: Sequence[int]) -> Callable[[], None]:
    """A thread-pool initializer pinning each new thread to the next CPU of ``cpus``."""
    slots = itertools.count()

    def pin() -> None:
        cpu = cpus[next(slots) % len(cpus)]
        try:
            os.sched_setaffinity(0, {cpu})
        except OSError as e:  # a CPU taken away meanwhile: run unpinned
            log.debug("cannot pin a worker to CPU %d (%s)", cpu, e)

    return pin
