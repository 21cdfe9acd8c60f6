"""Hindi text to Kokoro-82M's phonemes and token ids, through the bundled espeak-ng.

Kokoro reads IPA as espeak-ng writes it, with a few multi-letter phonemes folded into
single symbols (the mapping of hexgrad's misaki ``EspeakG2P``, which Kokoro was trained
with). espeak-ng drops punctuation, so the text is cut at punctuation first, each run of
words is phonemized, and the punctuation is put back as the symbol Kokoro knows: the
danda ``।`` and double danda ``॥`` become a sentence stop, so a sentence keeps its pause.
A point between two digits is part of a number, not a stop.

The vocabulary (114 symbols) is vendored from kokoro-onnx 0.6.1 (MIT) in
``kokoro_data/vocab.json``; a symbol outside it is dropped, as every Kokoro front end does.
"""

from __future__ import annotations

import functools
import json
import re
import unicodedata
from collections.abc import Mapping
from importlib import resources

from narrate.engines import espeak_engine

#: The longest token sequence the model takes, not counting the two padding zeros.
MAX_TOKENS = 510

#: Multi-letter phonemes (tied by espeak-ng) and the single symbol Kokoro was trained on.
TIED = {
    "a\u0361ɪ": "I",
    "a\u0361ʊ": "W",
    "d\u0361z": "ʣ",
    "d\u0361ʒ": "ʤ",
    "e\u0361ɪ": "A",
    "o\u0361ʊ": "O",
    "ə\u0361ʊ": "Q",
    "s\u0361s": "S",
    "t\u0361s": "ʦ",
    "t\u0361ʃ": "ʧ",
    "ɔ\u0361ɪ": "Y",
}

#: Punctuation kept in the phonemes, as the symbol Kokoro knows.
PUNCTUATION = {
    "।": ".",
    "॥": ".",
    ".": ".",
    "?": "?",
    "!": "!",
    ",": ",",
    ";": ";",
    ":": ":",
    "—": "—",
    "–": "—",
    "…": "…",
    '"': '"',
    "“": "“",
    "”": "”",
    "(": "(",
    ")": ")",
}

#: A run of punctuation, except a point (or comma) between digits: ``2.5`` is one number.
_PUNCT = re.compile(r"(?:(?<!\d)[.,]|[.,](?!\d)|[।॥?!;:—–…\"“”()])+")
#: espeak-ng's language switch marks around a word read in another language: ``(en)``.
_SWITCH = re.compile(r"\([a-z\u0361-]+\)")
_SPACES = re.compile(r"\s+")


@functools.cache
def vocabulary() -> Mapping[str, int]:
    """Kokoro's phoneme -> token id mapping (vendored from kokoro-onnx 0.6.1, MIT)."""
    data = resources.files("narrate.engines").joinpath("kokoro_data/vocab.json").read_text("utf-8")
    vocab: dict[str, int] = json.loads(data)
    return vocab


def from_espeak(ipa: str) -> str:
    """espeak-ng's tied IPA in Kokoro's symbols: language marks removed, tied pairs folded
    into one symbol, remaining ties and hyphens dropped."""
    ipa = _SWITCH.sub("", ipa)
    for tied, symbol in TIED.items():
        ipa = ipa.replace(tied, symbol)
    return ipa.replace("\u0361", "").replace("-", "")


#: Phonemes given by a pronunciation rule, passed to the model as they are:
#: ``⟦kəkoːɾoː⟧`` (see :mod:`narrate.text.lexicon`).
_GIVEN = re.compile(r"⟦(?P<ipa>[^⟦⟧]*)⟧")
_SPACE_BEFORE_STOP = re.compile(r" (?=[.,?!;:…—])")


def phonemize(text: str) -> str:
    """The phonemes Kokoro reads for Hindi ``text`` (NFC), punctuation kept as stops.
    Phonemes a pronunciation rule gives (``⟦…⟧``) are kept as written, less any symbol
    Kokoro does not know (:func:`unknown_symbols` finds those beforehand)."""
    if "⟦" not in text:
        return _phonemize_text(text)
    vocab = vocabulary()
    parts = []
    position = 0
    for match in _GIVEN.finditer(text):
        parts.append(_phonemize_text(text[position : match.start()]))
        given = unicodedata.normalize("NFC", match["ipa"])
        parts.append("".join(_in_vocabulary(ch, vocab) for ch in given).strip())
        position = match.end()
    parts.append(_phonemize_text(text[position:]))
    joined = _SPACES.sub(" ", " ".join(p for p in parts if p)).strip()
    return _SPACE_BEFORE_STOP.sub("", joined)


def unknown_symbols(ipa: str) -> str:
    """The symbols of ``ipa`` that Kokoro does not know (they would be dropped)."""
    vocab = vocabulary()
    text = unicodedata.normalize("NFC", ipa)
    return "".join(dict.fromkeys(ch for ch in text if not ch.isspace()
                                 and not _in_vocabulary(ch, vocab)))


def _phonemize_text(text: str) -> str:
    """:func:`phonemize` for text without given phonemes."""
    text = unicodedata.normalize("NFC", text)
    vocab = vocabulary()
    out = ""
    opened = True  # at the start, or right after an opening mark: no space before a word
    position = 0
    for match in [*_PUNCT.finditer(text), None]:
        end = match.start() if match else len(text)
        words = text[position:end].strip()
        if words:
            ipa = from_espeak(espeak_engine.text_to_phonemes(words, voice="hi")).strip()
            out += ipa if opened else " " + ipa
            opened = False
        if match is None:
            break
        for ch in match.group():
            mark = PUNCTUATION.get(ch)
            if mark is None or (mark == "." and out.endswith(".")):
                continue
            rest = text[match.end():]
            if mark in "(“" or (mark == '"' and rest[:1].strip() and end > 0
                                and not text[end - 1].strip()):
                out += mark if opened else " " + mark
                opened = True
            else:
                out += mark
                opened = False
        position = match.end()
    spoken = _SPACES.sub(" ", out).strip()
    return "".join(_in_vocabulary(ch, vocab) for ch in spoken)


def _in_vocabulary(ch: str, vocab: Mapping[str, int]) -> str:
    """``ch`` if Kokoro knows it; else its canonical decomposition if Kokoro knows every
    part (a precomposed nasal vowel is its vowel plus U+0303); else nothing."""
    if ch in vocab:
        return ch
    parts = unicodedata.normalize("NFD", ch)
    return parts if all(p in vocab for p in parts) else ""


def tokenize(phonemes: str) -> list[int]:
    """Token ids for ``phonemes`` (symbols outside the vocabulary are dropped)."""
    vocab = vocabulary()
    return [vocab[ch] for ch in phonemes if ch in vocab]
