"""Real-browser tests of the embed page: Debian's Chromium driven by Playwright for Python.

They are skipped, with the reason, when Playwright or Chromium is missing (``script/setup``
installs both where it can: ``script/install-browser`` and the ``test`` extras).
Episodes are built offline with the espeak engine from articles written here, so the page is
tested on episodes the unit tests have not seen; then the output folder is served by
``narrate serve`` (:func:`narrate.serve.server.running`), or by a test-only Range server where that
is missing.
"""

from __future__ import annotations

import contextlib
import dataclasses
import os
import re
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from narrate.errors import EngineUnavailable
from narrate.model import Episode, Link
from narrate.pipeline import BuildSettings, build_episode
from narrate.publish.embed import embed_snippet, write_embed_page
from narrate.publish.folder import OutputFolder
from narrate.synth import resolve_engine
from tests.browser.server import serve_folder

playwright_sync = pytest.importorskip(
    "playwright.sync_api", reason="Playwright for Python is not installed (pip install playwright)"
)

CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--autoplay-policy=no-user-gesture-required",  # tests only: play muted without a click
    "--mute-audio",
]

#: Screenshots for a person to look at (ignored by git).
SCREENSHOTS = Path(__file__).parent / "screenshots"

#: Articles written for these tests: a title and sentences with markup that must stay text,
#: Latin words, an ordinary Markdown article with headings, and a page with two tables (one
#: of six columns read row by row, one too large to read aloud, with a hostile cell).
ARTICLES = Path(__file__).parent / "articles"
EVIL_TITLE = '<script>window.__pwned=1</script> बजट पर "बहस" & <b>हंगामा</b>'


def serve(folder: Path) -> contextlib.AbstractContextManager[str]:
    """``narrate serve`` (its ``running`` helper) when present, else the test server."""
    try:
        from narrate.serve.server import running
    except ImportError:
        return serve_folder(folder)
    return running(folder)


def chromium_path() -> str | None:
    """``$NARRATE_CHROMIUM``, else Debian's ``chromium`` (or ``chromium-browser``)."""
    env = os.environ.get("NARRATE_CHROMIUM")
    if env:
        return env if Path(env).is_file() else None
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


@dataclass(frozen=True)
class Site:
    """Built episodes served over HTTP."""

    base_url: str
    folder: Path
    episodes: dict[str, Episode]

    def url(self, key: str, query: str = "") -> str:
        """The player page of episode ``key`` (``query`` such as ``?theme=dark``)."""
        from urllib.parse import quote

        return self.base_url + quote(f"{self.episodes[key].slug}.html") + query

    def host(self, key: str, *, script: bool = True, theme: str = "light") -> str:
        """An article page that embeds episode ``key`` through the snippet ``narrate embed``
        prints (with ``script=False``, its script stripped, as some CMSs do). It is served
        from another origin (``localhost`` rather than ``127.0.0.1``), so the player is a
        cross-site frame as on a real news site."""
        name = f"host-{key}-{theme}{'' if script else '-noscript'}.html"
        path = self.folder / name
        if not path.exists():
            episode = self.episodes[key]
            snippet = embed_snippet(episode.slug, self.base_url, episode.title, theme=theme)
            if not script:
                snippet = re.sub(r"<script>.*?</script>\n", "", snippet)
            article = "<p>" + "लेख का एक अनुच्छेद। " * 40 + "</p>"
            path.write_text(
                '<!doctype html><html lang="hi"><meta charset="utf-8">'
                '<meta name="viewport" content="width=device-width, initial-scale=1">'
                '<title>लेख</title><body style="margin:0 auto;max-width:46rem;padding:8px">'
                f"<h1>लेख</h1>{snippet}{article}</body></html>",
                encoding="utf-8",
            )
        return self.base_url.replace("//127.0.0.1:", "//localhost:") + name


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    out = tmp_path_factory.mktemp("site")
    try:
        engine = resolve_engine("espeak", options={}).engine
    except EngineUnavailable as e:
        pytest.skip(f"the espeak engine is unavailable: {e}")
    settings = BuildSettings(engine="espeak", cache_dir=tmp_path_factory.mktemp("browser-cache"))
    episodes: dict[str, Episode] = {}
    for key, name in (("evil", "evil.txt"), ("river", "river.md"), ("paras", "paras.md"),
                      ("table", "table.html")):
        with OutputFolder(out) as folder:
            episode = build_episode(str(ARTICLES / name), engine, settings, folder)
        if key == "paras":
            episode = with_links(episode)
        credits = {} if key == "evil" else {"artist": "समाचार <डेस्क>", "album": "आज की ख़बरें"}
        write_embed_page(out, episode, description=f"{episode.title} <i>सारांश</i>", **credits)
        episodes[key] = episode
    with serve(out) as base_url:
        yield Site(base_url=base_url, folder=out, episodes=episodes)


#: Links the readers will carry from Markdown/HTML; set here on the built timeline so the
#: page is tested with them whatever the readers do: one to keep, one to leave as text.
LINKS = (
    Link("खेल मंत्रालय की वेबसाइट", "https://yas.gov.in/olympics?x=1&y=2"),
    Link("सूची", "javascript:window.__pwned=9"),
)


def with_links(episode: Episode) -> Episode:
    cues = list(episode.timeline.cues)
    last = cues[-1]
    assert all(link.text in last.text for link in LINKS), last.text
    cues[-1] = dataclasses.replace(last, links=LINKS)
    timeline = dataclasses.replace(episode.timeline, cues=tuple(cues))
    return dataclasses.replace(episode, timeline=timeline)


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        pytest.skip(
            "Chromium is not installed (script/install-browser installs Debian's chromium; "
            "or set NARRATE_CHROMIUM)"
        )
    with playwright_sync.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture
def context_factory(browser: Any, site: Site) -> Iterator[Any]:
    """New browser contexts that record every request, so tests can check the page never
    leaves the served folder."""
    contexts: list[Any] = []

    def make(**options: Any) -> Any:
        context = browser.new_context(**options)
        requests: list[str] = []
        context.on("request", lambda request: requests.append(request.url))
        context.requests = requests
        contexts.append(context)
        return context

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def screenshots() -> Path:
    SCREENSHOTS.mkdir(exist_ok=True)
    print(f"\nembed screenshots: {SCREENSHOTS}")
    return SCREENSHOTS
