"""Podcasting 2.0 JSON chapters (``<podcast:chapters type="application/json+chapters">``).

The format (version 1.2.0): an object with ``version`` and ``chapters``, optionally the
episode ``title``; each chapter has ``startTime`` (seconds, a number) and here also
``endTime`` and ``title``. Times come from the timeline's whole milliseconds, so each is a
number with at most three decimals that reads back as the exact millisecond.
"""

from __future__ import annotations

import json

from narrate.model import Timeline

VERSION = "1.2.0"
MIME_TYPE = "application/json+chapters"


def seconds(ms: int) -> float:
    """Milliseconds as seconds; ``round(seconds(ms) * 1000) == ms`` for every ms."""
    return ms / 1000


def chapters_json(timeline: Timeline, *, title: str | None = None) -> str:
    """The chapters file: deterministic (sorted keys, two-space indent, UTF-8 text kept as
    written, a final newline)."""
    doc: dict[str, object] = {
        "version": VERSION,
        "chapters": [
            {
                "startTime": seconds(chapter.start_ms),
                "endTime": seconds(chapter.end_ms),
                "title": chapter.title,
            }
            for chapter in timeline.chapters
        ],
    }
    if title:
        doc["title"] = title
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
