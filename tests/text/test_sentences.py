"""Sentence splitting on display text, the one notion of a sentence end, graphemes."""

from __future__ import annotations

import itertools
import unicodedata

import pytest

from narrate.text.sentences import (
    ends_sentence,
    graphemes,
    is_abbreviation,
    split_graphemes,
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
        # initials, in Devanagari too, never end a sentence
        (
            "युवा बल्लेबाज वी. नारायणन की पारी अहम रही। के.एल. राहुल ने साथ दिया।",
            ["युवा बल्लेबाज वी. नारायणन की पारी अहम रही।", "के.एल. राहुल ने साथ दिया।"],
        ),
        ("पूर्व कप्तान एम.एस. धोनी आए. फिर गए.", ["पूर्व कप्तान एम.एस. धोनी आए.", "फिर गए."]),
        # abbreviations of a company, of money
        (
            "सनराइज इंफ्राटेक प्रा. लि. के निदेशक आए। टोल 155 रु. और 510 रु. हुआ।",
            ["सनराइज इंफ्राटेक प्रा. लि. के निदेशक आए।", "टोल 155 रु. और 510 रु. हुआ।"],
        ),
        # a full stop for a danda after a verb still ends the sentence (वह आई.)
        ("बारिश आई. लोग खुश हुए.", ["बारिश आई.", "लोग खुश हुए."]),
        # an ellipsis inside a quotation
        (
            'उसने कहा, "मैं टिका रहा... रन आते गए।" फिर वह चला गया।',
            ['उसने कहा, "मैं टिका रहा... रन आते गए।"', "फिर वह चला गया।"],
        ),
        ("", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert split_sentences(text) == expected


def test_split_sentences_keeps_every_word_in_order() -> None:
    text = 'पहला वाक्य। "दूसरा?" तीसरा! डॉ. चौथा 3.5 पाँचवाँ | छठा'
    assert " ".join(split_sentences(text)).split() == text.split()


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("वी.", True), ("के.एल.", True), ("एम.एस.", True), ("डॉ.", True), ("प्रो.", True),
        ("प्रा.", True), ("लि.", True), ("रु.", True), ("कि.मी.", True), ("Dr.", True),
        ("A.", True), ("डब्ल्यू.एच.ओ.", True), ("डॉ.\"", True),
        ("है.", False), ("आई.", False), ("गए.", False), ("वी", False), ("था...", False),
        ("example.com.", False), ("https://x.gov.in/news.", False),
    ],
)
def test_is_abbreviation(word: str, expected: bool) -> None:
    assert is_abbreviation(word) is expected


@pytest.mark.parametrize(
    ("word", "expected"),
    [("रहा।", True), ('गए।"', True), ("क्या?", True), ("है.", True), ("|", True),
     ("वी.", False), ("प्रा.", False), ("था...", False), ("गए,", False), ("और", False)],
)
def test_ends_sentence_is_the_splitters_notion(word: str, expected: bool) -> None:
    assert ends_sentence(word) is expected
    # the splitter agrees: it ends a sentence after the word exactly when the word can
    text = f"पहले शब्द {word} अगला वाक्य"
    assert (len(split_sentences(text)) == 2) is expected


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
