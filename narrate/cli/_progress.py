"""A one-line progress bar over chunks on a terminal; silent otherwise."""

from __future__ import annotations

import sys
import threading
import time
from typing import TextIO

from narrate.synth import Progress


class ChunkBar:
    """Draws ``[#####     ] 12/31 chunks · 4 cached · 8 spoken · 1 retried`` on stderr.

    Enabled only when the stream is a terminal and not ``quiet``; redraws at most every
    100 ms; :meth:`close` clears the line. Called from worker threads.
    """

    def __init__(self, label: str, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.label = label
        self.counts = {"cached": 0, "synthesized": 0, "retried": 0}
        self.total = 0
        self._lock = threading.Lock()
        self._drawn = 0.0

    def __call__(self, event: Progress) -> None:
        with self._lock:
            self.counts[event.kind] += 1
            self.total = event.total
            now = time.monotonic()
            if self.enabled and now - self._drawn >= 0.1:
                self._drawn = now
                self._draw()

    def _draw(self) -> None:
        done = self.counts["cached"] + self.counts["synthesized"]
        width = 24
        filled = width * done // self.total if self.total else 0
        bar = "#" * filled + " " * (width - filled)
        line = (
            f"{self.label[:30]} [{bar}] {done}/{self.total} chunks · "
            f"{self.counts['cached']} cached · {self.counts['synthesized']} spoken"
        )
        if self.counts["retried"]:
            line += f" · {self.counts['retried']} retried"
        self.stream.write("\r\x1b[2K" + line)
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
