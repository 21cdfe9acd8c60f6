"""Real-browser tests of the embed page: Debian's Chromium driven by Playwright for Python.

They are skipped, with the reason, when Playwright or Chromium is missing (``script/setup``
installs both where it can: ``script/install-browser`` and the ``test`` extras).
Episodes are built offline with the espeak engine from articles written here, so the page is
tested on episodes the unit tests have not seen; then the output folder is served by
``narrate serve`` (:func:`narrate.serve.running`), or by a test-only Range server where that
is missing.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from narrate.errors import EngineUnavailable
from narrate.model import Episode
from narrate.pipeline import BuildSettings, build_episode
from narrate.publish.embed import write_embed_page
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
#: Latin words, and an ordinary Markdown article with headings.
ARTICLES = Path(__file__).parent / "articles"
EVIL_TITLE = '<script>window.__pwned=1</script> बजट पर "बहस" & <b>हंगामा</b>'


def serve(folder: Path) -> contextlib.AbstractContextManager[str]:
    """``narrate serve`` (its ``running`` helper) when present, else the test server."""
    try:
        from narrate.serve import running
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

    def url(self, key: str) -> str:
        from urllib.parse import quote

        return self.base_url + quote(f"{self.episodes[key].slug}.html")


@pytest.fixture(scope="session")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    out = tmp_path_factory.mktemp("site")
    try:
        engine = resolve_engine("espeak", options={}).engine
    except EngineUnavailable as e:
        pytest.skip(f"the espeak engine is unavailable: {e}")
    settings = BuildSettings(
        out_dir=out, engine="espeak", cache_dir=tmp_path_factory.mktemp("browser-cache")
    )
    episodes: dict[str, Episode] = {}
    for key, name in (("evil", "evil.txt"), ("river", "river.md")):
        episode = build_episode(str(ARTICLES / name), engine, settings)
        write_embed_page(out, episode, description=f"{episode.title} <i>सारांश</i>")
        episodes[key] = episode
    with serve(out) as base_url:
        yield Site(base_url=base_url, folder=out, episodes=episodes)


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
