"""Display text (clean) and spoken text (speak): the non-number rules and the properties of
the whole rule set. The number rules are tested in test_numbers.py."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from narrate.text import normalize as n
from narrate.text.lexicon import Lexicon

ZWJ, ZWNJ = "\u200d", "\u200c"
SAMPLE = Path(n.__file__).parent.parent / "samples" / "demo-article.md"


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- clean --------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "cleaned"),
    [
        ("  राम   श्याम  ", "राम श्याम"),
        ("राम\u00a0श्याम", "राम श्याम"),  # NBSP
        ("राम\u2009\u202f\u2003श्याम", "राम श्याम"),  # thin, narrow, em spaces
        ("राम\tश्याम\nगया", "राम श्याम गया"),
        ("नम\u00adस्ते", "नमस्ते"),  # soft hyphen
        ("नम\u200bस्ते", "नमस्ते"),  # ZWSP
        ("\ufeffनमस्ते", "नमस्ते"),  # BOM
        ("नम\u2060स्ते", "नमस्ते"),  # word joiner
        ("\u200eनमस्ते\u200f", "नमस्ते"),  # LRM, RLM
        ("\u202aनमस्ते\u202c", "नमस्ते"),  # bidi embedding
        ("\u2066नमस्ते\u2069", "नमस्ते"),  # bidi isolate
        ("क\u034f्ष", "क्ष"),  # combining grapheme joiner
        ("a\x00b\x07c", "abc"),
        (f"क्{ZWJ}ष", f"क्{ZWJ}ष"),  # ZWJ kept
        (f"न{ZWNJ}हीं", f"न{ZWNJ}हीं"),  # ZWNJ kept
        ("\u0958िला", "क\u093cिला"),  # precomposed क़ -> NFC (decomposed)
        ("क\u093cिला", "क\u093cिला"),  # decomposed stays
        ("\u095bरूर", "ज\u093cरूर"),
        ("₹4,250 का 8% डॉ. <b>", "₹4,250 का 8% डॉ. <b>"),  # nothing else changes
        ("", ""),
    ],
)
def test_clean(text: str, cleaned: str) -> None:
    assert n.clean(text) == cleaned


def test_clean_gives_one_form_of_nukta_letters() -> None:
    precomposed = "\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f"
    decomposed = "".join(unicodedata.normalize("NFD", c) for c in precomposed)
    assert n.clean(precomposed) == n.clean(decomposed)
    assert n.speak(precomposed) == n.speak(decomposed)


# --- mark-up, addresses, abbreviations, symbols ------------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("&amp;", "और"),
        ("राम &amp; श्याम", "राम और श्याम"),
        ("राम&nbsp;श्याम", "राम श्याम"),
        ("&#2325;&#2367;", "कि"),
        ("&#x915;", "क"),
        ("&lt;b&gt;नमस्ते&lt;/b&gt;", "नमस्ते"),
        ("a&#8203;b", "ab"),
        ("&amp;amp;", "और amp;"),
    ],
)
def test_unescape_entities(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("<b>नमस्ते</b> दुनिया", "नमस्ते दुनिया"),
        ("<p>एक</p><p>दो</p>", "एक दो"),
        ("एक<br>दो", "एक दो"),
        ("एक<br/>दो", "एक दो"),
        ('<a href="https://x.com/a?b=1">यहाँ</a> देखें', "यहाँ देखें"),
        ("<span class='x'>क</span>ख", "कख"),
        ("<!-- टिप्पणी -->खबर", "खबर"),
        ("<<b>b>", ""),
        ("5 < 7 और 8 > 3", "पाँच < सात और आठ > तीन"),
        ("[लिंक](https://x.com) देखें", "लिंक देखें"),
        ("![चित्र](a.png)", "चित्र"),
        ("[खबर][1]", "खबर"),
        ("भारत[1] में", "भारत में"),
        ("## शीर्षक", "शीर्षक"),
        ("> उद्धरण", "उद्धरण"),
        ("- बिंदु", "बिंदु"),
        ("<https://pmfby.gov.in>", "pmfby डॉट gov डॉट in"),
    ],
)
def test_strip_markup(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("**ज़रूरी** बात", "ज़रूरी बात"),
        ("*ज़ोर*", "ज़ोर"),
        ("_ज़ोर_", "ज़ोर"),
        ("__ज़ोर__", "ज़ोर"),
        ("`code`", "code"),
        ("~~गलत~~ सही", "गलत सही"),
        ("snake_case", "snake case"),
        ("5*3", "पाँच तीन"),
    ],
)
def test_strip_emphasis(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("https://pmfby.gov.in/abc", "pmfby डॉट gov डॉट in"),
        ("वेबसाइट https://pmfby.gov.in पर जाकर", "वेबसाइट pmfby डॉट gov डॉट in पर जाकर"),
        ("http://www.example.com/a/b?c=1&d=2#x", "example डॉट com"),
        ("HTTPS://WWW.Example.COM", "Example डॉट COM"),
        ("https://user:pw@x.org:8080/p", "x डॉट org"),
        ("www.example.com.", "example डॉट com."),
        ("(https://x.com)", "(x डॉट com)"),
        ("https://x.com/a_b_c, फिर", "x डॉट com, फिर"),
        ("https://x.comपर", "x डॉट com पर"),
        ("pmfby.gov.in/abc", "pmfby डॉट gov डॉट in"),
        ("pmfby.gov.in पर", "pmfby डॉट gov डॉट in पर"),
        ("site-2.co.in", "site-2 डॉट co डॉट in"),
        ("info@pmfby.gov.in पर", "info एट pmfby डॉट gov डॉट in पर"),
        ("first.last@example.com", "first डॉट last एट example डॉट com"),
        ("ravi_k@mail.co.in.", "ravi अंडरस्कोर k एट mail डॉट co डॉट in."),
        ("Node.js और e.g.", "Node.js और e.g."),
        ("report.pdf", "report.pdf"),
    ],
)
def test_read_urls(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("डॉ. सुनीता वर्मा", "डॉक्टर सुनीता वर्मा"),
        ("डॉ.सुनीता", "डॉक्टर सुनीता"),
        ("डॉ॰ सुनीता", "डॉक्टर सुनीता"),
        ("डा. राम", "डॉक्टर राम"),
        ("प्रो. राम", "प्रोफ़ेसर राम"),
        ("श्री मोदी", "श्री मोदी"),
        ("श्री. मोदी", "श्री मोदी"),
        ("श्रीमती. गांधी", "श्रीमती गांधी"),
        ("5 कि.मी.", "पाँच किलोमीटर"),
        ("5 कि. मी. दूर", "पाँच किलोमीटर दूर"),
        ("50 कि.ग्रा.", "पचास किलोग्राम"),
        ("120 मि.मी.", "एक सौ बीस मिलीमीटर"),
        ("1947 ई.", "उन्नीस सौ सैंतालीस ईसवी"),
        ("500 ई.पू.", "पाँच सौ ईसा पूर्व"),
        ("ई. श्रीधरन", "ई. श्रीधरन"),  # an initial, not an era
        ("सं. 5", "संख्या पाँच"),
        ("सं. संपादक", "सं. संपादक"),
        ("नं. 10", "नंबर दस"),
        ("No. 1", "नंबर एक"),
        ("उ.प्र. में", "उत्तर प्रदेश में"),
        ("म.प्र.", "मध्य प्रदेश"),
        ("Dr. Kalam", "डॉक्टर Kalam"),
        ("Mr. Singh", "मिस्टर Singh"),
        ("भारत vs पाकिस्तान", "भारत बनाम पाकिस्तान"),
        ("भारत v/s पाकिस्तान", "भारत बनाम पाकिस्तान"),
        ("सुडॉ. x", "सुडॉ. x"),  # not inside a longer word
        ("canvas", "canvas"),
    ],
)
def test_expand_abbreviations(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("राम & श्याम", "राम और श्याम"),
        ("राम&श्याम", "राम और श्याम"),
        ("AT&T", "AT एंड T"),
        ("R&D विभाग", "R एंड D विभाग"),
        ("वह गया |", "वह गया।"),
        ("वह गया| फिर", "वह गया। फिर"),
        ("वह गया || फिर", "वह गया॥ फिर"),
        ("वह गया ।", "वह गया।"),
        ("वह गया॥", "वह गया॥"),
        ("खबर | NDTV", "खबर। NDTV"),
        ("क्या ?", "क्या?"),
    ],
)
def test_read_symbols(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


def test_display_text_keeps_the_article_spelling() -> None:
    text = "डॉ. वर्मा ने ₹2.5 करोड़ और 8% बताया, देखें https://pmfby.gov.in"
    assert n.clean(text) == text
    assert n.speak(text) == nfc(
        "डॉक्टर वर्मा ने ढाई करोड़ रुपये और आठ प्रतिशत बताया, देखें pmfby डॉट gov डॉट in"
    )


def test_speak_with_a_lexicon_first() -> None:
    lexicon = Lexicon({"5G": "फ़ाइव जी", "IIT": "आई आई टी", "डॉ.": "डॉक्टर साहब"})
    assert n.speak("IIT में 5G, डॉ. राम", lexicon) == nfc("आई आई टी में फ़ाइव जी, डॉक्टर साहब राम")


def test_speak_lets_the_lexicon_say_what_the_rules_produce() -> None:
    lexicon = Lexicon({"प्रतिशत": "परसेंट", "G20": "जी 20"})
    assert n.speak("8% और G20", lexicon) == nfc("आठ परसेंट और जी बीस")


# --- the rule set ---------------------------------------------------------------------


def test_rules_are_documented_module_functions() -> None:
    assert n.RULES == n.MARKUP_RULES + n.READING_RULES
    assert isinstance(n.RULES, tuple)
    for rule in n.RULES:
        assert rule.__module__ == n.__name__
        assert getattr(n, rule.__name__) is rule
        assert rule.__doc__ and len(rule.__doc__.split()) >= 8, rule.__name__


@pytest.mark.parametrize("rule", n.RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    "text", ["", " ", "नमस्ते", "5G", "।", "कि", "क्\u200dष", "a_b", "₹", "%", "-", "|"]
)
def test_every_rule_works_on_fragments(rule: n.Rule, text: str) -> None:
    assert isinstance(rule(text), str)


def test_the_demo_article_has_no_digits_urls_or_markup_left() -> None:
    for line in SAMPLE.read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith(("---", "title:", "date:", "author:")):
            continue
        spoken = n.speak(line)
        assert not re.search(r"[0-9०-९]", spoken), spoken
        assert "http" not in spoken and "://" not in spoken and "#" not in spoken, spoken
        assert n.speak(spoken) == spoken


# --- properties -------------------------------------------------------------------------

DEVANAGARI = "कखगघचछजझटठडढणतथदधनपफबभमयरलवशषसहअआइईउऊएऐओऔािीुूृेैोौंँः़्ॉ"
TOKENS = [
    "डॉ.", "श्री.", "कि.मी.", "ई.", "सं.", "रु.", "₹", "Rs.", "%", "प्रतिशत", "लाख", "करोड़",
    "बजे", "में", "से", "सन्", "दिसंबर", "वीं", "वां", "ला", "रा", "था", "&", "|", "||", "॥",
    "।", ":", "/", "-", "−", "–", ".", ",", "(", ")", "*", "_", "<b>", "&amp;", "[x](y)",
    "mm", "km", "°C", "am", "pm", "https://a.gov.in/x", "www.b.com", "c.org", "d@e.com",
    ZWJ, ZWNJ, "\u00a0", "\u200b", "\u0958",
]  # fmt: skip
DIGITS = "0123456789०१२३४५६७८९"


@st.composite
def hindi_text(draw: st.DrawFn, latin: bool = False) -> str:
    alphabet = DEVANAGARI + DIGITS + " .,:;-/%₹|&!?()" + ("ABCGKMPTabcgkmpstx" if latin else "")
    parts = draw(
        st.lists(st.one_of(st.text(alphabet, max_size=12), st.sampled_from(TOKENS)), max_size=12)
    )
    joiners = draw(st.lists(st.sampled_from(["", " ", " ", "  "]), min_size=len(parts)))
    return "".join(p + j for p, j in zip(parts, joiners, strict=False))


@settings(max_examples=1500, deadline=None)
@given(hindi_text())
@example("1,50,000 से 2.5 करोड़ 8% ₹4,250 10:30 2025-12-08 5-7")
@example("<<b>b>")
@example("&amp;lt;")
def test_speak_is_idempotent_nfc_and_leaves_no_digit(text: str) -> None:
    spoken = n.speak(text)
    assert n.speak(spoken) == spoken
    assert unicodedata.is_normalized("NFC", spoken)
    assert_digits_only_in_latin_tokens(spoken)
    if not re.search("[A-Za-z]", text):
        assert not re.search(r"[0-9]", spoken), spoken
    assert spoken == spoken.strip() and "  " not in spoken


def assert_digits_only_in_latin_tokens(spoken: str) -> None:
    protected = n.latin_tokens(spoken)
    for digit in re.finditer(r"[0-9]", spoken):
        assert any(a <= digit.start() < b for a, b in protected), spoken
    assert not re.search("[०-९]", spoken), spoken
    assert not re.search(r"(?i)(?:https?|ftp)://|(?<![a-z])www\.", spoken), spoken


@settings(max_examples=800, deadline=None)
@given(hindi_text(latin=True))
@example("5G MP3 COVID-19 5km 10am Rs.5 v2.0")
def test_digits_are_left_only_inside_latin_tokens(text: str) -> None:
    spoken = n.speak(text)
    assert n.speak(spoken) == spoken
    assert unicodedata.is_normalized("NFC", spoken)
    assert_digits_only_in_latin_tokens(spoken)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.sampled_from([f"क्{ZWJ}ष", f"न{ZWNJ}हीं", f"र्{ZWJ}य", "राम", "5", "डॉ.", "8%", ",", "।"]),
        max_size=10,
    )
)
def test_zwj_and_zwnj_are_kept(words: list[str]) -> None:
    text = " ".join(words)
    for out in (n.clean(text), n.speak(text)):
        assert out.count(ZWJ) == text.count(ZWJ)
        assert out.count(ZWNJ) == text.count(ZWNJ)


@settings(max_examples=300, deadline=None)
@given(hindi_text())
def test_clean_is_idempotent_and_nfc(text: str) -> None:
    cleaned = n.clean(text)
    assert n.clean(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\u200b" not in cleaned and "\u00a0" not in cleaned
