"""``<slug>.txt``: the plain-text transcript, read like the article."""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from narrate.model import Chapter, Cue, Script, Timeline
from narrate.publish.transcript import transcript_text

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
