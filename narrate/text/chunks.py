"""Pack sentences into narration chunks: one chunk is one request to the speech engine.

Where a chunk ends changes how the engine intones the text, so the chunker prefers, in
order: the end of a sentence, a clause boundary (``,`` ``;`` ``:`` ``—``), a conjunction
(और, लेकिन, कि, …), a word boundary, and only for a single word longer than the limit a
grapheme-cluster boundary. Whole sentences are packed together up to the engine's
``max_chars`` (measured on the spoken form, as gTTS counts: code points). Chunks never cross
a paragraph. The display text of a chunk is the same span as the article wrote it.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from narrate.model import Boundary, Chunk, ChunkKind, Link
from narrate.text.sentences import (
    split_at_conjunctions,
    split_clauses,
    split_graphemes,
    split_phrases,
    split_sentences,
    split_words,
)

Speak = Callable[[str], str]

_SENTENCE_END = "।॥?!.\"'”’)"


@dataclass(frozen=True)
class _Piece:
    display: str
    spoken: str
    ends: Boundary


def _has_speech(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def _join(a: _Piece, b: _Piece) -> _Piece:
    spoken = f"{a.spoken} {b.spoken}".strip() if b.spoken else a.spoken
    return _Piece(f"{a.display} {b.display}", spoken, b.ends)


#: Split levels, strongest boundary first, with the boundary each one makes.
_LEVELS: tuple[tuple[Callable[[str], list[str]], Boundary], ...] = (
    (split_clauses, "clause"),
    (split_at_conjunctions, "clause"),
    (split_phrases, "word"),
    (split_words, "word"),  # a number with its neighbours ("सुबह 6:15 बजे")
    (str.split, "word"),  # ...unless that is too long: every word on its own
)


def _fit(text: str, level: int, max_chars: int, speak: Speak) -> list[_Piece]:
    """Pieces of ``text`` whose spoken forms fit ``max_chars``, cut at the strongest
    boundaries available from ``level`` on, and packed back together greedily."""
    spoken = speak(text)
    if len(spoken) <= max_chars:
        return [_Piece(text, spoken, "sentence")]
    if level >= len(_LEVELS):
        return _fit_graphemes(text, max_chars, speak)
    split, boundary = _LEVELS[level]
    parts = split(text)
    if len(parts) <= 1:
        return _fit(text, level + 1, max_chars, speak)
    groups = []
    for part in parts:
        group = _fit(part, level + 1, max_chars, speak)
        groups.append([*group[:-1], replace(group[-1], ends=boundary)])
    return _pack(groups, max_chars)


def _pack(groups: list[list[_Piece]], max_chars: int) -> list[_Piece]:
    """Join runs of single pieces into as few chunks as fit, as evenly as possible; a
    group of several pieces (a part that itself had to be cut) stays as it is."""
    out: list[_Piece] = []
    run: list[_Piece] = []
    for group in groups:
        if len(group) == 1:
            run.append(group[0])
        else:
            out += _pack_run(run, max_chars)
            out += group
            run = []
    return out + _pack_run(run, max_chars)


def _pack_run(run: list[_Piece], max_chars: int) -> list[_Piece]:
    """Fewest chunks first, then the most even lengths (least squared slack): a long
    chunk followed by a three-word tail sounds worse than two halves."""
    n = len(run)
    if n <= 1:
        return run
    lengths = [len(p.spoken) for p in run]
    # best[i] = (chunks, cost, previous cut) for the first i pieces
    best: list[tuple[int, int, int]] = [(0, 0, 0)] + [(n + 1, 0, 0)] * n
    for end in range(1, n + 1):
        size = -1
        for start in range(end - 1, -1, -1):
            size += lengths[start] + 1
            if size > max_chars and start < end - 1:
                break
            count, cost, _ = best[start]
            candidate = (count + 1, cost + (max_chars - size) ** 2, start)
            if candidate[:2] < best[end][:2]:
                best[end] = candidate
    cuts = []
    end = n
    while end > 0:
        start = best[end][2]
        cuts.append((start, end))
        end = start
    packed = []
    for start, end in reversed(cuts):
        piece = run[start]
        for other in run[start + 1 : end]:
            piece = _join(piece, other)
        packed.append(piece)
    return packed


def _fit_graphemes(word: str, max_chars: int, speak: Speak) -> list[_Piece]:
    """A single word too long to say in one request: cut between grapheme clusters,
    shrinking the piece size until every spoken piece fits."""
    size = max_chars
    while True:
        parts = split_graphemes(word, size)
        spoken = [speak(p) for p in parts]
        if all(len(s) <= max_chars for s in spoken) or size == 1:
            return [_Piece(p, s, "word") for p, s in zip(parts, spoken, strict=True)]
        size = max(1, size // 2)


def _terminated(spoken: str) -> str:
    """Give a heading or title a danda so the engine closes it with a falling tone."""
    return spoken if not spoken or spoken[-1] in _SENTENCE_END else f"{spoken}।"


def chunk_sentences(
    sentences: Sequence[str],
    *,
    max_chars: int,
    speak: Speak,
    kind: ChunkKind = "body",
    terminate: bool = False,
) -> list[Chunk]:
    """Chunks for consecutive sentences of one paragraph (or a title, or a heading).

    Whole sentences are packed greedily while the joined spoken form fits ``max_chars``;
    a sentence too long for one chunk is cut at its best boundaries and never shares a
    chunk with its neighbours. ``terminate`` ends each spoken sentence with a danda when
    it has no end punctuation (titles, headings, dates). The last chunk ends a paragraph.
    """
    say: Speak = (lambda s: _terminated(speak(s))) if terminate else speak
    groups = []
    for sentence in sentences:
        pieces = _fit(sentence, 0, max_chars, say)
        groups.append([*pieces[:-1], replace(pieces[-1], ends="sentence")])
    chunks = _pack(groups, max_chars)
    chunks = _absorb_silent(chunks)
    if chunks:
        chunks[-1] = replace(chunks[-1], ends="paragraph")
    return [Chunk(text=c.spoken, display=c.display, kind=kind, ends=c.ends) for c in chunks]


def _absorb_silent(pieces: list[_Piece]) -> list[_Piece]:
    """Never send an empty or punctuation-only chunk: its display text joins a neighbour."""
    out: list[_Piece] = []
    orphan = ""
    for piece in pieces:
        if _has_speech(piece.spoken):
            if orphan:
                piece = replace(piece, display=f"{orphan} {piece.display}")
                orphan = ""
            out.append(piece)
        elif out:
            last = out[-1]
            out[-1] = _Piece(f"{last.display} {piece.display}", last.spoken, piece.ends)
        else:
            orphan = f"{orphan} {piece.display}".strip()
    return out


def chunk_paragraph(
    paragraph: str, *, max_chars: int, speak: Speak, kind: ChunkKind = "body"
) -> list[Chunk]:
    """Chunks for one paragraph as written."""
    return chunk_sentences(
        split_sentences(paragraph), max_chars=max_chars, speak=speak, kind=kind
    )


def attach_links(chunks: Sequence[Chunk], links: Sequence[Link]) -> list[Chunk]:
    """``chunks`` with each link given to the chunk whose display text holds the link's
    text: the first such chunk at or after the previous link's, so links keep the
    article's order. A link whose text a cut split between two chunks goes to the chunk
    where its text starts. Links are never spoken; the chunk only carries them for the
    transcript and the embed."""
    found: list[list[Link]] = [[] for _ in chunks]
    at = 0
    for link in links:
        where = next((i for i in range(at, len(chunks)) if link.text in chunks[i].display), None)
        if where is None:
            first = link.text.split()[0]
            where = next(
                (i for i in range(at, len(chunks)) if chunks[i].display.endswith(first)
                 or f"{first} " in chunks[i].display),
                None,
            )
        if where is not None:
            found[where].append(link)
            at = where
    pairs = zip(chunks, found, strict=True)
    return [replace(c, links=(*c.links, *f)) if f else c for c, f in pairs]
