"""What every family of rules shares: the characters of a word, :func:`clean`, NFC helpers
and Latin-script tokens.

This is the bottom of :mod:`narrate.text`: the rule modules, :mod:`narrate.text.lexicon`
and :mod:`narrate.text.normalize` import from it, and it imports none of them, so imports
run one way. A *Latin-script token* is a run of ASCII letters and digits, possibly joined
by ``-`` or ``.``, with at least one letter (5G, MP3, COVID-19, G20, v2.0). Google reads
those well, so their digits are left alone; every other digit is spelled in Hindi words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Mapping

Rule = Callable[[str], str]


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def hindi_re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern written with Hindi words, in NFC like the text it will meet."""
    return re.compile(nfc(pattern), flags)


def alternation(words: Mapping[str, str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first so that "km/h" wins over "km"."""
    return "|".join(re.escape(nfc(w)) for w in sorted(words, key=lambda w: (-len(w), w)))


ZWJ = "\u200d"
ZWNJ = "\u200c"

#: One character of a word. Python's ``\w`` does not match Devanagari vowel signs, virama
#: or nukta (``\b`` would find a boundary inside "रामायण"), so the Devanagari block, its
#: Vedic extensions and ZWJ/ZWNJ are added; the underscore is not a word character here.
WORD_CHAR = r"(?:[^\W_]|[\u0900-\u0963\u0971-\u097F\u1CD0-\u1CFF\uA8E0-\uA8FF\u200C\u200D])"
#: A Devanagari letter or sign (and ZWJ/ZWNJ, which only occur inside words).
DEVANAGARI = r"[\u0900-\u0963\u0971-\u097F\u1CD0-\u1CFF\uA8E0-\uA8FF\u200C\u200D]"

SPACES = re.compile(r"\s+")
_KEEP = frozenset({ZWJ, ZWNJ})
#: Invisible characters that are not format controls: the combining grapheme joiner.
_ALSO_INVISIBLE = frozenset({"\u034f"})


def _visible(ch: str) -> bool:
    if ch in _KEEP:
        return True
    category = unicodedata.category(ch)
    if category == "Cf":  # soft hyphen, ZWSP, word joiner, BOM, LRM/RLM, bidi controls…
        return False
    if category == "Cc":  # control characters; tabs and newlines become spaces below
        return ch.isspace()
    return ch not in _ALSO_INVISIBLE


def clean(text: str) -> str:
    """Text as the article wrote it, ready to show and to compare.

    NFC (so क़ typed as one code point or as क + ़ comes out the same: NFC keeps it
    decomposed), invisible characters removed except ZWJ and ZWNJ (they change how a
    conjunct is drawn), every run of white space (NBSP, thin and em spaces, tabs, line
    breaks) one plain space, no space at either end. Spelling, digits and punctuation stay.
    """
    if not text.isascii() or not text.isprintable():
        text = nfc("".join(ch for ch in text if _visible(ch)))
    return SPACES.sub(" ", text).strip()


def pad(words: str, match: re.Match[str]) -> str:
    """``words`` in place of ``match``, with a space where it would otherwise touch a word
    ("5लाख" -> "पाँच लाख"). Surplus spaces are removed by :func:`tidy`."""
    text = match.string
    touches_before = match.start() > 0 and WORD.match(text, match.start() - 1)
    before = " " if touches_before and not words.startswith(" ") else ""
    after = " " if WORD.match(text, match.end()) and not words.endswith(" ") else ""
    return f"{before}{words}{after}"


WORD = re.compile(WORD_CHAR)


_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*")
HAS_LETTER = re.compile(r"[A-Za-z]")
HAS_DIGIT = re.compile(r"[0-9]")


def latin_tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the Latin-script tokens with digits in ``text`` (5G, MP3, COVID-19): their
    digits are left for the engine to read."""
    return [
        m.span()
        for m in _LATIN_TOKEN.finditer(text)
        if HAS_LETTER.search(m.group()) and HAS_DIGIT.search(m.group())
    ]


def outside_latin_tokens(text: str, read: Rule) -> str:
    """``read`` applied to the parts of ``text`` between Latin-script tokens with digits."""
    if not HAS_DIGIT.search(text):
        return text
    parts: list[str] = []
    last = 0
    for start, end in latin_tokens(text):
        parts += [read(text[last:start]), text[start:end]]
        last = end
    parts.append(read(text[last:]))
    return "".join(parts)
