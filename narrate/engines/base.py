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

from narrate.errors import EngineUnavailable, UsageError

AudioFormat = Literal["mp3", "wav"]


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
        """Audio for exactly ``text``, in ``audio_format``. Raises EngineError."""
        ...


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
}

#: ``auto`` chooses gtts when Google answers, espeak otherwise; it chunks for the stricter.
AUTO = "auto"
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
            description="gtts when Google answers, espeak otherwise",
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
