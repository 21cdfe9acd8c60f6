"""The front page of narrate serve, from folders written by narrate's own writers
(``episodes.json`` by the index, ``feed.xml`` by the feed), read back with lxml's HTML parser.

The page in a real browser is tests/browser/test_front_browser.py's.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
import requests
from lxml import html as lxml_html

from narrate.config import PodcastConfig
from narrate.publish.feed import FeedItem, feed_xml
from narrate.publish.front import DEFAULT_TITLE, Listed, render_page
from narrate.publish.index import IndexEntry, index_text
from narrate.serve.front import Show, front_page
from narrate.serve.server import running

NOW = dt.datetime(2025, 9, 28, 4, 30, tzinfo=dt.UTC)
BASE = "https://news.example.com/पॉडकास्ट/"
EVIL = '<script>alert(1)</script> "बजट" & <b>बहस</b>'


def entry(slug: str, title: str, *, version: str = "", date: str | None = None,
          built: str = "2025-09-01T06:00:00+00:00", description: str = "") -> IndexEntry:
    return IndexEntry(
        key=f"slug:{slug}", guid=f"guid-{slug}", slug=slug, title=title,
        description=description or title, duration_ms=125_400, first_built=built,
        updated=built, date=date, version=version,
    )


def config(artwork: str | None = None) -> PodcastConfig:
    return PodcastConfig(
        title="हमारी ख़बरें", description="दिन की ख़बरें", author="डेस्क", owner_name="डेस्क",
        owner_email="desk@news.example.com", base_url=BASE, artwork=artwork,
    )


def make_folder(root: Path, entries: list[IndexEntry], *, feed: bool = True,
                pages: bool = True) -> Path:
    """A folder as narrate leaves it: each entry's live files (and a stale older version),
    ``episodes.json`` from the index writer and, with ``feed``, ``feed.xml`` from the feed
    writer."""
    root.mkdir(parents=True, exist_ok=True)
    for e in entries:
        for path in e.files(root).values():
            if path.suffix != ".html" or pages:
                path.write_bytes(b"x")
        (root / f"{e.slug}.0ld0ld.mp3").write_bytes(b"old")  # a version no longer live
    (root / "episodes.json").write_text(index_text(entries), encoding="utf-8")
    if feed:
        (root / "artwork.jpg").write_bytes(b"\xff\xd8")
        items = [FeedItem(e, 1) for e in entries]
        data = feed_xml(config(), items, artwork_url=BASE + "artwork.jpg", now=NOW)
        (root / "feed.xml").write_bytes(data)
    return root.resolve()


def parse(page: str) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(page)


def episode_links(doc: lxml_html.HtmlElement) -> list[tuple[str, str]]:
    return [(a.text_content(), unquote(a.get("href"))) for a in doc.iterfind(".//ol//h3/a")]


def test_the_page_lists_episodes_with_their_player_pages(tmp_path: Path) -> None:
    entries = [entry("मानसून", "मानसून की बारिश", date="2025-09-27"),
               entry("hockey", "हॉकी टीम जीती", version="abc123",
                     built="2025-08-01T10:00:00+00:00")]
    root = make_folder(tmp_path / "audio", entries)
    doc = parse(front_page(root, Show("हमारी ख़बरें")).html)
    assert doc.findtext(".//h1") == "हमारी ख़बरें"
    assert doc.findtext(".//title") == "हमारी ख़बरें"
    assert episode_links(doc) == [("मानसून की बारिश", "मानसून.html"),
                                  ("हॉकी टीम जीती", "hockey.html")]
    first = doc.find(".//ol/li")
    assert [t.get("datetime") for t in first.iterfind(".//time")] == ["2025-09-27", "PT125.4S"]
    assert "27 सितंबर 2025" in first.text_content() and "2:05" in first.text_content()
    text = doc.text_content()
    assert "0ld0ld" not in text and ".mp3" not in text and ".vtt" not in text


def test_the_feed_s_address_is_shown_only_when_there_is_a_feed(tmp_path: Path) -> None:
    entries = [entry("a", "एक")]
    with_feed = parse(front_page(make_folder(tmp_path / "f", entries), Show()).html)
    url = "https://news.example.com/" + quote("पॉडकास्ट") + "/feed.xml"
    assert [a.get("href") for a in with_feed.iterfind(".//p[@class='feed']/a")] == [url]
    (alternate,) = with_feed.iterfind(".//link[@rel='alternate']")
    assert alternate.get("type") == "application/rss+xml"
    without = parse(front_page(make_folder(tmp_path / "n", entries, feed=False), Show()).html)
    assert without.find(".//p[@class='feed']") is None
    assert without.find(".//link[@rel='alternate']") is None
    assert "फ़ीड" not in without.text_content()
    assert "feed.xml" not in lxml_html.tostring(without).decode()


def test_title_and_artwork_come_from_the_settings_then_the_feed(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "audio", [entry("a", "एक")])
    from_feed = parse(front_page(root, Show()).html)
    assert from_feed.findtext(".//h1") == "हमारी ख़बरें"  # the feed's channel title
    assert from_feed.find(".//header/img").get("src") == "artwork.jpg"  # the feed's, made relative
    (root / "cover.png").write_bytes(b"\x89PNG")
    configured = parse(front_page(root, Show(EVIL, str(root / "cover.png"))).html)
    assert configured.findtext(".//h1") == EVIL  # shown as text
    assert configured.find(".//header/img").get("src") == "cover.png"
    remote = front_page(root, Show(None, "https://cdn.example.com/a.jpg"))
    assert parse(remote.html).find(".//header/img").get("src") == "https://cdn.example.com/a.jpg"
    policy = remote.headers["Content-Security-Policy"]
    assert "img-src 'self' data: https://cdn.example.com;" in policy
    outside = tmp_path / "secret.png"  # a file outside the folder is never linked
    outside.write_bytes(b"\x89PNG")
    bare = make_folder(tmp_path / "bare", [entry("a", "एक")], feed=False)
    page = parse(front_page(bare, Show(None, str(outside))).html)
    assert page.find(".//header/img") is None
    assert page.findtext(".//h1") == DEFAULT_TITLE


def test_a_missing_page_links_the_mp3_and_a_missing_mp3_is_not_listed(tmp_path: Path) -> None:
    entries = [entry("a", "एक"), entry("b", "दो")]
    root = make_folder(tmp_path / "audio", entries, pages=False)
    (root / "b.mp3").unlink()
    doc = parse(front_page(root, Show()).html)
    assert episode_links(doc) == [("एक", "a.mp3")]


def test_without_episodes_json_the_plain_mp3s_are_listed(tmp_path: Path) -> None:
    root = tmp_path / "audio"
    root.mkdir()
    for name in ("one.mp3", "one.html", "two.mp3", "two.abc.mp3", ".hidden.mp3"):
        (root / name).write_bytes(b"x")
    (root / "episodes.json").write_text("{not json", encoding="utf-8")
    doc = parse(front_page(root.resolve(), Show()).html)
    assert sorted(episode_links(doc)) == [("one", "one.html"), ("two", "two.mp3")]


def test_an_empty_folder_says_so(tmp_path: Path) -> None:
    doc = parse(front_page(tmp_path.resolve(), Show()).html)
    assert doc.findtext(".//h2") == "एपिसोड (0)"
    assert "अभी कोई एपिसोड नहीं है" in doc.text_content()


def test_every_value_is_escaped() -> None:
    page = render_page(EVIL, 'x.png" onerror="alert(1)', 'https://x.example/f?a=1&b="2"',
                       [Listed(EVIL, 'a.html" onclick="x', description=EVIL)])
    doc = parse(page)
    assert doc.find(".//script") is None and doc.find(".//b") is None
    assert doc.findtext(".//h1") == EVIL and doc.findtext(".//h3/a") == EVIL
    assert doc.find(".//header/img").get("src") == 'x.png" onerror="alert(1)'
    assert doc.find(".//header/img").get("onerror") is None
    assert doc.find(".//h3/a").get("onclick") is None


@pytest.mark.parametrize("method", ["GET", "HEAD"])
def test_the_server_answers_slash_with_the_page(tmp_path: Path, method: str) -> None:
    root = make_folder(tmp_path / "audio", [entry("a", "एक")])
    with running(root, show=Show("शो")) as base:
        response = requests.request(method, base, timeout=10)
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert "default-src 'none'" in response.headers["Content-Security-Policy"]
    if method == "GET":
        assert parse(response.text).findtext(".//h1") == "शो"
        assert int(response.headers["Content-Length"]) == len(response.content)
    else:
        assert response.content == b""


def test_an_index_html_of_the_folder_s_own_wins(tmp_path: Path) -> None:
    root = make_folder(tmp_path / "audio", [entry("a", "एक")])
    (root / "index.html").write_text("<p>अपना</p>", encoding="utf-8")
    with running(root) as base:
        assert requests.get(base, timeout=10).text == "<p>अपना</p>"
