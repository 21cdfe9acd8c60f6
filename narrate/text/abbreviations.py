"""Rules for dotted abbreviations (डॉ., कि.मी., Dr.) and the number sign (सं., No.): said in full.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from narrate.text.chars import DEVANAGARI, WORD_CHAR, hindi_re, nfc, pad

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
_ABBREVIATION_WORDS = {nfc(k): nfc(v) for k, v in ABBREVIATIONS.items()}


def _abbreviation_pattern(abbreviation: str) -> str:
    """A dot may be the abbreviation sign ॰ and may be followed by a space inside. The
    abbreviation must be a word of its own script: a digit or a letter of the other script
    next to it is a boundary (the number rules will separate them anyway)."""
    before = rf"(?<!{DEVANAGARI})" if "\u0900" <= abbreviation[0] <= "\u097f" else r"(?<![A-Za-z])"
    if abbreviation.endswith("."):
        parts = abbreviation[:-1].split(".")
        # all the dots at the end: "श्री.." must not leave "श्री." behind
        return before + r"[.॰]\s?".join(re.escape(p) for p in parts) + r"[.॰]+"
    after = rf"(?!{WORD_CHAR})" if "\u0900" <= abbreviation[0] <= "\u097f" else r"(?![A-Za-z0-9])"
    return before + re.escape(abbreviation) + after


#: Longest first, so that "श्रीमती." wins over "श्री." and "ई.पू." is one abbreviation.
_ABBREVIATION_ORDER = sorted(_ABBREVIATION_WORDS, key=lambda k: (-len(k), k))
_ABBREVIATION = re.compile(
    "|".join(f"(?P<a{i}>{_abbreviation_pattern(k)})" for i, k in enumerate(_ABBREVIATION_ORDER))
)
_ABBREVIATION_BY_GROUP = {
    f"a{i}": _ABBREVIATION_WORDS[k] for i, k in enumerate(_ABBREVIATION_ORDER)
}
_ERA = hindi_re(r"(?<=[0-9])\s?ई[.॰](?!\s?पू[.॰])")
_NUMBER_SIGN = hindi_re(rf"(?:(?<!{DEVANAGARI})सं[.॰]|(?<![A-Za-z0-9])[Nn]o\.)\s?(?=[0-9])")


def expand_abbreviations(text: str) -> str:
    """Prevent "डॉ." from being read as a syllable and its dot as a pause: common
    abbreviations are said in full (डॉ. -> डॉक्टर, कि.मी. -> किलोमीटर, Mr. -> मिस्टर, 1947
    ई. -> 1947 ईसवी, सं. 5 -> संख्या 5). Whole words only."""
    if "." not in text and "॰" not in text and "v" not in text:
        return text
    text = _ABBREVIATION.sub(lambda m: pad(_ABBREVIATION_BY_GROUP[str(m.lastgroup)], m), text)
    text = _ERA.sub(lambda m: " " + pad(nfc("ईसवी"), m).lstrip(), text)
    return _NUMBER_SIGN.sub(
        lambda m: nfc("संख्या ") if m.group().startswith(nfc("सं")) else nfc("नंबर "), text
    )
