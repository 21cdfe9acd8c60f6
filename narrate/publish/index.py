"""The episode index: every episode of the output folder, as the feed and readers need it.

The index lives in the folder's store (:mod:`narrate.publish.store`, SQLite); the public
``episodes.json`` is derived from it after every change (atomically, never read back) and
holds no local path: no build machine's file names, only what a reader of the folder may
see (GUIDs, titles, dates, the episode's file names, and the article's URL when it was read
from the web).

Identity (what keeps a GUID): an episode is *the article at a source*. Its key is the
source's absolute file path or its URL (without ``#fragment``); articles read from standard
input are keyed by their slug. A rebuild is recognised by that key and keeps the GUID,
the first-build time and the episode's place even when the article's title (and so its
slug and file names) changed. A build whose key is new but whose slug is already in the
index takes over that entry and its GUID (the same article moved, or fed through stdin).

GUIDs are UUIDv5 (URL namespace) of the key at the first build, stored and never
recomputed. Dates: an episode is dated by the article's date (midnight in India, or the first
build's time when that falls on the same day) and else by its first build's time. Entries are
kept newest first.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import mutagen
import mutagen.id3

from narrate.errors import PublishError
from narrate.fsutil import atomic_write_text, inside
from narrate.publish.store import DB_NAME, STATE_DIR, Store

log = logging.getLogger(__name__)

INDEX_NAME = "episodes.json"
#: 2: derived from the store, without keys or local paths.
INDEX_VERSION = 2
#: Article dates have no time of day: they are taken as midnight in India.
IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")

_id3: Any = mutagen.id3
_MutagenError: type[Exception] = mutagen.MutagenError


@dataclass(frozen=True)
class IndexEntry:
    """One episode as the feed needs it. Times are ISO 8601 with an offset."""

    key: str
    guid: str
    slug: str
    title: str
    description: str
    duration_ms: int
    first_built: str
    updated: str
    date: str | None = None  # the article's date, YYYY-MM-DD
    source: str = ""
    version: str = ""  # the live version of its files ("" for plain names)

    @property
    def published(self) -> dt.datetime:
        """When the feed says the episode was published (see the module docstring)."""
        first = dt.datetime.fromisoformat(self.first_built)
        if self.date is None:
            return first
        day = dt.date.fromisoformat(self.date)
        if first.astimezone(IST).date() == day:
            return first
        return dt.datetime.combine(day, dt.time(0, 0), tzinfo=IST)

    def files(self, out_dir: Path) -> dict[str, Path]:
        from narrate.pipeline import episode_paths  # the pipeline owns the file names

        return episode_paths(out_dir, self.slug, self.version)

    def public(self) -> dict[str, object]:
        """The entry as ``episodes.json`` shows it: no key, no local path."""
        names = {k: p.name for k, p in self.files(Path()).items()}
        out: dict[str, object] = {
            "guid": self.guid,
            "slug": self.slug,
            "title": self.title,
            "description": self.description,
            "duration_ms": self.duration_ms,
            "first_built": self.first_built,
            "updated": self.updated,
            "date": self.date,
            "published": self.published.isoformat(),
            "files": names,
        }
        if urlsplit(self.source).scheme in ("http", "https"):
            out["url"] = self.source
        return out


def _sort_key(entry: IndexEntry) -> tuple[dt.datetime, dt.datetime, str]:
    return (entry.published, dt.datetime.fromisoformat(entry.first_built), entry.slug)


def order(entries: Iterable[IndexEntry]) -> list[IndexEntry]:
    """Newest first; ties by first build, then slug, so the order is deterministic."""
    return sorted(entries, key=_sort_key, reverse=True)


def source_key(source: str, slug: str) -> str:
    """The stable identity of the article at ``source`` (see the module docstring)."""
    if source in ("", "-"):
        return f"slug:{slug}"
    if urlsplit(source).scheme in ("http", "https"):
        return urldefrag(source).url
    return Path(source).expanduser().resolve().as_uri()


def new_guid(key: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key))


def iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise PublishError("the clock gave a time without a time zone; pass an aware datetime")
    return moment.isoformat(timespec="seconds")


# -- reading and writing -------------------------------------------------------------------


def entry_of(row: Mapping[str, Any]) -> IndexEntry:
    """An entry from a store row."""
    return IndexEntry(**{f: row[f] for f in _FIELDS if f in row})


_FIELDS = ("key", "guid", "slug", "title", "description", "duration_ms", "first_built",
           "updated", "date", "source", "version")


def load_index(out_dir: Path) -> list[IndexEntry]:
    """The entries of ``out_dir``'s index, newest first; an empty list when nothing was
    built there. An older narrate's ``episodes.json`` is imported on first use."""
    if not (out_dir / STATE_DIR / DB_NAME).is_file() and not (out_dir / INDEX_NAME).is_file():
        return []
    return order(entry_of(row) for row in Store(out_dir).episodes())


def index_text(entries: Sequence[IndexEntry]) -> str:
    """The public ``episodes.json``: newest first, sorted keys, no local path."""
    doc = {"version": INDEX_VERSION, "episodes": [e.public() for e in order(entries)]}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def save_index(out_dir: Path, entries: Sequence[IndexEntry], *, tmp_dir: Path | None = None
               ) -> Path:
    """Write the public ``episodes.json`` for ``entries`` (atomically)."""
    path = out_dir / INDEX_NAME
    try:
        atomic_write_text(path, index_text(entries), tmp_dir=tmp_dir)
    except OSError as e:
        raise PublishError(f"cannot write {path} ({e.strerror or e})") from e
    return path


# -- what the MP3 says -----------------------------------------------------------------------


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


def read_tag_info(mp3: Path) -> TagInfo:
    """Title, date (TYER + TDAT), description (COMM), TLEN, artist (TPE1) and album (TALB)
    from the episode's ID3 tag."""
    try:
        tags = _id3.ID3(mp3)
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
    return int(text) if text and text.isdigit() else None


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


def _measure_ms(mp3: Path) -> int:
    """The MP3's length from its frames, for a file without a TLEN frame."""
    try:
        audio = mutagen.File(mp3)
    except (OSError, _MutagenError) as e:
        raise PublishError(f"cannot read {mp3} ({e})") from e
    if audio is None or audio.info is None:
        raise PublishError(f"{mp3} is not an MP3 file mutagen can read")
    return round(float(audio.info.length) * 1000)


# -- MP3s without an entry ---------------------------------------------------------------


def scan_folder(
    out_dir: Path, entries: Sequence[IndexEntry], known: Iterable[str] = ()
) -> list[IndexEntry]:
    """``entries`` whose MP3 is present, plus an entry for every plainly named MP3 of a slug
    neither they nor ``known`` have (read from its tags), so a folder copied in without its
    state still makes a feed."""
    present = []
    for entry in entries:
        if entry.files(out_dir)["audio"].is_file():
            present.append(entry)
        else:
            log.warning("%s is in the index but its MP3 is missing; left out of the feed",
                        entry.slug)
    seen = {e.slug for e in entries} | set(known)
    for mp3 in sorted(out_dir.glob("*.mp3")):
        slug = mp3.stem
        if slug in seen or "." in slug:  # a version's file, or a hidden one
            continue
        inside(out_dir, mp3.name)
        info = read_tag_info(mp3)
        built = dt.datetime.fromtimestamp(mp3.stat().st_mtime, dt.UTC).replace(microsecond=0)
        key = f"slug:{slug}"
        present.append(
            IndexEntry(
                key=key,
                guid=new_guid(key),
                slug=slug,
                title=info.title or slug,
                description=info.description or info.title or slug,
                duration_ms=info.duration_ms or _measure_ms(mp3),
                first_built=iso(built),
                updated=iso(built),
                date=info.date,
            )
        )
        log.info("%s was not in the index; added from its tags", mp3.name)
    return order(present)
