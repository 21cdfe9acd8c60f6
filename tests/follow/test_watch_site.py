"""``narrate watch`` follows the local news site through rounds, kills and changes.

The real command in real processes (espeak voice), the site changing between runs: 20
articles, then a quiet round, a SIGKILL between rounds, 6 new ones with a correction and
a removal, then 4 more with a SIGKILL in the middle of a round. Read back with independent
readers: sqlite3, feedparser, podcastparser, mutagen (folder_check).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import os
import queue
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote

import feedparser
import podcastparser
import pytest

from narrate.follow.feeds import feed_name
from tests.follow.site import IST, SECTIONS, NewsSite, Served, serve
from tests.publish.folder_check import (
    check_agreement,
    check_pointers,
    check_settled,
    store_rows,
    store_versions,
)
from tests.publish.test_store import write_config

pytestmark = pytest.mark.slow


class Watch:
    """A ``narrate watch`` process whose output lines are read as they come."""

    def __init__(self, site: Served, tmp: Path, *args: str) -> None:
        env = {**os.environ, "NARRATE_CACHE_DIR": str(tmp / "cache"),
               "NARRATE_PIN_WORKERS": "0"}
        sources = [site.url("/rss.xml"), site.url("/atom.xml"), site.url("/sitemap.xml")]
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "narrate", "watch", *sources, "--out", str(tmp / "out"),
             "--config", str(tmp / "narrate.toml"), "--engine", "espeak", "--by", "category",
             *args],
            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
            start_new_session=True,
        )
        self.lines: list[str] = []
        self._queue: queue.Queue[str | None] = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self._queue.put(line.rstrip("\n"))
        self._queue.put(None)

    def until(self, kind: str, subject: str | None = None, timeout: float = 240) -> str:
        """Read lines until one of ``kind`` (and ``subject``) comes; return it."""
        deadline = time.monotonic() + timeout
        while True:
            line = self._queue.get(timeout=max(0.1, deadline - time.monotonic()))
            if line is None:
                raise AssertionError(f"narrate watch ended: {self.lines}")
            self.lines.append(line)
            parts = line.split()
            if len(parts) > 2 and parts[1] == kind and subject in (None, parts[2]):
                return line

    def kill(self) -> None:
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.proc.pid, signal.SIGKILL)
        self.proc.wait(timeout=30)
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)

    def finish(self, timeout: float = 300) -> list[str]:
        assert self.proc.wait(timeout=timeout) == 0, "\n".join(self.lines)
        while (line := self._queue.get(timeout=10)) is not None:
            self.lines.append(line)
        return self.lines


def events(lines: list[str]) -> Counter[tuple[str, str]]:
    """(kind, url) of each article line."""
    out: Counter[tuple[str, str]] = Counter()
    for line in lines:
        parts = line.split()
        if len(parts) > 2 and parts[1] in ("built", "rebuilt", "skipped", "failed",
                                           "removed", "duplicate"):
            out[(parts[1], parts[2])] += 1
    return out


@pytest.fixture
def news(tmp_path: Path) -> Iterator[Served]:
    write_config(tmp_path)
    yield from serve(NewsSite())


def test_watch_follows_a_site_through_rounds_kills_a_correction_and_a_removal(
    news: Served, tmp_path: Path,
) -> None:
    site = news.site
    out = tmp_path / "out"
    site.publish(*range(1, 21))
    site.articles[13].published = None  # no date anywhere
    site.articles[17].published = dt.datetime(2099, 1, 1, 9, 0, tzinfo=IST)  # a wrong clock
    url = {n: news.url(a.path) for n, a in site.articles.items()}

    # Round 1 builds all 20; round 2 (nothing new) is one conditional request per source.
    first = Watch(news, tmp_path, "--every", "4s")
    first.until("round", "1")
    quiet = first.until("round", "2")
    first.kill()  # between rounds
    assert "3 sources (3 unchanged, 0 failed); 0 built, 0 rebuilt, 0 skipped, 0 failed; " \
        "3 requests" in quiet
    # Round two's requests are the last three: counting from the moment the test read round
    # one's line would race a round two that starts as soon as a slow round one ends.
    round_two = site.requests_to()[-3:]
    assert [(r[1], r[2]) for r in round_two] == [
        ("/rss.xml", 304), ("/atom.xml", 304), ("/sitemap.xml", 304)]
    assert all("If-None-Match" in r[3] for r in round_two)
    assert set(events(first.lines)) == {("built", url[n]) for n in range(1, 21)}
    whole = [n for n in range(1, 21) if n % 3 == 0]  # the RSS carries these whole
    fetched = {r[1].split("?")[0] for r in site.requests_to("/")}
    assert not any(site.articles[n].path in fetched for n in whole)
    assert site.articles[1].path in fetched
    before = json.loads((out / "episodes.json").read_text(encoding="utf-8"))
    corrected = next(e for e in before["episodes"] if e["url"] == url[5])
    old_feed = feedparser.parse((out / "feed.xml").read_bytes())
    old_enclosure = next(e.enclosures[0].href for e in old_feed.entries
                         if e.title == site.articles[5].title)

    # Six new, a correction, a removal; two rounds.
    site.publish(*range(21, 27))
    url |= {n: news.url(site.articles[n].path) for n in range(21, 27)}
    site.correct(5, "सुधार: पहले छपी संख्या ग़लत थी।", dt.datetime(2025, 8, 3, tzinfo=IST))
    site.remove(7)
    second = Watch(news, tmp_path, "--rounds", "2", "--every", "1s").finish()
    seen = events(second)
    assert {k for k in seen if k[0] in ("built", "rebuilt", "skipped")} == {
        ("built", url[n]) for n in range(21, 27)} | {("rebuilt", url[5])}
    assert seen[("removed", url[7])] == 3  # said once by each source; its episode stays

    # Four more, killed in the middle of a round, then one more round.
    site.publish(*range(27, 31))
    url |= {n: news.url(site.articles[n].path) for n in range(27, 31)}
    third = Watch(news, tmp_path, "--every", "60s")
    third.until("built")
    third.kill()
    fourth = Watch(news, tmp_path, "--once").finish()

    # Every article is one episode; only the corrected one was ever rebuilt, once.
    every = events(first.lines) + seen + events(third.lines) + events(fourth)
    for n in range(1, 31):
        assert every[("built", url[n])] + every[("skipped", url[n])] >= 1, n
        assert every[("built", url[n])] <= 1, n
    assert sum(v for (kind, _), v in every.items() if kind == "rebuilt") == 1
    rows = {r.key: r for r in store_rows(out)}
    assert set(rows) == set(url.values())  # article 7's episode stayed
    versions = store_versions(out)
    for key, row in rows.items():
        mine = sorted((v, state) for slug, v, state in versions if slug == row.slug)
        if key == url[5]:
            assert row.version != "" and mine == sorted([("", "previous"),
                                                         (row.version, "live")])
        else:
            assert mine == [("", "live")], (key, mine)

    # The feeds, read by two independent parsers.
    index = check_pointers(out)
    assert len(index) == 30
    after = json.loads((out / "episodes.json").read_text(encoding="utf-8"))
    by_url = {e["url"]: e for e in after["episodes"]}
    assert by_url[url[5]]["guid"] == corrected["guid"]  # same GUID, new enclosure
    feed = feedparser.parse((out / "feed.xml").read_bytes())
    assert not feed.bozo and len(feed.entries) == 30
    new_enclosure = next(e.enclosures[0].href for e in feed.entries
                         if e.title == site.articles[5].title)
    assert new_enclosure != old_enclosure
    podcast = podcastparser.parse("https://news.example.com/pod/feed.xml",
                                  io.BytesIO((out / "feed.xml").read_bytes()))
    assert len(podcast["episodes"]) == 30
    today = dt.datetime.now(IST).date().isoformat()
    assert all(e["date"] is None or e["date"] <= today for e in after["episodes"])
    assert by_url[url[17]]["date"] == today and by_url[url[13]]["date"] is None
    guids = {feed.feed.get("podcast_guid")}
    sections = {n: SECTIONS[n % len(SECTIONS)] for n in range(1, 31)}
    for section in SECTIONS:
        path = out / feed_name(section)
        parsed = feedparser.parse(path.read_bytes())
        assert not parsed.bozo and parsed.feed.title == f"ख़बरें: {section}"
        assert len(parsed.entries) == sum(1 for s in sections.values() if s == section)
        guids.add(parsed.feed.get("podcast_guid"))
        artwork = unquote(parsed.feed.image.href.rsplit("/", 1)[-1])
        assert artwork.startswith("artwork-") and (out / artwork).is_file()
        listed = podcastparser.parse(f"https://news.example.com/pod/{path.name}",
                                     io.BytesIO(path.read_bytes()))
        assert len(listed["episodes"]) == len(parsed.entries)
    assert len(guids) == 4  # the main feed and each category its own podcast
    check_agreement(out)
    extra = {p.name for p in out.glob("feed-*.xml")} | {p.name for p in out.glob("artwork-*")}
    check_settled(out, frozenset(extra))


def test_two_watchers_on_one_folder_build_each_article_once(
    news: Served, tmp_path: Path,
) -> None:
    news.site.publish(*range(1, 13))
    watchers = [Watch(news, tmp_path, "--once", "--workers", "1") for _ in range(2)]
    lines = [w.finish() for w in watchers]
    both = events(lines[0]) + events(lines[1])
    built = [url for (kind, url), n in both.items() if kind == "built" for _ in range(n)]
    skipped = [url for (kind, url), n in both.items() if kind == "skipped" for _ in range(n)]
    assert sorted(built) == sorted({news.url(a.path) for a in news.site.articles.values()})
    assert skipped == []  # not even looked at twice: each was claimed by one watcher
    assert {v for _, v, _ in store_versions(tmp_path / "out")} == {""}
    check_pointers(tmp_path / "out")


def test_sigterm_mid_round_finishes_nothing_half_way(news: Served, tmp_path: Path) -> None:
    news.site.publish(*range(1, 9))
    out = tmp_path / "out"
    watch = Watch(news, tmp_path, "--every", "60s", "--workers", "1")
    watch.until("built")
    watch.proc.send_signal(signal.SIGTERM)  # to narrate alone, as systemd's KillMode=mixed
    assert watch.proc.wait(timeout=120) == 130
    watch.kill()  # collects the last lines
    assert "narrate: interrupted" in watch.lines[-1]
    done = {url for (kind, url) in events(watch.lines) if kind == "built"}
    assert 1 <= len(done) < 8
    check_pointers(out)
    check_settled(out, frozenset(p.name for p in out.glob("*-*.*") if p.name.startswith(
        ("feed-", "artwork-"))))
    rest = events(Watch(news, tmp_path, "--once").finish())
    assert {url for (kind, url) in rest if kind == "built"} == {
        news.url(a.path) for a in news.site.articles.values()} - done
    assert not [k for k in rest if k[0] == "rebuilt"]
