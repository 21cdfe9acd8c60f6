"""The episode's ID3v2.3 tag and chapters: written with mutagen after the last encode, and
read back when the episode is published (:func:`read_tag_info`).

Why v2.3: ffmpeg (and so ffprobe, and players built on it) reads the size of a ``CHAP``
frame's sub-frames as a plain 32-bit number. In v2.4 sizes are "syncsafe" (7 bits a byte),
which agrees with a plain number only below 128 bytes. A ``TIT2`` of more than about 40
Devanagari characters (3 bytes each in UTF-8, v2.4's usual encoding) passes 128 bytes, ffmpeg
reads a size larger than the chapter and drops it. v2.3 sizes are plain, and its text is
UTF-16 (2 bytes a Devanagari character), so long Hindi titles survive.

Why a subclass: mutagen sorts frames by size when it saves, and ``CHAP`` frames of different
title lengths came out in no useful order; some players require them chronological. It
overrides mutagen's private ``ID3Tags._write(config)`` and calls its private
``mutagen.id3._tags.save_frame(frame, config=...)``, as mutagen 1.47 and 1.48 have them: the
dependency is pinned to those releases in ``pyproject.toml``, and ``tests/mix/test_tags.py``
fails on a mutagen without them.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any, BinaryIO

import mutagen
import mutagen.id3
import mutagen.id3._tags

from narrate.errors import PublishError
from narrate.fsutil import atomic_path, open_regular
from narrate.model import Script, Timeline

# mutagen ships partial type hints (untyped calls under mypy --strict): use it through Any.
id3: Any = mutagen.id3
_save_frame: Any = mutagen.id3._tags.save_frame
_MutagenError: type[Exception] = mutagen.MutagenError
_ID3: Any = id3.ID3

#: ID3 wants ISO 639-2 codes; the script carries ISO 639-1.
_ISO639_2 = {"hi": "hin", "en": "eng", "ur": "urd", "mr": "mar", "ne": "nep", "bn": "ben"}
_COVER_TYPES = {".jpg": "image/jpeg", ".jpeg": "image/jpeg", ".png": "image/png"}
#: Element id of the table of contents; chapters are ``ch0``, ``ch1``, …
TOC_ID = "toc"
#: A CTOC's entry count is one byte (ID3v2 Chapter Frame Addendum 1.0, section 4.2): a
#: table lists at most 255 children. Longer episodes get a nested table: the top-level
#: ``toc`` lists ordered sub-tables ``toc0``, ``toc1``, … of up to 255 chapters each (the
#: addendum lets a CTOC's children be CTOCs), so 65 025 chapters fit in two levels.
TOC_MAX_ENTRIES = 255
#: Byte offsets are unknown (and useless for a CBR file players seek by time).
NO_OFFSET = 0xFFFFFFFF
ENGINE_DESC = "narrate engine"

_TEXT = id3.Encoding.UTF16  # what mutagen writes for v2.3 anyway; said explicitly


def chapter_id(index: int) -> str:
    return f"ch{index}"


def _frame_order(item: tuple[int, Any]) -> tuple[int, int, int]:
    """Text frames first (in the order added), then the table of contents, the chapters by
    start time, and the (large) cover picture last."""
    index, frame = item
    frame_id = frame.FrameID
    if frame_id == "CTOC":
        return (1, 0, index)
    if frame_id == "CHAP":
        return (2, int(frame.start_time), index)
    if frame_id == "APIC":
        return (3, 0, index)
    return (0, 0, index)


class ChronologicalID3(_ID3):  # type: ignore[misc]  # mutagen's ID3 is Any here
    """An :class:`ID3` that saves its frames in :func:`_frame_order` instead of by size."""

    def _write(self, config: Any) -> bytearray:
        frames = sorted(enumerate(self.values()), key=_frame_order)
        return bytearray().join(_save_frame(frame, config=config) for _, frame in frames)


def _language(code: str) -> str:
    return _ISO639_2.get(code, code if len(code) == 3 else "hin")


def _cover(cover: Path) -> Any:
    mime = _COVER_TYPES.get(cover.suffix.lower())
    if mime is None:
        found = cover.suffix or "no extension"
        raise PublishError(f"cover {cover}: use a JPEG or PNG file (found {found}).")
    try:
        data = cover.read_bytes()
    except OSError as e:
        raise PublishError(f"cover {cover} cannot be read ({e.strerror or e}).") from e
    if not data:
        raise PublishError(f"cover {cover} is empty.")
    front = id3.PictureType.COVER_FRONT
    return id3.APIC(encoding=_TEXT, mime=mime, type=front, desc="Cover", data=data)


def build_tags(
    *,
    script: Script,
    timeline: Timeline,
    podcast: str,
    description: str,
    engine: str,
    cover: Path | None = None,
    author: str | None = None,
) -> ChronologicalID3:
    """The tag as frames (not yet saved): see :func:`write_tags`."""
    tags = ChronologicalID3()
    lang = _language(script.language)
    tags.add(id3.TIT2(encoding=_TEXT, text=[script.title]))
    tags.add(id3.TPE1(encoding=_TEXT, text=[script.author or author or podcast]))
    tags.add(id3.TALB(encoding=_TEXT, text=[podcast]))
    if script.date is not None:
        tags.add(id3.TYER(encoding=_TEXT, text=[f"{script.date.year:04d}"]))
        tags.add(id3.TDAT(encoding=_TEXT, text=[f"{script.date.day:02d}{script.date.month:02d}"]))
    tags.add(id3.TLAN(encoding=_TEXT, text=[lang]))
    tags.add(id3.TLEN(encoding=_TEXT, text=[str(timeline.duration_ms)]))
    if description:
        tags.add(id3.COMM(encoding=_TEXT, lang=lang, desc="", text=[description]))
    tags.add(id3.TXXX(encoding=_TEXT, desc=ENGINE_DESC, text=[engine]))
    ids = [chapter_id(i) for i in range(len(timeline.chapters))]
    for toc in _tables(ids, script.title):
        tags.add(toc)
    for element_id, chapter in zip(ids, timeline.chapters, strict=True):
        tags.add(
            id3.CHAP(
                element_id=element_id,
                start_time=chapter.start_ms,
                end_time=chapter.end_ms,
                start_offset=NO_OFFSET,
                end_offset=NO_OFFSET,
                sub_frames=[id3.TIT2(encoding=_TEXT, text=[chapter.title])],
            )
        )
    if cover is not None:
        tags.add(_cover(cover))
    return tags


def _tables(ids: list[str], title: str) -> list[Any]:
    """The table of contents for chapters ``ids``: one CTOC when they fit in one, else a
    top-level CTOC of sub-CTOCs (see :data:`TOC_MAX_ENTRIES`)."""
    heading = [id3.TIT2(encoding=_TEXT, text=[title])]
    top = id3.CTOCFlags.TOP_LEVEL | id3.CTOCFlags.ORDERED
    if len(ids) <= TOC_MAX_ENTRIES:
        return [id3.CTOC(element_id=TOC_ID, flags=top, child_element_ids=ids,
                         sub_frames=heading)]
    parts = [ids[i:i + TOC_MAX_ENTRIES] for i in range(0, len(ids), TOC_MAX_ENTRIES)]
    if len(parts) > TOC_MAX_ENTRIES:
        raise PublishError(
            f"the episode has {len(ids)} chapters; an MP3's table of contents holds at most "
            f"{TOC_MAX_ENTRIES * TOC_MAX_ENTRIES}. Probable cause: an article that is a list "
            "of headings; split it"
        )
    subs = [
        id3.CTOC(element_id=f"{TOC_ID}{n}", flags=id3.CTOCFlags.ORDERED,
                 child_element_ids=part,
                 sub_frames=[id3.TIT2(encoding=_TEXT, text=[f"{title} ({n + 1})"])])
        for n, part in enumerate(parts)
    ]
    root = id3.CTOC(element_id=TOC_ID, flags=top,
                    child_element_ids=[t.element_id for t in subs], sub_frames=heading)
    return [root, *subs]


def _check_chapters(timeline: Timeline) -> None:
    chapters = timeline.chapters
    if not chapters:
        raise PublishError("the episode has no chapters. Probable cause: an empty script.")
    previous = 0
    for chapter in chapters:
        if chapter.start_ms != previous or chapter.end_ms <= chapter.start_ms:
            raise PublishError(
                f"chapter {chapter.title!r} ({chapter.start_ms}–{chapter.end_ms} ms) "
                "does not follow the one before it."
            )
        previous = chapter.end_ms
    if previous != timeline.duration_ms:
        raise PublishError(
            f"the last chapter ends at {previous} ms, the episode at {timeline.duration_ms} ms."
        )


def write_tags(
    mp3: Path,
    *,
    script: Script,
    timeline: Timeline,
    podcast: str,
    description: str,
    engine: str,
    cover: Path | None = None,
    author: str | None = None,
) -> None:
    """Write the episode's ID3v2.3 tag to ``mp3`` (replacing any tag it has).

    Frames: TIT2 title, TPE1 the article's author (else the configured ``author``, else the
    podcast), TALB podcast, TYER/TDAT date, TLAN,
    TLEN duration, COMM description, TXXX ``narrate engine``, an optional APIC cover; a
    top-level ordered CTOC ``toc`` titled with the episode title, listing ``ch0``, ``ch1``, …;
    one CHAP per chapter with start/end in ms, unknown byte offsets and a TIT2 with the
    section's title as written. CHAP frames are stored in chronological order.

    The file is tagged as a copy beside it and renamed over it, so an interruption never
    leaves a half-tagged MP3.
    """
    _check_chapters(timeline)
    tags = build_tags(
        script=script, timeline=timeline, podcast=podcast, description=description,
        engine=engine, cover=cover, author=author,
    )
    try:
        with atomic_path(mp3, suffix=".mp3") as tmp:
            shutil.copyfile(mp3, tmp)
            tags.save(tmp, v1=0, v2_version=3)
    except (OSError, _MutagenError) as e:
        raise PublishError(f"cannot tag {mp3} ({e}).") from e


# -- reading it back -----------------------------------------------------------------------

#: The text frames read back (ID3v2.3/2.4 names, then ID3v2.2's).
_WANTED = frozenset({"TIT2", "TLEN", "COMM", "TDRC", "TYER", "TDAT", "TPE1", "TALB",
                     "TT2", "TLE", "COM", "TYE", "TDA", "TP1", "TAL"})
#: A wanted frame larger than this is not read: a title or a description is a few hundred
#: bytes, and mutagen's text splitting takes time quadratic in the values of a frame.
MAX_FRAME_BYTES = 64 * 1024
#: Frames walked in one tag: an episode's tag has its text frames, chapters and a picture.
MAX_FRAMES = 4096
#: An unsynchronised ID3v2.2/2.3 tag is read whole to be decoded; one larger is not read.
MAX_UNSYNC_TAG_BYTES = 1024 * 1024
#: The longest TLEN believed (digits): about 3 years in milliseconds.
_TLEN = re.compile(r"[0-9]{1,11}")


@dataclass(frozen=True)
class TagInfo:
    title: str | None = None
    date: str | None = None
    description: str | None = None
    duration_ms: int | None = None
    artist: str | None = None
    album: str | None = None


def _text(tags: Any, frame: str) -> str | None:
    found = tags.get(frame)
    if found is None or not found.text:
        return None
    return str(found.text[0])


def _synchsafe(data: bytes) -> int:
    return (data[0] & 0x7F) << 21 | (data[1] & 0x7F) << 14 | (data[2] & 0x7F) << 7 | data[3] & 0x7F


def _wanted_frames(f: BinaryIO) -> bytes | None:
    """A small ID3v2 tag holding only the wanted frames of the tag at the start of ``f``
    (each at most :data:`MAX_FRAME_BYTES`, none compressed or encrypted), or None when the
    file has no ID3v2 tag.

    The tag is walked frame by frame, seeking past the frames not wanted, so a tag of any
    size costs a few reads: mutagen would read it whole and cut it up (time quadratic in
    the number of frames). mutagen then parses the small tag this returns.
    """
    head = f.read(10)
    if len(head) < 10 or head[:3] != b"ID3" or head[3] not in (2, 3, 4):
        return None
    major, flags, size = head[3], head[5], _synchsafe(head[6:10])
    body: bytes | None = None
    if flags & 0x80 and major < 4:  # the whole tag is unsynchronised: decode it first
        if size > MAX_UNSYNC_TAG_BYTES:
            return None
        body = f.read(size).replace(b"\xff\x00", b"\xff")
        size = len(body)

    def read(at: int, n: int) -> bytes:
        if body is not None:
            return body[at:at + n]
        f.seek(10 + at)
        return f.read(n)

    at = 0
    if flags & 0x40 and major > 2:  # an extended header
        ext = read(0, 4)
        at = _synchsafe(ext) if major == 4 else 4 + int.from_bytes(ext, "big")
    header_size = 6 if major == 2 else 10
    kept: list[bytes] = []
    for _ in range(MAX_FRAMES):
        if at + header_size > size:
            break
        header = read(at, header_size)
        if len(header) < header_size or header[0] == 0:  # the end, or padding
            break
        if major == 2:
            name, length, frame_flags = header[:3], int.from_bytes(header[3:6], "big"), 0
        else:
            name, frame_flags = header[:4], int.from_bytes(header[8:10], "big")
            length = _synchsafe(header[4:8]) if major == 4 else int.from_bytes(header[4:8], "big")
        packed = frame_flags & (0x000C if major == 4 else 0x00C0)  # compressed or encrypted
        if (name.decode("latin-1") in _WANTED and 0 < length <= MAX_FRAME_BYTES
                and not packed):
            kept.append(header + read(at + header_size, length))
        at += header_size + length
    frames = b"".join(kept)
    return b"ID3" + bytes([major, 0, 0]) + bytes(
        [(len(frames) >> s) & 0x7F for s in (21, 14, 7, 0)]) + frames


def read_tag_info(mp3: Path) -> TagInfo:
    """Title, date (TYER + TDAT), description (COMM), TLEN, artist (TPE1) and album (TALB)
    from the episode's ID3 tag (an MP3 without one has none of them); PublishError naming
    the file when it is not a regular file that can be read. Reads a bounded part of the
    file whatever its tag holds (see :func:`_wanted_frames`)."""
    try:
        with open_regular(mp3) as f:
            tag = _wanted_frames(f)
    except OSError as e:
        raise PublishError(f"cannot read the tags of {mp3} ({e.strerror or e})") from e
    if tag is None:
        return TagInfo()
    try:
        tags = id3.ID3(io.BytesIO(tag), load_v1=False)
    except (OSError, _MutagenError) as e:
        raise PublishError(f"cannot read the tags of {mp3} ({e})") from e
    return TagInfo(
        title=_text(tags, "TIT2"),
        date=_tag_date(tags),
        description=_comment(tags),
        duration_ms=_int(_text(tags, "TLEN")),
        artist=_text(tags, "TPE1"),
        album=_text(tags, "TALB"),
    )


def _int(text: str | None) -> int | None:
    """A TLEN's milliseconds: ASCII digits of a believable length, else None (measured)."""
    return int(text) if text and _TLEN.fullmatch(text) else None


def _comment(tags: Any) -> str | None:
    comments = tags.getall("COMM")
    return str(comments[0].text[0]) if comments and comments[0].text else None


def _tag_date(tags: Any) -> str | None:
    """The article's date: mutagen reads v2.3's TYER + TDAT (DDMM) into a v2.4 TDRC."""
    stamp = _text(tags, "TDRC") or ""
    year, daymonth = _text(tags, "TYER"), _text(tags, "TDAT")
    if year and daymonth and len(daymonth) == 4:
        stamp = f"{year}-{daymonth[2:]}-{daymonth[:2]}"
    try:
        return dt.date.fromisoformat(stamp[:10]).isoformat() if len(stamp) >= 10 else None
    except ValueError:
        return None


def audio_length_ms(mp3: Path) -> int:
    """The MP3's length from its frames, for a file without a believable TLEN frame (the
    tag is skipped, not parsed; at most the first megabyte of audio is looked at)."""
    import mutagen.mp3

    try:
        with open_regular(mp3) as f:
            info: Any = mutagen.mp3.MPEGInfo(f)
    except OSError as e:
        raise PublishError(f"cannot read {mp3} ({e.strerror or e})") from e
    except _MutagenError as e:
        raise PublishError(f"{mp3} is not an MP3 file mutagen can read ({e})") from e
    return round(float(info.length) * 1000)
