"""The chunker: limits, order, nothing lost, boundaries where a listener expects them."""

from __future__ import annotations

import itertools
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.model import Link
from narrate.text.chunks import (
    CUE_CHARS,
    MIN_WORDS,
    attach_links,
    captions,
    chunk_paragraph,
    chunk_sentences,
    cut_sentence,
)
from narrate.text.normalize import speak
from narrate.text.sentences import ends_sentence, split_sentences

WORDS = [
    "सरकार", "ने", "किसानों", "को", "राहत", "दी", "और", "लेकिन", "कि", "बारिश", "हुई",
    "मौसम", "विभाग", "के", "मुताबिक", "क्षेत्र", "में", "ज़्यादा", "स्त्री", "शक्ति",
    "क़िला", "फ़सल", "प्रधानमंत्री", "उन्होंने", "कहा", "10:30", "1,50,000", "₹4,250",
    "5G", "https://pmfby.gov.in", "डॉ.", "क्\u200dष", "न\u200cहीं", "वी.", "के.एल.", "प्रा.",
    "लि.", "48.3", "ओवर", "जयपुर", "या", "जबकि", "ने", "श्री", "हराकर", "करते", "हुए",
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
def test_a_chunk_holds_at_most_one_sentence(paragraph: str, limit: int) -> None:
    chunks = chunk_paragraph(paragraph, max_chars=limit, speak=identity)
    sentences = split_sentences(paragraph)
    for chunk in chunks:
        if chunk.ends in ("sentence", "paragraph"):
            assert ends_sentence(chunk.display.split()[-1]) or chunk is chunks[-1]
        words = chunk.display.split()
        # a sentence end inside a chunk only where the splitter saw none (a dotted word)
        assert not any(ends_sentence(w) and not w.endswith(".") for w in words[:-1])
    # whenever every sentence fits, every sentence is exactly one chunk
    if all(len(s) <= limit for s in sentences):
        assert [c.display for c in chunks] == sentences


@settings(max_examples=200, deadline=None)
@given(paragraphs(), st.integers(min_value=25, max_value=140))
def test_no_cut_after_an_initial_or_before_a_postposition(paragraph: str, limit: int) -> None:
    """Where the sentence leaves another way, a cut never follows an initial or an
    abbreviation and never puts a postposition at the start of a piece."""
    from narrate.text.pauses import FORBIDDEN, places

    for sentence in split_sentences(paragraph):
        words = sentence.split()
        pieces = cut_sentence(sentence, max_chars=limit, speak=identity)
        marks = places(words)
        at = 0
        for piece in pieces[:-1]:
            at += len(piece.display.split())
            if marks[at].cost >= FORBIDDEN:
                assert piece.ends == "word", "a forced cut is reported as one"


@settings(max_examples=200, deadline=None)
@given(paragraphs())
def test_captions_keep_the_display_in_order_and_fit_a_cue(paragraph: str) -> None:
    for sentence in split_sentences(paragraph):
        pieces = captions(sentence, identity)
        if len(sentence) <= CUE_CHARS:
            assert pieces == ()
            continue
        assert " ".join(p.text for p in pieces).split() == sentence.split()
        assert all(p.weight > 0 for p in pieces)
        assert all(len(p.text) <= CUE_CHARS or len(p.text.split()) == 1 for p in pieces)


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


def test_each_sentence_is_a_chunk_of_its_own() -> None:
    text = "वह आया। वह बैठा। वह गया।"
    chunks = chunk_paragraph(text, max_chars=300, speak=identity)
    assert [c.display for c in chunks] == ["वह आया।", "वह बैठा।", "वह गया।"]
    assert [c.ends for c in chunks] == ["sentence", "sentence", "paragraph"]


def test_long_sentence_splits_at_the_clause_comma() -> None:
    text = (
        "मौसम विभाग ने अगले दो हफ़्तों में मध्य भारत में भारी बारिश का अनुमान जताया है, "
        "इसलिए निचले इलाकों के लोगों को सतर्क रहने की सलाह दी गई है।"
    )
    chunks = chunk_paragraph(text, max_chars=100, speak=identity)
    assert [c.ends for c in chunks] == ["clause", "paragraph"]
    assert chunks[0].display.endswith("है,")


def test_no_clause_punctuation_uses_a_clause_opener() -> None:
    text = (
        "यह एक बहुत लंबा वाक्य है जिसमें कोई विराम चिह्न नहीं है लेकिन फिर भी इसे सही जगह पर "
        "तोड़ना ज़रूरी है क्योंकि आवाज़ को एक बार में केवल सौ अक्षर ही दिए जा सकते हैं।"
    )
    chunks = chunk_paragraph(text, max_chars=100, speak=identity)
    assert len(chunks) == 2
    assert chunks[1].display.startswith(("क्योंकि", "लेकिन"))
    assert chunks[0].ends == "phrase"


#: Long sentences (court, police, sports, business, weather) with every place a reader may
#: pause marked ``¦``, and the limit to cut them to: every cut must be at a mark.
TABLE = [
    ("दिल्ली पुलिस की अपराध शाखा ने¦ बुधवार को¦ राजधानी के तीन इलाकों में¦ छापेमारी करके¦"
     " साइबर ठगी के एक बड़े गिरोह का भंडाफोड़ किया¦ और इसके सरगना समेत सात लोगों को¦"
     " गिरफ्तार कर लिया।", 100),
    ("पुलिस उपायुक्त ने¦ बताया¦ कि आरोपी¦ खुद को बैंक अधिकारी बताकर¦ बुजुर्गों को फोन करते थे¦"
     " और उनके खातों की जानकारी लेकर¦ पैसे निकाल लेते थे।", 100),
    ("हाईकोर्ट ने¦ राज्य सरकार को¦ निर्देश दिया¦ कि वह¦ छह हफ्ते के भीतर¦ सभी जिलों में¦ महिला"
     " थानों की स्थिति पर¦ रिपोर्ट दाखिल करे,¦ क्योंकि कई जिलों में¦ ऐसे थाने¦ केवल कागजों पर चल"
     " रहे हैं।", 100),
    ("मुंबई इंडियंस ने¦ वानखेड़े स्टेडियम में खेले गए रोमांचक मुकाबले में¦ चेन्नई सुपर किंग्स"
     " को¦ आखिरी गेंद पर¦ दो विकेट से हरा दिया।", 100),
    ("कंपनी के प्रबंध निदेशक डॉ. आर.के. मेहता ने¦ कहा¦ कि अगले वित्त वर्ष में¦ कंपनी¦ 1,200"
     " करोड़ रुपये का निवेश करेगी¦ जिससे करीब पांच हजार लोगों को¦ रोजगार मिलेगा।", 100),
    ("गुरुवार सुबह से हो रही लगातार बारिश के कारण¦ शहर के निचले इलाकों में¦ पानी भर गया¦ और"
     " कई सड़कों पर¦ घुटनों तक पानी जमा होने से¦ यातायात घंटों ठप रहा।", 100),
    ("कोलंबो के आर. प्रेमदासा स्टेडियम में¦ भारत ने¦ तीसरे और निर्णायक मुकाबले में¦ श्रीलंका"
     " को¦ छह विकेट से हराकर¦ सीरीज 2-1 से जीत ली,¦ जिसमें युवा बल्लेबाज वी. नारायणन की"
     " नाबाद 112 रनों की पारी¦ सबसे अहम रही।", 100),
    ("भारत मौसम विज्ञान विभाग ने¦ अगले 48 घंटों के दौरान¦ देहरादून,¦ टिहरी,¦ पौड़ी और चमोली"
     " जिलों में¦ 115.6 से 204.4 मिमी तक¦ भारी बारिश की चेतावनी जारी की है,¦ जिसके बाद¦ जिला"
     " प्रशासन ने¦ सभी सरकारी और निजी स्कूलों को¦ दो दिन के लिए बंद रखने का आदेश दिया है।",
     100),
    ("राज्य आपदा प्रबंधन प्राधिकरण की ओर से¦ मंगलवार शाम जारी ताजा रिपोर्ट के मुताबिक¦"
     " ब्रह्मपुत्र और उसकी सहायक नदियों का जलस्तर¦ खतरे के निशान से ऊपर बने रहने के कारण¦"
     " राज्य के 22 जिलों के 1,842 गांवों में¦ करीब 6.8 लाख लोग बाढ़ से प्रभावित हुए हैं,¦"
     " जबकि पिछले चौबीस घंटों में¦ डूबने और भूस्खलन की अलग-अलग घटनाओं में¦ सात लोगों की"
     " मौत हो गई है¦ और धुबरी,¦ बारपेटा तथा मोरीगांव जिलों में¦ हालात सबसे ज्यादा खराब बताए"
     " जा रहे हैं।", 300),
]


@pytest.mark.parametrize(("marked", "limit"), TABLE, ids=[m[:20] for m, _ in TABLE])
def test_long_sentences_are_cut_where_a_reader_pauses(marked: str, limit: int) -> None:
    sentence = marked.replace("¦", "")
    allowed = {i + 1 for i, w in enumerate(marked.split()) if w.endswith("¦")}
    pieces = cut_sentence(sentence, max_chars=limit, speak=identity)
    assert len(pieces) > 1
    assert " ".join(p.display for p in pieces) == sentence
    at = 0
    for piece in pieces[:-1]:
        at += len(piece.display.split())
        assert at in allowed, f"a cut after {piece.display!r}"
        assert piece.ends in ("clause", "phrase")
    for piece in pieces:
        assert len(piece.spoken) <= limit
        assert len(piece.display.split()) >= MIN_WORDS


def test_pieces_are_balanced_not_a_full_one_and_a_crumb() -> None:
    sentence = (
        "सरकार ने किसानों के लिए नई योजना शुरू की है, जिसके तहत हर किसान को सालाना छह हजार"
        " रुपये की सहायता मिलेगी, और इसका पहला किस्त अगले महीने आएगा।"
    )
    pieces = cut_sentence(sentence, max_chars=100, speak=identity)
    lengths = [len(p.spoken) for p in pieces]
    assert len(pieces) == 2 and min(lengths) >= 40, lengths


def test_a_cut_after_punctuation_is_a_clause_and_without_it_a_phrase() -> None:
    sentence = (
        "मुख्य न्यायाधीश की अध्यक्षता वाली पांच जजों की संविधान पीठ ने कहा कि अदालत इस सवाल पर"
        " विचार करेगी कि क्या संसद किसी राज्य को केंद्र शासित प्रदेश में बदल सकती है।"
    )
    pieces = cut_sentence(sentence, max_chars=100, speak=identity)
    assert [p.ends for p in pieces][:-1] == ["phrase"] * (len(pieces) - 1)
    assert pieces[-1].ends == "sentence"


def test_kokoro_sized_chunks_keep_whole_sentences() -> None:
    paragraph = (
        "सुप्रीम कोर्ट ने बुधवार को जम्मू-कश्मीर को राज्य का दर्जा बहाल करने की मांग वाली"
        " याचिकाओं पर सुनवाई करते हुए केंद्र सरकार से चार हफ्ते के भीतर विस्तृत जवाब दाखिल"
        " करने को कहा और मामले की अगली सुनवाई 18 नवंबर 2025 को तय कर दी। अदालत ने कहा कि"
        " वह इस पर विचार करेगी।"
    )
    chunks = chunk_paragraph(paragraph, max_chars=300, speak=speak)
    assert [c.display for c in chunks] == split_sentences(paragraph)


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


def test_a_long_title_keeps_its_own_punctuation() -> None:
    """Only the end of a title gets a danda, and never after its own ``:`` or ``,``."""
    title = (
        "मौसम विभाग की चेतावनी: उत्तराखंड के चार जिलों में अगले दो दिन भारी से बहुत भारी बारिश,"
        " स्कूल बंद"
    )
    chunks = chunk_sentences([title], max_chars=60, speak=identity, kind="title", terminate=True)
    assert len(chunks) > 1
    assert [c.text for c in chunks][-1].endswith("स्कूल बंद।")
    for chunk in chunks[:-1]:
        assert not chunk.text.endswith("।")
        assert chunk.text == chunk.display
    colon = chunk_sentences(["चेतावनी:"], max_chars=60, speak=identity, terminate=True)
    assert colon[0].text == "चेतावनी:"


def test_the_title_and_the_date_are_two_chunks() -> None:
    chunks = chunk_sentences(
        ["मानसून की अच्छी बारिश से किसानों को राहत", "14 अगस्त 2025"],
        max_chars=300, speak=identity, kind="title", terminate=True,
    )
    assert [c.display for c in chunks] == ["मानसून की अच्छी बारिश से किसानों को राहत",
                                          "14 अगस्त 2025"]


def test_a_long_chunk_carries_caption_pieces_that_fit_a_cue() -> None:
    sentence = (
        "भारतीय रिजर्व बैंक की मौद्रिक नीति समिति ने तीन दिन की बैठक के बाद शुक्रवार को रेपो दर"
        " में 0.25 प्रतिशत की कटौती करके इसे 5.75 प्रतिशत कर दिया, जिससे घर, गाड़ी और कारोबार"
        " के लिए लिए गए कर्ज की मासिक किस्तें आने वाले महीनों में कुछ सस्ती हो सकती हैं।"
    )
    (chunk,) = chunk_sentences([sentence], max_chars=400, speak=speak)
    pieces = chunk.captions
    assert len(pieces) >= 3
    assert " ".join(p.text for p in pieces) == sentence
    assert all(len(p.text) <= CUE_CHARS for p in pieces)
    # the spoken length is the share: a piece with numbers takes longer than it looks
    number = next(p for p in pieces if "0.25" in p.text)
    assert number.weight > len(number.text.replace(" ", ""))
    short = chunk_sentences(["वह आया।"], max_chars=400, speak=speak)
    assert short[0].captions == ()


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
