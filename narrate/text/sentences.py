"""Split display text into sentences, and sentences into clauses and words.

Everything here works on the text as the article wrote it (after :func:`clean`): the
chunker decides where a request to the engine may end, and a boundary in the wrong place
changes how Google intones the sentence. Sentences end at ``।``, ``॥``, ``?``, ``!``, a
``|`` used as a danda, and ``.`` when it really ends a sentence (not after ``डॉ.``, not inside
a number or a URL). Closing quotes and brackets stay with their sentence.
"""

from __future__ import annotations

import re
import unicodedata

#: Latin abbreviations that end in a dot without ending a sentence.
LATIN_ABBREVIATIONS = frozenset(
    {
        "dr", "mr", "mrs", "ms", "prof", "st", "vs", "etc", "e.g", "i.e", "no", "jr", "sr",
        "inc", "ltd", "co", "govt", "dept", "approx", "fig", "vol", "p", "pp", "rs",
    }
)
#: Devanagari abbreviations that end in a dot without ending a sentence.
DEVANAGARI_ABBREVIATIONS = frozenset(
    {
        "डॉ", "डा", "प्रो", "श्री", "श्रीमती", "सुश्री", "कु", "स्व", "सं", "पृ", "कि",
        "मी",
        "ग्रा", "ली", "से", "मि", "ई", "ईo", "पू", "रु", "जि", "न", "उ", "प्र", "म", "डॉo",
    }
)

_CLOSERS = "\"'”’»)]}›"
_TERMINATORS = "।॥?!|"

#: A run of sentence-ending punctuation with the closing quotes that belong to it.
_CLOSE = f"[{re.escape(_CLOSERS)}]*"
_END = re.compile(rf"[{re.escape(_TERMINATORS)}]+{_CLOSE}|\.+{_CLOSE}")

#: Conjunctions a long sentence may be split before, strongest first (the issue's list).
CONJUNCTIONS = (
    "लेकिन", "परंतु", "किंतु", "बल्कि", "क्योंकि", "जबकि", "इसलिए", "ताकि", "और", "तो", "कि",
    "जो", "या", "अथवा", "जिससे", "जिसमें", "जिसे", "जहाँ", "जहां", "जब",
)


def _is_abbreviation(token: str) -> bool:
    """Prevent a cut after ``डॉ.``, ``Dr.``, ``कि.मी.`` or an initial like ``A.``."""
    word = token.rstrip(".").split()[-1] if token.strip(". ") else ""
    word = word.lstrip("\"'“‘(«[")
    if not word:
        return False
    if word.lower() in LATIN_ABBREVIATIONS or word in DEVANAGARI_ABBREVIATIONS:
        return True
    # dotted forms such as कि.मी or U.S (but not a URL, an e-mail or a domain name)
    if "." in word and not any(c in word for c in "/@:"):
        return all(0 < len(part) <= 3 for part in word.split("."))
    # a single Latin letter is an initial (A. P. J. Abdul Kalam)
    return len(word) == 1 and word.isascii() and word.isalpha()


def _dot_ends_sentence(text: str, start: int, end: int) -> bool:
    """A ``.`` ends a sentence only before white space or the end, and not after an
    abbreviation: this prevents cuts inside 3.5, example.com and डॉ. वर्मा. An ellipsis
    (``...``) is a pause inside the sentence, not its end."""
    if end < len(text) and not text[end].isspace():
        return False
    if text[start:end].rstrip(_CLOSERS).count(".") > 1:
        return False
    return not _is_abbreviation(text[:start])


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
        if punct.startswith("|") and pipe_in_token:
            continue
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


#: Punctuation after which a clause may end: comma, semicolon, colon, dashes. A comma or
#: colon between digits (1,50,000; 10:30) is never a boundary, since white space must follow.
_CLAUSE_END = re.compile(r"(?<=[,;:،])\s+|(?<=\s[—–-])\s+|(?<=\.\.\.)\s+")


def split_clauses(sentence: str) -> list[str]:
    """Split at clause punctuation (``,`` ``;`` ``:``, a spaced dash, an ellipsis), keeping
    the punctuation with the clause it ends."""
    return [p for p in (s.strip() for s in _CLAUSE_END.split(sentence)) if p]


_CONJ_RE = re.compile(
    r"\s+(?=(?:" + "|".join(re.escape(c) for c in CONJUNCTIONS) + r")(?=\s|$))"
)


def split_at_conjunctions(clause: str) -> list[str]:
    """Split before a conjunction (और, लेकिन, कि, …): the conjunction opens the next piece.

    A conjunction at the very start is not a split point. The lookahead ``(?=\\s|$)``
    keeps words that merely begin with a conjunction (``औरत``, ``तोता``) whole.
    """
    return [p for p in (s.strip() for s in _CONJ_RE.split(clause)) if p]


#: Postpositions after which a phrase ends: the last resort before a bare word boundary.
POSTPOSITIONS = frozenset({"ने", "को", "से", "में", "पर", "तक", "द्वारा", "मुताबिक", "अनुसार"})
POSTPOSITION_PAIRS = frozenset(
    {"के लिए", "के बाद", "के साथ", "के बीच", "के दौरान", "के पास", "की ओर", "के तहत"}
)


def split_phrases(text: str) -> list[str]:
    """Split after a postposition (ने, को, में, के मुताबिक, …): where a sentence has no
    clause boundary, a phrase end is a far better breath than an arbitrary word."""
    words = text.split()
    phrases: list[str] = []
    start = 0
    for i, word in enumerate(words[:-1]):
        pair = f"{words[i - 1]} {word}" if i else ""
        if word.rstrip(",") in POSTPOSITIONS or pair in POSTPOSITION_PAIRS:
            phrases.append(" ".join(words[start : i + 1]))
            start = i + 1
    phrases.append(" ".join(words[start:]))
    return [p for p in phrases if p]


#: Words a number holds on to when a sentence is cut between words: the word before it
#: and this many after it ("सुबह 6:15 बजे", "₹1 लाख करोड़ रुपये"). Each piece is spoken on
#: its own, and a number's reading depends on its neighbours (the part of the day said
#: once, the currency after the scale words).
NUMBER_HOLDS_AFTER = 3


def split_words(text: str) -> list[str]:
    """Split at white space only: a word is never cut here, nor a number from the word
    before it and the :data:`NUMBER_HOLDS_AFTER` words after it."""
    pieces: list[list[str]] = []
    held = 0  # words after a number still bound to it
    for word in text.split():
        has_digit = any(ch.isdigit() for ch in word)
        if pieces and (held > 0 or has_digit):
            pieces[-1].append(word)
        else:
            pieces.append([word])
        held = NUMBER_HOLDS_AFTER if has_digit else held - 1
    return [" ".join(p) for p in pieces]


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
