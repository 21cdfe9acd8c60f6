"""Rules for characters and symbols: other scripts' digits read as digits, ``&``, and pipes
used as dandas.
"""

from __future__ import annotations

import re
import unicodedata

from narrate.text.chars import nfc


def ascii_digits(text: str) -> str:
    """Prevent two readings of one number: Devanagari digits (१९४७), like any other
    script's decimal digits, are read exactly as ASCII ones (spoken form only)."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


_LATIN_AMPERSAND = re.compile(r"(?<=[A-Za-z])&(?=[A-Za-z])")
_DOUBLE_PIPE = re.compile(r"\s*(?:\|\s*\||॥)")
_PIPE = re.compile(r"\s*(?:\||।)")


#: A slash with a space on each side between two phone numbers ("155261 / 011-24300606"):
#: an "or". A fraction, a date or a score has no spaces and fewer digits; between words a
#: spaced slash may be a verse's line break, so it is left alone.
_SPACED_SLASH = re.compile(r"(?<=[0-9]{5})\s+/\s+(?=\+?[0-9][0-9-]{4})")


def read_symbols(text: str) -> str:
    """Prevent "&", "|" and " / " from being read out or dropped: "&" is "और" ("एंड" inside
    a Latin name such as AT&T), a pipe typed for a danda becomes "।" and "||" becomes "॥"
    (in Hindi text a pipe is a danda; elsewhere, a title separator or a table cell, a
    pause is still right), and a slash with spaces around it between two phone numbers
    is "या" ("155261 / 011-24300606"). No space is left before a danda."""
    if " /" in text:
        text = _SPACED_SLASH.sub(nfc(" या "), text)
    if "&" in text:
        text = _LATIN_AMPERSAND.sub(nfc(" एंड "), text)
        text = text.replace("&", nfc(" और "))
    if "|" in text or "।" in text or "॥" in text:
        text = _DOUBLE_PIPE.sub("॥", text)
        text = _PIPE.sub("।", text)
    return text
