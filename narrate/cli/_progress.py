"""A one-line progress bar over chunks on a terminal; silent otherwise."""

from __future__ import annotations

import sys
import threading
import time
import wave
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from narrate.model import clock
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
    """``1:05`` or ``1:02:03``: :func:`narrate.model.clock`, the one rule for lengths."""
    return clock(int(max(0.0, seconds) * 1000))


class ChunkBar:
    """Draws ``[#####     ] 12/31 chunks · 1:05 audio · 4 cached · 8 spoken · about 0:42
    left`` on stderr, from the first moment of the article.

    Before the first chunk it says what is happening (``reading the article``, ``loading
    the voice``, or what the command sets with :meth:`phase`) and how long it has taken, and
    it is redrawn every half second so that a silent minute never looks stuck. The audio
    done is the length of the finished clips (the episode's own length, with its pauses,
    is the summary line's). The time left is the characters still to speak at the pace
    the engine has kept since it began to speak (a model's loading is not speaking, see
    ``Progress("speaking")``): an engine's time follows the length of what it says, not
    the number of chunks. It is shown once a chunk has been spoken.

    Enabled only when the stream is a terminal and not ``quiet``; :meth:`close` clears the
    line. Events come from worker threads.
    """

    #: Seconds between redraws of the clock while nothing else happens.
    TICK_S = 0.5

    def __init__(self, label: str, *, quiet: bool = False, stream: TextIO | None = None,
                 clock: Callable[[], float] = time.monotonic, ticking: bool = True) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and self.stream.isatty()
        self.label = label
        self.counts = {"cached": 0, "synthesized": 0, "retried": 0}
        self.total = 0
        self.audio_s = 0.0
        self.doing = "reading the article"
        #: Characters to speak (from ``speaking``) and spoken so far.
        self.to_speak = 0
        self.spoken = 0
        self._clock = clock
        self._started = clock()
        self._speaking_since: float | None = None
        self._chunks_to_speak = 0
        #: When each spoken chunk ended, and its characters.
        self._spoken_at: list[tuple[float, int]] = []
        self._lock = threading.Lock()
        self._closed = threading.Event()
        self._drawn = False
        if self.enabled:
            self._draw()
            if ticking:
                threading.Thread(target=self._tick, name="narrate-bar", daemon=True).start()

    def phase(self, doing: str) -> None:
        """Say what happens before the chunks begin (``asking Google``)."""
        with self._lock:
            self.doing = doing
            self._draw()

    def say(self, line: str) -> None:
        """Print ``line`` above the bar (on the bar's stream), then draw the bar again."""
        with self._lock:
            if self.enabled and self._drawn and not self._closed.is_set():
                self.stream.write("\r\x1b[2K")
            self.stream.write(line + "\n")
            self._draw()

    def __call__(self, event: Progress) -> None:
        with self._lock:
            if event.kind == "loading":
                self.doing = "loading the voice"
                self.total = event.total
            elif event.kind == "speaking":
                self.doing = "speaking"
                self.total = event.total
                self.to_speak = event.chars
                self._chunks_to_speak = event.total - self.counts["cached"]
                self._speaking_since = self._clock()
            else:
                self.counts[event.kind] += 1
                self.total = event.total
                if event.kind == "synthesized" and event.chars:
                    self.spoken += event.chars
                    self._spoken_at.append((self._clock(), event.chars))
                if event.kind != "retried" and self.enabled:
                    self.audio_s += clip_seconds(event.path)
            self._draw()

    #: Chunks spoken before the time left is shown (fewer for a short script): with two runs
    #: at once, the first chunks end in pairs and say little of the pace yet.
    ESTIMATE_AFTER = 4
    #: The pace between chunks may be at most this many times the pace since speaking
    #: began (which counts nothing of the chunks in flight, so it is slow by up to their
    #: share): a burst of chunks ending together is not a pace.
    PACE_SPREAD = 1.5

    def seconds_left(self) -> float | None:
        """Estimated seconds until every chunk is spoken, or None while too little is.

        The pace is characters per second between the first chunk spoken and the last
        (the chunks in flight all along), kept between the pace since speaking began and
        :data:`PACE_SPREAD` times it; the characters left at that pace, less the time since
        the last chunk (at most one chunk's). Checked against simulated runs of one to four
        chunks at once (tests/engines/test_kokoro_progress.py): within a third of the time
        left, give or take three seconds for the last chunk.
        """
        done = self._spoken_at
        wanted = min(self.ESTIMATE_AFTER, max(1, self._chunks_to_speak // 2))
        if self._speaking_since is None or len(done) < wanted or not self.spoken:
            return None
        now = self._clock()
        since_start = self.spoken / max(now - self._speaking_since, 1e-6)
        (first, first_chars), (last, _) = done[0], done[-1]
        pace = (self.spoken - first_chars) / (last - first) if last > first else since_start
        pace = min(max(pace, since_start), self.PACE_SPREAD * since_start)
        left = (self.to_speak - self.spoken) / pace
        one_chunk = self.spoken / len(done) / pace
        return max(0.0, left - min(now - last, one_chunk))

    def line(self) -> str:
        """The bar's text (without the clearing escape)."""
        done = self.counts["cached"] + self.counts["synthesized"]
        elapsed = clock_text(self._clock() - self._started)
        if not self.total:
            return f"{self.label[:30]} · {self.doing} · {elapsed}"
        width = 24
        filled = width * done // self.total
        bar = "#" * filled + " " * (width - filled)
        head = f"{self.label[:30]} [{bar}] {done}/{self.total} chunks"
        if done == self.total:
            return f"{head} · mixing · {elapsed}"
        line = f"{head} · {clock_text(self.audio_s)} audio"
        if self.counts["cached"]:
            line += f" · {self.counts['cached']} cached"
        if self.counts["synthesized"]:
            line += f" · {self.counts['synthesized']} spoken"
        if self.counts["retried"]:
            line += f" · {self.counts['retried']} retried"
        left = self.seconds_left()
        if left is not None:
            return f"{line} · about {clock_text(left)} left"
        return f"{line} · {self.doing} · {elapsed}"

    def _draw(self) -> None:
        if not self.enabled or self._closed.is_set():
            return
        self.stream.write("\r\x1b[2K" + self.line())
        self.stream.flush()
        self._drawn = True

    def _tick(self) -> None:
        while not self._closed.wait(self.TICK_S):
            with self._lock:
                self._draw()

    def close(self) -> None:
        with self._lock:
            if self._closed.is_set():
                return
            self._closed.set()
            if self.enabled and self._drawn:
                self.stream.write("\r\x1b[2K")
                self.stream.flush()
