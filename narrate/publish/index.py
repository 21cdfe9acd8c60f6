"""The episode index: ``episodes.json`` in the output folder, one entry per episode.

Every build adds or updates its episode here, and the feed is made from the index and the
files beside it, so ``narrate feed`` needs nothing but the folder.

Identity (what keeps a GUID): an episode is *the article at a source*. Its key is the
source's absolute file path or its URL (without ``#fragment``); articles read from standard
input are keyed by their slug. A rebuild is recognised by that key and keeps the GUID,
the first-build time and the episode's place even when the article's title (and so its
slug and file names) changed; the files of the old slug are then removed. A build whose
key is new but whose slug is already in the index has just overwritten that episode's files,
so it takes over that entry and its GUID too (the same article moved, or fed through stdin).

GUIDs are UUIDv5 (URL namespace) of the key at the first build, stored in the index and never
recomputed. Dates: an episode is dated by the article's date (midnight in India, or the first
build's time when that falls on the same day) and else by its first build's time. Entries are
kept newest first.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

import mutagen
import mutagen.id3

from narrate.errors import PublishError
from narrate.fsutil import atomic_write_text, inside

log = logging.getLogger(__name__)

INDEX_NAME = "episodes.json"
INDEX_VERSION = 1
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

        return episode_paths(out_dir, self.slug)


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


def _iso(moment: dt.datetime) -> str:
    if moment.tzinfo is None:
        raise PublishError("the clock gave a time without a time zone; pass an aware datetime")
    return moment.isoformat(timespec="seconds")


# -- reading and writing -------------------------------------------------------------------


def _entry(raw: object, path: Path) -> IndexEntry:
    if not isinstance(raw, dict):
        raise PublishError(f"{path}: an episode entry is not an object. Probable cause: "
                           "the file was edited by hand; run narrate feed after fixing it")
    try:
        entry = IndexEntry(**raw)
        dt.datetime.fromisoformat(entry.first_built)
        if entry.date is not None:
            dt.date.fromisoformat(entry.date)
    except (TypeError, ValueError) as e:
        raise PublishError(f"{path}: episode {raw.get('slug')!r} is malformed ({e})") from e
    return entry


def load_index(out_dir: Path) -> list[IndexEntry]:
    """The entries of ``out_dir``'s index, newest first; an empty list when there is none."""
    path = out_dir / INDEX_NAME
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as e:
        raise PublishError(f"{path} cannot be read ({e})") from e
    if not isinstance(data, dict) or not isinstance(data.get("episodes"), list):
        raise PublishError(f"{path}: expected an object with an episodes list")
    return order(_entry(raw, path) for raw in data["episodes"])


def index_text(entries: Sequence[IndexEntry]) -> str:
    doc = {"version": INDEX_VERSION, "episodes": [asdict(e) for e in order(entries)]}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def save_index(out_dir: Path, entries: Sequence[IndexEntry]) -> Path:
    path = out_dir / INDEX_NAME
    try:
        atomic_write_text(path, index_text(entries))
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


def _text(tags: Any, frame: str) -> str | None:
    found = tags.get(frame)
    if found is None or not found.text:
        return None
    return str(found.text[0])


def read_tag_info(mp3: Path) -> TagInfo:
    """Title, date (TYER + TDAT), description (COMM) and TLEN from the episode's ID3 tag."""
    try:
        tags = _id3.ID3(mp3)
    except (OSError, _MutagenError) as e:
        raise PublishError(f"cannot read the tags of {mp3} ({e})") from e
    return TagInfo(
        title=_text(tags, "TIT2"),
        date=_tag_date(tags),
        description=_comment(tags),
        duration_ms=_int(_text(tags, "TLEN")),
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


# -- updating ------------------------------------------------------------------------------


def _remove_files(out_dir: Path, slug: str) -> None:
    """Delete the files of a slug no entry uses any more (a renamed episode's old files)."""
    for path in IndexEntry("", "", slug, "", "", 0, "", "").files(out_dir).values():
        if path.exists():
            log.info("removing %s: its episode now has another name", path)
            path.unlink()


def upsert(
    entries: Sequence[IndexEntry],
    *,
    key: str,
    slug: str,
    title: str,
    description: str,
    duration_ms: int,
    date: str | None,
    source: str,
    now: dt.datetime,
) -> tuple[list[IndexEntry], IndexEntry, list[str]]:
    """Add or update the episode ``key``: the new entries, the entry, and slugs to delete.

    Pure: the caller writes the index and removes the files of the returned slugs.
    """
    stamp = _iso(now)
    by_key = next((e for e in entries if e.key == key), None)
    by_slug = next((e for e in entries if e.slug == slug), None)
    previous = by_key or by_slug
    kept = [e for e in entries if e is not by_key and e is not by_slug]
    if by_slug is not None and by_key is not None and by_slug is not by_key:
        log.warning(
            "episode %r (%s) was overwritten by %s, which has the same slug; "
            "it leaves the feed", by_slug.title, by_slug.source, source,
        )
    entry = IndexEntry(
        key=key,
        guid=previous.guid if previous else new_guid(key),
        slug=slug,
        title=title,
        description=description,
        duration_ms=duration_ms,
        first_built=previous.first_built if previous else stamp,
        updated=stamp,
        date=date,
        source=source,
    )
    if previous is not None and previous is by_key and by_key.slug != slug:
        stale = [by_key.slug]
    else:
        stale = []
    stale = [s for s in stale if all(e.slug != s for e in kept)]
    return order([*kept, entry]), entry, stale


def add_episode(
    out_dir: Path,
    *,
    slug: str,
    title: str,
    source: str,
    duration_ms: int,
    now: dt.datetime,
    date: str | None = None,
    description: str | None = None,
) -> IndexEntry:
    """Add or update one episode in ``out_dir``'s index (written atomically)."""
    entries = load_index(out_dir)
    new, entry, stale = upsert(
        entries,
        key=source_key(source, slug),
        slug=slug,
        title=title,
        description=description or title,
        duration_ms=duration_ms,
        date=date,
        source=source,
        now=now,
    )
    save_index(out_dir, new)
    for old in stale:
        _remove_files(out_dir, old)
    return entry


def scan_folder(out_dir: Path, entries: Sequence[IndexEntry]) -> list[IndexEntry]:
    """``entries`` whose MP3 is present, plus an entry for every MP3 the index lacks (read
    from its tags), so a folder copied without its index still makes a feed."""
    present = []
    for entry in entries:
        if entry.files(out_dir)["audio"].is_file():
            present.append(entry)
        else:
            log.warning("%s is in the index but its MP3 is missing; left out of the feed",
                        entry.slug)
    known = {e.slug for e in entries}
    for mp3 in sorted(out_dir.glob("*.mp3")):
        slug = mp3.stem
        if slug in known or slug.startswith("."):
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
                first_built=_iso(built),
                updated=_iso(built),
                date=info.date,
            )
        )
        log.info("%s was not in the index; added from its tags", mp3.name)
    return order(present)
