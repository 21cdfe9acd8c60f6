"""Every article of both corpora, chunked for Google (100 characters) and for Kokoro (whole
sentences up to the model's limit), judged by a listener's rules (:mod:`phrasing_judge`):
no cut after an initial or an abbreviation, no crumb, no word torn from its postposition,
no number from its unit, no two words joined by और/या cut apart; and on the hand-marked
long-sentence prose, cuts only where a newsreader may pause."""

from __future__ import annotations

import pytest

from narrate.engines.registry import engine_spec
from tests.corpus import phrasing_judge as judge

ENGINE_NAMES = ("gtts", "kokoro")
#: Cuts on the hand-marked prose that fall where no pause is marked, for want of a better
#: place within the limit (a 90-character noun phrase, a predicate of one word): counted
#: here so that a change that adds any fails.
UNMARKED_AT_MOST = {"gtts": 7, "kokoro": 0}


@pytest.fixture(scope="module", params=ENGINE_NAMES)
def judged(request: pytest.FixtureRequest) -> tuple[str, dict[str, object]]:
    name: str = request.param
    return name, judge.judge(name)


def test_the_phrasing_corpus_is_long_sentence_news() -> None:
    articles = sorted(judge.PHRASING.glob("*.txt"))
    assert len(articles) >= 8
    long = 0
    for path in articles:
        text, marks = judge.marked_article(path)
        assert any(marks), f"{path.name} has no marked pause"
        long += sum(150 <= len(s) <= 450 for s in text.split("।"))
    assert long >= 30


def test_no_listener_fault_in_either_corpus(judged: tuple[str, dict[str, object]]) -> None:
    name, result = judged
    examples = result["examples"]
    assert isinstance(examples, list)
    faults = [(cut.faults, cut.before[-30:], cut.after[:30]) for cut in examples
              if set(cut.faults) - {"unmarked"}]
    assert faults == [], name


def test_cuts_fall_where_a_newsreader_pauses(judged: tuple[str, dict[str, object]]) -> None:
    name, result = judged
    faults = result["faults"]
    assert isinstance(faults, dict)
    cuts = result["cuts"]
    assert isinstance(cuts, int) and cuts > 0  # the corpus does make the chunker cut
    assert faults.get("unmarked", 0) <= UNMARKED_AT_MOST[name], result["examples"]


def test_kokoro_speaks_one_chunk_per_sentence_up_to_its_limit() -> None:
    """Every sentence of both corpora is one Kokoro chunk, unless its spoken form is longer
    than Kokoro's limit; then it is cut into as few pieces as fit."""
    from narrate.text.normalize import speak
    from narrate.text.sentences import split_sentences

    limit = engine_spec("kokoro").max_chars
    sentences = chunks = 0
    for _, script, _ in judge.corpus_scripts("kokoro"):
        for paragraph in judge.paragraphs_of(script):
            for sentence in split_sentences(" ".join(paragraph)):
                pieces = [c for c in paragraph if c in sentence]
                spoken = len(speak(sentence))
                assert len(pieces) == (1 if spoken <= limit else -(-spoken // limit)), sentence
                sentences += 1
                chunks += len(pieces)
    assert sentences > 200 and chunks - sentences >= 3  # the corpus has sentences to cut
