"""The chunk bar a user watches while Kokoro speaks: audio time done and time left."""

from __future__ import annotations

import io
import random
import wave
from pathlib import Path

import pytest

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


def test_the_bar_says_what_happens_from_the_first_moment(tmp_path: Path) -> None:
    clock = Clock()
    stream = Terminal()
    bar = ChunkBar("article.md", stream=stream, clock=clock, ticking=False)
    assert stream.getvalue().endswith("article.md · reading the article · 0:00")
    bar.phase("asking whether Google answers")
    assert stream.getvalue().endswith("article.md · asking whether Google answers · 0:00")
    clock.now += 1.0
    bar(Progress("loading", 0, 6, -1, -1))
    assert stream.getvalue().endswith("0/6 chunks · 0:00 audio · loading the voice · 0:01")
    clip = write_clip(tmp_path / "c.wav", 6.0)
    bar(Progress("cached", 1, 6, 0, 0, path=clip))
    clock.now += 7.0
    bar(Progress("speaking", 0, 6, -1, -1, chars=500))
    assert bar.line().endswith("1/6 chunks · 0:06 audio · 1 cached · speaking · 0:08")
    assert bar.seconds_left() is None  # nothing spoken yet: no estimate


def test_the_time_left_counts_characters_from_the_moment_speaking_began(tmp_path: Path
                                                                       ) -> None:
    clock = Clock()
    bar = ChunkBar("article.md", stream=Terminal(), clock=clock, ticking=False)
    clock.now += 8.0  # the model loading: not speaking
    bar(Progress("speaking", 0, 10, -1, -1, chars=1000))
    clip = write_clip(tmp_path / "c.wav", 5.0)
    for n in range(1, 5):  # 100 characters every 2 s
        clock.now += 2.0
        bar(Progress("synthesized", n, 10, 0, n - 1, path=clip, chars=100))
    # 600 characters left at 50 a second; the load is not counted
    assert bar.seconds_left() == 12.0
    line = bar.line()
    assert "4/10 chunks · 0:20 audio · 4 spoken · about 0:12 left" in line


def test_the_bar_says_mixing_when_every_chunk_is_done(tmp_path: Path) -> None:
    clock = Clock()
    bar = ChunkBar("article.md", stream=Terminal(), clock=clock, ticking=False)
    bar(Progress("speaking", 0, 1, -1, -1, chars=10))
    bar(Progress("synthesized", 1, 1, 0, 0, path=write_clip(tmp_path / "c.wav", 1.0),
                 chars=10))
    assert bar.line().endswith("1/1 chunks · mixing · 0:00")


def simulated_run(seed: int, runs: int) -> tuple[float, int, list[tuple[float, int]]]:
    """A Kokoro-like run: the model loads for 1-8 s, then ``runs`` chunks are spoken at
    once, each in a time that follows its length (0.03-0.06 s a character, 0.85-1.2
    times that), taken in order as a run frees up. The load's end, the characters to
    speak and each chunk's end."""
    rng = random.Random(seed)
    chars = [rng.randint(60, 150) for _ in range(rng.randint(12, 40))]
    pace = rng.uniform(0.03, 0.06)
    load = rng.uniform(1.0, 8.0)
    free = [load] * runs
    ends = []
    for n in chars:
        k = min(range(runs), key=free.__getitem__)
        free[k] += n * pace * rng.uniform(0.85, 1.2)
        ends.append((free[k], n))
    return load, sum(chars), sorted(ends)


@pytest.mark.parametrize("runs", [1, 2, 4])
def test_the_estimate_is_honest_after_ten_seconds(runs: int) -> None:
    """Over many simulated runs, every estimate shown after the first ten seconds is within
    a third of the time really left, give or take three seconds (the last chunk)."""
    shown = wrong = 0
    for seed in range(200):
        load, to_speak, ends = simulated_run(seed, runs)
        clock = Clock()
        clock.now = 0.0
        bar = ChunkBar("a.md", stream=Terminal(), clock=clock, ticking=False)
        clock.now = load
        bar(Progress("speaking", 0, len(ends), -1, -1, chars=to_speak))
        pending = iter(enumerate(ends, start=1))
        upcoming = next(pending, None)
        moment = 10.0
        while moment < ends[-1][0]:
            while upcoming is not None and upcoming[1][0] <= moment:
                n, (at, chars) = upcoming
                clock.now = at
                bar(Progress("synthesized", n, len(ends), 0, n - 1, chars=chars))
                upcoming = next(pending, None)
            clock.now = moment
            left = bar.seconds_left()
            if left is not None:
                truth = ends[-1][0] - moment
                shown += 1
                wrong += abs(left - truth) > truth / 3 + 3.0
            moment += 0.5
    assert shown > 1000
    assert wrong / shown < 0.01, f"{wrong} of {shown} estimates off"


def test_the_bar_is_silent_off_a_terminal(tmp_path: Path) -> None:
    stream = io.StringIO()
    bar = ChunkBar("article.md", stream=stream)
    bar(Progress("synthesized", 1, 2, 0, 0, path=write_clip(tmp_path / "c.wav", 1.0)))
    bar.close()
    assert stream.getvalue() == ""
