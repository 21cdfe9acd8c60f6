"""A one-line progress bar over chunks on a terminal; silent otherwise."""

from __future__ import annotations

import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from narrate.synth import Progress


def clip_seconds(path: Path | None) -> float:
    """The length of a finished clip in seconds (WAV from its header, MP3 through mutagen);
    0 when it cannot be read: a progress bar never fails a build."""
    if path is None:
        return 0.0
    try:
        if path.suffix == ".wav":
            with wave.open(str(path), "rb") as w:
                return w.getnframes() / float(w.getframerate() or 1)
        import mutagen.mp3

        mp3: Any = mutagen.mp3  # partial type hints: used through Any
        return float(mp3.MP3(str(path)).info.length)
    except Exception:  # a bar reads what it can
        return 0.0


def clock_text(seconds: float) -> str:
    """``1:05`` or ``1:02:03``."""
    whole = max(0, round(seconds))
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class ChunkBar:
    """Draws ``[#####     ] 12/31 chunks · 1:05 audio · 4 cached · 8 spoken · 0:42 left``
    on stderr.

    The audio done is the length of the finished clips; the time left is the chunks still
    to speak times the time per spoken chunk since the bar was made (the article's start,
    model loading included), shown once one chunk is spoken.
    Enabled only when the stream is a terminal and not ``quiet``; redraws at most every
    100 ms; :meth:`close` clears the line. Called from worker threads.
    """

    def __init__(self, label: str, *, quiet: bool = False, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.label = label
        self.counts = {"cached": 0, "synthesized": 0, "retried": 0}
        self.total = 0
        self.audio_s = 0.0
        self._clock = clock
        self._started = clock()  # the article's start: model loading counts as time spent
        self._lock = threading.Lock()
        self._drawn = 0.0

    def __call__(self, event: Progress) -> None:
        with self._lock:
            now = self._clock()
            self.counts[event.kind] += 1
            self.total = event.total
            if event.kind != "retried" and self.enabled:
                self.audio_s += clip_seconds(event.path)
            if self.enabled and now - self._drawn >= 0.1:
                self._drawn = now
                self._draw()

    def seconds_left(self) -> float | None:
        """Estimated seconds until every chunk is done, or None before one was spoken."""
        spoken = self.counts["synthesized"]
        if not spoken:
            return None
        left = self.total - self.counts["cached"] - spoken
        return max(0.0, (self._clock() - self._started) / spoken * left)

    def line(self) -> str:
        """The bar's text (without the clearing escape)."""
        done = self.counts["cached"] + self.counts["synthesized"]
        width = 24
        filled = width * done // self.total if self.total else 0
        bar = "#" * filled + " " * (width - filled)
        line = (
            f"{self.label[:30]} [{bar}] {done}/{self.total} chunks · "
            f"{clock_text(self.audio_s)} audio · "
            f"{self.counts['cached']} cached · {self.counts['synthesized']} spoken"
        )
        if self.counts["retried"]:
            line += f" · {self.counts['retried']} retried"
        left = self.seconds_left()
        if left is not None and done < self.total:
            line += f" · {clock_text(left)} left"
        return line

    def _draw(self) -> None:
        self.stream.write("\r\x1b[2K" + self.line())
        self.stream.flush()

    def close(self) -> None:
        if self.enabled and self._drawn:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()
