"""Split display text into sentences; find grapheme clusters.

Everything here works on the text as the article wrote it (after :func:`clean`). A sentence
ends at ``।``, ``॥``, ``?``, ``!``, a ``|`` used as a danda, and a ``.`` that really ends a
sentence: not the point of an initial (वी., एम.एस., के.एल.), of an abbreviation (डॉ.,
प्रो., प्रा. लि., कि.मी., रु.), of a number (3.5) or an address, nor an ellipsis. Closing
quotes and brackets stay with their sentence.

:func:`ends_sentence` is the one notion of a sentence end: the splitter uses it, and the
chunker (:mod:`narrate.text.chunks`) uses it to never take a point after an initial for a
place to stop. The tables below are this module's own (the normalizer's
:mod:`narrate.text.abbreviations` says how abbreviations are *read*; these say which dotted
words do not end a sentence, a different question with overlapping answers).
"""

from __future__ import annotations

import re
import unicodedata

from narrate.text.chars import alternation, nfc
from narrate.text.dates import DMY_DATE, MONTH_SPELLINGS

#: Latin abbreviations that end in a dot without ending a sentence (compared lower-cased).
LATIN_ABBREVIATIONS = frozenset(
    {
        "dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "jr", "sr",
        "inc", "ltd", "co", "govt", "dept", "approx", "fig", "vol", "p", "pp", "rs",
    }
)
#: Devanagari abbreviations written with a dot, which never end a sentence: titles before
#: a name (डॉ. प्रो. श्री. सुश्री. कु. स्व.), company forms (प्रा. लि.), money and
#: references (रु. पृ. क्र. नं. सं.), the halves of dotted units and places when a space
#: follows the inner dot (कि. मी., उ. प्र.), mobile/phone in contact lines (मो. फो.).
#: Not here: words that also end sentences when a text uses "." for the danda (से, ली,
#: मी, न); those lose nothing when a dotted unit is written without a space (कि.मी.).
DEVANAGARI_ABBREVIATIONS = frozenset(
    nfc(w)
    for w in (
        "डॉ", "डा", "डॉo", "प्रो", "श्री", "श्रीमती", "सुश्री", "कु", "स्व", "सं", "पृ", "क्र",
        "नं", "रु", "लि", "प्रा", "कि", "ग्रा", "मि", "पू", "जि", "उ", "प्र", "म", "हि",
        "वि", "मो", "फो", "ईo",
    )
)
#: English letters as Hindi writes them: an initial before a name (वी. नारायणन, पी.
#: चिदंबरम). "आई" is left out: it is also a verb that ends sentences (वह आई.); it still
#: counts inside dotted initials (आई.के. गुजराल), which are never a sentence end.
LETTER_NAMES = frozenset(
    nfc(w)
    for w in (
        "ए", "बी", "सी", "डी", "ई", "एफ", "जी", "एच", "जे", "के", "एल", "एम", "एन", "ओ",
        "पी", "क्यू", "आर", "एस", "टी", "यू", "वी", "डब्ल्यू", "डबल्यू", "एक्स", "वाई",
        "जेड", "ज़ेड",
    )
)

_CLOSERS = "\"'”’»)]}›"
_OPENERS = "\"'“‘«([{‹"
_TERMINATORS = "।॥?!|"

#: A run of sentence-ending punctuation with the closing quotes that belong to it.
_CLOSE = f"[{re.escape(_CLOSERS)}]*"
_END = re.compile(rf"[{re.escape(_TERMINATORS)}]+{_CLOSE}|\.+{_CLOSE}")
#: A word that closes a sentence with a danda, ? or ! (and its closing quotes).
#: A date after a bar: "नई दिल्ली | 23 जनवरी 2025", "पटना | 03/11/2025" (a dateline's bar
#: separates the place from the date; it ends no sentence).
_DATE_AHEAD = re.compile(
    rf"\s*(?:\d{{1,2}}\s+(?:{alternation(MONTH_SPELLINGS)}),?\s+\d{{4}}|{DMY_DATE.pattern})"
)
_CLOSES_SENTENCE = re.compile(rf"[।॥?!|]+{_CLOSE}$")


def is_abbreviation(word: str) -> bool:
    """Whether ``word``, written with a final dot, is an initial or an abbreviation (its
    dot ends no sentence): ``डॉ.``, ``Dr.``, ``प्रा.``, ``वी.``, ``के.एल.``, ``कि.मी.``,
    ``A.``. A word without a final dot is none."""
    word = word.rstrip(_CLOSERS)
    if not word.endswith(".") or word.endswith(".."):
        return False
    stem = word.rstrip(".").lstrip(_OPENERS)
    if not stem:
        return False
    if stem.lower() in LATIN_ABBREVIATIONS or stem in DEVANAGARI_ABBREVIATIONS:
        return True
    if stem in LETTER_NAMES:
        return True
    # dotted forms such as कि.मी, एम.एस or U.S (but not a URL, an e-mail or a domain name)
    if "." in stem and not any(c in stem for c in "/@:"):
        return all(0 < len(graphemes(part)) <= 3 for part in stem.split("."))
    # a single Latin letter is an initial (A. P. J. Abdul Kalam)
    return len(stem) == 1 and stem.isascii() and stem.isalpha()


def ends_sentence(word: str) -> bool:
    """Whether a sentence may end after ``word`` (a white-space separated word as written):
    it closes with a danda, ``?``, ``!`` or a pipe, or with a full stop that is no initial,
    abbreviation or ellipsis."""
    if _CLOSES_SENTENCE.search(word):
        return True
    bare = word.rstrip(_CLOSERS)
    return bare.endswith(".") and not bare.endswith("..") and not is_abbreviation(word)


def _dot_ends_sentence(text: str, start: int, end: int) -> bool:
    """A ``.`` ends a sentence only before white space or the end, and not after an
    abbreviation: this prevents cuts inside 3.5, example.com and डॉ. वर्मा. An ellipsis
    (``...``) is a pause inside the sentence, not its end."""
    if end < len(text) and not text[end].isspace():
        return False
    if text[start:end].rstrip(_CLOSERS).count(".") > 1:
        return False
    word_start = text.rfind(" ", 0, start) + 1
    return not is_abbreviation(text[word_start:end])


def split_sentences(text: str) -> list[str]:
    """Split a paragraph into sentences, each keeping its end punctuation and closing quotes.

    Splits only where a terminator is followed by white space, the end of the text, or a
    letter that starts the next sentence (``है।वह``); the pieces' words, joined by single
    spaces, are exactly the paragraph's words.
    """
    sentences: list[str] = []
    begin = 0
    for m in _END.finditer(text):
        start, end = m.span()
        punct = m.group()
        if punct.startswith(".") and not _dot_ends_sentence(text, start, end):
            continue
        # a pipe is a danda only when it stands apart or ends the text
        pipe_in_token = start > 0 and not text[start - 1].isspace() and end < len(text)
        if punct.startswith("|") and (pipe_in_token or _DATE_AHEAD.match(text, end)):
            continue  # a bar inside a token, or a dateline's before its date
        if end < len(text) and not text[end].isspace() and punct[0] in "?!.":
            continue  # "?!" inside a token, such as a URL query
        piece = text[begin:end].strip()
        if piece and any(ch.isalnum() for ch in piece):
            sentences.append(piece)
        elif piece and sentences:
            sentences[-1] = f"{sentences[-1]} {piece}"
        begin = end
    rest = text[begin:].strip()
    if rest:
        if any(ch.isalnum() for ch in rest) or not sentences:
            sentences.append(rest)
        else:
            sentences[-1] = f"{sentences[-1]} {rest}"
    return sentences


def _is_cluster_continuation(ch: str) -> bool:
    """Combining marks, the virama, ZWJ and ZWNJ belong to the cluster before them."""
    return unicodedata.category(ch).startswith("M") or ch in "\u200c\u200d"


def graphemes(word: str) -> list[str]:
    """Approximate extended grapheme clusters for Indic text: a cluster continues over
    combining marks (matras, nukta, anusvara), across a virama, and over ZWJ/ZWNJ."""
    clusters: list[str] = []
    for i, ch in enumerate(word):
        joins_previous = i > 0 and (
            _is_cluster_continuation(ch) or word[i - 1] in "\u094d\u200d\u200c"
        )
        if joins_previous and clusters:
            clusters[-1] += ch
        else:
            clusters.append(ch)
    return clusters


def split_graphemes(word: str, max_len: int) -> list[str]:
    """Last resort for a single word longer than ``max_len``: cut between grapheme
    clusters, never inside one, each piece at most ``max_len`` code points."""
    pieces: list[str] = []
    current = ""
    for cluster in graphemes(word):
        if current and len(current) + len(cluster) > max_len:
            pieces.append(current)
            current = ""
        current += cluster
    if current:
        pieces.append(current)
    return pieces
