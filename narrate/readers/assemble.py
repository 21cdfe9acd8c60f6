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
from dataclasses import dataclass, field, replace

from narrate.errors import ArticleError
from narrate.model import Article, Link, Section, TablePart
from narrate.text.sentences import graphemes

log = logging.getLogger(__name__)

#: How many words a made-up title (article or section) may have at most.
TITLE_WORDS = 8
#: ...unless the first sentence ends within this many words: a whole sentence is a whole
#: phrase, and a long chapter name is better than one cut mid-phrase.
TITLE_SENTENCE_WORDS = 18
#: A made-up title is cut after a comma only if it keeps at least this many words.
TITLE_MIN_CLAUSE_WORDS = 3
#: A made-up title cut at a clause end (not a sentence end) has at most this many words.
TITLE_CLAUSE_WORDS = 14
#: A made-up title is at most this many characters: a chapter list shows a name, not text
#: (and a 350,000-character "word" must not become a title repeated in every message).
TITLE_MAX_CHARS = 120
#: Marks the end of a made-up title that had to be cut inside a word.
ELLIPSIS = "…"
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

    ``title`` is None when the article gives the section no heading of its own;
    ``tables`` gives, by index in ``paragraphs``, the part of a table a paragraph reads.
    """

    title: str | None
    paragraphs: list[str] = field(default_factory=list)
    links: list[Link] = field(default_factory=list)
    tables: dict[int, TablePart] = field(default_factory=dict)

    def add(self, paragraph: str, table: TablePart | None = None) -> None:
        """Add a paragraph, and the part of a table it reads if it reads one."""
        if table is not None:
            self.tables[len(self.paragraphs)] = table
        self.paragraphs.append(paragraph)


#: Link targets kept: web pages and e-mail addresses. Never ``javascript:``, ``data:`` or a
#: relative path (the transcript and the embed are published elsewhere than the article).
PUBLIC_HREF = re.compile(
    r"\A(?:https?://[^\s\x00-\x1f]+|mailto:[^\s\x00-\x1f@]+@[^\s\x00-\x1f]+)\Z", re.IGNORECASE
)


def is_public_href(href: str) -> bool:
    """True for an http(s) or mailto address a listener may follow from the transcript."""
    return PUBLIC_HREF.match(href.strip()) is not None


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

    The first sentence if it is at most ``TITLE_SENTENCE_WORDS`` words; else its longest
    first clause (:func:`_clause_ends`: up to a comma or the end of a verb group, never
    at a postposition) of three to ``TITLE_CLAUSE_WORDS`` words; else ``limit`` words and
    "…", so the cut shows. A leading dateline is skipped; trailing punctuation is removed
    so that a chapter list does not show "…स्टार,"; at most ``TITLE_MAX_CHARS``.
    """
    dateline = _DATELINE.match(text)
    if dateline is not None and dateline.end() < len(text):
        text = text[dateline.end() :]  # "नई दिल्ली, 14/02/2026:" says where, not what
    words = text.split()
    end = next(
        (i + 1 for i, w in enumerate(words[:TITLE_SENTENCE_WORDS]) if ends_sentence(w)),
        None,
    )
    suffix = ""
    if end is None:
        window = words[: TITLE_CLAUSE_WORDS + 1]
        ends = [
            e for e in _clause_ends(window) if TITLE_MIN_CLAUSE_WORDS <= e <= TITLE_CLAUSE_WORDS
        ]
        if ends:
            end = ends[-1]
        elif len(words) <= limit:
            end = len(words)
        else:
            end, suffix = limit, ELLIPSIS
            while end > TITLE_MIN_CLAUSE_WORDS and words[end - 1] in DANGLING:
                end -= 1  # "…एशिया कप…", not "…एशिया कप के…"
    title = " ".join(words[:end])
    title = title.rstrip(TITLE_TRAILING_PUNCT + " ") or title
    title = _at_most_chars(title)
    return title if title.endswith(ELLIPSIS) else title + suffix


def _nfc_words(words: str) -> frozenset[str]:
    """A constant set of Hindi words, NFC like the text they are compared with."""
    return frozenset(unicodedata.normalize("NFC", words).split())


#: Words that end a clause (auxiliaries and finite verbs), unless another one follows:
#: "देता है", "किया गया है" end after the last of them.
CLAUSE_CLOSERS = _nfc_words(
    "है हैं था थी थे हो गया गई गए रहा रही रहे हुआ हुई हुए किया दिया लिया चुका चुकी चुके"
    " सकता सकती सकते जाएगा जाएगी जाएंगे होगा होगी होंगे"
)
#: Words a cut title never ends on: postpositions and conjunctions that need what follows.
DANGLING = _nfc_words("का की के ने को से में पर और या कि तथा एवं")
#: Marks after a word that end a clause.
CLAUSE_MARKS = (",", ";", ":", "—")
#: Quotes and brackets around a word, ignored when comparing it with the lists above.
QUOTES = "\"'“‘”’()"


def _clause_ends(words: list[str]) -> list[int]:
    """Word counts after which the words so far are whole clauses, in increasing order:
    after a clause mark, after the last verb or auxiliary of a verb group. A postposition
    ("…लाइब्रेरी में") is not a clause end: a title cut there is a fragment."""
    ends = []
    for i, word in enumerate(words):
        bare = word.strip(QUOTES + TITLE_TRAILING_PUNCT)
        following = words[i + 1].strip(QUOTES + TITLE_TRAILING_PUNCT) if i + 1 < len(words) else ""
        if word.endswith(CLAUSE_MARKS) or (
            bare in CLAUSE_CLOSERS and following not in CLAUSE_CLOSERS
        ):
            ends.append(i + 1)
    return ends


def _at_most_chars(title: str, limit: int = TITLE_MAX_CHARS) -> str:
    """``title`` cut to ``limit`` characters: at the last word boundary that keeps at least
    half of it, else between grapheme clusters, with "…" where it was cut."""
    if len(title) <= limit:
        return title
    cut = title.rfind(" ", 0, limit)
    if cut >= limit // 2:
        return title[:cut].rstrip(TITLE_TRAILING_PUNCT + " ") + ELLIPSIS
    head = ""
    for cluster in graphemes(title[: limit + 8]):
        if len(head) + len(cluster) >= limit:
            break
        head += cluster
    return head + ELLIPSIS


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
#: A date in figures, day first, and an ISO date: the forms every date pattern below takes.
_DMY = r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{4})"
_ISO = r"(?P<iso>\d{4}-\d{2}-\d{2})"
#: A dateline's place: a few words, then a comma or a bar ("नई दिल्ली | 23 जनवरी 2025").
_PLACE = r"[^,।?!:|]{2,40}(?:,|\s\|)\s*"
#: A news dateline: a place of a few words, a comma, a date, then ``:`` or a dash.
_DATELINE = re.compile(
    rf"\A{_PLACE}(?:{_DMY}|{_ISO}"
    r"|(?P<dd>\d{1,2})\s+(?P<month>[^\s\d,:]+)\s+(?P<yy>\d{4})"
    r")\s*(?:[:：।|]|[-–—]\s|\Z)"
)
#: A date written in running text, day first: "2 दिसंबर 2026", "02/12/2026", "2026-12-02".
_DATE_IN_TEXT = re.compile(
    rf"(?<!\d)(?:{_DMY}|{_ISO}"
    r"|(?P<dd>\d{1,2})\s+(?P<month>[^\s\d,:|।]+)\s*,?\s+(?P<yy>\d{4}))(?!\d)"
)
#: A dateline of any length of date: a place, a comma, a day and a month (a year, an
#: agency in brackets may follow), then its end mark. "मुंबई, 17 जनवरी (भाषा)।"
_DATELINE_DAY = re.compile(
    rf"\A{_PLACE}(?:"
    r"(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})(?:[/.-](?P<y>\d{4}))?"
    rf"|{_ISO}"
    r"|(?P<dd>\d{1,2})\s+(?P<month>[^\s\d,:()]+)(?:,?\s+(?P<yy>\d{4}))?"
    r")\s*(?:\([^()]{1,30}\)\s*)?(?:[:：।|]|[-–—]\s|\Z)"
)


def _day_month_year(match: re.Match[str]) -> tuple[int, int, int | None] | None:
    """The day, month and year (None when not written) of a match of the patterns above,
    or None when its month is no Hindi month's name or its ISO date is no date."""
    if match["iso"]:
        iso = parse_date(match["iso"])
        return None if iso is None else (iso.day, iso.month, iso.year)
    if match["d"]:
        day, month, year = int(match["d"]), int(match["m"]), match["y"]
    else:
        day, month, year = (int(match["dd"]),
                            _MONTHS_HI.get(unicodedata.normalize("NFC", match["month"]), 0),
                            match["yy"])
    return None if not month else (day, month, int(year) if year else None)


def _date_of(match: re.Match[str]) -> dt.date | None:
    """The date a match of the patterns above writes with its year, or None."""
    parts = _day_month_year(match)
    if parts is None:
        return None
    day, month, year = parts
    if year is None:
        return None
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def dateline_date(paragraph: str) -> dt.date | None:
    """The date of a dateline such as ``नई दिल्ली, 14/02/2026:``, ``पटना, 3 मार्च 2026 —`` or
    ``नई दिल्ली, 14 अगस्त 2025।`` opening the first paragraph, or that paragraph whole
    (``मुंबई, 4 दिसंबर 2026`` on a line of its own), day first, as Indian newsrooms write
    it. The dateline stays in the text: it is part of what the article says."""
    match = _DATELINE.match(paragraph)
    return None if match is None else _date_of(match)


def text_date(text: str) -> dt.date | None:
    """The first date written in ``text`` (a byline's "नई दिल्ली | 2 दिसंबर 2026"), day
    first with a Hindi month name or in figures, or None."""
    found = (_date_of(m) for m in _DATE_IN_TEXT.finditer(unicodedata.normalize("NFC", text)))
    return next((date for date in found if date is not None), None)


def dateline_says(paragraph: str, date: dt.date) -> bool:
    """True when ``paragraph`` opens with a dateline giving ``date``: the same day and
    month, and the same year if it gives one ("मुंबई, 3 नवंबर 2025।", "मुंबई, 17 जनवरी
    (भाषा)।", "पटना, 03/11/2025:"). The script then does not say the date after the title:
    a newsreader says it once, and the dateline keeps it where the article has it."""
    match = _DATELINE_DAY.match(unicodedata.normalize("NFC", paragraph))
    parts = None if match is None else _day_month_year(match)
    if parts is None:
        return False
    day, month, year = parts
    return (day, month) == (date.day, date.month) and (year is None or year == date.year)


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
            draft = Draft(HEADING_JOINER.join(names), draft.paragraphs, draft.links, draft.tables)
            pending = []
        merged.append(draft)
    if pending:
        log.debug("dropping headings with no text after them: %s", pending)
    return merged


def _finish_section(draft: Draft) -> Section:
    """A Section: the heading if the article gave one, else its first words (not announced)."""
    links = tuple(link for link in draft.links if any(link.text in p for p in draft.paragraphs))
    tables = tuple(sorted(draft.tables.items()))
    if draft.title:
        return Section(draft.title, tuple(draft.paragraphs), heading=True, links=links,
                       tables=tables)
    return Section(
        first_words(draft.paragraphs[0]), tuple(draft.paragraphs), heading=False, links=links,
        tables=tables,
    )


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
        kept = [(i, p) for i, p in enumerate(clean(text) for text in draft.paragraphs) if p]
        paragraphs = [p for _, p in kept]
        tables = {new: draft.tables[old] for new, (old, _) in enumerate(kept)
                  if old in draft.tables}
        links = [
            Link(clean(link.text), link.href.strip())
            for link in draft.links
            if clean(link.text) and is_public_href(link.href)
        ]
        cleaned.append(Draft(heading or None, paragraphs, list(dict.fromkeys(links)), tables))
    sections = tuple(_finish_section(d) for d in _merge_empty_headings(cleaned))
    if not sections:
        raise ArticleError(source, "nothing to narrate (no body text found)")
    if not any(has_devanagari(p) for s in sections for p in s.paragraphs):
        raise ArticleError(source, "no Hindi text to narrate (no Devanagari letters in the body)")
    article_title = clean(title) if title else ""
    if article_title and not sections[0].heading:
        # the opening chapter is the article's own: podcast apps list it by the title
        sections = (replace(sections[0], title=article_title), *sections[1:])
    if date is None:  # the article's date is the one its dateline gives, if any
        date = dateline_date(sections[0].paragraphs[0])
    return Article(
        title=article_title or first_words(sections[0].paragraphs[0]),
        sections=sections,
        date=date,
        author=(clean(author) or None) if author else None,
        source=source,
    )
