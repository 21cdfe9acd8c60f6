"""WebVTT captions and chapters."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from narrate.model import Timeline
from narrate.publish.vtt import captions_vtt, chapters_vtt, escape, timestamp

GOLDEN = Path(__file__).parent / "golden"
STAMP = r"(\d{2,}):(\d{2}):(\d{2})\.(\d{3})"
CUE_TIMING = re.compile(f"^{STAMP} --> {STAMP}$")


def test_captions_golden(timeline: Timeline) -> None:
    assert captions_vtt(timeline) == (GOLDEN / "captions.vtt").read_text(encoding="utf-8")


def test_chapters_golden(timeline: Timeline) -> None:
    assert chapters_vtt(timeline) == (GOLDEN / "chapters.vtt").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("ms", "stamp"),
    [(0, "00:00:00.000"), (1, "00:00:00.001"), (61_010, "00:01:01.010"),
     (3_600_001, "01:00:00.001"), (360_000_000, "100:00:00.000")],
)
def test_timestamps(ms: int, stamp: str) -> None:
    assert timestamp(ms) == stamp


def test_escaping() -> None:
    assert escape("a <b> & c --> d") == "a &lt;b&gt; &amp; c --&gt; d"
    assert escape("एक\n\nदो\tतीन ") == "एक दो तीन"
    assert escape("&amp;") == "&amp;amp;"


def _blocks(text: str) -> list[list[str]]:
    assert text.startswith("WEBVTT\n\n")
    assert text.endswith("\n") and not text.endswith("\n\n")
    return [block.split("\n") for block in text.strip("\n").split("\n\n")[1:]]


def test_captions_structure(timeline: Timeline) -> None:
    blocks = _blocks(captions_vtt(timeline))
    assert len(blocks) == len(timeline.cues)
    for n, (block, cue) in enumerate(zip(blocks, timeline.cues, strict=True), 1):
        ident, timing, *text = block
        assert ident == str(n)
        assert len(text) == 1 and text[0]  # one line: a blank line would end the cue
        assert "-->" not in text[0] and "<" not in text[0]
        match = CUE_TIMING.match(timing)
        assert match
        h, m, s, f, h2, m2, s2, f2 = map(int, match.groups())
        assert ((h * 60 + m) * 60 + s) * 1000 + f == cue.start_ms
        assert ((h2 * 60 + m2) * 60 + s2) * 1000 + f2 == cue.end_ms


def test_chapters_structure(timeline: Timeline) -> None:
    blocks = _blocks(chapters_vtt(timeline))
    assert [b[0] for b in blocks] == ["ch0", "ch1", "ch2"]
    assert blocks[1][2] == "मंडियों में क्या बदला? &lt;दाम&gt; &amp; \"भाव\""


def test_negative_times_are_refused() -> None:
    with pytest.raises(ValueError):
        timestamp(-1)
