"""The faults a followed site brings, each against the local site, in one process.

The watcher runs for real (the polite client, the store, the batch, espeak through
:class:`tests.test_batch.Recording`, which counts what is synthesized); only the time
between rounds is skipped (rounds are called one by one).
"""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path

import pytest

from narrate.config import read_config
from narrate.follow.http import PoliteClient, Politeness
from narrate.follow.sources import Item, Listing
from narrate.follow.state import FollowState
from narrate.follow.watch import Event, RoundReport, Watcher, WatchOptions
from narrate.pipeline import BuildSettings
from narrate.publish.folder import OutputFolder
from tests.follow.site import IST, Served, make_article
from tests.publish.folder_check import check_pointers, store_rows
from tests.publish.test_store import write_config
from tests.test_batch import Recording

pytestmark = pytest.mark.slow


class Run:
    """A watcher of ``sources`` on the site, and what it said."""

    def __init__(self, site: Served, tmp: Path, *paths: str, **options: object) -> None:
        self.site = site
        self.engine = Recording()
        self.events: list[Event] = []
        self.out = tmp / "out"
        self.folder = OutputFolder(self.out)
        OPEN.append(self.folder)
        config = read_config(write_config(tmp))
        self.watcher = Watcher(
            self.folder, self.engine, BuildSettings(engine="espeak"),
            WatchOptions(tuple(site.url(p) for p in paths), workers=2, **options),  # type: ignore[arg-type]
            PoliteClient(Politeness(backoff=0.02, timeout=3.0, deadline=10.0)),
            config=config, on_event=self.events.append,
        )

    def round(self) -> RoundReport:
        self.events.clear()
        report = self.watcher.round()
        return report

    def said(self, kind: str) -> list[str]:
        return [e.subject for e in self.events if e.kind == kind]


#: The folders the test's watchers opened, closed after it (as narrate watch closes its own).
OPEN: list[OutputFolder] = []


@pytest.fixture(autouse=True)
def _close() -> object:
    yield
    while OPEN:
        OPEN.pop().close()


def test_a_quiet_round_is_one_conditional_request_per_source_and_no_synthesis(
    site: Served, tmp_path: Path,
) -> None:
    site.site.publish(*range(1, 6))
    run = Run(site, tmp_path, "/rss.xml", "/atom.xml", "/sitemap.xml")
    first = run.round()
    assert first.count("built") == 5
    calls = len(run.engine.calls)
    logged = len(site.site.requests_to())
    started = time.perf_counter()
    quiet = run.round()
    seconds = time.perf_counter() - started
    assert quiet.requests == 3 and quiet.unchanged_sources == 3
    assert quiet.counts == {}
    assert len(run.engine.calls) == calls  # nothing synthesized
    assert [(r[1], r[2]) for r in site.site.requests_to()[logged:]] == [
        ("/rss.xml", 304), ("/atom.xml", 304), ("/sitemap.xml", 304)]
    assert seconds < 5  # three local 304s and three small transactions
    print(f"quiet round: {quiet.requests} requests, 0 synthesized, {seconds * 1000:.0f} ms")


def test_a_site_down_for_a_while(site: Served, tmp_path: Path) -> None:
    site.site.publish(1, 2)
    run = Run(site, tmp_path, "/rss.xml", "/sitemap.xml")
    site.site.down = "reset"
    down = run.round()
    assert down.failed_sources == 2 and down.counts == {}
    assert all("cannot be reached" in e.detail or "cannot connect" in e.detail
               for e in run.events if e.kind == "source")
    site.site.down = "503"
    assert run.round().failed_sources == 2
    site.site.down = None
    back = run.round()
    assert back.failed_sources == 0 and back.count("built") == 2
    # Pages that fail for a passing reason are tried again the next round.
    site.site.publish(4)  # its page is read (the feed has a teaser)
    site.site.queued[site.site.articles[4].path] = [(503, {})] * 3
    flaky = run.round()
    assert flaky.count("failed") == 1
    assert "tried again next round" in next(e for e in run.events if e.kind == "failed").detail
    assert run.round().count("built") == 1
    assert len(store_rows(run.out)) == 3


def test_malformed_truncated_and_empty_feeds(site: Served, tmp_path: Path) -> None:
    site.site.publish(*range(1, 5))
    whole = site.site.rss()
    broken = whole.replace(b"<title>", b"<title>A & B ", 1)
    site.extra["/feed.xml"] = (200, broken, "application/rss+xml", {})
    run = Run(site, tmp_path, "/feed.xml")
    first = run.round()
    assert first.count("built") == 4
    assert any("not well formed" in e.detail for e in run.events)
    site.extra["/feed.xml"] = (200, whole[: whole.index(b"<item>") + 300], "text/xml", {})
    assert run.round().counts == {} and run.said("removed") == []  # cut off: nothing removed
    empty = (b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title></channel>'
             b"</rss>")
    site.extra["/feed.xml"] = (200, empty, "application/rss+xml", {})
    assert run.round().counts == {} and run.said("removed") == []
    assert any("lists no article" in e.detail for e in run.events)
    site.extra["/feed.xml"] = (200, b"", "application/rss+xml", {})
    assert run.round().failed_sources == 1
    site.extra["/feed.xml"] = (200, whole, "application/rss+xml", {})
    calls = len(run.engine.calls)
    # The item the malformed feed garbled reads differently now: looked at, not rebuilt.
    assert set(run.round().counts) <= {"skipped"}
    assert len(run.engine.calls) == calls
    assert len(store_rows(run.out)) == 4


def test_ten_thousand_items_with_limit(site: Served, tmp_path: Path) -> None:
    site.extra["/bulk.xml"] = (200, site.site.big_rss(10_000), "application/rss+xml", {})
    run = Run(site, tmp_path, "/bulk.xml", limit=3)
    started = time.perf_counter()
    first = run.round()
    assert first.count("built") == 3
    assert any("9997 older articles left out" in e.detail for e in run.events)
    built = {r.key.rsplit("/", 1)[-1] for r in store_rows(run.out)}
    assert built == {"9999.html", "9998.html", "9997.html"}  # the newest
    assert run.round().requests == 1
    assert time.perf_counter() - started < 120


def test_since_leaves_the_archive_out(site: Served, tmp_path: Path) -> None:
    site.site.publish(1, 2, 3, 4)
    since = site.site.articles[3].published
    run = Run(site, tmp_path, "/rss.xml", since=since)
    assert run.round().count("built") == 2
    assert {r.key for r in store_rows(run.out)} == {
        site.url(site.site.articles[n].path) for n in (3, 4)}


def test_the_same_article_under_two_urls_is_one_episode(site: Served, tmp_path: Path) -> None:
    site.site.publish(4)
    path = site.site.articles[4].path
    items = "".join(f"<item><title>t</title><link>{site.url(p)}</link></item>" for p in (
        path + "?utm_source=x", "/m" + path, "/amp" + path))
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            "</channel></rss>").encode()
    site.extra["/twins.xml"] = (200, feed, "application/rss+xml", {})
    run = Run(site, tmp_path, "/twins.xml")
    report = run.round()
    assert report.count("built") == 1 and report.count("duplicate") == 1
    assert run.said("duplicate") == [site.url("/m" + path)]
    assert [r.key for r in store_rows(run.out)] == [site.url(path)]


def test_a_bad_item_fails_alone(site: Served, tmp_path: Path) -> None:
    site.site.publish(1)
    links = [site.url(site.site.articles[1].path), site.url("/missing.html"),
             site.url("/nav.html"), site.url("/loop-a")]
    items = "".join(f"<item><title>खबर {n}</title><link>{link}</link></item>"
                    for n, link in enumerate(links))
    feed = (f'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>{items}'
            "</channel></rss>").encode()
    site.extra["/mixed.xml"] = (200, feed, "application/rss+xml", {})
    run = Run(site, tmp_path, "/mixed.xml")
    report = run.round()
    assert report.count("built") == 1 and report.count("failed") == 3
    failures = {e.subject: e.detail for e in run.events if e.kind == "failed"}
    assert "HTTP 404" in failures[links[1]]
    assert "redirect loop" in failures[links[3]]
    assert links[2] in failures and "tried again later" in failures[links[2]]
    logged = len(site.site.requests_to())
    assert run.round().counts == {}  # not tried again at once: one request, the feed
    assert len(site.site.requests_to()) == logged + 1
    check_pointers(run.out)


def test_dates_missing_or_in_the_future(site: Served, tmp_path: Path) -> None:
    site.site.publish(1, 2)
    site.site.articles[1].published = None
    site.site.articles[2].published = dt.datetime(2099, 5, 5, tzinfo=IST)
    run = Run(site, tmp_path, "/sitemap.xml")
    assert run.round().count("built") == 2
    dates = {r["url"]: r["date"] for r in FollowState.of_folder(run.out).items()}
    now = dt.datetime.now(dt.UTC).isoformat()
    assert all(d <= now for d in dates.values())  # ordered as if seen now, never ahead


def test_an_item_removed_before_it_was_built_is_gone(tmp_path: Path) -> None:
    state = FollowState.of_folder(tmp_path)
    now = dt.datetime(2025, 8, 14, tzinfo=dt.UTC)
    a, b = (Item(f"https://x.in/{n}", f"https://x.in/{n}", title=n) for n in "ab")
    state.record("feed", Listing("rss", (a, b)), now)
    change = state.record("feed", Listing("rss", (b,)), now)
    assert change.gone == ("https://x.in/a",) and change.removed == ()
    assert {r["url"]: r["state"] for r in state.items()} == {
        "https://x.in/a": "gone", "https://x.in/b": "pending"}


def test_claims_keep_two_runs_apart(tmp_path: Path) -> None:
    state = FollowState.of_folder(tmp_path)
    now = dt.datetime(2025, 8, 14, tzinfo=dt.UTC)
    items = tuple(Item(f"https://x.in/{n}", f"https://x.in/{n}") for n in range(4))
    state.record("feed", Listing("rss", items), now)
    mine = state.claim("run-a", now, alive=lambda run: True)
    assert len(mine) == 4
    assert state.claim("run-b", now, alive=lambda run: True) == []  # run-a lives
    assert len(state.claim("run-b", now, alive=lambda run: False)) == 4  # run-a died


def test_a_feed_that_carries_whole_articles_needs_no_page(site: Served, tmp_path: Path) -> None:
    site.site.publish(3, 6)
    run = Run(site, tmp_path, "/rss.xml")
    assert run.round().count("built") == 2
    assert all("no page fetched" in e.detail for e in run.events if e.kind == "built")
    assert not site.site.requests_to("/news/")
    assert make_article(3, None).paragraphs[0].split("।")[0] in "".join(run.engine.calls)
