"""More than 255 chapters: a nested table of contents (ID3v2 Chapter Frame Addendum 1.0).

A CTOC's entry count is one byte; an episode of 300 sections gets a top-level CTOC of
ordered sub-CTOCs, read back by mutagen and by the bundled ffmpeg.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from narrate.errors import PublishError
from narrate.mix import write_tags
from narrate.mix.tags import TOC_ID, TOC_MAX_ENTRIES, _tables

from .conftest import ffmpeg_chapters
from .test_tags import _script, _timeline, silent_mp3  # noqa: F401  the fixture

TITLES_300 = [f"खंड {n}" for n in range(1, 301)]


def test_three_hundred_chapters_get_a_table_of_tables(
    silent_mp3: Path, tmp_path: Path  # noqa: F811
) -> None:
    mp3 = tmp_path / "long.mp3"
    shutil.copy(silent_mp3, mp3)
    timeline = _timeline(TITLES_300)
    write_tags(mp3, script=_script(TITLES_300), timeline=timeline, podcast="p",
               description="d", engine="espeak")
    tags = ID3(mp3)
    tocs = {t.element_id: t for t in tags.getall("CTOC")}
    root = tocs[TOC_ID]
    assert root.child_element_ids == ["toc0", "toc1"]
    assert [len(tocs[c].child_element_ids) for c in root.child_element_ids] == [255, 45]
    listed = [ch for c in root.child_element_ids for ch in tocs[c].child_element_ids]
    chaps = {c.element_id: c for c in tags.getall("CHAP")}
    assert listed == [f"ch{i}" for i in range(300)] and set(listed) == set(chaps)
    assert [str(chaps[i].sub_frames["TIT2"].text[0]) for i in listed] == TITLES_300
    # an independent reader sees every chapter, in order, with its title
    read = ffmpeg_chapters(mp3)
    assert [t for _, _, t in read] == TITLES_300
    assert [s for s, _, _ in read] == [c.start_ms for c in timeline.chapters]


def test_up_to_255_chapters_keep_one_table() -> None:
    (toc,) = _tables([f"ch{i}" for i in range(TOC_MAX_ENTRIES)], "t")
    assert toc.element_id == TOC_ID and len(toc.child_element_ids) == TOC_MAX_ENTRIES


def test_beyond_two_levels_is_one_clear_error() -> None:
    ids = [f"ch{i}" for i in range(TOC_MAX_ENTRIES * TOC_MAX_ENTRIES + 1)]
    with pytest.raises(PublishError, match="table of contents holds at most 65025"):
        _tables(ids, "t")
