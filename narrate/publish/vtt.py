"""WebVTT: captions (one cue per caption piece of a chunk, at most about 80 characters, the text
as the article wrote it: see :func:`narrate.mix.timeline.chunk_cues`) and a chapters track
(one cue per chapter) for the web player's ``<track kind="captions">`` and
``<track kind="chapters">``.

Cue text is escaped as WebVTT requires: ``&`` as ``&amp;``, ``<`` as ``&lt;`` and ``>`` as
``&gt;`` (so ``-->`` can never end up in a cue); line breaks become spaces, because a blank
line would end the cue.
"""

from __future__ import annotations

import re

from narrate.model import Timeline

HEADER = "WEBVTT"
_SPACE = re.compile(r"\s+")


def timestamp(ms: int) -> str:
    """``HH:MM:SS.mmm`` (hours always written: episodes may pass an hour)."""
    if ms < 0:
        raise ValueError(f"negative time {ms} ms")
    seconds, millis = divmod(ms, 1000)
    minutes, secs = divmod(seconds, 60)
    hours, mins = divmod(minutes, 60)
    return f"{hours:02d}:{mins:02d}:{secs:02d}.{millis:03d}"


def escape(text: str) -> str:
    """Cue text safe for WebVTT, on one line."""
    text = _SPACE.sub(" ", text).strip()
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _document(cues: list[tuple[str, int, int, str]]) -> str:
    blocks = [HEADER]
    for ident, start, end, text in cues:
        blocks.append(f"{ident}\n{timestamp(start)} --> {timestamp(end)}\n{escape(text)}")
    return "\n\n".join(blocks) + "\n"


def captions_vtt(timeline: Timeline) -> str:
    """Captions: cue ``1``, ``2``, … per timeline cue, at the times it is heard."""
    return _document(
        [(str(n), cue.start_ms, cue.end_ms, cue.text) for n, cue in enumerate(timeline.cues, 1)]
    )


def chapters_vtt(timeline: Timeline) -> str:
    """Chapters track: cue ``ch0``, ``ch1``, … (the ID3 element ids) per chapter, text = title."""
    return _document(
        [
            (f"ch{n}", chapter.start_ms, chapter.end_ms, chapter.title)
            for n, chapter in enumerate(timeline.chapters)
        ]
    )
