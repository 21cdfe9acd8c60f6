"""The engine interface: what every speech engine provides once it is created.

An engine declares what the chunker needs (``max_chars``, languages, the audio format it
returns) and synthesizes exactly the text it is given: it never re-splits it. What is known
about an engine before it is imported is its spec (:mod:`narrate.engines.spec`); engines are
found by name in :mod:`narrate.engines.registry` and their modules imported only when one is
created, so ``narrate script`` never loads gTTS or espeak-ng.
"""

from __future__ import annotations

import io
import wave
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal, Protocol, runtime_checkable

from narrate.engines.spec import AudioFormat
from narrate.errors import EngineError

#: Why a request failed in a way that may pass: ``rate_limit`` (429) and ``timeout`` also
#: tell the concurrency limiter to back off; ``server`` (5xx) and ``connection`` (a dropped
#: connection, a failed TLS handshake) do not. ``unreachable`` is no network at all: the
#: name does not resolve, the connection is refused or cannot be made, the network is
#: down; it is not retried for long (see :class:`narrate.synth.RetryPolicy`).
TransientKind = Literal["rate_limit", "server", "timeout", "connection", "unreachable"]


class TransientEngineError(EngineError):
    """A failure worth retrying: rate limit, server error, timeout, dropped connection.

    ``status`` is the HTTP status when there was an answer; ``retry_after`` the seconds the
    server asked us to wait (``Retry-After``), if it said.
    """

    def __init__(
        self,
        message: str,
        *,
        kind: TransientKind,
        engine: str = "",
        chunk: str | None = None,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        self.kind: TransientKind = kind
        self.status = status
        self.retry_after = retry_after
        super().__init__(message, engine=engine, chunk=chunk)


@dataclass(frozen=True)
class Probe:
    """Whether an engine can be used right now; ``detail`` says why (one short phrase)."""

    usable: bool
    detail: str


@runtime_checkable
class Engine(Protocol):
    """What every speech engine provides.

    Two methods are optional, looked up when present: ``cache_text(text)``, what the clip
    cache keys on instead of the text (Kokoro: its phonemes), and ``prepare()``, called once
    before the first request of a synthesis that has any (Kokoro loads its model there, so
    a progress bar can say so). An engine whose call may last long (a native run of
    seconds) honours Ctrl-C by reading the run's :func:`narrate.stop.current` while it
    works and raising :class:`narrate.stop.Cancelled` when it is set.
    """

    name: str
    max_chars: int
    languages: frozenset[str]
    audio_format: AudioFormat

    def identity(self) -> Mapping[str, str]:
        """Everything that changes the audio for the same text (engine version, voice,
        language, speed, ...). The clip cache key is built from it and the text."""
        ...

    def synthesize(self, text: str) -> bytes:
        """Audio for exactly ``text``, in ``audio_format``. Raises EngineError:
        TransientEngineError or EmptyAudio when trying again may help."""
        ...

    def probe(self, timeout: float = 2.0) -> Probe:
        """Whether the engine works right now, answered within about ``timeout`` seconds.
        Never raises for an unusable engine: that is a Probe with ``usable=False``."""
        ...


def check_text(engine: Engine, text: str) -> str:
    """``text`` as the engine will say it, or EngineError when it cannot be one request.

    Engines never re-split text: a chunk over ``max_chars`` is the caller's bug, and a chunk
    with no letter or digit has nothing to say (gTTS would send nothing and write 0 bytes).
    """
    spoken = text.strip()
    if len(spoken) > engine.max_chars:
        raise EngineError(
            f"a chunk of {len(spoken)} characters is too long for {engine.name}, which takes"
            f" at most {engine.max_chars}. Probable cause: the script was built for another"
            " engine's limit",
            engine=engine.name,
            chunk=text,
        )
    if not any(ch.isalnum() for ch in spoken):
        raise EngineError(
            f"a chunk has nothing to say ({text!r}). Probable cause: a chunk made only of"
            " punctuation or spaces",
            engine=engine.name,
            chunk=text,
        )
    return spoken


def pcm_to_wav(pcm: bytes, sample_rate: int) -> bytes:
    """A WAV file of 16-bit mono ``pcm``: what an engine that makes samples returns."""
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1)
        w.setsampwidth(2)
        w.setframerate(sample_rate)
        w.writeframes(pcm)
    return out.getvalue()
