"""Display text (clean) and spoken text (speak): the non-number rules and the properties of
the whole rule set. The number rules are tested in test_numbers.py."""

from __future__ import annotations

import importlib
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from narrate.text import amounts
from narrate.text import chars as c
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
    assert c.clean(text) == cleaned


def test_clean_gives_one_form_of_nukta_letters() -> None:
    precomposed = "\u0958\u0959\u095a\u095b\u095c\u095d\u095e\u095f"
    decomposed = "".join(unicodedata.normalize("NFD", c) for c in precomposed)
    assert c.clean(precomposed) == c.clean(decomposed)
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
        ("<https://pmfby.gov.in>", "पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन"),
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
        ("https://pmfby.gov.in/abc", "पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन"),
        (
            "वेबसाइट https://pmfby.gov.in पर जाकर",
            "वेबसाइट पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन पर जाकर",
        ),
        ("http://www.example.com/a/b?c=1&d=2#x", "example डॉट कॉम"),
        ("HTTPS://WWW.Example.COM", "example डॉट कॉम"),
        ("https://user:pw@x.org:8080/p", "एक्स डॉट ओ आर जी"),
        ("www.example.com.", "example डॉट कॉम."),
        ("(https://x.com)", "(एक्स डॉट कॉम)"),
        ("https://x.com/a_b_c, फिर", "एक्स डॉट कॉम, फिर"),
        ("https://x.comपर", "एक्स डॉट कॉम पर"),
        ("pmfby.gov.in/abc", "पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन"),
        ("pmfby.gov.in पर", "पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन पर"),
        ("site-2.co.in", "साइट हाइफ़न दो डॉट को डॉट इन"),
        ("info@pmfby.gov.in पर", "इन्फ़ो एट पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन पर"),
        ("first.last@example.com", "first डॉट last एट example डॉट कॉम"),
        ("ravi_k@mail.co.in.", "ravi अंडरस्कोर के एट मेल डॉट को डॉट इन."),
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
        ("AT&T", "ए टी एंड टी"),
        ("R&D विभाग", "आर एंड डी विभाग"),
        ("वह गया |", "वह गया।"),
        ("वह गया| फिर", "वह गया। फिर"),
        ("वह गया || फिर", "वह गया॥ फिर"),
        ("वह गया ।", "वह गया।"),
        ("वह गया॥", "वह गया॥"),
        ("खबर | NDTV", "खबर। एन डी टी वी"),
        ("क्या ?", "क्या?"),
    ],
)
def test_read_symbols(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


def test_display_text_keeps_the_article_spelling() -> None:
    text = "डॉ. वर्मा ने ₹2.5 करोड़ और 8% बताया, देखें https://pmfby.gov.in"
    assert c.clean(text) == text
    assert n.speak(text) == nfc(
        "डॉक्टर वर्मा ने ढाई करोड़ रुपये और आठ प्रतिशत बताया, देखें पी एम एफ़ बी वाई डॉट जी ओ वी डॉट इन"
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
        # one module per family of rules, each rule a documented function of its module
        module = importlib.import_module(rule.__module__)
        assert module.__name__.startswith("narrate.text.")
        assert getattr(module, rule.__name__) is rule
        assert rule.__doc__ and len(rule.__doc__.split()) >= 8, rule.__name__
    families = {r.__module__.rsplit(".", 1)[1] for r in n.RULES}
    assert families >= {"markup", "addresses", "abbreviations", "amounts", "dates", "symbols"}


def test_imports_run_one_way() -> None:
    """chars is the bottom; lexicon and the rule families never import normalize."""
    text = Path(n.__file__).parent

    def imports(name: str) -> list[str]:
        source = (text / f"{name}.py").read_text("utf-8")
        return re.findall(r"^from (narrate\.text\.\w+) import", source, re.MULTILINE)

    for name in ("lexicon", "markup", "addresses", "abbreviations", "symbols", "dates",
                 "amounts"):
        assert "narrate.text.normalize" not in imports(name), name
    assert imports("chars") == []
    assert "narrate.text.lexicon" in imports("normalize")


@pytest.mark.parametrize("rule", n.RULES, ids=lambda r: r.__name__)
@pytest.mark.parametrize(
    "text", ["", " ", "नमस्ते", "5G", "।", "कि", "क्\u200dष", "a_b", "₹", "%", "-", "|"]
)
def test_every_rule_works_on_fragments(rule: c.Rule, text: str) -> None:
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
    ZWJ, ZWNJ, "\u00a0", "\u200b", "\u0958", "½", "¾", "⅓", "नंबर", "फोन", "+", "Feb", "May",
    "Bank", "India", "Team", "Android", "Nifty", "iPhone", "vs", "v", "IND", "AUS", "#", "@",
    "नाबाद", "रन", "डॉट", "एट", "in", "gov", "www.sci.gov.in", "ravi_k@mail.co.in", "#INDvAUS",
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
@example("\u093c#\u0966Feb")  # a tag sign before a Devanagari digit, after a nukta
@example("#₹0")  # a tag sign before a currency sign
@example("&amp;#0")  # a tag sign exposed when "&" is read
@example("@ #|")  # two signs before a pipe read as a danda
def test_speak_is_idempotent_nfc_and_leaves_no_digit(text: str) -> None:
    spoken = n.speak(text)
    assert n.speak(spoken) == spoken
    assert unicodedata.is_normalized("NFC", spoken)
    assert_digits_only_in_latin_tokens(spoken)
    if not re.search("[A-Za-z]", text):
        assert not re.search(r"[0-9]", spoken), spoken
    assert spoken == spoken.strip() and "  " not in spoken


def assert_digits_only_in_latin_tokens(spoken: str) -> None:
    protected = c.latin_tokens(spoken)
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
    for out in (c.clean(text), n.speak(text)):
        assert out.count(ZWJ) == text.count(ZWJ)
        assert out.count(ZWNJ) == text.count(ZWNJ)


@settings(max_examples=300, deadline=None)
@given(hindi_text())
def test_clean_is_idempotent_and_nfc(text: str) -> None:
    cleaned = c.clean(text)
    assert c.clean(cleaned) == cleaned
    assert unicodedata.is_normalized("NFC", cleaned)
    assert "\u200b" not in cleaned and "\u00a0" not in cleaned


# --- phone numbers, fraction signs, English months -------------------------------------


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # after a cue word
        (
            "हेल्पलाइन नंबर 1800-11-4000 पर कॉल करें।",
            "हेल्पलाइन नंबर एक आठ शून्य शून्य, एक एक, चार शून्य शून्य शून्य पर कॉल करें।",
        ),
        (
            "उनका मोबाइल नंबर 9876543210 है।",
            "उनका मोबाइल नंबर नौ आठ सात छह पाँच चार तीन दो एक शून्य है।",
        ),
        (
            "संपर्क: +91 98765 43210",
            "संपर्क: प्लस नौ एक, नौ आठ सात छह पाँच, चार तीन दो एक शून्य",
        ),
        ("फोन 011-23456789 पर", "फोन शून्य एक एक, दो तीन चार पाँच छह सात आठ नौ पर"),
        (
            "टोल फ्री नंबर 1800 180 1551 पर",
            "टोल फ्री नंबर एक आठ शून्य शून्य, एक आठ शून्य, एक पाँच पाँच एक पर",
        ),
        ("पिन कोड 110001 है", "पिन कोड एक एक शून्य शून्य शून्य एक है"),
        ("पिनकोड: 110 001", "पिनकोड: एक एक शून्य, शून्य शून्य एक"),
        ("फ़ोन 2345678", "फ़ोन दो तीन चार पाँच छह सात आठ"),
        ("फ़ोन नं. 9876543210", "फ़ोन नंबर नौ आठ सात छह पाँच चार तीन दो एक शून्य"),
        ("मोबाइल नंबर है: 9876543210", "मोबाइल नंबर है: नौ आठ सात छह पाँच चार तीन दो एक शून्य"),
        ("कॉल करें 2345678", "कॉल करें दो तीन चार पाँच छह सात आठ"),
        ("कॉल के लिए 2345678", "कॉल के लिए दो तीन चार पाँच छह सात आठ"),
        ("व्हाट्सएप 8765432109", "व्हाट्सएप आठ सात छह पाँच चार तीन दो एक शून्य नौ"),
        ("फैक्स: 0522-2345678", "फैक्स: शून्य पाँच दो दो, दो तीन चार पाँच छह सात आठ"),
        ("टोल-फ्री 18001801551", "टोल-फ्री एक आठ शून्य शून्य एक आठ शून्य एक पाँच पाँच एक"),
        (
            "हेल्पलाइन (1800-11-4000) शुरू",
            "हेल्पलाइन (एक आठ शून्य शून्य, एक एक, चार शून्य शून्य शून्य) शुरू",
        ),
        ("नंबर9876543210", "नंबर नौ आठ सात छह पाँच चार तीन दो एक शून्य"),
        ("Phone: 011-23456789", "फ़ोन: शून्य एक एक, दो तीन चार पाँच छह सात आठ नौ"),
        # without a cue
        ("+919876543210 पर", "प्लस नौ एक नौ आठ सात छह पाँच चार तीन दो एक शून्य पर"),
        ("+91-98765-43210", "प्लस नौ एक, नौ आठ सात छह पाँच, चार तीन दो एक शून्य"),
        ("+1 202 555 0123", "प्लस एक, दो शून्य दो, पाँच पाँच पाँच, शून्य एक दो तीन"),
        ("वे 9876543210 पर मिलेंगे", "वे नौ आठ सात छह पाँच चार तीन दो एक शून्य पर मिलेंगे"),
        ("98765 43210", "नौ आठ सात छह पाँच, चार तीन दो एक शून्य"),
        ("1800-11-4000", "एक आठ शून्य शून्य, एक एक, चार शून्य शून्य शून्य"),
        ("1800 180 1551", "एक आठ शून्य शून्य, एक आठ शून्य, एक पाँच पाँच एक"),
        ("011-23456789", "शून्य एक एक, दो तीन चार पाँच छह सात आठ नौ"),
        ("0522 2345678", "शून्य पाँच दो दो, दो तीन चार पाँच छह सात आठ"),
        (
            "फोन: 98765 43210, 91234 56789",
            "फोन: नौ आठ सात छह पाँच, चार तीन दो एक शून्य, नौ एक दो तीन चार, पाँच छह सात आठ नौ",
        ),
        ("९८७६५४३२१०", "नौ आठ सात छह पाँच चार तीन दो एक शून्य"),
    ],
)
def test_read_phone_numbers(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        # amounts
        ("₹9876543210", "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस रुपये"),
        ("9876543210 रुपये", "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस रुपये"),
        ("Rs 9876543210", "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस रुपये"),
        (
            "9876543210 करोड़",
            "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस करोड़",
        ),
        (
            "नंबर 9876543210 रुपये",
            "नंबर नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस रुपये",
        ),
        ("7000000000 लोग", "सात अरब लोग"),
        # years, dates, times, decimals, grouped numbers, percentages, ranges
        ("1998 में", "उन्नीस सौ अट्ठानवे में"),
        ("फोन 1990-2000", "फोन उन्नीस सौ नब्बे से दो हज़ार"),
        ("नंबर 2024-25", "नंबर दो हज़ार चौबीस-पच्चीस"),
        ("1800-2000 के बीच", "अठारह सौ से दो हज़ार के बीच"),
        ("2025-12-08", "आठ दिसंबर दो हज़ार पच्चीस"),
        ("8/12/2025", "आठ दिसंबर दो हज़ार पच्चीस"),
        ("कॉल करें 08-12-2025 तक", "कॉल करें आठ दिसंबर दो हज़ार पच्चीस तक"),
        ("कॉल 10:30 बजे", "कॉल साढ़े दस बजे"),
        ("नंबर 98765.43210", "नंबर अट्ठानवे हज़ार सात सौ पैंसठ दशमलव चार तीन दो एक शून्य"),
        ("नंबर 1,50,00,000", "नंबर एक करोड़ पचास लाख"),
        ("150,000,000", "पंद्रह करोड़"),
        ("9876543210%", "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस प्रतिशत"),
        ("9876543210 km", "नौ अरब सत्तासी करोड़ पैंसठ लाख तैंतालीस हज़ार दो सौ दस किलोमीटर"),
        ("10-20", "दस से बीस"),
        ("70000-80000 लोग", "सत्तर हज़ार से अस्सी हज़ार लोग"),
        # too short after a cue; a count shortly after a cue word that is not a filler
        ("नंबर 12345", "नंबर बारह हज़ार तीन सौ पैंतालीस"),
        ("संपर्क में आए 150000 लोग", "संपर्क में आए एक लाख पचास हज़ार लोग"),
        ("फोन पर 200000 लोगों ने", "फोन पर दो लाख लोगों ने"),
        # a plus that is an increase; a cue inside a longer word ("tel" in "Hotel")
        ("+150000 नए मामले", "प्लस एक लाख पचास हज़ार नए मामले"),
        ("Hotel 9876543", "Hotel अट्ठानवे लाख छिहत्तर हज़ार पाँच सौ तैंतालीस"),
    ],
)
def test_phone_look_alikes_stay_numbers(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


def test_phone_to_words() -> None:
    assert amounts.phone_to_words("+91 98765 43210") == nfc(
        "प्लस नौ एक, नौ आठ सात छह पाँच, चार तीन दो एक शून्य"
    )
    assert amounts.phone_to_words("1800-11-4000") == nfc("एक आठ शून्य शून्य, एक एक, चार शून्य शून्य शून्य")
    assert amounts.phone_to_words("007") == nfc("शून्य शून्य सात")


def test_phone_numbers_come_before_the_rules_that_would_read_them_as_numbers() -> None:
    order = [rule.__name__ for rule in n.READING_RULES]
    phones = order.index("read_phone_numbers")
    for later in ("read_dates", "read_times", "read_money", "read_ranges", "read_numbers"):
        assert phones < order.index(later), later
    assert order.index("expand_abbreviations") < phones  # "नं." is a cue once said in full


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("आधा ½ किलो", "आधा किलो"),
        ("½ किलो", "आधा किलो"),
        ("¼ हिस्सा", "एक चौथाई हिस्सा"),
        ("¾ हिस्सा", "तीन चौथाई हिस्सा"),
        ("⅓ सीटें", "एक तिहाई सीटें"),
        ("⅔ बहुमत", "दो तिहाई बहुमत"),
        ("1½ घंटे", "डेढ़ घंटे"),
        ("2½ घंटे", "ढाई घंटे"),
        ("2 ½ घंटे", "ढाई घंटे"),
        ("3½ किलो", "साढ़े तीन किलो"),
        ("12½ किलो", "साढ़े बारह किलो"),
        ("1¼ किलो", "सवा एक किलो"),
        ("2¼ घंटे", "सवा दो घंटे"),
        ("1¾ घंटे", "पौने दो घंटे"),
        ("2¾ घंटे", "पौने तीन घंटे"),
        ("2⅓", "दो और एक तिहाई"),
        ("1½ लाख", "डेढ़ लाख"),
        ("2½ करोड़", "ढाई करोड़"),
        ("5¼ लाख", "सवा पाँच लाख"),
        ("₹1½ लाख", "डेढ़ लाख रुपये"),
        ("₹2¼ करोड़", "सवा दो करोड़ रुपये"),
        ("₹1½", "डेढ़ रुपये"),
        ("2½%", "ढाई प्रतिशत"),
        ("2½ km", "ढाई किलोमीटर"),
        ("1-1½ घंटे", "एक-डेढ़ घंटे"),
        ("2½घंटे", "ढाई घंटे"),
        ("२½ घंटे", "ढाई घंटे"),
    ],
)
def test_read_fraction_signs(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


@pytest.mark.parametrize(
    ("whole", "sign", "words"),
    [
        (0, "½", "आधा"),
        (1, "½", "डेढ़"),
        (2, "½", "ढाई"),
        (99, "½", "साढ़े निन्यानवे"),
        (100, "½", "साढ़े एक सौ"),
        (3, "¼", "सवा तीन"),
        (3, "¾", "पौने चार"),
        (1, "⅔", "एक और दो तिहाई"),
    ],
)
def test_fraction_sign_to_words(whole: int, sign: str, words: str) -> None:
    assert amounts.fraction_sign_to_words(whole, sign) == nfc(words)


def test_every_fraction_sign_is_read() -> None:
    assert set(amounts.FRACTION_SIGNS) == set("½¼¾⅓⅔")
    for sign in amounts.FRACTION_SIGNS:
        assert n.speak(sign) == amounts.FRACTION_SIGNS[sign]
        assert unicodedata.is_normalized("NFC", n.speak(f"7{sign}"))


def test_english_months_come_after_the_latin_words_next_to_numbers() -> None:
    order = [rule.__name__ for rule in n.READING_RULES]
    months = order.index("read_english_months")
    for earlier in ("separate_glued_units", "read_times", "read_money", "read_units"):
        assert order.index(earlier) < months, earlier
    for later in ("read_ranges", "read_years", "read_numbers"):
        assert months < order.index(later), later


@pytest.mark.parametrize(
    ("text", "spoken"),
    [
        ("14 February 2026 को", "चौदह फ़रवरी दो हज़ार छब्बीस को"),
        ("February 14, 2026 को", "चौदह फ़रवरी दो हज़ार छब्बीस को"),
        ("Feb 2026 में", "फ़रवरी दो हज़ार छब्बीस में"),
        ("14 Feb को", "चौदह फ़रवरी को"),
        ("14 Feb. को", "चौदह फ़रवरी को"),
        ("14-Feb-2026", "चौदह फ़रवरी दो हज़ार छब्बीस"),
        ("14th February, 1998", "चौदह फ़रवरी उन्नीस सौ अट्ठानवे"),
        ("14 FEB 2026", "चौदह फ़रवरी दो हज़ार छब्बीस"),
        ("26 january", "छब्बीस जनवरी"),
        ("Jan. 26, 1950", "छब्बीस जनवरी उन्नीस सौ पचास"),
        ("Sept. 11 को", "ग्यारह सितंबर को"),
        ("Sep 2025", "सितंबर दो हज़ार पच्चीस"),
        ("March 2020 से", "मार्च दो हज़ार बीस से"),
        ("1 May", "एक मई"),
        ("Dec 31st", "इकतीस दिसंबर"),
        ("5-7 Jan", "पाँच से सात जनवरी"),
        ("Jan 5-7", "जनवरी पाँच से सात"),
        ("Oct-2024", "अक्टूबर दो हज़ार चौबीस"),
        # English words, not months next to a number
        ("May आई", "May आई"),
        ("March में", "March में"),
        ("Theresa May 2019 में", "Theresa May दो हज़ार उन्नीस में"),
        ("Long March 5 रॉकेट", "Long March पाँच रॉकेट"),
        ("A1 Feb", "ए वन Feb"),
        ("Mayor 5", "Mayor पाँच"),
        ("info@may2025.in", "इन्फ़ो एट may2025 डॉट इन"),
        # what stands before a month word is looked at as the last rules will leave it
        ("10 am Feb 2026", "सुबह दस बजे फ़रवरी दो हज़ार छब्बीस"),
        ("14th Feb14th Jan.", "चौदह फ़रवरी चौदह जनवरी."),
        ("Feb ,2026", "फ़रवरी दो हज़ार छब्बीस"),
    ],
)
def test_read_english_months(text: str, spoken: str) -> None:
    assert n.speak(text) == nfc(spoken)


PHONE_PARTS = [
    "नंबर", "फोन", "मोबाइल नंबर है:", "कॉल करें", "पिन कोड", "टोल फ्री", "+", "+91", "₹",
    "रुपये", "लाख", "%", "-", " ", "98765", "43210", "9876543210", "1800", "011", "110001",
    "2025", "12", "08", "½", "2½", "Feb", "May", "14", "February", ",", ":", ".", "/",
]  # fmt: skip


@settings(max_examples=600, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(PHONE_PARTS), st.sampled_from(["", " "])), max_size=12))
@example([("फोन", " "), ("+91", " "), ("98765", " "), ("43210", ""), ("₹", ""), ("2½", " ")])
def test_phone_fraction_and_month_rules_keep_the_invariants(parts: list[tuple[str, str]]) -> None:
    text = "".join(part + joiner for part, joiner in parts)
    spoken = n.speak(text)
    assert n.speak(spoken) == spoken
    assert unicodedata.is_normalized("NFC", spoken)
    assert_digits_only_in_latin_tokens(spoken)
    assert not re.search("[½¼¾⅓⅔]", spoken), spoken
