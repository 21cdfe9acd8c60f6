"""The tone engine: a sine at the voice's pitch, 40 ms per character at speed 1."""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping

from narrate.engines.base import Probe, check_text, pcm_to_wav
from narrate_tone import SPEC

RATE = 24_000
PITCH = {"low": 220.0, "high": 440.0}


class ToneEngine:
    name = SPEC.name
    max_chars = SPEC.max_chars
    languages = SPEC.languages
    audio_format = SPEC.audio_format

    def __init__(self, *, voice: str = "low", speed: float = 1.0, octave: int = 0) -> None:
        settings = SPEC.settings({"voice": voice, "speed": speed, "octave": octave})
        self.voice = settings["voice"]
        self.speed = settings["speed"]
        self.octave = settings["octave"]

    @property
    def hertz(self) -> float:
        return PITCH[self.voice] * 2 ** self.octave

    def identity(self) -> Mapping[str, str]:
        return {"engine": self.name, "version": "1", "voice": self.voice,
                "speed": f"{self.speed:g}", "octave": str(self.octave)}

    def synthesize(self, text: str) -> bytes:
        spoken = check_text(self, text)
        count = int(RATE * 0.04 * len(spoken) / self.speed)
        step = 2 * math.pi * self.hertz / RATE
        pcm = b"".join(struct.pack("<h", int(12000 * math.sin(step * i))) for i in range(count))
        return pcm_to_wav(pcm, RATE)

    def probe(self, timeout: float = 2.0) -> Probe:
        return Probe(True, f"a {self.hertz:g} Hz tone")
