"""write_tags: ID3v2.3 frames, chapters in chronological order, long Hindi titles in ffmpeg."""

from __future__ import annotations

import datetime as dt
import shutil
import struct
import subprocess
from pathlib import Path

import pytest
from mutagen.id3 import ID3, TIT2
from mutagen.mp3 import MP3

from narrate.errors import PublishError
from narrate.mix import write_tags
from narrate.mix.tags import ChronologicalID3, build_tags
from narrate.model import Chapter, Chunk, Script, ScriptSection, Timeline

from .conftest import FFMPEG, LONG_TITLE, ffmpeg_chapters

# Titles whose lengths are not in time order, so ordering by size would scramble them.
TITLES = [
    "परिचय", LONG_TITLE, "क्या बदला", "विशेषज्ञ क्या कहते हैं?", "आगे", "एक", "दो",
    "किसानों को सिंचाई पर करोड़ों रुपये ख़र्च करने पड़े हैं और आगे भी", "तीन", "चार",
    "पाँच", "अंत में कुछ बातें जो याद रखनी हैं",
]
DURATION_MS = 12_000


@pytest.fixture(scope="module")
def silent_mp3(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("mp3") / "silence.mp3"
    subprocess.run(
        [FFMPEG, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
         "anullsrc=r=44100:cl=mono", "-t", str(DURATION_MS / 1000), "-c:a", "libmp3lame",
         "-b:a", "96k", "-id3v2_version", "0", str(path)],
        check=True,
    )
    return path


def _timeline(titles: list[str] = TITLES, duration_ms: int = DURATION_MS) -> Timeline:
    step = duration_ms // len(titles)
    starts = [i * step for i in range(len(titles))]
    ends = [*starts[1:], duration_ms]
    return Timeline(
        duration_ms=duration_ms,
        chapters=tuple(Chapter(t, s, e) for t, s, e in zip(titles, starts, ends, strict=True)),
        cues=(),
    )


def _script(titles: list[str] = TITLES) -> Script:
    sections = tuple(
        ScriptSection(t, (Chunk(t, t, "heading" if i else "title", "paragraph"),))
        for i, t in enumerate(titles)
    )
    return Script(title="मानसून की अच्छी बारिश से किसानों को राहत", date=dt.date(2025, 8, 14),
                  sections=sections, author="narrate समाचार डेस्क")


@pytest.fixture
def tagged(tmp_path: Path, silent_mp3: Path) -> Path:
    mp3 = tmp_path / "episode.mp3"
    shutil.copyfile(silent_mp3, mp3)
    write_tags(mp3, script=_script(), timeline=_timeline(), podcast="narrate पॉडकास्ट",
               description="मानसून पर एक रिपोर्ट", engine="espeak-ng 1.52")
    return mp3


def raw_frames(data: bytes) -> list[tuple[str, bytes]]:
    """Top-level frames of an ID3v2.3 tag, in file order, read by hand."""
    assert data[:3] == b"ID3"
    assert data[3] == 3, "ID3v2.3"
    size = 0
    for b in data[6:10]:
        size = (size << 7) | b
    body = data[10 : 10 + size]
    frames = []
    pos = 0
    while pos + 10 <= len(body) and body[pos : pos + 4] != b"\0\0\0\0":
        frame_id, frame_size, _flags = struct.unpack(">4sIH", body[pos : pos + 10])
        frames.append((frame_id.decode("ascii"), body[pos + 10 : pos + 10 + frame_size]))
        pos += 10 + frame_size
    return frames


def chap_parts(payload: bytes) -> tuple[str, int, int, int, int, list[tuple[str, bytes]]]:
    element, _, rest = payload.partition(b"\0")
    start, end, start_off, end_off = struct.unpack(">IIII", rest[:16])
    subs = []
    pos = 16
    while pos + 10 <= len(rest):
        sub_id, sub_size, _ = struct.unpack(">4sIH", rest[pos : pos + 10])  # plain size in v2.3
        subs.append((sub_id.decode("ascii"), rest[pos + 10 : pos + 10 + sub_size]))
        pos += 10 + sub_size
    assert pos == len(rest), "sub-frame sizes add up to the CHAP frame"
    return element.decode("ascii"), start, end, start_off, end_off, subs


def test_chap_frames_are_stored_in_chronological_order(tagged: Path) -> None:
    frames = raw_frames(tagged.read_bytes())
    chaps = [chap_parts(payload) for frame_id, payload in frames if frame_id == "CHAP"]
    assert [c[0] for c in chaps] == [f"ch{i}" for i in range(len(TITLES))]
    assert [c[1] for c in chaps] == sorted(c[1] for c in chaps)
    ids = [frame_id for frame_id, _ in frames]
    assert ids.index("CTOC") < ids.index("CHAP")


def test_plain_mutagen_would_not_keep_them_in_order(silent_mp3: Path, tmp_path: Path) -> None:
    """Why ChronologicalID3 exists: mutagen sorts frames by size."""
    tags = build_tags(script=_script(), timeline=_timeline(), podcast="p", description="",
                      engine="e")
    plain = ID3()
    for frame in tags.values():
        plain.add(frame)
    mp3 = tmp_path / "plain.mp3"
    shutil.copyfile(silent_mp3, mp3)
    plain.save(mp3, v2_version=3)
    order = [chap_parts(p)[0] for f, p in raw_frames(mp3.read_bytes()) if f == "CHAP"]
    assert order != [f"ch{i}" for i in range(len(TITLES))]
    assert isinstance(tags, ChronologicalID3)


def test_chapter_frames_in_detail(tagged: Path) -> None:
    frames = raw_frames(tagged.read_bytes())
    chaps = [chap_parts(p) for f, p in frames if f == "CHAP"]
    timeline = _timeline()
    for (_element, start, end, start_off, end_off, subs), chapter in zip(
        chaps, timeline.chapters, strict=True
    ):
        assert (start, end) == (chapter.start_ms, chapter.end_ms)
        assert (start_off, end_off) == (0xFFFFFFFF, 0xFFFFFFFF)
        assert [s[0] for s in subs] == ["TIT2"]
        text = subs[0][1]
        assert text[0] == 1  # UTF-16 with BOM: 2 bytes a Devanagari character
        assert text[1:].decode("utf-16").rstrip("\0") == chapter.title
    long_one = next(c for c in chaps if c[0] == "ch1")
    assert len(long_one[5][0][1]) > 127  # the size a v2.4 syncsafe reader would misread


def test_toc_is_top_level_ordered_and_titled(tagged: Path) -> None:
    toc = ID3(tagged).getall("CTOC")
    assert len(toc) == 1
    assert toc[0].element_id == "toc"
    assert toc[0].flags == 3  # top-level | ordered
    assert toc[0].child_element_ids == [f"ch{i}" for i in range(len(TITLES))]
    assert toc[0].sub_frames["TIT2"].text == ["मानसून की अच्छी बारिश से किसानों को राहत"]


def test_episode_frames(tagged: Path) -> None:
    tags = ID3(tagged)
    assert tags.version == (2, 3, 0)
    assert tags["TIT2"].text == ["मानसून की अच्छी बारिश से किसानों को राहत"]
    assert tags["TPE1"].text == ["narrate समाचार डेस्क"]
    assert tags["TALB"].text == ["narrate पॉडकास्ट"]
    assert tags["TLAN"].text == ["hin"]
    assert tags["TLEN"].text == [str(DURATION_MS)]
    assert tags.getall("COMM")[0].text == ["मानसून पर एक रिपोर्ट"]
    assert tags.getall("TXXX")[0].desc == "narrate engine"
    assert tags.getall("TXXX")[0].text == ["espeak-ng 1.52"]
    raw = dict(raw_frames(tagged.read_bytes()))
    assert "TDRC" not in raw  # a v2.4 frame
    assert raw["TYER"][1:].decode("utf-16").rstrip("\0") == "2025"
    assert raw["TDAT"][1:].decode("utf-16").rstrip("\0") == "1408"  # DDMM


def test_ffmpeg_reads_long_hindi_titles(tagged: Path) -> None:
    timeline = _timeline()
    assert ffmpeg_chapters(tagged) == [(c.start_ms, c.end_ms, c.title) for c in timeline.chapters]


def test_tags_do_not_change_the_audio_duration(tagged: Path, silent_mp3: Path) -> None:
    assert MP3(tagged).info.length == MP3(silent_mp3).info.length


def test_writing_twice_replaces_the_tag(tagged: Path) -> None:
    titles = ["पहला", "दूसरा"]
    write_tags(tagged, script=_script(titles), timeline=_timeline(titles), podcast="p",
               description="", engine="gtts")
    tags = ID3(tagged)
    assert [c.element_id for c in tags.getall("CHAP")] == ["ch0", "ch1"]
    assert tags.getall("TXXX")[0].text == ["gtts"]
    assert tags.getall("COMM") == []
    assert tagged.read_bytes().count(b"ID3\x03") == 1


def test_author_falls_back_to_the_podcast(tagged: Path) -> None:
    script = Script(title="t", date=None, sections=_script().sections)
    write_tags(tagged, script=script, timeline=_timeline(), podcast="narrate", description="d",
               engine="e")
    tags = ID3(tagged)
    assert tags["TPE1"].text == ["narrate"]
    assert "TYER" not in tags


def test_cover_picture(tagged: Path, tmp_path: Path) -> None:
    cover = tmp_path / "cover.png"
    cover.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 64)
    write_tags(tagged, script=_script(), timeline=_timeline(), podcast="p", description="d",
               engine="e", cover=cover)
    apic = ID3(tagged).getall("APIC")[0]
    assert (apic.mime, apic.type, apic.data) == ("image/png", 3, cover.read_bytes())
    assert [f for f, _ in raw_frames(tagged.read_bytes())][-1] == "APIC"


def test_a_bad_cover_is_a_publish_error_and_leaves_the_file(tagged: Path, tmp_path: Path) -> None:
    before = tagged.read_bytes()
    with pytest.raises(PublishError, match="JPEG or PNG"):
        write_tags(tagged, script=_script(), timeline=_timeline(), podcast="p",
                   description="d", engine="e", cover=tmp_path / "cover.gif")
    with pytest.raises(PublishError, match="cannot be read"):
        write_tags(tagged, script=_script(), timeline=_timeline(), podcast="p",
                   description="d", engine="e", cover=tmp_path / "missing.jpg")
    assert tagged.read_bytes() == before
    assert [p.name for p in tagged.parent.iterdir()] == ["episode.mp3"]


def test_an_interrupted_save_leaves_the_mp3_untouched(
    tagged: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = tagged.read_bytes()

    def boom(self: object, *args: object, **kwargs: object) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(ChronologicalID3, "save", boom)
    with pytest.raises(KeyboardInterrupt):
        write_tags(tagged, script=_script(), timeline=_timeline(), podcast="p",
                   description="d", engine="e")
    assert tagged.read_bytes() == before
    assert [p.name for p in tagged.parent.iterdir()] == ["episode.mp3"]


def test_broken_timelines_are_refused(tagged: Path) -> None:
    gap = Timeline(1000, (Chapter("a", 0, 400), Chapter("b", 500, 1000)), ())
    short = Timeline(1000, (Chapter("a", 0, 400), Chapter("b", 400, 900)), ())
    for timeline in (gap, short, Timeline(1000, (), ())):
        with pytest.raises(PublishError):
            write_tags(tagged, script=_script(), timeline=timeline, podcast="p",
                       description="d", engine="e")


def test_subframe_titles_use_v23_sizes(tagged: Path) -> None:
    """mutagen reads the tag back identically (sizes and encodings consistent)."""
    chaps = {c.element_id: c for c in ID3(tagged).getall("CHAP")}
    assert chaps["ch1"].sub_frames["TIT2"] == TIT2(text=[LONG_TITLE])


def test_the_private_mutagen_api_we_rely_on_is_there() -> None:
    """ChronologicalID3 overrides ``ID3Tags._write(self, config)`` and calls
    ``save_frame(frame, config=...)``; pyproject.toml pins mutagen to releases that have
    both as used here."""
    import inspect

    import mutagen.id3._tags as private

    assert list(inspect.signature(private.ID3Tags._write).parameters) == ["self", "config"]
    assert {"frame", "config"} <= set(inspect.signature(private.save_frame).parameters)
    assert issubclass(ID3, private.ID3Tags)
