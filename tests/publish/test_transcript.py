"""``<slug>.txt``: the plain-text transcript, read like the article."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from narrate.model import Chapter, Cue, Script, Table, TablePart, Timeline
from narrate.publish.transcript import table_lines, text_width, transcript_text
from narrate.publish.vtt import captions_vtt

GOLDEN = Path(__file__).parent / "golden"
SCRIPT = Script(title="मानसून की अच्छी बारिश से किसानों को राहत", date=None, sections=())


def test_transcript_golden(timeline: Timeline) -> None:
    """Text as written (``<``, ``&``, ``-->`` stay themselves: this is not markup), one
    line per block, a blank line between blocks."""
    text = transcript_text(SCRIPT, timeline)
    assert text == (GOLDEN / "transcript.txt").read_text(encoding="utf-8")


def cues(*specs: tuple[str, int, str, str]) -> Timeline:
    """A timeline of cues (text, section, kind, ends), a second each."""
    made = tuple(Cue(text, i * 1000, i * 1000 + 900, section, kind, ends)  # type: ignore[arg-type]
                 for i, (text, section, kind, ends) in enumerate(specs))
    end = len(specs) * 1000
    sections = sorted({s for _, s, _, _ in specs})
    chapters = tuple(Chapter(f"§{s}", i * end // len(sections), (i + 1) * end // len(sections))
                     for i, s in enumerate(sections))
    return Timeline(end, chapters, made)


@pytest.mark.parametrize(
    ("timeline", "expected"),
    [
        # a title said in two chunks is one line; so is a long heading
        (cues(("एक बहुत लंबा", 0, "title", "word"), ("शीर्षक", 0, "title", "paragraph"),
              ("पहला वाक्य।", 0, "body", "paragraph"),
              ("लंबा", 1, "heading", "word"), ("शीर्षक दो", 1, "heading", "paragraph"),
              ("दूसरा।", 1, "body", "sentence")),
         "एक बहुत लंबा शीर्षक\n\nपहला वाक्य।\n\nलंबा शीर्षक दो\n\nदूसरा।\n"),
        # sentences of one paragraph join; a paragraph end and a new section start a block
        (cues(("पहला।", 0, "body", "sentence"), ("दूसरा,", 0, "body", "clause"),
              ("तीसरा।", 0, "body", "paragraph"), ("चौथा।", 0, "body", "sentence"),
              ("पाँचवाँ।", 1, "body", "sentence")),
         "पहला। दूसरा, तीसरा।\n\nचौथा।\n\nपाँचवाँ।\n"),
        # spaces and line breaks inside a cue fold to one space; ZWJ/ZWNJ are kept
        (cues(("क्\u200dष  और\nज्ञ\u200c", 0, "body", "sentence"),), "क्\u200dष और ज्ञ\u200c\n"),
        # no cue at all: the title alone
        (Timeline(0, (), ()), f"{SCRIPT.title}\n"),
    ],
)
def test_blocks(timeline: Timeline, expected: str) -> None:
    text = transcript_text(SCRIPT, timeline)
    assert text == expected
    assert unicodedata.is_normalized("NFC", text)


def test_transcript_golden_with_tables(table_timeline: Timeline) -> None:
    """A table is shown as a table where it is heard: its caption, then its cells in
    aligned columns (figures to the right, ``|`` in a cell escaped), not the sentences its
    rows were read as; a table too large to read aloud after the notice said instead."""
    text = transcript_text(SCRIPT, table_timeline)
    assert text == (GOLDEN / "transcript-tables.txt").read_text(encoding="utf-8")
    assert "9.5% अधिक" not in text and "+9.5" in text  # the cells, not the spoken rows
    assert text.index("17 पंक्तियों की") < text.index("| राज्य 1 ")
    # The captions stay what was said, cue by cue.
    captions = captions_vtt(table_timeline)
    assert "9.5% अधिक।" in captions and "| राज्य" not in captions


@pytest.mark.parametrize(
    ("text", "width"),
    [
        ("रक्षा", 4),  # the virama takes no column
        ("ग्रामीण विकास", 12),  # a vowel sign beside a letter takes one
        ("क़", 1),  # a nukta
        ("क्‍ष", 2),  # ZWJ
        ("6,81,210", 8),
        ("₹", 1),
        ("表", 2),
        ("", 0),
    ],
)
def test_text_width_counts_terminal_columns(text: str, width: int) -> None:
    assert text_width(unicodedata.normalize("NFC", text)) == width


def test_table_lines_pad_by_columns_and_keep_ragged_rows() -> None:
    table = Table("", (), (("दिल्ली", "94.72"), ("मुंबई", "103.44", "ऊपर"), ("क|ख",)))
    assert table_lines(table) == [
        "| दिल्ली |  94.72 |     |",
        "| मुंबई   | 103.44 | ऊपर |",
        "| क\\|ख  |        |     |",
    ]
    only = Table("", ("शहर",), ())  # a header and no rows: the header and its rule
    assert table_lines(only) == ["| शहर |", "| --- |"]


def test_a_table_alone_is_the_transcript() -> None:
    table = Table("", ("दल", "सीटें"), (("क", "12"), ("ख", "7")))
    cues = tuple(
        Cue(f"{label}: सीटें {n}।", i * 1000, i * 1000 + 900, 0, ends="paragraph",
            table=TablePart(table, "row", i))
        for i, (label, n) in enumerate(table.rows)
    )
    text = transcript_text(SCRIPT, Timeline(2000, (Chapter("क", 0, 2000),), cues))
    assert text == "| दल  | सीटें |\n| --- | --: |\n| क   |  12 |\n| ख   |   7 |\n"
