"""Rules for dates and times: ISO and day-first dates, clock times, English month names next
to a date, and years (said as years, "उन्नीस सौ सैंतालीस", not as counts).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping

from narrate.text.chars import (
    HAS_DIGIT,
    HAS_LETTER,
    WORD_CHAR,
    alternation,
    hindi_re,
    nfc,
    outside_latin_tokens,
    pad,
)
from narrate.text.numbers import (
    int_to_words,
    year_to_words,
)

MONTHS: tuple[str, ...] = tuple(
    nfc(m)
    for m in (
        "जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून",
        "जुलाई", "अगस्त", "सितंबर", "अक्टूबर", "नवंबर", "दिसंबर",
    )
)  # fmt: skip
#: Month names as articles write them (for a year after a month, a number before one).
MONTH_SPELLINGS = (
    *MONTHS, "फरवरी", "अप्रेल", "सितम्बर", "अक्तूबर", "नवम्बर", "दिसम्बर", "January",
    "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip

NOT_BEFORE_NUMBER = r"(?<![0-9.,/:\-−–—])"
NOT_AFTER_NUMBER = r"(?![0-9]|[.,/:\-][0-9])"
ISO_DATE = re.compile(
    rf"{NOT_BEFORE_NUMBER}(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}}){NOT_AFTER_NUMBER}"
)
DMY_DATE = re.compile(
    rf"{NOT_BEFORE_NUMBER}(?P<d>[0-9]{{1,2}})(?P<sep>[/.\-])(?P<m>[0-9]{{1,2}})(?P=sep)"
    rf"(?P<y>[0-9]{{4}}){NOT_AFTER_NUMBER}"
)


def date_to_words(date: dt.date) -> str:
    """A date as it is said: 8 December 2025 -> "आठ दिसंबर दो हज़ार पच्चीस"."""
    return f"{int_to_words(date.day)} {MONTHS[date.month - 1]} {year_to_words(date.year)}"


def _read_date(match: re.Match[str]) -> str:
    try:
        date = dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
    except ValueError:
        return match.group()
    return pad(date_to_words(date), match)


def _read_dates(text: str) -> str:
    return DMY_DATE.sub(_read_date, ISO_DATE.sub(_read_date, text))


def read_dates(text: str) -> str:
    """Prevent "2025-12-08" or "8/12/2025" from being read as arithmetic: ISO dates and
    day-first dates (/, - or . between the parts, Indian style) are said as
    "आठ दिसंबर दो हज़ार पच्चीस". An impossible date (31/02/2025) is not a date."""
    return outside_latin_tokens(text, _read_dates)


_AM_PM = r"(?P<ampm>[AaPp]\.?[Mm]\.?)(?![A-Za-z])"
#: Without minutes only the lower-case or dotted forms count: "15 PM" may be prime ministers.
_HOUR_SUFFIX = r"(?P<ampm>[ap]\.?m\.?|[AP]\.M\.)(?![A-Za-z])"
_BAJE = rf"(?P<baje>\s?बजे(?!{WORD_CHAR}))?"
_CLOCK = hindi_re(
    r"(?<![0-9.,:/])(?P<h>[01]?[0-9]|2[0-3]):(?P<m>[0-5][0-9])(?::(?P<s>[0-5][0-9]))?"
    rf"(?![0-9]|[.,:][0-9])(?:\s?{_AM_PM})?{_BAJE}"
)
_DOTTED_CLOCK = hindi_re(
    rf"(?<![0-9.,:/])(?P<h>[01]?[0-9]|2[0-3])\.(?P<m>[0-5][0-9])(?P<baje>\s?बजे(?!{WORD_CHAR}))"
)
_HOUR_AM_PM = hindi_re(rf"(?<![0-9.,:/])(?P<h>1[0-2]|0?[0-9])\s?{_HOUR_SUFFIX}{_BAJE}")
_RATIO = re.compile(r"(?<![0-9.,:/])(?P<a>[0-9]+):(?P<b>[0-9]+)(?![0-9]|[.,:][0-9])")

_MORNING, _NOON, _EVENING, _NIGHT = (nfc(w) for w in ("सुबह", "दोपहर", "शाम", "रात"))


def _part_of_day(hour: int, pm: bool) -> str:
    if not pm:
        return _MORNING if 4 <= hour <= 11 else _NIGHT
    if hour == 12 or hour <= 3:
        return _NOON
    return _EVENING if hour <= 6 else _NIGHT


_QUARTER_PAST, _HALF_PAST, _QUARTER_TO = (nfc(w) for w in ("सवा", "साढ़े", "पौने"))
_HALF_PAST_ONE, _HALF_PAST_TWO = nfc("डेढ़"), nfc("ढाई")
#: Words for the part of the day a writer may put before a time ("सुबह 10:45 AM").
_PART_OF_DAY_BEFORE = hindi_re(
    rf"(?<!{WORD_CHAR})(?:सुबह|सवेरे|तड़के|प्रातः|दोपहर|शाम|रात|देर रात|आधी रात)\s?$"
)


def clock_to_words(hour: int, minute: int, second: int = 0) -> str:
    """A clock time as Hindi speakers say it: (9, 0) "नौ बजे", (6, 15) "सवा छह बजे", (7, 30)
    "साढ़े सात बजे", (1, 30) "डेढ़ बजे", (2, 30) "ढाई बजे", (8, 45) "पौने नौ बजे", and other
    minutes "दस बजकर बीस मिनट"; midnight hours (0:xx) are "रात बारह…"; 13–23 are said on
    the twelve-hour face (the caller says the part of the day)."""
    face = hour % 12 or 12
    hours = int_to_words(face)
    if second:
        said = f"{hours} बजकर {int_to_words(minute)} मिनट {int_to_words(second)} सेकंड"
    elif not minute:
        said = f"{hours} बजे"
    elif minute == 15:
        said = f"{_QUARTER_PAST} {hours} बजे"
    elif minute == 30 and face in (1, 2):
        said = f"{_HALF_PAST_ONE if face == 1 else _HALF_PAST_TWO} बजे"
    elif minute == 30:
        said = f"{_HALF_PAST} {hours} बजे"
    elif minute == 45:
        said = f"{_QUARTER_TO} {int_to_words(face % 12 + 1)} बजे"
    else:
        said = f"{hours} बजकर {int_to_words(minute)} मिनट"
    return nfc(f"{_NIGHT} {said}" if hour == 0 else said)


def _read_clock(match: re.Match[str]) -> str:
    groups = match.groupdict()
    hour, minute, second = int(match["h"]), int(groups.get("m") or 0), int(groups.get("s") or 0)
    ampm = groups.get("ampm")
    said_before = _PART_OF_DAY_BEFORE.search(match.string, 0, match.start()) is not None
    if ampm:
        pm = ampm[0] in "Pp"
        hour12 = hour % 12 or 12
        part = _part_of_day(hour12, pm)
        hour = hour12 + 12 if pm and hour12 != 12 else (0 if hour12 == 12 and not pm else hour12)
    elif hour >= 13:
        part = _part_of_day(hour - 12, True)
    else:
        part = ""
    words = clock_to_words(hour, minute, second)
    if part and not said_before and not words.startswith(_NIGHT):
        words = f"{part} {words}"
    return pad(words, match)


#: After a pair such as "4:1", the words that make it a result or a vote, not a ratio:
#: "3:1 से जीता" is "तीन-एक से", "4:1 के बहुमत" is "चार के मुकाबले एक के बहुमत".
_RESULT_AHEAD = hindi_re(rf"\s?से(?!{WORD_CHAR})")
_RATIO_WORD_AHEAD = hindi_re(rf"\s?(?:के\s|का\s)?अनुपात(?!{WORD_CHAR})")
_VOTE_AHEAD = hindi_re(rf"\s?(?:के|की)\s(?:बहुमत|अंतर)(?!{WORD_CHAR})")


def _read_ratio(match: re.Match[str]) -> str:
    a, b = int_to_words(int(match["a"])), int_to_words(int(match["b"]))
    if _VOTE_AHEAD.match(match.string, match.end()):
        return pad(nfc(f"{a} के मुकाबले {b}"), match)
    if _RESULT_AHEAD.match(match.string, match.end()) or _RATIO_WORD_AHEAD.match(
        match.string, match.end()
    ):
        return pad(f"{a}-{b}", match)
    return pad(nfc(f"{a} अनुपात {b}"), match)


def _read_times(text: str) -> str:
    if ":" not in text and "." not in text and not re.search("[AaPp]", text):
        return text
    text = _CLOCK.sub(_read_clock, text)
    text = _DOTTED_CLOCK.sub(_read_clock, text)
    text = _HOUR_AM_PM.sub(_read_clock, text)
    return _RATIO.sub(_read_ratio, text)


def read_times(text: str) -> str:
    """Prevent "10:30" from being read as two numbers: clock times are said as Hindi
    speakers say them ("साढ़े दस बजे", "सवा छह बजे", "पौने नौ बजे", "दस बजकर बीस मिनट"),
    whole hours "नौ बजे" (a following "बजे" is not said twice; "10.30 बजे" is a time too).
    am/pm and 24-hour times (18:30) become सुबह, दोपहर, शाम or रात before the hour, unless
    the writer already put one there ("सुबह 10:45 AM" says सुबह once). A colon between
    numbers that cannot be a time (3:1, 2:345) is a ratio, "तीन अनुपात एक"; before "से" a
    result, "3:1 से" "तीन-एक से"; before "के बहुमत" a vote, "चार के मुकाबले एक"."""
    return outside_latin_tokens(text, _read_times)


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
_ENGLISH_MONTH = rf"(?P<m>{alternation(tuple(ENGLISH_MONTHS))})(?![A-Za-z])"
#: Not after a Latin word: "Theresa May 2019" is a name, "Windows 10 May…" not 10 May.
_NOT_IN_LATIN_PHRASE = r"(?<![A-Za-z]\s)"
#: A month word starts a word of its own, not a part of an address ("site-may-2025.com").
_MONTH_STARTS = rf"(?<![A-Za-z0-9\-.@_/]){_NOT_IN_LATIN_PHRASE}"
_ENGLISH_DAY = r"(?P<d>[0-9]{1,2})(?:st|nd|rd|th)?"
_ENGLISH_YEAR = rf"(?P<y>1[0-9]{{3}}|20[0-9]{{2}}){NOT_AFTER_NUMBER}"
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
    return pad(f"{words} {year}" if year else words, match)


def read_english_months(text: str) -> str:
    """Prevent "14 February 2026" from being read with an English word in the middle of a
    Hindi date: an English month name or abbreviation (any case; Feb, Feb., Sept) next to a
    day or a year is said in Hindi, day first as in Hindi ("February 14, 2026" and
    "14-Feb-2026" -> "14 फ़रवरी 2026"; the later rules read the numbers). Only next to a
    number, and not after a Latin word: "May" elsewhere, or "Theresa May 2019", is English.
    Applied to the whole text ("14-Feb-2026" is one Latin-script token), after the rules
    that say the Latin words next to numbers (am/pm, units, Rs), so that what stands before
    a month word no longer changes."""
    if not HAS_DIGIT.search(text) or not HAS_LETTER.search(text):
        return text
    while True:  # a space put in by pad may bring the next date to light: "14 Feb14 Jan"
        said = _DAY_MONTH.sub(_read_english_date, text)
        said = _MONTH_DAY.sub(_read_english_date, said)
        said = _MONTH_BEFORE_NUMBER.sub(lambda m: pad(_hindi_month(m), m), said)
        if said == text:
            return said
        text = said


_MONTH_WORDS = alternation(MONTH_SPELLINGS)
_YEAR_AFTER = hindi_re(
    rf"(?P<pre>(?<!{WORD_CHAR})(?:सन्|सन|वर्ष|साल|ईसवी|ईस्वी|{_MONTH_WORDS})(?:\s?,)?\s?)"
    rf"(?P<y>[0-9]{{4}})(?![0-9]|[.,][0-9])"
)
_YEAR_BEFORE = hindi_re(
    rf"{NOT_BEFORE_NUMBER}(?P<y>[0-9]{{4}})"
    rf"(?=\s?(?:में|तक|से|के|की|का|को|ईसवी|ईस्वी|ईसा)(?!{WORD_CHAR}))"
)


def _read_year(match: re.Match[str]) -> str:
    year = int(match["y"])
    if not 1000 <= year <= 2099:
        return match.group()
    prefix = match.groupdict().get("pre") or ""
    if prefix and not prefix[-1].isspace():
        prefix += " "
    return prefix + pad(year_to_words(year), match).lstrip()


def read_years(text: str) -> str:
    """Prevent 1998 from being read "एक हज़ार नौ सौ अट्ठानवे" where it is a year: a
    four-digit number from 1000 to 2099 after सन्, वर्ष, साल or a month name, or before
    में, तक, से, के, की, का, को or ईसवी, is said as a year ("उन्नीस सौ अट्ठानवे"). Only
    1100–1999 sound different, and a count misread as a year still has its value
    ("उन्नीस सौ" is 1900)."""
    return outside_latin_tokens(
        text, lambda t: _YEAR_BEFORE.sub(_read_year, _YEAR_AFTER.sub(_read_year, t))
    )
