"""The output folder: its store, this process's work area in it, and the publishing
transaction, as one object that the caller makes and passes down.

:class:`OutputFolder` is to the folder what sqlite-utils' ``Database`` is to a file: the
command that works on a folder makes one (``with OutputFolder(out) as folder:``) and hands
it to everything that reads or changes the folder. Nothing about a folder lives in a
module-level variable, and nothing happens to a folder as a side effect of asking for it:
sweeping what killed runs left is :meth:`OutputFolder.recover`, which a batch calls when it
starts.

**The episode switch.** A reader of the folder (a web server, a podcast app) finds an
episode through a *pointer*: ``feed.xml``, ``episodes.json`` or the embed page
``<slug>.html``. Each pointer is one file replaced with one rename, and names one version of
the episode's media files (MP3, chapters JSON, captions, …: every versioned file of
:data:`~narrate.publish.files.EPISODE_FILES`). Versions are never
changed after they are published: a rebuild writes a new version beside the live one
(``<slug>.<v>.mp3``, …; the first build of a slug has the plain ``<slug>.mp3``), and the
store's transaction that makes it live is the moment of the switch. In order, under the
folder's publish lock: the version is reserved (``pending``, owned by this run), the staged
files are renamed to its names, one transaction makes it live and the former live version
``previous``, the page and then the index and the feed are replaced, and last the files of
the version before ``previous`` are deleted. A kill at any point leaves every pointer naming
a version whose files are all there (the previous version is kept until the *next* switch,
so a page or feed not yet replaced still finds its files); the next run sweeps the files of
versions never made live and rewrites any pointer that lags the store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import filecmp
import logging
import threading
from collections.abc import Callable, Mapping
from dataclasses import asdict
from pathlib import Path
from types import TracebackType
from typing import Any

from narrate.config import ConfigError, PodcastConfig
from narrate.errors import PublishError
from narrate.fsutil import atomic_write_text
from narrate.mix.tags import TagInfo, read_tag_info
from narrate.model import Episode
from narrate.publish.artwork import check_podcast_artwork
from narrate.publish.embed import render_embed_page
from narrate.publish.feed import FEED_NAME, place_artwork, present, write_public
from narrate.publish.files import episode_paths
from narrate.publish.index import (
    IndexEntry,
    iso,
    load_index,
    new_guid,
    replace_if_changed,
    scan_folder,
    source_key,
)
from narrate.publish.store import Store, Version, Workspace

log = logging.getLogger(__name__)


def utc_now() -> dt.datetime:
    """The default publication time: now, in UTC, whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


class OutputFolder:
    """The folder ``path`` that episodes are published into.

    ``store`` is its database (:class:`~narrate.publish.store.Store`); :attr:`work` is this
    process's run in it (:class:`~narrate.publish.store.Workspace`, opened on first use,
    which creates the folder). :meth:`close` (or leaving the ``with`` block) removes the
    run's folder; a run that is killed instead is swept by the next :meth:`recover`.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.store = Store(path)
        self._work: Workspace | None = None
        self._lock = threading.Lock()
        #: Whether this object wrote ``feed.xml`` (its content changed) since it was made.
        self.feed_written = False

    def __repr__(self) -> str:
        return f"OutputFolder({str(self.path)!r})"

    def __enter__(self) -> OutputFolder:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 tb: TracebackType | None) -> None:
        self.close()

    def close(self) -> None:
        """Close this process's run in the folder (its temporary files go with it)."""
        with self._lock:
            work, self._work = self._work, None
        if work is not None:
            work.close()
        self.store.close()

    @property
    def work(self) -> Workspace:
        """This process's run in the folder, opened on first use."""
        with self._lock:
            if self._work is None:
                try:
                    self.path.mkdir(parents=True, exist_ok=True)
                except OSError as e:
                    raise PublishError(f"cannot create the output folder {self.path}: "
                                       f"{e.strerror or e}") from e
                self._work = Workspace(self.path)
            return self._work

    def stage(self) -> Path:
        """A new empty folder in this run's work area, for one episode's files."""
        return self.work.stage()

    def paths(self, slug: str, version: str = "") -> dict[str, Path]:
        """The files of version ``version`` of episode ``slug`` in this folder."""
        return episode_paths(self.path, slug, version)

    def index(self) -> list[IndexEntry]:
        """The episodes of the folder, newest first."""
        return load_index(self.store)

    # -- recovering ------------------------------------------------------------------------

    def recover(self, config: PodcastConfig | None = None, now: dt.datetime | None = None
                ) -> bool:
        """Sweep what killed runs left (see :meth:`Workspace.sweep`) and bring every pointer
        (pages, ``episodes.json``, ``feed.xml`` when ``config`` is given) back in line with
        the store. True when something was left to clean."""
        work = self.work
        with work.publishing():
            dead, doomed = work.sweep(self.store)
            self._remove_versions(doomed)
            work.remove_runs(dead)  # last: a kill before this leaves the locks to go on from
            if not dead and not doomed:
                return False
            for slug, (_version, page) in self.store.pages().items():
                path = self.paths(slug)["page"]
                try:
                    current = path.read_text(encoding="utf-8")
                except (OSError, UnicodeDecodeError):
                    current = None
                if current != page:
                    log.info("%s lagged its episode's live version; rewritten", path.name)
                    atomic_write_text(path, page, tmp_dir=work.dir)
            self._wrote(write_public(self.store, config, now=now or utc_now(),
                                     tmp_dir=work.dir))
        return True

    def _remove_versions(self, versions: list[Version]) -> None:
        """Delete the files of ``versions`` (doomed: neither live nor previous), and the page
        of a slug no version is live under any more; then forget them."""
        if not versions:
            return
        live = {v.slug for v in self.store.versions("live", "previous")}
        for version in versions:
            for kind, path in self.paths(version.slug, version.version).items():
                if kind == "page" and version.slug in live:
                    continue
                with contextlib.suppress(FileNotFoundError):
                    path.unlink()
        self.store.forget(versions)

    # -- publishing ------------------------------------------------------------------------

    def publish(
        self,
        episode: Episode,
        *,
        config: PodcastConfig | None = None,
        now: dt.datetime,
        fingerprint: str | None = None,
    ) -> Episode:
        """Switch the staged ``episode`` (files anywhere on this folder's file system, e.g.
        from :func:`narrate.pipeline.stage_episode`) in as its slug's live version (the slug
        its article's episode already has, if any: an article keeps its slug for life), and
        record it: the store (index and, with ``fingerprint``, the build manifest), the
        embed page, ``episodes.json``, and ``feed.xml`` when ``config`` has a base URL. See
        the module docstring for the order and why a kill anywhere leaves nothing mixed.
        Returns the episode with its published paths."""
        work = self.work
        key = source_key(episode.source, episode.slug)
        slug = self.store.slug_of(key) or episode.slug  # an article keeps its slug for life
        episode = dataclasses.replace(episode, slug=slug)
        info = read_tag_info(episode.audio)
        description = info.description or episode.title
        staged = episode.files
        with work.publishing():
            same = self._same_as_live(key, slug, staged)
            if same is not None:
                return self._keep(episode, key, same, config, info, fingerprint)
            version = self.store.reserve(slug, key, work.run_id)
            paths = self.paths(slug, version)
            try:
                for kind, path in staged.items():
                    path.replace(paths[kind])
            except OSError as e:
                for kind in staged:  # what moved goes; the live version is untouched
                    paths[kind].unlink(missing_ok=True)
                self.store.drop(slug, version)
                raise PublishError(
                    f"cannot move {slug}'s files into {self.path} ({e.strerror or e}). "
                    "Probable cause: the staging folder is on another file system, or the "
                    "output folder is not writable") from e
            page = self._page(episode, paths, config, info)
            row = {
                "key": key, "guid": new_guid(key), "slug": slug, "title": episode.title,
                "description": description, "duration_ms": episode.timeline.duration_ms,
                "first_built": iso(now), "updated": iso(now), "date": info.date,
                "source": episode.source, "version": version,
            }
            try:
                _, doomed = self.store.switch(row, page=page, fingerprint=fingerprint, now=iso(now),
                                              takeover=_warn_takeover(episode.source))
            except PublishError:  # not switched (rolled back): the version goes
                for kind in staged:
                    paths[kind].unlink(missing_ok=True)
                with contextlib.suppress(PublishError):  # else the next run's sweep drops it
                    self.store.drop(slug, version)
                raise
            try:
                atomic_write_text(paths["page"], page, tmp_dir=work.dir)
            except OSError as e:
                raise PublishError(f"cannot write {paths['page']} ({e.strerror or e})") from e
            self._wrote(write_public(self.store, config, now=now, tmp_dir=work.dir))
            self._remove_versions(doomed)
        with contextlib.suppress(OSError):  # the staging folder, now empty, if it was ours
            if episode.audio.parent.is_relative_to(work.dir):
                episode.audio.parent.rmdir()
        log.info("published %s (version %s)", paths["audio"], version or "plain")
        return dataclasses.replace(episode, files={kind: paths[kind] for kind in staged})

    def _page(self, episode: Episode, paths: dict[str, Path], config: PodcastConfig | None,
              info: TagInfo) -> str:
        """The player page of ``episode`` whose files are ``paths``. The podcast's artwork
        is placed in the folder first: the page shows it on the lock screen."""
        artwork = place_artwork(self.path, config, tmp_dir=self.work.dir) if config else None
        return render_embed_page(
            slug=episode.slug, title=episode.title, timeline=episode.timeline,
            description=info.description or episode.title, audio_name=paths["audio"].name,
            captions_name=paths["captions"].name,
            chapters_vtt_name=paths["chapters_vtt"].name,
            artist=info.artist, album=info.album, artwork_name=artwork,
        )

    def _same_as_live(self, key: str, slug: str, staged: Mapping[str, Path]) -> str | None:
        """The live version of ``slug`` when it is article ``key``'s and its files hold
        exactly the bytes of the ``staged`` ones (a rebuild, ``--force`` or a setting that
        changed nothing audible, that made the same episode); else None."""
        for row in self.store.episodes():
            if row["key"] != key or row["slug"] != slug:
                continue
            live = self.paths(slug, row["version"])
            try:
                if all(filecmp.cmp(path, live[kind], shallow=False)
                       for kind, path in staged.items()):
                    return str(row["version"])
            except OSError:  # a live file missing: publish anew
                return None
        return None

    def _keep(self, episode: Episode, key: str, version: str, config: PodcastConfig | None,
              info: TagInfo, fingerprint: str | None) -> Episode:
        """Publish nothing for a rebuild identical to the live version: no new version,
        no new enclosure URL; the page is rewritten only if it changed (the artwork). The
        staged files go."""
        paths = self.paths(episode.slug, version)
        page = self._page(episode, paths, config, info)
        if self.store.keep(key, episode.slug, version, page=page, fingerprint=fingerprint):
            replace_if_changed(paths["page"], page.encode("utf-8"), tmp_dir=self.work.dir)
        for path in episode.files.values():
            path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):
            if episode.audio.parent.is_relative_to(self.work.dir):
                episode.audio.parent.rmdir()
        log.info("%s is the same as its live version; nothing published", episode.slug)
        return dataclasses.replace(episode, files={k: paths[k] for k in episode.files})

    def _wrote(self, feed: bool) -> None:
        if feed:
            self.feed_written = True

    def write_public(self, config: PodcastConfig | None, *, now: dt.datetime) -> None:
        """Write ``episodes.json`` and (with a base URL in ``config``) ``feed.xml`` again."""
        work = self.work
        with work.publishing():
            self._wrote(write_public(self.store, config, now=now, tmp_dir=work.dir))

    def regenerate_feed(self, config: PodcastConfig, *, now: dt.datetime) -> Path:
        """Write ``feed.xml`` (and ``episodes.json``) from the folder alone; return the
        feed's path. Sweeps what killed runs left first (:meth:`recover`).

        MP3s with plain names the store lacks (copied in from elsewhere) are added from
        their tags; entries whose MP3 is gone are left out of the feed (and kept in the
        store, in case the file comes back).
        """
        if not self.path.is_dir():
            raise PublishError(f"{self.path} is not a folder. Probable cause: nothing built "
                               "yet, or another folder was meant")
        if not config.base_url:
            raise ConfigError(f"{config.source}: podcast.base_url is not set: expected the URL "
                              "the folder is served from (or pass --base-url)")
        check_podcast_artwork(config)
        self.recover()
        work = self.work
        with work.publishing():
            known = {v.slug for v in self.store.versions()}
            for entry in scan_folder(self.path, known):
                if entry.slug not in known and self.store.add_found(asdict(entry)):
                    log.info("%s.mp3 was not in the index; added from its tags", entry.slug)
            if not present(self.path, load_index(self.store)):
                raise PublishError(f"{self.path} has no episode: a feed without one is "
                                   "refused by podcast directories. Probable cause: nothing "
                                   "built yet (narrate build ARTICLE --out "
                                   f"{self.path})")
            self._wrote(write_public(self.store, config, now=now, tmp_dir=work.dir))
        return self.path / FEED_NAME


def _warn_takeover(source: str) -> Callable[[dict[str, Any]], None]:
    def warn(other: dict[str, Any]) -> None:
        log.warning("episode %r (%s) was overwritten by %s, which has the same slug; "
                    "it leaves the feed", other["title"], other["source"], source)
    return warn
