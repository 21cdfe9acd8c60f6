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
import re
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import urldefrag, urlsplit

from narrate.errors import PublishError
from narrate.fsutil import atomic_write_bytes, read_bounded
from narrate.mix.tags import audio_length_ms, read_tag_info
from narrate.publish.files import episode_paths
from narrate.publish.store import Store

log = logging.getLogger(__name__)

INDEX_NAME = "episodes.json"
#: 2: derived from the store, without keys or local paths.
INDEX_VERSION = 2
#: Article dates have no time of day: they are taken as midnight in India.
IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")



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


def load_index(store: Store) -> list[IndexEntry]:
    """The entries of the index in ``store``, newest first; an empty list when nothing was
    built in its folder. An older narrate's ``episodes.json`` is imported on first use."""
    if not store.path.is_file() and not (store.out_dir / INDEX_NAME).is_file():
        return []
    return order(entry_of(row) for row in store.episodes())


def index_text(entries: Sequence[IndexEntry]) -> str:
    """The public ``episodes.json``: newest first, sorted keys, no local path."""
    doc = {"version": INDEX_VERSION, "episodes": [e.public() for e in order(entries)]}
    return json.dumps(doc, ensure_ascii=False, indent=2, sort_keys=True) + "\n"


def save_index(out_dir: Path, entries: Sequence[IndexEntry], *, tmp_dir: Path | None = None
               ) -> Path:
    """Write the public ``episodes.json`` for ``entries`` (atomically), unless it already
    says exactly that."""
    path = out_dir / INDEX_NAME
    replace_if_changed(path, index_text(entries).encode("utf-8"), tmp_dir=tmp_dir)
    return path


def replace_if_changed(
    path: Path, data: bytes, *, tmp_dir: Path | None = None,
    ignoring: re.Pattern[bytes] | None = None,
) -> bool:
    """Replace ``path`` with ``data`` atomically, unless it holds the same bytes already
    (those ``ignoring`` matches aside: a feed's ``lastBuildDate``). A public file changes
    only when what it says changes, so a build that changes nothing rewrites nothing
    (a web server's ``ETag`` and ``Last-Modified``, and a podcast app's next poll, stay
    as they were). True when the file was written."""
    try:  # within bounds: a FIFO or a huge file in its place is simply different
        current: bytes | None = read_bounded(path, len(data) + (1 << 16))
    except OSError:
        current = None
    if current is not None:
        if current == data:
            return False
        if ignoring is not None and ignoring.sub(b"", current) == ignoring.sub(b"", data):
            return False
    try:
        atomic_write_bytes(path, data, tmp_dir=tmp_dir)
    except OSError as e:
        raise PublishError(f"cannot write {path} ({e.strerror or e})") from e
    return True


# -- MP3s without an entry ---------------------------------------------------------------


def scan_folder(out_dir: Path, known: Iterable[str] = ()) -> list[IndexEntry]:
    """An entry for every plainly named MP3 of a slug ``known`` does not have (read from its
    tags), so a folder copied in without its state still makes a feed. A file that cannot
    be an episode (not a regular file, a link out of the folder, no MP3 audio) is left out
    with one warning naming it."""
    found = []
    root = out_dir.resolve()
    seen = set(known)
    for mp3 in sorted(out_dir.glob("*.mp3")):
        slug = mp3.stem
        if slug in seen or "." in slug:  # a version's file, or a hidden one
            continue
        try:
            if not mp3.resolve().is_relative_to(root):
                raise PublishError(f"{mp3} is a link to a file outside {out_dir}")
            info = read_tag_info(mp3)
            duration_ms = info.duration_ms or audio_length_ms(mp3)
            built = dt.datetime.fromtimestamp(mp3.stat().st_mtime, dt.UTC)
        except (OSError, PublishError) as e:
            log.warning("%s is left out of the feed: %s", mp3.name,
                        e.strerror if isinstance(e, OSError) else e)
            continue
        key = f"slug:{slug}"
        stamp = iso(built.replace(microsecond=0))
        found.append(
            IndexEntry(
                key=key,
                guid=new_guid(key),
                slug=slug,
                title=info.title or slug,
                description=info.description or info.title or slug,
                duration_ms=duration_ms,
                first_built=stamp,
                updated=stamp,
                date=info.date,
            )
        )
        log.info("%s was not in the index; added from its tags", mp3.name)
    return order(found)
