"""The user's lexicon: how to say names and brands the rules cannot know.

A lexicon file (``--lexicon FILE``) is UTF-8 text, one entry a line: the word as articles
write it, a tab, and how to say it. Blank lines and lines starting with ``#`` are ignored::

    # word<TAB>how to say it
    IIT	आई आई टी
    5G	फ़ाइव जी
    pmfby	पी एम एफ़ बी वाई

Entries replace whole words only (never inside a longer word: an entry for "राम" leaves
"रामायण" alone), the longest entry wins where entries overlap ("नई दिल्ली" before
"दिल्ली"), and Latin entries match in any case ("iit" and "IIT"), an exact-case entry
first. A spoken form may not contain a word of the lexicon (other than itself): applying the
lexicon twice would then change the text again. A spoken form is at most 100 characters
(:data:`MAX_SPOKEN_CHARS`, one request to the engine): a word is never cut in two.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType

from narrate.errors import LexiconError
from narrate.text.chars import WORD_CHAR, clean

#: The longest spoken form: one request to every engine (gTTS and espeak-ng take 100
#: characters). A longer one could only be said by cutting it, and a word's spoken form
#: is never cut: it is refused when the lexicon is loaded, naming the file and line.
MAX_SPOKEN_CHARS = 100


class _EntryError(LexiconError):
    """An entry that cannot be used; ``word`` tells :func:`load_lexicon` its line."""

    def __init__(self, word: str, message: str) -> None:
        self.word = word
        super().__init__(message)


@dataclass(frozen=True)
class Lexicon:
    """Words and how to say them. ``entries`` maps a word as written to its spoken form.

    Words and spoken forms are cleaned like article text (NFC, no invisible characters,
    single spaces). Raises :class:`~narrate.errors.LexiconError` for an empty word or
    spoken form, and for a spoken form that contains another word of the lexicon.
    """

    entries: Mapping[str, str] = field(default_factory=dict)
    _pattern: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    _folded: Mapping[str, str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        entries: dict[str, str] = {}
        for word, spoken in self.entries.items():
            key, said = clean(word), clean(spoken)
            if not key:
                raise LexiconError(f"a lexicon word is empty (spoken form {spoken!r})")
            if not said:
                raise LexiconError(f"how to say {key!r} is empty")
            if len(said) > MAX_SPOKEN_CHARS:
                raise _EntryError(
                    key,
                    f"how to say {key!r} is {len(said)} characters, more than the"
                    f" {MAX_SPOKEN_CHARS} one request to the speech engine takes. Probable"
                    " cause: a sentence written as a spoken form; shorten it or give its"
                    " parts entries of their own",
                )
            entries[key] = said
        folded: dict[str, str] = {}
        for key, said in entries.items():
            folded.setdefault(key.casefold(), said)
        pattern = None
        if entries:
            words = sorted(entries, key=lambda w: (-len(w), w))
            alternation = "|".join(re.escape(w) for w in words)
            pattern = re.compile(
                rf"(?<!{WORD_CHAR})(?:{alternation})(?!{WORD_CHAR})", re.IGNORECASE
            )
        object.__setattr__(self, "entries", MappingProxyType(entries))
        object.__setattr__(self, "_folded", MappingProxyType(folded))
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
        return hash(frozenset(self.entries.items()))

    def __len__(self) -> int:
        return len(self.entries)

    def _say(self, match: re.Match[str]) -> str:
        word = match.group()
        said = self.entries.get(word)
        return said if said is not None else self._folded.get(word.casefold(), word)

    def apply(self, text: str) -> str:
        """``text`` with every whole-word occurrence of an entry replaced by its spoken form."""
        if self._pattern is None:
            return text
        return self._pattern.sub(self._say, text)


def load_lexicon(path: Path) -> Lexicon:
    """The lexicon in ``path`` (UTF-8 TSV: ``word<TAB>how to say it``; ``#`` comments).

    Raises :class:`~narrate.errors.LexiconError` naming the file (and the line) when the
    file cannot be read, is not UTF-8, or has a malformed or duplicate entry.
    """
    try:
        data = path.read_bytes()
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
    entries: dict[str, str] = {}
    lines: dict[str, int] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        where = f"{path}, line {number}"
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        columns = line.split("\t")
        if len(columns) != 2:
            cause = (
                "the columns are separated by spaces, not a tab"
                if len(columns) == 1
                else "more than one tab on the line"
            )
            raise LexiconError(
                f"{where}: expected 'word<TAB>how to say it'. Probable cause: {cause}"
            )
        word, spoken = clean(columns[0]), clean(columns[1])
        if not word:
            raise LexiconError(f"{where}: the word before the tab is empty")
        if not spoken:
            raise LexiconError(f"{where}: how to say {word!r} is empty")
        if word in lines:
            raise LexiconError(f"{where}: {word!r} is already in the lexicon (line {lines[word]})")
        entries[word] = spoken
        lines[word] = number
    try:
        return Lexicon(entries)
    except _EntryError as e:
        raise LexiconError(f"{path}, line {lines[e.word]}: {e}") from e
