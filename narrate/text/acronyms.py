"""Rules for Latin-script names a Hindi newsreader says in Devanagari: acronyms (spelled in
English letter names, or said as words), alphanumerics (5G, टी20, COVID-19) and Roman
numerals after a word that counts (भाग III). English words, hashtags and mentions are in
:mod:`narrate.text.english`.

The spoken form is Devanagari, so Google, Kokoro and espeak-ng all say the same thing.

The Hindi press says most acronyms letter by letter in English letter names ("UPI" यू पी आई,
"IMD" आई एम डी), and a few as words: those are data, :data:`SAID_AS_WORDS`, one entry with
its reason each. English words in capitals that are not acronyms (a headline's "BREAKING")
are left alone when they are longer than :data:`MAX_SPELLED_LETTERS`.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from narrate.text.chars import WORD_CHAR, alternation, hindi_re, nfc, outside_latin_tokens, pad
from narrate.text.numbers import int_to_words

#: English letter names as Hindi speakers say them (and as the Hindi press spells them).
LETTER_NAMES: Mapping[str, str] = {
    k: nfc(v)
    for k, v in {
        "A": "ए", "B": "बी", "C": "सी", "D": "डी", "E": "ई", "F": "एफ़", "G": "जी",
        "H": "एच", "I": "आई", "J": "जे", "K": "के", "L": "एल", "M": "एम", "N": "एन",
        "O": "ओ", "P": "पी", "Q": "क्यू", "R": "आर", "S": "एस", "T": "टी", "U": "यू",
        "V": "वी", "W": "डब्ल्यू", "X": "एक्स", "Y": "वाई", "Z": "ज़ेड",
    }.items()
}  # fmt: skip

#: English number words 0–19 and the tens, in Devanagari: the digits of an alphanumeric
#: name are said in English ("5G" फ़ाइव जी, "T20" टी-ट्वेंटी), as the name is English.
_ENGLISH_BELOW_20 = tuple(
    nfc(w)
    for w in (
        "ज़ीरो", "वन", "टू", "थ्री", "फ़ोर", "फ़ाइव", "सिक्स", "सेवन", "एट", "नाइन", "टेन",
        "इलेवन", "ट्वेल्व", "थर्टीन", "फ़ोर्टीन", "फ़िफ़्टीन", "सिक्सटीन", "सेवनटीन", "एटीन",
        "नाइनटीन",
    )
)  # fmt: skip
_ENGLISH_TENS = tuple(
    nfc(w) for w in ("", "", "ट्वेंटी", "थर्टी", "फ़ोर्टी", "फ़िफ़्टी", "सिक्सटी", "सेवंटी", "एटी", "नाइंटी")
)
_HUNDRED = nfc("हंड्रेड")
_OH = nfc("ओ")


def english_number(digits: str) -> str:
    """Digits said in English, the way a name's digits are: "5" फ़ाइव, "20" ट्वेंटी, "19"
    नाइनटीन, "01" ज़ीरो वन, "320" थ्री ट्वेंटी, "2025" ट्वेंटी ट्वेंटी फ़ाइव, "1905" नाइनटीन
    ओ फ़ाइव, "1900" नाइनटीन हंड्रेड; "0005" and five digits or more one by one."""
    if len(digits) == 1:
        return _ENGLISH_BELOW_20[int(digits)]
    if len(digits) == 2:
        n = int(digits)
        if digits[0] == "0":  # a name's "01" is ज़ीरो वन, as Indian English says it
            return f"{_ENGLISH_BELOW_20[0]} {_ENGLISH_BELOW_20[n]}"
        if n < 20:
            return _ENGLISH_BELOW_20[n]
        tens, ones = divmod(n, 10)
        return _ENGLISH_TENS[tens] + (f" {_ENGLISH_BELOW_20[ones]}" if ones else "")
    if len(digits) in (3, 4) and digits[0] != "0":
        head, tail = digits[:-2], digits[-2:]
        said_tail = (
            _HUNDRED if tail == "00"
            else f"{_OH} {_ENGLISH_BELOW_20[int(tail)]}" if tail[0] == "0"  # 1905: नाइनटीन ओ फ़ाइव
            else english_number(tail)
        )
        return f"{english_number(head)} {said_tail}"
    return " ".join(_ENGLISH_BELOW_20[int(d)] for d in digits)


#: English ordinals in Devanagari, as "10th पास" and "1st शिफ्ट" are said: 1–19, then the tens.
_ENGLISH_ORDINALS_BELOW_20 = tuple(
    nfc(w)
    for w in (
        "", "फ़र्स्ट", "सेकंड", "थर्ड", "फ़ोर्थ", "फ़िफ़्थ", "सिक्स्थ", "सेवंथ", "एटथ", "नाइंथ",
        "टेंथ", "इलेवंथ", "ट्वेल्फ़्थ", "थर्टींथ", "फ़ोर्टींथ", "फ़िफ़्टींथ", "सिक्सटींथ",
        "सेवनटींथ", "एटींथ", "नाइनटींथ",
    )
)  # fmt: skip
_ENGLISH_TENTHS = tuple(
    nfc(w)
    for w in ("", "", "ट्वेंटिएथ", "थर्टिएथ", "फ़ोर्टिएथ", "फ़िफ़्टिएथ", "सिक्सटिएथ", "सेवंटिएथ",
              "एटिएथ", "नाइंटिएथ")
)  # fmt: skip
#: The suffix each last digit takes ("1st", "2nd", "3rd", "4th"; "11th", "12th", "13th").
_ORDINAL_SUFFIXES = {1: "st", 2: "nd", 3: "rd"}


def english_ordinal_suffix(n: int) -> str:
    """The suffix English writes after ``n`` as an ordinal: 1 "st", 12 "th", 22 "nd"."""
    return "th" if n % 100 in (11, 12, 13) else _ORDINAL_SUFFIXES.get(n % 10, "th")


def english_ordinal(n: int) -> str | None:
    """An ordinal said in English, as "10th" is in Hindi speech: 1 फ़र्स्ट, 12 ट्वेल्फ़्थ, 21
    ट्वेंटी फ़र्स्ट, 50 फ़िफ़्टिएथ, 150 वन हंड्रेड फ़िफ़्टिएथ; ``None`` from 1000 on."""
    if not 0 < n < 1000:
        return None
    hundreds, rest = divmod(n, 100)
    head = f"{_ENGLISH_BELOW_20[hundreds]} {_HUNDRED}" if hundreds else ""
    if rest == 0:
        return head + nfc("थ")
    if rest < 20:
        tail = _ENGLISH_ORDINALS_BELOW_20[rest]
    else:
        tens, ones = divmod(rest, 10)
        tail = _ENGLISH_TENTHS[tens]
        if ones:
            tail = f"{_ENGLISH_TENS[tens]} {_ENGLISH_ORDINALS_BELOW_20[ones]}"
    return f"{head} {tail}".strip()


@dataclass(frozen=True)
class Said:
    """An acronym said as a word: how it is written, how it is said, and why."""

    written: str
    spoken: str
    reason: str


#: Acronyms the Hindi press says as words, not letter by letter. Each reason names the
#: usage: the organisation's own Hindi name, or the spelling Hindi newspapers and
#: broadcasters print (a spelling such as "इसरो" is only printed because it is said so).
SAID_AS_WORDS: tuple[Said, ...] = (
    Said("ISRO", "इसरो", "Indian Space Research Organisation; its own Hindi name is इसरो"),
    Said("NASA", "नासा", "said as a word in English too; Hindi press prints नासा"),
    Said("AIIMS", "एम्स", "All India Institute of Medical Sciences; its Hindi signage says एम्स"),
    Said("SEBI", "सेबी", "Securities and Exchange Board of India; its Hindi name is सेबी"),
    Said("NavIC", "नाविक", "ISRO's navigation system; named to be said as the Hindi नाविक"),
    Said("NABARD", "नाबार्ड", "the bank's own Hindi name is नाबार्ड"),
    Said("NITI", "नीति", "NITI Aayog is नीति आयोग, the Hindi word it was named after"),
    Said("UNESCO", "यूनेस्को", "said as a word in every language; Hindi press prints यूनेस्को"),
    Said("UNICEF", "यूनिसेफ़", "said as a word; Hindi press prints यूनिसेफ"),
    Said("NATO", "नाटो", "said as a word; Hindi press prints नाटो"),
    Said("OPEC", "ओपेक", "said as a word; Hindi press prints ओपेक"),
    Said("SAARC", "सार्क", "said as a word; Hindi press prints सार्क"),
    Said("ASEAN", "आसियान", "said as a word; Hindi press prints आसियान"),
    Said("FICCI", "फिक्की", "the chamber calls itself फिक्की in Hindi"),
    Said("ASSOCHAM", "एसोचैम", "the chamber calls itself एसोचैम in Hindi"),
    Said("NASSCOM", "नैसकॉम", "said as a word; Hindi press prints नैसकॉम"),
    Said("IGNOU", "इग्नू", "the university's Hindi name is इग्नू"),
    Said("BHEL", "भेल", "the company's Hindi name is भेल"),
    Said("GAIL", "गेल", "the company's Hindi name is गेल"),
    Said("SAIL", "सेल", "Steel Authority of India; its Hindi name is सेल"),
    Said("HUDCO", "हडको", "the company's Hindi name is हडको"),
    Said("NAFED", "नेफेड", "said as a word; Hindi press prints नेफेड"),
    Said("IFFCO", "इफको", "the cooperative's Hindi name is इफको"),
    Said("SIDBI", "सिडबी", "the bank's Hindi name is सिडबी"),
    Said("NEET", "नीट", "the exam is said as the word; Hindi press prints नीट"),
    Said("GATE", "गेट", "the exam is said as the English word gate"),
    Said("CAT", "कैट", "the exam is said as the English word cat"),
    Said("POCSO", "पॉक्सो", "the Act is said as a word; Hindi press prints पॉक्सो"),
    Said("RERA", "रेरा", "the Act is said as a word; Hindi press prints रेरा"),
    Said("FEMA", "फेमा", "the Act is said as a word; Hindi press prints फेमा"),
    Said("COVID", "कोविड", "said as a word; Hindi press prints कोविड"),
    Said("FIFA", "फीफा", "said as a word; Hindi press prints फीफा"),
    Said("UEFA", "यूएफा", "said as a word; Hindi press prints यूएफा"),
    Said("FIDE", "फ़िडे", "the chess federation is said as a word; Hindi press prints फिडे"),
    Said("SWIFT", "स्विफ्ट", "the payments network is said as the English word"),
    Said("PIN", "पिन", "a PIN (code) is said as the word; Hindi press prints पिन"),
    Said("RAM", "रैम", "computer memory is said as the English word ram"),
    Said("ROM", "रॉम", "computer memory is said as a word"),
    Said("LASER", "लेज़र", "an acronym long since a word"),
    Said("RADAR", "रडार", "an acronym long since a word"),
    Said("SIM", "सिम", "a SIM card is said as the word; Hindi press prints सिम"),
    Said("OTT", "ओटीटी", "spelled, but run together as one word in Hindi broadcasts"),
    Said("ULFA", "उल्फा", "said as a word; Hindi press prints उल्फा"),
    Said("SEZ", "सेज़", "special economic zone; Hindi press prints सेज"),
    Said("NALSA", "नालसा", "National Legal Services Authority; its Hindi name is नालसा"),
    Said("NISAR", "निसार", "the NASA-ISRO satellite; said as a word, Hindi press prints निसार"),
    Said("DRDO", "डीआरडीओ", "spelled, run together as Hindi broadcasts say it"),
    Said("EBITDA", "एबिटडा", "said as a word in business news; Hindi press prints एबिटडा"),
    Said("AMOLED", "एमोलेड", "a screen type; said as a word, Hindi tech pages print एमोलेड"),
    Said("OLED", "ओलेड", "a screen type; said as a word, Hindi tech pages print ओलेड"),
    # Government schemes named by an acronym that spells a Hindi word: the word is the name.
    Said("KISAN", "किसान", "PM-KISAN, Kisan Credit Card: the Hindi word the scheme is named for"),
    Said("AYUSH", "आयुष", "the ministry's Hindi name is आयुष मंत्रालय"),
    Said("UDAN", "उड़ान", "the regional flights scheme is named for the Hindi word उड़ान"),
    Said("UJALA", "उजाला", "the LED scheme is named for the Hindi word उजाला"),
    Said("SWAYAM", "स्वयं", "the online courses portal is named for the Hindi word स्वयं"),
    Said("AMRUT", "अमृत", "the urban mission is named for the Hindi word अमृत"),
    Said("PRAGATI", "प्रगति", "the review platform is named for the Hindi word प्रगति"),
    Said("KUSUM", "कुसुम", "PM-KUSUM, the solar pumps scheme, named for the Hindi word कुसुम"),
    Said("NAM", "नाम", "e-NAM, the farm market, and the Non-Aligned Movement: both said नाम"),
    Said("SVAMITVA", "स्वामित्व", "the property cards scheme is named for the Hindi word स्वामित्व"),
)
_WORDS: Mapping[str, str] = {s.written: nfc(s.spoken) for s in SAID_AS_WORDS}
#: The acronyms said as words, as written ("NavIC").
WORDS_WRITTEN: tuple[str, ...] = tuple(_WORDS)
_WORDS_UPPER: Mapping[str, str] = {s.written.upper(): nfc(s.spoken) for s in SAID_AS_WORDS}

#: An unknown run of capitals longer than this is an English word, not an acronym.
MAX_SPELLED_LETTERS = 6


def spell(letters: str) -> str:
    """Latin letters in English letter names: "UPI" -> "यू पी आई"."""
    return " ".join(LETTER_NAMES[ch] for ch in letters.upper() if ch in LETTER_NAMES)


#: A Latin name: runs of letters and digits, joined by hyphens, with a capital or a digit
#: in it (a plain English word in lower case is left to the engine).
_LATIN_NAME = re.compile(r"(?<![A-Za-z0-9@#'’])[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*(?![A-Za-z0-9'’])")
_PARTS = re.compile(r"[A-Za-z]+|[0-9]+|-")


def is_said_as_word(word: str) -> str | None:
    """The word an acronym of :data:`SAID_AS_WORDS` is said as ("ISRO" इसरो), or None."""
    return _WORDS.get(word) or _WORDS_UPPER.get(word.upper())


def is_acronym(word: str) -> bool:
    """True for a word the acronym rule reads: capitals ("HDFC", "BREAKING" too, which it
    leaves alone) or a word of :data:`SAID_AS_WORDS` ("NavIC", "Isro")."""
    return (
        word in _WORDS
        or (word[:1].isupper() and word.upper() in _WORDS_UPPER)
        or (len(word) >= 2 and word.isupper())
    )


def _say_letters(part: str, alone: bool) -> str | None:
    """A run of letters in a name, or None to leave it to the engine."""
    word = _WORDS.get(part) or (_WORDS_UPPER.get(part.upper()) if part[:1].isupper() else None)
    if word:
        return word
    if part.isupper() and (len(part) >= 2 or not alone) and len(part) <= MAX_SPELLED_LETTERS:
        return spell(part)
    return None


#: Lower-case prefixes of a hyphenated name, said as Hindi says them: "e-KYC", "e-NAM".
_PREFIXES: Mapping[str, str] = {"e": nfc("ई")}


def _read_name(match: re.Match[str]) -> str:
    token = match.group()
    parts = _PARTS.findall(token)
    letters = [p for p in parts if p.isalpha()]
    has_digit = any(p.isdigit() for p in parts)
    if not letters:
        return token  # digits only: the number rules read them
    said: list[str] = []
    for i, part in enumerate(parts):
        if part == "-":
            said.append("-")
        elif part in _PREFIXES and i == 0 and len(letters) > 1 and parts[1:2] == ["-"]:
            said.append(_PREFIXES[part])  # "e-KYC": ई-के वाई सी
        elif part.isdigit():
            if not letters:
                return token
            said.append(english_number(part))
        else:
            spoken = _say_letters(part, alone=not has_digit and len(letters) == 1)
            if spoken is None:
                return token  # an English word (iPhone, Covid19x): the engine reads it
            said.append(spoken)
    text = ""
    for i, piece in enumerate(said):
        if piece == "-":
            continue
        joiner = "-" if i and said[i - 1] == "-" else " "
        text = piece if not text else f"{text}{joiner}{piece}"
    return pad(text, match)


#: Devanagari names that take English digits when a number is fused to them: English
#: letter names ("टी20", "जी-20") and the words of :data:`SAID_AS_WORDS` ("कोविड-19").
_DEVANAGARI_NAMES = alternation(
    tuple(dict.fromkeys([*LETTER_NAMES.values(), *_WORDS.values(), nfc("फ़ेज़")]))
)
_DEVANAGARI_ALPHANUMERIC = hindi_re(
    rf"(?<!{WORD_CHAR})(?P<name>(?:{_DEVANAGARI_NAMES})+)(?P<dash>-?)(?P<n>[0-9]{{1,3}})"
    rf"(?![0-9]|[.,:/\-][0-9A-Za-z]|{WORD_CHAR})"
)


#: English words, written in Devanagari, whose number is said in English: a stage or a
#: list ("सुपर 8" सुपर एट, "सुपर 10" सुपर टेन, "टॉप 10" टॉप टेन), as the name is English.
ENGLISH_NUMBERED = tuple(nfc(w) for w in ("सुपर", "टॉप"))
_ENGLISH_NUMBERED = hindi_re(
    rf"(?<!{WORD_CHAR})(?P<name>{alternation(ENGLISH_NUMBERED)}) (?P<n>[1-9][0-9]?)"
    rf"(?![0-9]|[.,:/\-][0-9]|{WORD_CHAR})"
)


#: A single capital after a Hindi word, as a group, a plan or a vitamin is named ("ग्रुप-A",
#: "प्लान B", "विटामिन D"), said apart (a hyphen would fuse "ग्रुपे" in the phonemes); not
#: before another Latin word ("कहा I am …" is an English quote).
_HINDI_WORD_LETTER = re.compile(
    r"(?<=[\u0900-\u0963\u0966-\u097f])(?P<sep>-|\s+)(?P<letter>[A-Z])(?![A-Za-z0-9'’])"
    r"(?!\s?[-&]?\s?[A-Za-z])"
)


def _read_devanagari_alphanumeric(match: re.Match[str]) -> str:
    joiner = match["dash"] or " "
    return pad(f"{match['name']}{joiner}{english_number(match['n'])}", match)


#: Two capitals' names joined by "&" (read_symbols made it " एंड "): "AT&T".
_AMPERSAND_NAME = hindi_re(r"(?<![A-Za-z])(?P<a>[A-Z]{1,4}) एंड (?P<b>[A-Z]{1,4})(?![A-Za-z])")


def read_acronyms(text: str) -> str:
    """Prevent "UPI" from being said like the state "यूपी" and "5G" as "पाँच जी": Latin
    acronyms are said in English letter names in Devanagari ("UPI" -> "यू पी आई"), the
    ones the Hindi press says as words as those words ("ISRO" -> "इसरो", see
    :data:`SAID_AS_WORDS`), and the digits of a name in English ("5G" -> "फ़ाइव जी",
    "COVID-19" -> "कोविड-नाइनटीन", "टी20" -> "टी-ट्वेंटी"). A single capital alone ("I" in
    an English quote) and words in lower or mixed case are left to the engine."""
    if re.search(r"[A-Z]", text):
        text = _AMPERSAND_NAME.sub(
            lambda m: pad(f"{spell(m['a'])} {nfc('एंड')} {spell(m['b'])}", m), text
        )
        text = _LATIN_NAME.sub(_read_name, text)
    if re.search(r"[0-9]", text):
        text = outside_latin_tokens(
            text, lambda t: _DEVANAGARI_ALPHANUMERIC.sub(_read_devanagari_alphanumeric, t)
        )
        text = _ENGLISH_NUMBERED.sub(
            lambda m: f"{m['name']} {english_number(m['n'])}", text
        )
    return text


def read_single_letters(text: str) -> str:
    """Prevent "ग्रुप-A" and "विटामिन D" from being left to the engine, which says the
    letter in English or fuses it to the word: a single capital after a Hindi word is its
    letter's name, said apart ("ग्रुप ए"). Runs after the numbers are read, so that "कक्षा
    10 A" is "कक्षा दस ए" as it will be on any later reading."""
    if not re.search(r"[A-Z]", text):
        return text
    return _HINDI_WORD_LETTER.sub(lambda m: " " + LETTER_NAMES[m["letter"]], text)


# --- sections of a law -----------------------------------------------------------------

#: Words after which "69A" is a section of a law: said "उनहत्तर ए", in Hindi numbers.
SECTION_CUES: tuple[str, ...] = tuple(
    nfc(w)
    for w in ("धारा", "धाराओं", "अनुच्छेद", "सेक्शन", "नियम", "उपधारा", "Section", "Article")
)
#: A section's number with a letter ("69A") or sub-clauses ("13(1)(d)").
_SECTION_ITEM = (
    r"[0-9]{1,4}(?:\s?[A-Z](?![A-Za-z0-9])|(?:\([0-9]{1,3}\)|\([a-zA-Z]{1,4}\))+)"
)
#: Between the sections of a list: "318(4) और 319(2)", "66C, 66D".
_SECTION_JOINER = r"\s?(?:,|और|तथा|एवं|व)\s?"
_SECTION = hindi_re(
    rf"(?<!{WORD_CHAR})(?P<cue>{alternation(SECTION_CUES)})\s?"
    rf"(?P<items>{_SECTION_ITEM}(?:{_SECTION_JOINER}{_SECTION_ITEM})*)"
)
_ITEM = hindi_re(
    rf"(?P<joiner>{_SECTION_JOINER})?(?P<n>[0-9]{{1,4}})"
    rf"(?:\s?(?P<letter>[A-Z])|(?P<clauses>(?:\([0-9a-zA-Z]+\))+))"
)
_CLAUSE = re.compile(r"\(([0-9a-zA-Z]+)\)")


def _clause_words(clause: str) -> str:
    """A sub-clause in brackets: "(1)" एक, "(d)" डी, "(iv)" चार."""
    if clause.isdigit():
        return int_to_words(int(clause))
    if re.fullmatch(_ROMAN, clause.upper()) and len(clause) > 1:
        return int_to_words(roman_to_int(clause.upper()))
    return spell(clause)


def _section_words(item: re.Match[str]) -> str:
    joiner = (item["joiner"] or "").strip()  # "," stays on the number before it
    said = f"{joiner if joiner in ('', ',') else ' ' + joiner} {int_to_words(int(item['n']))}"
    if item["letter"]:
        return f"{said} {LETTER_NAMES[item['letter']]}"
    return said + " " + " ".join(_clause_words(c) for c in _CLAUSE.findall(item["clauses"]))


def _read_section(match: re.Match[str]) -> str:
    items = "".join(_section_words(item) for item in _ITEM.finditer(match["items"]))
    return f"{match['cue']}{items}" + pad("", match)


def read_sections(text: str) -> str:
    """Prevent "धारा 69A" from being read as an English name ("सिक्सटी नाइन ए"): a section
    of a law with a letter after its number is said in Hindi numbers and the letter's
    name, as courts and newsreaders say it ("धारा उनहत्तर ए", "अनुच्छेद इक्कीस ए"), and its
    sub-clauses one by one ("धारा 13(1)(d)" -> "धारा तेरह एक डी"), and so is each section of
    a list ("धारा 318(4) और 319(2)" -> "धारा तीन सौ अठारह चार और तीन सौ उन्नीस दो")."""
    if not re.search("[A-Z(]", text):
        return text
    return _SECTION.sub(_read_section, text)


# --- Roman numerals --------------------------------------------------------------------

_ROMAN = r"(?=[IVXLCDM])M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})"
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}
#: Words after which a Roman numeral counts parts: "भाग III" is "भाग तीन".
ROMAN_CUES: tuple[str, ...] = tuple(
    nfc(w)
    for w in (
        "भाग", "अध्याय", "खंड", "खण्ड", "चरण", "अनुसूची", "कक्षा", "श्रेणी", "ग्रेड", "टियर",
        "फेज", "फेज़", "फ़ेज़", "पार्ट", "सीजन", "सीज़न", "विश्व युद्ध", "वॉल्यूम", "Part",
        "Chapter", "Phase", "Class", "Schedule", "Grade", "Tier", "Season", "Volume",
        "World War",
    )
)  # fmt: skip
#: Words after which a Roman numeral is said in English: a team's "प्लेइंग XI".
ROMAN_ENGLISH_CUES: tuple[str, ...] = (nfc("प्लेइंग"), "Playing", "playing")
_ROMAN_AFTER_CUE = hindi_re(
    rf"(?<!{WORD_CHAR})(?P<cue>{alternation(ROMAN_CUES + ROMAN_ENGLISH_CUES)})(?P<gap>[\s-]?)"
    rf"(?P<r>{_ROMAN})(?![A-Za-z0-9])"
)


def roman_to_int(numeral: str) -> int:
    """The value of a valid Roman numeral: "XXIII" -> 23."""
    total = 0
    for i, ch in enumerate(numeral):
        value = _ROMAN_VALUES[ch]
        following = _ROMAN_VALUES[numeral[i + 1]] if i + 1 < len(numeral) else 0
        total += -value if value < following else value
    return total


def _read_roman(match: re.Match[str]) -> str:
    value = roman_to_int(match["r"])
    english = match["cue"] in ROMAN_ENGLISH_CUES
    words = english_number(str(value)) if english else int_to_words(value)
    return f"{match['cue']} " + pad(words, match).lstrip()


def read_roman_numerals(text: str) -> str:
    """Prevent "भाग III" from being read "भाग आई आई आई": a Roman numeral after a word that
    counts parts (भाग, अध्याय, खंड, चरण, कक्षा, Part, Chapter, World War…) is said as the
    Hindi number ("भाग तीन", "अध्याय तेईस"); after "प्लेइंग" in English ("प्लेइंग इलेवन").
    Elsewhere capitals are not numerals: "CM", "MIX", or "I" in an English quote."""
    if not re.search("[IVXLCDM]", text):
        return text
    return _ROMAN_AFTER_CUE.sub(_read_roman, text)
