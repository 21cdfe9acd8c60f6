"""What every reader shares: text cleaning, made-up titles, dates, and assembling an Article.

Each format reader finds a title, a date, an author and a list of :class:`Draft` sections in
its own way; :func:`build_article` then applies the rules that must be the same for every
format (NFC, collapsed whitespace, empty sections, made-up titles, "nothing to narrate").
"""

from __future__ import annotations

import datetime as dt
import logging
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field

from narrate.errors import ArticleError
from narrate.model import Article, Section

log = logging.getLogger(__name__)

#: How many words a made-up title (article or section) may have at most.
TITLE_WORDS = 8
#: ...unless the first sentence ends within this many more words: then it is kept whole.
TITLE_GRACE_WORDS = 2
#: A made-up title is cut after a comma only if it keeps at least this many words.
TITLE_MIN_CLAUSE_WORDS = 3
#: Joins the title of a heading that has no text of its own to the heading that follows it.
HEADING_JOINER = ": "

#: Devanagari letters (vowels, consonants, nukta forms, extensions), not digits or signs.
DEVANAGARI_LETTER = re.compile("[\u0904-\u0939\u093d\u0950\u0958-\u0961\u0972-\u097f]")
#: Marks that end a sentence in Hindi text. The full stop is left out on purpose: in Hindi
#: news it mostly ends abbreviations ("डॉ.", "प्रो."), and the danda ends sentences.
SENTENCE_END = "।॥?!"
#: Punctuation stripped from the end of a made-up title: it would read oddly as a name.
TITLE_TRAILING_PUNCT = ",;:।॥.-–—|"
#: ``YYYY-MM-DD`` at the start of a date or date-time string (the publisher's local date).
ISO_DATE = re.compile(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})(?!\d)")


@dataclass
class Draft:
    """A section as a reader found it, before the shared rules run.

    ``title`` is None when the article gives the section no heading of its own.
    """

    title: str | None
    paragraphs: list[str] = field(default_factory=list)


def clean(text: str) -> str:
    """NFC with whitespace collapsed to single spaces: one spelling of every character.

    Devanagari can be typed in several code point orders (nukta forms, for instance); NFC
    makes equal text compare equal, and the later stages rely on single spaces.
    """
    return " ".join(unicodedata.normalize("NFC", text).split())


def has_devanagari(text: str) -> bool:
    """True if ``text`` has at least one Devanagari letter (digits and danda do not count)."""
    return DEVANAGARI_LETTER.search(text) is not None


def ends_sentence(word: str) -> bool:
    """True if ``word`` ends a sentence, ignoring closing quotes and brackets after the mark."""
    return word.rstrip("\"'”’)]»").endswith(tuple(SENTENCE_END))


def first_words(text: str, limit: int = TITLE_WORDS) -> str:
    """A short name made from the start of ``text``, for things the article does not name.

    The first sentence if it is at most ``limit`` words (or a little more, rather than cut
    off its last word: "… दस्तक दी है"), else the first clause ending in a comma that
    leaves at least three words, else ``limit`` words; always at a word boundary, with
    trailing punctuation removed so that a chapter list does not show "…स्टार,".
    """
    words = text.split()
    end = next(
        (i + 1 for i, w in enumerate(words[: limit + TITLE_GRACE_WORDS]) if ends_sentence(w)),
        None,
    )
    if end is None:
        end = next(
            (
                i + 1
                for i, w in enumerate(words[:limit])
                if w.endswith(",") and i + 1 >= TITLE_MIN_CLAUSE_WORDS
            ),
            min(limit, len(words)),
        )
    title = " ".join(words[:end])
    return title.rstrip(TITLE_TRAILING_PUNCT + " ") or title


_MONTHS_HI = {
    m: n
    for n, names in enumerate(
        (
            ("जनवरी",), ("फ़रवरी", "फरवरी"), ("मार्च",), ("अप्रैल", "अप्रेल"), ("मई",), ("जून",),
            ("जुलाई",), ("अगस्त",), ("सितंबर", "सितम्बर"), ("अक्टूबर", "अक्तूबर"),
            ("नवंबर", "नवम्बर"), ("दिसंबर", "दिसम्बर"),
        ),
        start=1,
    )
    for m in (unicodedata.normalize("NFC", name) for name in names)
}
#: A news dateline: a place of a few words, a comma, a date, then ``:`` or a dash.
_DATELINE = re.compile(
    r"\A[^,।?!:]{2,40},\s*(?:"
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
    r"|(?P<iso>\d{4}-\d{2}-\d{2})"
    r"|(?P<dd>\d{1,2})\s+(?P<month>[^\s\d,:]+)\s+(?P<yy>\d{4})"
    r")\s*(?:[:：]|[-–—]\s)"
)


def dateline_date(paragraph: str) -> dt.date | None:
    """The date of a dateline such as ``नई दिल्ली, 14/02/2026:`` or ``पटना, 3 मार्च 2026 —``
    opening the first paragraph (day first, as Indian newsrooms write it). The dateline
    stays in the text: it is part of what the article says."""
    match = _DATELINE.match(paragraph)
    if match is None:
        return None
    try:
        if match["iso"]:
            return parse_date(match["iso"])
        if match["d"]:
            return dt.date(int(match["y"]), int(match["m"]), int(match["d"]))
        month = _MONTHS_HI.get(unicodedata.normalize("NFC", match["month"]))
        return dt.date(int(match["yy"]), month, int(match["dd"])) if month else None
    except ValueError:
        return None


def parse_date(value: object) -> dt.date | None:
    """A ``date`` from a date, a date-time or a string starting with ``YYYY-MM-DD``.

    A date that cannot be read is dropped (None) rather than refused: the date is metadata,
    and an article is still worth narrating without it.
    """
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        return None
    match = ISO_DATE.match(value)
    if match is None:
        return None
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


def _merge_empty_headings(drafts: Iterable[Draft]) -> list[Draft]:
    """Fold a heading with no text under it into the section that follows it.

    A listener expects ``## खेल`` directly followed by ``### क्रिकेट`` to be one chapter,
    "खेल: क्रिकेट", not a silent chapter; a heading followed by untitled text names that
    text. A heading with nothing after it at all (the end of the article) is dropped.
    """
    merged: list[Draft] = []
    pending: list[str] = []
    for draft in drafts:
        if not draft.paragraphs:
            if draft.title:
                pending.append(draft.title)
            continue
        if pending:
            names = [*pending, draft.title] if draft.title else pending
            draft = Draft(HEADING_JOINER.join(names), draft.paragraphs)
            pending = []
        merged.append(draft)
    if pending:
        log.debug("dropping headings with no text after them: %s", pending)
    return merged


def _finish_section(draft: Draft) -> Section:
    """A Section: the heading if the article gave one, else its first words (not announced)."""
    if draft.title:
        return Section(draft.title, tuple(draft.paragraphs), heading=True)
    return Section(first_words(draft.paragraphs[0]), tuple(draft.paragraphs), heading=False)


def build_article(
    *,
    source: str,
    title: str | None,
    drafts: Iterable[Draft],
    date: dt.date | None = None,
    author: str | None = None,
) -> Article:
    """Apply the rules every format shares and return the Article.

    Raises ArticleError when nothing is left to narrate: no paragraph at all, or no
    Devanagari letter in any paragraph (the engines speak Hindi).
    """
    cleaned: list[Draft] = []
    for draft in drafts:
        heading = clean(draft.title) if draft.title else ""
        paragraphs = [p for p in (clean(text) for text in draft.paragraphs) if p]
        cleaned.append(Draft(heading or None, paragraphs))
    sections = tuple(_finish_section(d) for d in _merge_empty_headings(cleaned))
    if not sections:
        raise ArticleError(source, "nothing to narrate (no body text found)")
    if not any(has_devanagari(p) for s in sections for p in s.paragraphs):
        raise ArticleError(source, "no Hindi text to narrate (no Devanagari letters in the body)")
    article_title = clean(title) if title else ""
    return Article(
        title=article_title or first_words(sections[0].paragraphs[0]),
        sections=sections,
        date=date,
        author=(clean(author) or None) if author else None,
        source=source,
    )
