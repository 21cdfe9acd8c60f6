"""Podcasting 2.0 JSON chapters."""

from __future__ import annotations

import json
from pathlib import Path

from narrate.model import Timeline
from narrate.publish.chapters import chapters_json

GOLDEN = Path(__file__).parent / "golden"


def test_golden(timeline: Timeline) -> None:
    expected = (GOLDEN / "chapters.json").read_text(encoding="utf-8")
    assert chapters_json(timeline, title="मानसून की अच्छी बारिश") == expected


def test_format(timeline: Timeline) -> None:
    doc = json.loads(chapters_json(timeline))
    assert doc["version"] == "1.2.0"
    assert "title" not in doc
    chapters = doc["chapters"]
    assert [c["title"] for c in chapters] == [c.title for c in timeline.chapters]
    for chapter, original in zip(chapters, timeline.chapters, strict=True):
        assert isinstance(chapter["startTime"], float)
        assert round(chapter["startTime"] * 1000) == original.start_ms
        assert round(chapter["endTime"] * 1000) == original.end_ms


def test_every_millisecond_reads_back_exactly() -> None:
    from narrate.publish.chapters import seconds

    for ms in range(0, 200_000, 7):
        assert round(float(json.dumps(seconds(ms))) * 1000) == ms


def test_deterministic_and_unicode_kept(timeline: Timeline) -> None:
    text = chapters_json(timeline)
    assert text == chapters_json(timeline)
    assert "मानसून" in text and "\\u" not in text
    assert text.endswith("}\n")
