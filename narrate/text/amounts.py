"""Rules for numbers and money: amounts in rupees and other currencies, phone numbers,
percentages, ordinals, units, ranges, fractions and every other number, said in Hindi words.
The number words themselves come from :mod:`narrate.text.numbers`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from decimal import Decimal

from narrate.text.acronyms import english_number, english_ordinal, english_ordinal_suffix
from narrate.text.addresses import DOT
from narrate.text.chars import (
    DEVANAGARI,
    HAS_DIGIT,
    WORD,
    WORD_CHAR,
    alternation,
    hindi_re,
    nfc,
    outside_latin_tokens,
    pad,
)
from narrate.text.dates import DMY_DATE, ISO_DATE, NOT_BEFORE_NUMBER
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

#: The fraction signs read by :func:`read_fraction_signs`; the rules before it leave a
#: number followed by one ("2½", "1½ लाख") to it.
_FRACTION_SIGNS = "½¼¾⅓⅔"


_GLUED_UNIT = re.compile(
    r"(?<![A-Za-z0-9.,])(?P<n>[0-9](?:[0-9,.]*[0-9])?)"
    r"(?P<unit>km/h|kmph|km|kg|cm|mm|ml|mg|MW|kWh|kW|GW|GB|MB|TB|mAh|MP|GHz|Hz|W"
    r"|[AaPp]\.?[Mm]\.?)(?![A-Za-z0-9])"
)
_GLUED_CURRENCY = re.compile(r"(?<![A-Za-z0-9])(?P<c>[Rr][Ss]\.?|INR)(?=[0-9])")


def separate_glued_units(text: str) -> str:
    """Prevent "5km", "10am" or "Rs4,250" from being kept as a Latin-script token like
    "5G": a known unit, am/pm or currency is split from its number so it is read."""
    if not HAS_DIGIT.search(text):
        return text
    text = _GLUED_CURRENCY.sub(r"\g<c> ", text)
    return _GLUED_UNIT.sub(r"\g<n> \g<unit>", text)


#: Scale words that may follow an amount, as written -> as said (read_money says them; a
#: number before one is an amount, not a phone number).
SCALE_WORDS: Mapping[str, str] = {
    nfc(k): nfc(v)
    for k, v in {
        "हज़ार": "हज़ार", "हजार": "हज़ार", "लाख": "लाख", "करोड़": "करोड़", "करोड": "करोड़",
        "अरब": "अरब", "खरब": "खरब", "thousand": "हज़ार", "lakh": "लाख", "lakhs": "लाख",
        "lac": "लाख", "crore": "करोड़", "crores": "करोड़", "cr": "करोड़", "million": "मिलियन",
        "billion": "बिलियन", "trillion": "ट्रिलियन", "mn": "मिलियन", "bn": "बिलियन",
        "tn": "ट्रिलियन", "मिलियन": "मिलियन", "बिलियन": "बिलियन", "ट्रिलियन": "ट्रिलियन",
    }.items()
}  # fmt: skip
_ONE_SCALE = rf"(?:{alternation(SCALE_WORDS)})(?!{WORD_CHAR})"
#: One scale word or two ("₹1 लाख करोड़", "50 हज़ार करोड़"): the currency comes after both.
_SCALE = rf"(?P<scale>{_ONE_SCALE}(?:\s{_ONE_SCALE})?)"
_SCALE_AHEAD = re.compile(rf"\s?{_SCALE}")


def say_scale(scale: str) -> str:
    """Scale words as written ("लाख करोड", "crore") as said ("लाख करोड़", "करोड़")."""
    return " ".join(SCALE_WORDS[word] for word in scale.split())

#: Words after which a run of six or more digits is a phone number (or a PIN code).
PHONE_CUES: tuple[str, ...] = tuple(
    nfc(w)
    for w in (
        "नंबर", "नम्बर", "नंबरों", "नम्बरों", "फोन", "फ़ोन", "मोबाइल", "मोबाईल", "मो.",
        "हेल्पलाइन", "संपर्क", "सम्पर्क", "टोल फ्री", "टोल-फ्री", "टोल फ़्री", "टोल-फ़्री",
        "टोलफ्री", "कॉल", "डायल", "व्हाट्सएप", "व्हाट्सऐप", "वॉट्सऐप", "वॉट्सएप", "फैक्स",
        "फ़ैक्स", "पिन कोड", "पिनकोड", "पिन", "phone", "mobile", "tel", "helpline", "whatsapp",
        "fax", "pin", "call", "toll-free", "toll free", "number",
    )
)  # fmt: skip
#: Cues after which a short code is a number to dial, said digit by digit: "हेल्पलाइन
#: 14555", "डायल 112", "टोल फ्री 1098" (a helpline's number is never an amount).
SHORT_CODE_CUES: tuple[str, ...] = tuple(
    nfc(w)
    for w in (
        "हेल्पलाइन", "डायल", "टोल फ्री", "टोल-फ्री", "टोल फ़्री", "टोल-फ़्री", "टोलफ्री",
        "helpline", "dial", "toll-free", "toll free",
    )
)  # fmt: skip
#: Cues after which a number of five digits or more is an identifier (an account, an
#: Aadhaar, a case, a train), said in digit groups like a phone number.
ID_CUES: tuple[str, ...] = tuple(
    nfc(w)
    for w in (
        "आईडी", "आधार", "खाता", "खाते", "अकाउंट", "एफआईआर", "रजिस्ट्रेशन", "पंजीकरण", "ट्रेन",
        "रोल", "आवेदन", "एक्सप्रेस", "ID", "account", "Aadhaar", "Express",
    )
)  # fmt: skip
#: Digits a number needs after each kind of cue to be read digit by digit.
_MIN_CUED_DIGITS, _MIN_ID_DIGITS, _MIN_SHORT_CODE_DIGITS = 6, 5, 3
#: Words that may stand between a cue and its number ("नंबर है", "कॉल करें", "के लिए").
_PHONE_FILLERS = (
    "है", "हैं", "था", "थी", "थे", "करें", "करे", "कीजिए", "करिए", "करो", "के लिए", "सूत्र",
    "संख्या",
)  # fmt: skip
_LETTER = rf"(?:[^\W\d_]|{DEVANAGARI})"
_PHONE_GAP = r"[\s:\-–—=(]*"
#: Groups of digits with a single space or hyphen between them; a group of ten digits or
#: more (a whole mobile number) is the last, so that "9876543210 2019" stays two numbers.
_PHONE_DIGITS = r"(?:[0-9]{1,9}[ -])*[0-9]+"
_PHONE_END = r"(?![0-9A-Za-z]|[.,:/\-][0-9])"
_CUED_PHONE = hindi_re(
    rf"(?P<pre>(?<!{WORD_CHAR})(?:{alternation(PHONE_CUES + SHORT_CODE_CUES + ID_CUES)})"
    rf"(?!{_LETTER})(?:{_PHONE_GAP}(?:{alternation(PHONE_CUES + _PHONE_FILLERS)})"
    rf"(?!{_LETTER})){{0,2}}"
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
_CURRENCY_BEHIND = hindi_re(
    rf"(?:₹|\$|€|£|(?<![A-Za-z])(?:[Rr][Ss]\.?|INR)|(?<!{WORD_CHAR})र[ुू][.॰])\s?$"
)
_AMOUNT_AHEAD = hindi_re(
    r"\s?(?:%|(?:रुपये|रुपए|रुपया|रुपयों|रु[.॰]|रू[.॰]|पैसे|डॉलर|प्रतिशत"
    rf"|{alternation(SCALE_WORDS)})(?!{WORD_CHAR}))",
    re.IGNORECASE,
)
_PLUS = nfc("प्लस")


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


_SHORT_CODE_CUE = hindi_re(rf"(?<!{WORD_CHAR})(?:{alternation(SHORT_CODE_CUES)})(?!{_LETTER})",
                           re.IGNORECASE)
_ID_CUE = hindi_re(rf"(?<!{WORD_CHAR})(?:{alternation(ID_CUES)})(?!{_LETTER})", re.IGNORECASE)


def _min_digits(pre: str) -> int:
    """How many digits make a number after ``pre`` (its cue and fillers) a code."""
    if _SHORT_CODE_CUE.match(pre):
        return _MIN_SHORT_CODE_DIGITS
    if _ID_CUE.match(pre):
        return _MIN_ID_DIGITS
    return _MIN_CUED_DIGITS


def _read_cued_phone(match: re.Match[str]) -> str:
    number = match["num"]
    if (
        not _min_digits(match["pre"]) <= _digit_count(number) <= 15
        or _is_amount(match.string, match.start("num"), match.end())
        or ISO_DATE.fullmatch(number)
        or DMY_DATE.fullmatch(number)
        or _YEARS_WITH_DASH.fullmatch(number)
    ):
        return match.group()
    pre = match["pre"]
    if WORD.match(pre, len(pre) - 1):
        pre += " "
    return pre + pad(phone_to_words(f"{match['plus'] or ''}{number}"), match)


def _read_bare_phone(match: re.Match[str]) -> str:
    if match["plus"]:
        valid = 10 <= _digit_count(match["intl"]) <= 15
    elif match["num"].startswith("1800"):
        valid = 10 <= _digit_count(match["num"]) <= 11
    else:  # 7000000000 is a count (seven billion), not a mobile
        valid = not match["num"].endswith("00000")
    if not valid or _is_amount(match.string, match.start(), match.end()):
        return match.group()
    return pad(phone_to_words(match.group()), match)


#: An identifier without a cue: three or more hyphenated groups of ten digits or more in
#: all ("91-4567-8901-2345"; a date has eight), or a run of eleven digits or more without
#: grouping commas (an amount that long is written with commas).
_GROUPED_ID = re.compile(
    r"(?<![0-9A-Za-z.,/:+\-−–—])(?:[0-9]{2,6}(?:-[0-9]{2,6}){2,}|[0-9]{11,})"
    r"(?![0-9A-Za-z]|[.,:/\-][0-9])"
)
#: Fewest digits in a hyphenated identifier.
_MIN_ID_GROUP_DIGITS = 10


def _read_grouped_id(match: re.Match[str]) -> str:
    if _digit_count(match.group()) < _MIN_ID_GROUP_DIGITS or _is_amount(
        match.string, match.start(), match.end()
    ):
        return match.group()
    return pad(phone_to_words(match.group()), match)


#: A short code before the words that say to dial it: "1930 पर शिकायत करें", "112 नंबर पर
#: कॉल करें", "14567 पर फोन करके".
_DIALLED = hindi_re(
    r"(?<![0-9A-Za-z.,/:+\-−–—₹$€£])(?P<num>[0-9]{3,5})(?=\s(?:नंबर\s|नम्बर\s)?पर\s"
    r"(?:तुरंत\s|तत्काल\s|फौरन\s)?(?:कॉल|फोन|फ़ोन|शिकायत|संपर्क|डायल|मिस्ड|एसएमएस|मैसेज|SMS)"
    rf"(?!{WORD_CHAR}))"
)


def _read_phones(text: str) -> str:
    text = _DIALLED.sub(lambda m: phone_to_words(m["num"]), text)
    text = _CUED_PHONE.sub(_read_cued_phone, text)
    text = _BARE_PHONE.sub(_read_bare_phone, text)
    return _GROUPED_ID.sub(_read_grouped_id, text)


def read_phone_numbers(text: str) -> str:
    """Prevent "9876543210" from being read "नौ अरब सत्तासी करोड़…" and "1800-11-4000" as
    arithmetic: a phone number is said digit by digit, with a comma where the writer put a
    space or a hyphen, and "+" as "प्लस". A phone number is six or more digits shortly after
    a cue (नंबर, फोन, मोबाइल, हेल्पलाइन, संपर्क, टोल फ्री, कॉल, व्हाट्सएप, फैक्स, पिन कोड…);
    without a cue, a number with a country code (+91 …), a ten-digit mobile starting 6–9
    (9876543210, 98765 43210), a toll-free 1800 number in groups or a landline with its STD
    code (011-23456789). After a helpline cue (हेल्पलाइन, डायल, टोल फ्री) a code of three
    digits or more is read so ("हेल्पलाइन 14555"), after an identifier's cue (आईडी, आधार,
    खाता, एफआईआर, ट्रेन…) five or more; without a cue, three or more hyphenated groups of
    ten digits in all ("91-4567-8901-2345") and runs of eleven digits or more are
    identifiers, read in the same groups whatever word precedes them. Never an amount (₹,
    रुपये, लाख… next to it), a date, a year or a range."""
    return outside_latin_tokens(text, _read_phones)


_RUPEES, _RUPEE, _PAISE = nfc("रुपये"), nfc("रुपया"), nfc("पैसे")
_CURRENCIES: Mapping[str, str] = {"$": "डॉलर", "US$": "अमेरिकी डॉलर", "€": "यूरो", "£": "पाउंड"}
_AMOUNT = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?"
_MONEY = hindi_re(
    r"(?P<cur>₹|(?<![A-Za-z0-9])(?:US\$|[Rr][Ss]\.?|INR)"
    rf"|(?<!{WORD_CHAR})र[ुू][.॰]|\$|€|£)\s?(?P<a>{_AMOUNT})"
    rf"(?:\s?(?P<f>[{_FRACTION_SIGNS}])|\s?[-–]\s?(?:₹\s?)?(?P<b>{_AMOUNT}))?"
    rf"(?![0-9{_FRACTION_SIGNS}])(?:\s?{_SCALE})?(?:/-)?"
)
_RUPEES_AHEAD = hindi_re(r"\s?(?:रुपये|रुपए|रुपया|रु[.॰]|रू[.॰]|Rs\b)")
_RUPEES_AFTER = hindi_re(r"(?<=[0-9])\s?र[ुू][.॰]")


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
    unit = _RUPEES if rupees else nfc(_CURRENCIES[currency])
    scale = match["scale"]
    try:
        if match["f"]:  # ₹1½ लाख
            words = fraction_sign_to_words(grouped_to_int(match["a"]), match["f"])
        else:
            words = decimal_to_words(match["a"], before_scale=bool(scale))
        if match["b"]:
            words = nfc(f"{words} से {decimal_to_words(match['b'], before_scale=bool(scale))}")
        elif rupees and not scale and re.fullmatch(r"[0-9,]+\.[0-9]{2}", match["a"]):
            return pad(_rupees_and_paise(match["a"]), match)
        elif rupees and not scale and match["a"] == "1" and not match["f"]:
            unit = _RUPEE
    except ValueError:
        return match.group()
    if scale:
        words = f"{words} {say_scale(scale)}"
    if rupees and _RUPEES_AHEAD.match(match.string, match.end()):
        return pad(words, match)
    return pad(f"{words} {unit}", match)


def _read_money_in(text: str) -> str:
    text = _MONEY.sub(_read_money, text)
    return _RUPEES_AFTER.sub(" " + _RUPEES, text)


def read_money(text: str) -> str:
    """Prevent "₹4,250" from being read as "rupee sign four thousand…" and "Rs." as two
    Latin letters: an amount after ₹, Rs, Rs., INR or रु. is said with the currency after
    it, and after its scale word ("₹2.5 करोड़" -> "ढाई करोड़ रुपये", "₹1½ लाख" -> "डेढ़ लाख
    रुपये"); ₹4.50 is "चार रुपये पचास पैसे"; $, € and £ likewise (डॉलर, यूरो, पाउंड)."""
    if not HAS_DIGIT.search(text):
        return text
    return outside_latin_tokens(text, _read_money_in)


_PERCENT = re.compile(rf"(?<=[0-9{_FRACTION_SIGNS}])\s?%")
_PERCENT_WORD = nfc(" प्रतिशत")


def _read_percent(match: re.Match[str]) -> str:
    return pad(_PERCENT_WORD, match)


#: A "%" with no number before it: a table's header ("वोट %", "वृद्धि (%)").
_BARE_PERCENT = re.compile(r"(?:(?<=^)|(?<=[\s(\[|]))%(?=$|[\s)\],;:।|])")


def read_percentages(text: str) -> str:
    """Prevent "%" from being dropped or read in English: "8%" is said "8 प्रतिशत", like
    the Hindi spelling (the number itself is read by a later rule), and so is a "%" that
    stands for the word, in a table's header ("वोट %")."""
    if "%" not in text:
        return text
    text = outside_latin_tokens(text, lambda t: _PERCENT.sub(_read_percent, t))
    return _BARE_PERCENT.sub(lambda m: pad(_PERCENT_WORD.strip(), m), text)


_ORDINAL = hindi_re(
    rf"(?<![0-9.,])(?P<n>[0-9]+)(?:(?P<short>ला|ली|ले|रा|री|रे|था|थी|थे|ठा|ठी|ठे|वा|वी|वे)"
    rf"|\s?(?P<long>वाँ|वां|वीं|वें))(?!{WORD_CHAR})"
)
#: Which numbers each short marker belongs to ("1ला", "2रा", "3री", "4था", "6ठा").
_SHORT_MARKERS: Mapping[str, frozenset[int]] = {
    nfc("ल"): frozenset({1}),
    nfc("र"): frozenset({2, 3}),
    nfc("थ"): frozenset({4}),
    nfc("ठ"): frozenset({6}),
}


def _read_ordinal(match: re.Match[str]) -> str:
    n = int(match["n"])
    marker = match["short"] or match["long"]
    allowed = _SHORT_MARKERS.get(marker[0])
    if allowed is not None and n not in allowed:
        return match.group()
    return pad(ordinal_to_words(n, marker), match)


#: An English ordinal: "1st", "2nd", "23rd", "10th" (the suffix must agree with the number).
_ENGLISH_ORDINAL = re.compile(
    r"(?<![A-Za-z0-9.,])(?P<n>[0-9]{1,3})(?P<suffix>st|nd|rd|th)(?![A-Za-z0-9])", re.IGNORECASE
)


def _read_english_ordinal(match: re.Match[str]) -> str:
    n = int(match["n"])
    said = english_ordinal(n)
    if said is None or match["suffix"].lower() != english_ordinal_suffix(n):
        return match.group()
    return pad(said, match)


def read_ordinals(text: str) -> str:
    """Prevent "5वीं" from being read "पाँच वीं": a number with an ordinal marker is said as
    the ordinal, in the marker's form (1ला पहला, 1ली पहली, 2रा दूसरा, 4था चौथा, 6ठा छठा,
    5वां पाँचवाँ, 21वीं इक्कीसवीं, 10वें दसवें)."""
    return outside_latin_tokens(text, lambda t: _ORDINAL.sub(_read_ordinal, t))


def read_english_ordinals(text: str) -> str:
    """Prevent "1st" from being read "एक" and "12th" "बारह टी एच" (what the voices do): an
    English ordinal is said in English, as Hindi speakers say "10th पास" and "1st शिफ्ट"
    (टेंथ पास, फ़र्स्ट शिफ्ट). A date's "14th February" is the dates' rule's, before."""
    return _ENGLISH_ORDINAL.sub(_read_english_ordinal, text)


#: Units after a number, as written -> as said.
UNITS: Mapping[str, str] = {
    nfc(k): nfc(v)
    for k, v in {
        "km/h": "किलोमीटर प्रति घंटा", "kmph": "किलोमीटर प्रति घंटा", "km": "किलोमीटर",
        "kg": "किलोग्राम", "cm": "सेंटीमीटर", "mm": "मिलीमीटर", "ml": "मिलीलीटर",
        "mg": "मिलीग्राम", "MW": "मेगावाट", "kW": "किलोवाट", "GW": "गीगावाट", "GB": "जीबी",
        "MB": "एमबी", "TB": "टीबी", "mAh": "एमएएच", "MP": "मेगापिक्सल", "W": "वाट",
        "kWh": "किलोवाट घंटा", "Hz": "हर्ट्ज़", "GHz": "गीगाहर्ट्ज़", "°C": "डिग्री सेल्सियस",
        "°F": "डिग्री फ़ारेनहाइट",
        "°": "डिग्री", "किमी": "किलोमीटर", "किग्रा": "किलोग्राम", "मिमी": "मिलीमीटर",
        "सेमी": "सेंटीमीटर",
    }.items()
}  # fmt: skip
_UNIT = re.compile(
    rf"(?<=[0-9{_FRACTION_SIGNS}])\s?(?P<unit>{alternation(UNITS)})(?![A-Za-z0-9]|{WORD_CHAR})"
)


def read_units(text: str) -> str:
    """Prevent "120 mm" or "40°C" from being read letter by letter or dropped: a unit
    after a number is said in full (मिलीमीटर, डिग्री सेल्सियस). Only after a number:
    "सेमी" alone may be the start of सेमीफ़ाइनल."""
    return outside_latin_tokens(
        text, lambda t: _UNIT.sub(lambda m: pad(" " + UNITS[m["unit"]], m), t)
    )


#: What a rate is per, after a slash: "किमी/घंटा", "रु./किलो", "kg/ha".
PER_UNITS: tuple[str, ...] = tuple(
    nfc(w)
    for w in (
        "घंटा", "घंटे", "किलो", "किलोग्राम", "किग्रा", "ग्राम", "लीटर", "क्विंटल", "टन", "माह",
        "महीना", "दिन", "वर्ष", "साल", "मीटर", "वर्ग मीटर", "वर्ग फुट", "वर्ग फीट", "एकड़",
        "हेक्टेयर", "यूनिट", "व्यक्ति", "किलोमीटर", "किमी", "सेकंड", "मिनट", "दर्जन", "पीस",
        "h", "hr", "kg", "ha", "l", "L", "s", "sec", "month", "year", "day", "unit", "sq ft",
    )
)  # fmt: skip
_PER = hindi_re(
    rf"(?<=[0-9A-Za-z\u0900-\u097F.°])\s?/\s?(?P<den>{alternation(PER_UNITS)})"
    rf"(?![A-Za-z0-9]|{WORD_CHAR})"
)
_PER_WORD = nfc("प्रति")


def read_per_units(text: str) -> str:
    """Prevent the slash of a rate from being read "slash" or dropped: a slash before a
    unit of time, weight, volume or area is "प्रति" ("किमी/घंटा" -> "किमी प्रति घंटा",
    "रु./किलो" -> "रुपये प्रति किलो"). A slash between other words ("और/या") stays."""
    if "/" not in text:
        return text
    return _PER.sub(lambda m: f" {_PER_WORD} {m['den']}", text)


_NUMBER = r"[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)?"
_RANGE = re.compile(
    rf"{NOT_BEFORE_NUMBER}(?P<a>{_NUMBER})\s?[-–—]\s?(?P<b>{_NUMBER})"
    rf"(?![0-9{_FRACTION_SIGNS}]|[.,][0-9]|\s?[-–—]\s?[0-9])"
)
_YEAR_TEXT = re.compile(r"1[0-9]{3}|20[0-9]{2}")


def _value(number: str) -> Decimal:
    whole, _, fraction = number.partition(".")
    return Decimal(f"{grouped_to_int(whole)}.{fraction or 0}")


#: Before two numbers, the words that make them a score (a cricket score "स्कोर 245/6", a
#: match's "स्कोर 2-3").
_SCORE_BEHIND = hindi_re(r"(?:स्कोर(?:लाइन)?|स्कोर\s(?:था|है|रहा))\s?(?:[:—-]\s?)?$")
#: After two numbers with a dash, words that make them a match's score, not a range: "2-3 से
#: हारा", "2-3 की हार".
_RESULT_AHEAD = hindi_re(
    r"\s?(?:से\s+(?:हार|हरा|जीत|मात|पिछड़|बराबर|पीछे|आगे)|की\s+(?:हार|जीत|बढ़त|बराबरी))"
)


def _score_point(number: str) -> str:
    """A side's points in a score: a half as said ("7.5" साढ़े सात, "0.5" आधा), or the
    number left to the number rule."""
    whole, _, fraction = number.partition(".")
    if fraction == "5" and whole.isdigit():
        return nfc("आधा") if int(whole) == 0 else half_to_words(int(whole)) or number
    return number


def _match_score(match: re.Match[str]) -> str:
    """A score keeps its dash ("दो-तीन से हारा"); a chess score's halves are said as halves
    ("7.5-6.5" साढ़े सात-साढ़े छह)."""
    return pad(f"{_score_point(match['a'])}-{_score_point(match['b'])}", match)


def _read_range(match: re.Match[str]) -> str:
    a, b = match["a"], match["b"]
    if _RESULT_AHEAD.match(match.string, match.end()) or _SCORE_BEHIND.search(
            match.string, 0, match.start()):
        return _match_score(match)
    try:
        low, high = _value(a), _value(b)
    except ValueError:
        return match.group()
    if _YEAR_TEXT.fullmatch(a) and re.fullmatch(r"[0-9]{2}", b) and int(b) == (int(a) + 1) % 100:
        return pad(f"{year_to_words(int(a))}-{int_to_words(int(b))}", match)  # 2024-25
    if _YEAR_TEXT.fullmatch(a) and re.fullmatch(r"[0-9]{2}", b) and int(b) > int(a) % 100:
        # years in short: "1970-80" is 1970 to 1980
        return pad(nfc(f"{year_to_words(int(a))} से {int_to_words(int(b))}"), match)
    if not low < high:  # a score (2-1, 7.5-6.5) or something else: not a range
        return _match_score(match)
    if _YEAR_TEXT.fullmatch(a) and _YEAR_TEXT.fullmatch(b):
        return pad(nfc(f"{year_to_words(int(a))} से {year_to_words(int(b))}"), match)
    scale = bool(_SCALE_AHEAD.match(match.string, match.end()))
    words = f"{decimal_to_words(a, before_scale=scale)} से {decimal_to_words(b, before_scale=scale)}"
    return pad(nfc(words), match)


def read_ranges(text: str) -> str:
    """Prevent "5-7" from being read "पाँच माइनस सात" or as a date: a dash between two
    numbers, the second larger, is "से" ("पाँच से सात"; years "उन्नीस सौ नब्बे से दो हज़ार",
    in short "1970-80" "उन्नीस सौ सत्तर से अस्सी"); a financial year 2024-25 is "दो हज़ार
    चौबीस-पच्चीस". A smaller second number is a score
    (2-1) and keeps its dash."""
    return outside_latin_tokens(text, lambda t: _RANGE.sub(_read_range, t))


_SLASHED = re.compile(r"(?<![0-9.,/])[0-9]+(?:/[0-9]+)+(?![0-9]|[.,][0-9])")
FRACTIONS: Mapping[str, str] = {
    "1/2": nfc("आधा"),
    "1/3": nfc("एक तिहाई"),
    "2/3": nfc("दो तिहाई"),
    "1/4": nfc("एक चौथाई"),
    "3/4": nfc("तीन चौथाई"),
    "24/7": nfc("चौबीसों घंटे"),
}


_RUNS, _WICKETS, _ON = nfc("रन"), nfc("विकेट"), nfc("पर")
#: After a slashed pair, the words that make it a cricket score whatever its numbers.
_SCORE_AHEAD = hindi_re(rf"\s?(?P<word>रन|विकेट)(?!{WORD_CHAR})")
#: Most wickets a side loses.
_MAX_WICKETS = 10
#: A first number above any day or month: "245/6" cannot be a date.
_MORE_THAN_A_DATE = 31


def _score(match: re.Match[str]) -> str | None:
    """A cricket score "245/6" said as runs and wickets, or None when it is not one: the
    second number at most 10 and either the first above 31 (no date or fraction looks so)
    or "रन"/"विकेट" after it or "स्कोर" before it."""
    runs, _, wickets = match.group().partition("/")
    if "/" in wickets or not runs.isdigit() or int(wickets) > _MAX_WICKETS:
        return None
    ahead = _SCORE_AHEAD.match(match.string, match.end())
    cued = ahead is not None or _SCORE_BEHIND.search(match.string, 0, match.start())
    if not cued and (int(runs) <= _MORE_THAN_A_DATE or len(runs) > 3):
        return None
    said_runs, said_wickets = int_to_words(int(runs)), int_to_words(int(wickets))
    if ahead is not None and ahead["word"] == _RUNS:  # "245/6 रन": the रन is said once
        return pad(f"{said_wickets} {_WICKETS} {_ON} {said_runs}", match)
    return pad(f"{said_runs} {_RUNS} {_ON} {said_wickets} {_WICKETS}", match)


def _read_slashed(match: re.Match[str]) -> str:
    text = match.group()
    score = _score(match)
    if score is not None:
        return score
    if text in FRACTIONS:
        return pad(FRACTIONS[text], match)
    parts = [decimal_to_words(p) for p in text.split("/")]
    joiner = nfc(" बटा ") if len(parts) == 2 else nfc(" स्लैश ")
    return pad(joiner.join(parts), match)


def read_fractions(text: str) -> str:
    """Prevent "3/4" from being read as a date or "three slash four": two numbers with a
    slash are a fraction ("तीन चौथाई", "पाँच बटा आठ"; 24/7 is "चौबीसों घंटे"); longer
    slashed runs that are not dates are read part by part with "स्लैश". A cricket score is
    not a fraction: "245/6" is "दो सौ पैंतालीस रन पर छह विकेट" (see :func:`_score`)."""
    if "/" not in text:
        return text
    return outside_latin_tokens(text, lambda t: _SLASHED.sub(_read_slashed, t))


#: Fraction signs, alone, as said.
FRACTION_SIGNS: Mapping[str, str] = {
    "½": nfc("आधा"),
    "¼": nfc("एक चौथाई"),
    "¾": nfc("तीन चौथाई"),
    "⅓": nfc("एक तिहाई"),
    "⅔": nfc("दो तिहाई"),
}
_AND_A_HALF, _AND_A_QUARTER, _LESS_A_QUARTER = nfc("साढ़े"), nfc("सवा"), nfc("पौने")
_AND = nfc("और")
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
        return pad(fraction_sign_to_words(int(match["n"]), match["f"]), match)
    words = FRACTION_SIGNS[match["f"]]
    before = match.string[: match.start()].rstrip()
    start = len(before) - len(words)
    if before.endswith(words) and (start == 0 or not WORD.match(before, start - 1)):
        return pad("", match)  # "आधा ½ किलो": the sign repeats the word
    return pad(words, match)


def read_fraction_signs(text: str) -> str:
    """Prevent "½" from being left as a symbol and "2½" from being read "दो ½": a fraction
    sign is said in words (½ आधा, ¼ एक चौथाई, ¾ तीन चौथाई, ⅓ एक तिहाई, ⅔ दो तिहाई), after
    a whole number the way Hindi says it: 1½ डेढ़, 2½ ढाई, 3½ साढ़े तीन, 2¼ सवा दो, 2¾ पौने
    तीन, so that "1½ लाख" is "डेढ़ लाख". After the word it stands for ("आधा ½") it is not
    said twice."""
    if not any(sign in text for sign in FRACTION_SIGNS):
        return text
    return _FRACTION_SIGN.sub(_read_fraction_sign, text)


_OVERS = hindi_re(rf"(?<![0-9.,])(?P<o>[0-9]{{1,2}})\.(?P<b>[0-5])(?P<rest>\s?ओवर(?!{WORD_CHAR}))")
_POINT_OVER = nfc("पॉइंट")


def read_overs(text: str) -> str:
    """Prevent "18.4 ओवर" from being read as a decimal ("अठारह दशमलव चार"): overs and
    balls are said the way cricket is called, "अठारह पॉइंट चार ओवर" (18 overs and 4 balls,
    not 18.4 of anything)."""
    if "." not in text:
        return text
    return _OVERS.sub(
        lambda m: pad(f"{int_to_words(int(m['o']))} {_POINT_OVER} {int_to_words(int(m['b']))}",
                      m) + m["rest"],
        text,
    )


#: A sum written with "+" between two numbers: stoppage time (45+2), a class (10+2), an offer
#: (1+1), a formula's term (C2+50%). Not a phone's "+91" (read before, with its number)
#: nor a sign ("+15").
_SUM = re.compile(
    r"(?<![0-9A-Za-z.,+])(?P<a>[A-Z]{0,3}[0-9]{1,4})\s?\+\s?(?P<b>[0-9]{1,4})(?![0-9.,]?[0-9])"
)


#: A plus sign that makes a number positive: after a space, a bracket or nothing, before a
#: digit or a currency sign (a phone's "+91" is read before, with its number).
_PLUS_SIGN = re.compile(r"(?<![^\s(\[{\"'“‘])\+(?=[0-9₹$€£])")


def read_plus_signs(text: str) -> str:
    """Prevent "+15" from reaching the engine as "+पंद्रह" while "-15" is "माइनस पंद्रह": a
    plus sign before a number is "प्लस" ("बदलाव +15", "+1.2%")."""
    if "+" not in text:
        return text
    return _PLUS_SIGN.sub(f"{_PLUS} ", text)


#: Two numbers with "x" or "×" between them: a size (10x12 फीट, 1080x2400 पिक्सल), a
#: schedule (24x7), a relay (4x100 मीटर रिले, said गुणा).
_BY = re.compile(
    r"(?<![A-Za-z0-9.,])(?P<a>[1-9][0-9]{0,4})\s?[x×X]\s?(?P<b>[0-9]{1,5})(?![A-Za-z0-9]|[.,][0-9])"
)
_RELAY_AHEAD = hindi_re(r"\s?(?:मीटर|m)\s?(?:रिले|relay)", re.IGNORECASE)
_BY_WORD, _TIMES_WORD = nfc("बाई"), nfc("गुणा")
#: A number with "x" alone: a zoom, a speed ("5x ज़ूम", "2x स्पीड"), said in English.
_TIMES = re.compile(r"(?<![A-Za-z0-9.,])(?P<n>[1-9][0-9]{0,2})[xX×](?![A-Za-z0-9])")
_X = nfc("एक्स")


def read_sizes(text: str) -> str:
    """Prevent "24x7" and "10x12 फीट" from reaching the engine as a Latin token it reads
    "चौबीस एक्स सात": two numbers with "x" or "×" between them are said with "बाई", as
    Hindi speakers say a size (दस बाई बारह फीट); a relay's "4x100 मीटर" with "गुणा"; a
    zoom's "5x" in English (फ़ाइव एक्स), as the camera's spec sheet is."""
    if not ("x" in text or "X" in text or "×" in text):
        return text

    def said(match: re.Match[str]) -> str:
        relay = _RELAY_AHEAD.match(text, match.end())
        word = _TIMES_WORD if relay else _BY_WORD
        return pad(f"{match['a']} {word} {match['b']}", match)

    text = _BY.sub(said, text)
    return _TIMES.sub(lambda m: pad(f"{english_number(m['n'])} {_X}", m), text)


#: "+" between two sizes with their units: "12GB+256GB", "50MP+12MP".
_UNIT_SUM = re.compile(
    r"(?<![A-Za-z0-9.,+])(?P<a>[0-9]{1,4}\s?[A-Za-z]{1,4})\s?\+\s?(?=[0-9]{1,4}\s?[A-Za-z]{1,4}\b)"
)


def read_sums(text: str) -> str:
    """Prevent "45+2 मिनट" from reaching the engine as "पैंतालीस+दो", a symbol it drops or
    says in English: "+" between two numbers is "प्लस", as commentators say stoppage time
    and as "10+2" (the school class) is said, and so is "+" between two sizes ("12GB+256GB")."""
    if "+" not in text:
        return text
    text = _UNIT_SUM.sub(lambda m: f"{m['a']} {_PLUS} ", text)
    return _SUM.sub(lambda m: pad(f"{m['a']} {_PLUS} {m['b']}", m), text)


_ANY_NUMBER = re.compile(r"(?P<sign>(?<![^\s(\[{\"'“‘])-|−)?(?P<n>[0-9]+(?:,[0-9]+)*(?:\.[0-9]+)*)")


def number_to_words(number: str, *, before_scale: bool = False) -> str:
    """Any run of digits, commas and dots as one would say it: a number ("1,50,000"), a
    decimal ("3.75"), a list when the commas do not group ("5,6" -> "पाँच, छह"), or dotted
    parts ("1.2.3" -> "एक डॉट दो डॉट तीन", a version or an address)."""
    parts = number.split(".")
    if len(parts) > 2:
        return f" {DOT} ".join(number_to_words(p) for p in parts)
    try:
        return decimal_to_words(number, before_scale=before_scale)
    except ValueError:
        return ", ".join(decimal_to_words(p) for p in number.split(","))


def _read_number(match: re.Match[str]) -> str:
    before_scale = bool(_SCALE_AHEAD.match(match.string, match.end()))
    words = number_to_words(match["n"], before_scale=before_scale)
    if match["sign"]:
        words = f"{MINUS} {words}"
    return pad(words, match)


def read_numbers(text: str) -> str:
    """Prevent any digit from reaching the engine, which would read it in English or
    digit by digit: every number left is said in Hindi words with Indian grouping
    (1,50,000 and 150,000 are both "एक लाख पचास हज़ार"), a sign at the start of a number is
    "माइनस", decimals use "दशमलव", and a half before लाख or करोड़ is "डेढ़", "ढाई", "साढ़े …"."""
    return outside_latin_tokens(text, lambda t: _ANY_NUMBER.sub(_read_number, t))


_NOT_OUT = re.compile(r"(?<![0-9*.,])(?P<n>[0-9]{1,3})\*(?![*0-9A-Za-z]|\s?[0-9])")
_NOT_OUT_WORD = nfc("नाबाद")
#: Words that already say a batter is not out ("… 112* रन बनाकर नाबाद लौटे", "अविजित 58*"):
#: the star is then not said again.
NOT_OUT_WORDS: tuple[str, ...] = tuple(
    nfc(w) for w in ("नाबाद", "अविजित", "नॉटआउट", "नॉट आउट", "not out", "Not Out", "unbeaten")
)
_SAYS_NOT_OUT = hindi_re(rf"(?<!{WORD_CHAR})(?:{alternation(NOT_OUT_WORDS)})(?!{WORD_CHAR})")
#: What ends the clause a star belongs to: its "नाबाद" must be in the same clause.
_CLAUSE_END = re.compile(r"[,;।॥!?]|\s[-–—]\s|$")


def _clause_around(text: str, start: int, end: int) -> str:
    """The clause of ``text`` that holds ``text[start:end]``."""
    before = max(text.rfind(mark, 0, start) for mark in ",;।॥!?")
    after = _CLAUSE_END.search(text, end)
    return text[before + 1 : after.start() if after else len(text)]


def _read_star(match: re.Match[str]) -> str:
    if _SAYS_NOT_OUT.search(_clause_around(match.string, match.start(), match.end())):
        return match["n"]  # the clause already says it: "112* रन बनाकर नाबाद लौटे"
    return f"{_NOT_OUT_WORD} {match['n']}"


def read_not_out(text: str) -> str:
    """Prevent a batter's "41*" from losing its star, and from saying it twice: in a score
    a star after the runs means not out, said first: "नाबाद 41" (the number is read by a
    later rule); when the clause says so already ("112* रन बनाकर नाबाद लौटे", "71* रन की
    नाबाद पारी", "अविजित 58*") the star is dropped instead. Runs before the mark-up rules,
    which drop a star as emphasis; "**41**" and "5*3" are not scores."""
    if "*" not in text:
        return text
    return _NOT_OUT.sub(_read_star, text)
