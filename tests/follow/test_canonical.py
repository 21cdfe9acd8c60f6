"""One address per article: twins fold, different articles never do."""

from __future__ import annotations

import pytest

from narrate.follow.canonical import canonical_url, same_site

BASE = "https://news.example.com/desh/2025/08/barish-123.html"

TWINS = [
    BASE,
    BASE + "?utm_source=whatsapp&utm_medium=social",
    BASE + "?fbclid=IwAR0abc",
    BASE + "#comments",
    "HTTPS://News.Example.COM:443/desh/2025/08/barish-123.html",
    "https://news.example.com/amp/desh/2025/08/barish-123.html",
    "https://news.example.com/desh/2025/08/barish-123.html/amp/",
    "https://news.example.com/desh/2025/08/barish-123.amp.html",
    BASE + "?amp=1",
    BASE + "?amp",
    BASE + "?outputType=amp",
    "https://amp.news.example.com/desh/2025/08/barish-123.html",
    "https://news-example-com.cdn.ampproject.org/c/s/news.example.com/amp/desh/2025/08/"
    "barish-123.html",
    "https://news.example.com/desh/2025/08/barish-123.html/",
]


@pytest.mark.parametrize("url", TWINS)
def test_twins_of_one_article_have_one_address(url: str) -> None:
    assert canonical_url(url) == BASE


DIFFERENT = [
    ("https://news.example.com/article?id=1", "https://news.example.com/article?id=2"),
    ("https://news.example.com/desh/a.html", "https://www.news.example.com/desh/a.html"),
    ("http://news.example.com/a", "https://news.example.com/a"),
    ("https://news.example.com/example/a", "https://news.example.com/a"),
    ("https://news.example.com/campus/a", "https://news.example.com/camp/a"),
    ("https://news.example.com/a?page=2", "https://news.example.com/a?page=3"),
]


@pytest.mark.parametrize(("a", "b"), DIFFERENT)
def test_different_articles_keep_different_addresses(a: str, b: str) -> None:
    assert canonical_url(a) != canonical_url(b)


def test_devanagari_paths_have_one_spelling() -> None:
    raw = "https://news.example.com/खबर/बारिश"
    encoded = "https://news.example.com/%E0%A4%96%E0%A4%AC%E0%A4%B0/%e0%a4%ac%e0%a4%be%e0%a4%b0%e0%a4%bf%e0%a4%b6"
    assert canonical_url(raw) == canonical_url(encoded)
    assert canonical_url(raw).isascii()


def test_query_order_and_other_parameters_are_kept() -> None:
    assert canonical_url("https://x.in/a?b=2&a=1&utm_campaign=z") == "https://x.in/a?b=2&a=1"


def test_other_schemes_are_left_alone() -> None:
    assert canonical_url("ftp://x.in/a?utm_source=1") == "ftp://x.in/a?utm_source=1"


def test_same_site_ignores_www_amp_and_m() -> None:
    assert same_site("https://www.x.in/a", "https://m.x.in/b")
    assert same_site("https://amp.x.in/a", "https://x.in/b")
    assert not same_site("https://x.in/a", "https://y.in/a")
