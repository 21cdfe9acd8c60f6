"""espeak-ng's Hindi voice from the library bundled by ``espeakng-loader``: offline, fast.

The library is called through ctypes in synchronous mode: ``espeak_Synth`` hands 16-bit
mono samples to a callback and returns when the text is spoken. It keeps one global state
(voice, rate, pitch, the callback), so every call in a process goes through one lock, and
each synthesis sets the voice and parameters it needs. The library is loaded and
initialised lazily, once per address space: a forked child keeps its parent's (the lock is
held across fork(), so that copy is never mid-synthesis), a spawned process makes its own.
"""

from __future__ import annotations

import ctypes
import logging
import os
import threading
from collections.abc import Mapping

from narrate.engines.base import Probe, check_text, pcm_to_wav
from narrate.engines.builtin import ESPEAK
from narrate.engines.spec import AudioFormat
from narrate.errors import EmptyAudio, EngineError, EngineUnavailable

log = logging.getLogger(__name__)

SPEC = ESPEAK
NAME = SPEC.name

# From espeak-ng's speak_lib.h.
_AUDIO_OUTPUT_SYNCHRONOUS = 2
_CHARS_UTF8 = 1
_POS_CHARACTER = 1
_RATE = 1
_PITCH = 3
_EE_OK = 0
#: espeak_TextToPhonemes mode: IPA as UTF-8 (bit 1), with U+0361 tying the letters of
#: one phoneme (bit 7 and bits 8-23), so that affricates and diphthongs stay one unit.
TIE = "\u0361"
_IPA_TIED = 0x02 | 0x80 | ord(TIE) << 8

#: Words per minute espeak-ng accepts, and its pitch scale (espeak-ng's speak_lib.h): the
#: spec's ranges.
RATE = SPEC.option("rate")
PITCH = SPEC.option("pitch")

_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.c_void_p
)


class _Library:
    """The initialised espeak-ng library of this process. Use only under ``_lock``."""

    def __init__(self) -> None:
        try:
            import espeakng_loader
        except ImportError as e:
            raise EngineUnavailable(
                "espeak-ng cannot be loaded: espeakng-loader is not installed. Probable"
                " cause: an incomplete installation; reinstall narrate",
                engine=NAME,
            ) from e
        try:
            lib = ctypes.CDLL(espeakng_loader.get_library_path())
            data_path = espeakng_loader.get_data_path()
        except (OSError, RuntimeError) as e:
            raise EngineUnavailable(
                f"espeak-ng cannot be loaded ({e}). Probable cause: espeakng-loader has no"
                " build for this platform",
                engine=NAME,
            ) from e
        lib.espeak_Initialize.restype = ctypes.c_int
        lib.espeak_Initialize.argtypes = [
            ctypes.c_int, ctypes.c_int, ctypes.c_char_p, ctypes.c_int,
        ]
        lib.espeak_Info.restype = ctypes.c_char_p
        lib.espeak_Info.argtypes = [ctypes.c_void_p]
        lib.espeak_SetSynthCallback.restype = None
        lib.espeak_SetSynthCallback.argtypes = [_Callback]
        lib.espeak_SetVoiceByName.restype = ctypes.c_int
        lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]
        lib.espeak_SetParameter.restype = ctypes.c_int
        lib.espeak_SetParameter.argtypes = [ctypes.c_int, ctypes.c_int, ctypes.c_int]
        lib.espeak_Synth.restype = ctypes.c_int
        lib.espeak_Synth.argtypes = [
            ctypes.c_char_p, ctypes.c_size_t, ctypes.c_uint, ctypes.c_int, ctypes.c_uint,
            ctypes.c_uint, ctypes.c_void_p, ctypes.c_void_p,
        ]
        lib.espeak_Synchronize.restype = ctypes.c_int
        lib.espeak_Synchronize.argtypes = []
        lib.espeak_TextToPhonemes.restype = ctypes.c_char_p
        lib.espeak_TextToPhonemes.argtypes = [
            ctypes.POINTER(ctypes.c_char_p), ctypes.c_int, ctypes.c_int,
        ]

        rate = lib.espeak_Initialize(
            _AUDIO_OUTPUT_SYNCHRONOUS, 0, os.fsencode(data_path), 0
        )
        if rate <= 0:
            raise EngineUnavailable(
                f"espeak-ng did not start (espeak_Initialize returned {rate}). Probable"
                f" cause: its data folder {data_path} is missing or damaged",
                engine=NAME,
            )
        self.lib = lib
        self.sample_rate: int = rate
        self.version: str = (lib.espeak_Info(None) or b"unknown").decode("ascii", "replace")
        self._pieces: list[bytes] = []
        # Kept on self: the C library holds only a pointer to it.
        self._callback = _Callback(self._collect)
        lib.espeak_SetSynthCallback(self._callback)
        log.debug("espeak-ng %s at %s, %d Hz", self.version, data_path, rate)

    def _collect(self, wav: ctypes._Pointer[ctypes.c_short], count: int, events: int) -> int:
        if wav and count > 0:
            self._pieces.append(ctypes.string_at(wav, count * 2))
        return 0  # go on

    def set_voice(self, voice: str) -> None:
        if self.lib.espeak_SetVoiceByName(voice.encode("ascii", "replace")) != _EE_OK:
            raise EngineUnavailable(
                f"espeak-ng has no voice {voice!r}. Probable cause: a misspelt --voice;"
                " the Hindi voice is 'hi'",
                engine=NAME,
            )

    def synthesize(self, text: str, *, voice: str, rate: int, pitch: int) -> bytes:
        """16-bit mono PCM at ``sample_rate`` for ``text``."""
        self.set_voice(voice)
        self.lib.espeak_SetParameter(_RATE, rate, 0)
        self.lib.espeak_SetParameter(_PITCH, pitch, 0)
        data = text.encode("utf-8")
        self._pieces = []
        status = self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, _CHARS_UTF8,
                                       None, None)
        self.lib.espeak_Synchronize()
        pcm = b"".join(self._pieces)
        self._pieces = []
        if status != _EE_OK:
            raise EngineError(
                f"espeak-ng could not speak a chunk (espeak_Synth returned {status})."
                " Probable cause: a bug in espeak-ng; run with --debug and report it",
                engine=NAME,
                chunk=text,
            )
        return pcm


    def phonemes(self, text: str, *, voice: str) -> str:
        """IPA for ``text``: one clause per call of ``espeak_TextToPhonemes`` (it stops at
        clause punctuation and drops it), the clauses joined by spaces."""
        self.set_voice(voice)
        buffer = ctypes.c_char_p(text.encode("utf-8"))
        pointer = ctypes.pointer(buffer)
        clauses: list[str] = []
        while pointer.contents.value:
            out = self.lib.espeak_TextToPhonemes(pointer, _CHARS_UTF8, _IPA_TIED)
            if out:
                clauses.append(out.decode("utf-8", "replace").strip())
        return " ".join(c for c in clauses if c)


_lock = threading.Lock()
_library: _Library | None = None


def _before_fork() -> None:
    """Hold the lock across fork(): the child's copy of the library is then never caught
    in the middle of a synthesis."""
    _lock.acquire()


def _after_fork_in_parent() -> None:
    _lock.release()


def _after_fork_in_child() -> None:
    """The child keeps the parent's initialised library (initialising espeak-ng a second
    time in one address space can crash it) and gets a lock of its own."""
    global _lock
    _lock = threading.Lock()


os.register_at_fork(
    before=_before_fork,
    after_in_parent=_after_fork_in_parent,
    after_in_child=_after_fork_in_child,
)


def _get_library() -> _Library:
    """The process's library, initialised on first use (once per process: a forked child
    inherits its parent's, a spawned one makes its own). Call with ``_lock`` held."""
    global _library
    if _library is None:
        _library = _Library()
    return _library


def text_to_phonemes(text: str, *, voice: str = "hi") -> str:
    """espeak-ng's IPA for ``text`` in ``voice``, multi-letter phonemes tied with U+0361.

    Clause punctuation is dropped (the caller keeps it); a word espeak-ng reads in another
    language comes wrapped in its switch marks, e.g. ``(en)...(hi)``. Raises
    EngineUnavailable when the library cannot be loaded.
    """
    with _lock:
        return _get_library().phonemes(text, voice=voice)


def library_version() -> str:
    """The version of the bundled espeak-ng library (loads it if needed)."""
    with _lock:
        return _get_library().version


class EspeakEngine:
    """espeak-ng speaking Hindi. Safe to call from many threads (calls are serialized)."""

    name = NAME
    max_chars = SPEC.max_chars
    languages = SPEC.languages
    audio_format: AudioFormat = SPEC.audio_format

    def __init__(
        self,
        *,
        voice: str = "hi",
        rate: int = int(RATE.default),
        pitch: int = int(PITCH.default),
    ) -> None:
        RATE.check(rate, NAME)  # UsageError: "espeak rate 500 is out of range: 80-450"
        PITCH.check(pitch, NAME)
        self.voice = voice
        self.rate = rate
        self.pitch = pitch

    def identity(self) -> Mapping[str, str]:
        with _lock:
            version = _get_library().version
        return {
            "engine": NAME,
            "version": version,
            "voice": self.voice,
            "language": "hi",
            "rate": str(self.rate),
            "pitch": str(self.pitch),
        }

    def synthesize(self, text: str) -> bytes:
        spoken = check_text(self, text)
        with _lock:
            library = _get_library()
            pcm = library.synthesize(spoken, voice=self.voice, rate=self.rate, pitch=self.pitch)
            sample_rate = library.sample_rate
        if not pcm:
            raise EmptyAudio(
                "espeak-ng produced no audio for a chunk. Probable cause: text espeak-ng"
                " cannot read in this voice",
                engine=NAME,
                chunk=text,
            )
        return pcm_to_wav(pcm, sample_rate)

    def probe(self, timeout: float = 2.0) -> Probe:
        """Load the library and select the voice (milliseconds; ``timeout`` is not needed)."""
        try:
            with _lock:
                library = _get_library()
                library.set_voice(self.voice)
        except EngineError as e:
            return Probe(False, str(e).partition(". Probable cause:")[0])
        return Probe(True, f"espeak-ng {library.version}, voice {self.voice!r}")
