"""HTML pages: only the article, in order, with its title, date, author and headings."""

from __future__ import annotations

import datetime as dt

import pytest
import trafilatura

from narrate.errors import ArticleError
from narrate.model import Article, Link
from narrate.readers import parse_article, read_article

from .support import FIXTURES, body_words, spoken_words

P1 = "नगर निगम ने शहर की सभी सड़कों की मरम्मत का काम शुरू कर दिया है। पहले चरण में 120 सड़कें ठीक होंगी।"
P2 = "निगम आयुक्त ने बताया कि काम दिसंबर तक पूरा हो जाएगा और इसके लिए 85 करोड़ रुपये मंज़ूर हुए हैं।"
P3 = "ठेकेदारों को हर सड़क की दस साल की गारंटी देनी होगी। खराब काम पर जुर्माना लगेगा।"


def read_html(page: str, source: str = "page.html") -> Article:
    return parse_article(page.encode("utf-8"), source=source)


def page(body: str, head: str = "") -> str:
    head = f"<meta charset='utf-8'>{head}"
    return f"<!doctype html><html lang='hi'><head>{head}</head><body>{body}</body></html>"


def text_of(article: Article) -> str:
    return " ".join(spoken_words(article))


# --- the cricket page: every kind of chrome around a real story --------------------------

CRICKET_JUNK = [
    "कुकीज़",  # cookie banner
    "होम",  # navigation
    "मनोरंजन",
    "फेसबुक",  # share bar
    "ट्वीट करें",
    "जश्न",  # figure caption and alt text
    "विज्ञापन",  # ad label
    "googletag",  # script
    "dataLayer",
    "यह भी पढ़ें",  # read-also box and line
    "पांच बड़े कारण",
    "रणजी ट्रॉफी",
    "Gill",  # embedded tweet
    "सब्सक्राइब",  # newsletter box
    "टैग",  # tags
    "सबसे ज़्यादा पढ़ी गई",  # sidebar
    "सोने के दाम",
    "सर्वाधिकार",  # footer
    "गोपनीयता",
    "टिप्पणियां",  # comments
    "बधाई",
    "लोड हो गया",  # inline script
    "लेखक:",  # byline
]


@pytest.fixture(scope="module")
def cricket() -> Article:
    return read_article(str(FIXTURES / "cricket-page.html"))


@pytest.mark.parametrize("junk", CRICKET_JUNK)
def test_cricket_page_has_no_chrome(cricket: Article, junk: str) -> None:
    assert junk not in text_of(cricket)


def test_cricket_page_keeps_every_body_paragraph_in_order(cricket: Article) -> None:
    starts = [
        "भारतीय क्रिकेट टीम ने चेन्नई",
        "दूसरी पारी में शुभमन गिल",
        "कप्तान ने भी गिल की तारीफ़",
        "पहली पारी में जसप्रीत बुमराह",
        "इस मैच में अश्विन",
        "क्यूरेटर के मुताबिक",
        "पहले दिन तेज़ गेंदबाज़ों",
        "तीसरे दिन से गेंद",
        '"ऐसी पिच पर धैर्य',
        "सीरीज़ का तीसरा टेस्ट",
    ]
    paragraphs = [p for s in cricket.sections for p in s.paragraphs]
    assert len(paragraphs) == len(starts)
    for paragraph, start in zip(paragraphs, starts, strict=True):
        assert paragraph.startswith(start)


def test_cricket_page_metadata_and_headings(cricket: Article) -> None:
    assert cricket.title == "भारत ने दूसरा टेस्ट जीता, सीरीज़ बराबर"
    assert cricket.date == dt.date(2025, 11, 23)
    assert cricket.author == "अनिल शर्मा"
    assert [(s.title, s.heading) for s in cricket.sections] == [
        ("भारत ने दूसरा टेस्ट जीता, सीरीज़ बराबर", False),  # the opening chapter is the title
        ("गिल का शानदार शतक", True),
        ("गेंदबाज़ों ने रखी जीत की नींव", True),
        ("अश्विन का नया रिकॉर्ड", True),  # an <h3> is a chapter too
        ("पिच रिपोर्ट", True),  # <p><strong>…</strong></p> is a sub-heading
        ("आगे क्या?", True),
    ]


# --- smaller pages, one rule each -----------------------------------------------------------


def test_div_and_br_page_uses_the_lxml_rules_and_finds_bold_headings() -> None:
    article = read_article(str(FIXTURES / "old-portal-div-br.html"))
    assert [(s.title, s.heading) for s in article.sections][1:] == [
        ("राहत शिविरों में हज़ारों लोग", True),
        ("काज़ीरंगा में भी पानी", True),
    ]
    assert "सर्वाधिकार" not in text_of(article) and "मुखपृष्ठ" not in text_of(article)
    assert article.date == dt.date(2025, 7, 2)
    assert article.author == "प्रदीप बरुआ"


def test_read_also_heading_and_its_list_are_dropped() -> None:
    article = read_article(str(FIXTURES / "science-jsonld-h3.html"))
    text = text_of(article)
    for junk in ("गगनयान", "आदित्य", "यह भी पढ़ें", "विज्ञापन", "लपटें", "कुकीज़", "IST", "शेयर"):
        assert junk not in text
    assert body_words(article)[-1] == "हैं।"


def test_title_from_h1_then_og_title_then_title_tag() -> None:
    body = f"<p>{P1}</p>"
    og = "<meta property='og:title' content='ओजी शीर्षक'><title>पेज | साइट</title>"
    assert read_html(page(f"<h1>मुख्य शीर्षक</h1>{body}", og)).title == "मुख्य शीर्षक"
    assert read_html(page(body, og)).title == "ओजी शीर्षक"
    assert read_html(page(body, "<title>पेज का शीर्षक | साइट का नाम</title>")).title == (
        "पेज का शीर्षक"
    )
    assert read_html(page(body)).title == (
        "नगर निगम ने शहर की सभी सड़कों की मरम्मत का काम शुरू कर दिया है"
    )


@pytest.mark.parametrize(
    "inside",
    [
        "<script>alert('बारह')</script>",
        "<style>h1::after { content: 'बारह' }</style>",
        "<template><b>बारह</b></template>",
        "<noscript>बारह</noscript>",
    ],
)
def test_what_a_browser_does_not_show_in_the_h1_is_not_spoken(inside: str) -> None:
    """A script (or a style, template or noscript) inside the title's ``<h1>`` is code, not
    words: the title is what the page shows, the text after the script included."""
    article = read_html(page(f"<article><h1>मुख्य {inside}शीर्षक</h1><p>{P1}</p></article>"))
    assert article.title == "मुख्य शीर्षक"
    assert "बारह" not in text_of(article)


@pytest.mark.parametrize(
    ("head", "body", "date"),
    [
        (
            "<meta property='article:published_time' content='2025-05-01T23:30:00+05:30'>",
            "",
            dt.date(2025, 5, 1),
        ),
        ("", "<time datetime='2025-05-02'>2 मई</time>", dt.date(2025, 5, 2)),
        (
            "<meta property='article:published_time' content='2025-05-01'>",
            "<time datetime='2025-05-02'>x</time>",
            dt.date(2025, 5, 1),
        ),
        (
            "<meta property='article:published_time' content='कल'>",
            "<time datetime='2025-05-02'>x</time>",
            dt.date(2025, 5, 2),
        ),
        ("", "<time datetime='बेकार'>x</time>", None),
        ("", "", None),
    ],
)
def test_date(head: str, body: str, date: dt.date | None) -> None:
    article = read_html(page(f"<article><h1>शीर्षक</h1>{body}<p>{P1}</p></article>", head))
    assert article.date == date


def test_headings_sections_and_intro() -> None:
    article = read_html(
        page(
            f"<article><h1>शीर्षक</h1><p>{P1}</p><h2>खर्च</h2><p>{P2}</p><h3>गारंटी</h3><p>{P3}</p></article>"
        )
    )
    assert [(s.title, s.heading, s.paragraphs) for s in article.sections] == [
        ("शीर्षक", False, (P1,)),
        ("खर्च", True, (P2,)),
        ("गारंटी", True, (P3,)),
    ]


def test_kicker_before_the_title_is_dropped_but_a_sentence_is_kept() -> None:
    article = read_html(
        page(f"<main><div>शहर</div><p>{P3}</p><h1>शीर्षक</h1><p>{P1}</p><p>{P2}</p></main>")
    )
    assert body_words(article)[0] == P3.split()[0]
    assert "शहर" not in [w for s in article.sections for w in s.title.split()][:1]
    assert [p for s in article.sections for p in s.paragraphs] == [P3, P1, P2]


def test_a_wrapper_with_a_junk_class_around_the_whole_story_is_kept() -> None:
    story = "".join(f"<p>{p}</p>" for p in (P1, P2, P3))
    article = read_html(page(f"<nav>होम देश</nav><div class='story with-share-bar'>{story}</div>"))
    assert [p for s in article.sections for p in s.paragraphs] == [P1, P2, P3]


def test_xml_declaration_and_xhtml_namespace() -> None:
    text = (
        "<?xml version='1.0' encoding='utf-8'?>\n<html xmlns='http://www.w3.org/1999/xhtml'>"
        f"<body><h1>शीर्षक</h1><p>{P1}</p></body></html>"
    )
    assert read_html(text).sections[0].paragraphs == (P1,)


def test_trafilatura_failure_falls_back_to_the_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: object, **kwargs: object) -> str:
        raise RuntimeError("boom")

    monkeypatch.setattr(trafilatura, "extract", broken)
    article = read_article(str(FIXTURES / "cricket-page.html"))
    assert [s.title for s in article.sections][1:] == [
        "गिल का शानदार शतक",
        "गेंदबाज़ों ने रखी जीत की नींव",
        "अश्विन का नया रिकॉर्ड",
        "पिच रिपोर्ट",
        "आगे क्या?",
    ]
    for junk in CRICKET_JUNK:
        assert junk not in text_of(article)


@pytest.mark.parametrize(
    "body",
    [
        "<nav><a href='/'>होम</a> <a href='/desh'>देश</a></nav><footer>सर्वाधिकार सुरक्षित।</footer>",
        "<script>document.write('कुछ नहीं')</script>",
        "<h1>केवल शीर्षक</h1>",
        "",
    ],
)
def test_page_without_article_text_is_nothing_to_narrate(body: str) -> None:
    with pytest.raises(ArticleError) as e:
        read_html(page(body))
    assert e.value.source == "page.html"
    assert "no article text found" in e.value.reason


def test_english_page_is_no_hindi_text() -> None:
    with pytest.raises(ArticleError, match="no Hindi text"):
        read_html(page("<article><h1>Title</h1><p>Only English text in this story.</p></article>"))


@pytest.mark.parametrize(
    ("paragraph", "kept"),
    [
        ("यह भी पढ़ें: बजट में किसानों के लिए क्या", False),
        ("» Also read: budget news", False),
        ("और पढ़ेंगे तो पता चलेगा कि योजना कितनी बड़ी है।", True),  # a word, not the marker
        ("विज्ञापन", False),
        ("विज्ञापन पर सरकार ने 20 करोड़ रुपये खर्च किए।", True),
    ],
)
def test_chrome_lines_inside_the_story(paragraph: str, kept: bool) -> None:
    article = read_html(page(f"<article><h1>शीर्षक</h1><p>{P1}</p><p>{paragraph}</p></article>"))
    assert (paragraph in article.sections[0].paragraphs) is kept


def test_html_nested_beyond_the_parser_limit_is_an_error() -> None:
    deep = "<div>" * 300 + f"<p>{P1}</p>" + "</div>" * 300
    with pytest.raises(ArticleError, match="nested too deeply"):
        read_html(page(deep))


def test_logo_h1_in_the_site_header_is_not_the_title() -> None:
    body = (
        f"<header><h1 class='logo'>नरेट न्यूज़</h1></header><div><h1>असली शीर्षक</h1><p>{P1}</p></div>"
    )
    article = read_html(page(body))
    assert article.title == "असली शीर्षक"
    assert "नरेट" not in text_of(article)


def test_links_of_the_story_keep_their_address_and_never_javascript() -> None:
    article = read_html(
        page(
            "<article><h1>शीर्षक</h1>"
            f"<p>{P1} <a href='https://example.org/sadak'>सड़कों की सूची</a> देखें।</p>"
            "<p>नई योजना <a href='javascript:void(0)'>यहां</a> है और"
            " <a href='HTTPS://example.org/b'>दूसरी योजना</a> भी।</p></article>"
            "<nav><a href='https://example.org/home'>होम</a></nav>"
        )
    )
    links = [link for s in article.sections for link in s.links]
    assert links == [
        Link("सड़कों की सूची", "https://example.org/sadak"),
        Link("दूसरी योजना", "HTTPS://example.org/b"),
    ]


BYLINE_BODY = (
    "<p>प्रधानमंत्री किसान सम्मान निधि योजना की नई किस्त सोमवार को जारी की गई और किसानों के "
    "खातों में पैसा भेजा गया।</p><p>कृषि मंत्री ने बताया कि अगली किस्त अप्रैल में आएगी।</p>"
)


@pytest.mark.parametrize(
    ("head", "byline", "date"),
    [
        ("", '<p class="byline">नई दिल्ली | 2 दिसंबर 2026</p>', dt.date(2026, 12, 2)),
        ("", '<div id="post-date">प्रकाशित: 02/12/2026, 10:30 IST</div>', dt.date(2026, 12, 2)),
        ("", '<span class="dateline">मुंबई, 2026-12-02</span>', dt.date(2026, 12, 2)),
        # metadata wins over a byline's text
        ('<meta property="article:published_time" content="2026-11-30T09:00:00+05:30">',
         '<p class="byline">नई दिल्ली | 2 दिसंबर 2026</p>', dt.date(2026, 11, 30)),
        # not the publication date: an update, a related story; no date at all
        ("", '<p class="updated-date">अपडेट: 3 दिसंबर 2026</p>', None),
        ("", '<p class="byline">संवाददाता, नई दिल्ली</p>', None),
    ],
)
def test_a_bylines_date_dates_an_article_without_metadata(
    head: str, byline: str, date: dt.date | None
) -> None:
    page = (f"<html><head><meta charset='utf-8'>{head}</head><body><article>"
            f"<h1>किसानों के खाते में किस्त</h1>{byline}{BYLINE_BODY}</article></body></html>")
    assert read_html(page).date == date
