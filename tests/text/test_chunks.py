"""The chunker: limits, order, nothing lost, boundaries where a listener expects them."""

from __future__ import annotations

import itertools
import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.model import Link
from narrate.text.chunks import attach_links, chunk_paragraph, chunk_sentences
from narrate.text.sentences import split_sentences

WORDS = [
    "सरकार", "ने", "किसानों", "को", "राहत", "दी", "और", "लेकिन", "कि", "बारिश", "हुई",
    "मौसम", "विभाग", "के", "मुताबिक", "क्षेत्र", "में", "ज़्यादा", "स्त्री", "शक्ति",
    "क़िला", "फ़सल", "प्रधानमंत्री", "उन्होंने", "कहा", "10:30", "1,50,000", "₹4,250",
    "5G", "https://pmfby.gov.in", "डॉ.", "क्\u200dष", "न\u200cहीं",
]
PUNCT = ["", "", "", "", ",", "।", "?", "!", ";", " —"]


def identity(text: str) -> str:
    return text


@st.composite
def paragraphs(draw: st.DrawFn) -> str:
    tokens = draw(
        st.lists(
            st.tuples(st.sampled_from(WORDS), st.sampled_from(PUNCT)), min_size=1, max_size=80
        )
    )
    return " ".join(w + p for w, p in tokens)


def _starts_inside_cluster(text: str) -> bool:
    first = text[:1]
    return bool(first) and (unicodedata.category(first).startswith("M") or first in "\u200c\u200d")


@settings(max_examples=300, deadline=None)
@given(paragraphs(), st.integers(min_value=25, max_value=140))
def test_chunks_within_limit_in_order_nothing_lost(paragraph: str, limit: int) -> None:
    chunks = chunk_paragraph(paragraph, max_chars=limit, speak=identity)
    assert chunks, "a paragraph with words gives at least one chunk"
    for chunk in chunks:
        assert 0 < len(chunk.text) <= limit
        assert any(ch.isalnum() for ch in chunk.text), "no punctuation-only chunk"
        assert not _starts_inside_cluster(chunk.display)
    # nothing lost or reordered, and no word cut (every word here is shorter than the limit)
    assert " ".join(c.display for c in chunks).split() == paragraph.split()
    assert chunks[-1].ends == "paragraph"


@settings(max_examples=200, deadline=None)
@given(paragraphs(), st.integers(min_value=25, max_value=140))
def test_boundaries_are_sentence_ends_when_sentences_fit(paragraph: str, limit: int) -> None:
    chunks = chunk_paragraph(paragraph, max_chars=limit, speak=identity)
    sentence_ends = {s.split()[-1] for s in split_sentences(paragraph)}
    for chunk in chunks:
        if chunk.ends in ("sentence", "paragraph"):
            assert chunk.display.split()[-1] in sentence_ends
    # whenever every sentence fits, every chunk ends at a sentence end
    if all(len(s) <= limit for s in split_sentences(paragraph)):
        assert all(c.ends in ("sentence", "paragraph") for c in chunks)


@settings(max_examples=100, deadline=None)
@given(st.text(alphabet="कखगक्षत्रि\u094d\u093f\u0940\u200d\u200c\u093c", min_size=1, max_size=400))
def test_a_word_longer_than_the_limit_is_cut_between_grapheme_clusters(word: str) -> None:
    word = "क" + word  # a word must not start with a combining mark
    chunks = chunk_paragraph(word, max_chars=30, speak=identity)
    assert "".join(c.display for c in chunks) == word
    for chunk in chunks:
        assert len(chunk.text) <= 30
    for left, right in itertools.pairwise(chunks):
        assert not left.display.endswith(("\u094d", "\u200d", "\u200c"))
        assert not _starts_inside_cluster(right.display)


def test_whole_sentences_are_packed_together() -> None:
    text = "वह आया। वह बैठा। वह गया।"
    chunks = chunk_paragraph(text, max_chars=100, speak=identity)
    assert [c.display for c in chunks] == [text]


def test_long_sentence_splits_at_clause_then_conjunction() -> None:
    text = (
        "मौसम विभाग ने अगले दो हफ़्तों में मध्य भारत में भारी बारिश का अनुमान जताया है, "
        "इसलिए निचले इलाकों के लोगों को सतर्क रहने की सलाह दी गई है।"
    )
    chunks = chunk_paragraph(text, max_chars=100, speak=identity)
    assert [c.ends for c in chunks] == ["clause", "paragraph"]
    assert chunks[0].display.endswith("है,")


def test_no_clause_punctuation_uses_conjunction() -> None:
    text = (
        "यह एक बहुत लंबा वाक्य है जिसमें कोई विराम चिह्न नहीं है लेकिन फिर भी इसे सही जगह पर "
        "तोड़ना ज़रूरी है क्योंकि आवाज़ को एक बार में केवल सौ अक्षर ही दिए जा सकते हैं।"
    )
    chunks = chunk_paragraph(text, max_chars=100, speak=identity)
    assert len(chunks) == 2
    assert chunks[1].display.startswith("क्योंकि")
    assert chunks[0].ends == "clause"


def test_limit_applies_to_the_spoken_form() -> None:
    def expand(text: str) -> str:
        return text.replace("5", "पाँच सौ पचपन")

    text = "कुल 5 लोग आए। फिर 5 और आए। अंत में 5 गए।"
    chunks = chunk_paragraph(text, max_chars=30, speak=expand)
    assert all(len(c.text) <= 30 for c in chunks)
    assert all("पाँच सौ पचपन" in c.text for c in chunks)
    assert " ".join(c.display for c in chunks) == text


def test_punctuation_only_pieces_join_a_neighbour() -> None:
    def drop_dash(text: str) -> str:
        return text.replace("—", "").strip()

    chunks = chunk_sentences(["वह आया।", "—", "वह गया।"], max_chars=9, speak=drop_dash)
    assert [c.text for c in chunks] == ["वह आया।", "वह गया।"]
    assert " ".join(c.display for c in chunks).split() == ["वह", "आया।", "—", "वह", "गया।"]


def test_titles_and_headings_get_a_danda_in_speech_only() -> None:
    chunks = chunk_sentences(
        ["बुवाई का रकबा बढ़ा"], max_chars=100, speak=identity, kind="heading", terminate=True
    )
    assert chunks[0].text == "बुवाई का रकबा बढ़ा।"
    assert chunks[0].display == "बुवाई का रकबा बढ़ा"
    assert chunks[0].kind == "heading"


def test_each_link_goes_to_the_chunk_that_shows_its_text() -> None:
    paragraph = (
        "सरकार ने आज नई नीति की घोषणा की। नीति का पूरा पाठ मंत्रालय की वेबसाइट पर है।"
        " विपक्ष ने इसकी आलोचना की और संसद में बहस की मांग की।"
    )
    chunks = chunk_paragraph(paragraph, max_chars=60, speak=lambda s: s)
    assert len(chunks) >= 3
    links = [Link("नीति का पूरा पाठ", "https://example.org/n"), Link("संसद", "https://x.org")]
    linked = attach_links(chunks, links)
    assert [c.display for c in linked] == [c.display for c in chunks]
    carried = [(c.display, link) for c in linked for link in c.links]
    assert [link for _, link in carried] == links
    assert all(link.text in display for display, link in carried)
    assert all(link.href not in c.text for c in linked for link in links)
