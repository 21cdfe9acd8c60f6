"""Rules for English words in Hindi news: the words of brand, company, team and campaign
names said as the Hindi press prints them ("HDFC Bank" एच डी एफ़ सी बैंक, "#TeamIndia" टीम
इंडिया), a product line's number said in English ("Android 15" एंड्रॉयड फ़िफ़्टीन), and
a match between two sides ("#INDvAUS", "IND vs AUS") said with "बनाम" and the teams' names.

Why Devanagari: a Latin word is said by each engine its own way. Kokoro and espeak-ng
switch to British English phonemes ("Bank" ``bˈaŋk``, "Team" with an English t), Google
to its own; a Hindi newsreader says "बैंक" and "टीम". The Devanagari form is what Hindi
newspapers print for these words, so every engine says what the listener expects.

The words are data (:data:`ENGLISH_WORDS`, each with its reason); a word not in the
table is left to the engine, and so is an English phrase (a run of Latin words with one
the table does not know: a quote, a title) so that one phrase is never said half in
English, half in Hindi.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from narrate.text.acronyms import WORDS_WRITTEN, english_number, is_acronym
from narrate.text.chars import WORD_CHAR, alternation, hindi_re, nfc, pad
from narrate.text.dates import MONTH_SPELLINGS


@dataclass(frozen=True)
class English:
    """An English word as Hindi news says it: how it is written, said, and why.

    ``numbered``: a product line whose number is part of its name and said in English
    ("Android 15" एंड्रॉयड फ़िफ़्टीन), like an alphanumeric's; ``numbers``: only these
    numbers are ("Nifty 50" निफ़्टी फ़िफ़्टी is the index, "Nifty 336 अंक चढ़ा" a count).
    """

    written: str
    spoken: str
    reason: str
    numbered: bool = False
    numbers: frozenset[str] = frozenset()


_NAME = "a word of Indian company and bank names; the Hindi press prints it so"
_BRAND = "a brand Hindi business and tech news prints in Devanagari"
_PRODUCT = "a product line; its number is part of the name, said in English"
_TECH = "a tech word Hindi news prints in Devanagari (and says in English)"
_SPORT = "a word of team and tournament names; Hindi sports pages print it so"
_COUNTRY = "a national side's English name (\"India vs Australia\"), said as Hindi prints it"
_CAMPAIGN = "a word of campaign and slogan hashtags (#MakeInIndia, #FitIndia, #StaySafe)"
_EXAM = "a word of exam names and notices (JEE Main, UPSC Prelims, Admit Card); Hindi prints it so"
_HEADLINE = "an English headline word (often in capitals); Hindi news prints it so"
_JOINER = "a short word inside names and slogans; said only when the whole name is known"
_MAILBOX = "a common mailbox or site name in e-mail and web addresses"

#: English words Hindi news says (and prints) in Devanagari. Matched whole, in any case
#: ("Bank", "bank", "BANK" for words of four letters or more: shorter capitals are
#: acronyms, spelled).
ENGLISH_WORDS: tuple[English, ...] = (
    # names of companies and banks
    English("Bank", "बैंक", _NAME),
    English("Motors", "मोटर्स", _NAME),
    English("Steel", "स्टील", _NAME),
    English("Power", "पावर", _NAME),
    English("Finance", "फ़ाइनेंस", _NAME),
    English("Insurance", "इंश्योरेंस", _NAME),
    English("Life", "लाइफ़", _NAME),
    English("Industries", "इंडस्ट्रीज़", _NAME),
    English("Limited", "लिमिटेड", _NAME),
    English("Ltd", "लिमिटेड", "the abbreviation of Limited, said in full"),
    English("Capital", "कैपिटल", _NAME),
    English("Securities", "सिक्योरिटीज़", _NAME),
    English("Services", "सर्विसेज़", _NAME),
    English("Technologies", "टेक्नोलॉजीज़", _NAME),
    English("Energy", "एनर्जी", _NAME),
    English("Airlines", "एयरलाइंस", _NAME),
    English("Airways", "एयरवेज़", _NAME),
    English("Cement", "सीमेंट", _NAME),
    English("Pharma", "फ़ार्मा", _NAME),
    English("Paints", "पेंट्स", _NAME),
    English("Ports", "पोर्ट्स", _NAME),
    English("Group", "ग्रुप", _NAME),
    English("Fund", "फ़ंड", _NAME),
    English("Exchange", "एक्सचेंज", _NAME),
    English("Axis", "एक्सिस", "Axis Bank; the Hindi press prints एक्सिस बैंक"),
    English("Kotak", "कोटक", _BRAND),
    English("Mahindra", "महिंद्रा", _BRAND),
    English("Tata", "टाटा", _BRAND),
    English("Bajaj", "बजाज", _BRAND),
    English("Maruti", "मारुति", _BRAND),
    English("Suzuki", "सुज़ुकी", _BRAND),
    English("Reliance", "रिलायंस", _BRAND),
    English("Infosys", "इंफ़ोसिस", _BRAND),
    English("Wipro", "विप्रो", _BRAND),
    English("Adani", "अदाणी", "the group's own Hindi spelling is अदाणी"),
    English("Airtel", "एयरटेल", _BRAND),
    English("Jio", "जियो", _BRAND),
    English("Paytm", "पेटीएम", _BRAND),
    English("PhonePe", "फ़ोनपे", _BRAND),
    English("Flipkart", "फ़्लिपकार्ट", _BRAND),
    English("Amazon", "अमेज़न", _BRAND),
    English("Zomato", "ज़ोमैटो", _BRAND),
    English("Swiggy", "स्विगी", _BRAND),
    English("Sensex", "सेंसेक्स", "BSE's index; printed सेंसेक्स (a count may follow it)"),
    English(
        "Nifty", "निफ़्टी", "NSE's index; Nifty 50 is said निफ़्टी फ़िफ़्टी", numbered=True,
        numbers=frozenset({"50", "100", "200", "500"}),
    ),
    # tech brands and products
    English("Google", "गूगल", _BRAND),
    English("Apple", "ऐपल", _BRAND),
    English("Samsung", "सैमसंग", _BRAND),
    English("Microsoft", "माइक्रोसॉफ़्ट", _BRAND),
    English("Meta", "मेटा", _BRAND),
    English("WhatsApp", "व्हाट्सऐप", _BRAND),
    English("Facebook", "फ़ेसबुक", _BRAND),
    English("Instagram", "इंस्टाग्राम", _BRAND),
    English("YouTube", "यूट्यूब", _BRAND),
    English("Twitter", "ट्विटर", _BRAND),
    English("Gmail", "जीमेल", _BRAND),
    English("Chrome", "क्रोम", _BRAND),
    English("Xiaomi", "शाओमी", _BRAND),
    English("Vivo", "वीवो", _BRAND),
    English("Oppo", "ओप्पो", _BRAND),
    English("Realme", "रियलमी", _BRAND),
    English("Nokia", "नोकिया", _BRAND),
    English("Motorola", "मोटोरोला", _BRAND),
    English("OpenAI", "ओपनएआई", _BRAND),
    English("ChatGPT", "चैटजीपीटी", _BRAND),
    English("Gemini", "जेमिनी", _BRAND),
    English("Android", "एंड्रॉयड", _PRODUCT, numbered=True),
    English("iOS", "आई ओ एस", _PRODUCT, numbered=True),
    English("iPhone", "आईफ़ोन", _PRODUCT, numbered=True),
    English("iPad", "आईपैड", _PRODUCT, numbered=True),
    English("Windows", "विंडोज़", _PRODUCT, numbered=True),
    English("Pixel", "पिक्सल", _PRODUCT, numbered=True),
    English("Galaxy", "गैलेक्सी", _PRODUCT, numbered=True),
    English("OnePlus", "वनप्लस", _PRODUCT, numbered=True),
    English("Redmi", "रेडमी", _PRODUCT, numbered=True),
    English("Note", "नोट", _PRODUCT, numbered=True),
    English("Pro", "प्रो", _TECH),
    English("Max", "मैक्स", _TECH),
    English("Ultra", "अल्ट्रा", _TECH),
    English("Plus", "प्लस", _TECH),
    English("Mini", "मिनी", _TECH),
    English("Lite", "लाइट", _TECH),
    English("Air", "एयर", _TECH),
    English("Watch", "वॉच", _TECH),
    English("Phone", "फ़ोन", _TECH),
    English("Smart", "स्मार्ट", _TECH),
    English("App", "ऐप", _TECH),
    English("Pay", "पे", _TECH),
    English("Wi-Fi", "वाई-फ़ाई", _TECH),
    English("Bluetooth", "ब्लूटूथ", _TECH),
    English("Cyber", "साइबर", _TECH),
    English("Digital", "डिजिटल", _TECH),
    English("Online", "ऑनलाइन", _TECH),
    English("Mobile", "मोबाइल", _TECH),
    English("Tech", "टेक", _TECH),
    # sport
    English("Team", "टीम", _SPORT),
    English("India", "इंडिया", "the English name in team, campaign and company names"),
    English("Women", "वीमेन", _SPORT),
    English("Blue", "ब्लू", _SPORT),
    English("Cup", "कप", _SPORT),
    English("World", "वर्ल्ड", _SPORT),
    English("League", "लीग", _SPORT),
    English("Premier", "प्रीमियर", _SPORT),
    English("Super", "सुपर", _SPORT),
    English("Kings", "किंग्स", _SPORT),
    English("Royal", "रॉयल", _SPORT),
    English("Challengers", "चैलेंजर्स", _SPORT),
    English("Indians", "इंडियंस", _SPORT),
    English("Knight", "नाइट", _SPORT),
    English("Riders", "राइडर्स", _SPORT),
    English("Capitals", "कैपिटल्स", _SPORT),
    English("Titans", "टाइटंस", _SPORT),
    English("Giants", "जायंट्स", _SPORT),
    English("Sunrisers", "सनराइज़र्स", _SPORT),
    English("Trophy", "ट्रॉफ़ी", _SPORT),
    English("Champions", "चैंपियंस", _SPORT),
    English("Australia", "ऑस्ट्रेलिया", _COUNTRY),
    English("England", "इंग्लैंड", _COUNTRY),
    English("Pakistan", "पाकिस्तान", _COUNTRY),
    English("South Africa", "साउथ अफ़्रीका", _COUNTRY),
    English("New Zealand", "न्यूज़ीलैंड", _COUNTRY),
    English("Sri Lanka", "श्रीलंका", _COUNTRY),
    English("Bangladesh", "बांग्लादेश", _COUNTRY),
    English("Afghanistan", "अफ़ग़ानिस्तान", _COUNTRY),
    English("West Indies", "वेस्टइंडीज़", _COUNTRY),
    English("Zimbabwe", "ज़िम्बाब्वे", _COUNTRY),
    English("Ireland", "आयरलैंड", _COUNTRY),
    English("Netherlands", "नीदरलैंड्स", _COUNTRY),
    English("Scotland", "स्कॉटलैंड", _COUNTRY),
    English("Nepal", "नेपाल", _COUNTRY),
    # campaigns and slogans
    English("Make", "मेक", _CAMPAIGN),
    English("Made", "मेड", _CAMPAIGN),
    English("Fit", "फ़िट", _CAMPAIGN),
    English("Startup", "स्टार्टअप", _CAMPAIGN),
    English("Skill", "स्किल", _CAMPAIGN),
    English("Clean", "क्लीन", _CAMPAIGN),
    English("Safe", "सेफ़", _CAMPAIGN),
    English("Stay", "स्टे", _CAMPAIGN),
    # exams
    English("Main", "मेन", _EXAM),
    English("Mains", "मेन्स", _EXAM),
    English("Advanced", "एडवांस्ड", _EXAM),
    English("Prelims", "प्रीलिम्स", _EXAM),
    English("Exam", "एग्ज़ाम", _EXAM),
    English("Result", "रिज़ल्ट", _EXAM),
    English("Admit", "एडमिट", _EXAM),
    English("Card", "कार्ड", _EXAM),
    English("Answer", "आंसर", _EXAM),
    English("Key", "की", _EXAM),
    # headline words
    English("Live", "लाइव", _HEADLINE),
    English("Breaking", "ब्रेकिंग", _HEADLINE),
    English("Update", "अपडेट", _HEADLINE),
    English("Exclusive", "एक्सक्लूसिव", _HEADLINE),
    English("Video", "वीडियो", _HEADLINE),
    English("News", "न्यूज़", _HEADLINE),
    English("Alert", "अलर्ट", _HEADLINE),
    English("Budget", "बजट", _HEADLINE),
    # short words inside names
    English("In", "इन", _JOINER),
    English("Of", "ऑफ़", _JOINER),
    English("The", "द", _JOINER),
    English("And", "एंड", _JOINER),
    English("For", "फ़ॉर", _JOINER),
    # mailboxes and sites
    English("Info", "इन्फ़ो", _MAILBOX),
    English("Mail", "मेल", _MAILBOX),
    English("Help", "हेल्प", _MAILBOX),
    English("Helpdesk", "हेल्पडेस्क", _MAILBOX),
    English("Support", "सपोर्ट", _MAILBOX),
    English("Contact", "कॉन्टैक्ट", _MAILBOX),
    English("Care", "केयर", _MAILBOX),
    English("Feedback", "फ़ीडबैक", _MAILBOX),
    English("Editor", "एडिटर", _MAILBOX),
)
_SPOKEN: Mapping[str, English] = {e.written.casefold(): e for e in ENGLISH_WORDS}
#: Capitals shorter than this are an acronym ("IN", "PAY"), spelled; longer ones are the
#: word ("BANK", "LIVE").
MIN_CAPITALS_AS_WORD = 4


def english_word(word: str) -> str | None:
    """The Devanagari form of an English word of :data:`ENGLISH_WORDS`, or None."""
    entry = _SPOKEN.get(word.casefold())
    if entry is None or (word.isupper() and len(word) < MIN_CAPITALS_AS_WORD):
        return None
    return nfc(entry.spoken)


# --- a product line's number ------------------------------------------------------------

_NUMBERED = "|".join(
    re.escape(e.written) for e in sorted(ENGLISH_WORDS, key=lambda e: -len(e.written))
    if e.numbered
)
_MODEL_NUMBER = hindi_re(
    rf"(?<![A-Za-z0-9])(?P<name>{_NUMBERED})\s(?P<n>[0-9]{{1,3}})"
    rf"(?![0-9A-Za-z%]|[.,:/-][0-9]|\s?%|\s(?:{alternation(MONTH_SPELLINGS)})(?!{WORD_CHAR}))"
)


def _read_model_number(match: re.Match[str]) -> str:
    entry = _SPOKEN[match["name"].casefold()]
    if entry.numbers and match["n"] not in entry.numbers:
        return match.group()
    return pad(f"{match['name']} {english_number(match['n'])}", match)


def read_model_numbers(text: str) -> str:
    """Prevent "Android 15" from being said "Android पंद्रह": after a product line whose
    number is part of its name (:data:`ENGLISH_WORDS` marked ``numbered``) the number is
    said in English, as the digits of an alphanumeric are ("Android 15" फ़िफ़्टीन, "iPhone
    17", "Nifty 50" निफ़्टी फ़िफ़्टी). A decimal, a percentage or a date after the name is
    not its number ("Nifty 1.2%" stays a percentage)."""
    if not re.search("[0-9]", text):
        return text
    return _MODEL_NUMBER.sub(_read_model_number, text)


# --- a match between two sides ----------------------------------------------------------

#: Teams' codes in the shape sports pages and hashtags use them ("#INDvAUS", "IND vs SA"):
#: ICC's codes for the national sides (also used for hockey and football lists), said as
#: the English name the code stands for, the way the hashtag is read out. A code not here
#: (IPL's CSK, RCB, KKR) is spelled, as commentators say it.
TEAM_CODES: Mapping[str, str] = {
    k: nfc(v)
    for k, v in {
        "IND": "इंडिया", "AUS": "ऑस्ट्रेलिया", "ENG": "इंग्लैंड", "PAK": "पाकिस्तान",
        "SA": "साउथ अफ़्रीका", "RSA": "साउथ अफ़्रीका", "NZ": "न्यूज़ीलैंड", "SL": "श्रीलंका",
        "BAN": "बांग्लादेश", "AFG": "अफ़ग़ानिस्तान", "WI": "वेस्टइंडीज़", "ZIM": "ज़िम्बाब्वे",
        "IRE": "आयरलैंड", "NED": "नीदरलैंड्स", "SCO": "स्कॉटलैंड", "NEP": "नेपाल",
    }.items()
}  # fmt: skip
_VERSUS_WORD = nfc("बनाम")
#: A side's code: capitals ("IND", "CSK") or a short capitalised name ("Ind", "Pak").
_SIDE = r"[A-Z]{2,5}|[A-Z][a-z]{2}"
_CODES_VERSUS = hindi_re(
    rf"(?<![A-Za-z0-9])(?P<a>{_SIDE})\s+(?:v|vs|vs\.|VS|Vs|बनाम)\s+(?P<b>{_SIDE})(?![A-Za-z0-9])"
)
#: "vs" between any two words ("भारत vs ऑस्ट्रेलिया", "India vs Australia"); the
#: abbreviation rule, which comes first, already says "vs." so.
_VERSUS = hindi_re(rf"(?<={WORD_CHAR})\s(?:vs\.?|VS\.?|Vs\.?|v/s)\s(?={WORD_CHAR})")


def _side(code: str) -> str:
    return TEAM_CODES.get(code.upper(), code)


def read_versus(text: str) -> str:
    """Prevent "IND vs AUS" (and the hashtag "#INDvAUS", split by :func:`read_hashtags`)
    from being spelled out with a Latin "v" in the middle: "vs" between two sides is
    "बनाम", as the Hindi press writes it, and a team's code is its name ("इंडिया बनाम
    ऑस्ट्रेलिया", see :data:`TEAM_CODES`); a code not there is spelled by the acronym rule
    ("CSK vs MI" -> "सी एस के बनाम एम आई"). A single "v" counts only between two codes."""
    if "v" not in text and "V" not in text and _VERSUS_WORD not in text:
        return text
    text = _CODES_VERSUS.sub(
        lambda m: f"{_side(m['a'])} {_VERSUS_WORD} {_side(m['b'])}", text
    )
    return _VERSUS.sub(f" {_VERSUS_WORD} ", text)


# --- English words -----------------------------------------------------------------------

#: A run of Latin words with single spaces between them: one name or one phrase.
_LATIN_RUN = re.compile(
    r"(?<![A-Za-z0-9'’.-])[A-Za-z]+(?:['’-][A-Za-z]+)*(?: [A-Za-z]+(?:['’-][A-Za-z]+)*)*"
    r"(?![A-Za-z0-9'’-])"
)


#: The most words of one entry ("New Zealand").
_LONGEST = max(len(e.written.split()) for e in ENGLISH_WORDS)


def _say_words(words: list[str]) -> list[str]:
    """The words of a name, each as :data:`ENGLISH_WORDS` says it, or as written when
    one of them is not there (an English phrase: the engine says it all)."""
    said: list[str] = []
    at = 0
    while at < len(words):
        for n in range(min(_LONGEST, len(words) - at), 0, -1):
            spoken = english_word(" ".join(words[at : at + n]))
            if spoken is not None:
                said.append(spoken)
                at += n
                break
        else:
            return words
    return said


def _read_run(match: re.Match[str]) -> str:
    """A run of Latin words, cut at its acronyms ("HDFC Bank": "HDFC", then "Bank"),
    which the acronym rule spells; each part between them is said whole or left whole."""
    words = match.group().split(" ")
    said: list[str] = []
    part: list[str] = []
    for word in [*words, ""]:
        if word and not (is_acronym(word) and english_word(word) is None):
            part.append(word)
            continue
        said += _say_words(part) + ([word] if word else [])
        part = []
    return match.group() if said == words else pad(" ".join(said), match)


def read_english_words(text: str) -> str:
    """Prevent "Bank" in "HDFC Bank", "Team India" or "Android" from being said with
    English phonemes by the Hindi voice: a name made of words of :data:`ENGLISH_WORDS` is
    said in their Devanagari form ("बैंक", "टीम इंडिया"). A run of Latin words with one the
    table does not know ("Operation Sindoor", 'he said "I am ready"') is left whole to
    the engine. An acronym in the run ("HDFC", "ISRO") is left to the acronym rule, which
    comes next; a word of four capitals or more that the table knows ("LIVE") is the
    word."""
    if not re.search("[A-Za-z]", text):
        return text
    return _LATIN_RUN.sub(_read_run, text)


# --- hashtags and mentions -----------------------------------------------------------------

#: A tag: its sign after no word character (so "C#", "a#b" and an address are not tags),
#: nor an entity's "&#x".
_HASHTAG = re.compile(
    rf"(?<![/#@])(?<!{WORD_CHAR})(?<!&(?=#x[0-9A-Fa-f]))[#@]"
    rf"(?P<tag>(?!\d){WORD_CHAR}(?:{WORD_CHAR}|_)*)"
)
#: Where a tag's joined words meet: "Team|India", "BCCI|Women", "IND|v|AUS", "Ind|vs|Pak",
#: "Budget|2025", "T20|World", "IPL|2026" (a year); an alphanumeric ("T20", "G20") stays
#: whole.
_CAMEL = re.compile(
    r"(?<=[a-z])(?=[A-Z])|(?<=[A-Z])(?=[A-Z](?!vs?[A-Z])[a-z])|(?<=[A-Z]{2})(?=vs?[A-Z])"
    r"|(?<=[A-Z][a-z]{2})(?=vs[A-Z])|(?<=[a-z])(?=[0-9])|(?<=[0-9])(?=[A-Z][a-z])"
    r"|(?<=[A-Z])(?=(?:19|20)[0-9]{2}(?![0-9]))"
)
#: Words with capitals inside ("iPhone", "WhatsApp", "NavIC"): never split.
_CAMEL_WORDS = re.compile(
    "("
    + "|".join(
        re.escape(w)
        for w in sorted(
            {e.written for e in ENGLISH_WORDS} | set(WORDS_WRITTEN), key=lambda w: -len(w)
        )
        if any(ch.isupper() for ch in w[1:]) and not w.isupper()
    )
    + ")"
)
#: "#1" is a rank, "नंबर 1"; "@ 8%" a rate, "एट 8%".
_RANK = re.compile(r"(?<![\w&/#])#\s?(?=\d)")
_NUMBER_WORD = nfc("नंबर")
_AT_NUMBER = re.compile(r"(?<![\w/#@])@\s?(?=\d)")
_AT_WORD = nfc("एट")


def split_tag(tag: str) -> str:
    """A tag's joined words, separated: "TeamIndia" -> "Team India", "INDvAUS" -> "IND v
    AUS", "iPhone17Pro" -> "iPhone 17 Pro", "मानसून_2025" -> "मानसून 2025"."""
    parts = _CAMEL_WORDS.split(tag.replace("_", " "))
    return " ".join(
        part if i % 2 else _CAMEL.sub(" ", part) for i, part in enumerate(parts) if part
    )


def _read_hashtag(match: re.Match[str]) -> str:
    return pad(split_tag(match["tag"]), match)


def read_hashtags(text: str) -> str:
    """Prevent "#TeamIndia" and "@BCCI" from being read "हैश टीम इंडिया", "एट बीसीसीआई",
    and "#INDvAUS" from being said as one garbled name: a Hindi newsreader drops the sign
    and says the words, so the sign goes and a tag's joined words are separated
    (:func:`split_tag`); the words are then read like any other: acronyms spelled, English
    words of :data:`ENGLISH_WORDS` in Devanagari ("#TeamIndia" टीम इंडिया), two teams' codes
    around "v" as a match (:func:`read_versus`: "#INDvAUS" इंडिया बनाम ऑस्ट्रेलिया). E-mail
    and web addresses are read before this rule; "#1" is a rank, "नंबर 1", and "@ 8%" a
    rate, "एट 8%"."""
    if "#" not in text and "@" not in text:
        return text
    text = _RANK.sub(_NUMBER_WORD + " ", text)
    text = _AT_NUMBER.sub(_AT_WORD + " ", text)
    return _HASHTAG.sub(_read_hashtag, text)
