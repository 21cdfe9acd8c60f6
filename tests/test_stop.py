"""One Stop shared by a run's parts: children follow their parent (never the other way),
callbacks run at once, and a synthesis stops without waiting for the engine."""

from __future__ import annotations

import threading
import time
from pathlib import Path

import pytest

from narrate.cache import ClipCache
from narrate.stop import Cancelled, Stop, current, scope
from narrate.synth import Progress, synthesize
from tests.fakes.engine import FakeEngine
from tests.fakes.scripts import make_script, numbered_script


def test_a_child_follows_its_parent_and_not_the_other_way() -> None:
    parent = Stop()
    one, two = parent.child(), parent.child()
    one.set()
    assert one.is_set() and not parent.is_set() and not two.is_set()
    parent.set()
    assert two.is_set()
    assert parent.child().is_set()  # a child of a set stop is set at once


def test_callbacks_run_when_set_and_only_while_registered() -> None:
    stop = Stop()
    calls: list[str] = []
    with stop.on_set(lambda: calls.append("inside")):
        pass
    with stop.on_set(lambda: calls.append("now")):
        stop.set()
        stop.set()  # once
    with stop.on_set(lambda: calls.append("already")):
        pass
    assert calls == ["now", "already"]
    with pytest.raises(Cancelled):
        stop.check()


def test_the_current_stop_is_the_threads_own_for_the_block() -> None:
    stop = Stop()
    seen: list[Stop | None] = []
    with scope(stop):
        seen.append(current())
        other = threading.Thread(target=lambda: seen.append(current()))
        other.start()
        other.join()
    seen.append(current())
    assert seen == [stop, None, None]


class Slow(FakeEngine):
    """Each request takes ``delay_s`` and cannot be interrupted (a request to a server
    that does not answer); ``prepare`` is recorded."""

    prepared = 0

    def prepare(self) -> None:
        self.prepared += 1


def test_a_stopped_synthesis_does_not_wait_for_the_engine(tmp_path: Path) -> None:
    engine = Slow(delay_s=10.0)
    stop = Stop()
    events: list[Progress] = []
    threading.Timer(0.3, stop.set).start()
    start = time.monotonic()
    with pytest.raises(Cancelled):
        synthesize(numbered_script(8), engine, ClipCache(tmp_path), stop=stop, jobs=4,
                   progress=events.append)
    assert time.monotonic() - start < 3.0  # waiting for the engine would take 10 s
    assert engine.prepared == 1
    assert [e.kind for e in events] == ["loading", "speaking"]  # nothing after the stop


def test_prepare_is_called_once_and_only_when_there_is_something_to_say(
    tmp_path: Path,
) -> None:
    engine = Slow()
    cache = ClipCache(tmp_path)
    script = make_script({"क": ["एक।", "दो।"]})
    synthesize(script, engine, cache)
    synthesize(script, engine, cache)  # all cached: no model to load
    assert engine.prepared == 1
