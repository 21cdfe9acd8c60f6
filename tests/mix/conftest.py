"""Synthetic clips and independent readers for the mix tests.

Clips are tone-and-noise bursts with silence around them, like an engine's output: WAV at
22.05 kHz (espeak-ng) or MP3 at 24 kHz (Google). Files are read back with ffmpeg and mutagen,
never with the code under test.
"""

from __future__ import annotations

import datetime as dt
import math
import random
import re
import subprocess
import wave
from array import array
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import imageio_ffmpeg
import pytest

from narrate.model import Caption, Chunk, Clip, Script, ScriptSection, Synthesis

FFMPEG = imageio_ffmpeg.get_ffmpeg_exe()

LONG_TITLE = "मौसम विभाग ने अगले दो हफ़्तों में मध्य भारत में भारी बारिश का अनुमान जताया है"
assert len(LONG_TITLE) > 40


def burst(rate: int, ms: int, *, lead_ms: int = 150, tail_ms: int = 250, seed: int = 0,
          level: float = 0.3, peaky: bool = False) -> bytes:
    """Speech-like 16-bit mono PCM: a syllable-rate modulated tone plus noise, silence around.

    ``peaky`` adds sharp clicks (a high crest factor, to make the limiter work)."""
    rnd = random.Random(seed)
    n = rate * ms // 1000
    freq = 140 + 20 * (seed % 7)
    out = array("h", bytes(2 * (rate * lead_ms // 1000)))
    for i in range(n):
        t = i / rate
        envelope = 0.55 + 0.45 * math.sin(2 * math.pi * 4 * t)
        x = math.sin(2 * math.pi * freq * t) + 0.3 * math.sin(2 * math.pi * 3 * freq * t)
        x = level * envelope * (0.75 * x + 0.25 * rnd.uniform(-1, 1))
        if peaky and i % (rate // 7) == 0:
            x = 0.98
        out.append(max(-32767, min(32767, int(x * 32767))))
    out.extend(array("h", bytes(2 * (rate * tail_ms // 1000))))
    return out.tobytes()


def write_wav(path: Path, pcm: bytes, rate: int, channels: int = 1) -> Path:
    with wave.open(str(path), "wb") as w:
        w.setnchannels(channels)
        w.setsampwidth(2)
        w.setframerate(rate)
        w.writeframes(pcm)
    return path


def wav_to_mp3(wav: Path, rate: int = 24000, bitrate: str = "32k") -> Path:
    mp3 = wav.with_suffix(".mp3")
    subprocess.run(
        [FFMPEG, "-nostdin", "-loglevel", "error", "-y", "-i", str(wav), "-ar", str(rate),
         "-ac", "1", "-c:a", "libmp3lame", "-b:a", bitrate, str(mp3)],
        check=True,
    )
    wav.unlink()
    return mp3


@dataclass(frozen=True)
class Episode:
    script: Script
    synthesis: Synthesis


SECTIONS: tuple[tuple[str, tuple[tuple[str, str], ...]], ...] = (
    # (section title, ((kind, ends), ...)); section 0 opens with the title chunk
    ("मानसून की अच्छी बारिश", (("title", "paragraph"), ("body", "clause"), ("body", "sentence"),
                               ("body", "paragraph"))),
    (LONG_TITLE, (("heading", "paragraph"), ("body", "sentence"), ("body", "paragraph"))),
    ("मंडियों में क्या बदला", (("heading", "paragraph"), ("body", "word"), ("body", "paragraph"))),
    ("आगे की राह", (("body", "sentence"), ("body", "paragraph"))),  # an untitled section
)


def make_episode(folder: Path, *, audio_format: str = "wav", peaky: bool = False,
                 level: float = 0.3, sections: tuple = SECTIONS) -> Episode:
    folder.mkdir(parents=True, exist_ok=True)
    script_sections = []
    clips = []
    n = 0
    for s, (title, shape) in enumerate(sections):
        chunks = []
        for i, (kind, ends) in enumerate(shape):
            chunk = Chunk(text=f"{title} {i}", display=f"{title} <{i}> & {n}", kind=kind, ends=ends)
            if title == LONG_TITLE and kind == "body":  # a whole sentence, cued in pieces
                words = chunk.display.split()
                chunk = replace(chunk, captions=(Caption(" ".join(words[:6]), 30),
                                                 Caption(" ".join(words[6:]), 50)))
            chunks.append(chunk)
            pcm = burst(22050, 500 + 90 * (n % 5), seed=n, level=level, peaky=peaky,
                        lead_ms=100 + 40 * (n % 3), tail_ms=200 + 50 * (n % 4))
            path = write_wav(folder / f"clip{n:03d}.wav", pcm, 22050)
            if audio_format == "mp3":
                path = wav_to_mp3(path)
            clips.append(Clip(s, i, chunk, path, audio_format))
            n += 1
        script_sections.append(ScriptSection(title=title, chunks=tuple(chunks)))
    script = Script(title="मानसून की अच्छी बारिश से किसानों को राहत", date=dt.date(2025, 8, 14),
                    sections=tuple(script_sections), author="narrate समाचार डेस्क")
    return Episode(script, Synthesis(engine="espeak", clips=tuple(clips)))


@pytest.fixture
def episode_factory(tmp_path: Path) -> Callable[..., Episode]:
    def make(**kwargs: Any) -> Episode:
        return make_episode(tmp_path / "clips", **kwargs)

    return make


# --- independent readers -------------------------------------------------------------------


def ffmpeg_info(path: Path) -> str:
    """What ``ffmpeg -i`` says about a file (the demuxer's view, as ffprobe has it)."""
    done = subprocess.run([FFMPEG, "-nostdin", "-hide_banner", "-i", str(path)],
                          capture_output=True, text=True, check=False)
    return done.stderr


def ffmpeg_chapters(path: Path) -> list[tuple[int, int, str]]:
    """Chapters as ffmpeg reads them: ``-f ffmetadata`` (``-copyts``, or ffmpeg shifts every
    time by the stream's start, the encoder delay)."""
    done = subprocess.run(
        [FFMPEG, "-nostdin", "-hide_banner", "-loglevel", "error", "-copyts", "-i", str(path),
         "-f", "ffmetadata", "-"],
        capture_output=True, text=True, check=True,
    )
    chapters = []
    for block in done.stdout.split("[CHAPTER]")[1:]:
        fields = dict(line.split("=", 1) for line in block.strip().splitlines() if "=" in line)
        assert fields["TIMEBASE"] == "1/1000"
        chapters.append((int(fields["START"]), int(fields["END"]), fields.get("title", "")))
    return chapters


def decoded_samples(path: Path, rate: int = 44100) -> int:
    """Samples ffmpeg decodes from the file (the encoder delay and padding trimmed)."""
    done = subprocess.run(
        [FFMPEG, "-nostdin", "-loglevel", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        capture_output=True, check=True,
    )
    return len(done.stdout) // 2


def decode(path: Path, rate: int = 44100) -> array[int]:
    done = subprocess.run(
        [FFMPEG, "-nostdin", "-loglevel", "error", "-i", str(path), "-f", "s16le", "-ac", "1",
         "-ar", str(rate), "-"],
        capture_output=True, check=True,
    )
    samples = array("h")
    samples.frombytes(done.stdout)
    return samples


def stream_line(path: Path) -> str:
    match = re.search(r"Stream #0:0.*", ffmpeg_info(path))
    assert match, ffmpeg_info(path)
    return match.group(0)
