"""Where a Hindi reader may pause inside a sentence, and how good each place is.

A sentence longer than the engine takes must be cut, and every cut is heard: the clip ends,
and the next one starts with fresh intonation. So each space between two words is ranked
as Hindi grammar ranks it, and the chunker (:mod:`narrate.text.chunks`) cuts at the best
places that balance the pieces. From best to worst:

1. clause punctuation: ``,`` ``;`` ``:`` a dash, an ellipsis, before a quotation;
2. a clause boundary without punctuation: before a word that opens a clause (कि, जबकि,
   लेकिन, क्योंकि, ताकि, जो, जिसने …), before और/या/तथा after a verb (two clauses),
   after a participle that ends a clause (हराकर, करते हुए);
3. a phrase boundary: after the postposition that closes a phrase (ने, के बाद, के मुताबिक,
   में, से, पर …);
4. any other space between words.

And never (unless nothing else fits, which the chunker reports as a cut between words):
between a word and what leans on it (a postposition, a particle, an auxiliary: ``विवाद को``
| ``लेकर``, ``निधन हो`` | ``गया``); after a genitive (``राज्य का`` | ``दर्जा``); after a
number (``48.3`` | ``ओवर``) or inside a range (``115.6 से`` | ``204.4``); inside a name
(after an initial, an abbreviation, a title or honorific: ``वी.`` | ``नारायणन``, ``कोच`` |
``राहुल``); after a word that only modifies the next (इस, कई, करीब, नहीं); after a
conjunction; before और/या/तथा that joins two words (``जयपुर`` | ``और लखनऊ``, ``तीसरे`` |
``और निर्णायक``, ``उबालकर`` | ``या फिल्टर करके``); before a number in brackets
(``एक्सप्रेस`` | ``(12841)``, ``बहुमत`` | ``(41)``).

The word lists are data, each with the reason for it; a word is compared without the
quotes and punctuation around it, in NFC.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from narrate.text.amounts import UNITS
from narrate.text.chars import alternation, nfc
from narrate.text.sentences import graphemes, is_abbreviation

#: What a cut at a place is heard as: a pause the text writes (``clause``), a grammatical
#: boundary with no punctuation (``phrase``), or a cut between two words with no such
#: boundary (``word``).
Kind = Literal["clause", "phrase", "word"]


def _words(text: str) -> frozenset[str]:
    return frozenset(nfc(w) for w in text.split())


#: Words that open a clause: subordinators, relatives, adversatives. A cut goes before them.
CLAUSE_OPENERS = _words(
    """
    कि क्योंकि जबकि ताकि लेकिन परंतु परन्तु किंतु किन्तु बल्कि इसलिए हालांकि हालाँकि चूंकि
    चूँकि यद्यपि अगर यदि वरना अन्यथा मगर यानी अर्थात जो जिसने जिसे जिससे जिसमें जिसके जिसका
    जिसकी जिस जिन्होंने जिन्हें जिनसे जिनमें जिनके जिनका जिनकी जिनपर जहां जहाँ जब जबतक
    """
)
#: Words that join two words, phrases or clauses; only after a verb do they join clauses.
COORDINATORS = _words("और या तथा एवं एवम् व अथवा")
#: Verb forms that end a clause: before और/या after one of these, two clauses are joined.
#: (Not a place to cut by themselves: गया, गए … also make participles that modify the
#: next word, as in "लिए गए कर्ज".)
CLAUSE_FINAL_VERBS = _words(
    """
    है हैं था थी थे थीं गया गई गए गयी गईं रहा रही रहे रहीं सकता सकती सकते सकें सके सकेगा
    सकेगी सकेंगे चुका चुकी चुके जाएगा जाएगी जाएंगे जाएँगे जाए जाएं जाता जाती जाते दिया दी
    दिए दीं किया की किए कीं लिया ली कहा बताया करेगा करेगी करेंगे करें हुआ हुई हुए हुईं
    होगा होगी होंगे होंगी पड़ा पड़ी पड़े मिला मिली मिले आया आई आए लगा लगी लगे देंगे खाएं
    """
)
#: Words that lean on the word before them and never start a piece: postpositions,
#: particles, auxiliaries and light verbs, the relative-participle suffix.
LEANING = _words(
    """
    ने को से में पर तक का की के कीं द्वारा वाला वाली वाले वालों भी ही तो सा सी जी
    है हैं था थी थे थीं हो होगा होगी होंगे होंगी होने होना हुआ हुई हुए हुईं गया गई गए गयी
    गईं रहा रही रहे रहीं सकता सकती सकते सकें सके सकेगा सकेगी सकेंगे चुका चुकी चुके जाएगा
    जाएगी जाएंगे जाएँगे जाता जाती जाते जाए जाएं जाना जाने दिया दी दिए दीं दें देंगे देगा
    देगी देने देना किया किए करना करने करें करेगा करेगी करेंगे करते करती करता कर लिया ली
    लिए लें लेंगे लेने देती देता देते पड़ा पड़ी पड़े पड़ता पड़ती पड़ेगा पड़ेगी लगा लगी लगे पाया पाई पाए
    """
)
#: Second words of compound postpositions (के बाद, की ओर, को लेकर, से पहले …): they lean
#: on the के/की/को/से before them, and close a phrase after which a cut is good.
COMPOUND_TAILS = _words(
    """
    बाद दौरान मुताबिक अनुसार तहत बावजूद कारण लिए साथ खिलाफ ख़िलाफ़ बीच पहले पास जरिए
    ज़रिए जरिये तरह अलावा बजाय भीतर अंदर सामने पीछे ओर तरफ लेकर बदले सिवा मद्देनजर
    मद्देनज़र बाबत विरुद्ध समक्ष निकट करीब ऊपर नीचे बाहर
    """
)
#: Words before a compound tail that make it one: the postpositions and the oblique
#: genitives of pronouns (इसके बाद, उनके साथ).
_TAIL_HEADS = _words(
    """
    के की को से इसके उसके जिसके इनके उनके जिनके इसकी उसकी जिसकी उनकी अपने आपके हमारे
    इससे उससे जिससे इसी उसी
    """
)
#: Postpositions that close a phrase, and the cost of a cut after each (lower is better):
#: after the agent (ने) a reader breathes most readily.
PHRASE_ENDS = {nfc("ने"): 20, **{nfc(w): 30 for w in ("में", "से", "पर", "को", "तक")}}
#: Genitives: they bind to the noun that follows (राज्य का दर्जा, इसके बाद).
GENITIVES = _words(
    """
    का की के इसका इसकी इसके उसका उसकी उसके जिसका जिसकी जिसके इनका इनकी इनके उनका उनकी उनके
    जिनका जिनकी जिनके मेरा मेरी मेरे हमारा हमारी हमारे आपका आपकी आपके अपना अपनी अपने
    """
)
#: Words that only modify the next: demonstratives, quantifiers, ordinals, negation,
#: "about" before a number, "per", the relative participle (मांग वाली याचिकाएं). A piece
#: never ends on one.
MODIFIERS = _words(
    """
    इस उस इन उन यह वह ये वे कई सभी सब हर कुछ कोई किसी नए नई नया नये करीब लगभग तकरीबन
    केवल सिर्फ महज बहुत सबसे अधिकतम न्यूनतम प्रति न नहीं मत पहली पहला दूसरी दूसरा दूसरे
    तीसरी तीसरा तीसरे चौथी चौथा चौथे पांचवें पांचवीं पांचवां पूरे पूरी पूरा कुल एक
    वाला वाली वाले
    """
)
#: Titles, ranks and roles written before a name (कोच राहुल द्रविड़, ग्रुप कैप्टन
#: शुभांशु शुक्ला, ओलंपिक चैंपियन नीरज चोपड़ा, घोटाले के आरोपी पूर्व सचिव …): a piece
#: never ends on one, so a name is never cut from its title.
TITLES = _words(
    """
    श्री श्रीमती सुश्री कुमारी डॉ डॉक्टर प्रो प्रोफेसर प्रोफ़ेसर प्रधानमंत्री मुख्यमंत्री
    उपमुख्यमंत्री राष्ट्रपति उपराष्ट्रपति राज्यपाल मंत्री गृहमंत्री वित्तमंत्री राज्यमंत्री
    सांसद विधायक न्यायमूर्ति जस्टिस न्यायाधीश कप्तान कोच गवर्नर सचिव अधिवक्ता वकील निदेशक
    अध्यक्ष प्रवक्ता महासचिव कैप्टन जनरल कर्नल मेजर लेफ्टिनेंट ब्रिगेडियर एडमिरल पंडित
    उस्ताद शहीद स्वर्गीय मेसर्स कॉमरेड बल्लेबाज गेंदबाज अभिनेता अभिनेत्री गायक गायिका लेखक
    कवि नेता चैंपियन महंत स्वामी संत मौलाना आरोपी अभियुक्त दोषी पीड़ित पीड़िता मृतक
    प्रत्याशी उम्मीदवार पार्षद सरपंच महापौर मेयर कुलपति प्राचार्य
    """
)
#: Number words: a number binds to its unit or noun (दस ओवर, ढाई हजार करोड़ रुपये).
NUMBER_WORDS = _words(
    """
    दो तीन चार पांच पाँच छह छः सात आठ नौ दस ग्यारह बारह तेरह चौदह पंद्रह सोलह सत्रह अठारह
    उन्नीस बीस पच्चीस तीस चालीस पचास साठ सत्तर अस्सी नब्बे सौ हजार हज़ार लाख करोड़ अरब
    खरब डेढ़ ढाई सवा साढ़े दर्जनों दर्जन सैकड़ों हजारों हज़ारों लाखों करोड़ों
    """
)
#: A number as written: digits (any script) with their separators, or a sign before them.
_NUMBER = re.compile(r"[₹$€£]?[0-9०-९][0-9०-९.,:/%-]*")
#: A size with its unit glued on, alone or summed: "12GB", "5,000mAh", "12GB+256GB".
_UNIT = f"(?:{alternation(tuple(u for u in UNITS if u.isascii() and u.isalpha()))})"
_SIZE = re.compile(rf"[0-9][0-9.,]*{_UNIT}(?:\+[0-9][0-9.,]*{_UNIT})*")

#: A number alone, no range or span: a count or an identifier ("12841", "1,200", "41").
_PLAIN_NUMBER = re.compile(r"[0-9०-९][0-9०-९,.]*")

#: Marks around a word that do not change it: quotes, brackets, punctuation.
_AROUND = "\"'“”‘’«»‹›()[]{}"
_PUNCT = ",;:।॥?!—–…"
#: Punctuation that ends a clause, as the last mark of a word (with closing quotes after).
_CLAUSE_MARK = re.compile(r"(?:[,;:—–…]|\.\.\.)[\"'”’»)\]]*$")
_OPENS_QUOTE = re.compile(r"^[\"“‘«(]")
#: Dashes written as a word of their own.
_DASHES = frozenset({"-", "—", "–", "--"})


def core(word: str) -> str:
    """``word`` without the quotes, brackets and punctuation around it (a final ``...``
    too), in NFC: the form the word lists are compared with."""
    word = word.strip(_AROUND + _PUNCT)
    if word.endswith("..."):
        word = word.rstrip(".").rstrip(_AROUND + _PUNCT)
    return nfc(word)


def is_number(word: str) -> bool:
    """Digits (``48.3``, ``1,200``, ``2-1``, ``₹4,250``), a size with its unit (``12GB``,
    ``12GB+256GB``) or a number word (दस, हजार)."""
    bare = core(word)
    return bool(_NUMBER.fullmatch(bare) or _SIZE.fullmatch(bare)) or bare in NUMBER_WORDS


@dataclass(frozen=True)
class Place:
    """A space between two words where a piece may end: its cost (0 best; forbidden places
    cost :data:`FORBIDDEN`) and what the cut is heard as."""

    cost: int
    kind: Kind


#: The cost of a place no reader pauses at: taken only when nothing else fits.
FORBIDDEN = 10_000
#: A space between words with no grammar to recommend it.
WORD = Place(150, "word")
_NEVER = Place(FORBIDDEN, "word")


def _leans(left: str, right: str) -> bool:
    """Whether ``right`` leans on ``left`` (a postposition, auxiliary, compound tail)."""
    return right in LEANING or (right in COMPOUND_TAILS and left in _TAIL_HEADS)


def _is_list_comma(words: list[str], i: int) -> bool:
    """Whether the comma before ``words[i]`` separates short items of a list (देहरादून,
    टिहरी, पौड़ी और चमोली; घर, गाड़ी और कारोबार): the next item is one or two words,
    followed by another comma or by और/या."""
    for k in (i, i + 1):
        if k >= len(words):
            return False
        if k > i and core(words[k]) in COORDINATORS:
            return True
        if words[k].endswith(","):
            return True
    return i + 2 < len(words) and core(words[i + 2]) in COORDINATORS


#: The cost of a cut after a compound postposition before the figure it introduces.
TAIL_BEFORE_NUMBER_COST = 80
#: The cost of a cut between two figures joined by a participle ("5,591 बढ़कर | 3,23,379").
FROM_TO_COST = 80


def place(words: list[str], i: int) -> Place:
    """How good a cut is between ``words[i - 1]`` and ``words[i]`` (``0 < i < len(words)``)."""
    raw_left, raw_right = words[i - 1], words[i]
    left, right = core(raw_left), core(raw_right)
    before = core(words[i - 2]) if i >= 2 else ""
    if raw_right in _DASHES or raw_right[:1] in ",;:।॥?!)]”’":
        return _NEVER  # punctuation written apart belongs to the word before it
    if _CLAUSE_MARK.search(raw_left) or raw_left in _DASHES:
        if raw_left.endswith(",") and _is_list_comma(words, i):
            return Place(40, "clause")
        return Place(0, "clause")
    if is_abbreviation(raw_left) or left in TITLES or raw_left.endswith("."):
        return _NEVER  # inside a name, or after a point that ends no sentence
    if raw_right[:1] in "([" and _PLAIN_NUMBER.fullmatch(right):
        return _NEVER  # a number in brackets is the word's: एक्सप्रेस (12841), बहुमत (41)
    if _OPENS_QUOTE.match(raw_right):
        return Place(5, "clause")
    if left in COORDINATORS or left in CLAUSE_OPENERS:
        return _NEVER  # a piece never ends on a conjunction
    if right in COORDINATORS:
        return Place(12, "phrase") if left in CLAUSE_FINAL_VERBS else _NEVER
    if right in CLAUSE_OPENERS:
        return Place(10, "phrase")
    if _leans(left, right) or left in GENITIVES or left in MODIFIERS or _is_participle(right):
        return _NEVER  # a participle binds to its object: छह विकेट से | हराकर
    if is_number(raw_left):
        return _NEVER  # a number and its unit or noun
    if _NUMBER.fullmatch(right) and _is_participle(left) and is_number(before):
        # "5,591 बढ़कर | 3,23,379 हो गई": from one figure to the next, a poor place, better
        # than a cut inside either figure's phrase
        return Place(FROM_TO_COST, "phrase")
    if _NUMBER.fullmatch(right) and (
        left not in PHRASE_ENDS or (left == nfc("से") and is_number(before))
    ):
        if left in COMPOUND_TAILS and before in _TAIL_HEADS:
            # "10 ग्राम के लिए | ₹76,500": a phrase ends, but the figure is what it was
            # for; a poor place, better than a cut between words
            return Place(TAIL_BEFORE_NUMBER_COST, "phrase")
        return _NEVER  # नवंबर 2025, अनुच्छेद 3, a range 115.6 से 204.4
    if left == nfc("हुए") and before.endswith(nfc("ते")):
        return Place(15, "phrase")  # करते हुए, देखते हुए: a participial clause ends
    if left in COMPOUND_TAILS and before in _TAIL_HEADS:
        return Place(20, "phrase")
    if left in PHRASE_ENDS:
        cost = PHRASE_ENDS[left]
        return Place(20 if before in COMPOUND_TAILS else cost, "phrase")
    if _is_participle(left):
        return Place(25, "phrase")
    return WORD


def _is_participle(word: str) -> bool:
    """A conjunctive participle closes a clause (``छह विकेट से हराकर`` | ``तीन मैचों …``):
    a verb stem and कर (हराकर, देकर, उबालकर), or करके. ``कर`` alone is the light verb, and
    a one-letter stem (शंकर) is a name."""
    if word.endswith(_KARKE):
        return True
    return word.endswith(_KAR) and len(graphemes(word[: -len(_KAR)])) >= 2


_KAR = nfc("कर")
_KARKE = nfc("करके")


#: Extra cost of a cut that leaves the next piece starting with only the end of a clause,
#: its verb and what leans on it (``अस्पताल में`` | ``निधन हो गया।``, ``लौटाने के लिए`` |
#: ``प्रतिबद्ध है,``, ``251 रन पर`` | ``सिमट गई,``): a predicate stays with its clause.
STRAND_COST = 40
#: A place this good (or punctuated) ends a clause, for :data:`STRAND_COST`.
_CLAUSE_COST = 12


def places(words: list[str]) -> list[Place]:
    """The place before each word of ``words``: index ``i`` is the space between words
    ``i - 1`` and ``i`` (index 0, the sentence's start, is no place to cut)."""
    marks = [_NEVER] + [place(words, i) for i in range(1, len(words))]
    own_words = 0  # words not leaning on another, from i to the end of the clause
    for i in range(len(words) - 1, 0, -1):
        own_words += core(words[i]) not in LEANING
        mark = marks[i]
        if mark.kind == "clause" or mark.cost <= _CLAUSE_COST:
            own_words = 0
        elif mark.cost < FORBIDDEN and own_words <= 1:
            marks[i] = Place(mark.cost + STRAND_COST, mark.kind)
    return marks
