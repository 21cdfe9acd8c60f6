"""A request to stop, shared by the parts of a run: set once, seen at once by everything
that works for it.

A build's parts wait in different places: a batch waits for its articles, an article's
synthesis for its chunks, a chunk for the engine, and an engine may sit in a long native
call (an onnxruntime run of several seconds) that no Python signal handler can reach. A
:class:`Stop` is the one thing they share: the caller makes one and passes it down, and
each part either waits on it (it is a :class:`threading.Event`), makes a :meth:`child` for
work of its own (a child is set with its parent, never the other way round: one article
failing stops its own chunks, not its neighbours), or registers what to do the moment it is
set (:meth:`on_set`: cancel a queued run, raise onnxruntime's terminate flag), the way
distributed cancels its tasks rather than waiting them out.

An engine is called as ``engine.synthesize(text)``; the stop of the run that asked is
:func:`current` while it runs (set by :func:`scope` in the thread that calls the engine),
so an engine with a long native call can honour it without a second way of being called.
"""

from __future__ import annotations

import contextlib
import contextvars
import logging
import threading
from collections.abc import Callable, Iterator

log = logging.getLogger(__name__)


class Cancelled(Exception):
    """The work was stopped on purpose (its :class:`Stop` was set): not a failure of its
    own. Whoever set the stop says why."""


class Stop(threading.Event):
    """An event that also sets its children and calls its callbacks when it is set."""

    def __init__(self) -> None:
        super().__init__()
        self._guard = threading.Lock()
        self._children: list[Stop] = []
        self._callbacks: dict[int, Callable[[], None]] = {}
        self._next = 0

    def child(self) -> Stop:
        """A new stop that is set when this one is (at once, if it already is)."""
        child = Stop()
        with self._guard:
            already = self.is_set()
            if not already:
                self._children.append(child)
        if already:
            child.set()
        return child

    def set(self) -> None:
        """Set this stop, then its children, then run its callbacks (each once)."""
        with self._guard:
            if self.is_set():
                return
            super().set()
            children, self._children = self._children, []
            callbacks, self._callbacks = list(self._callbacks.values()), {}
        for child in children:
            child.set()
        for callback in callbacks:
            try:
                callback()
            except Exception:  # stopping goes on: one callback must not keep the others
                log.exception("a stop callback failed")

    @contextlib.contextmanager
    def on_set(self, callback: Callable[[], None]) -> Iterator[None]:
        """Call ``callback`` (from the thread that sets the stop) if the stop is set while
        the block runs; at once if it already is."""
        with self._guard:
            already = self.is_set()
            if not already:
                token = self._next
                self._next += 1
                self._callbacks[token] = callback
        if already:
            callback()
        try:
            yield
        finally:
            if not already:
                with self._guard:
                    self._callbacks.pop(token, None)

    def check(self) -> None:
        """Raise :class:`Cancelled` when the stop is set: a place where work may end."""
        if self.is_set():
            raise Cancelled


_current: contextvars.ContextVar[Stop | None] = contextvars.ContextVar("narrate_stop",
                                                                     default=None)


def current() -> Stop | None:
    """The stop of the run this thread works for, while an engine is called (see
    :func:`scope`); None outside."""
    return _current.get()


@contextlib.contextmanager
def scope(stop: Stop | None) -> Iterator[None]:
    """Make ``stop`` :func:`current` in this thread for the block."""
    token = _current.set(stop)
    try:
        yield
    finally:
        _current.reset(token)
