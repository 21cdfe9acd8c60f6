"""Cut sentences into narration chunks: one chunk is one request to the speech engine.

A chunk never holds more than one sentence, so every engine speaks sentence by sentence
(Kokoro one sentence per run, up to its limit) and each pause between sentences is the
timeline's. A sentence whose spoken form is longer than the engine's ``max_chars`` (code
points, as gTTS counts them) is cut where a Hindi reader breathes: every space between two
words is ranked by :mod:`narrate.text.pauses`, and the cuts are chosen together (a small
dynamic programme) to cost least, counting for each cut its rank and a price of its own
(fewer cuts are better), for each piece how far it is from the limit (balanced pieces rather
than a full one and a crumb), and a piece of fewer than :data:`MIN_WORDS` words as all but
forbidden. Only a single word longer than the limit is cut inside, between grapheme
clusters. The display text of a chunk is the same span as the article wrote it.

Each chunk also carries its display text in caption-sized pieces (:data:`CUE_CHARS`), cut
by the same ranking, with the length of each piece's spoken form: the timeline shares the
clip's time among them (:mod:`narrate.mix.timeline`).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import accumulate, pairwise

from narrate.model import Boundary, Caption, Chunk, ChunkKind, Link
from narrate.text.pauses import FORBIDDEN, Place, places
from narrate.text.sentences import split_graphemes, split_sentences

Speak = Callable[[str], str]

#: A piece of fewer words is a crumb (``है।``, ``हालांकि,``, ``निधन हो गया।``): allowed
#: only when the sentence itself is that short, or nothing else fits.
MIN_WORDS = 4
#: The price of one cut, in the units of :class:`~narrate.text.pauses.Place` costs: a
#: second cut is taken only when it buys a much better place.
CUT_COST = 20
#: The price of a piece's slack, ``BALANCE * (1 - length / limit) ** 2``: of two equally
#: good places, the one that makes even pieces wins.
BALANCE = 40
#: The price of a crumb.
CRUMB_COST = 1_000
#: Captions: at most about this many characters a cue, two lines in a podcast app or
#: a browser's caption box.
CUE_CHARS = 80
#: A caption piece that ends with clause punctuation is followed by a pause in the voice:
#: it counts for this many spoken characters more when the clip's time is shared.
PAUSE_WEIGHT = 3

_SENTENCE_END = "।॥?!.\"'”’)"
_CLAUSE_END = ",;:—–…"


@dataclass(frozen=True)
class _Piece:
    display: str
    spoken: str
    ends: Boundary


def _has_speech(text: str) -> bool:
    return any(ch.isalnum() for ch in text)


def best_cuts(
    marks: Sequence[Place], measure: Callable[[int, int], int], limit: int
) -> list[int]:
    """Where to cut ``n = len(marks)`` words into pieces of at most ``limit`` (by
    ``measure(i, j)``, the length of words ``i`` to ``j - 1``) at the least total cost.

    ``marks[i]`` is the place before word ``i``. Returns the indices of the words that
    start a new piece (never 0). A single word longer than ``limit`` is a piece of its own.
    """
    n = len(marks)
    inf = float("inf")
    best = [0.0] + [inf] * n
    back = [0] * (n + 1)
    for j in range(1, n + 1):
        for i in range(j - 1, -1, -1):
            length = measure(i, j)
            if length > limit and i < j - 1:
                break
            if best[i] == inf:
                continue
            cost = best[i] + BALANCE * (1 - min(length, limit) / limit) ** 2
            if j - i < MIN_WORDS and not (i == 0 and j == n):
                cost += CRUMB_COST
            if i > 0:
                cost += CUT_COST + marks[i].cost
            if cost < best[j]:
                best[j], back[j] = cost, i
    starts = []
    j = n
    while j > 0:
        j = back[j]
        if j:
            starts.append(j)
    return starts[::-1]


def _boundary(mark: Place) -> Boundary:
    """What a cut at ``mark`` is heard as: a place no reader pauses at is a cut between
    words, whatever its grammar."""
    return "word" if mark.cost >= FORBIDDEN else mark.kind


def _pieces(words: list[str], starts: list[int]) -> list[tuple[int, int]]:
    return list(pairwise([0, *starts, len(words)]))


def _exact(words: list[str], say: Speak, last: Speak) -> Callable[[int, int], int]:
    """The spoken length of ``words[i:j]``, remembered (``last`` speaks the final piece)."""
    known: dict[tuple[int, int], int] = {}

    def measure(i: int, j: int) -> int:
        if (i, j) not in known:
            known[i, j] = len((last if j == len(words) else say)(" ".join(words[i:j])))
        return known[i, j]

    return measure


def _sizes(words: list[str], marks: Sequence[Place], say: Speak) -> list[int]:
    """Cumulative spoken lengths (with one space after each word) at each word boundary:
    exact sums at the places a reader may pause, spoken run by run (``₹1 लाख करोड़
    रुपये`` is read as a whole, not word by word); inside a run, shared by written length."""
    sizes = [0]
    start = 0
    for end in range(1, len(words) + 1):
        if end < len(words) and marks[end].cost >= FORBIDDEN:
            continue
        run = words[start:end]
        spoken = len(say(" ".join(run))) + 1
        written = sum(len(w) + 1 for w in run)
        seen = 0
        for word in run:
            seen += len(word) + 1
            sizes.append(sizes[start] + round(spoken * seen / written))
        start = end
    return sizes


def _cut_words(words: list[str], limit: int, say: Speak, last: Speak) -> list[_Piece]:
    """``words`` (none of them longer than ``limit`` spoken) cut into pieces whose spoken
    forms fit ``limit``. ``last`` speaks the piece that ends the sentence.

    The cuts are chosen on an estimate (each run of words that no reader splits, such as a
    number with its unit, spoken alone, one space between), then each piece is spoken whole;
    a piece the estimate got wrong is cut again on its exact length, so the work stays
    proportional to the sentence however long it is."""
    marks = places(words)
    sizes = _sizes(words, marks, say)

    def estimate(i: int, j: int) -> int:
        return sizes[j] - sizes[i] - 1 + (j == len(words))

    out: list[_Piece] = []
    for i, j in _pieces(words, best_cuts(marks, estimate, limit)):
        speak = last if j == len(words) else say
        display = " ".join(words[i:j])
        spoken = speak(display)
        ends = _boundary(marks[j]) if j < len(words) else "sentence"
        if len(spoken) <= limit or j - i == 1:
            out.append(_Piece(display, spoken, ends))
            continue
        sub = words[i:j]
        for a, b in _pieces(sub, best_cuts(marks[i:j], _exact(sub, say, speak), limit)):
            text = " ".join(sub[a:b])
            end = _boundary(marks[i + b]) if b < len(sub) else ends
            out.append(_Piece(text, (speak if b == len(sub) else say)(text), end))
    return out


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
    """Give a heading or title a danda so the engine closes it with a falling tone; a
    title that ends with its own punctuation keeps it."""
    if not spoken or spoken[-1] in _SENTENCE_END or spoken[-1] in _CLAUSE_END:
        return spoken
    return f"{spoken}।"


def cut_sentence(
    sentence: str, *, max_chars: int, speak: Speak, terminate: bool = False
) -> list[_Piece]:
    """``sentence`` as pieces whose spoken forms fit ``max_chars``: the whole sentence
    when it fits, else cut at the best places (see the module docstring). ``terminate``
    ends the sentence's last spoken piece with a danda when it has no punctuation."""
    last: Speak = (lambda s: _terminated(speak(s))) if terminate else speak
    spoken = last(sentence)
    if len(spoken) <= max_chars:
        return [_Piece(sentence, spoken, "sentence")]
    words = sentence.split()
    pieces: list[_Piece] = []
    run: list[str] = []
    for n, word in enumerate(words):
        final = n == len(words) - 1
        if len((last if final else speak)(word)) <= max_chars:
            run.append(word)
            continue
        if run:  # the words before a word too long for one request
            pieces += _cut_words(run, max_chars, speak, speak)
            pieces[-1] = replace(pieces[-1], ends="word")
            run = []
        pieces += _fit_graphemes(word, max_chars, last if final else speak)
    if run:
        pieces += _cut_words(run, max_chars, speak, last)
    return [*pieces[:-1], replace(pieces[-1], ends="sentence")]


def captions(display: str, speak: Speak, limit: int = CUE_CHARS) -> tuple[Caption, ...]:
    """``display`` in caption-sized pieces (at most ``limit`` characters, unless a single
    word is longer), cut at the best places as a chunk is, each with the length of its
    spoken form as its share of the clip; ``()`` when ``display`` fits one cue."""
    if len(display) <= limit:
        return ()
    words = display.split()
    sizes = [0, *accumulate(len(w) + 1 for w in words)]
    starts = best_cuts(places(words), lambda i, j: sizes[j] - sizes[i] - 1, limit)
    pieces = [" ".join(words[i:j]) for i, j in _pieces(words, starts)]
    if len(pieces) == 1:
        return ()
    return tuple(Caption(p, _weight(p, speak)) for p in pieces)


def _weight(text: str, speak: Speak) -> int:
    """How long ``text`` takes to say, in spoken characters (at least 1)."""
    pause = PAUSE_WEIGHT if text.rstrip("\"'”’»)]").endswith(tuple(_CLAUSE_END)) else 0
    return max(1, len(speak(text).replace(" ", "")) + pause)


def chunk_sentences(
    sentences: Sequence[str],
    *,
    max_chars: int,
    speak: Speak,
    kind: ChunkKind = "body",
    terminate: bool = False,
) -> list[Chunk]:
    """Chunks for consecutive sentences of one paragraph (or a title, or a heading).

    Each sentence is a chunk of its own, or several when its spoken form is longer than
    ``max_chars`` (:func:`cut_sentence`). ``terminate`` ends each spoken sentence with a
    danda when it has no end punctuation (titles, headings, dates). The last chunk ends a
    paragraph.
    """
    pieces: list[_Piece] = []
    for sentence in sentences:
        pieces += cut_sentence(sentence, max_chars=max_chars, speak=speak, terminate=terminate)
    pieces = _absorb_silent(pieces)
    if pieces:
        pieces[-1] = replace(pieces[-1], ends="paragraph")
    return [
        Chunk(text=p.spoken, display=p.display, kind=kind, ends=p.ends,
              captions=captions(p.display, speak))
        for p in pieces
    ]


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

