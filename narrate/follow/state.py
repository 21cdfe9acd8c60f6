"""What a watcher knows, kept in the output folder's store (``.narrate/state.db``).

Three tables of its own, beside the store's (see :mod:`narrate.publish.store` for the
database: WAL mode, one ``BEGIN IMMEDIATE`` transaction per change, a busy timeout):

- ``follow_sources``: each feed or sitemap followed (a sitemap index's sitemaps too), its
  validators (``ETag``, ``Last-Modified``) for the next conditional request, and when it
  was fetched, changed or failed;
- ``follow_listings``: which article each source lists, and a digest of what it says of
  it (title, dates, content: a new digest is a possible correction); the item itself is
  kept with its content while the article waits to be built, without it afterwards;
- ``follow_items``: each article (by canonical URL, which is the episode's key), its
  state, and which episode it became (slug, GUID), a hash of the text it was built from,
  its categories, and its failures.

An article's state: ``pending`` (to build: new, changed, or failed and waiting to try
again at ``next_try``), ``built`` (its episode is live and up to date), ``failed`` (gave
up until its source says something new of it), ``ignored`` (older than ``--since``, or
past ``--limit`` on its source's first round: never built), ``duplicate`` (its page names
another known article as canonical), ``gone`` (removed from every source before it was
built). An episode is never deleted: an article removed from its sources keeps its
episode, and the watcher says so.

Two watchers on one folder: building starts with :meth:`FollowState.claim`, which marks
the pending articles with the run's id in one transaction; another watcher skips what is
claimed by a live run. A run's liveness is its work area's lock
(:class:`~narrate.publish.store.Workspace`), which the kernel drops when the process dies,
so a killed watcher's claims lapse at once.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import logging
import os
import sqlite3
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.follow.sources import Item, Listing
from narrate.publish.store import STATE_DIR, Store

try:
    import fcntl as _fcntl

    fcntl: Any = _fcntl
except ImportError:  # pragma: no cover - Windows: one watcher per folder
    fcntl = None

log = logging.getLogger(__name__)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS follow_sources (
    url TEXT PRIMARY KEY,
    parent TEXT,
    lastmod TEXT,
    etag TEXT,
    last_modified TEXT,
    first_seen TEXT NOT NULL,
    fetched TEXT,
    changed TEXT,
    error TEXT
);
CREATE TABLE IF NOT EXISTS follow_listings (
    source TEXT NOT NULL,
    url TEXT NOT NULL,
    digest TEXT NOT NULL,
    item TEXT NOT NULL,
    present INTEGER NOT NULL,
    seen TEXT NOT NULL,
    PRIMARY KEY (source, url)
);
CREATE INDEX IF NOT EXISTS follow_listings_by_url ON follow_listings (url);
CREATE TABLE IF NOT EXISTS follow_items (
    url TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN
        ('pending', 'built', 'failed', 'ignored', 'duplicate', 'gone')),
    date TEXT NOT NULL,
    first_seen TEXT NOT NULL,
    changed TEXT NOT NULL,
    built TEXT,
    builds INTEGER NOT NULL DEFAULT 0,
    content_hash TEXT,
    slug TEXT,
    guid TEXT,
    categories TEXT NOT NULL DEFAULT '[]',
    attempts INTEGER NOT NULL DEFAULT 0,
    next_try TEXT,
    error TEXT,
    duplicate_of TEXT,
    claimed_by TEXT,
    claimed_at TEXT
);
CREATE INDEX IF NOT EXISTS follow_items_by_state ON follow_items (state);
"""

#: States whose article waits for nothing more.
SETTLED = frozenset({"built", "failed", "ignored", "duplicate", "gone"})
#: Tries of an article that keeps failing for a reason that is not passing (404, no
#: article on the page) before it waits for its source to say something new of it.
MAX_ATTEMPTS = 3


def iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat(timespec="seconds")


@dataclass(frozen=True)
class Change:
    """What one fetch of a source changed: articles new to the folder, articles whose
    listing changed, articles no longer listed, and articles left out by ``--since`` or
    ``--limit``."""

    new: tuple[str, ...] = ()
    changed: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()
    gone: tuple[str, ...] = ()
    ignored: int = 0


@dataclass(frozen=True)
class Work:
    """A claimed article: its URL (the key), what its sources say of it, and what the
    last build of it knew."""

    url: str
    items: tuple[Item, ...]
    builds: int
    content_hash: str | None


@dataclass(frozen=True)
class Source:
    """A source as last fetched; ``lastmod`` is what its sitemap index said of it."""

    url: str
    etag: str | None
    last_modified: str | None
    fetched: str | None
    parent: str | None = None
    lastmod: str | None = None


def _source(row: sqlite3.Row) -> Source:
    return Source(row["url"], row["etag"], row["last_modified"], row["fetched"],
                  row["parent"], row["lastmod"])


def run_alive(out_dir: Path, run: str) -> bool:
    """Whether the run ``run`` of ``out_dir`` still lives: its lock file exists and some
    process holds its lock (see :class:`~narrate.publish.store.Workspace`)."""
    if fcntl is None:  # pragma: no cover
        return True
    lock = out_dir / STATE_DIR / "runs" / f"{run}.lock"
    try:
        fd = os.open(lock, os.O_RDWR)
    except OSError:
        return False
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)  # closing drops a lock taken here
    return False


class FollowState:
    """The watcher's tables in the store of ``out_dir``. Holds only the store (a path):
    usable from any thread."""

    def __init__(self, store: Store) -> None:
        self.store = store
        self._ready = False

    @classmethod
    def of_folder(cls, out_dir: Path) -> FollowState:
        return cls(Store(out_dir))

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        with self.store.transaction() as conn:
            if not self._ready:
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
            yield conn
        self._ready = True

    # -- sources ---------------------------------------------------------------------------

    def source(self, url: str) -> Source | None:
        with self.transaction() as conn:
            row = conn.execute("SELECT * FROM follow_sources WHERE url = ?", (url,)).fetchone()
        return None if row is None else _source(row)

    def children(self, parent: str) -> list[Source]:
        """The sitemaps of the index ``parent`` seen so far."""
        with self.transaction() as conn:
            rows = conn.execute("SELECT * FROM follow_sources WHERE parent = ? ORDER BY url",
                                (parent,))
            return [_source(r) for r in rows]

    def keep_children(self, parent: str, urls: Iterable[str]) -> None:
        """Forget the sitemaps the index ``parent`` no longer names."""
        keep = set(urls)
        with self.transaction() as conn:
            gone = [r["url"] for r in conn.execute(
                "SELECT url FROM follow_sources WHERE parent = ?", (parent,))
                if r["url"] not in keep]
            conn.executemany("DELETE FROM follow_sources WHERE url = ?", [(u,) for u in gone])

    def fetched(self, url: str, now: dt.datetime, *, etag: str | None = None,
                last_modified: str | None = None, keep_validators: bool = True,
                changed: bool = False, error: str | None = None,
                parent: str | None = None, lastmod: dt.datetime | None = None) -> None:
        """Record a fetch of source ``url``: its validators (when ``keep_validators``; a
        document that was not well formed is asked for whole next time), or its error.
        ``parent`` and ``lastmod``: the sitemap index that names it, and what it says."""
        stamp = iso(now)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO follow_sources (url, parent, first_seen) VALUES (?, ?, ?) "
                "ON CONFLICT (url) DO NOTHING", (url, parent, stamp))
            if parent is not None:
                conn.execute("UPDATE follow_sources SET lastmod = ? WHERE url = ?",
                             (iso(lastmod) if lastmod else None, url))
            if error is not None:
                conn.execute("UPDATE follow_sources SET error = ? WHERE url = ?", (error, url))
                return
            if not keep_validators:
                etag = last_modified = None
            conn.execute(
                "UPDATE follow_sources SET etag = ?, last_modified = ?, fetched = ?, error = "
                "NULL, changed = CASE WHEN ? THEN ? ELSE changed END WHERE url = ?",
                (etag, last_modified, stamp, changed, stamp, url))

    # -- what a source lists -------------------------------------------------------------

    def record(
        self,
        source: str,
        listing: Listing,
        now: dt.datetime,
        *,
        since: dt.datetime | None = None,
        limit: int | None = None,
        first_round: bool = False,
    ) -> Change:
        """Take in what ``source`` lists now, in one transaction: new articles become
        ``pending`` (or ``ignored`` when older than ``since``, or past the ``limit``
        newest on a source's ``first_round``), articles whose listing changed become
        ``pending`` again, and articles it no longer lists are noted (only from a
        well-formed, non-empty listing: a truncated feed removes nothing)."""
        stamp = iso(now)
        items = _newest_first(_unique(listing.items), now)
        new: list[str] = []
        changed: list[str] = []
        ignored = 0
        with self.transaction() as conn:
            known = {r["url"]: (r["digest"], r["present"]) for r in conn.execute(
                "SELECT url, digest, present FROM follow_listings WHERE source = ?", (source,))}
            for rank, item in enumerate(items):
                if not listing.well_formed:  # a truncated feed's content is not the article
                    item = dataclasses.replace(item, content=None)
                digest = item.digest()
                state = conn.execute("SELECT state FROM follow_items WHERE url = ?",
                                     (item.url,)).fetchone()
                settled = state is not None and state["state"] in SETTLED
                stored = _item_json(item, keep_content=not settled or
                                    known.get(item.url, ("",))[0] != digest)
                conn.execute(
                    "INSERT INTO follow_listings VALUES (?, ?, ?, ?, 1, ?) ON CONFLICT "
                    "(source, url) DO UPDATE SET digest = excluded.digest, item = "
                    "excluded.item, present = 1, seen = excluded.seen",
                    (source, item.url, digest, stored, stamp))
                categories = _categories(conn, item.url)
                if state is None:
                    left_out = (since is not None and _date(item, now) < since) or (
                        first_round and limit is not None and rank >= limit)
                    ignored += left_out
                    conn.execute(
                        "INSERT INTO follow_items (url, state, date, first_seen, changed, "
                        "categories) VALUES (?, ?, ?, ?, ?, ?)",
                        (item.url, "ignored" if left_out else "pending",
                         iso(_date(item, now)), stamp, stamp, categories))
                    if not left_out:
                        new.append(item.url)
                    continue
                conn.execute("UPDATE follow_items SET categories = ? WHERE url = ?",
                             (categories, item.url))
                before = known.get(item.url)
                if before is not None and before[0] != digest and state["state"] != "ignored":
                    conn.execute(
                        "UPDATE follow_items SET state = 'pending', attempts = 0, "
                        "next_try = NULL, changed = ? WHERE url = ?", (stamp, item.url))
                    changed.append(item.url)
            removed, gone = self._removed(conn, source, listing, {i.url for i in items}, known)
        return Change(tuple(new), tuple(changed), removed, gone, ignored)

    @staticmethod
    def _removed(conn: sqlite3.Connection, source: str, listing: Listing, listed: set[str],
                 known: dict[str, tuple[str, int]]) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """Mark what ``source`` no longer lists; an article no source lists any more is
        ``gone`` if it was never built (a built one keeps its episode)."""
        if not listing.well_formed or not listing.items:
            return (), ()
        removed = sorted(url for url, (_, present) in known.items()
                         if present and url not in listed)
        gone = []
        for url in removed:
            conn.execute("UPDATE follow_listings SET present = 0 WHERE source = ? AND url = ?",
                         (source, url))
            elsewhere = conn.execute("SELECT 1 FROM follow_listings WHERE url = ? AND "
                                     "present = 1", (url,)).fetchone()
            if elsewhere is None:
                done = conn.execute("UPDATE follow_items SET state = 'gone' WHERE url = ? "
                                    "AND state IN ('pending', 'failed')", (url,)).rowcount
                if done:
                    gone.append(url)
        return tuple(u for u in removed if u not in gone), tuple(gone)

    # -- building --------------------------------------------------------------------------

    def claim(self, run: str, now: dt.datetime, alive: Callable[[str], bool],
              limit: int | None = None) -> list[Work]:
        """The pending articles due now, newest first, marked as this run's in one
        transaction; those claimed by another live run are left to it."""
        stamp = iso(now)
        work = []
        with self.transaction() as conn:
            rows = conn.execute(
                "SELECT url, builds, content_hash, claimed_by FROM follow_items WHERE state = "
                "'pending' AND (next_try IS NULL OR next_try <= ?) ORDER BY date DESC, url",
                (stamp,)).fetchall()
            for row in rows:
                owner = row["claimed_by"]
                if owner and owner != run and alive(owner):
                    continue
                items = tuple(Item.from_json(json.loads(r["item"])) for r in conn.execute(
                    "SELECT item FROM follow_listings WHERE url = ? ORDER BY present DESC, "
                    "seen DESC", (row["url"],)))
                if not items:
                    continue
                conn.execute("UPDATE follow_items SET claimed_by = ?, claimed_at = ? "
                             "WHERE url = ?", (run, stamp, row["url"]))
                work.append(Work(row["url"], items, row["builds"], row["content_hash"]))
                if limit is not None and len(work) >= limit:
                    break
        return work

    def release(self, urls: Iterable[str], run: str) -> None:
        """Give back claims not acted on (the run was stopped)."""
        with self.transaction() as conn:
            conn.executemany("UPDATE follow_items SET claimed_by = NULL WHERE url = ? AND "
                             "claimed_by = ?", [(u, run) for u in urls])

    def built(self, url: str, key: str, now: dt.datetime, *, content_hash: str | None,
              rebuilt: bool) -> tuple[str | None, str | None]:
        """Record that ``url`` is up to date as the episode of ``key`` (``rebuilt``: its
        files were made now, else it was found unchanged). Returns its (slug, GUID)."""
        with self.transaction() as conn:
            slug, guid = _episode_of(conn, key)
            conn.execute(
                "UPDATE follow_items SET state = 'built', built = ?, builds = builds + ?, "
                "content_hash = COALESCE(?, content_hash), slug = ?, guid = ?, attempts = 0, "
                "next_try = NULL, error = NULL, claimed_by = NULL WHERE url = ?",
                (iso(now), int(rebuilt), content_hash, slug, guid, url))
            conn.execute("UPDATE follow_listings SET item = json_set(item, '$.content', NULL) "
                         "WHERE url = ?", (url,))
        return slug, guid

    def failed(self, url: str, now: dt.datetime, error: str, *, transient: bool,
               retry_s: float) -> str:
        """Record a failure: a passing one (the site down, a timeout) is tried again next
        round; any other after ``retry_s``, 4 and 16 times that, then it is ``failed``
        until its source says something new of it. Returns the state it is left in."""
        with self.transaction() as conn:
            row = conn.execute("SELECT attempts FROM follow_items WHERE url = ?",
                               (url,)).fetchone()
            attempts = (row["attempts"] if row else 0) + (0 if transient else 1)
            state = "failed" if attempts >= MAX_ATTEMPTS else "pending"
            wait = 0.0 if transient else retry_s * 4 ** (attempts - 1)
            conn.execute(
                "UPDATE follow_items SET state = ?, attempts = ?, next_try = ?, error = ?, "
                "claimed_by = NULL WHERE url = ?",
                (state, attempts, iso(now + dt.timedelta(seconds=wait)), error, url))
        return state

    def duplicate(self, url: str, of: str) -> None:
        with self.transaction() as conn:
            conn.execute("UPDATE follow_items SET state = 'duplicate', duplicate_of = ?, "
                         "claimed_by = NULL WHERE url = ?", (of, url))

    def known(self, url: str) -> bool:
        """Whether ``url`` is an article some source listed (and not left out)."""
        with self.transaction() as conn:
            row = conn.execute("SELECT state FROM follow_items WHERE url = ?",
                               (url,)).fetchone()
        return row is not None and row["state"] not in ("ignored", "gone")

    # -- reading ---------------------------------------------------------------------------

    def items(self) -> list[dict[str, Any]]:
        """Every article row (tests, reports)."""
        with self.transaction() as conn:
            return [dict(r) for r in conn.execute("SELECT * FROM follow_items ORDER BY url")]

    def categories(self) -> dict[str, list[str]]:
        """Episode key to its categories, for the articles built so far."""
        with self.transaction() as conn:
            rows = conn.execute("SELECT url, categories FROM follow_items WHERE slug IS NOT "
                                "NULL")
            return {r["url"]: json.loads(r["categories"]) for r in rows}

    def note_categories(self, categories: Mapping[str, Sequence[str]],
                        now: dt.datetime) -> None:
        """Record the categories of articles built by ``narrate build`` of a feed (as
        built: a watcher started later does not build them again unless they change), so
        the category feeds list them."""
        stamp = iso(now)
        with self.transaction() as conn:
            for url, names in categories.items():
                slug, guid = _episode_of(conn, url)
                if slug is None:
                    continue
                conn.execute(
                    "INSERT INTO follow_items (url, state, date, first_seen, changed, built, "
                    "slug, guid, categories) VALUES (?, 'built', ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (url) DO UPDATE SET categories = excluded.categories, "
                    "slug = excluded.slug, guid = excluded.guid",
                    (url, stamp, stamp, stamp, stamp, slug, guid,
                     json.dumps(list(names), ensure_ascii=False)))


def _episode_of(conn: sqlite3.Connection, key: str) -> tuple[str | None, str | None]:
    """The one place the watcher asks the store which episode an article became."""
    row = conn.execute("SELECT slug, guid FROM episodes WHERE key = ?", (key,)).fetchone()
    return (row["slug"], row["guid"]) if row else (None, None)


def _categories(conn: sqlite3.Connection, url: str) -> str:
    """The union of the categories every source gives ``url``, as JSON."""
    found: list[str] = []
    for row in conn.execute("SELECT item FROM follow_listings WHERE url = ? AND present = 1",
                            (url,)):
        for name in json.loads(row["item"]).get("categories") or ():
            if name not in found:
                found.append(name)
    return json.dumps(found, ensure_ascii=False)


def _item_json(item: Item, *, keep_content: bool) -> str:
    data = item.to_json()
    if not keep_content:
        data["content"] = None
    return json.dumps(data, ensure_ascii=False)


def _unique(items: Iterable[Item]) -> list[Item]:
    """One item per canonical URL (the first a source lists)."""
    seen: dict[str, Item] = {}
    for item in items:
        seen.setdefault(item.url, item)
    return list(seen.values())


def _date(item: Item, now: dt.datetime) -> dt.datetime:
    """The item's date for ordering and ``--since``: a missing one is now (it was just
    seen), a future one is now (a wrong clock on the site must not put it first forever)."""
    date = item.date
    return now if date is None or date > now else date


def _newest_first(items: list[Item], now: dt.datetime) -> list[Item]:
    """Newest first; undated items keep their place among themselves (feed order)."""
    return sorted(items, key=lambda i: _date(i, now), reverse=True)
