"""The layout rules, without audio."""

from __future__ import annotations

import pytest

from narrate.mix.settings import MixSettings
from narrate.mix.timeline import (
    Span,
    build_timeline,
    chapter_start,
    chunk_cues,
    duration_step_ms,
    pause_between,
    pauses,
    round_up,
)
from narrate.model import Caption, Chunk, Link, Script, ScriptSection

S = MixSettings()


def chunk(kind: str = "body", ends: str = "sentence") -> Chunk:
    return Chunk("क", "क", kind, ends)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("before", "after", "new_section", "expected"),
    [
        (chunk(ends="word"), chunk(), False, S.phrase_pause_ms),
        (chunk(ends="phrase"), chunk(), False, S.phrase_pause_ms),
        (chunk(ends="clause"), chunk(), False, S.clause_pause_ms),
        (chunk(ends="sentence"), chunk(), False, S.sentence_pause_ms),
        (chunk(ends="paragraph"), chunk(), False, S.paragraph_pause_ms),
        (chunk("title", "sentence"), chunk("title"), False, S.sentence_pause_ms),
        (chunk("title", "paragraph"), chunk(), False, S.title_pause_ms),
        (chunk("title", "paragraph"), chunk("heading"), False, S.title_pause_ms),
        (chunk("heading", "paragraph"), chunk(), False, S.heading_pause_ms),
        (chunk(ends="paragraph"), chunk("heading"), True, S.section_pause_ms),
        (chunk(ends="word"), chunk(), True, S.section_pause_ms),
        (chunk("title", "paragraph"), chunk("heading"), True,
         max(S.section_pause_ms, S.title_pause_ms)),
    ],
)
def test_the_most_specific_pause_applies(
    before: Chunk, after: Chunk, new_section: bool, expected: int
) -> None:
    assert pause_between(before, after, new_section=new_section, settings=S) == expected


def test_every_pause_is_configurable() -> None:
    custom = MixSettings(clause_pause_ms=1, sentence_pause_ms=2, paragraph_pause_ms=3,
                         section_pause_ms=4, heading_pause_ms=5, title_pause_ms=6,
                         phrase_pause_ms=7)
    script = Script("t", None, (
        ScriptSection("a", (chunk("title", "paragraph"), chunk(ends="clause"),
                            chunk(ends="sentence"), chunk(ends="paragraph"), chunk())),
        ScriptSection("b", (chunk("heading", "paragraph"), chunk(ends="phrase"), chunk())),
    ))
    assert pauses(script, custom) == (0, 6, 1, 2, 3, 4, 5, 7)


def test_duration_steps_are_whole_samples() -> None:
    assert duration_step_ms(44100) == 10
    assert duration_step_ms(22050, 44100) == 20
    assert duration_step_ms(24000, 44100) == 10
    assert duration_step_ms(48000) == 1
    for rate in (22050, 24000, 44100, 48000):
        step = duration_step_ms(rate)
        assert step * rate % 1000 == 0
    assert round_up(1001, 20) == 1020
    assert round_up(1020, 20) == 1020


def test_chapter_starts_lead_the_first_sound_by_at_most_half_the_pause() -> None:
    assert chapter_start(5000, 3600, S) == 5000 - S.chapter_lead_ms
    assert chapter_start(5000, 4800, S) == 4900  # a short pause: its middle
    assert chapter_start(5000, 5000, S) == 5000


def _script() -> Script:
    return Script("t", None, (
        ScriptSection("एक", (chunk("title", "paragraph"), chunk())),
        ScriptSection("खाली", ()),
        ScriptSection("दो", (chunk("heading", "paragraph"), chunk(), chunk())),
        ScriptSection("तीन", (chunk(),)),
    ))


def test_timeline_chapters_and_cues() -> None:
    spans = [Span(300, 1000), Span(2300, 3000), Span(4400, 5000), Span(5750, 6000),
             Span(6550, 7000), Span(8400, 9000)]
    timeline = build_timeline(_script(), spans, duration_ms=9800, settings=S)
    assert [(c.title, c.start_ms, c.end_ms) for c in timeline.chapters] == [
        ("एक", 0, 4100), ("दो", 4100, 8100), ("तीन", 8100, 9800),
    ]
    assert [(c.start_ms, c.end_ms, c.section) for c in timeline.cues] == [
        (300, 1000, 0), (2300, 3000, 0), (4400, 5000, 2), (5750, 6000, 2), (6550, 7000, 2),
        (8400, 9000, 3),
    ]
    assert [c.kind for c in timeline.cues] == ["title", "body", "heading", "body", "body", "body"]
    assert timeline.duration_ms == 9800


def test_spans_must_match_the_chunks() -> None:
    with pytest.raises(ValueError, match="spans"):
        build_timeline(_script(), [Span(0, 1)], duration_ms=10, settings=S)


def _captioned() -> Chunk:
    """A whole-sentence chunk with three caption pieces, a link in the second."""
    display = "सुप्रीम कोर्ट ने बुधवार को, याचिकाओं पर सुनवाई करते हुए केंद्र से जवाब मांगा"
    return Chunk(
        "…", display, "body", "paragraph",
        links=(Link("सुनवाई करते", "https://example.org/s"),),
        captions=(Caption("सुप्रीम कोर्ट ने बुधवार को,", 30),
                  Caption("याचिकाओं पर सुनवाई करते हुए", 20),
                  Caption("केंद्र से जवाब मांगा", 10)),
    )


def test_a_chunks_caption_pieces_share_its_time_in_proportion() -> None:
    cues = chunk_cues(_captioned(), Span(1000, 7001), section=2)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 4000), (4000, 6001), (6001, 7001)]
    assert [c.text for c in cues] == [p.text for p in _captioned().captions]
    assert [c.ends for c in cues] == ["clause", "phrase", "paragraph"]
    assert {c.section for c in cues} == {2} and {c.kind for c in cues} == {"body"}
    assert [len(c.links) for c in cues] == [0, 1, 0]


def test_caption_cues_start_with_their_clip_so_chapters_still_agree() -> None:
    script = Script("t", None, (
        ScriptSection("एक", (chunk("title", "paragraph"), _captioned())),
        ScriptSection("दो", (chunk("heading", "paragraph"), _captioned())),
    ))
    spans = [Span(300, 1000), Span(2300, 9000), Span(10_400, 11_000), Span(11_750, 20_000)]
    timeline = build_timeline(script, spans, duration_ms=20_800, settings=S)
    assert len(timeline.cues) == 8
    starts = {c.start_ms for c in timeline.cues}
    assert {s.start_ms for s in spans} <= starts
    heading = next(c for c in timeline.cues if c.kind == "heading")
    chapter = timeline.chapters[1]
    assert chapter.start_ms == chapter_start(heading.start_ms, 9000, S)
    for a, b in zip(timeline.cues, timeline.cues[1:], strict=False):
        assert a.end_ms <= b.start_ms


def test_a_punctuated_piece_ends_where_the_voice_pauses() -> None:
    """The spoken lengths put the first boundary at 4000 ms; the voice pauses at 4350 ms:
    the cue after the comma starts there. The unpunctuated boundary keeps its share, and a
    pause too far away (or out of order) is not taken."""
    span = Span(1000, 7001, pauses=(3350, 4600, 5800))
    cues = chunk_cues(_captioned(), span, section=0)
    assert [(c.start_ms, c.end_ms) for c in cues] == [(1000, 4350), (4350, 6001), (6001, 7001)]
    far = chunk_cues(_captioned(), Span(1000, 7001, pauses=(5, 5500)), section=0)
    assert [c.start_ms for c in far] == [1000, 4000, 6001]
