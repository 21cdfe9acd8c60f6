"""From the text as written to the text as spoken.

Two entry points:

* :func:`clean` is for text shown to people (chapter titles, captions, the transcript): NFC,
  no invisible characters except ZWJ/ZWNJ, plain single spaces. Nothing else changes: the
  article keeps its spelling, digits and punctuation.
* :func:`speak` is the spoken form sent to the engine: :func:`clean`, then every rule of
  :data:`RULES` in order, with the user's lexicon applied between the clean-up rules
  (:data:`MARKUP_RULES`) and the reading rules (:data:`READING_RULES`).

Each rule is a small ``str -> str`` function whose docstring says what it prevents. Rules
work on any fragment of a sentence (the chunker calls :func:`speak` on clauses), together
they are idempotent, and their output is NFC. The rules are constants: to change what
narrate says, use a lexicon, not a patched rule list.

A *Latin-script token* is a run of ASCII letters and digits, possibly joined by ``-`` or
``.``, with at least one letter (5G, MP3, COVID-19, G20, v2.0). Google reads those well, so
their digits are left alone; every other digit is spelled in Hindi words.
"""

from __future__ import annotations

import datetime as dt
import html
import re
import unicodedata
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING

from narrate.text.numbers import (
    MINUS,
    decimal_to_words,
    digits_to_words,
    grouped_to_int,
    half_to_words,
    int_to_words,
    ordinal_to_words,
    year_to_words,
)

if TYPE_CHECKING:
    from narrate.text.lexicon import Lexicon

Rule = Callable[[str], str]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def _re(pattern: str, flags: int = 0) -> re.Pattern[str]:
    """Compile a pattern written with Hindi words, in NFC like the text it will meet."""
    return re.compile(_nfc(pattern), flags)


def _alternation(words: Mapping[str, str] | tuple[str, ...]) -> str:
    """A regex alternation of ``words``, longest first so that "km/h" wins over "km"."""
    return "|".join(re.escape(_nfc(w)) for w in sorted(words, key=lambda w: (-len(w), w)))


ZWJ = "\u200d"
ZWNJ = "\u200c"

#: One character of a word. Python's ``\w`` does not match Devanagari vowel signs, virama
#: or nukta (``\b`` would find a boundary inside "रामायण"), so the Devanagari block, its
#: Vedic extensions and ZWJ/ZWNJ are added; the underscore is not a word character here.
WORD_CHAR = r"(?:[^\W_]|[\u0900-\u0963\u0971-\u097F\u1CD0-\u1CFF\uA8E0-\uA8FF\u200C\u200D])"
_W = WORD_CHAR
#: A Devanagari letter or sign (and ZWJ/ZWNJ, which only occur inside words).
_DEVANAGARI = r"[\u0900-\u0963\u0971-\u097F\u1CD0-\u1CFF\uA8E0-\uA8FF\u200C\u200D]"

_SPACES = re.compile(r"\s+")
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
        text = _nfc("".join(ch for ch in text if _visible(ch)))
    return _SPACES.sub(" ", text).strip()


def _pad(words: str, match: re.Match[str]) -> str:
    """``words`` in place of ``match``, with a space where it would otherwise touch a word
    ("5लाख" -> "पाँच लाख"). Surplus spaces are removed by :func:`tidy`."""
    text = match.string
    touches_before = match.start() > 0 and _WORD.match(text, match.start() - 1)
    before = " " if touches_before and not words.startswith(" ") else ""
    after = " " if _WORD.match(text, match.end()) and not words.endswith(" ") else ""
    return f"{before}{words}{after}"


_WORD = re.compile(_W)

# --- mark-up -------------------------------------------------------------------------


def unescape_entities(text: str) -> str:
    """Prevent "&amp;", "&nbsp;" or "&#2325;" from being read out: HTML entities become the
    characters they stand for, before any other rule looks at the text."""
    if "&" not in text:
        return text
    return clean(html.unescape(text))


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_ATTRIBUTE = r"""\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"</?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>")
#: Tags that sit inside a word or a sentence; any other tag separates words.
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i",
        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var", "wbr",
    }
)  # fmt: skip
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+|[^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MD_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_CITATION = re.compile(r"\[[0-9]{1,3}\]")


def _strip_markup_once(text: str) -> str:
    text = _COMMENT.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(lambda m: "" if m["name"].lower() in _INLINE_TAGS else " ", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REFERENCE_LINK.sub(r"\1", text)
    return _CITATION.sub("", text)


def strip_markup(text: str) -> str:
    """Prevent leftover mark-up from being read out: HTML tags and comments go, a Markdown
    link or image becomes its text, citation marks such as [1] go (a heading's # or a
    bullet at the start is dropped by :func:`tidy`). Repeated until nothing changes, so
    that "<<b>b>" cannot leave a tag behind."""
    if "<" not in text and "[" not in text:
        return text
    while True:
        stripped = _strip_markup_once(text)
        if stripped == text:
            return stripped
        text = stripped


_EMPHASIS_INSIDE = re.compile(rf"(?<={_W})(?:[*_`]|~~)+(?={_W})")
_EMPHASIS = re.compile(r"[*_`]+|~~+")


def strip_emphasis(text: str) -> str:
    """Prevent Markdown emphasis from being read out: *, _, ` and ~~ go; between two words
    ("a_b", "5*3") they become a space rather than joining them. Last of the mark-up
    rules, it also collapses the spaces they leave, so that the reading rules (and the
    lexicon) meet single spaces the first time as they do the second."""
    text = _EMPHASIS_INSIDE.sub(" ", text)
    return _SPACES.sub(" ", _EMPHASIS.sub("", text)).strip()


# --- web addresses ---------------------------------------------------------------------

_DOT = _nfc("डॉट")
_AT = _nfc("एट")
_EMAIL_SIGNS = {".": _DOT, "_": _nfc("अंडरस्कोर"), "-": _nfc("हाइफ़न"), "+": _nfc("प्लस")}
_URL_CHAR = r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]"
_URL = re.compile(rf"(?:https?|ftp)://{_URL_CHAR}+|(?<![A-Za-z])www\.{_URL_CHAR}+", re.IGNORECASE)
_EMAIL = re.compile(
    r"(?<![A-Za-z0-9._%+\-])(?P<local>[A-Za-z0-9._%+\-]+)"
    r"@(?P<domain>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+[A-Za-z]{2,})(?![A-Za-z0-9\-@])"
)
#: Top-level domains that make a bare "name.tld" a web address (a closed list, so that
#: "Node.js" or "e.g." are not taken for one).
_TLDS = (
    "com", "in", "org", "net", "gov", "edu", "co", "io", "info", "ai", "app", "news", "tv",
    "me", "uk", "us", "live", "online", "dev", "biz", "nic", "int", "site", "xyz",
)  # fmt: skip
_BARE_DOMAIN = re.compile(
    r"(?<![A-Za-z0-9])(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
    rf"(?:{'|'.join(_TLDS)}))(?![A-Za-z0-9\-])(?:/{_URL_CHAR}*)?"
)
_TRAILING = re.compile(r"[.,;:!?'\")\]}*]+$")
_SCHEME = re.compile(r"^(?:(?:https?|ftp)://)?(?:www\.)?", re.IGNORECASE)
_LABEL_SEPARATORS = re.compile(r"[^A-Za-z0-9-]+")


def _host_words(address: str) -> str:
    """The host of a web address, its labels joined by "डॉट"; scheme, www, user, port,
    path and query dropped."""
    rest = _SCHEME.sub("", address)
    host = re.split(r"[/?#]", rest, maxsplit=1)[0].rsplit("@", 1)[-1].split(":", 1)[0]
    if host.lower().startswith("www."):
        host = host[4:]
    return f" {_DOT} ".join(label for label in _LABEL_SEPARATORS.split(host) if label)


def _read_address(match: re.Match[str]) -> str:
    address = match.group()
    trailing = _TRAILING.search(address)
    tail = trailing.group() if trailing else ""
    address = address[: len(address) - len(tail)]
    return _pad(f"{_host_words(address)}{tail}", match)


def _read_email(match: re.Match[str]) -> str:
    local = re.sub(
        r"[._+\-]|[^A-Za-z0-9._+\-]",
        lambda m: f" {_EMAIL_SIGNS.get(m.group(), '')} ",
        match["local"],
    )
    domain = f" {_DOT} ".join(match["domain"].split("."))
    return _pad(f"{local.strip()} {_AT} {domain}", match)


def read_urls(text: str) -> str:
    """Prevent a web or e-mail address from being spelled character by character: a URL
    is said as its host ("https://pmfby.gov.in/abc" -> "pmfby डॉट gov डॉट in"; scheme, www
    and path dropped: a listener cannot click), an e-mail as "user एट example डॉट com"."""
    if "." not in text:
        return text
    text = _URL.sub(_read_address, text)
    text = _EMAIL.sub(_read_email, text)
    return _BARE_DOMAIN.sub(_read_address, text)


MARKUP_RULES: tuple[Rule, ...] = (unescape_entities, strip_markup, read_urls, strip_emphasis)

# --- words and symbols -------------------------------------------------------------------


def ascii_digits(text: str) -> str:
    """Prevent two readings of one number: Devanagari digits (१९४७), like any other
    script's decimal digits, are read exactly as ASCII ones (spoken form only)."""
    if text.isascii():
        return text
    return "".join(
        str(unicodedata.decimal(ch)) if not ch.isascii() and ch.isdecimal() else ch for ch in text
    )


#: Dotted abbreviations, said in full. A dot may also be the abbreviation sign ॰, and a
#: space may follow an inner dot ("कि. मी."). Not here: "ई." (only after a year), "सं."
#: (only before a number: it is also संवत, संपादक…), "रु." (a currency, see read_money),
#: and "श्री", which is read fine and only loses a stray dot.
ABBREVIATIONS: Mapping[str, str] = {
    "डॉ.": "डॉक्टर",
    "डा.": "डॉक्टर",
    "प्रो.": "प्रोफ़ेसर",
    "श्री.": "श्री",
    "श्रीमती.": "श्रीमती",
    "सुश्री.": "सुश्री",
    "कु.": "कुमारी",
    "स्व.": "स्वर्गीय",
    "पृ.": "पृष्ठ",
    "क्र.": "क्रमांक",
    "नं.": "नंबर",
    "लि.": "लिमिटेड",
    "प्रा.": "प्राइवेट",
    "कि.मी.": "किलोमीटर",
    "कि.ग्रा.": "किलोग्राम",
    "मि.मी.": "मिलीमीटर",
    "से.मी.": "सेंटीमीटर",
    "मि.ली.": "मिलीलीटर",
    "ई.पू.": "ईसा पूर्व",
    "वि.सं.": "विक्रम संवत",
    "उ.प्र.": "उत्तर प्रदेश",
    "म.प्र.": "मध्य प्रदेश",
    "हि.प्र.": "हिमाचल प्रदेश",
    "Dr.": "डॉक्टर",
    "Mr.": "मिस्टर",
    "Mrs.": "मिसेज़",
    "Ms.": "मिज़",
    "Prof.": "प्रोफ़ेसर",
    "etc.": "इत्यादि",
    "vs.": "बनाम",
    "vs": "बनाम",
    "Vs.": "बनाम",
    "v/s": "बनाम",
}
_ABBREVIATION_WORDS = {_nfc(k): _nfc(v) for k, v in ABBREVIATIONS.items()}


def _abbreviation_pattern(abbreviation: str) -> str:
    """A dot may be the abbreviation sign ॰ and may be followed by a space inside. The
    abbreviation must start a word of its own script: a digit or a letter of the other
    script before it is a boundary (the number rules will separate them anyway)."""
    before = rf"(?<!{_DEVANAGARI})" if "\u0900" <= abbreviation[0] <= "\u097f" else r"(?<![A-Za-z])"
    if abbreviation.endswith("."):
        parts = abbreviation[:-1].split(".")
        # all the dots at the end: "श्री.." must not leave "श्री." behind
        return before + r"[.॰]\s?".join(re.escape(p) for p in parts) + r"[.॰]+"
    return before + re.escape(abbreviation) + rf"(?!{_W})"


#: Longest first, so that "श्रीमती." wins over "श्री." and "ई.पू." is one abbreviation.
_ABBREVIATION_ORDER = sorted(_ABBREVIATION_WORDS, key=lambda k: (-len(k), k))
_ABBREVIATION = re.compile(
    "|".join(f"(?P<a{i}>{_abbreviation_pattern(k)})" for i, k in enumerate(_ABBREVIATION_ORDER))
)
_ABBREVIATION_BY_GROUP = {
    f"a{i}": _ABBREVIATION_WORDS[k] for i, k in enumerate(_ABBREVIATION_ORDER)
}
_ERA = _re(r"(?<=[0-9])\s?ई[.॰](?!\s?पू[.॰])")
_NUMBER_SIGN = _re(rf"(?:(?<!{_DEVANAGARI})सं[.॰]|(?<![A-Za-z0-9])[Nn]o\.)\s?(?=[0-9])")


def expand_abbreviations(text: str) -> str:
    """Prevent "डॉ." from being read as a syllable and its dot as a pause: common
    abbreviations are said in full (डॉ. -> डॉक्टर, कि.मी. -> किलोमीटर, Mr. -> मिस्टर, 1947
    ई. -> 1947 ईसवी, सं. 5 -> संख्या 5). Whole words only."""
    if "." not in text and "॰" not in text and "v" not in text:
        return text
    text = _ABBREVIATION.sub(lambda m: _pad(_ABBREVIATION_BY_GROUP[str(m.lastgroup)], m), text)
    text = _ERA.sub(lambda m: " " + _pad(_nfc("ईसवी"), m).lstrip(), text)
    return _NUMBER_SIGN.sub(
        lambda m: _nfc("संख्या ") if m.group().startswith(_nfc("सं")) else _nfc("नंबर "), text
    )


_LATIN_AMPERSAND = re.compile(r"(?<=[A-Za-z])&(?=[A-Za-z])")
_DOUBLE_PIPE = re.compile(r"\s*(?:\|\s*\||॥)")
_PIPE = re.compile(r"\s*(?:\||।)")


def read_symbols(text: str) -> str:
    """Prevent "&" and "|" from being read out or dropped: "&" is "और" ("एंड" inside a
    Latin name such as AT&T), a pipe typed for a danda becomes "।" and "||" becomes "॥"
    (in Hindi text a pipe is a danda; elsewhere, a title separator or a table cell, a
    pause is still right). No space is left before a danda."""
    if "&" in text:
        text = _LATIN_AMPERSAND.sub(_nfc(" एंड "), text)
        text = text.replace("&", _nfc(" और "))
    if "|" in text or "।" in text or "॥" in text:
        text = _DOUBLE_PIPE.sub("॥", text)
        text = _PIPE.sub("।", text)
    return text


# --- numbers -----------------------------------------------------------------------------

#: The fraction signs read by :func:`read_fraction_signs`; the rules before it leave a
#: number followed by one ("2½", "1½ लाख") to it.
_FRACTION_SIGNS = "½¼¾⅓⅔"

_LATIN_TOKEN = re.compile(r"[A-Za-z0-9]+(?:[-.][A-Za-z0-9]+)*")
_HAS_LETTER = re.compile(r"[A-Za-z]")
_HAS_DIGIT = re.compile(r"[0-9]")


def latin_tokens(text: str) -> list[tuple[int, int]]:
    """Spans of the Latin-script tokens with digits in ``text`` (5G, MP3, COVID-19): their
    digits are left for the engine to read."""
    return [
        m.span()
        for m in _LATIN_TOKEN.finditer(text)
        if _HAS_LETTER.search(m.group()) and _HAS_DIGIT.search(m.group())
    ]


def _outside_latin_tokens(text: str, read: Rule) -> str:
    """``read`` applied to the parts of ``text`` between Latin-script tokens with digits."""
    if not _HAS_DIGIT.search(text):
        return text
    parts: list[str] = []
    last = 0
    for start, end in latin_tokens(text):
        parts += [read(text[last:start]), text[start:end]]
        last = end
    parts.append(read(text[last:]))
    return "".join(parts)


_GLUED_UNIT = re.compile(
    r"(?<![A-Za-z0-9.,])(?P<n>[0-9](?:[0-9,.]*[0-9])?)"
    r"(?P<unit>km/h|kmph|km|kg|cm|mm|ml|mg|MW|kW|GW|GB|MB|TB|[AaPp]\.?[Mm]\.?)(?![A-Za-z0-9])"
)
_GLUED_CURRENCY = re.compile(r"(?<![A-Za-z0-9])(?P<c>[Rr][Ss]\.?|INR)(?=[0-9])")


def separate_glued_units(text: str) -> str:
    """Prevent "5km", "10am" or "Rs4,250" from being kept as a Latin-script token like
    "5G": a known unit, am/pm or currency is split from its number so it is read."""
    if not _HAS_DIGIT.search(text):
        return text
    text = _GLUED_CURRENCY.sub(r"\g<c> ", text)
    return _GLUED_UNIT.sub(r"\g<n> \g<unit>", text)


#: Scale words that may follow an amount, as written -> as said (read_money says them; a
#: number before one is an amount, not a phone number).
SCALE_WORDS: Mapping[str, str] = {
    _nfc(k): _nfc(v)
    for k, v in {
        "हज़ार": "हज़ार", "हजार": "हज़ार", "लाख": "लाख", "करोड़": "करोड़", "करोड": "करोड़",
        "अरब": "अरब", "खरब": "खरब", "thousand": "हज़ार", "lakh": "लाख", "lakhs": "लाख",
        "lac": "लाख", "crore": "करोड़", "crores": "करोड़", "cr": "करोड़", "million": "मिलियन",
        "billion": "बिलियन", "trillion": "ट्रिलियन",
    }.items()
}  # fmt: skip
_SCALE = rf"(?P<scale>{_alternation(SCALE_WORDS)})(?!{_W})"
_SCALE_AHEAD = re.compile(rf"\s?{_SCALE}")

#: Words after which a run of six or more digits is a phone number (or a PIN code).
PHONE_CUES: tuple[str, ...] = tuple(
    _nfc(w)
    for w in (
        "नंबर", "नम्बर", "नंबरों", "नम्बरों", "फोन", "फ़ोन", "मोबाइल", "मोबाईल", "मो.",
        "हेल्पलाइन", "संपर्क", "सम्पर्क", "टोल फ्री", "टोल-फ्री", "टोल फ़्री", "टोल-फ़्री",
        "टोलफ्री", "कॉल", "डायल", "व्हाट्सएप", "व्हाट्सऐप", "वॉट्सऐप", "वॉट्सएप", "फैक्स",
        "फ़ैक्स", "पिन कोड", "पिनकोड", "पिन", "phone", "mobile", "tel", "helpline", "whatsapp",
        "fax", "pin", "call", "toll-free", "toll free", "number",
    )
)  # fmt: skip
#: Words that may stand between a cue and its number ("नंबर है", "कॉल करें", "के लिए").
_PHONE_FILLERS = (
    "है", "हैं", "था", "थी", "थे", "करें", "करे", "कीजिए", "करिए", "करो", "के लिए", "सूत्र",
    "संख्या",
)  # fmt: skip
_LETTER = rf"(?:[^\W\d_]|{_DEVANAGARI})"
_PHONE_GAP = r"[\s:\-–—=(]*"
#: Groups of digits with a single space or hyphen between them; a group of ten digits or
#: more (a whole mobile number) is the last, so that "9876543210 2019" stays two numbers.
_PHONE_DIGITS = r"(?:[0-9]{1,9}[ -])*[0-9]+"
_PHONE_END = r"(?![0-9A-Za-z]|[.,:/\-][0-9])"
_CUED_PHONE = _re(
    rf"(?P<pre>(?<!{_W})(?:{_alternation(PHONE_CUES)})(?!{_LETTER})"
    rf"(?:{_PHONE_GAP}(?:{_alternation(PHONE_CUES + _PHONE_FILLERS)})(?!{_LETTER})){{0,2}}"
    rf"{_PHONE_GAP})(?P<plus>\+\s?)?(?P<num>{_PHONE_DIGITS}){_PHONE_END}",
    re.IGNORECASE,
)
#: Without a cue: a country code (+91 …), a mobile (9876543210, 98765 43210), a toll-free
#: number in groups (1800-11-4000) or a landline with its STD code (011-23456789).
_BARE_PHONE = re.compile(
    r"(?<![0-9A-Za-z.,/:+\-−–—])(?:(?P<plus>\+)(?P<intl>(?:[0-9]{1,9}[ -])*[0-9]+)"
    r"|(?P<num>[6-9][0-9]{9}|[6-9][0-9]{4} [0-9]{5}|1800(?:[ -][0-9]{2,7}){1,2}"
    rf"|0[1-9][0-9]{{1,2}}[ -][0-9]{{6,8}})){_PHONE_END}"
)
_PHONE_SEPARATOR = re.compile(r"[ -]")
_YEARS_WITH_DASH = re.compile(r"(?:1[0-9]{3}|20[0-9]{2})-(?:[0-9]{2}|1[0-9]{3}|20[0-9]{2})")
#: A currency just before a number, or a currency, a scale word or % just after it: an
#: amount, never a phone number ("₹9876543210", "9876543210 रुपये"); so is a measure.
_CURRENCY_BEHIND = _re(rf"(?:₹|\$|€|£|(?<![A-Za-z])(?:[Rr][Ss]\.?|INR)|(?<!{_W})र[ुू][.॰])\s?$")
_AMOUNT_AHEAD = _re(
    r"\s?(?:%|(?:रुपये|रुपए|रुपया|रुपयों|रु[.॰]|रू[.॰]|पैसे|डॉलर|प्रतिशत"
    rf"|{_alternation(SCALE_WORDS)})(?!{_W}))",
    re.IGNORECASE,
)
_PLUS = _nfc("प्लस")


def phone_to_words(number: str) -> str:
    """A phone number digit by digit, a comma where the writer put a space or a hyphen and
    "प्लस" for a leading +: "+91 98765 43210" -> "प्लस नौ एक, नौ आठ सात छह पाँच, चार तीन दो
    एक शून्य"."""
    plus, number = number.startswith("+"), number.lstrip("+").strip()
    words = ", ".join(digits_to_words(group) for group in _PHONE_SEPARATOR.split(number))
    return f"{_PLUS} {words}" if plus else words


def _digit_count(number: str) -> int:
    return sum(ch.isdigit() for ch in number)


def _is_amount(text: str, start: int, end: int) -> bool:
    return bool(
        _CURRENCY_BEHIND.search(text, 0, start)
        or _AMOUNT_AHEAD.match(text, end)
        or _UNIT.match(text, end)
    )


def _read_cued_phone(match: re.Match[str]) -> str:
    number = match["num"]
    if (
        not 6 <= _digit_count(number) <= 15
        or _is_amount(match.string, match.start("num"), match.end())
        or _ISO_DATE.fullmatch(number)
        or _DMY_DATE.fullmatch(number)
        or _YEARS_WITH_DASH.fullmatch(number)
    ):
        return match.group()
    pre = match["pre"]
    if _WORD.match(pre, len(pre) - 1):
        pre += " "
    return pre + _pad(phone_to_words(f"{match['plus'] or ''}{number}"), match)


def _read_bare_phone(match: re.Match[str]) -> str:
    if match["plus"]:
        valid = 10 <= _digit_count(match["intl"]) <= 15
    elif match["num"].startswith("1800"):
        valid = 10 <= _digit_count(match["num"]) <= 11
    else:  # 7000000000 is a count (seven billion), not a mobile
        valid = not match["num"].endswith("00000")
    if not valid or _is_amount(match.string, match.start(), match.end()):
        return match.group()
    return _pad(phone_to_words(match.group()), match)


def _read_phones(text: str) -> str:
    text = _CUED_PHONE.sub(_read_cued_phone, text)
    return _BARE_PHONE.sub(_read_bare_phone, text)


def read_phone_numbers(text: str) -> str:
    """Prevent "9876543210" from being read "नौ अरब सत्तासी करोड़…" and "1800-11-4000" as
    arithmetic: a phone number is said digit by digit, with a comma where the writer put a
    space or a hyphen, and "+" as "प्लस". A phone number is six or more digits shortly after
    a cue (नंबर, फोन, मोबाइल, हेल्पलाइन, संपर्क, टोल फ्री, कॉल, व्हाट्सएप, फैक्स, पिन कोड…);
    without a cue, a number with a country code (+91 …), a ten-digit mobile starting 6–9
    (9876543210, 98765 43210), a toll-free 1800 number in groups or a landline with its STD
    code (011-23456789). Never an amount (₹, रुपये, लाख… next to it), a date or a range."""
    return _outside_latin_tokens(text, _read_phones)


MONTHS: tuple[str, ...] = tuple(
    _nfc(m)
    for m in (
        "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
        "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
    )
)  # fmt: skip
#: Month names as articles write them, for recognising a year after a month.
_MONTH_SPELLINGS = (
    *MONTHS, "फरवरी", "अप्रेल", "सितम्बर", "अक्तूबर", "नवम्बर", "दिसम्बर", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip

_NOT_BEFORE_NUMBER = r"(?<![0-9.,/:\-−–—])"
_NOT_AFTER_NUMBER = r"(?![0-9]|[.,/:\-][0-9])"
_ISO_DATE = re.compile(
    rf"{_NOT_BEFORE_NUMBER}(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}}){_NOT_AFTER_NUMBER}"
)
_DMY_DATE = re.compile(
    rf"{_NOT_BEFORE_NUMBER}(?P<d>[0-9]{{1,2}})(?P<sep>[/.\-])(?P<m>[0-9]{{1,2}})(?P=sep)"
    rf"(?P<y>[0-9]{{4}}){_NOT_AFTER_NUMBER}"
)


def date_to_words(date: dt.date) -> str:
    """A date as it is said: 8 December 2025 -> "आठ दिसंबर दो हज़ार पच्चीस"."""
    return f"{int_to_words(date.day)} {MONTHS[date.month - 1]} {year_to_words(date.year)}"


def _read_date(match: re.Match[str]) -> str:
    try:
        date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return match.group()
    return _pad(date_to_words(date), match)


def _read_dates(text: str) -> str:
    return _DMY_DATE.sub(_read_date, _ISO_DATE.sub(_read_date, text))


def read_dates(text: str) -> str:
    """Prevent "2025-12-08" or "8/12/2025" from being read as arithmetic: ISO dates and
    day-first dates (/, - or . between the parts, Indian style) are said as
    "आठ दिसंबर दो हज़ार पच्चीस". An impossible date (31/02/2025) is not a date."""
    return _outside_latin_tokens(text, _read_dates)


_AM_PM = r"(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z])"
#: Without minutes only the lower-case or dotted forms count: "15 PM" may be prime ministers.
_HOUR_SUFFIX = r"(?P<ampm>[ap]\.?m\.?|[AP]\.M\.)(?![A-Za-z])"
_BAJE = rf"(?P<baje>\s?बजे(?!{_W}))?"
_CLOCK = _re(
    r"(?<![0-9.,:/])(?P<h>[01]?[0-9]|2[0-3]):(?P<m>[0-5][0-9])(?::(?P<s>[0-5][0-9]))?"
    rf"(?![0-9]|[.,:][0-9])(?:\s?{_AM_PM})?{_BAJE}"
)
_DOTTED_CLOCK = _re(
    rf"(?<![0-9.,:/])(?P<h>[01]?[0-9]|2[0-3])\.(?P<m>[0-5][0-9])(?P<baje>\s?बजे(?!{_W}))"
)
_HOUR_AM_PM = _re(rf"(?<![0-9.,:/])(?P<h>1[0-2]|0?[0-9])\s?{_HOUR_SUFFIX}{_BAJE}")
_RATIO = re.compile(r"(?<![0-9.,:/])(?P<a>[0-9]+):(?P<b>[0-9]+)(?![0-9]|[.,:][0-9])")

_MORNING, _NOON, _EVENING, _NIGHT = (_nfc(w) for w in ("सुबह", "दोपहर", "शाम", "रात"))


def _part_of_day(hour: int, pm: bool) -> str:
    if not pm:
        return _MORNING if 4 <= hour <= 11 else _NIGHT
    if hour == 12 or hour <= 3:
        return _NOON
    return _EVENING if hour <= 6 else _NIGHT


def clock_to_words(hour: int, minute: int, second: int = 0) -> str:
    """A clock time: (10, 30) -> "दस बजकर तीस मिनट", (9, 0) -> "नौ बजे"; midnight hours
    (0:xx) are "रात बारह"."""
    said = int_to_words(hour) if hour else f"{_NIGHT} {int_to_words(12)}"
    if not minute and not second:
        return _nfc(f"{said} बजे")
    words = _nfc(f"{said} बजकर {int_to_words(minute)} मिनट")
    return _nfc(f"{words} {int_to_words(second)} सेकंड") if second else words


def _read_clock(match: re.Match[str]) -> str:
    groups = match.groupdict()
    hour, minute, second = int(match["h"]), int(groups.get("m") or 0), int(groups.get("s") or 0)
    ampm = groups.get("ampm")
    if not ampm:
        return _pad(clock_to_words(hour, minute, second), match)
    pm = ampm[0] in "Pp"
    hour12 = hour % 12 or 12
    return _pad(f"{_part_of_day(hour12, pm)} {clock_to_words(hour12, minute, second)}", match)


def _read_ratio(match: re.Match[str]) -> str:
    words = _nfc(f"{int_to_words(int(match['a']))} अनुपात {int_to_words(int(match['b']))}")
    return _pad(words, match)


def _read_times(text: str) -> str:
    if ":" not in text and "." not in text and not re.search("[AaPp]", text):
        return text
    text = _CLOCK.sub(_read_clock, text)
    text = _DOTTED_CLOCK.sub(_read_clock, text)
    text = _HOUR_AM_PM.sub(_read_clock, text)
    return _RATIO.sub(_read_ratio, text)


def read_times(text: str) -> str:
    """Prevent "10:30" from being read as two numbers: clock times are "दस बजकर तीस मिनट",
    whole hours "नौ बजे" (a following "बजे" is not said twice; "10.30 बजे" is a time too;
    am/pm become सुबह, दोपहर, शाम or रात before the hour). A colon between numbers that
    cannot be a time (3:1, 2:345) is a ratio: "तीन अनुपात एक"."""
    return _outside_latin_tokens(text, _read_times)


_RUPEES, _RUPEE, _PAISE = _nfc("रुपये"), _nfc("रुपया"), _nfc("पैसे")
_CURRENCIES: Mapping[str, str] = {"$": "डॉलर", "US$": "अमेरिकी डॉलर", "€": "यूरो", "£": "पाउंड"}
_AMOUNT = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?"
_MONEY = _re(
    r"(?P<cur>₹|(?<![A-Za-z0-9])(?:US\$|[Rr][Ss]\.?|INR)"
    rf"|(?<!{_W})र[ुू][.॰]|\$|€|£)\s?(?P<a>{_AMOUNT})"
    rf"(?:\s?(?P<f>[{_FRACTION_SIGNS}])|\s?[-–]\s?(?P<b>{_AMOUNT}))?"
    rf"(?![0-9{_FRACTION_SIGNS}])(?:\s?{_SCALE})?(?:/-)?"
)
_RUPEES_AHEAD = _re(r"\s?(?:रुपये|रुपए|रुपया|रु[.॰]|रू[.॰]|Rs\b)")
_RUPEES_AFTER = _re(r"(?<=[0-9])\s?र[ुू][.॰]")


def _rupees_and_paise(amount: str) -> str:
    """ "4.50" -> "चार रुपये पचास पैसे", "1.05" -> "एक रुपया पाँच पैसे", "0.50" -> "पचास पैसे"."""
    whole, paise = amount.split(".")
    rupees, hundredths = grouped_to_int(whole), int(paise)
    said = []
    if rupees or not hundredths:
        said.append(f"{int_to_words(rupees)} {_RUPEE if rupees == 1 else _RUPEES}")
    if hundredths:
        said.append(f"{int_to_words(hundredths)} {_PAISE}")
    return " ".join(said)


def _read_money(match: re.Match[str]) -> str:
    currency = match["cur"]
    rupees = currency not in _CURRENCIES
    unit = _RUPEES if rupees else _nfc(_CURRENCIES[currency])
    scale = match["scale"]
    try:
        if match["f"]:  # ₹1½ लाख
            words = fraction_sign_to_words(grouped_to_int(match["a"]), match["f"])
        else:
            words = decimal_to_words(match["a"], before_scale=bool(scale))
        if match["b"]:
            words = _nfc(f"{words} से {decimal_to_words(match['b'], before_scale=bool(scale))}")
        elif rupees and not scale and re.fullmatch(r"[0-9,]+\.[0-9]{2}", match["a"]):
            return _pad(_rupees_and_paise(match["a"]), match)
        elif rupees and not scale and match["a"] == "1" and not match["f"]:
            unit = _RUPEE
    except ValueError:
        return match.group()
    if scale:
        words = f"{words} {SCALE_WORDS[scale]}"
    if rupees and _RUPEES_AHEAD.match(match.string, match.end()):
        return _pad(words, match)
    return _pad(f"{words} {unit}", match)


def _read_money_in(text: str) -> str:
    text = _MONEY.sub(_read_money, text)
    return _RUPEES_AFTER.sub(" " + _RUPEES, text)


def read_money(text: str) -> str:
    """Prevent "₹4,250" from being read as "rupee sign four thousand…" and "Rs." as two
    Latin letters: an amount after ₹, Rs, Rs., INR or रु. is said with the currency after
    it, and after its scale word ("₹2.5 करोड़" -> "ढाई करोड़ रुपये", "₹1½ लाख" -> "डेढ़ लाख
    रुपये"); ₹4.50 is "चार रुपये पचास पैसे"; $, € and £ likewise (डॉलर, यूरो, पाउंड)."""
    if not _HAS_DIGIT.search(text):
        return text
    return _outside_latin_tokens(text, _read_money_in)


_PERCENT = re.compile(rf"(?<=[0-9{_FRACTION_SIGNS}])\s?%")
_PERCENT_WORD = _nfc(" प्रतिशत")


def _read_percent(match: re.Match[str]) -> str:
    return _pad(_PERCENT_WORD, match)


def read_percentages(text: str) -> str:
    """Prevent "%" from being dropped or read in English: "8%" is said "8 प्रतिशत", like
    the Hindi spelling (the number itself is read by a later rule)."""
    if "%" not in text:
        return text
    return _outside_latin_tokens(text, lambda t: _PERCENT.sub(_read_percent, t))


_ORDINAL = _re(
    rf"(?<![0-9.,])(?P<n>[0-9]+)(?:(?P<short>ला|ली|ले|रा|री|रे|था|थी|थे|ठा|ठी|ठे|वा|वी|वे)"
    rf"|\s?(?P<long>वाँ|वां|वीं|वें))(?!{_W})"
)
#: Which numbers each short marker belongs to ("1ला", "2रा", "3री", "4था", "6ठा").
_SHORT_MARKERS: Mapping[str, frozenset[int]] = {
    _nfc("ल"): frozenset({1}),
    _nfc("र"): frozenset({2, 3}),
    _nfc("थ"): frozenset({4}),
    _nfc("ठ"): frozenset({6}),
}


def _read_ordinal(match: re.Match[str]) -> str:
    n = int(match["n"])
    marker = match["short"] or match["long"]
    allowed = _SHORT_MARKERS.get(marker[0])
    if allowed is not None and n not in allowed:
        return match.group()
    return _pad(ordinal_to_words(n, marker), match)


def read_ordinals(text: str) -> str:
    """Prevent "5वीं" from being read "पाँच वीं": a number with an ordinal marker is said as
    the ordinal, in the marker's form (1ला पहला, 1ली पहली, 2रा दूसरा, 4था चौथा, 6ठा छठा,
    5वां पाँचवाँ, 21वीं इक्कीसवीं, 10वें दसवें). Latin "1st" is left to the engine."""
    return _outside_latin_tokens(text, lambda t: _ORDINAL.sub(_read_ordinal, t))


#: Units after a number, as written -> as said.
UNITS: Mapping[str, str] = {
    _nfc(k): _nfc(v)
    for k, v in {
        "km/h": "किलोमीटर प्रति घंटा", "kmph": "किलोमीटर प्रति घंटा", "km": "किलोमीटर",
        "kg": "किलोग्राम", "cm": "सेंटीमीटर", "mm": "मिलीमीटर", "ml": "मिलीलीटर",
        "mg": "मिलीग्राम", "MW": "मेगावाट", "kW": "किलोवाट", "GW": "गीगावाट", "GB": "जीबी",
        "MB": "एमबी", "TB": "टीबी", "°C": "डिग्री सेल्सियस", "°F": "डिग्री फ़ारेनहाइट",
        "°": "डिग्री", "किमी": "किलोमीटर", "किग्रा": "किलोग्राम", "मिमी": "मिलीमीटर",
        "सेमी": "सेंटीमीटर",
    }.items()
}  # fmt: skip
_UNIT = re.compile(
    rf"(?<=[0-9{_FRACTION_SIGNS}])\s?(?P<unit>{_alternation(UNITS)})(?![A-Za-z0-9]|{_W})"
)


def read_units(text: str) -> str:
    """Prevent "120 mm" or "40°C" from being read letter by letter or dropped: a unit
    after a number is said in full (मिलीमीटर, डिग्री सेल्सियस). Only after a number:
    "सेमी" alone may be the start of सेमीफ़ाइनल."""
    return _outside_latin_tokens(
        text, lambda t: _UNIT.sub(lambda m: _pad(" " + UNITS[m["unit"]], m), t)
    )


#: English month names and the abbreviations articles use, in lower case -> month number.
ENGLISH_MONTHS: Mapping[str, int] = {
    name: number
    for number, names in enumerate(
        (
            ("january", "jan"), ("february", "feb"), ("march", "mar"), ("april", "apr"),
            ("may",), ("june", "jun"), ("july", "jul"), ("august", "aug"),
            ("september", "sept", "sep"), ("october", "oct"), ("november", "nov"),
            ("december", "dec"),
        ),
        start=1,
    )
    for name in names
}  # fmt: skip
_ENGLISH_MONTH = rf"(?P<m>{_alternation(tuple(ENGLISH_MONTHS))})(?![A-Za-z])"
#: Not after a Latin word: "Theresa May 2019" is a name, "Windows 10 May…" not 10 May.
_NOT_IN_LATIN_PHRASE = r"(?<![A-Za-z]\s)"
#: A month word starts a word of its own, not a part of an address ("site-may-2025.com").
_MONTH_STARTS = rf"(?<![A-Za-z0-9\-.@_/]){_NOT_IN_LATIN_PHRASE}"
_ENGLISH_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_ENGLISH_YEAR = rf"(?P<y>1[0-9]{{3}}|20[0-9]{{2}}){_NOT_AFTER_NUMBER}"
#: "14 February 2026", "14-Feb-2026", "14th Feb.", "14 February, 2026".
_DAY_MONTH = re.compile(
    rf"{_NOT_IN_LATIN_PHRASE}(?<![A-Za-z0-9.,/:])(?<![A-Za-z][\-.])"
    rf"{_ENGLISH_DAY}[ -]{_ENGLISH_MONTH}(?:\.?(?:[ -]|\s?,\s?){_ENGLISH_YEAR}|\.(?!\s*$))?",
    re.IGNORECASE,
)
#: "February 14, 2026", "Feb. 14", "Feb-14": said day first, as in Hindi.
_MONTH_DAY = re.compile(
    rf"{_MONTH_STARTS}{_ENGLISH_MONTH}(?:\.\s?|[ -]){_ENGLISH_DAY}"
    rf"(?![0-9A-Za-z]|[./:\-][0-9]|,[0-9])(?:\s?,?\s?{_ENGLISH_YEAR})?",
    re.IGNORECASE,
)
#: Any other month word before a number: "Feb 2026", "Feb-2026", "Jan 5-7".
_MONTH_BEFORE_NUMBER = re.compile(
    rf"{_MONTH_STARTS}{_ENGLISH_MONTH}(?:\.?(?:[ -]|\s?,\s?)|\.)"
    r"(?=[0-9]+(?![0-9A-Za-z]|[\-.][0-9]*[A-Za-z]))",
    re.IGNORECASE,
)


def _hindi_month(match: re.Match[str]) -> str:
    return MONTHS[ENGLISH_MONTHS[match["m"].lower()] - 1]


def _read_english_date(match: re.Match[str]) -> str:
    day, year = int(match["d"]), match["y"]
    if not 1 <= day <= 31:
        return match.group()
    words = f"{day} {_hindi_month(match)}"
    return _pad(f"{words} {year}" if year else words, match)


def read_english_months(text: str) -> str:
    """Prevent "14 February 2026" from being read with an English word in the middle of a
    Hindi date: an English month name or abbreviation (any case; Feb, Feb., Sept) next to a
    day or a year is said in Hindi, day first as in Hindi ("February 14, 2026" and
    "14-Feb-2026" -> "14 फ़रवरी 2026"; the later rules read the numbers). Only next to a
    number, and not after a Latin word: "May" elsewhere, or "Theresa May 2019", is English.
    Applied to the whole text ("14-Feb-2026" is one Latin-script token), after the rules
    that say the Latin words next to numbers (am/pm, units, Rs), so that what stands before
    a month word no longer changes."""
    if not _HAS_DIGIT.search(text) or not _HAS_LETTER.search(text):
        return text
    while True:  # a space put in by _pad may bring the next date to light: "14 Feb14 Jan"
        said = _DAY_MONTH.sub(_read_english_date, text)
        said = _MONTH_DAY.sub(_read_english_date, said)
        said = _MONTH_BEFORE_NUMBER.sub(lambda m: _pad(_hindi_month(m), m), said)
        if said == text:
            return said
        text = said


_NUMBER = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?"
_RANGE = re.compile(
    rf"{_NOT_BEFORE_NUMBER}(?P<a>{_NUMBER})\s?[-–—]\s?(?P<b>{_NUMBER})"
    rf"(?![0-9{_FRACTION_SIGNS}]|[.,][0-9]|\s?[-–—]\s?[0-9])"
)
_YEAR_TEXT = re.compile(r"1[0-9]{3}|20[0-9]{2}")


def _value(number: str) -> Decimal:
    whole, _, fraction = number.partition(".")
    return Decimal(f"{grouped_to_int(whole)}.{fraction or 0}")


def _read_range(match: re.Match[str]) -> str:
    a, b = match["a"], match["b"]
    try:
        low, high = _value(a), _value(b)
    except ValueError:
        return match.group()
    if _YEAR_TEXT.fullmatch(a) and re.fullmatch(r"[0-9]{2}", b) and int(b) == (int(a) + 1) % 100:
        return _pad(f"{year_to_words(int(a))}-{int_to_words(int(b))}", match)  # 2024-25
    if not low < high:  # a score (2-1) or something else: not a range
        return match.group()
    if _YEAR_TEXT.fullmatch(a) and _YEAR_TEXT.fullmatch(b):
        return _pad(_nfc(f"{year_to_words(int(a))} से {year_to_words(int(b))}"), match)
    scale = bool(_SCALE_AHEAD.match(match.string, match.end()))
    words = f"{decimal_to_words(a, before_scale=scale)} से {decimal_to_words(b, before_scale=scale)}"
    return _pad(_nfc(words), match)


def read_ranges(text: str) -> str:
    """Prevent "5-7" from being read "पाँच माइनस सात" or as a date: a dash between two
    numbers, the second larger, is "से" ("पाँच से सात"; years "उन्नीस सौ नब्बे से दो हज़ार");
    a financial year 2024-25 is "दो हज़ार चौबीस-पच्चीस". A smaller second number is a score
    (2-1) and keeps its dash."""
    return _outside_latin_tokens(text, lambda t: _RANGE.sub(_read_range, t))


_MONTH_WORDS = _alternation(_MONTH_SPELLINGS)
_YEAR_AFTER = _re(
    rf"(?P<pre>(?<!{_W})(?:सन्|सन|वर्ष|साल|ईसवी|ईस्वी|{_MONTH_WORDS})(?:\s?,)?\s?)"
    rf"(?P<y>[0-9]{{4}})(?![0-9]|[.,][0-9])"
)
_YEAR_BEFORE = _re(
    rf"{_NOT_BEFORE_NUMBER}(?P<y>[0-9]{{4}})"
    rf"(?=\s?(?:में|तक|से|के|की|का|को|ईसवी|ईस्वी|ईसा)(?!{_W}))"
)


def _read_year(match: re.Match[str]) -> str:
    year = int(match["y"])
    if not 1000 <= year <= 2099:
        return match.group()
    prefix = match.groupdict().get("pre") or ""
    if prefix and not prefix[-1].isspace():
        prefix += " "
    return prefix + _pad(year_to_words(year), match).lstrip()


def read_years(text: str) -> str:
    """Prevent 1998 from being read "एक हज़ार नौ सौ अट्ठानवे" where it is a year: a
    four-digit number from 1000 to 2099 after सन्, वर्ष, साल or a month name, or before
    में, तक, से, के, की, का, को or ईसवी, is said as a year ("उन्नीस सौ अट्ठानवे"). Only
    1100–1999 sound different, and a count misread as a year still has its value
    ("उन्नीस सौ" is 1900)."""
    return _outside_latin_tokens(
        text, lambda t: _YEAR_BEFORE.sub(_read_year, _YEAR_AFTER.sub(_read_year, t))
    )


_SLASHED = re.compile(r"(?<![0-9.,/])[0-9]+(?:/[0-9]+)+(?![0-9]|[.,][0-9])")
FRACTIONS: Mapping[str, str] = {
    "1/2": _nfc("आधा"),
    "1/3": _nfc("एक तिहाई"),
    "2/3": _nfc("दो तिहाई"),
    "1/4": _nfc("एक चौथाई"),
    "3/4": _nfc("तीन चौथाई"),
    "24/7": _nfc("चौबीसों घंटे"),
}


def _read_slashed(match: re.Match[str]) -> str:
    text = match.group()
    if text in FRACTIONS:
        return _pad(FRACTIONS[text], match)
    parts = [decimal_to_words(p) for p in text.split("/")]
    joiner = _nfc(" बटा ") if len(parts) == 2 else _nfc(" स्लैश ")
    return _pad(joiner.join(parts), match)


def read_fractions(text: str) -> str:
    """Prevent "3/4" from being read as a date or "three slash four": two numbers with a
    slash are a fraction ("तीन चौथाई", "पाँच बटा आठ"; 24/7 is "चौबीसों घंटे"); longer
    slashed runs that are not dates are read part by part with "स्लैश"."""
    if "/" not in text:
        return text
    return _outside_latin_tokens(text, lambda t: _SLASHED.sub(_read_slashed, t))


#: Fraction signs, alone, as said.
FRACTION_SIGNS: Mapping[str, str] = {
    "½": _nfc("आधा"),
    "¼": _nfc("एक चौथाई"),
    "¾": _nfc("तीन चौथाई"),
    "⅓": _nfc("एक तिहाई"),
    "⅔": _nfc("दो तिहाई"),
}
_AND_A_HALF, _AND_A_QUARTER, _LESS_A_QUARTER = _nfc("साढ़े"), _nfc("सवा"), _nfc("पौने")
_AND = _nfc("और")
_FRACTION_SIGN = re.compile(rf"(?:(?<![0-9A-Za-z.,])(?P<n>[0-9]+)\s?)?(?P<f>[{_FRACTION_SIGNS}])")


def fraction_sign_to_words(whole: int, sign: str) -> str:
    """A whole number and a fraction sign the way they are said: (1, "½") -> "डेढ़",
    (2, "½") -> "ढाई", (5, "½") -> "साढ़े पाँच", (2, "¼") -> "सवा दो", (2, "¾") -> "पौने
    तीन", (2, "⅓") -> "दो और एक तिहाई"; with 0 the fraction alone (0, "½") -> "आधा"."""
    fraction = FRACTION_SIGNS[sign]
    if not whole:
        return fraction
    if sign == "½":
        return half_to_words(whole) or f"{_AND_A_HALF} {int_to_words(whole)}"
    if sign == "¼":
        return f"{_AND_A_QUARTER} {int_to_words(whole)}"
    if sign == "¾":
        return f"{_LESS_A_QUARTER} {int_to_words(whole + 1)}"
    return f"{int_to_words(whole)} {_AND} {fraction}"


def _read_fraction_sign(match: re.Match[str]) -> str:
    if match["n"] is not None:
        return _pad(fraction_sign_to_words(int(match["n"]), match["f"]), match)
    words = FRACTION_SIGNS[match["f"]]
    before = match.string[: match.start()].rstrip()
    start = len(before) - len(words)
    if before.endswith(words) and (start == 0 or not _WORD.match(before, start - 1)):
        return _pad("", match)  # "आधा ½ किलो": the sign repeats the word
    return _pad(words, match)


def read_fraction_signs(text: str) -> str:
    """Prevent "½" from being left as a symbol and "2½" from being read "दो ½": a fraction
    sign is said in words (½ आधा, ¼ एक चौथाई, ¾ तीन चौथाई, ⅓ एक तिहाई, ⅔ दो तिहाई), after
    a whole number the way Hindi says it: 1½ डेढ़, 2½ ढाई, 3½ साढ़े तीन, 2¼ सवा दो, 2¾ पौने
    तीन, so that "1½ लाख" is "डेढ़ लाख". After the word it stands for ("आधा ½") it is not
    said twice."""
    if not any(sign in text for sign in FRACTION_SIGNS):
        return text
    return _FRACTION_SIGN.sub(_read_fraction_sign, text)


_ANY_NUMBER = re.compile(r"(?P<sign>(?<![^\s(\[{\"'“‘])-|−)?(?P<n>[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)*)")


def number_to_words(number: str, *, before_scale: bool = False) -> str:
    """Any run of digits, commas and dots as one would say it: a number ("1,50,000"), a
    decimal ("3.75"), a list when the commas do not group ("5,6" -> "पाँच, छह"), or dotted
    parts ("1.2.3" -> "एक डॉट दो डॉट तीन", a version or an address)."""
    parts = number.split(".")
    if len(parts) > 2:
        return f" {_DOT} ".join(number_to_words(p) for p in parts)
    try:
        return decimal_to_words(number, before_scale=before_scale)
    except ValueError:
        return ", ".join(decimal_to_words(p) for p in number.split(","))


def _read_number(match: re.Match[str]) -> str:
    before_scale = bool(_SCALE_AHEAD.match(match.string, match.end()))
    words = number_to_words(match["n"], before_scale=before_scale)
    if match["sign"]:
        words = f"{MINUS} {words}"
    return _pad(words, match)


def read_numbers(text: str) -> str:
    """Prevent any digit from reaching the engine, which would read it in English or
    digit by digit: every number left is said in Hindi words with Indian grouping
    (1,50,000 and 150,000 are both "एक लाख पचास हज़ार"), a sign at the start of a number is
    "माइनस", decimals use "दशमलव", and a half before लाख or करोड़ is "डेढ़", "ढाई", "साढ़े …"."""
    return _outside_latin_tokens(text, lambda t: _ANY_NUMBER.sub(_read_number, t))


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,;!?।॥])")
#: Marks that open a Markdown line: a heading's #, a quote's >, a list bullet.
_LINE_MARKS = re.compile(r"^(?:(?:#{1,6}|>+|[-+•*])(?:\s+|$))+")


def tidy(text: str) -> str:
    """Prevent the spaces and marks the other rules leave from reaching the engine: NFC,
    one space between words, none before , ; ! ? । ॥ and none at either end; a heading's
    #, a quote's > or a bullet at the start is dropped."""
    text = _SPACES.sub(" ", _nfc(text)).strip()
    text = _LINE_MARKS.sub("", text)
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


READING_RULES: tuple[Rule, ...] = (
    ascii_digits,
    expand_abbreviations,
    read_symbols,
    separate_glued_units,
    read_phone_numbers,
    read_dates,
    read_times,
    read_money,
    read_percentages,
    read_ordinals,
    read_units,
    read_english_months,
    read_ranges,
    read_years,
    read_fractions,
    read_fraction_signs,
    read_numbers,
    tidy,
)

#: Every rule, in the order :func:`speak` applies them.
RULES: tuple[Rule, ...] = MARKUP_RULES + READING_RULES

#: How often the lexicon and the reading rules may take turns (see :func:`speak`).
_LEXICON_ROUNDS = 3


def speak(text: str, lexicon: Lexicon | None = None) -> str:
    """The spoken form of a sentence or a fragment of one: what the engine is asked to say.

    :func:`clean`, the mark-up rules (entities, tags, addresses, emphasis), then the
    lexicon, then the reading rules. The lexicon comes before the reading rules so that an
    entry for "5G", "IIT" or "डॉ." wins over them; then, if the rules produced words the
    lexicon knows ("8%" -> "आठ प्रतिशत" and an entry for "प्रतिशत"), lexicon and rules take
    another turn, until nothing changes. The result is idempotent (``speak(speak(x)) ==
    speak(x)``) and NFC; no ASCII digit is left outside Latin-script tokens.
    """
    text = clean(text)
    for rule in MARKUP_RULES:
        text = rule(text)
    for _ in range(_LEXICON_ROUNDS):
        before = text
        if lexicon is not None:
            text = lexicon.apply(text)
        for rule in READING_RULES:
            text = rule(text)
        if lexicon is None or text == before:
            break
    return text
