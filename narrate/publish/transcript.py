"""``<slug>.txt``: the transcript as plain text, for readers, search engines and podcast apps
that show a transcript without timing (Podcasting 2.0's ``podcast:transcript`` of type
``text/plain``).

It reads like the article: the title (with the date, when the narration says one), then each
section's heading and its paragraphs, as the article wrote them (the cues' text, not the
spoken form), a blank line between blocks. Every block comes from the timeline's cues, the
same ones the captions and the embed page's transcript show, so the three never disagree
about what was said.
"""

from __future__ import annotations

from narrate.model import Script, Timeline


def transcript_text(script: Script, timeline: Timeline) -> str:
    """The plain-text transcript of the episode of ``script`` (UTF-8 text, ``\\n`` line
    ends, one line per block, a blank line between blocks, a final newline)."""
    blocks: list[str] = []
    lines: list[str] = []
    kind: str | None = None
    section: int | None = None

    def flush() -> None:
        if lines:
            blocks.append(" ".join(" ".join(lines).split()))
            lines.clear()

    for cue in timeline.cues:
        if cue.kind != kind or cue.section != section:
            flush()
        kind, section = cue.kind, cue.section
        lines.append(cue.text)
        if cue.kind == "body" and cue.ends == "paragraph":
            flush()
    flush()
    if not blocks:
        blocks.append(script.title)
    return "\n\n".join(blocks) + "\n"
