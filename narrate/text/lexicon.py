"""The pronunciation file: how to say names and terms the rules cannot know.

Newsrooms fix a name once and expect every episode to follow. A pronunciation file
(``--lexicon FILE``, or ``pronunciation`` in ``narrate.toml``) is UTF-8 text, one rule a
line, columns separated by tabs; blank lines and lines starting with ``#`` are ignored.
Five kinds of rule, the ones editors reach for::

    # written<TAB>how to say it            substitute a word or phrase
    सुनीता	सुनीता
    # written<TAB>kind[<TAB>value]
    UPI	letters                             say it as letters: यू पी आई
    UNICEF	word	यूनिसेफ                   say it as a word (the value: how, in Devanagari)
    Covid	english                            say it in English (the value: its English spelling)
    Kokoro	ipa	kəkoːɾoː	कोकोरो           its phonemes (IPA), then what engines without
                                              phonemes say instead (optional)

Rules replace whole words and phrases only (never inside a longer word: a rule for "राम"
leaves "रामायण" alone), with the case as written ("US" is not "us"), and the longest rule
wins where rules overlap ("नई दिल्ली" before "दिल्ली"). A rule comes before the reading
rules, so a rule for "5G" or "डॉ." wins over them. What a substitute says is read by the
reading rules like article text; what the other kinds say is final (a rule's letters are
never read again as an acronym).

Phonemes are honoured by engines that take them (Kokoro: the IPA is handed to the model
between ``⟦`` and ``⟧``, see :data:`PHONEMES_OPEN`); other engines say the rule's fallback,
or the word as the reading rules say it, and ``narrate script`` warns. A spoken form is
at most 100 characters (:data:`MAX_SPOKEN_CHARS`, one request to the engine).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Literal, get_args

from narrate.errors import LexiconError
from narrate.fsutil import read_bounded
from narrate.text.chars import WORD_CHAR, clean

#: The longest spoken form: one request to every engine (gTTS and espeak-ng take 100
#: characters). A longer one could only be said by cutting it, and a word's spoken form
#: is never cut: it is refused when the lexicon is loaded, naming the file and line.
MAX_SPOKEN_CHARS = 100
#: The largest lexicon file read: far more than any list of names (some 300,000 entries).
MAX_LEXICON_BYTES = 10 * 1024 * 1024

Kind = Literal["say", "letters", "word", "english", "ipa"]
KINDS: tuple[Kind, ...] = get_args(Kind)
#: Kinds that may be written with two columns (no value): "UPI<TAB>letters".
_BARE_KINDS = frozenset({"letters", "word", "english"})

#: Phonemes handed to an engine that takes them, inside a chunk's text: ``⟦kəkoːɾoː⟧``.
PHONEMES_OPEN, PHONEMES_CLOSE = "⟦", "⟧"

#: English letter names, for "letters" rules on Latin words (the acronym rule's own table
#: is not imported: the lexicon imports only :mod:`narrate.text.chars`).
_LETTER_NAMES = dict(
    zip(
        "ABCDEFGHIJKLMNOPQRSTUVWXYZ",
        unicodedata.normalize(
            "NFC",
            "ए बी सी डी ई एफ़ जी एच आई जे के एल एम एन ओ पी क्यू आर एस टी यू वी डब्ल्यू एक्स वाई ज़ेड",
        ).split(),
        strict=True,
    )
)
#: Placeholders for final spoken forms while the reading rules run: private-use
#: characters, which no rule reads and no article has.
_PLACEHOLDER_BASE = 0xF0000
_PLACEHOLDER = re.compile("[\U000f0000-\U000ffffd]")


@dataclass(frozen=True)
class Rule:
    """One rule of the pronunciation file: the words as written, the kind of rule, its
    value (the spoken form, respelling, English spelling or IPA) and, for phonemes, what
    engines without phonemes say instead."""

    written: str
    kind: Kind = "say"
    value: str = ""
    fallback: str = ""

    def describe(self) -> str:
        """The rule as ``narrate script`` names it: ``UPI (letters)``."""
        return f"{self.written} ({self.kind})"


class _EntryError(LexiconError):
    """A rule that cannot be used; ``word`` tells :func:`load_lexicon` its line."""

    def __init__(self, word: str, message: str) -> None:
        self.word = word
        super().__init__(message)


def _letters(written: str) -> str:
    """A word said as letters: Latin letters by their English names, Devanagari by its
    syllables one by one ("भाजपा" -> "भा ज पा"), digits as they are."""
    if written.isascii():
        return " ".join(_LETTER_NAMES.get(ch.upper(), ch) for ch in written if ch.isalnum())
    syllables: list[str] = []
    for ch in written:
        mark = unicodedata.category(ch).startswith("M")
        joins = syllables and (mark or syllables[-1][-1] == "\u094d")
        if ch.isspace():
            continue
        if joins:
            syllables[-1] += ch
        else:
            syllables.append(ch)
    return " ".join(syllables)


def _checked(rule: Rule) -> Rule:
    """``rule`` cleaned, or _EntryError saying what is wrong with it."""
    written, value, fallback = clean(rule.written), clean(rule.value), clean(rule.fallback)
    if not written:
        raise LexiconError(f"a lexicon word is empty (spoken form {rule.value!r})")
    if rule.kind not in KINDS:
        raise _EntryError(written, f"unknown kind of rule {rule.kind!r} for {written!r};"
                          f" choose one of: {', '.join(KINDS)}")
    if rule.kind in ("say", "ipa") and not value:
        what = "how to say" if rule.kind == "say" else "the phonemes of"
        raise _EntryError(written, f"{what} {written!r} is empty")
    if rule.kind == "english" and not (value or written).isascii():
        raise _EntryError(written, f"say {written!r} in English: give its English spelling"
                          " as the third column")
    checked = Rule(written, rule.kind, value, fallback)
    for said in (spoken_form(checked, phonemes=True), spoken_form(checked, phonemes=False)):
        if len(said) > MAX_SPOKEN_CHARS:
            raise _EntryError(
                written,
                f"how to say {written!r} is {len(said)} characters, more than the"
                f" {MAX_SPOKEN_CHARS} one request to the speech engine takes. Probable"
                " cause: a sentence written as a spoken form; shorten it or give its"
                " parts entries of their own",
            )
    return checked


def spoken_form(rule: Rule, *, phonemes: bool) -> str:
    """What the engine is given for ``rule``: its spoken form, letters, respelling,
    English spelling, or (to an engine that takes phonemes) ``⟦IPA⟧``; for phonemes and an
    engine without, the fallback ("" when there is none: the words are read as written)."""
    if rule.kind == "say":
        return rule.value
    if rule.kind == "letters":
        return _letters(rule.written)
    if rule.kind == "word":
        if rule.value:
            return rule.value
        return rule.written.capitalize() if rule.written.isupper() else rule.written
    if rule.kind == "english":
        return rule.value or rule.written
    if phonemes:
        return f"{PHONEMES_OPEN}{rule.value}{PHONEMES_CLOSE}"
    return rule.fallback


@dataclass(frozen=True)
class Lexicon:
    """The rules of a pronunciation file. ``entries`` maps words to substitutes (rules of
    kind ``say``); ``rules`` holds rules of any kind.

    Words and spoken forms are cleaned like article text (NFC, no invisible characters,
    single spaces). Raises :class:`~narrate.errors.LexiconError` for an empty word or
    spoken form, and for a substitute that contains another word of the lexicon.
    """

    entries: Mapping[str, str] = field(default_factory=dict)
    rules: Sequence[Rule] = ()
    _by_word: Mapping[str, Rule] = field(init=False, repr=False, compare=False)
    _order: tuple[Rule, ...] = field(init=False, repr=False, compare=False)
    _index: Mapping[str, int] = field(init=False, repr=False, compare=False)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        by_word: dict[str, Rule] = {}
        for rule in [*(Rule(w, "say", s) for w, s in self.entries.items()), *self.rules]:
            checked = _checked(rule)
            by_word[checked.written] = checked
        order = tuple(sorted(by_word.values(), key=lambda r: (-len(r.written), r.written)))
        pattern = None
        if order:
            alternation = "|".join(re.escape(r.written) for r in order)
            pattern = re.compile(rf"(?<!{WORD_CHAR})(?:{alternation})(?!{WORD_CHAR})")
        entries = {r.written: r.value for r in by_word.values() if r.kind == "say"}
        object.__setattr__(self, "entries", MappingProxyType(entries))
        object.__setattr__(self, "rules", tuple(r for r in order if r.kind != "say"))
        object.__setattr__(self, "_by_word", MappingProxyType(by_word))
        object.__setattr__(self, "_order", order)
        object.__setattr__(self, "_index", {r.written: i for i, r in enumerate(order)})
        object.__setattr__(self, "_pattern", pattern)
        for key, said in entries.items():
            if self.apply(said) != said:
                raise _EntryError(
                    key,
                    f"how to say {key!r} ({said!r}) contains a word of the lexicon, so it"
                    " would be replaced again. Probable cause: two entries feed each other;"
                    " write the final spoken form in each",
                )

    def __hash__(self) -> int:
        return hash(frozenset(self._by_word.items()))

    def __len__(self) -> int:
        return len(self._by_word)

    def matches(self, text: str) -> list[Rule]:
        """The rules that apply to ``text``, in the order they occur, each once."""
        if self._pattern is None:
            return []
        found = dict.fromkeys(self._by_word[m.group()] for m in self._pattern.finditer(text))
        return list(found)

    def apply(self, text: str, *, phonemes: bool = False) -> str:
        """``text`` with every whole-word occurrence of a rule replaced: a substitute by its
        spoken form (which the reading rules then read), any other kind by a placeholder
        that :meth:`finish` turns into its final form after the reading rules. A phonemes
        rule for an engine without phonemes is its fallback, or the words as written."""
        if self._pattern is None:
            return text

        def replace(match: re.Match[str]) -> str:
            rule = self._by_word[match.group()]
            if rule.kind == "say":
                return rule.value
            if rule.kind == "ipa" and not phonemes:
                return rule.fallback or rule.written
            return chr(_PLACEHOLDER_BASE + self._index[rule.written])

        return self._pattern.sub(replace, text)

    def finish(self, text: str, *, phonemes: bool = False) -> str:
        """``text`` with the placeholders of :meth:`apply` in their final forms."""
        if not _PLACEHOLDER.search(text):
            return text
        return _PLACEHOLDER.sub(
            lambda m: spoken_form(self._order[ord(m.group()) - _PLACEHOLDER_BASE],
                                  phonemes=phonemes),
            text,
        )


def _parse_line(line: str, where: str) -> Rule:
    """One rule of the file (see the module docstring for the columns)."""
    columns = [clean(c) for c in line.split("\t")]
    if len(columns) == 1:
        raise LexiconError(
            f"{where}: expected 'word<TAB>how to say it' or 'word<TAB>kind<TAB>value'. Probable"
            " cause: the columns are separated by spaces, not a tab"
        )
    written = columns[0]
    if not written:
        raise LexiconError(f"{where}: the word before the tab is empty")
    if len(columns) == 2:
        said = columns[1]
        if said in _BARE_KINDS:
            return Rule(written, said)  # type: ignore[arg-type]
        if said in KINDS:
            raise LexiconError(f"{where}: a rule of kind {said!r} needs a value after a tab")
        if not said:
            raise LexiconError(f"{where}: how to say {written!r} is empty")
        return Rule(written, "say", said)
    kind = columns[1]
    if kind not in KINDS:
        raise LexiconError(
            f"{where}: unknown kind of rule {kind!r}; choose one of: {', '.join(KINDS)}."
            " Probable cause: more than one tab on the line"
        )
    if len(columns) > (4 if kind == "ipa" else 3):
        raise LexiconError(f"{where}: too many columns for a rule of kind {kind!r}")
    fallback = columns[3] if len(columns) > 3 else ""
    return Rule(written, kind, columns[2], fallback)


def load_lexicon(path: Path) -> Lexicon:
    """The pronunciation rules in ``path`` (see the module docstring; ``#`` comments).

    Raises :class:`~narrate.errors.LexiconError` naming the file (and the line) when the
    file cannot be read, is not UTF-8, or has a malformed or duplicate rule.
    """
    try:
        data = read_bounded(path, MAX_LEXICON_BYTES)
    except OSError as e:
        raise LexiconError(
            f"{path}: cannot read the lexicon ({e.strerror or e}). Probable cause: a wrong"
            " --lexicon path"
        ) from e
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise LexiconError(
            f"{path}: the lexicon is not UTF-8 (byte {e.start}). Probable cause: it was"
            " saved in another encoding; save it as UTF-8"
        ) from e
    rules: list[Rule] = []
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        where = f"{path}, line {number}"
        rule = _parse_line(line, where)
        if rule.written in lines:
            raise LexiconError(
                f"{where}: {rule.written!r} is already in the lexicon (line {lines[rule.written]})"
            )
        lines[rule.written] = number
        rules.append(rule)
    try:
        return Lexicon(rules=rules)
    except _EntryError as e:
        raise LexiconError(f"{path}, line {lines[e.word]}: {e}") from e
