"""The working format, and what pydub does not do for us: frame-exact lengths, a WAV's rate
without reading the file, and wrapping decoded PCM as an ``AudioSegment``.

Audio between decoding and encoding is signed 16-bit little-endian PCM held in pydub
``AudioSegment`` values, one clip (or the intro's bed) at a time; the episode itself is
streamed to a file from the segments' raw data and never is one segment.
"""

from __future__ import annotations

import math
import wave
from dataclasses import dataclass
from pathlib import Path

from pydub import AudioSegment
from pydub.silence import detect_leading_silence


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

    def matches(self, segment: AudioSegment) -> bool:
        """True when ``segment`` is already 16-bit PCM at this rate and channel count."""
        return bool(
            segment.sample_width == 2
            and segment.frame_rate == self.rate
            and segment.channels == self.channels
        )

    def segment(self, pcm: bytes) -> AudioSegment:
        """Raw PCM in this format as an ``AudioSegment`` (a trailing partial frame dropped)."""
        pcm = pcm[: len(pcm) - len(pcm) % self.frame_bytes]
        return AudioSegment(data=pcm, sample_width=2, frame_rate=self.rate, channels=self.channels)

    def silence(self, frames: int) -> AudioSegment:
        """``frames`` frames of digital silence (pydub's ``silent`` counts whole ms)."""
        return self.segment(bytes(max(0, frames) * self.frame_bytes))


def frames(segment: AudioSegment) -> int:
    """The exact number of frames in ``segment`` (``len()`` rounds to whole ms)."""
    return int(segment.frame_count())


def is_silent(segment: AudioSegment, silence_db: float) -> bool:
    """True when no sample of ``segment`` reaches ``silence_db`` dBFS (peak)."""
    return len(segment.raw_data) == 0 or float(segment.max_dBFS) < silence_db


def trim(segment: AudioSegment, *, silence_db: float, keep_ms: int) -> AudioSegment:
    """``segment`` without the quiet edges engines pad clips with (``pydub.silence``: 10 ms
    windows whose RMS is under ``silence_db``), keeping ``keep_ms`` around the sound so soft
    onsets (स, फ़) and releases survive. All-quiet audio is returned whole: it is the
    caller's to judge."""
    if is_silent(segment, silence_db):
        return segment
    total = frames(segment)
    lead_ms = detect_leading_silence(segment, silence_threshold=silence_db, chunk_size=10)
    tail_ms = detect_leading_silence(segment.reverse(), silence_threshold=silence_db,
                                     chunk_size=10)
    rate = segment.frame_rate
    first = max(0, (lead_ms - keep_ms) * rate // 1000)
    end = min(total, total - (tail_ms - keep_ms) * rate // 1000)
    if end <= first:
        return segment
    return segment.get_sample_slice(first, end)


def wav_rate(path: Path) -> int | None:
    """The rate of a 16-bit mono PCM WAV file from its header alone, or None when it is
    anything else (pydub would read the whole file to say)."""
    try:
        with wave.open(str(path), "rb") as w:
            if w.getsampwidth() == 2 and w.getnchannels() == 1 and w.getcomptype() == "NONE":
                return w.getframerate()
    except (wave.Error, EOFError, OSError):  # unreadable here: decoding will say why
        return None
    return None
