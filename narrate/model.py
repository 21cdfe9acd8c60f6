"""Frozen data that flows between the pipeline stages.

Readers produce an :class:`Article`; :mod:`narrate.script` turns it into a :class:`Script`
(the exact texts the engine will be asked to say); later stages build a timeline from it.
Text fields hold NFC-normalized Unicode. ``display`` text is as the article wrote it;
``text`` on a :class:`Chunk` is the spoken form sent to the engine.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

ChunkKind = Literal["title", "heading", "body"]
#: What follows a chunk: it ended mid-sentence between two words with no boundary there
#: (``word``), at a grammatical boundary the text does not punctuate (``phrase``: before कि,
#: after a postposition), at clause punctuation (``clause``), at a sentence end, or at the
#: end of a paragraph. Section ends are known from the chunk's position.
Boundary = Literal["word", "phrase", "clause", "sentence", "paragraph"]


@dataclass(frozen=True)
class Link:
    """A link the article makes: its visible ``text`` (spoken) and its ``href`` (never
    spoken; shown in the transcript and the embed). ``text`` occurs in the paragraph,
    chunk or cue that carries the link."""

    text: str
    href: str


@dataclass(frozen=True)
class Table:
    """A table as the article wrote it, cleaned like all shown text (NFC, single spaces):
    its caption (maybe empty), its header cells (maybe none) and its rows of cells.

    What is *said* is the paragraphs :mod:`narrate.readers.tables` reads it as (the
    caption, then row by row, or one notice for a table too large to read aloud); the
    transcript and the embed page *show* this, the table itself.
    """

    caption: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]


#: What a spoken paragraph of a table reads: its caption, one of its rows, or the notice
#: said instead of a table too large to read aloud.
TablePartKind = Literal["caption", "row", "notice"]


@dataclass(frozen=True)
class TablePart:
    """The part of ``table`` that a paragraph reads (and so each chunk and cue made from
    it): its caption, row ``row`` of ``table.rows``, or the notice."""

    table: Table
    kind: TablePartKind
    row: int = -1

    def follows(self, previous: TablePart | None) -> bool:
        """True when this part goes on the table that ``previous`` is part of: the same
        table, and not back at an earlier row (two equal tables one after the other are
        still two tables)."""
        return (
            previous is not None
            and previous.table == self.table
            and (self.kind == previous.kind or self.kind == "row")
            and self.row >= previous.row
        )


@dataclass(frozen=True)
class Section:
    """A part of the article: its title as written and its paragraphs as written.

    ``heading`` is True when the title is a heading the article has (and so is announced);
    False when it was made up from the first words (the introduction, an untitled text).
    ``tables`` pairs the index of each paragraph that reads a table with the part it
    reads (:class:`TablePart`); the other paragraphs are prose.
    """

    title: str
    paragraphs: tuple[str, ...]
    heading: bool = True
    links: tuple[Link, ...] = ()
    tables: tuple[tuple[int, TablePart], ...] = ()


@dataclass(frozen=True)
class Article:
    title: str
    sections: tuple[Section, ...]
    date: dt.date | None = None
    author: str | None = None
    source: str = ""
    language: str = "hi"


@dataclass(frozen=True)
class Caption:
    """A caption-sized piece of a chunk's display text, and its share of the chunk's audio
    (``weight``: how long its spoken form is, in characters)."""

    text: str
    weight: int


@dataclass(frozen=True)
class Chunk:
    """One request to the speech engine.

    ``text`` is what the engine says (normalized for speech); ``display`` is the same span
    as the article wrote it (captions, transcript). ``ends`` says what boundary follows.
    ``captions`` is ``display`` in pieces short enough for one caption cue, when it is
    longer than that (empty: ``display`` is one cue).
    ``table`` is the part of a table the chunk reads, if it reads one.
    """

    text: str
    display: str
    kind: ChunkKind
    ends: Boundary = "sentence"
    links: tuple[Link, ...] = ()
    captions: tuple[Caption, ...] = ()
    table: TablePart | None = None


@dataclass(frozen=True)
class ScriptSection:
    title: str
    chunks: tuple[Chunk, ...]


@dataclass(frozen=True)
class Script:
    """The narration script: everything the engine will be asked to say, by section."""

    title: str
    date: dt.date | None
    sections: tuple[ScriptSection, ...]
    language: str = "hi"
    author: str | None = None
    source: str = ""
    max_chars: int = 100
    warnings: tuple[str, ...] = field(default=())

    @property
    def chunks(self) -> tuple[Chunk, ...]:
        return tuple(c for s in self.sections for c in s.chunks)

    def to_json(self) -> dict[str, object]:
        """The public contract of ``narrate script --json``."""
        return {
            "title": self.title,
            "date": self.date.isoformat() if self.date else None,
            "language": self.language,
            "sections": [
                {
                    "title": s.title,
                    "chunks": [{"text": c.text, "kind": c.kind} for c in s.chunks],
                }
                for s in self.sections
            ],
        }


@dataclass(frozen=True)
class Clip:
    """A chunk's synthesized audio, as a file in the clip cache."""

    section: int
    index: int
    chunk: Chunk
    path: Path
    audio_format: str
    cached: bool = False


@dataclass(frozen=True)
class Synthesis:
    """Every clip of a script, in script order, and what it cost."""

    engine: str
    clips: tuple[Clip, ...]
    requests: int = 0
    cache_hits: int = 0
    retries: int = 0


@dataclass(frozen=True)
class Chapter:
    title: str
    start_ms: int
    end_ms: int


@dataclass(frozen=True)
class Cue:
    """A caption: one chunk's text as written, and when it is heard."""

    text: str
    start_ms: int
    end_ms: int
    section: int
    kind: ChunkKind = "body"
    #: What follows the chunk this cue shows (a paragraph end starts a new paragraph).
    ends: Boundary = "sentence"
    links: tuple[Link, ...] = ()
    #: The part of a table the chunk reads: the transcript and the embed show the table.
    table: TablePart | None = None


#: How a setting reaches an episode's files, declared on the settings' dataclass fields
#: (``field(metadata=reaches("file"))``) and read by the build fingerprint
#: (:func:`narrate.batch.changes.fingerprint`), so that a new setting is fingerprinted the
#: moment it exists: ``value`` (the default for a field that says nothing) by its value, a
#: nested settings dataclass field by field; ``file`` by the bytes of the file it names;
#: ``fallback`` by its value only where the article leaves the script's attribute of the
#: same name empty (the podcast's author is the artist of an article that names none);
#: ``script`` and ``engine`` only through what they change in the script or in the
#: engine's identity, which are fingerprinted themselves; ``pauses`` by the pauses it makes
#: between this script's chunks (:func:`narrate.mix.timeline.pauses`: a comma's pause counts
#: nothing for an article whose chunks never end at a comma); ``none`` not at all (where files
#: go, how many requests fly, how long to wait). A field may also reach the episode only
#: when one of the sibling fields ``needs`` names is set (a music setting, with music) or
#: only when none of those ``unless`` names is (the silence before the first word, which
#: an intro replaces).
Reach = Literal["value", "file", "fallback", "script", "engine", "pauses", "none"]
REACHES = "reaches"


def reaches(how: Reach = "value", *, needs: tuple[str, ...] = (),
            unless: tuple[str, ...] = ()) -> dict[str, object]:
    """The metadata of a settings field that reaches the episode ``how`` (see :data:`Reach`),
    when the sibling fields it ``needs`` (any of them) are set and those of ``unless`` are
    not."""
    return {REACHES: how, "needs": needs, "unless": unless}


def clock(ms: int) -> str:
    """A length or a moment as a person reads it, ``m:ss`` or ``h:mm:ss``, in whole seconds
    counted the way a player's clock counts them (down: 2:21.9 is 2:21). The one rule for
    every length narrate shows: the build's progress bar and summary line, the player page,
    the front page and the feed's ``itunes:duration`` agree to the second."""
    seconds = max(ms, 0) // 1000
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


@dataclass(frozen=True)
class Timeline:
    """The single source of every time published (ID3 CHAP, chapters JSON, WebVTT, embed)."""

    duration_ms: int
    chapters: tuple[Chapter, ...]
    cues: tuple[Cue, ...]


@dataclass(frozen=True)
class Episode:
    """A built episode: where its files are and what it cost.

    ``files`` holds one version's files by key (``audio``, ``chapters_json``, ``captions``,
    …: every versioned file of :data:`narrate.publish.files.EPISODE_FILES`), staged or
    published.
    """

    slug: str
    title: str
    source: str
    files: Mapping[str, Path]
    engine: str
    timeline: Timeline
    chunks: int
    requests: int
    cache_hits: int
    retries: int

    @property
    def audio(self) -> Path:
        """The MP3."""
        return self.files["audio"]

    @property
    def duration_s(self) -> float:
        return self.timeline.duration_ms / 1000

    def to_json(self) -> dict[str, object]:
        """One entry of ``narrate build --json``."""
        return {
            "slug": self.slug,
            "title": self.title,
            **{key: str(path) for key, path in self.files.items()},
            "duration_s": self.duration_s,
            "engine": self.engine,
            "chapters": [
                {"title": c.title, "start_s": c.start_ms / 1000, "end_s": c.end_ms / 1000}
                for c in self.timeline.chapters
            ],
        }
