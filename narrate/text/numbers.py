"""Hindi number words: the speller behind the number rules of :mod:`narrate.text.normalize`.

Nothing on PyPI fits: num2words has no Hindi, and indic-numtowords reads only non-negative
integers. So the words are written here, from one hand-checked table of 0–99 (Hindi has no
regular pattern below a hundred) and the Indian scale words.

Conventions (one spelling per word, in NFC; nukta letters such as ज़ and ड़ are therefore
stored decomposed, as NFC leaves them):

* Indian grouping: हज़ार (10³), लाख (10⁵), करोड़ (10⁷), अरब (10⁹). Above that the count of
  अरब is itself spelled (10¹² is "एक हज़ार अरब"); no खरब, which listeners rarely meet.
  1,50,000 is "एक लाख पचास हज़ार": exact, never "डेढ़ लाख" (that is for 1.5 लाख).
* 100, 1000, 1,00,000 are "एक सौ", "एक हज़ार", "एक लाख" (the count is always said).
* A minus sign is "माइनस", as news readers say it for temperatures and growth rates.
* Decimals: "दशमलव" and then the digits one by one, as written: 3.75 is
  "तीन दशमलव सात पाँच", 2.50 is "दो दशमलव पाँच शून्य". Before a scale word (लाख, करोड़…)
  a half is said the colloquial way: 1.5 लाख "डेढ़ लाख", 2.5 करोड़ "ढाई करोड़", 12.5 करोड़
  "साढ़े बारह करोड़" (only halves, only for 1–99; quarters stay decimal).
* Years 1100–1999 are said in hundreds (1998 "उन्नीस सौ अट्ठानवे"); 2000–2099 as the number
  (2025 "दो हज़ार पच्चीस").
"""

from __future__ import annotations

import re
import unicodedata
from typing import Literal


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


#: 0–99. Checked word by word; the irregular ones are the point of this table.
_BELOW_100: tuple[str, ...] = tuple(
    _nfc(w)
    for w in (
        "शून्य", "एक", "दो", "तीन", "चार",  # 0–4
        "पाँच", "छह", "सात", "आठ", "नौ",  # 5–9
        "दस", "ग्यारह", "बारह", "तेरह", "चौदह",  # 10–14
        "पंद्रह", "सोलह", "सत्रह", "अठारह", "उन्नीस",  # 15–19
        "बीस", "इक्कीस", "बाईस", "तेईस", "चौबीस",  # 20–24
        "पच्चीस", "छब्बीस", "सत्ताईस", "अट्ठाईस", "उनतीस",  # 25–29
        "तीस", "इकतीस", "बत्तीस", "तैंतीस", "चौंतीस",  # 30–34
        "पैंतीस", "छत्तीस", "सैंतीस", "अड़तीस", "उनतालीस",  # 35–39
        "चालीस", "इकतालीस", "बयालीस", "तैंतालीस", "चवालीस",  # 40–44
        "पैंतालीस", "छियालीस", "सैंतालीस", "अड़तालीस", "उनचास",  # 45–49
        "पचास", "इक्यावन", "बावन", "तिरपन", "चौवन",  # 50–54
        "पचपन", "छप्पन", "सत्तावन", "अट्ठावन", "उनसठ",  # 55–59
        "साठ", "इकसठ", "बासठ", "तिरसठ", "चौंसठ",  # 60–64
        "पैंसठ", "छियासठ", "सड़सठ", "अड़सठ", "उनहत्तर",  # 65–69
        "सत्तर", "इकहत्तर", "बहत्तर", "तिहत्तर", "चौहत्तर",  # 70–74
        "पचहत्तर", "छिहत्तर", "सतहत्तर", "अठहत्तर", "उन्यासी",  # 75–79
        "अस्सी", "इक्यासी", "बयासी", "तिरासी", "चौरासी",  # 80–84
        "पचासी", "छियासी", "सत्तासी", "अट्ठासी", "नवासी",  # 85–89
        "नब्बे", "इक्यानवे", "बानवे", "तिरानवे", "चौरानवे",  # 90–94
        "पचानवे", "छियानवे", "सत्तानवे", "अट्ठानवे", "निन्यानवे",  # 95–99
    )
)  # fmt: skip

HUNDRED = _nfc("सौ")
THOUSAND = _nfc("हज़ार")
LAKH = _nfc("लाख")
CRORE = _nfc("करोड़")
ARAB = _nfc("अरब")
MINUS = _nfc("माइनस")
POINT = _nfc("दशमलव")

#: The scale words, largest first, with their values.
_SCALES: tuple[tuple[int, str], ...] = (
    (10**9, ARAB),
    (10**7, CRORE),
    (10**5, LAKH),
    (10**3, THOUSAND),
)

#: Halves before a scale word: 1.5 डेढ़, 2.5 ढाई, n.5 साढ़े n.
_ONE_AND_HALF = _nfc("डेढ़")
_TWO_AND_HALF = _nfc("ढाई")
_AND_HALF = _nfc("साढ़े")

#: Ordinals that are not "<cardinal>वाँ", by their stem (the ending gives the form).
_IRREGULAR_ORDINALS: dict[int, str] = {
    1: _nfc("पहल"),
    2: _nfc("दूसर"),
    3: _nfc("तीसर"),
    4: _nfc("चौथ"),
    6: _nfc("छठ"),
}

OrdinalForm = Literal["masculine", "feminine", "oblique"]
_ORDINAL_ENDINGS: dict[OrdinalForm, tuple[str, str]] = {
    # (ending of an irregular stem, ending after a cardinal)
    "masculine": ("ा", _nfc("वाँ")),
    "feminine": ("ी", _nfc("वीं")),
    "oblique": ("े", _nfc("वें")),
}

#: A number as written: digits, optional grouping commas, optional decimal part.
_NUMBER_TEXT = re.compile(r"(?P<sign>[-−]?)(?P<int>[0-9]+(?:,[0-9]+)*)(?:\.(?P<frac>[0-9]+))?")
_INDIAN_GROUPS = re.compile(r"[0-9]{1,2}(?:,[0-9]{2})*,[0-9]{3}")
_WESTERN_GROUPS = re.compile(r"[0-9]{1,3}(?:,[0-9]{3})+")

#: Longer digit strings are read digit by digit: they are codes, not amounts.
MAX_DIGITS = 15


def int_to_words(n: int) -> str:
    """``n`` in Hindi words with Indian grouping: 150000 -> "एक लाख पचास हज़ार"."""
    if n < 0:
        return f"{MINUS} {int_to_words(-n)}"
    if n < 100:
        return _BELOW_100[n]
    parts: list[str] = []
    for value, name in _SCALES:
        if n >= value:
            count, n = divmod(n, value)
            parts.append(f"{int_to_words(count)} {name}")
    if n >= 100:
        hundreds, n = divmod(n, 100)
        parts.append(f"{_BELOW_100[hundreds]} {HUNDRED}")
    if n:
        parts.append(_BELOW_100[n])
    return " ".join(parts)


def digits_to_words(digits: str) -> str:
    """Each digit on its own: "007" -> "शून्य शून्य सात" (codes, long numbers, decimals)."""
    if not digits or not digits.isascii() or not digits.isdigit():
        raise ValueError(f"not a string of digits: {digits!r}")
    return " ".join(_BELOW_100[int(d)] for d in digits)


def grouped_to_int(text: str) -> int:
    """The value of "1,50,000" (Indian), "150,000" (Western) or "1500000" (plain).

    Raises ValueError when the commas group neither way ("1,2,3" is a list, not a number).
    """
    if text.isascii() and text.isdigit():
        return int(text)
    if _INDIAN_GROUPS.fullmatch(text) or _WESTERN_GROUPS.fullmatch(text):
        return int(text.replace(",", ""))
    raise ValueError(f"not a grouped number: {text!r}")


def half_to_words(whole: int) -> str | None:
    """``whole`` and a half the way it is said before a scale word, or None for other values:
    1 -> "डेढ़", 2 -> "ढाई", 3–99 -> "साढ़े तीन"…"""
    if whole == 1:
        return _ONE_AND_HALF
    if whole == 2:
        return _TWO_AND_HALF
    if 3 <= whole <= 99:
        return f"{_AND_HALF} {int_to_words(whole)}"
    return None


def decimal_to_words(text: str, *, before_scale: bool = False) -> str:
    """A number as written, in words: sign, grouping commas and a decimal part allowed.

    "3.75" -> "तीन दशमलव सात पाँच"; "-5" -> "माइनस पाँच"; "1,50,000" -> "एक लाख पचास हज़ार".
    With ``before_scale`` (the number is followed by लाख, करोड़…) halves are said the
    colloquial way: "2.5" -> "ढाई". An integer part of more than :data:`MAX_DIGITS` digits,
    or of three or more digits starting with 0, is read digit by digit.
    Raises ValueError for text that is not one number.
    """
    match = _NUMBER_TEXT.fullmatch(text)
    if not match:
        raise ValueError(f"not a number: {text!r}")
    sign = f"{MINUS} " if match["sign"] else ""
    whole_text, fraction = match["int"], match["frac"]
    whole = grouped_to_int(whole_text)
    if before_scale and fraction is not None and fraction.rstrip("0") == "5":
        half = half_to_words(whole)
        if half is not None:
            return sign + half
    if "," not in whole_text and (
        len(whole_text) > MAX_DIGITS or (len(whole_text) >= 3 and whole_text[0] == "0")
    ):
        words = digits_to_words(whole_text)
    else:
        words = int_to_words(whole)
    if fraction is not None:
        words = f"{words} {POINT} {digits_to_words(fraction)}"
    return sign + words


def year_to_words(n: int) -> str:
    """A year as it is said: 1998 -> "उन्नीस सौ अट्ठानवे", 2025 -> "दो हज़ार पच्चीस".

    Years from 1100 to 1999 (and from 2100 to 9999 outside whole thousands, for the
    future) are said in hundreds; other years as the number.
    """
    if n < 0:
        raise ValueError(f"not a year: {n}")
    if 1100 <= n <= 9999 and not 2000 <= n <= 2099 and n % 1000 >= 100:
        hundreds, rest = divmod(n, 100)
        words = f"{_BELOW_100[hundreds]} {HUNDRED}"
        return f"{words} {_BELOW_100[rest]}" if rest else words
    return int_to_words(n)


def ordinal_form(marker: str) -> OrdinalForm:
    """The form an ordinal marker asks for, from its vowel: वाँ/ला/रा/था/ठा are masculine,
    वीं/ली/री/थी/ठी feminine, वें/ले/रे/थे/ठे oblique. Nasalisation does not matter."""
    vowel = _nfc(marker).rstrip("ंँ")[-1:]
    if vowel == "ा":
        return "masculine"
    if vowel == "ी":
        return "feminine"
    if vowel == "े":
        return "oblique"
    raise ValueError(f"not an ordinal marker: {marker!r}")


def ordinal_to_words(n: int, marker: str = "वाँ") -> str:
    """A marked ordinal in words, in the form the marker asks for.

    (1, "ला") -> "पहला", (1, "ली") -> "पहली", (2, "रा") -> "दूसरा", (4, "था") -> "चौथा",
    (6, "ठा") -> "छठा", (5, "वां") -> "पाँचवाँ", (21, "वीं") -> "इक्कीसवीं", (100, "वाँ") -> "सौवाँ".
    """
    if n < 0:
        raise ValueError(f"not an ordinal: {n}")
    form = ordinal_form(marker)
    stem_ending, cardinal_ending = _ORDINAL_ENDINGS[form]
    if n in _IRREGULAR_ORDINALS:
        return _IRREGULAR_ORDINALS[n] + stem_ending
    if n == 100:
        return HUNDRED + cardinal_ending
    if n == 1000:
        return THOUSAND + cardinal_ending
    return int_to_words(n) + cardinal_ending
