"""A scripted engine for tests of :mod:`narrate.synth`: no network, no audio library."""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Mapping

from narrate.engines.base import Probe
from narrate.engines.spec import AudioFormat
from narrate.errors import EngineError


class FakeEngine:
    """Says ``b"audio:" + text``; queued errors per text are raised first."""

    name = "fake"
    max_chars = 100
    languages = frozenset({"hi"})
    audio_format: AudioFormat = "mp3"

    def __init__(self, *, voice: str = "v1", delay_s: float = 0.0) -> None:
        self.voice = voice
        self.delay_s = delay_s
        self.calls: list[str] = []
        self.errors: dict[str, deque[EngineError]] = {}
        self.always: dict[str, EngineError] = {}
        self.peak = 0
        self._in_flight = 0
        self._lock = threading.Lock()

    def fail(self, text: str, *errors: EngineError) -> None:
        self.errors.setdefault(text, deque()).extend(errors)

    def identity(self) -> Mapping[str, str]:
        return {"engine": self.name, "version": "1", "voice": self.voice, "language": "hi"}

    def synthesize(self, text: str) -> bytes:
        with self._lock:
            self.calls.append(text)
            self._in_flight += 1
            self.peak = max(self.peak, self._in_flight)
            queued = self.errors.get(text)
            error = self.always.get(text) or (queued.popleft() if queued else None)
        try:
            if self.delay_s:
                time.sleep(self.delay_s)
            if error is not None:
                raise error
            return b"audio:" + text.encode("utf-8")
        finally:
            with self._lock:
                self._in_flight -= 1

    def probe(self, timeout: float = 2.0) -> Probe:
        return Probe(True, "fake")
