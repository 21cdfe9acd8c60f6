"""The front page of ``narrate serve`` in headless Chromium: the podcast's title and artwork,
each episode leading to its player page, the feed's address only when there is a feed,
accessibility (axe-core, WCAG 2.2 AA), and nothing blocked by its Content-Security-Policy."""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import http.server
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import feedparser
import pytest

from narrate.config import PodcastConfig
from narrate.publish.folder import OutputFolder
from narrate.publish.front import DEFAULT_TITLE
from narrate.serve.front import Show
from narrate.serve.server import running
from tests.browser.conftest import EVIL_TITLE, Site
from tests.browser.pages import run_axe
from tests.browser.server import serve_folder
from tests.publish.test_artwork import png_bytes

TITLE = "सुबह की <ख़बरें> & बातें"


@dataclass(frozen=True)
class Front:
    base_url: str
    folder: Path


@pytest.fixture(scope="module")
def front(site: Site, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Front]:
    """The browser tests' episodes, copied with their store, with artwork and a feed,
    served with the podcast's settings as ``narrate serve`` gets them from narrate.toml."""
    work = tmp_path_factory.mktemp("front")
    out = work / "audio"
    shutil.copytree(site.folder, out, symlinks=True)
    artwork = work / "artwork.png"
    artwork.write_bytes(png_bytes(1400, 1400))
    with running(out, show=Show(TITLE, str(artwork))) as base:
        config = PodcastConfig(
            title=TITLE, description="रोज़ की ख़बरें", author="डेस्क", owner_name="डेस्क",
            owner_email="desk@news.example.com", base_url=base, artwork=str(artwork),
        )
        with OutputFolder(out) as folder:
            folder.regenerate_feed(config, now=dt.datetime(2025, 9, 28, tzinfo=dt.UTC))
        yield Front(base, out)


def open_front(context: Any, url: str) -> tuple[Any, list[str]]:
    """The page, and the console's errors (a CSP violation is one)."""
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    response = page.goto(url, wait_until="load")
    assert response.status == 200
    return page, errors


def test_the_front_page_shows_the_podcast_and_its_episodes(
    context_factory: Any, site: Site, front: Front
) -> None:
    context = context_factory()
    page, errors = open_front(context, front.base_url)
    assert page.inner_text("h1") == TITLE
    assert page.title() == TITLE
    assert page.evaluate("(() => { const i = document.querySelector('header img');"
                         " return i.complete && i.naturalWidth })()") == 1400
    assert page.get_attribute(".feed a", "href") == front.base_url + "feed.xml"
    assert page.inner_text(".feed a") == front.base_url + "feed.xml"
    titles = page.eval_on_selector_all("ol h3 a", "links => links.map(a => a.textContent)")
    assert sorted(titles) == sorted(e.title for e in site.episodes.values())
    assert EVIL_TITLE in titles and page.evaluate("window.__pwned") is None
    hrefs = page.eval_on_selector_all("ol h3 a", "links => links.map(a => a.href)")
    assert sorted(unquote(urlsplit(h).path) for h in hrefs) == sorted(
        f"/{e.slug}.html" for e in site.episodes.values())
    page.wait_for_timeout(200)
    assert errors == []
    assert [u for u in context.requests if not u.startswith(front.base_url)] == []


def test_an_episode_link_opens_its_player(context_factory: Any, site: Site, front: Front) -> None:
    page, _ = open_front(context_factory(), front.base_url)
    river = site.episodes["river"]
    with page.expect_navigation():
        page.get_by_role("link", name=river.title, exact=True).click()
    assert unquote(urlsplit(page.url).path) == f"/{river.slug}.html"
    page.wait_for_selector("#np-title")
    assert page.inner_text("#np-title") == river.title
    assert page.evaluate("document.getElementById('np-audio').readyState") >= 0
    page.go_back()
    assert page.inner_text("h1") == TITLE


def test_without_a_feed_no_feed_is_advertised(context_factory: Any, site: Site) -> None:
    assert not (site.folder / "feed.xml").exists()
    page, errors = open_front(context_factory(), site.base_url)
    assert page.inner_text("h1") == DEFAULT_TITLE
    assert page.query_selector(".feed") is None
    assert page.query_selector("link[rel=alternate]") is None
    assert "feed" not in page.inner_text("body").lower()
    assert page.eval_on_selector_all("ol h3 a", "a => a.length") == len(site.episodes)
    assert errors == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_finds_no_wcag22_aa_violations_on_the_front_page(
    context_factory: Any, front: Front, scheme: str
) -> None:
    context = context_factory(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page, _ = open_front(context, front.base_url)
    assert run_axe(page) == []


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), [(1280, 900), (320, 640)])
def test_front_page_screenshots(
    context_factory: Any, front: Front, screenshots: Path, scheme: str, width: int, height: int
) -> None:
    """Screenshots for a person to look at; the page reflows to 320 px without scrolling
    sideways (WCAG 1.4.10)."""
    context = context_factory(
        color_scheme=scheme, viewport={"width": width, "height": height}, device_scale_factor=1
    )
    page, _ = open_front(context, front.base_url)
    path = screenshots / f"front-{width}-{scheme}.png"
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 5_000
    assert page.evaluate("document.documentElement.scrollWidth") <= width


@contextlib.contextmanager
def static_server(folder: Path) -> Iterator[str]:
    """Python's own static file server (``python -m http.server``): ``/`` is the folder's
    ``index.html``, as on nginx or Apache."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:
            pass

    with serve_folder(folder, functools.partial(Quiet, directory=str(folder))) as url:
        yield url


def test_on_a_static_web_server_the_feeds_channel_link_finds_the_front_page(
    context_factory: Any, site: Site, tmp_path: Path
) -> None:
    """Publishing writes the front page as index.html beside the feed, so the channel
    <link> (the base URL) is a page for people on any web server, not only narrate serve."""
    out = tmp_path / "audio"
    shutil.copytree(site.folder, out, symlinks=True)
    artwork = tmp_path / "artwork.png"
    artwork.write_bytes(png_bytes(1400, 1400))
    with static_server(out) as base:
        config = PodcastConfig(
            title=TITLE, description="रोज़ की ख़बरें", author="डेस्क", owner_name="डेस्क",
            owner_email="desk@news.example.com", base_url=base, artwork=str(artwork),
        )
        with OutputFolder(out) as folder:
            folder.regenerate_feed(config, now=dt.datetime(2025, 9, 28, tzinfo=dt.UTC))
        channel_link = feedparser.parse((out / "feed.xml").read_bytes()).feed.link
        assert channel_link == base
        context = context_factory()
        page, errors = open_front(context, channel_link)
        assert page.inner_text("h1") == TITLE
        assert page.evaluate("(() => { const i = document.querySelector('header img');"
                             " return i.complete && i.naturalWidth })()") == 1400
        assert page.get_attribute(".feed a", "href") == base + "feed.xml"
        titles = page.eval_on_selector_all("ol h3 a", "a => a.map(x => x.textContent)")
        assert sorted(titles) == sorted(e.title for e in site.episodes.values())
        page.wait_for_timeout(200)
        assert errors == []  # nothing blocked by the page's own Content-Security-Policy
        river = site.episodes["river"]
        with page.expect_navigation():
            page.get_by_role("link", name=river.title, exact=True).click()
        page.wait_for_selector("#np-title")
        assert page.inner_text("#np-title") == river.title
        assert [u for u in context.requests if not u.startswith(base)] == []
