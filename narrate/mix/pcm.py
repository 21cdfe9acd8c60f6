"""Raw PCM helpers: the working format, silence trimming, fades, reading WAV directly.

Audio between decoding and encoding is signed 16-bit little-endian PCM. Only one clip at a
time is ever held in memory; the episode itself is streamed to a file.
"""

from __future__ import annotations

import math
import sys
import wave
from array import array
from dataclasses import dataclass
from pathlib import Path

_BIG_ENDIAN = sys.byteorder == "big"


@dataclass(frozen=True)
class PcmFormat:
    """Signed 16-bit little-endian PCM at ``rate`` frames per second."""

    rate: int
    channels: int

    @property
    def frame_bytes(self) -> int:
        return 2 * self.channels

    def frames(self, ms: int) -> int:
        """The frame at which millisecond ``ms`` begins (rounded to the nearest frame)."""
        return (ms * self.rate + 500) // 1000

    def ms_ceil(self, frames: int) -> int:
        """Whole milliseconds that hold ``frames`` frames."""
        return -(-frames * 1000 // self.rate)

    def step_ms(self) -> int:
        """The shortest whole-millisecond span that is a whole number of frames."""
        return 1000 // math.gcd(1000, self.rate)


def _samples(pcm: bytes) -> array[int]:
    samples = array("h")
    samples.frombytes(pcm)
    if _BIG_ENDIAN:  # pragma: no cover - the PCM on the wire is little-endian
        samples.byteswap()
    return samples


def _to_bytes(samples: array[int]) -> bytes:
    if _BIG_ENDIAN:  # pragma: no cover
        samples = array("h", samples)
        samples.byteswap()
    return samples.tobytes()


def threshold(db: float) -> int:
    """A peak level in dBFS as a 16-bit sample magnitude."""
    return max(1, round(32768 * 10 ** (db / 20)))


def sound_span(pcm: bytes, fmt: PcmFormat, limit: int) -> tuple[int, int] | None:
    """Frames ``(first, end)`` from the first to just past the last sample louder than
    ``limit``; None when nothing is. Scans 10 ms windows with C-speed ``max``/``min``,
    then finds the exact sample inside the window."""
    samples = _samples(pcm)
    n = len(samples)
    window = max(1, fmt.rate // 100) * fmt.channels

    def loud(i: int) -> bool:
        return samples[i] > limit or samples[i] < -limit

    first = -1
    for start in range(0, n, window):
        part = samples[start : start + window]
        if max(part) > limit or min(part) < -limit:
            first = next(i for i in range(start, min(start + window, n)) if loud(i))
            break
    if first < 0:
        return None
    last = first
    for end in range(n, first, -window):
        begin = max(first, end - window)
        part = samples[begin:end]
        if max(part) > limit or min(part) < -limit:
            last = next(i for i in range(end - 1, begin - 1, -1) if loud(i))
            break
    return first // fmt.channels, last // fmt.channels + 1


def trim(pcm: bytes, fmt: PcmFormat, *, silence_db: float, keep_ms: int) -> bytes:
    """``pcm`` without the quiet edges engines pad clips with, keeping ``keep_ms`` around
    the sound so soft onsets (स, फ़) and releases survive. All-quiet audio is returned whole:
    it is the caller's to judge."""
    span = sound_span(pcm, fmt, threshold(silence_db))
    if span is None:
        return pcm
    total = len(pcm) // fmt.frame_bytes
    keep = fmt.frames(keep_ms)
    first = max(0, span[0] - keep)
    end = min(total, span[1] + keep)
    return pcm[first * fmt.frame_bytes : end * fmt.frame_bytes]


def fade(pcm: bytes, fmt: PcmFormat, *, in_ms: int, out_ms: int) -> bytes:
    """Linear fade-in and fade-out (for intro and outro music)."""
    samples = _samples(pcm)
    frames = len(samples) // fmt.channels
    ch = fmt.channels
    n_in = min(fmt.frames(in_ms), frames)
    for f in range(n_in):
        for c in range(ch):
            samples[f * ch + c] = samples[f * ch + c] * f // n_in
    n_out = min(fmt.frames(out_ms), frames)
    for k in range(n_out):
        f = frames - 1 - k
        for c in range(ch):
            samples[f * ch + c] = samples[f * ch + c] * k // n_out
    return _to_bytes(samples)


def read_wav(path: Path, fmt: PcmFormat) -> bytes | None:
    """The PCM of a WAV file already in ``fmt`` (16-bit, same rate and channels), read
    without starting ffmpeg; None when the file is in any other shape."""
    try:
        with wave.open(str(path), "rb") as w:
            if (
                w.getsampwidth() != 2
                or w.getnchannels() != fmt.channels
                or w.getframerate() != fmt.rate
                or w.getcomptype() != "NONE"
            ):
                return None
            return w.readframes(w.getnframes())
    except (wave.Error, EOFError):
        return None


def wav_rate(path: Path) -> int | None:
    """The rate of a 16-bit mono PCM WAV file, or None when it is anything else."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getcomptype() == "NONE":
                return w.getframerate()
    except (wave.Error, EOFError, OSError):  # unreadable here: decoding will say why
        return None
    return None
