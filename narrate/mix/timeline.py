"""The episode's one timeline, in whole milliseconds: where each clip is heard, where each
chapter starts. Pure functions over the script and the clips' (trimmed) lengths.

Layout: the clips in script order from ``lead_in_ms``, separated by the pauses of
:func:`pause_between` (with an intro, the title is spoken over its music bed, and the text
after it starts once the bed has faded out: see :func:`narrate.mix.render.intro_bed`); then
optional outro music, then ``tail_ms`` of silence. The duration is
rounded up so it is a whole number of samples at every rate involved: the encoded file is
exactly that long.

Chapter boundaries: a chapter starts ``min(chapter_lead_ms, gap // 2)`` before its
section's first sound, where ``gap`` is the silence before that sound. The listener who jumps
to a chapter hears a short breath of silence, then the heading; the previous chapter keeps
the rest of the pause. The first chapter starts at 0 (so it holds any intro music), the last
ends at the duration (so it holds any outro); chapters are contiguous.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import accumulate

from narrate.mix.settings import MixSettings
from narrate.model import Boundary, Chapter, Chunk, Cue, Link, Script, Timeline

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Span:
    """Where one piece of audio is heard: ``[start_ms, end_ms)``; ``pauses``, when known,
    the middle of each pause the voice makes inside it, in ms from ``start_ms``."""

    start_ms: int
    end_ms: int
    pauses: tuple[int, ...] = ()


def _boundary_pause(chunk: Chunk, settings: MixSettings) -> int:
    """The pause the boundary after ``chunk`` asks for (what its ``ends`` says)."""
    if chunk.ends == "paragraph":
        return settings.paragraph_pause_ms
    if chunk.ends == "sentence":
        return settings.sentence_pause_ms
    if chunk.ends == "clause":
        return settings.clause_pause_ms  # a comma's breath, not a stop
    return settings.phrase_pause_ms  # a cut the text does not punctuate: barely a gap


def pause_between(before: Chunk, after: Chunk, *, new_section: bool, settings: MixSettings) -> int:
    """Milliseconds of silence between ``before``'s last sound and ``after``'s first.

    The most specific rule wins, so each setting means what it says: before a new section,
    ``section_pause_ms`` (or ``title_pause_ms`` if longer, right after the title); after the
    title (and date), ``title_pause_ms``; after a heading, ``heading_pause_ms``; otherwise the
    pause the boundary asks for (a heading's or title's own ``ends`` does not count).
    """
    if new_section:
        if before.kind == "title":
            return max(settings.section_pause_ms, settings.title_pause_ms)
        return settings.section_pause_ms
    if before.kind == "title" and after.kind != "title":
        return settings.title_pause_ms
    if before.kind == "heading" and after.kind != "heading":
        return settings.heading_pause_ms
    return _boundary_pause(before, settings)


def pauses(script: Script, settings: MixSettings) -> tuple[int, ...]:
    """The pause before each chunk of ``script.chunks`` (0 before the first)."""
    located = [(i, chunk) for i, section in enumerate(script.sections) for chunk in section.chunks]
    result = [0] * len(located)
    for k in range(1, len(located)):
        (sa, a), (sb, b) = located[k - 1], located[k]
        result[k] = pause_between(a, b, new_section=sa != sb, settings=settings)
    return tuple(result)


def duration_step_ms(*rates: int) -> int:
    """The smallest whole-millisecond step that is a whole number of samples at every rate
    (10 ms at 44.1 kHz, 20 ms when 22.05 kHz is involved, 1 ms at 24 or 48 kHz)."""
    step = 1
    for rate in rates:
        step = math.lcm(step, 1000 // math.gcd(1000, rate))
    return step


def round_up(ms: int, step: int) -> int:
    return -(-ms // step) * step


def chapter_start(onset_ms: int, previous_end_ms: int, settings: MixSettings) -> int:
    """Where a chapter whose first sound is at ``onset_ms`` starts (see module docstring)."""
    gap = max(0, onset_ms - previous_end_ms)
    return onset_ms - min(settings.chapter_lead_ms, gap // 2)


_CLAUSE_MARKS = (",", ";", ":", "—", "–", "…", "...")
#: A caption piece that ends with punctuation ends where the voice pauses, if it pauses
#: within this many ms of the time the spoken lengths give.
SNAP_MS = 800


def _punctuated(text: str) -> bool:
    return text.rstrip("\"'”’»)]").endswith(_CLAUSE_MARKS)


def chunk_cues(chunk: Chunk, span: Span, section: int) -> list[Cue]:
    """The caption cues of one chunk heard at ``span``: one cue, or one per caption piece
    (:attr:`Chunk.captions`) with the clip's time shared in proportion to the pieces'
    spoken lengths; a piece that ends with punctuation ends instead in the middle of the
    voice's pause nearest that time (``span.pauses``, within :data:`SNAP_MS`). The cues
    are contiguous and cover the span exactly, so the first starts with the clip (and so
    with its chapter). Each link goes to the piece that shows it."""
    pieces = chunk.captions
    if not pieces:
        return [Cue(chunk.display, span.start_ms, span.end_ms, section=section,
                    kind=chunk.kind, ends=chunk.ends, links=chunk.links, table=chunk.table)]
    total = sum(p.weight for p in pieces)
    length = span.end_ms - span.start_ms
    edges = [span.start_ms]
    for weight in accumulate(p.weight for p in pieces):
        edges.append(span.start_ms + round(length * weight / total))
    heard = [span.start_ms + p for p in span.pauses]
    for k in range(1, len(pieces)):
        near = [p for p in heard if edges[k - 1] < p < edges[k + 1]
                and abs(p - edges[k]) <= SNAP_MS]
        if near and _punctuated(pieces[k - 1].text):
            edges[k] = min(near, key=lambda p: abs(p - edges[k]))
    links: list[list[Link]] = [[] for _ in pieces]
    for link in chunk.links:
        first = link.text.split()[0] if link.text.split() else link.text
        where = next((k for k, p in enumerate(pieces) if link.text in p.text), None)
        if where is None:
            where = next((k for k, p in enumerate(pieces) if first in p.text.split()), 0)
        links[where].append(link)
    cues = []
    for k, piece in enumerate(pieces):
        last = k == len(pieces) - 1
        within: Boundary = "clause" if _punctuated(piece.text) else "phrase"
        cues.append(Cue(piece.text, edges[k], edges[k + 1], section=section, kind=chunk.kind,
                        ends=chunk.ends if last else within, links=tuple(links[k]),
                        table=chunk.table))
    return cues


def build_timeline(
    script: Script,
    spans: Sequence[Span],
    *,
    duration_ms: int,
    settings: MixSettings,
) -> Timeline:
    """The timeline for ``script`` given where each chunk is heard (one span per chunk).

    Sections without chunks have nothing to hear and get no chapter (logged).
    """
    chunks = [(i, chunk) for i, section in enumerate(script.sections) for chunk in section.chunks]
    if len(chunks) != len(spans):
        raise ValueError(f"{len(spans)} spans for {len(chunks)} chunks")
    cues = tuple(
        cue
        for (i, chunk), span in zip(chunks, spans, strict=True)
        for cue in chunk_cues(chunk, span, i)
    )
    starts: list[tuple[int, str]] = []
    k = 0
    for section in script.sections:
        if not section.chunks:
            log.warning("section %r has nothing to say; it gets no chapter", section.title)
            continue
        start = 0 if not starts else chapter_start(spans[k].start_ms, spans[k - 1].end_ms, settings)
        starts.append((start, section.title))
        k += len(section.chunks)
    ends = [s for s, _ in starts[1:]] + [duration_ms]
    chapters = tuple(
        Chapter(title=title, start_ms=start, end_ms=end)
        for (start, title), end in zip(starts, ends, strict=True)
    )
    return Timeline(duration_ms=duration_ms, chapters=chapters, cues=cues)
