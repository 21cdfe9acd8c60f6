"""The user lexicon: loading the TSV file, whole-word replacement, and its errors."""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from narrate.errors import LexiconError, NarrateError
from narrate.model import Article, Section
from narrate.script import build_script
from narrate.text.lexicon import Lexicon, load_lexicon
from narrate.text.normalize import clean, speak


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def write(tmp_path: Path, content: str | bytes, name: str = "lexicon.tsv") -> Path:
    path = tmp_path / name
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        path.write_bytes(content)
    return path


LEXICON = Lexicon(
    {
        "राम": "श्रीरामचंद्र",
        "नई दिल्ली": "न्यू देहली",
        "दिल्ली": "देहली",
        "IIT": "आई आई टी",
        "5G": "फ़ाइव जी",
        "C++": "सी प्लस प्लस",
        "U.S.": "यू एस",
        "क़िला": "किला",
    }
)


def test_python_word_boundaries_do_not_work_for_devanagari() -> None:
    # why the lexicon has its own boundaries: \b sees one inside "रामायण" (before the matra)
    assert re.search(r"\bराम\b", "रामायण")
    assert LEXICON.apply("रामायण") == "रामायण"


@pytest.mark.parametrize(
    ("text", "applied"),
    [
        ("राम आए", "श्रीरामचंद्र आए"),
        ("राम", "श्रीरामचंद्र"),
        ("राम, श्याम", "श्रीरामचंद्र, श्याम"),
        ("(राम)", "(श्रीरामचंद्र)"),
        ("राम।", "श्रीरामचंद्र।"),
        ("रामायण", "रामायण"),  # longer word, matra after
        ("रामू", "रामू"),
        ("श्रीराम", "श्रीराम"),  # longer word, matra before
        ("परिणाम", "परिणाम"),
        ("राम्", "राम्"),  # virama after
        ("रामं", "रामं"),  # anusvara after
        ("नई दिल्ली में", "न्यू देहली में"),  # the longest entry wins
        ("दिल्ली में", "देहली में"),
        ("पुरानी दिल्ली", "पुरानी देहली"),
        ("IIT दिल्ली", "आई आई टी देहली"),
        ("iit", "iit"),  # the case as written: "iit" is not "IIT"
        ("Iit", "Iit"),
        ("IITs", "IITs"),
        ("5G फ़ोन", "फ़ाइव जी फ़ोन"),
        ("15G", "15G"),
        ("5G5", "5G5"),
        ("C++ भाषा", "सी प्लस प्लस भाषा"),
        ("U.S. में", "यू एस में"),
        ("\u0958िला", "किला"),  # precomposed क़ in the text, as cleaned
    ],
)
def test_apply_replaces_whole_words(text: str, applied: str) -> None:
    assert LEXICON.apply(clean(text)) == nfc(applied)


def test_rules_match_the_case_as_written() -> None:
    lexicon = Lexicon({"US": "यू एस", "us": "अस"})
    assert lexicon.apply("US us Us") == "यू एस अस Us"


def test_entries_are_cleaned() -> None:
    lexicon = Lexicon({" क\u093cिला\u200b ": "  किला  ", "नई\u00a0दिल्ली": "नयी  दिल्ली"})
    assert dict(lexicon.entries) == {nfc("क़िला"): "किला", "नई दिल्ली": "नयी दिल्ली"}
    assert lexicon.apply(clean("\u0958िला")) == "किला"


def test_lexicon_is_frozen_hashable_and_compares_by_entries() -> None:
    a = Lexicon({"IIT": "आई आई टी"})
    b = Lexicon({"IIT": "आई आई टी"})
    assert a == b and hash(a) == hash(b) and len(a) == 1
    assert a != Lexicon({"IIT": "आईआईटी"})
    with pytest.raises(dataclasses.FrozenInstanceError):
        a.entries = {}  # type: ignore[misc]
    with pytest.raises(TypeError):
        a.entries["x"] = "y"  # type: ignore[index]


def test_empty_lexicon_changes_nothing() -> None:
    assert Lexicon().apply("राम 5G") == "राम 5G"
    assert len(Lexicon()) == 0


@pytest.mark.parametrize(
    ("entries", "message"),
    [
        ({"": "x"}, "empty"),
        ({"\u200b": "x"}, "empty"),
        ({"राम": " "}, "how to say 'राम' is empty"),
        ({"राम": "श्री राम"}, "contains a word of the lexicon"),
        ({"PM": "प्रधानमंत्री", "प्रधानमंत्री": "पीएम"}, "contains a word of the lexicon"),
    ],
)
def test_invalid_entries(entries: dict[str, str], message: str) -> None:
    with pytest.raises(LexiconError, match=re.escape(message)):
        Lexicon(entries)


def test_an_entry_may_say_itself() -> None:
    assert Lexicon({"Google": "Google", "gOOGLE": "Google"}).apply("Google gOOGLE") == (
        "Google Google"
    )


# --- load_lexicon -------------------------------------------------------------------------


def test_load_lexicon(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "# word<TAB>how to say it\n"
        "\n"
        "IIT\tआई आई टी\n"
        "   # an indented comment\n"
        " 5G \t फ़ाइव जी \n"
        "नई दिल्ली\tनयी दिल्ली\r\n"
        "   \n",
    )
    lexicon = load_lexicon(path)
    assert dict(lexicon.entries) == {
        "IIT": "आई आई टी",
        "5G": nfc("फ़ाइव जी"),
        "नई दिल्ली": "नयी दिल्ली",
    }


def test_load_lexicon_with_a_bom(tmp_path: Path) -> None:
    path = write(tmp_path, "\ufeffIIT\tआई आई टी\n".encode())
    assert dict(load_lexicon(path).entries) == {"IIT": "आई आई टी"}


def test_load_an_empty_lexicon(tmp_path: Path) -> None:
    assert len(load_lexicon(write(tmp_path, "# nothing yet\n"))) == 0


@pytest.mark.parametrize(
    ("content", "line", "message"),
    [
        ("IIT आई आई टी\n", 1, "separated by spaces, not a tab"),
        ("# c\nIIT\tआई\tटी\n", 2, "more than one tab"),
        ("IIT\tआई आई टी\n\t5G\n", 2, "the word before the tab is empty"),
        ("IIT\t  \n", 1, "how to say 'IIT' is empty"),
        ("IIT\tआई\n\nIIT\tआई आई टी\n", 3, "'IIT' is already in the lexicon (line 1)"),
        ("x\ty\nराम\tश्री राम\n", 2, "contains a word of the lexicon"),
    ],
)
def test_malformed_lines_name_the_file_and_line(
    tmp_path: Path, content: str, line: int, message: str
) -> None:
    path = write(tmp_path, content)
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    text = str(caught.value)
    assert text.startswith(f"{path}, line {line}: ")
    assert message in text


def test_missing_lexicon(tmp_path: Path) -> None:
    path = tmp_path / "nope.tsv"
    with pytest.raises(LexiconError, match=r"nope\.tsv: cannot read the lexicon") as caught:
        load_lexicon(path)
    assert isinstance(caught.value.__cause__, FileNotFoundError)
    assert isinstance(caught.value, NarrateError) and isinstance(caught.value, ValueError)


def test_a_directory_is_not_a_lexicon(tmp_path: Path) -> None:
    with pytest.raises(LexiconError, match="cannot read the lexicon"):
        load_lexicon(tmp_path)


def test_undecodable_lexicon(tmp_path: Path) -> None:
    path = write(tmp_path, b"IIT\t" + "आई".encode("utf-16"))
    with pytest.raises(LexiconError, match=r"lexicon\.tsv: the lexicon is not UTF-8 \(byte 4\)"):
        load_lexicon(path)


# --- with the rules ---------------------------------------------------------------------


def test_the_lexicon_wins_over_the_rules() -> None:
    lexicon = Lexicon({"5G": "फ़ाइव जी", "डॉ.": "डॉक्टर साहब", "pmfby": "पीएम फ़सल बीमा"})
    assert speak("5G और डॉ. वर्मा: https://pmfby.gov.in", lexicon) == nfc(
        "फ़ाइव जी और डॉक्टर साहब वर्मा: पीएम फ़सल बीमा डॉट जी ओ वी डॉट इन"
    )
    assert speak("5राम", Lexicon({"राम": "रामा"})) == "पाँच रामा"


WORDS = ["राम", "रामायण", "नई", "दिल्ली", "IIT", "iit", "5G", "8%", "10:30", "डॉ.", "₹4,250", "।"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(WORDS), max_size=12), st.sampled_from(["", " ", ","]))
def test_speak_with_a_lexicon_is_idempotent(words: list[str], joiner: str) -> None:
    lexicon = Lexicon(
        {"राम": "रामा", "दिल्ली": "देहली", "IIT": "आई आई टी", "प्रतिशत": "परसेंट", "डॉक्टर": "डाक्टर"}
    )
    spoken = speak(joiner.join(words), lexicon)
    assert speak(spoken, lexicon) == spoken
    assert lexicon.apply(spoken) == spoken


def test_a_spoken_form_longer_than_a_chunk_is_refused_naming_file_and_line(
    tmp_path: Path,
) -> None:
    """It used to be dropped silently, and the word it was for cut in two."""
    long_form = " ".join(["भारतीय प्रौद्योगिकी संस्थान"] * 5)  # 140 characters
    assert len(long_form) > 100
    path = tmp_path / "names.tsv"
    path.write_text(f"# names\nIIT\tआई आई टी\nIITD\t{long_form}\n", encoding="utf-8")
    with pytest.raises(LexiconError) as caught:
        load_lexicon(path)
    message = str(caught.value)
    assert message.startswith(f"{path}, line 3: ")
    assert "'IITD'" in message and "100" in message and long_form not in message
    with pytest.raises(LexiconError):
        Lexicon({"IITD": long_form})


def test_a_spoken_form_of_exactly_a_chunk_is_said_whole() -> None:
    spoken = ("क" * 49 + " ") * 2
    lexicon = Lexicon({"XYZ": spoken})
    script = build_script(
        Article("शीर्षक", (Section("भाग", ("XYZ आज आया।",), heading=False),)),
        lexicon=lexicon,
    )
    said = [c.text for c in script.chunks if c.kind == "body"]
    assert said[0] == spoken.strip()
    assert "आज आया।" in said[-1]
