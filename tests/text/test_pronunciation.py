"""The pronunciation file's five kinds of rule, each end to end: the file -> the rule ->
``narrate script`` -> the phonemes Kokoro receives (espeak-ng's real phonemizer, bundled)."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from narrate.engines.phonemes import phonemize
from narrate.errors import LexiconError
from narrate.model import Article, Section
from narrate.script import build_script
from narrate.text.lexicon import Lexicon, Rule, load_lexicon
from narrate.text.normalize import rules_applied, speak


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


RULES = """\
# a pronunciation file of every kind
सुनीता	सुनीथा
UPI	letters
भाजपा	letters
UNICEF	word	यूनिसेफ़
NATO	word
Covid	english
टीकाकरण अभियान	english	vaccination drive
Kokoro	ipa	kəkoːɾoː	कोकोरो
Zelensky	ipa	zɛlɛnskʲɪj
"""


@pytest.fixture
def rules(tmp_path: Path) -> Path:
    path = tmp_path / "pronunciation.tsv"
    path.write_text(RULES, encoding="utf-8")
    return path


def test_the_file_is_read_into_rules_of_five_kinds(rules: Path) -> None:
    lexicon = load_lexicon(rules)
    kinds = {r.written: r.kind for r in lexicon.rules}
    assert dict(lexicon.entries) == {"सुनीता": "सुनीथा"}
    assert kinds == {
        "UPI": "letters", "भाजपा": "letters", "UNICEF": "word", "NATO": "word",
        "Covid": "english", "टीकाकरण अभियान": "english", "Kokoro": "ipa", "Zelensky": "ipa",
    }  # fmt: skip
    assert len(lexicon) == 9


# (text, spoken for an engine without phonemes, spoken for Kokoro)
CASES = [
    ("सुनीता ने कहा", "सुनीथा ने कहा", "सुनीथा ने कहा"),
    ("UPI से", "यू पी आई से", "यू पी आई से"),
    ("भाजपा ने", "भा ज पा ने", "भा ज पा ने"),
    ("UNICEF की रिपोर्ट", "यूनिसेफ़ की रिपोर्ट", "यूनिसेफ़ की रिपोर्ट"),
    ("NATO देश", "Nato देश", "Nato देश"),  # as a word: never spelled by the acronym rule
    ("Covid के बाद", "Covid के बाद", "Covid के बाद"),  # never "कोविड" (the bundled word)
    ("टीकाकरण अभियान शुरू", "vaccination drive शुरू", "vaccination drive शुरू"),
    ("Kokoro बोला", "कोकोरो बोला", "⟦kəkoːɾoː⟧ बोला"),
    ("Zelensky ने", "Zelensky ने", "⟦zɛlɛnskʲɪj⟧ ने"),
    # the case as written, whole words only
    ("covid और kokoro", "covid और kokoro", "covid और kokoro"),
    ("UPIs और सुनीताजी", "UPIs और सुनीताजी", "UPIs और सुनीताजी"),
]


@pytest.mark.parametrize(("text", "plain", "kokoro"), CASES)
def test_each_kind_of_rule(rules: Path, text: str, plain: str, kokoro: str) -> None:
    lexicon = load_lexicon(rules)
    assert speak(text, lexicon) == nfc(plain)
    assert speak(text, lexicon, phonemes=True) == nfc(kokoro)


def test_the_phonemes_kokoro_receives(rules: Path) -> None:
    """Rule -> script -> phonemes: the IPA reaches the model as written, the other kinds
    as the phonemes of their spoken form."""
    lexicon = load_lexicon(rules)
    article = Article("शीर्षक", (Section("भाग", ("Kokoro ने UPI की बात की।",), heading=False),))
    script = build_script(article, lexicon=lexicon, phonemes=True, max_chars=150)
    body = next(c for c in script.chunks if c.kind == "body")
    assert body.text == nfc("⟦kəkoːɾoː⟧ ने यू पी आई की बात की।")
    said = phonemize(body.text)
    assert said.startswith("kəkoːɾoː ")
    assert said == f"kəkoːɾoː {phonemize(nfc('ने यू पी आई की बात की।'))}"
    assert phonemize(nfc("ने यू पी आई की बात की।")) != phonemize(nfc("ने UPI की बात की।"))
    # English: the bundled espeak-ng switches to English for a Latin word
    english = phonemize(speak("Covid", lexicon, phonemes=True))
    assert english and english != phonemize(nfc("कोविड"))


def test_an_engine_without_phonemes_is_warned(rules: Path) -> None:
    lexicon = load_lexicon(rules)
    article = Article("शीर्षक", (Section("भाग", ("Kokoro और Zelensky मिले।",), heading=False),))
    plain = build_script(article, lexicon=lexicon)
    warnings = "\n".join(plain.warnings)
    assert "'Kokoro': this engine cannot take phonemes; said its fallback 'कोकोरो'" in warnings
    assert "'Zelensky': this engine cannot take phonemes; said as written" in warnings
    kokoro = build_script(article, lexicon=lexicon, phonemes=True, max_chars=150)
    assert not any("phonemes" in w for w in kokoro.warnings)


def test_ipa_symbols_kokoro_does_not_know_are_warned() -> None:
    lexicon = Lexicon(rules=[Rule("क्लिक", "ipa", "ǃklik")])
    article = Article("शीर्षक", (Section("भाग", ("क्लिक करें।",), heading=False),))
    script = build_script(article, lexicon=lexicon, phonemes=True, max_chars=150)
    assert any("does not know the IPA symbols 'ǃ'" in w for w in script.warnings)


def test_rules_applied_names_the_rule_and_the_reading_rules(rules: Path) -> None:
    lexicon = load_lexicon(rules)
    assert rules_applied("UPI से ₹500 भेजे", lexicon) == ["UPI (letters)", "money"]
    assert rules_applied("NASA और 5G", None) == ["acronyms"]
    assert rules_applied("कुछ नहीं", lexicon) == []


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("UPI\tspell\tx\n", "unknown kind of rule 'spell'"),
        ("X\tipa\n", "a rule of kind 'ipa' needs a value"),
        ("X\tipa\t\n", "the phonemes of 'X' is empty"),
        ("कोविड\tenglish\n", "give its English spelling"),
        ("X\tword\ta\tb\n", "too many columns"),
        ("X\tipa\t" + "ə" * 120 + "\n", "more than the 100"),
    ],
)
def test_malformed_rules_name_the_line(tmp_path: Path, content: str, message: str) -> None:
    path = tmp_path / "p.tsv"
    path.write_text("# rules\n" + content, encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    assert str(caught.value).startswith(f"{path}, line 2: ")
    assert message in str(caught.value)
