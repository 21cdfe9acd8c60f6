"""Sentence, clause and word splitting on display text."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from narrate.text.sentences import (
    graphemes,
    split_at_conjunctions,
    split_clauses,
    split_graphemes,
    split_phrases,
    split_sentences,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("वह आया। वह गया।", ["वह आया।", "वह गया।"]),
        ("क्या हुआ? कुछ नहीं! ठीक है॥", ["क्या हुआ?", "कुछ नहीं!", "ठीक है॥"]),
        # closing quotes stay with their sentence
        ('उसने कहा, "मैं आऊँगा।" फिर चला गया।', ['उसने कहा, "मैं आऊँगा।"', "फिर चला गया।"]),
        ("उसने पूछा, “कब?” मैंने बताया।", ["उसने पूछा, “कब?”", "मैंने बताया।"]),
        # not after an abbreviation
        ("डॉ. सुनीता वर्मा ने कहा। प्रो. राम आए।", ["डॉ. सुनीता वर्मा ने कहा।", "प्रो. राम आए।"]),
        ("Dr. Sharma and Mr. Rao came. They left.", ["Dr. Sharma and Mr. Rao came.", "They left."]),
        ("दूरी 5 कि.मी. है। आगे चलें।", ["दूरी 5 कि.मी. है।", "आगे चलें।"]),
        # not inside numbers or URLs
        ("दर 3.5 प्रतिशत रही। बाकी स्थिर।", ["दर 3.5 प्रतिशत रही।", "बाकी स्थिर।"]),
        (
            "देखें https://example.com/a?b=1 पर। धन्यवाद।",
            ["देखें https://example.com/a?b=1 पर।", "धन्यवाद।"],
        ),
        ("Visit example.com today. Then rest.", ["Visit example.com today.", "Then rest."]),
        # a sentence that ends in a URL, then a full stop
        ("पढ़ें https://x.gov.in/news. अगली खबर।", ["पढ़ें https://x.gov.in/news.", "अगली खबर।"]),
        # a danda fused to the next word still ends the sentence
        ("वह आया।फिर गया।", ["वह आया।", "फिर गया।"]),
        # a pipe used as a danda
        ("वह आया | फिर गया |", ["वह आया |", "फिर गया |"]),
        # an ellipsis is a pause, not an end
        ("और फिर... वह चला गया।", ["और फिर... वह चला गया।"]),
        # no end punctuation at all
        ("बिना विराम का पाठ", ["बिना विराम का पाठ"]),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_every_word_in_order() -> None:
    text = 'पहला वाक्य। "दूसरा?" तीसरा! डॉ. चौथा 3.5 पाँचवाँ | छठा'
    assert " ".join(split_sentences(text)).split() == text.split()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("धान, मक्का और दालें", ["धान,", "मक्का और दालें"]),
        ("कीमत 1,50,000 रुपये; समय 10:30 बजे", ["कीमत 1,50,000 रुपये;", "समय 10:30 बजे"]),
        ("यह सच है — पर अधूरा", ["यह सच है —", "पर अधूरा"]),
        ("कारण: बारिश", ["कारण:", "बारिश"]),
    ],
)
def test_split_clauses(text: str, expected: list[str]) -> None:
    assert split_clauses(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("वह आया और चला गया", ["वह आया", "और चला गया"]),
        ("उसने कहा कि वह आएगा", ["उसने कहा", "कि वह आएगा"]),
        # words that only begin with a conjunction stay whole
        ("औरत ने तोता देखा", ["औरत ने तोता देखा"]),
        # a conjunction at the start is not a split point
        ("लेकिन वह नहीं आया", ["लेकिन वह नहीं आया"]),
    ],
)
def test_split_at_conjunctions(text: str, expected: list[str]) -> None:
    assert split_at_conjunctions(text) == expected


def test_split_phrases_after_postpositions() -> None:
    text = "मंत्रालय के आँकड़ों के मुताबिक फ़सलों की बुवाई में तेज़ी आई"
    assert split_phrases(text) == [
        "मंत्रालय के आँकड़ों के मुताबिक",
        "फ़सलों की बुवाई में",
        "तेज़ी आई",
    ]


def test_graphemes_keep_conjuncts_and_joiners() -> None:
    assert graphemes("क्षत्रिय") == ["क्ष", "त्रि", "य"]
    # ZWJ and ZWNJ stay inside their cluster
    assert graphemes("क्\u200dष") == ["क्\u200dष"]
    assert graphemes("क्\u200cष") == ["क्\u200cष"]
    assert graphemes("क़िला") == ["क़ि", "ला"]


def test_split_graphemes_never_cuts_a_cluster() -> None:
    word = "क्षत्रियत्वप्रधानस्त्रीशक्ति" * 3
    pieces = split_graphemes(word, 7)
    assert "".join(pieces) == word
    assert all(len(p) <= 7 for p in pieces)
    for left, right in itertools.pairwise(pieces):
        assert not left.endswith("\u094d")
        assert not unicodedata.category(right[0]).startswith("M")
