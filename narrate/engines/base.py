"""The engine interface and the registry of engines by name.

An engine declares what the chunker needs (``max_chars``, languages, the audio format it
returns) and synthesizes exactly the text it is given: it never re-splits it. Engine modules
are imported only when an engine is created, so ``narrate script`` never loads gTTS or
espeak-ng.
"""

from __future__ import annotations

import importlib
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal, Protocol, runtime_checkable

from narrate.errors import EngineError, EngineUnavailable, UsageError

AudioFormat = Literal["mp3", "wav"]

#: Why a request failed in a way that may pass: ``rate_limit`` (429) and ``timeout`` also
#: tell the concurrency limiter to back off; ``server`` (5xx) and ``connection`` do not.
TransientKind = Literal["rate_limit", "server", "timeout", "connection"]


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
    """What every speech engine provides."""

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


@dataclass(frozen=True)
class EngineSpec:
    """What the registry knows about an engine without importing it."""

    name: str
    module: str
    factory: str
    max_chars: int
    languages: frozenset[str]
    audio_format: AudioFormat
    description: str
    #: Takes phonemes in its text (``⟦IPA⟧``, from a pronunciation rule of kind ``ipa``).
    phonemes: bool = False


ENGINES: Mapping[str, EngineSpec] = {
    "gtts": EngineSpec(
        name="gtts",
        module="narrate.engines.gtts_engine",
        factory="GTTSEngine",
        max_chars=100,
        languages=frozenset({"hi"}),
        audio_format="mp3",
        description="Google's Hindi voice through the gTTS library (online)",
    ),
    "espeak": EngineSpec(
        name="espeak",
        module="narrate.engines.espeak_engine",
        factory="EspeakEngine",
        max_chars=100,
        languages=frozenset({"hi"}),
        audio_format="wav",
        description="espeak-ng's Hindi voice, bundled through espeakng-loader (offline)",
    ),
    "kokoro": EngineSpec(
        name="kokoro",
        module="narrate.engines.kokoro_engine",
        factory="KokoroEngine",
        max_chars=150,
        languages=frozenset({"hi"}),
        audio_format="wav",
        description="Kokoro-82M's natural Hindi voices, from PyPI and vendored files (offline)",
        phonemes=True,
    ),
}

#: ``auto`` chooses gtts when Google answers, else kokoro, else espeak; it chunks for the
#: strictest of them.
AUTO = "auto"
#: The engines ``auto`` tries, in order, when Google does not answer.
OFFLINE_ORDER = ("kokoro", "espeak")
ENGINE_CHOICES = (AUTO, *ENGINES)


def engine_spec(name: str) -> EngineSpec:
    """The spec of engine ``name``; ``auto`` gives the strictest limits of all engines."""
    if name == AUTO:
        gtts = ENGINES["gtts"]
        return EngineSpec(
            name=AUTO,
            module="",
            factory="",
            max_chars=min(s.max_chars for s in ENGINES.values()),
            languages=gtts.languages,
            audio_format=gtts.audio_format,
            description="gtts when Google answers, else kokoro, else espeak",
        )
    try:
        return ENGINES[name]
    except KeyError:
        known = ", ".join(ENGINE_CHOICES)
        raise UsageError(f"unknown engine {name!r}; choose one of: {known}") from None


def create_engine(name: str, **options: Any) -> Engine:
    """Import and build engine ``name`` with ``options`` (engine-specific keywords)."""
    spec = engine_spec(name)
    if name == AUTO:
        raise UsageError("'auto' is resolved by narrate.synth.resolve_engine, not created")
    try:
        module = importlib.import_module(spec.module)
    except ImportError as e:
        raise EngineUnavailable(
            f"engine {name!r} cannot be loaded: {e}", engine=name
        ) from e
    engine: Engine = getattr(module, spec.factory)(**options)
    return engine
