"""Rules for web addresses and e-mail addresses: said as a listener would write them down
("एस सी आई डॉट जी ओ वी डॉट इन"), never character by character or skipped.

Two steps. :func:`read_urls` (a mark-up rule) finds the address and keeps what a listener
needs: the host of a web address (no scheme, "www" or path: a browser needs none of them
and a listener cannot click), every part of an e-mail, with "डॉट", "एट", "अंडरस्कोर" between
the parts. The parts stay in Latin letters for the pronunciation file ("pmfby" -> "पी एम
एफ़ बी वाई" there wins); then :func:`read_address_parts` (a reading rule) says each part the
way Indian newsreaders and government announcements do (:func:`say_label`).
"""

from __future__ import annotations

import re

from narrate.text.acronyms import is_said_as_word, spell
from narrate.text.chars import alternation, hindi_re, nfc, pad
from narrate.text.english import english_word

# --- web addresses ---------------------------------------------------------------------

DOT = nfc("डॉट")
_AT = nfc("एट")
_EMAIL_SIGNS = {".": DOT, "_": nfc("अंडरस्कोर"), "-": nfc("हाइफ़न"), "+": nfc("प्लस")}
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
    r"(?<![A-Za-z0-9])(?=[A-Za-z0-9-]*[A-Za-z])"  # a name ("99acres"), not a number ("0.in")
    r"(?P<host>(?:[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?\.)+"
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
    return f" {DOT} ".join(label.lower() for label in _LABEL_SEPARATORS.split(host) if label)


def _read_address(match: re.Match[str]) -> str:
    address = match.group()
    trailing = _TRAILING.search(address)
    tail = trailing.group() if trailing else ""
    address = address[: len(address) - len(tail)]
    return pad(f"{_host_words(address)}{tail}", match)


def _read_email(match: re.Match[str]) -> str:
    local = re.sub(
        r"[._+\-]|[^A-Za-z0-9._+\-]",
        lambda m: f" {_EMAIL_SIGNS.get(m.group(), '')} ",
        match["local"],
    )
    domain = f" {DOT} ".join(match["domain"].split("."))
    return pad(f"{local.strip()} {_AT} {domain}", match)


def read_urls(text: str) -> str:
    """Prevent a web or e-mail address from being spelled character by character: a URL
    is said as its host ("https://pmfby.gov.in/abc" -> "pmfby डॉट gov डॉट in"; scheme, www
    and path dropped: a listener cannot click), an e-mail as "user एट example डॉट com"."""
    if "." not in text:
        return text
    text = _URL.sub(_read_address, text)
    text = _EMAIL.sub(_read_email, text)
    return _BARE_DOMAIN.sub(_read_address, text)


# --- the parts of an address, said -----------------------------------------------------

#: The parts of addresses said as words ("डॉट कॉम", "डॉट इन", "डॉट को डॉट इन"); other
#: short parts are spelled ("gov" जी ओ वी, "org" ओ आर जी, "nic" एन आई सी).
ADDRESS_WORDS: dict[str, str] = {
    k: nfc(v)
    for k, v in {
        "com": "कॉम", "in": "इन", "net": "नेट", "co": "को", "biz": "बिज़", "site": "साइट",
    }.items()
}  # fmt: skip
#: A host's part of at most this many letters is an initialism, spelled ("sci", "rbi",
#: "pib", "bsnl"): government and company sites are named so. An e-mail's local part is a
#: name more often ("ravi"): only at most :data:`LOCAL_SPELLED` letters are spelled.
HOST_SPELLED, LOCAL_SPELLED = 4, 3
#: Consonants in a row that no English or Hindi word has in Latin letters ("irctc").
_UNSAYABLE = re.compile(r"[^aeiouy\d]{4}|^[^aeiouy]+$", re.IGNORECASE)


def say_label(label: str, *, host: bool = True) -> str:
    """One part of an address as it is said: a word of :data:`ADDRESS_WORDS`, of the
    English words ("india", "mail", "info") or of the acronyms said as words ("isro"),
    in Devanagari; an initialism (short, or with no vowel to say it by: "sci", "pmfby",
    "irctc") spelled; anything else (a name, "example", "cybercrime") left to the engine.
    A hyphen inside is said "हाइफ़न"; digits are left with their letters."""
    if "-" in label:
        return f" {_EMAIL_SIGNS['-']} ".join(say_label(p, host=host) for p in label.split("-"))
    word = label.casefold()
    if word in ADDRESS_WORDS and host:
        return ADDRESS_WORDS[word]
    said = english_word(word) or is_said_as_word(word.upper())
    if said:
        return said
    if not word.isalpha():
        return label
    if len(word) <= (HOST_SPELLED if host else LOCAL_SPELLED) or _UNSAYABLE.search(word):
        return spell(word)
    return label


_SIGN_WORDS = tuple(_EMAIL_SIGNS.values())
_LABEL = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
#: What read_urls left: parts joined by "डॉट" (at least once), "एट", "अंडरस्कोर"…
_SPOKEN_ADDRESS = hindi_re(
    rf"(?<![A-Za-z0-9\-]){_LABEL}(?:\s?(?:{alternation((_AT, *_SIGN_WORDS))})\s?{_LABEL})*"
    rf"(?![A-Za-z0-9\-])"
)
_PART = re.compile(rf"{_LABEL}")


def _read_parts(match: re.Match[str]) -> str:
    address = match.group()
    if DOT not in address:
        return address  # a word, not an address
    at = address.rfind(_AT)
    if match.string.startswith(_AT, match.end() + 1):
        at = len(address)  # all of it is before the "एट" (the rest was said already)
    return _PART.sub(lambda m: say_label(m.group(), host=m.start() > at), address)


def read_address_parts(text: str) -> str:
    """Prevent "sci डॉट gov डॉट in" from being said with English phonemes ("sigh",
    "guv"): each part of an address that :func:`read_urls` left is said as Hindi
    newsreaders say it (:func:`say_label`): "www.sci.gov.in" -> "एस सी आई डॉट जी ओ वी डॉट
    इन", "info@pmfby.gov.in" -> "इन्फ़ो एट पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन"."""
    if DOT not in text:
        return text
    return _SPOKEN_ADDRESS.sub(_read_parts, text)
