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
from dataclasses import replace

from narrate.errors import ArticleError
from narrate.model import Article, Chunk, Script, ScriptSection, Section
from narrate.readers.assemble import dateline_says
from narrate.readers.tables import LEFT_OUT as TABLE_LEFT_OUT
from narrate.text.chars import clean, latin_tokens
from narrate.text.chunks import Speak, attach_links, chunk_paragraph, chunk_sentences
from narrate.text.dates import MONTHS
from narrate.text.lexicon import Lexicon
from narrate.text.normalize import speak
from narrate.text.sentences import split_sentences

_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z0-9'’.-]*")
_DIGIT = re.compile(r"[0-9]")
#: Phonemes a pronunciation rule gives (``⟦…⟧``): not words the voice may mispronounce.
_GIVEN_PHONEMES = re.compile(r"⟦[^⟦⟧]*⟧")


def date_display(date: dt.date) -> str:
    """The date as a Hindi reader writes it: ``8 दिसंबर 2025``."""
    return f"{date.day} {MONTHS[date.month - 1]} {date.year}"


def _dateline_gives(section: Section, date: dt.date) -> bool:
    """Does the first paragraph open with a dateline of ``date`` ("मुंबई, 3 नवंबर 2025।")?
    Then the date is said there, once, not also after the title."""
    return bool(section.paragraphs) and dateline_says(clean(section.paragraphs[0]), date)


def _speaker(lexicon: Lexicon | None, phonemes: bool) -> Speak:
    def say(text: str) -> str:
        return speak(text, lexicon, phonemes=phonemes)

    return say


def build_script(
    article: Article,
    *,
    max_chars: int = 100,
    lexicon: Lexicon | None = None,
    speaker: Callable[[str], str] | None = None,
    phonemes: bool = False,
) -> Script:
    """The narration script of ``article`` for an engine taking ``max_chars`` per request;
    ``phonemes`` when the engine takes phonemes (a pronunciation rule's IPA)."""
    say = speaker or _speaker(lexicon, phonemes)
    title = clean(article.title)
    sections: list[ScriptSection] = []
    carry: list[Chunk] = []  # the title, while no section has had a body yet
    for number, section in enumerate(article.sections):
        chunks = carry
        if number == 0:
            opening = [] if _title_repeats_body(title, section) else split_sentences(title)
            if article.date and not _dateline_gives(section, article.date):
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
        body: list[Chunk] = []
        tables = dict(section.tables)
        for number, paragraph in enumerate(section.paragraphs):
            text = clean(paragraph)
            if text:
                said = chunk_paragraph(text, max_chars=max_chars, speak=say)
                table = tables.get(number)
                body += [replace(c, table=table) for c in said] if table else said
        chunks += attach_links(body, section.links)
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
    warnings = find_warnings(script) + lexicon_warnings(script, lexicon, phonemes=phonemes)
    return Script(**{**script.__dict__, "warnings": tuple(warnings)})


def lexicon_warnings(script: Script, lexicon: Lexicon | None, *, phonemes: bool) -> list[str]:
    """What a pronunciation file's phoneme rules cost on this engine: an engine without
    phonemes says the rule's fallback (or the words as written); Kokoro drops IPA symbols
    it does not know."""
    if lexicon is None or not any(r.kind == "ipa" for r in lexicon.rules):
        return []
    used = {r for c in script.chunks for r in lexicon.matches(c.display) if r.kind == "ipa"}
    warnings = []
    for rule in sorted(used, key=lambda r: r.written):
        if not phonemes:
            instead = f"its fallback {rule.fallback!r}" if rule.fallback else "as written"
            warnings.append(
                f"pronunciation rule {rule.written!r}: this engine cannot take phonemes;"
                f" said {instead} (Kokoro says the phonemes)"
            )
        else:
            from narrate.engines.phonemes import unknown_symbols

            unknown = unknown_symbols(rule.value)
            if unknown:
                warnings.append(
                    f"pronunciation rule {rule.written!r}: Kokoro does not know the IPA"
                    f" symbols {unknown!r}; they are left out"
                )
    return warnings


#: Where a description ends: a sentence's closing mark, with its closing quotes.
_SENTENCE_CLOSE = re.compile(r"[।॥?!.][\"'”’)\]»]*$")


def describe(script: Script, *, least: int = 160, most: int = 300) -> str:
    """The episode's description (feed, ID3 comment, embed page): the article's opening as
    written, in whole sentences, at least ``least`` characters when the article has them
    (a dateline alone says nothing) and at most ``most``.

    It ends at a sentence end; only when the first sentence alone is longer than ``most``
    is it cut at a word and ends with "…". An article shorter than ``least`` is all of it.
    """
    text = ""
    for chunk in script.chunks:
        if chunk.kind == "body":
            text = f"{text} {chunk.display}".strip()
            if len(text) > most + least:
                break
    kept = ""
    for sentence in split_sentences(text[: most + least]):
        joined = f"{kept} {sentence}".strip()
        if len(joined) > most or (kept and len(kept) >= least):
            break
        kept = joined
    if kept and (_SENTENCE_CLOSE.search(kept) or kept == text):
        return kept
    head = text[: most - 1]
    cut = head.rfind(" ")
    head = head[:cut] if cut > 0 and len(text) >= most else head
    return head.rstrip(",;:—- ") + "…"


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


#: A quoted piece of article text in a warning is at most this long.
QUOTE_CHARS = 40


def _quote(text: str, *, tail: bool = False) -> str:
    """``text`` quoted for a warning, cut to :data:`QUOTE_CHARS` characters: a warning
    points at the text, it never repeats a huge piece of it."""
    if len(text) > QUOTE_CHARS:
        text = "…" + text[-QUOTE_CHARS:] if tail else text[:QUOTE_CHARS] + "…"
    return repr(text)


def _counted(count: int, one: str) -> str:
    """"a chunk" or "7 chunks": how many times a finding occurs in a section."""
    return f"a {one}" if count == 1 else f"{count} {one}s"


def find_warnings(script: Script) -> list[str]:
    """What a person should look at before publishing: over-long chunks, cuts between
    words, digits the normalizer left, Latin words the engine may mispronounce.

    One line per kind of finding and section, however often it occurs there (a
    350,000-character "word" is cut thousands of times: one line says so), with quotes cut
    short, so the warnings stay small whatever the article."""
    warnings: list[str] = []
    latin: dict[str, None] = {}
    for number, section in enumerate(script.sections, start=1):
        where = f"section {number} ({_quote(section.title)})"
        long = [c for c in section.chunks if len(c.text) > script.max_chars]
        cut = [c for c in section.chunks if c.ends == "word"]
        digits = [c for c in section.chunks if _digits_outside_latin_tokens(c.text)]
        if any(c.display.startswith(TABLE_LEFT_OUT) for c in section.chunks):
            warnings.append(
                f"{where}: a table too large to read aloud was left out (a sentence says so);"
                " the listener hears no figures from it"
            )
        if long:
            over = f"{_counted(len(long), 'chunk')} over {script.max_chars} characters"
            warnings.append(f"{where}: {over}")
        if cut:
            warnings.append(
                f"{where}: a sentence with no clause boundary was cut between words "
                f"after {_quote(cut[0].display, tail=True)}"
                + (f" ({len(cut)} cuts in this section)" if len(cut) > 1 else "")
            )
        if digits:
            warnings.append(
                f"{where}: digits left in spoken text {_quote(digits[0].text)}"
                + (f" ({len(digits)} chunks)" if len(digits) > 1 else "")
            )
        for chunk in section.chunks:
            for word in _LATIN_WORD.findall(_GIVEN_PHONEMES.sub(" ", chunk.text)):
                latin.setdefault(word[:QUOTE_CHARS], None)
    if latin:
        words = ", ".join(list(latin)[:12])
        more = f" and {len(latin) - 12} more" if len(latin) > 12 else ""
        warnings.append(
            f"Latin-script words the Hindi voice may mispronounce: {words}{more} "
            "(add them to a --lexicon file to control how they are said)"
        )
    return warnings
