"""From the text as written to the text as spoken.

Two entry points:

* :func:`clean` is for text shown to people (chapter titles, captions, the transcript): NFC,
  no invisible characters except ZWJ/ZWNJ, plain single spaces. Nothing else changes: the
  article keeps its spelling, digits and punctuation.
* :func:`speak` is the spoken form sent to the engine: :func:`clean`, then every rule of
  :data:`RULES` in order, with the user's lexicon applied between the clean-up rules
  (:data:`MARKUP_RULES`) and the reading rules (:data:`READING_RULES`).

Each rule is a small ``str -> str`` function whose docstring says what it prevents, kept in
the module of its family, so a reader finds a rule by its kind:

* :mod:`~narrate.text.markup`: entities, tags, Markdown links and emphasis;
* :mod:`~narrate.text.addresses`: web and e-mail addresses;
* :mod:`~narrate.text.acronyms`: acronyms, alphanumerics (5G, टी20), Roman numerals after
  भाग/अध्याय;
* :mod:`~narrate.text.english`: English words of names in Devanagari (HDFC Bank, Android
  15), a match between two sides (IND vs AUS), hashtags and mentions;
* :mod:`~narrate.text.abbreviations`: डॉ., कि.मी., Dr., सं. before a number;
* :mod:`~narrate.text.symbols`: other scripts' digits, ``&``, pipes as dandas;
* :mod:`~narrate.text.dates`: dates, clock times, English month names, years;
* :mod:`~narrate.text.amounts`: numbers and money (₹, phones, %, ordinals, units, ranges,
  fractions, every other number).

What they share (:func:`clean`, the word-character class, Latin-script tokens) is in
:mod:`~narrate.text.chars`, which imports none of them; the lexicon imports only it; this
module imports them all. Rules work on any fragment of a sentence (the chunker calls
:func:`speak` on clauses), together they are idempotent, and their output is NFC. The rules
are constants: to change what narrate says, use a lexicon, not a patched rule list.
"""

from __future__ import annotations

import re

from narrate.text.abbreviations import expand_abbreviations
from narrate.text.acronyms import (
    read_acronyms,
    read_roman_numerals,
    read_sections,
    read_single_letters,
)
from narrate.text.addresses import read_address_parts, read_urls
from narrate.text.amounts import (
    read_english_ordinals,
    read_fraction_signs,
    read_fractions,
    read_money,
    read_not_out,
    read_numbers,
    read_ordinals,
    read_overs,
    read_per_units,
    read_percentages,
    read_phone_numbers,
    read_plus_signs,
    read_ranges,
    read_sizes,
    read_sums,
    read_units,
    separate_glued_units,
)
from narrate.text.chars import SPACES, WORD_CHAR, Rule, clean, nfc
from narrate.text.dates import read_dates, read_english_months, read_times, read_years
from narrate.text.english import (
    read_english_words,
    read_hashtags,
    read_model_numbers,
    read_versus,
)
from narrate.text.lexicon import Lexicon
from narrate.text.markup import strip_emphasis, strip_markup, unescape_entities
from narrate.text.symbols import ascii_digits, read_symbols

MARKUP_RULES: tuple[Rule, ...] = (
    unescape_entities,
    strip_markup,
    read_urls,
    read_not_out,
    strip_emphasis,
    read_hashtags,
)


_SPACE_BEFORE_PUNCTUATION = re.compile(r"\s+(?=[,;!?।॥])")
#: Marks that open a Markdown line: a heading's #, a quote's >, a list bullet.
_LINE_MARKS = re.compile(r"^(?:(?:#{1,6}|>+|[-+•*])(?:\s+|$))+")


#: Tag signs the reading rules left standing before Hindi text ("&#0" became "और #शून्य",
#: "#₹0" "#शून्य रुपये", "@ #|" "@ #।"): never said, and what the hashtag rule would drop on
#: a second reading; a run of them goes at once, so that none is left for that reading.
_STRAY_SIGNS = re.compile(rf"(?<![/#@])(?<!{WORD_CHAR})(?:[#@]\s*)*[#@](?=[\u0900-\u097F])")


def tidy(text: str) -> str:
    """Prevent the spaces and marks the other rules leave from reaching the engine: NFC,
    one space between words, none before , ; ! ? । ॥ and none at either end; a heading's
    #, a quote's > or a bullet at the start is dropped, and so are tag signs left before
    Hindi text."""
    text = SPACES.sub(" ", nfc(text)).strip()
    text = _LINE_MARKS.sub("", text)
    text = _STRAY_SIGNS.sub("", text)
    return _SPACE_BEFORE_PUNCTUATION.sub("", text)


READING_RULES: tuple[Rule, ...] = (
    ascii_digits,
    read_address_parts,
    expand_abbreviations,
    read_symbols,
    separate_glued_units,
    read_phone_numbers,
    read_sums,
    read_sizes,
    read_plus_signs,
    read_dates,
    read_times,
    read_model_numbers,
    read_money,
    read_percentages,
    read_ordinals,
    read_units,
    read_per_units,
    read_english_months,
    read_english_ordinals,
    read_roman_numerals,
    read_sections,
    read_versus,
    read_english_words,
    read_acronyms,
    read_ranges,
    read_years,
    read_fractions,
    read_fraction_signs,
    read_overs,
    read_numbers,
    read_single_letters,
    tidy,
)

#: Every rule, in the order :func:`speak` applies them.
RULES: tuple[Rule, ...] = MARKUP_RULES + READING_RULES

#: How often the lexicon and the reading rules may take turns (see :func:`speak`).
_LEXICON_ROUNDS = 3


def speak(text: str, lexicon: Lexicon | None = None, *, phonemes: bool = False) -> str:
    """The spoken form of a sentence or a fragment of one: what the engine is asked to say.

    :func:`clean`, the mark-up rules (entities, tags, addresses, emphasis), then the
    pronunciation rules, then the reading rules. The pronunciation rules come before the
    reading rules so that a rule for "5G", "IIT" or "डॉ." wins over them; then, if the
    reading rules produced words a rule knows ("8%" -> "आठ प्रतिशत" and a rule for
    "प्रतिशत"), both take another turn, until nothing changes. A rule's letters, word,
    English or phonemes are put in last, so no reading rule reads them again; ``phonemes``
    says whether the engine takes phonemes (``⟦IPA⟧``, see :mod:`narrate.text.lexicon`).
    Without phonemes the result is idempotent (``speak(speak(x)) == speak(x)``) and NFC;
    no ASCII digit is left outside Latin-script tokens.
    """
    text = clean(text)
    for rule in MARKUP_RULES:
        text = rule(text)
    for _ in range(_LEXICON_ROUNDS):
        before = text
        if lexicon is not None:
            text = lexicon.apply(text, phonemes=phonemes)
        for rule in READING_RULES:
            text = rule(text)
        if lexicon is None or text == before:
            break
    return lexicon.finish(text, phonemes=phonemes) if lexicon is not None else text


def rules_applied(
    text: str, lexicon: Lexicon | None = None, *, phonemes: bool = False
) -> list[str]:
    """Which rules change ``text`` on its way to the engine, for ``narrate script``: the
    pronunciation file's rules that match it ("UPI (letters)"), then the reading rules'
    families that change it ("money", "times"), each once."""
    found = [r.describe() for r in lexicon.matches(clean(text))] if lexicon is not None else []
    text = clean(text)
    for rule in MARKUP_RULES:
        text = rule(text)
    if lexicon is not None:
        text = lexicon.apply(text, phonemes=phonemes)
    for rule in READING_RULES:
        said = rule(text)
        if said != text and rule.__name__ in RULE_FAMILIES:
            found.append(RULE_FAMILIES[rule.__name__])
        text = said
    return list(dict.fromkeys(found))


#: The name ``narrate script`` gives each reading rule's family.
RULE_FAMILIES: dict[str, str] = {
    "read_address_parts": "web and e-mail addresses",
    "expand_abbreviations": "abbreviations",
    "read_symbols": "symbols",
    "read_phone_numbers": "phone numbers and identifiers",
    "read_dates": "dates",
    "read_times": "times",
    "read_money": "money",
    "read_sizes": "sizes",
    "read_percentages": "percentages",
    "read_ordinals": "ordinals",
    "read_units": "units",
    "read_per_units": "rates",
    "read_english_months": "dates",
    "read_english_ordinals": "ordinals",
    "read_roman_numerals": "Roman numerals",
    "read_sections": "sections of a law",
    "read_model_numbers": "English words",
    "read_versus": "a match between two sides",
    "read_english_words": "English words",
    "read_acronyms": "acronyms",
    "read_ranges": "ranges",
    "read_years": "years",
    "read_fractions": "fractions and scores",
    "read_fraction_signs": "fractions and scores",
    "read_overs": "overs",
    "read_numbers": "numbers",
    "read_single_letters": "acronyms",
}
