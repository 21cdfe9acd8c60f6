"""The watch loop: keep an output folder in step with what a site publishes.

Each round:

1. every source (feed or sitemap; a sitemap index's newest sitemaps too) is asked with a
   conditional request. A 304 costs nothing more; a new document is read into the state
   (:meth:`~narrate.follow.state.FollowState.record`): new articles, changed ones (a
   correction), removed ones (their episode stays; said once);
2. the articles due are claimed (another watcher on the folder leaves them alone) and
   built as one batch: each published as soon as it is done, an unchanged one skipped
   without synthesis, a failing one failing alone;
3. the category feeds are written when anything changed.

Then it waits for the next round. A round with nothing new is one conditional request
per source, and no synthesis. Everything a round learns is in the store, so a watcher
killed at any moment resumes where it stopped: a claim dies with its run, and an episode
published just before a kill is found unchanged (no synthesis) by the next round.

Each article built, rebuilt, skipped or failed, and each removal, is one
:class:`Event`; the command line prints them.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal

from narrate.errors import ArticleError
from narrate.follow.build import (
    SOURCE_ACCEPT,
    build_articles,
    newest_children,
    publish_feeds,
)
from narrate.follow.feeds import FeedsSpec
from narrate.follow.http import FetchError, PoliteClient, Stopped, Validators
from narrate.follow.reader import DuplicateArticle, ItemReader, merge
from narrate.follow.sources import parse_source
from narrate.follow.state import FollowState, Work, iso, run_alive
from narrate.publish.index import source_key

if TYPE_CHECKING:
    from narrate.batch.results import ArticleResult
    from narrate.config import PodcastConfig
    from narrate.engines.base import Engine
    from narrate.pipeline import BuildSettings
    from narrate.publish.folder import OutputFolder

log = logging.getLogger(__name__)

EventKind = Literal["built", "rebuilt", "skipped", "failed", "duplicate", "removed",
                    "gone", "ignored", "source", "round"]


@dataclass(frozen=True)
class Event:
    """One line of the watcher's log."""

    kind: EventKind
    subject: str
    detail: str = ""

    def line(self) -> str:
        return f"{self.kind:<9} {self.subject}" + (f"  {self.detail}" if self.detail else "")


@dataclass(frozen=True)
class WatchOptions:
    """What to follow and how often. ``rounds`` None: until stopped."""

    sources: tuple[str, ...]
    every_s: float = 600.0
    since: dt.datetime | None = None
    limit: int | None = None
    rounds: int | None = None
    #: A failure that is not passing (404, no article) is tried again after this, then 4
    #: and 16 times this, then left until its source changes.
    retry_s: float = 300.0
    workers: int = 1
    feeds: FeedsSpec | None = None


@dataclass
class RoundReport:
    number: int
    requests: int = 0
    unchanged_sources: int = 0
    failed_sources: int = 0
    counts: dict[str, int] = field(default_factory=dict)

    def add(self, kind: str) -> None:
        self.counts[kind] = self.counts.get(kind, 0) + 1

    def count(self, kind: str) -> int:
        return self.counts.get(kind, 0)

    @property
    def failed(self) -> bool:
        return bool(self.failed_sources or self.count("failed"))

    def summary(self, sources: int) -> str:
        parts = [f"{self.count(k)} {k}" for k in ("built", "rebuilt", "skipped", "failed")]
        return (f"{sources} sources ({self.unchanged_sources} unchanged, "
                f"{self.failed_sources} failed); " + ", ".join(parts)
                + f"; {self.requests} requests")


@dataclass
class Watcher:
    """Follows ``options.sources`` into ``folder`` (see the module docstring)."""

    folder: OutputFolder
    engine: Engine
    settings: BuildSettings
    options: WatchOptions
    client: PoliteClient
    config: PodcastConfig | None = None
    now: Callable[[], dt.datetime] = lambda: dt.datetime.now(dt.UTC).replace(microsecond=0)
    on_event: Callable[[Event], None] = lambda event: None
    state: FollowState = field(init=False)
    _round: RoundReport = field(init=False)
    _wake: threading.Event = field(init=False, default_factory=threading.Event)

    def __post_init__(self) -> None:
        self.state = FollowState(self.folder.store)
        self._round = RoundReport(0)

    def stop(self) -> None:
        """End the wait between rounds and every request's wait (a round in progress ends
        at its next safe point: see :func:`narrate.batch.run.run_batch`)."""
        self._wake.set()
        self.client.stop()

    def _emit(self, kind: EventKind, subject: str, detail: str = "") -> None:
        event = Event(kind, subject, detail)
        if kind not in ("source", "round", "removed", "gone", "ignored"):
            self._round.add(kind)
        log.info("%s", event.line())
        self.on_event(event)

    # -- the loop --------------------------------------------------------------------------

    def run(self) -> list[RoundReport]:
        """Rounds until ``options.rounds`` are done or :meth:`stop`; their reports."""
        self.folder.recover(self.config, self.now())  # what a killed run left
        reports: list[RoundReport] = []
        while self.options.rounds is None or len(reports) < self.options.rounds:
            started = time.monotonic()
            reports.append(self.round(len(reports) + 1))
            if self.options.rounds is not None and len(reports) >= self.options.rounds:
                break
            rest = self.options.every_s - (time.monotonic() - started)
            if self._wake.wait(max(0.0, rest)):
                break
        return reports

    def round(self, number: int = 1) -> RoundReport:
        """One round (see the module docstring)."""
        self._round = report = RoundReport(number)
        before = self.client.requests
        self.client.new_round()
        for source in self.options.sources:
            if self.client.stopped:
                break
            self._poll(source, budget=[self.options.limit])
        built = 0
        if not self.client.stopped:
            built = self._build()
        if self.options.feeds is not None and (built or number == 1):
            self._category_feeds()
        report.requests = self.client.requests - before
        self._emit("round", str(number), report.summary(len(self.options.sources)))
        return report

    # -- sources ---------------------------------------------------------------------------

    def _poll(self, url: str, *, budget: list[int | None], parent: str | None = None,
              lastmod: dt.datetime | None = None) -> None:
        """Ask ``url`` for what changed and take it into the state. ``budget`` is what is
        left of ``--limit`` on a first round (shared by a sitemap index's sitemaps);
        ``parent`` and ``lastmod`` the index that names it and the date it gives."""
        now = self.now()
        known = self.state.source(url)
        first = known is None or known.fetched is None
        validators = Validators(known.etag, known.last_modified) if known else None
        try:
            fetched = self.client.get(url, validators=validators, accept=SOURCE_ACCEPT)
            if fetched.not_modified:
                self._round.unchanged_sources += parent is None
                self.state.fetched(
                    url, now, parent=parent, lastmod=lastmod,
                    etag=fetched.validators.etag or (known.etag if known else None),
                    last_modified=fetched.validators.last_modified
                    or (known.last_modified if known else None))
                self._undated_children(url, now)
                return
            listing = parse_source(fetched.body, fetched.final_url, fetched.content_type)
        except Stopped:
            return
        except ArticleError as e:
            self._round.failed_sources += 1
            reason = e.reason
            if isinstance(e, FetchError) and e.transient:
                reason += " (asked again next round)"
            self.state.fetched(url, now, error=reason, parent=parent)
            self._emit("source", url, f"FAILED: {reason}")
            return
        if listing.problem:
            self._emit("source", url, f"not well formed ({listing.problem}); read what it "
                       "holds, removals not taken from it")
        if listing.kind == "sitemapindex":
            children = newest_children(listing.children, self.options.since)
            self.state.keep_children(url, (c.url for c in children))
            for child in children:
                self._poll(child.url, budget=budget if first else [None], parent=url,
                           lastmod=child.lastmod)
        else:
            limit = budget[0] if first else None
            change = self.state.record(url, listing, now, since=self.options.since,
                                       limit=limit, first_round=first)
            if first and budget[0] is not None:
                budget[0] = max(0, budget[0] - len(change.new))
            self._changes(url, change.removed, change.gone, change.ignored)
            if not listing.items:
                self._emit("source", url, f"the {listing.kind} lists no article")
        self.state.fetched(url, now, etag=fetched.validators.etag,
                           last_modified=fetched.validators.last_modified,
                           keep_validators=listing.well_formed, changed=True, parent=parent,
                           lastmod=lastmod)

    def _undated_children(self, index: str, now: dt.datetime) -> None:
        """An unchanged sitemap index says nothing of a sitemap it gives no date for (or a
        date in the future): those are asked themselves, conditionally."""
        for child in self.state.children(index):
            if child.lastmod is None or child.lastmod > iso(now):
                self._poll(child.url, budget=[None], parent=index)

    def _changes(self, source: str, removed: tuple[str, ...], gone: tuple[str, ...],
                 ignored: int) -> None:
        for url in removed:
            self._emit("removed", url, f"no longer in {source}; its episode stays")
        for url in gone:
            self._emit("gone", url, f"removed from {source} before it was built; not built")
        if ignored:
            self._emit("ignored", source, f"{ignored} older articles left out "
                       "(--since/--limit); never built")

    # -- building --------------------------------------------------------------------------

    def _build(self) -> int:
        """Claim and build what is due; the number of episodes made."""
        run = self.folder.work.run_id
        work = self.state.claim(run, self.now(), lambda r: run_alive(self.folder.path, r))
        if not work:
            return 0
        by_url = {w.url: w for w in work}
        reader = ItemReader(self.client, {w.url: merge(w.items) for w in work},
                            known=self.state.known)
        done: set[str] = set()
        made = 0

        def on_result(result: ArticleResult) -> None:
            nonlocal made
            done.add(result.source)
            made += self._record(result, by_url[result.source], reader)

        try:
            build_articles(list(by_url), reader, self.engine, self.settings,
                           folder=self.folder, config=self.config,
                           workers=self.options.workers, now=self.now, on_result=on_result)
        finally:
            left = [u for u in by_url if u not in done]
            if left:
                self.state.release(left, run)
        return made

    def _record(self, result: ArticleResult, work: Work, reader: ItemReader) -> int:
        """Take one article's result into the state and say it; 1 when an episode was
        made."""
        now = self.now()
        url = result.source
        if result.status in ("built", "skipped"):
            made = result.status == "built"
            slug, guid = self.state.built(url, source_key(url, result.slug or ""), now,
                                          content_hash=reader.hashes.get(url), rebuilt=made)
            how = " from the feed's own content (no page fetched)" \
                if url in reader.from_content else ""
            if not made:
                self._emit("skipped", url, f"{slug}: its text did not change; nothing built")
            elif work.content_hash is not None or work.builds:
                self._emit("rebuilt", url, f"{slug}: the article changed; a new version under "
                           f"the same GUID {guid}{how}")
            else:
                self._emit("built", url, f"{slug} (GUID {guid}){how}")
            return int(made)
        error = result.exception
        if isinstance(error, DuplicateArticle):
            self.state.duplicate(url, error.of)
            self._emit("duplicate", url, f"the same article as {error.of}; one episode")
        elif isinstance(error, Stopped):
            pass  # released by _build: the next round takes it up
        else:
            reason = result.error or "failed"
            reason = reason.removeprefix(f"{url}: ")
            transient = bool(getattr(error, "transient", False))
            state = self.state.failed(url, now, reason, transient=transient,
                                      retry_s=self.options.retry_s)
            later = ("tried again next round" if transient else
                     "tried again later" if state == "pending" else
                     "given up until its source changes")
            self._emit("failed", url, f"{reason} ({later})")
        return 0

    def _category_feeds(self) -> None:
        if self.config is None or not self.config.base_url or self.options.feeds is None:
            return
        publish_feeds(self.folder, self.config, self.options.feeds, self.state.categories(),
                      self.now())

