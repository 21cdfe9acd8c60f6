"""Rules for web addresses and e-mail addresses: said as a listener would write them down
("example डॉट कॉम"), never letter by letter or skipped.
"""

from __future__ import annotations

import re

from narrate.text.chars import nfc, pad

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
