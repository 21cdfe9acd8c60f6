"""The chunk bar a user watches while Kokoro speaks: audio time done and time left."""

from __future__ import annotations

import io
import wave
from pathlib import Path

from narrate.cli._progress import ChunkBar, clip_seconds, clock_text
from narrate.synth import Progress


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def write_clip(path: Path, seconds: float, rate: int = 24_000) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(b"\0\0" * int(seconds * rate))
    return path


def test_clock_text() -> None:
    assert [clock_text(s) for s in (0, 59.4, 65, 3723)] == ["0:00", "0:59", "1:05", "1:02:03"]


def test_clip_seconds_reads_wav_and_forgives_the_rest(tmp_path: Path) -> None:
    assert clip_seconds(write_clip(tmp_path / "a.wav", 2.5)) == 2.5
    (tmp_path / "b.mp3").write_bytes(b"not audio")
    assert clip_seconds(tmp_path / "b.mp3") == 0.0
    assert clip_seconds(None) == 0.0


def test_the_bar_shows_audio_done_and_time_left(tmp_path: Path) -> None:
    clock = Clock()
    stream = Terminal()
    bar = ChunkBar("article.md", stream=stream, clock=clock)
    clip = write_clip(tmp_path / "c.wav", 6.0)
    bar(Progress("cached", 1, 6, 0, 0, path=clip))
    assert bar.seconds_left() is None  # nothing spoken yet: no estimate
    clock.now += 4.0
    bar(Progress("synthesized", 2, 6, 0, 1, path=clip))
    clock.now += 4.0
    bar(Progress("synthesized", 3, 6, 0, 2, path=clip))
    # 2 chunks spoken in 8 s, 3 still to speak: 12 s left.
    assert bar.seconds_left() == 12.0
    line = bar.line()
    assert "3/6 chunks · 0:18 audio · 1 cached · 2 spoken · 0:12 left" in line
    assert stream.getvalue().endswith(line)


def test_the_bar_is_silent_off_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    bar = ChunkBar("article.md", stream=stream)
    bar(Progress("synthesized", 1, 2, 0, 0, path=write_clip(tmp_path / "c.wav", 1.0)))
    bar.close()
    assert stream.getvalue() == ""
