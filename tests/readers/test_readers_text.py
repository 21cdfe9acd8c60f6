"""Plain text: the fused-heading heuristic, title lines, heading lines, dates and layouts."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from narrate.model import Article, Section
from narrate.readers import parse_article
from narrate.readers.text import split_fused_heading

from .support import body_words


def read_txt(text: str) -> Article:
    return parse_article(text.encode("utf-8"), source="t.txt")


# --- split_fused_heading: a table of paragraphs and the split a reader would make ---------

FUSED = [
    pytest.param(
        "बिजली गांवों में पहुंची चौबीस घंटे बिजली बिजली विभाग के अनुसार अब 300 गांवों में"
        " दिन-रात बिजली मिल रही है।",
        ("बिजली", "गांवों में पहुंची चौबीस घंटे बिजली", "बिजली विभाग के अनुसार"),
        id="label-repeats-twice-heading-ends-with-label",
    ),
    pytest.param(
        "रोहित वापसी पर लगाया शानदार अर्धशतक रोहित शर्मा ने चोट से लौटकर 67 रन बनाए और"
        " टीम को जीत दिलाई।",
        ("रोहित", "वापसी पर लगाया शानदार अर्धशतक", "रोहित शर्मा ने चोट"),
        id="label-repeats-body-starts-there",
    ),
    pytest.param(
        "नियम क्या बदले हैं नए नियम? परिवहन विभाग ने हेलमेट न पहनने पर जुर्माना दोगुना कर दिया है।",
        ("नियम", "क्या बदले हैं नए नियम?", "परिवहन विभाग ने"),
        id="label-ends-question-heading",
    ),
    pytest.param(
        "डिजिटल भुगतान किन शहरों में सबसे ज़्यादा हुआ डिजिटल भुगतान डिजिटल भुगतान के मामले में बेंगलुरु सबसे आगे रहा।",
        ("डिजिटल भुगतान", "किन शहरों में सबसे ज़्यादा हुआ डिजिटल भुगतान", "डिजिटल भुगतान के मामले"),
        id="two-word-label-wins-over-one-word",
    ),
    pytest.param(
        "कैसे करें आवेदन? इच्छुक छात्र 30 नवंबर तक विश्वविद्यालय की वेबसाइट पर फॉर्म भर सकते हैं।",
        ("", "कैसे करें आवेदन?", "इच्छुक छात्र 30 नवंबर"),
        id="question-without-label",
    ),
    pytest.param(
        "फीस इस कोर्स की फीस कितनी है? फीस पूरे कोर्स के लिए 12 हज़ार रुपये तय की गई है जो दो"
        " किस्तों में जमा होगी।",
        ("फीस", "इस कोर्स की फीस कितनी है?", "फीस पूरे कोर्स के"),
        id="label-inside-question-and-at-body-start",
    ),
]


FUSED += [
    pytest.param(
        "किसानों की चिंता बढ़ी किसानों का कहना है कि इस बार लागत भी नहीं निकलेगी।",
        ("", "किसानों की चिंता बढ़ी", "किसानों का कहना"),
        id="no-label-subject-bound-to-a-postposition-opens-the-body",
    ),
    pytest.param(
        "सरकार का नया फैसला सरकार ने आज प्रभावित किसानों के लिए मुआवजे की घोषणा की।",
        ("", "सरकार का नया फैसला", "सरकार ने आज"),
        id="no-label-subject-with-ne-opens-the-body",
    ),
]


@pytest.mark.parametrize(("paragraph", "expected"), FUSED)
def test_split_fused_heading(paragraph: str, expected: tuple[str, str, str] | None) -> None:
    found = split_fused_heading(paragraph)
    if expected is None:
        assert found is None
        return
    assert found is not None
    label, heading, body_start = expected
    assert (found.label, found.heading) == (label, heading)
    assert found.body.startswith(body_start)
    assert f"{found.label} {found.heading} {found.body}".split() == paragraph.split()


ORDINARY = [
    "सरकार की योजना से लोगों को लाभ हुआ और सरकार ने कहा कि काम जारी रहेगा।",
    "किसानों की मांग पर किसानों के लिए नई मंडी खोली गई है।",
    "मुंबई में भारी बारिश के बाद मुंबई की लोकल ट्रेनें रुक गईं और लोग घंटों फंसे रहे।",
    "दिल्ली में आज दिल्ली के मुख्यमंत्री ने नई बसों को हरी झंडी दिखाई।",
    "पुलिस के मुताबिक पुलिस ने आरोपी को गिरफ्तार कर लिया है और पूछताछ जारी है।",
    "सरकार ने कहा कि सरकार इस योजना को अगले साल तक सभी ज़िलों में लागू करेगी।",
    "भारत और पाकिस्तान के बीच मैच में भारत ने पहले बल्लेबाज़ी करते हुए 280 रन बनाए।",
    "दिल्ली पुलिस ने बताया कि दिल्ली में पिछले महीने चोरी के मामले कम हुए हैं।",
    "यह योजना किसानों के लिए है यह बात मंत्री ने कई बार दोहराई है और आगे भी दोहराएंगे।",
    "भारत ने ऑस्ट्रेलिया को हराया। भारत की यह लगातार तीसरी जीत है और टीम शीर्ष पर है।",
    "मोदी सरकार की नई योजना से मोदी ने किसानों को राहत देने का वादा किया है।",
    'उन्होंने पूछा, "क्या यह सही है?" और फिर बिना जवाब सुने बैठक से चले गए।',
    "क्या? इतना कहकर वह चुप हो गए और किसी ने कुछ नहीं कहा।",
    "बारिश से फसल को नुकसान हुआ है, किसान परेशान हैं और मुआवज़े की मांग कर रहे हैं।",
    "रेलवे ने नई ट्रेनें चलाईं रेलवे",  # too short to have a body
    "बस सेवा का उद्घाटन मुख्यमंत्री ने किया और पहली बस को हरी झंडी दिखाई।",  # long clause
]


@pytest.mark.parametrize("paragraph", ORDINARY)
def test_ordinary_prose_has_no_fused_heading(paragraph: str) -> None:
    assert split_fused_heading(paragraph) is None


VOCABULARY = (
    "बिजली गांव में पहुंची क्या है कैसे नए नियम? सरकार ने कहा कि यह भी। रोहित शर्मा और"
    " फीस कितनी, पुलिस विभाग के अनुसार स्टेम सेल"
)
HINDI_WORDS = st.sampled_from(VOCABULARY.split())


@given(st.lists(HINDI_WORDS, min_size=0, max_size=30))
def test_a_split_never_loses_or_reorders_a_word(words: list[str]) -> None:
    paragraph = " ".join(words)
    found = split_fused_heading(paragraph)
    if found is not None:
        assert f"{found.label} {found.heading} {found.body}".split() == words
        assert len(found.body.split()) >= 5


# --- whole texts ---------------------------------------------------------------------------

INTRO = (
    "शहर में आज से नई बस सेवा शुरू हो गई है। पहले दिन करीब दस हज़ार लोगों ने इसमें सफ़र किया।"
    " परिवहन निगम ने 40 नई बसें उतारी हैं।"
)
FUSED_1 = (
    "किराया कितना होगा बस का किराया? किराया पांच रुपये से शुरू होगा और सबसे लंबी दूरी के लिए 25 रुपये लगेंगे।"
)
FUSED_2 = "रूट शहर के किन इलाकों से गुज़रेगी बस रूट रूट तय करते समय अस्पतालों और कॉलेजों का ध्यान रखा गया है।"


def test_date_line_fused_with_first_paragraph() -> None:
    article = read_txt(f" date 2025-12-08 {INTRO}\n\n{FUSED_1}\n\n{FUSED_2}\n")
    assert article.date == dt.date(2025, 12, 8)
    assert article.sections[0].paragraphs == (INTRO,)
    assert "date" not in " ".join(body_words(article))
    assert [(s.title, s.heading) for s in article.sections] == [
        ("शहर में आज से नई बस सेवा शुरू हो गई है", False),
        ("कितना होगा बस का किराया?", True),
        ("शहर के किन इलाकों से गुज़रेगी बस रूट", True),
    ]
    assert article.title == "शहर में आज से नई बस सेवा शुरू हो गई है"


@pytest.mark.parametrize(
    ("prefix", "date"),
    [
        ("date 2025-01-31\n\n", dt.date(2025, 1, 31)),
        ("Date: 2025-01-31 ", dt.date(2025, 1, 31)),
        ("दिनांक: 2025-1-5 ", dt.date(2025, 1, 5)),
        (" date 2025-02-30 ", None),  # not a real day: dropped, not an error, still not read
    ],
)
def test_date_line_shapes(prefix: str, date: dt.date | None) -> None:
    article = read_txt(prefix + INTRO)
    assert article.date == date
    assert article.sections[0].paragraphs == (INTRO,)


def test_date_after_title_line() -> None:
    article = read_txt(f"नई बस सेवा शुरू\n\ndate 2025-03-01 {INTRO}")
    assert article.title == "नई बस सेवा शुरू"
    assert article.date == dt.date(2025, 3, 1)
    assert article.sections[0].paragraphs == (INTRO,)


def test_first_short_line_without_sentence_end_is_the_title() -> None:
    article = read_txt(f"शहर में नई बस सेवा\n{INTRO}\n\n{FUSED_1}\n\n{FUSED_2}")
    assert article.title == "शहर में नई बस सेवा"
    assert article.sections[0].paragraphs == (INTRO,)


@pytest.mark.parametrize(
    "first_line",
    [
        "शहर में नई बस सेवा शुरू हुई।",  # ends a sentence
        "नोट: यह खबर अपडेट हो रही है,",  # a lead-in
        "(एजेंसी)",  # a credit
        '"यह पूरी पंक्ति एक उद्धरण है"',  # a quotation from end to end
        "“यह भी एक उद्धरण है”",
    ],
)
def test_first_line_that_is_not_a_title(first_line: str) -> None:
    article = read_txt(f"{first_line}\n\n{INTRO}")
    assert article.sections[0].paragraphs[0] == first_line


@pytest.mark.parametrize(
    "first_line",
    [
        "'डिजिटल अरेस्ट' कर बुजुर्ग से ₹1.2 करोड़ ठगे, 3 गिरफ्तार",
        "“ऑपरेशन सिंदूर” पर संसद में बहस",
        "“हम जीतेंगे” — कप्तान का दावा",
        '"मेक इन इंडिया": दस साल का हिसाब',
    ],
)
def test_a_headline_may_open_with_a_quoted_phrase(first_line: str) -> None:
    article = read_txt(f"{first_line}\n\n{INTRO}")
    assert article.title == first_line
    assert article.sections[0].paragraphs == (INTRO,)


def test_text_without_headings_is_one_untitled_section() -> None:
    paragraphs = [INTRO, "दूसरा पैराग्राफ यहां है और इसमें कोई शीर्षक नहीं है।", "तीसरा पैराग्राफ भी सादा है।"]
    article = read_txt("\n\n".join(paragraphs))
    assert article.sections == (
        Section("शहर में आज से नई बस सेवा शुरू हो गई है", tuple(paragraphs), heading=False),
    )


def test_one_stray_match_in_prose_does_not_make_chapters() -> None:
    """The fused shape needs at least half of the later paragraphs to show it."""
    plain = [
        "दूसरा पैराग्राफ सादा है और इसमें कोई शीर्षक नहीं है।",
        "तीसरा पैराग्राफ भी सादा है।",
        "चौथा पैराग्राफ भी बिल्कुल सादा है।",
    ]
    article = read_txt("\n\n".join([INTRO, FUSED_1, *plain]))
    assert len(article.sections) == 1
    assert article.sections[0].paragraphs[1] == FUSED_1


def test_in_fused_shape_a_paragraph_without_heading_is_its_own_untitled_section() -> None:
    plain = "बस सेवा का उद्घाटन मुख्यमंत्री ने किया और पहली बस को हरी झंडी दिखाई।"
    article = read_txt("\n\n".join([INTRO, FUSED_1, FUSED_2, plain]))
    assert [(s.title, s.heading) for s in article.sections][-1] == (
        "बस सेवा का उद्घाटन मुख्यमंत्री ने किया और पहली बस को हरी झंडी दिखाई",
        False,
    )
    assert article.sections[-1].paragraphs == (plain,)


def test_heading_lines_standing_apart() -> None:
    text = (
        "बस सेवा शुरू\n\n"
        f"{INTRO}\n\n"
        "किराया कितना है\n\n"
        "किराया पांच रुपये से शुरू होगा।\n\n"
        "रूट और समय\n"
        "बसें सुबह छह बजे से रात ग्यारह बजे तक चलेंगी। हर दस मिनट पर एक बस मिलेगी।\n"
    )
    article = read_txt(text)
    assert article.title == "बस सेवा शुरू"
    assert [(s.title, s.heading) for s in article.sections][1:] == [
        ("किराया कितना है", True),
        ("रूट और समय", True),
    ]


def test_two_heading_lines_in_a_row_are_joined() -> None:
    text = f"{INTRO}\n\nकिराया\n\nछात्रों के लिए छूट\n\nछात्रों को आधा किराया देना होगा।"
    article = read_txt(text)
    assert article.sections[-1].title == "किराया: छात्रों के लिए छूट"


def test_hard_wrapped_lines_are_joined() -> None:
    text = (
        "शहर में आज से नई बस सेवा शुरू हो गई है। पहले दिन करीब दस\n"
        "हज़ार लोगों ने इसमें सफ़र किया और परिवहन निगम ने 40 नई\n"
        "बसें उतारी हैं।\n"
    )
    article = read_txt(text)
    assert article.sections[0].paragraphs == (" ".join(text.split()),)


def test_lines_that_end_sentences_are_paragraphs_when_there_is_no_blank_line() -> None:
    lines = ["पहला पैराग्राफ यहां खत्म होता है।", "दूसरा पैराग्राफ भी खत्म होता है।", "तीसरा भी।"]
    article = read_txt("\n".join(lines))
    assert article.sections[0].paragraphs == tuple(lines)


@pytest.mark.parametrize("newline", ["\n", "\r\n", "\r"])
def test_line_endings(newline: str) -> None:
    text = newline.join(["बस सेवा शुरू", "", INTRO, "", FUSED_1, "", FUSED_2])
    article = read_txt(text)
    assert article.title == "बस सेवा शुरू"
    assert len(article.sections) == 3


def test_nfc_and_whitespace() -> None:
    """U+095E (फ़ in one code point) is not NFC: it becomes फ + nukta, like typed text."""
    article = read_txt("किसानों की \u095eसल\u00a0अच्छी   हुई है।\tबारिश समय पर हुई।")
    paragraph = article.sections[0].paragraphs[0]
    assert paragraph == "किसानों की \u092b\u093cसल अच्छी हुई है। बारिश समय पर हुई।"


@pytest.mark.parametrize(
    ("opening", "expected"),
    [
        ("नई दिल्ली, 14/02/2026: भारतीय टीम ने मैच जीता।", dt.date(2026, 2, 14)),
        ("पटना, 3 मार्च 2026 — बारिश से राहत मिली।", dt.date(2026, 3, 3)),
        ("मुंबई, 2026-01-05: बाज़ार ऊपर बंद हुआ।", dt.date(2026, 1, 5)),
        ("नई दिल्ली | 23 जनवरी 2025। फोन लॉन्च हुआ।", dt.date(2025, 1, 23)),
        ("खबर | संपादकीय टिप्पणी आज नहीं।", None),
        ("जयपुर, 31/02/2026: गलत तारीख़ है।", None),
        ("उसने कहा, 14 लोग आए।", None),
    ],
)
def test_dateline_gives_the_date_and_stays_in_the_text(opening: str, expected: object) -> None:
    article = parse_article(f"{opening} दूसरा वाक्य भी है।\n".encode(), source="a.txt")
    assert article.date == expected
    assert article.sections[0].paragraphs[0].startswith(opening.split(",")[0])
