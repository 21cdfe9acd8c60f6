"""Feeds and sitemaps as items: every dialect, broken ones, big ones, hostile ones."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import time

import pytest

from narrate.follow.sources import SourceError, detect, parse_source
from tests.follow.site import NewsSite

URL = "https://site.example/feed"


@pytest.fixture
def news() -> NewsSite:
    site = NewsSite(base="https://site.example")
    site.publish(1, 2, 3)
    return site


def test_rss_items_carry_title_date_author_categories_and_content(news: NewsSite) -> None:
    listing = parse_source(news.rss(), URL, "application/rss+xml")
    assert listing.kind == "rss" and listing.well_formed and listing.title == "हमारी साइट"
    by_url = {i.url: i for i in listing.items}
    three = by_url["https://site.example/news/khel/3.html"]  # campaign parameters gone
    assert three.link.endswith("?utm_source=rss&utm_medium=feed")
    assert three.title == news.articles[3].title
    assert three.published == news.articles[3].published
    assert three.author == "संवाददाता" and three.categories == ("खेल",)
    assert three.content is not None and news.articles[3].paragraphs[2] in three.content
    assert by_url["https://site.example/news/vyapar/1.html"].content is None  # a teaser only


def test_atom_entries_fold_amp_twins(news: NewsSite) -> None:
    listing = parse_source(news.atom(), URL)
    assert listing.kind == "atom"
    assert {i.url for i in listing.items} == {
        "https://site.example" + a.path for a in news.articles.values()}
    assert {i.link for i in listing.items} >= {"https://site.example/amp/news/desh/2.html"}


def test_sitemap_index_and_google_news_sitemap(news: NewsSite) -> None:
    index = parse_source(news.sitemap_index(), URL)
    assert index.kind == "sitemapindex"
    assert [c.url for c in index.children] == ["https://site.example/sitemap-news.xml"]
    assert index.children[0].lastmod == news.articles[3].published
    urlset = parse_source(news.sitemap_news(), URL)
    assert urlset.kind == "sitemap"
    item = next(i for i in urlset.items if i.url.endswith("/2.html"))
    assert item.title == news.articles[2].title and item.published == news.articles[2].published


def test_a_gzipped_sitemap_is_read() -> None:
    news = NewsSite(base="https://site.example")
    news.publish(4)
    listing = parse_source(gzip.compress(news.sitemap_news()), URL, "application/x-gzip")
    assert [i.url for i in listing.items] == ["https://site.example/news/vyapar/4.html"]


def test_json_feed() -> None:
    data = {
        "version": "https://jsonfeed.org/version/1.1", "title": "साइट",
        "authors": [{"name": "डेस्क"}],
        "items": [
            {"id": "1", "url": "/news/a.html?utm_source=x", "title": "पहली <b>खबर</b>",
             "content_html": "<p>पाठ</p>", "tags": ["खेल", "खेल", "देश"],
             "date_published": "2025-08-14T10:00:00+05:30"},
            {"id": "2", "external_url": "https://site.example/b", "content_text": "पाठ"},
            {"id": "3"},  # no address: left out
            "not an item",
        ],
    }
    listing = parse_source(json.dumps(data).encode(), "https://site.example/feed.json")
    assert listing.kind == "jsonfeed"
    first, second = listing.items
    assert first.url == "https://site.example/news/a.html" and first.title == "पहली खबर"
    assert first.categories == ("खेल", "देश") and first.author == "डेस्क"
    assert first.published == dt.datetime(2025, 8, 14, 4, 30, tzinfo=dt.UTC)
    assert second.url == "https://site.example/b" and second.content == "पाठ"


@pytest.mark.parametrize("data", [
    b"", b"<html><body><p>article</p></body></html>", b'{"title": "not a feed"}',
    b"\x1f\x8bnot gzip", b"%PDF-1.4",
])
def test_what_is_not_a_feed_is_said(data: bytes) -> None:
    assert detect(data) is None
    with pytest.raises(SourceError, match="not a feed or sitemap"):
        parse_source(data, URL)


def test_a_malformed_feed_is_read_for_what_it_holds(news: NewsSite) -> None:
    broken = news.rss().replace(b"<title>", b"<title>A & B ", 1)  # a bare ampersand
    listing = parse_source(broken, URL)
    assert not listing.well_formed and listing.problem
    assert len(listing.items) == 3


def test_a_truncated_feed_keeps_its_whole_items_and_says_so(news: NewsSite) -> None:
    whole = news.rss()
    cut = whole[: whole.rindex(b"<item>") + 40]
    listing = parse_source(cut, URL)
    assert not listing.well_formed
    assert [i.url for i in listing.items] == [
        "https://site.example/news/khel/3.html", "https://site.example/news/desh/2.html"]


def test_a_truncated_sitemap_is_read_with_recovery(news: NewsSite) -> None:
    whole = news.sitemap_news()
    listing = parse_source(whole[: whole.rindex(b"<url>") + 20], URL)
    assert not listing.well_formed and len(listing.items) == 2


def test_an_empty_feed_lists_nothing() -> None:
    listing = parse_source(b'<?xml version="1.0"?><rss version="2.0"><channel><title>t</title>'
                           b"</channel></rss>", URL)
    assert listing.items == () and listing.well_formed


def test_ten_thousand_items_parse_in_bounded_time() -> None:
    news = NewsSite(base="https://site.example")
    started = time.perf_counter()
    listing = parse_source(news.big_rss(10_000), URL)
    assert len(listing.items) == 10_000
    assert time.perf_counter() - started < 30


def test_sitemaps_resolve_no_entities_and_no_network() -> None:
    hostile = (b'<?xml version="1.0"?><!DOCTYPE urlset [<!ENTITY x SYSTEM "file:///etc/passwd">'
               b'<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
               b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
               b"<url><loc>https://site.example/&x;</loc></url>"
               b"<url><loc>https://site.example/&b;</loc></url></urlset>")
    listing = parse_source(hostile, URL)
    assert all("root:" not in i.url and "aaaa" not in i.url for i in listing.items)


def test_feeds_resolve_no_external_entities() -> None:
    hostile = (b'<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
               b'<rss version="2.0"><channel><title>t</title><item><title>&x;</title>'
               b"<link>https://site.example/a</link></item></channel></rss>")
    listing = parse_source(hostile, URL)
    assert all("root:" not in (i.title or "") for i in listing.items)


def test_an_items_digest_changes_with_its_text_not_its_author_or_link(
    news: NewsSite,
) -> None:
    before = {i.url: i.digest() for i in parse_source(news.rss(), URL).items}
    news.correct(3, "सुधार: आंकड़े बदले गए।", dt.datetime(2025, 8, 2, tzinfo=dt.UTC))
    news.articles[1].author = "दूसरा संवाददाता"
    rss = news.rss().replace(b"utm_medium=feed", b"utm_medium=mail")
    after = {i.url: i.digest() for i in parse_source(rss, URL).items}
    changed = {u for u in before if before[u] != after[u]}
    assert changed == {"https://site.example/news/khel/3.html"}
