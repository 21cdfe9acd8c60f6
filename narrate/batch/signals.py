"""Signals held while an episode is published, so Ctrl-C lands between episodes."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from types import FrameType


@contextlib.contextmanager
def signals_deferred() -> Iterator[None]:
    """Hold SIGINT and SIGTERM until the block ends, then act on the first that came:
    Ctrl-C lands after an episode is published whole (its files, the store, its page, the
    index and the feed), never in between.

    Python runs signal handlers in the main thread, whichever thread the kernel gave the
    signal to (a Dask client's or a pool's thread may take it), so blocking the signals in
    the main thread is not enough: for the block, the handlers themselves only note the
    signal. Elsewhere than the main thread handlers cannot be changed; nothing is held.

    A signal that comes when the process is already stopping (the handler before says so
    with a true ``stopping`` attribute) is not held: a second Ctrl-C means now, and the
    folder is safe against a kill at any moment anyway.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    caught: list[signal.Signals] = []

    def note(signum: int, frame: FrameType | None) -> None:
        handler = previous[signal.Signals(signum)]
        if callable(handler) and getattr(handler, "stopping", False):
            handler(signum, frame)  # a second signal means now (narrate.cli.Interrupts)
        caught.append(signal.Signals(signum))

    held = (signal.SIGINT, signal.SIGTERM)
    previous = {signum: signal.signal(signum, note) for signum in held}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        if caught:
            handler = previous[caught[0]]
            if callable(handler):
                handler(caught[0], None)  # KeyboardInterrupt, or the CLI's SIGTERM exit
            elif handler == signal.SIG_DFL:
                signal.raise_signal(caught[0])
