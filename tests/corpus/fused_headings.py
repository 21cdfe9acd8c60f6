"""Can a heading with no label be found where a site ran it into its paragraph? The corpus
judges (issue 21b): ``python -m tests.corpus.fused_headings`` scores each candidate rule.

* Positives: every real heading of the corpus, run into the first paragraph of its own
  section as a site's copy-paste does ("यातायात पर असर भारी बारिश के कारण …"); the
  boundary is known. Only those the label rules cannot see (no word of the heading opens
  the body again, no "?") are the open case.
* Negatives: every paragraph of the corpus as it is (an introduction, a paragraph under
  its heading, one after it): ordinary prose, where any split invents a heading.

A rule is worth having when it finds most open positives at the right word and splits
(almost) no negative; inside an article already trusted to have fused headings (half its
paragraphs show one), a wrong boundary still moves words between heading and body.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from narrate.readers import read_article
from narrate.readers.text import (
    ADVERBIAL_ENDS,
    AUXILIARIES,
    CONNECTIVES,
    HEADING_MAX_WEAK_WORDS,
    PARTICLES,
    POSTPOSITIONS,
    PREFIX_BREAKERS,
    QUESTION_WORDS,
    VERB_FORMS,
    _bare,
    split_fused_heading,
)
from tests.corpus.measure import ARTICLES, golden

#: A paragraph shorter than this after the heading is not looked at.
MIN_BODY_WORDS = 5

Rule = Callable[[list[str]], "int | None"]


@dataclass(frozen=True)
class Case:
    article: str
    words: tuple[str, ...]
    boundary: int | None  # where the body starts; None for ordinary prose


def cases() -> list[Case]:
    found: list[Case] = []
    for path in sorted(p for p in ARTICLES.iterdir() if p.is_file()):
        if "error" in golden(path):
            continue
        article = read_article(str(path))
        for section in article.sections:
            paragraphs = [p for p in section.paragraphs if len(p.split()) > MIN_BODY_WORDS]
            plain = not any(ch in PREFIX_BREAKERS for ch in section.title)  # not "9:30 AM — …"
            if section.heading and section.paragraphs and plain:
                heading = section.title.split()
                fused = heading + section.paragraphs[0].split()
                found.append(Case(path.name, tuple(fused), len(heading)))
            found += [Case(path.name, tuple(p.split()), None) for p in paragraphs]
    return found


def is_open(case: Case) -> bool:
    """A positive the label rules cannot see: nothing of the heading repeats where the
    body starts, and it does not ask."""
    assert case.boundary is not None
    heading, body = case.words[: case.boundary], case.words[case.boundary :]
    repeats = any(_bare(w) == _bare(body[0]) for w in heading[:2])
    return not repeats and not heading[-1].endswith("?")


def _plausible(words: list[str], k: int) -> bool:
    """Filters every candidate shares: a heading of 2–7 words with no punctuation that
    does not end on a postposition, connective or adverbial; a body that does not open
    with a postposition, particle, auxiliary or verb form."""
    heading, body = words[:k], words[k:]
    if not 2 <= k <= HEADING_MAX_WEAK_WORDS or len(body) < MIN_BODY_WORDS:
        return False
    if any(ch in PREFIX_BREAKERS or ch == "?" for ch in " ".join(heading)):
        return False
    last, first = _bare(heading[-1]), _bare(body[0])
    closed = POSTPOSITIONS | CONNECTIVES | ADVERBIAL_ENDS
    opener = POSTPOSITIONS | PARTICLES | AUXILIARIES | VERB_FORMS
    return last not in closed and first not in opener and _bare(heading[0]) not in opener


def current(words: list[str]) -> int | None:
    """The rules narrate has (label repeated, a question)."""
    fused = split_fused_heading(" ".join(words))
    return None if fused is None else len(words) - len(fused.body.split())


def shortest(words: list[str]) -> int | None:
    """The shortest plausible heading."""
    return next((k for k in range(2, len(words)) if _plausible(words, k)), None)


def longest(words: list[str]) -> int | None:
    """The longest plausible heading."""
    return next((k for k in range(len(words) - 1, 1, -1) if _plausible(words, k)), None)


def verbless(words: list[str]) -> int | None:
    """The shortest plausible heading before the first sentence's verb group, when the
    sentence has one (a heading is a phrase; the body's first sentence ends in a verb)."""
    end = next((i for i, w in enumerate(words) if w.endswith(("।", "?", "!"))), len(words) - 1)
    if _bare(words[end]) not in AUXILIARIES | VERB_FORMS:
        return None
    return shortest(words[: end + 1] + ["."] * MIN_BODY_WORDS)


def _asks(words: list[str]) -> bool:
    return any(_bare(w) in QUESTION_WORDS for w in words[:2])


def asks_shortest(words: list[str]) -> int | None:
    """Only a paragraph opening with a question word (prose rarely does): the shortest."""
    return shortest(words) if _asks(words) else None


def asks_longest(words: list[str]) -> int | None:
    """Only a paragraph opening with a question word: the longest."""
    return longest(words) if _asks(words) else None


RULES: dict[str, Rule] = {
    "current": current,
    "shortest": shortest,
    "longest": longest,
    "verbless": verbless,
    "asks-short": asks_shortest,
    "asks-long": asks_longest,
}


def score(rule: Rule, all_cases: list[Case]) -> dict[str, int]:
    counts = dict.fromkeys(
        ("open right", "open wrong", "open missed", "seen right", "seen wrong", "seen missed",
         "prose split", "prose kept"), 0,
    )  # fmt: skip
    for case in all_cases:
        got = rule(list(case.words))
        if case.boundary is None:
            counts["prose split" if got is not None else "prose kept"] += 1
            continue
        kind = "open" if is_open(case) else "seen"
        outcome = "missed" if got is None else "right" if got == case.boundary else "wrong"
        counts[f"{kind} {outcome}"] += 1
    return counts


def main() -> int:
    all_cases = cases()
    positives = [c for c in all_cases if c.boundary is not None]
    print(f"{len(positives)} headings ({sum(map(is_open, positives))} open),"
          f" {len(all_cases) - len(positives)} paragraphs of prose")
    for name, rule in RULES.items():
        counts = score(rule, all_cases)
        print(f"{name:10} " + "  ".join(f"{k} {v}" for k, v in counts.items()))
    if "-v" in sys.argv:
        for case in positives:
            if case.boundary is not None and is_open(case):
                said = {name: rule(list(case.words)) for name, rule in RULES.items()}
                print(f"  {Path(case.article).stem}: {' '.join(case.words[: case.boundary])!r}"
                      f" | {' '.join(case.words[case.boundary : case.boundary + 3])} … {said}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
