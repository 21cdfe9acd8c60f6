"""What narrate knows about an engine without importing it: its :class:`EngineSpec`.

A spec is the one description of an engine. The chunker reads its ``max_chars``; ``auto``
reads ``offline`` and ``auto``; a batch reads ``offline`` (no shared request budget is
needed); ``narrate engines`` lists it; the command line makes ``--voice``, ``--speed`` and
each of its :class:`Option` flags from it, and :meth:`EngineSpec.settings` turns what the
user typed into the keywords of the engine's constructor. Which settings an engine takes is
one lookup, :attr:`EngineSpec.takes`.

Specs are plain data (no click, no engine code): importing one costs nothing, so
``narrate --help`` can list every engine, including those other packages register
(:mod:`narrate.engines.registry`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Literal

from narrate.errors import UsageError

AudioFormat = Literal["mp3", "wav"]
#: What an :class:`Option` holds; its default's type says which.
OptionValue = bool | int | float | str
#: Settings every engine may take, by name; the others are the engine's :class:`Option`.
VOICE = "voice"
SPEED = "speed"


@dataclass(frozen=True)
class Voice:
    """One voice of an engine: its name (``--voice NAME``) and a word about it."""

    name: str
    description: str = ""


@dataclass(frozen=True)
class Option:
    """An engine's own setting, offered on the command line as ``--NAME`` (``_`` as ``-``)
    and passed to the engine's constructor as the keyword ``name``.

    The default's type is the option's: ``bool`` is a flag, ``int`` and ``float`` a number
    (within ``range``, inclusive, when given), ``str`` a text (one of ``choices`` when
    given).
    """

    name: str
    help: str
    default: OptionValue
    range: tuple[float, float] | None = None
    choices: tuple[str, ...] = ()

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    def check(self, value: OptionValue, engine: str) -> OptionValue:
        """``value`` when the option takes it, else UsageError naming the engine."""
        if self.range is not None and not isinstance(value, bool) and isinstance(
                value, int | float):
            low, high = self.range
            if not low <= value <= high:
                raise UsageError(f"{engine} {self.name} {value:g} is out of range: "
                                 f"{low:g}-{high:g}")
        if self.choices and value not in self.choices:
            raise UsageError(f"{engine} {self.name} {value!r} is not one of: "
                             f"{', '.join(self.choices)}")
        return value


@dataclass(frozen=True)
class EngineSpec:
    """Everything about an engine that is known before it is imported.

    ``factory`` is ``"module:attribute"``, the engine class (or function) called with the
    engine's settings when the engine is first used. ``label`` names the voice in a
    sentence (``auto``'s note: "using Kokoro-82M offline voice"). ``offline``: the engine
    sends no request anywhere (a batch needs no shared budget and may use worker
    processes). ``max_chars``: the longest chunk it takes in one request (the chunker's
    limit). ``voices`` and ``default_voice``: what ``--voice`` chooses from; ``speed``: the
    range ``--speed`` may take (1 is the voice's own pace), None when the engine has no
    speed. ``options``: the engine's other settings. ``auto``: the engine's place in
    ``auto``'s order (lowest first; None: ``auto`` never picks it). ``details``: an optional
    ``"module:function"`` returning :class:`EngineDetails` for ``narrate engines``.
    ``phonemes``: the engine takes phonemes in its text (``⟦IPA⟧``, from a pronunciation
    rule of kind ``ipa``).
    """

    name: str
    factory: str
    description: str
    label: str
    offline: bool
    max_chars: int
    audio_format: AudioFormat
    languages: frozenset[str] = frozenset({"hi"})
    voices: tuple[Voice, ...] = ()
    default_voice: str | None = None
    speed: tuple[float, float] | None = None
    options: tuple[Option, ...] = ()
    auto: int | None = None
    details: str | None = None
    phonemes: bool = False

    def __post_init__(self) -> None:
        names = [v.name for v in self.voices]
        if self.voices and self.default_voice not in names:
            raise ValueError(f"engine {self.name}: default voice {self.default_voice!r} is "
                             f"not one of its voices {names}")
        if not self.voices and self.default_voice is not None:
            raise ValueError(f"engine {self.name}: a default voice without voices")
        reserved = {VOICE, SPEED} & {o.name for o in self.options}
        if reserved:
            raise ValueError(f"engine {self.name}: {sorted(reserved)} are declared with "
                             "voices= and speed=, not as options")

    @property
    def takes(self) -> frozenset[str]:
        """The names of the settings this engine takes (``voice``, ``speed``, options)."""
        names = {o.name for o in self.options}
        if self.voices:
            names.add(VOICE)
        if self.speed is not None:
            names.add(SPEED)
        return frozenset(names)

    def option(self, name: str) -> Option:
        """The option ``name`` (KeyError when the engine has none of that name)."""
        for option in self.options:
            if option.name == name:
                return option
        raise KeyError(name)

    def settings(self, given: Mapping[str, Any]) -> dict[str, Any]:
        """The keywords of the engine's constructor for the values ``given`` by name (None
        or missing: not given, the engine's default): only the settings the engine takes,
        each checked (UsageError naming the engine and what it takes)."""
        out: dict[str, Any] = {}
        if self.voices:
            voice = given.get(VOICE) or self.default_voice
            if voice not in {v.name for v in self.voices}:
                names = ", ".join(v.name for v in self.voices)
                raise UsageError(f"{self.name} has no voice {voice!r}; choose one of: {names}")
            out[VOICE] = voice
        if self.speed is not None:
            speed = given.get(SPEED)
            speed = 1.0 if speed is None else float(speed)
            low, high = self.speed
            if not low <= speed <= high:
                raise UsageError(f"{self.name} speed {speed:g} is out of range: "
                                 f"{low:g}-{high:g}")
            out[SPEED] = speed
        for option in self.options:
            value = given.get(option.name)
            out[option.name] = option.default if value is None else option.check(value, self.name)
        return out


@dataclass(frozen=True)
class EngineDetails:
    """What ``narrate engines`` adds for one engine: ``data`` under the engine's name in
    ``--json``, ``lines`` for a person (a model's size and state, a license)."""

    data: Mapping[str, object]
    lines: tuple[str, ...]
