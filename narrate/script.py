"""The narration script stage: an :class:`Article` becomes the exact list of texts the
speech engine will be asked to say, grouped by section.

The episode opens with the title and the spoken date (chunks of kind ``title``); each
section with a real heading opens with it (kind ``heading``); the rest is ``body``. Display
text keeps the article's spelling; the spoken form comes from :func:`narrate.text.normalize.speak`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable

from narrate.errors import ArticleError
from narrate.model import Article, Chunk, Script, ScriptSection, Section
from narrate.text.chunks import Speak, chunk_paragraph, chunk_sentences
from narrate.text.lexicon import Lexicon
from narrate.text.normalize import MONTHS, clean, latin_tokens, speak
from narrate.text.sentences import split_sentences

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*")
_DIGIT = re.compile(r"[0-9]")


def date_display(date: dt.date) -> str:
    """The date as a Hindi reader writes it: ``8 दिसंबर 2025``."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _speaker(lexicon: Lexicon | None) -> Speak:
    def say(text: str) -> str:
        return speak(text, lexicon)

    return say


def build_script(
    article: Article,
    *,
    max_chars: int = 100,
    lexicon: Lexicon | None = None,
    speaker: Callable[[str], str] | None = None,
) -> Script:
    """The narration script of ``article`` for an engine taking ``max_chars`` per request."""
    say = speaker or _speaker(lexicon)
    title = clean(article.title)
    sections: list[ScriptSection] = []
    carry: list[Chunk] = []  # the title, while no section has had a body yet
    for number, section in enumerate(article.sections):
        chunks = carry
        if number == 0:
            opening = [] if _title_repeats_body(title, section) else split_sentences(title)
            if article.date:
                opening.append(date_display(article.date))
            chunks += chunk_sentences(
                opening, max_chars=max_chars, speak=say, kind="title", terminate=True
            )
        section_title = clean(section.title)
        if section.heading and section_title:
            chunks += chunk_sentences(
                split_sentences(section_title),
                max_chars=max_chars,
                speak=say,
                kind="heading",
                terminate=True,
            )
        for paragraph in section.paragraphs:
            text = clean(paragraph)
            if text:
                chunks += chunk_paragraph(text, max_chars=max_chars, speak=say)
        if any(c.kind == "body" for c in chunks):
            sections.append(ScriptSection(title=section_title, chunks=tuple(chunks)))
            carry = []
        else:  # nothing to say in this section: drop its heading, keep the title
            carry = [c for c in chunks if c.kind == "title"]
    if not sections:
        raise ArticleError(article.source or "article", "nothing to narrate")
    script = Script(
        title=title,
        date=article.date,
        sections=tuple(sections),
        language=article.language,
        author=article.author,
        source=article.source,
        max_chars=max_chars,
    )
    return Script(**{**script.__dict__, "warnings": tuple(find_warnings(script))})


def _title_repeats_body(title: str, section: Section) -> bool:
    """A title made from the first words of the text is not read twice in a row."""
    first = clean(section.paragraphs[0]) if section.paragraphs else ""
    return not title or first.startswith(title)


def _digits_outside_latin_tokens(text: str) -> bool:
    """Digits in spoken text are a normalizer miss, unless inside a token such as 5G."""
    spans = latin_tokens(text)
    return any(
        not any(start <= m.start() < end for start, end in spans) for m in _DIGIT.finditer(text)
    )


def find_warnings(script: Script) -> list[str]:
    """What a person should look at before publishing: over-long chunks, cuts between
    words, digits the normalizer left, Latin words the engine may mispronounce."""
    warnings: list[str] = []
    latin: dict[str, None] = {}
    for number, section in enumerate(script.sections, start=1):
        where = f"section {number} ({section.title!r})"
        for chunk in section.chunks:
            if len(chunk.text) > script.max_chars:
                warnings.append(f"{where}: chunk over {script.max_chars} characters")
            if chunk.ends == "word":
                warnings.append(
                    f"{where}: a sentence with no clause boundary was cut between words "
                    f"after {chunk.display[-30:]!r}"
                )
            if _digits_outside_latin_tokens(chunk.text):
                warnings.append(f"{where}: digits left in spoken text {chunk.text!r}")
            for word in _LATIN_WORD.findall(chunk.text):
                latin.setdefault(word, None)
    if latin:
        words = ", ".join(list(latin)[:12])
        more = f" and {len(latin) - 12} more" if len(latin) > 12 else ""
        warnings.append(
            f"Latin-script words the Hindi voice may mispronounce: {words}{more} "
            "(add them to a --lexicon file to control how they are said)"
        )
    return warnings
