"""The output folder's state: one SQLite database that any number of builds share.

``<out>/.narrate/state.db`` holds the episode index, the build manifest, which article
owns which slug, and every version of every episode's files. WAL mode lets readers go on
while one process writes; each change is one ``BEGIN IMMEDIATE`` transaction, and a busy
timeout makes a second writer wait instead of failing. Nothing is read, changed and written
back as a file: the public ``episodes.json`` and ``feed.xml`` are derived from the database
after each change (see :mod:`narrate.publish.index` and :mod:`narrate.publish.feed`).

The hidden folder ``.narrate`` is never served (``narrate serve`` refuses dot-names; a web
server should too). It also holds the work area of every running build (:class:`Workspace`):
``runs/<run id>/`` for temporary audio and staged files, and ``runs/<run id>.lock``, a file
the run holds an exclusive ``flock`` on for as long as it lives. The kernel drops that lock
when the process dies, however it dies, so a later run can tell a killed run's leftovers
from a live one's and sweep only the former, while other builds go on.

Versions (the episode switch, see :meth:`narrate.publish.folder.OutputFolder.publish`): each
build of an episode writes its files under a name no reader knows yet, records it ``pending``, and
one transaction makes it ``live``; the version it replaces becomes ``previous`` (kept, so a
reader that fetched the old feed or page still finds every file it names) and the one
before that ``doomed`` (its files are deleted after the commit). The first build of a slug
takes the plain names (``<slug>.mp3``); later ones add a version (``<slug>.<v>.mp3``).

An ``episodes.json`` of an older narrate is imported on first use, GUIDs included, with the
old ``.narrate-builds.json`` manifest.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import logging
import os
import secrets
import shutil
import sqlite3
import threading
import weakref
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from narrate.errors import PublishError

try:
    import fcntl as _fcntl

    fcntl: Any = _fcntl
except ImportError:  # pragma: no cover - Windows: no cross-process locks, one build at a time
    fcntl = None

log = logging.getLogger(__name__)

STATE_DIR = ".narrate"
DB_NAME = "state.db"
SCHEMA_VERSION = 1
#: Seconds a writer waits for another process's transaction before giving up.
BUSY_TIMEOUT_S = 60.0
LEGACY_INDEX = "episodes.json"
LEGACY_MANIFEST = ".narrate-builds.json"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS episodes (
    key TEXT PRIMARY KEY,
    guid TEXT NOT NULL,
    slug TEXT NOT NULL UNIQUE,
    title TEXT NOT NULL,
    description TEXT NOT NULL,
    duration_ms INTEGER NOT NULL,
    first_built TEXT NOT NULL,
    updated TEXT NOT NULL,
    date TEXT,
    source TEXT NOT NULL,
    version TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS builds (
    key TEXT PRIMARY KEY, slug TEXT NOT NULL, fingerprint TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS claims (slug TEXT PRIMARY KEY, key TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS claims_by_key ON claims (key);
CREATE TABLE IF NOT EXISTS versions (
    slug TEXT NOT NULL,
    version TEXT NOT NULL,
    key TEXT NOT NULL,
    state TEXT NOT NULL CHECK (state IN ('pending', 'live', 'previous', 'doomed')),
    run TEXT NOT NULL,
    page TEXT,
    PRIMARY KEY (slug, version)
);
"""


#: SQLite's primary result codes for a damaged database and a file that is not one.
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26


def _damaged(e: BaseException) -> bool:
    """True when SQLite says the database file is damaged or is not a database at all."""
    code = getattr(e, "sqlite_errorcode", None)
    return isinstance(code, int) and code & 0xFF in (_SQLITE_CORRUPT, _SQLITE_NOTADB)


@dataclass(frozen=True)
class Version:
    """One build's files of the episode ``slug`` (``version`` is ``""`` for plain names)."""

    slug: str
    version: str
    key: str
    state: str
    run: str = ""


class Store:
    """The database of ``out_dir``: one object for everything that reads or changes it
    (made once by :class:`~narrate.publish.folder.OutputFolder` and passed down). Each
    thread that uses it gets its own connection, kept for the store's life; a store may be
    pickled (it travels as its path) and survives a ``fork``."""

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.path = out_dir / STATE_DIR / DB_NAME
        #: Whether this store has made sure of the schema.
        self._checked = False
        #: Each thread's connection (see :meth:`_connect`).
        self._local = threading.local()
        #: Connections a forked child inherited: kept referenced so they are never closed
        #: there (closing them would drop the parent's locks).
        self._inherited: list[sqlite3.Connection] = []

    @property
    def _ready(self) -> bool:
        """Whether the schema is known to be there (checked once per store)."""
        return self._checked and self.path.exists()

    def __repr__(self) -> str:
        return f"Store({str(self.out_dir)!r})"

    def __getstate__(self) -> dict[str, Any]:
        return {"out_dir": self.out_dir}

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__init__(state["out_dir"])  # type: ignore[misc]

    def close(self) -> None:
        """Close the calling thread's connection (the others close with their threads)."""
        found = self._local.__dict__.pop("conn", None)
        if found is not None and found[1] == os.getpid():
            found[0].close()

    def _connect(self) -> sqlite3.Connection:
        """This thread's connection to the database, opened on first use and kept: closing
        the last connection checkpoints and deletes the WAL, which made every change cost
        about 25 ms. A connection is never used in another process (after a fork) or for a
        file that was replaced."""
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            found: tuple[sqlite3.Connection, int, int] | None = self._local.__dict__.get("conn")
            inode = self.path.stat().st_ino if self.path.exists() else -1
            if found is not None:
                conn, pid, known = found
                if pid == os.getpid() and known == inode:
                    return conn
                del self._local.conn
                if pid == os.getpid():
                    conn.close()
                else:
                    self._inherited.append(conn)  # a parent's: never closed here (its locks)
            conn = sqlite3.connect(self.path, timeout=BUSY_TIMEOUT_S, isolation_level=None,
                                   check_same_thread=True)
            conn.row_factory = sqlite3.Row
            conn.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_S * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            # WAL with NORMAL: a commit survives any kill of the process; only a power cut
            # may lose the last commits (the database stays consistent).
            conn.execute("PRAGMA synchronous = NORMAL")
            self._local.conn = (conn, os.getpid(), self.path.stat().st_ino)
            return conn
        except (OSError, sqlite3.Error) as e:
            if _damaged(e):
                raise self._damaged_error(e) from e
            raise PublishError(f"cannot open the folder's state {self.path} ({e}). Probable "
                               "cause: the output folder is not writable") from e

    def _damaged_error(self, e: Exception) -> PublishError:
        return PublishError(
            f"the folder's state {self.path} is damaged ({e}). Probable cause: a disk error, "
            f"or a copy taken while it was written. To recover, remove {self.path.name} and "
            "its -wal and -shm files: the next build takes every episode back from "
            "episodes.json with its GUID (each article is built once more)"
        )

    @contextlib.contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """One write transaction (``BEGIN IMMEDIATE``: the write lock is taken at once, so
        two processes never both read and then both write)."""
        ready = self._ready  # before connecting, which creates the file
        conn = self._connect()
        try:
            conn.execute("BEGIN IMMEDIATE")
            if not ready:
                self._prepare(conn)
            yield conn
            conn.execute("COMMIT")
            self._checked = True
        except sqlite3.Error as e:
            if _damaged(e):
                raise self._damaged_error(e) from e
            raise PublishError(f"the folder's state {self.path} cannot be updated ({e})") from e
        finally:
            if conn.in_transaction:  # an error: nothing of the change is kept
                conn.execute("ROLLBACK")

    @contextlib.contextmanager
    def reading(self) -> Iterator[sqlite3.Connection]:
        """A consistent snapshot to read from."""
        if not self._ready:
            with self.transaction():
                pass
        conn = self._connect()
        try:
            conn.execute("BEGIN")
            yield conn
        except sqlite3.Error as e:
            if _damaged(e):
                raise self._damaged_error(e) from e
            raise PublishError(f"the folder's state {self.path} cannot be read ({e})") from e
        finally:
            if conn.in_transaction:
                conn.execute("COMMIT")

    def _prepare(self, conn: sqlite3.Connection) -> None:
        for statement in _SCHEMA.split(";"):  # executescript would commit the transaction
            if statement.strip():
                conn.execute(statement)
        row = conn.execute("SELECT value FROM meta WHERE name = 'schema'").fetchone()
        if row is None:
            conn.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
            _migrate(conn, self.out_dir)
        elif int(row["value"]) > SCHEMA_VERSION:
            raise PublishError(f"{self.path} was written by a newer narrate (schema "
                               f"{row['value']}). Probable cause: upgrade narrate")

    # -- reading ---------------------------------------------------------------------------

    def episodes(self) -> list[dict[str, Any]]:
        """Every episode row (the index), as dictionaries."""
        with self.reading() as conn:
            return [dict(r) for r in conn.execute("SELECT * FROM episodes")]

    def builds(self) -> dict[str, tuple[str, str]]:
        """The build manifest: source key to (slug, fingerprint)."""
        with self.reading() as conn:
            rows = conn.execute("SELECT key, slug, fingerprint FROM builds")
            return {r["key"]: (r["slug"], r["fingerprint"]) for r in rows}

    def versions(self, *states: str) -> list[Version]:
        with self.reading() as conn:
            rows = conn.execute("SELECT slug, version, key, state, run FROM versions")
            found = [Version(r["slug"], r["version"], r["key"], r["state"], r["run"])
                     for r in rows]
        return [v for v in found if not states or v.state in states]

    def pages(self) -> dict[str, tuple[str, str]]:
        """Slug to (version, page HTML) of every live version that recorded its page."""
        with self.reading() as conn:
            rows = conn.execute(
                "SELECT slug, version, page FROM versions WHERE state = 'live' AND page IS NOT NULL"
            )
            return {r["slug"]: (r["version"], r["page"]) for r in rows}

    # -- slugs -----------------------------------------------------------------------------

    def slug_of(self, key: str) -> str | None:
        """The slug of the episode of article ``key``, if it has one."""
        with self.reading() as conn:
            row = conn.execute("SELECT slug FROM episodes WHERE key = ?", (key,)).fetchone()
        return None if row is None else str(row["slug"])

    def claim(self, key: str, candidate: Callable[[int], str],
              keeps: Callable[[str], bool]) -> str:
        """The slug of the article ``key``, recorded as its claim in the same transaction,
        so two processes never take one slug.

        An article with an episode keeps that episode's slug for life: its page's URL,
        which articles embed, never changes (a new title changes the title, not the
        names). One without an episode yet keeps a slug it owns for which ``keeps`` is
        true, else takes the first of ``candidate(1)``, ``candidate(2)``, … no other
        article owns. Its other claims are released at once, free for any article, so
        numbers do not creep up as titles change before a first publication.
        """
        with self.transaction() as conn:
            live = conn.execute("SELECT slug FROM episodes WHERE key = ?", (key,)).fetchone()
            if live is not None:
                slug = str(live["slug"])
            else:
                owned = [str(r["slug"]) for r in conn.execute(
                    "SELECT slug FROM claims WHERE key = ? ORDER BY slug", (key,))]
                found = next((s for s in owned if keeps(s)), None)
                n = 1
                while found is None:
                    wanted = candidate(n)
                    owner = conn.execute("SELECT key FROM claims WHERE slug = ?",
                                         (wanted,)).fetchone()
                    if owner is None or owner["key"] == key:
                        found = wanted
                    n += 1
                slug = found
            conn.execute("DELETE FROM claims WHERE key = ? AND slug != ?", (key, slug))
            conn.execute("INSERT OR REPLACE INTO claims VALUES (?, ?)", (slug, key))
            return slug

    # -- versions --------------------------------------------------------------------------

    def reserve(self, slug: str, key: str, run: str) -> str:
        """A version name for a new build of ``slug``, recorded ``pending`` for ``run``:
        ``""`` (plain file names) when the slug has no version at all, else a new token."""
        with self.transaction() as conn:
            taken = {r["version"] for r in conn.execute(
                "SELECT version FROM versions WHERE slug = ?", (slug,))}
            version = ""
            while version in taken:
                version = secrets.token_hex(4)
            conn.execute("INSERT INTO versions (slug, version, key, state, run) "
                         "VALUES (?, ?, ?, 'pending', ?)", (slug, version, key, run))
            return version

    def switch(
        self,
        row: dict[str, Any],
        *,
        page: str,
        fingerprint: str | None,
        now: str,
        takeover: Callable[[dict[str, Any]], None] | None = None,
    ) -> tuple[dict[str, Any], list[Version]]:
        """Make version ``row["version"]`` of ``row["slug"]`` live for article ``row["key"]``
        in one transaction: the episode row (GUID, first build and place kept), the build
        manifest, and the versions (see the module docstring). Returns the stored episode
        row and the versions now doomed (whose files the caller deletes)."""
        key, slug, version = row["key"], row["slug"], row["version"]
        with self.transaction() as conn:
            by_key = conn.execute("SELECT * FROM episodes WHERE key = ?", (key,)).fetchone()
            by_slug = conn.execute("SELECT * FROM episodes WHERE slug = ?", (slug,)).fetchone()
            previous = by_key or by_slug
            if by_slug is not None and by_slug["key"] != key:
                if by_key is not None and takeover is not None:
                    takeover(dict(by_slug))
                conn.execute("DELETE FROM episodes WHERE key = ?", (by_slug["key"],))
            stored = dict(row)
            if previous is not None:
                stored["guid"] = previous["guid"]
                stored["first_built"] = previous["first_built"]
            stored["updated"] = now
            conn.execute("DELETE FROM episodes WHERE key = ?", (key,))
            columns = ", ".join(stored)
            marks = ", ".join("?" for _ in stored)
            conn.execute(f"INSERT INTO episodes ({columns}) VALUES ({marks})",
                         tuple(stored.values()))
            if fingerprint is not None:
                conn.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                             (key, slug, fingerprint))
            same = "(key = ? OR slug = ?) AND NOT (slug = ? AND version = ?)"
            args = (key, slug, slug, version)
            conn.execute(f"UPDATE versions SET state = 'doomed', page = NULL "
                         f"WHERE state = 'previous' AND {same}", args)
            conn.execute(f"UPDATE versions SET state = 'previous', page = NULL "
                         f"WHERE state = 'live' AND {same}", args)
            updated = conn.execute(
                "UPDATE versions SET state = 'live', page = ? WHERE slug = ? AND version = ?",
                (page, slug, version),
            ).rowcount
            if updated != 1:
                raise PublishError(f"version {version!r} of {slug} was not reserved. Probable "
                                   "cause: a run's leftovers were swept while it published")
            doomed = _versions(conn, "state = 'doomed'")
            return stored, doomed

    def keep(self, key: str, slug: str, version: str, *, page: str,
             fingerprint: str | None) -> bool:
        """A rebuild of article ``key`` that made exactly the files of its live version
        ``version`` of ``slug``: nothing is switched; its page and, with ``fingerprint``,
        the build manifest are recorded. False (nothing changed) when that version is not
        live for ``key`` any more (another run switched meanwhile)."""
        with self.transaction() as conn:
            live = conn.execute("SELECT 1 FROM episodes WHERE key = ? AND slug = ? AND "
                                "version = ?", (key, slug, version)).fetchone()
            if live is None:
                return False
            conn.execute("UPDATE versions SET page = ? WHERE slug = ? AND version = ? "
                         "AND state = 'live'", (page, slug, version))
            if fingerprint is not None:
                conn.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                             (key, slug, fingerprint))
            return True

    def drop(self, slug: str, version: str) -> None:
        """Forget a reserved version that was never made live (its publishing failed)."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM versions WHERE slug = ? AND version = ? "
                         "AND state = 'pending'", (slug, version))

    def forget(self, versions: list[Version]) -> None:
        """Drop the rows of versions whose files were deleted."""
        with self.transaction() as conn:
            conn.executemany("DELETE FROM versions WHERE slug = ? AND version = ? AND state = ?",
                             [(v.slug, v.version, v.state) for v in versions])

    def abandon(self, runs: set[str]) -> list[Version]:
        """The pending versions of dead ``runs``, marked doomed (their files get deleted)."""
        if not runs:
            return []
        with self.transaction() as conn:
            marks = ", ".join("?" for _ in runs)
            conn.execute(f"UPDATE versions SET state = 'doomed' "
                         f"WHERE state = 'pending' AND run IN ({marks})", tuple(runs))
            return _versions(conn, "state = 'doomed'")

    def add_found(self, row: dict[str, Any]) -> bool:
        """Record an episode found in the folder without a row (an MP3 copied in): its plain
        version becomes live. False when the slug or key is already known."""
        with self.transaction() as conn:
            known = conn.execute("SELECT 1 FROM episodes WHERE key = ? OR slug = ?",
                                 (row["key"], row["slug"])).fetchone()
            if known is not None:
                return False
            _insert_episode(conn, row)
            conn.execute("INSERT OR IGNORE INTO versions (slug, version, key, state, run) "
                         "VALUES (?, '', ?, 'live', '')", (row["slug"], row["key"]))
            conn.execute("INSERT OR IGNORE INTO claims VALUES (?, ?)", (row["slug"], row["key"]))
            return True


def _legacy_row(raw: object, path: Path, *, derived: bool) -> dict[str, Any]:
    """One entry of an ``episodes.json`` as a store row, or PublishError naming it."""
    if not isinstance(raw, dict):
        raise PublishError(f"{path}: an episode entry is not an object. Probable cause: "
                           "the file was edited by hand")
    slug = raw.get("slug")
    try:
        row = {k: raw.get(k) for k in ("guid", "title", "description", "first_built",
                                       "updated", "date")}
        if not isinstance(slug, str) or not slug or not isinstance(row["guid"], str):
            raise ValueError("no slug or guid")
        if derived:
            row["key"] = f"slug:{slug}"
            audio = str((raw.get("files") or {}).get("audio", f"{slug}.mp3"))
            row["version"] = audio.removeprefix(f"{slug}").removesuffix(".mp3").lstrip(".")
            row["source"] = str(raw.get("url") or "")
        else:
            row["key"] = str(raw["key"])
            row["version"] = ""
            row["source"] = str(raw.get("source") or "")
        row["slug"] = slug
        row["title"] = str(row["title"] or slug)
        row["description"] = str(row["description"] or row["title"])
        row["duration_ms"] = int(raw.get("duration_ms") or 0)
        dt.datetime.fromisoformat(str(row["first_built"]))
        row["updated"] = str(row["updated"] or row["first_built"])
        if row["date"] is not None:
            dt.date.fromisoformat(str(row["date"]))
    except (KeyError, TypeError, ValueError) as e:
        raise PublishError(f"{path}: episode {slug!r} is malformed ({e})") from e
    return row


def _versions(conn: sqlite3.Connection, where: str) -> list[Version]:
    rows = conn.execute(f"SELECT slug, version, key, state, run FROM versions WHERE {where}")
    return [Version(r["slug"], r["version"], r["key"], r["state"], r["run"]) for r in rows]


def _insert_episode(conn: sqlite3.Connection, row: dict[str, Any]) -> None:
    columns = ("key", "guid", "slug", "title", "description", "duration_ms", "first_built",
               "updated", "date", "source", "version")
    values = {**{"source": "", "date": None, "version": ""}, **row}
    conn.execute(f"INSERT INTO episodes ({', '.join(columns)}) VALUES "
                 f"({', '.join('?' for _ in columns)})", tuple(values[c] for c in columns))


def _migrate(conn: sqlite3.Connection, out_dir: Path) -> None:
    """Import the ``episodes.json`` found in the folder, every GUID kept: an older narrate's
    index (version 1, with source keys), or a derived one (version 2) whose store was lost
    (each episode keyed by its slug, so the next build of its article takes it over, GUID
    and all); then an older narrate's build manifest."""
    path = out_dir / LEGACY_INDEX
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        data = {"version": 1, "episodes": []}
    except (OSError, ValueError) as e:  # undecodable, not JSON, a number too long
        raise PublishError(f"{path} cannot be read ({e}); move it away to start a new "
                           "index") from e
    if not isinstance(data, dict) or not isinstance(data.get("episodes"), list):
        raise PublishError(f"{path}: expected an object with an episodes list; move it away "
                           "to start a new index")
    derived = data.get("version") == 2
    for raw in data["episodes"]:
        row = _legacy_row(raw, path, derived=derived)
        _insert_episode(conn, row)
        conn.execute("INSERT OR IGNORE INTO versions (slug, version, key, state, run) "
                     "VALUES (?, ?, ?, 'live', '')", (row["slug"], row["version"], row["key"]))
        if not derived:  # a recovered episode's slug is free for its article to take over
            conn.execute("INSERT OR IGNORE INTO claims VALUES (?, ?)", (row["slug"], row["key"]))
    if data["episodes"]:
        log.info("imported %d episodes from %s", len(data["episodes"]), path)
    try:
        manifest = json.loads((out_dir / LEGACY_MANIFEST).read_text(encoding="utf-8"))
        builds = manifest.get("builds", {}) if isinstance(manifest, dict) else {}
    except (OSError, UnicodeDecodeError, json.JSONDecodeError):
        builds = {}
    for key, build in builds.items() if isinstance(builds, dict) else ():
        if isinstance(build, dict) and build.get("slug") and build.get("fingerprint"):
            conn.execute("INSERT OR REPLACE INTO builds VALUES (?, ?, ?)",
                         (key, str(build["slug"]), str(build["fingerprint"])))
    with contextlib.suppress(OSError):
        (out_dir / LEGACY_MANIFEST).unlink()


# -- the work area of a run ----------------------------------------------------------------


def _lock(fd: int, *, wait: bool) -> bool:
    if fcntl is None:  # pragma: no cover
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | (0 if wait else fcntl.LOCK_NB))
    except BlockingIOError:
        return False
    return True


class Workspace:
    """This process's run in ``<out>/.narrate/runs``: a folder for temporary audio and
    staged episodes, held by a lock the kernel releases when the process dies.

    Opening one changes nothing else in the folder: sweeping what killed runs left is
    :meth:`sweep`, which the folder's owner calls (see
    :meth:`narrate.publish.folder.OutputFolder.recover`). A forked child shares its
    parent's run; only the process that opened it closes it, by :meth:`close` or, at the
    latest, when the object is collected or the process exits.
    """

    def __init__(self, out_dir: Path) -> None:
        self.out_dir = out_dir
        self.root = out_dir / STATE_DIR
        self.runs = self.root / "runs"
        self.owner = os.getpid()
        self.run_id = f"{self.owner}-{secrets.token_hex(4)}"
        self.dir = self.runs / self.run_id
        try:
            self.runs.mkdir(parents=True, exist_ok=True)
            # Locked under a temporary name, then renamed: a sweeper never sees the final
            # name unlocked while the run lives.
            pending = self.runs / f".{self.run_id}.lock"
            fd = os.open(pending, os.O_RDWR | os.O_CREAT, 0o644)
            _lock(fd, wait=False)
            pending.replace(self.runs / f"{self.run_id}.lock")
            self.dir.mkdir()
        except OSError as e:
            raise PublishError(f"cannot create the work area {self.dir} ({e.strerror or e}). "
                               "Probable cause: the output folder is not writable") from e
        self._close = weakref.finalize(self, _close_run, self.dir,
                                       self.runs / f"{self.run_id}.lock", fd, self.owner)

    def stage(self) -> Path:
        """A new empty folder of this run (for one episode's files before they publish)."""
        return new_stage(self.dir)

    @contextlib.contextmanager
    def publishing(self) -> Iterator[None]:
        """Held while files in the folder change, so derived files land in commit order."""
        fd = os.open(self.root / "publish.lock", os.O_RDWR | os.O_CREAT, 0o644)
        try:
            _lock(fd, wait=True)
            yield
        finally:
            os.close(fd)  # closing drops the lock

    def dead_runs(self) -> set[str]:
        """Runs whose lock no process holds: killed (or closed while being swept)."""
        dead = set()
        for entry in self.runs.iterdir():
            name = entry.name
            if name.startswith("."):  # a lock being created, or one a kill left unrenamed
                _remove_unlocked(entry, older_than_s=60.0)
                continue
            run = name.removesuffix(".lock")
            if run == self.run_id:
                continue
            lock = self.runs / f"{run}.lock"
            try:
                fd = os.open(lock, os.O_RDWR)
            except FileNotFoundError:
                dead.add(run)  # a folder whose run is gone
                continue
            try:
                if _lock(fd, wait=False):
                    dead.add(run)
            finally:
                os.close(fd)
        return dead

    def sweep(self, store: Store) -> tuple[set[str], list[Version]]:
        """Find what ended runs left and mark it for removal: returns the dead runs and
        the doomed versions, whose files the caller deletes (then :meth:`remove_runs`).
        Call inside :meth:`publishing`.

        A run is dead when no process holds its lock, and a pending version is dead when
        its run holds no lock at all (its lock is gone: the run ended after a switch that
        failed, or an older narrate swept its lock before its versions). Nothing is
        removed here: the dead runs' pending versions become doomed first (one
        transaction), their files go next, the runs' folders after them and their locks
        last, so a kill at any step leaves a lock that tells the next run to finish.
        """
        dead = self.dead_runs()
        pending = store.versions("pending")
        dead |= {v.run for v in pending if v.run not in (self.run_id, "")
                 and not (self.runs / f"{v.run}.lock").exists()}
        if dead:
            log.info("sweeping what %d ended runs left", len(dead))
        store.abandon(dead)
        return dead, store.versions("doomed")

    def remove_runs(self, runs: set[str]) -> None:
        """Remove the folders of the dead ``runs``, then their locks (after their versions'
        files: see :meth:`sweep`)."""
        for run in runs:
            shutil.rmtree(self.runs / run, ignore_errors=True)
        for run in runs:
            with contextlib.suppress(FileNotFoundError):
                (self.runs / f"{run}.lock").unlink()

    def close(self) -> None:
        """Remove this run's folder and drop its lock (in the process that opened it)."""
        self._close()


def new_stage(parent: Path) -> Path:
    """A new empty folder in ``parent`` (a run's folder), for one episode's files."""
    path = parent / secrets.token_hex(4)
    path.mkdir()
    return path


def _close_run(folder: Path, lock: Path, fd: int, owner: int) -> None:
    if os.getpid() != owner:  # a forked child: the run is its parent's
        return
    shutil.rmtree(folder, ignore_errors=True)
    with contextlib.suppress(OSError):
        lock.unlink()
    with contextlib.suppress(OSError):
        os.close(fd)


def _remove_unlocked(path: Path, *, older_than_s: float) -> None:
    """Remove the lock file ``path`` when no process holds it and it is not brand new (its
    creator may be between creating and locking it)."""
    with contextlib.suppress(OSError):
        if dt.datetime.now().timestamp() - path.stat().st_mtime < older_than_s:
            return
        fd = os.open(path, os.O_RDWR)
        try:
            if _lock(fd, wait=False):
                path.unlink()
        finally:
            os.close(fd)
