"""WCAG 2.2 AA in a real browser: axe-core in every state the player has (320, 390, 768 and
1280 px; light and dark; compact and open; paused and playing; driven by the keyboard;
in an article page with and without the snippet's script, and on its own), and a walk
through the whole player by keyboard that checks after every key that the focused element
can be seen whole: inside the window, not under the bar, not covered (WCAG 2.4.11)."""

from __future__ import annotations

import re
from typing import Any

import pytest

from tests.browser.conftest import Site
from tests.browser.pages import (
    AUDIO,
    focus_problem,
    focused,
    open_page,
    run_axe,
    settle,
    wait_for,
    wait_for_frame,
)

WIDTHS = [(320, 640), (390, 844), (768, 1024), (1280, 800)]


def host_axe(host: Any) -> list[dict[str, Any]]:
    """axe-core on the article page itself (the snippet's iframe and link); inside the
    frame is checked on its own."""
    return run_axe(host, iframes=False)


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_axe_finds_nothing_in_any_state(
    context_factory: Any, site: Site, theme: str, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height})
    found: dict[str, list[dict[str, Any]]] = {}
    host = context.new_page()
    host.goto(site.host("paras", theme=theme), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    found["host"] = host_axe(host)
    found["compact, paused"] = run_axe(frame)
    # Keyboard only from here: Tab into the frame, Space plays.
    frame.focus("#np-seek")
    host.keyboard.press("Space")
    wait_for(frame, f"!{AUDIO}.paused && {AUDIO}.currentTime > 0.2")
    found["compact, playing"] = run_axe(frame)
    frame.focus("#np-more-button")
    host.keyboard.press("Enter")
    wait_for(host, "document.querySelector('iframe').getBoundingClientRect().height > 300")
    for _ in range(5):  # to the second chapter, and play from it
        host.keyboard.press("Tab")
    assert focused(frame) == "chapter"
    host.keyboard.press("Enter")
    wait_for(frame, "document.querySelector('.cue[aria-current=true]')")
    settle(frame, host)
    found["open, playing"] = run_axe(frame)
    host.keyboard.press("k")
    wait_for(frame, f"{AUDIO}.paused")
    frame.focus("#np-search")
    host.keyboard.type("खेल")
    wait_for(frame, "document.getElementById('np-found').textContent")
    host.keyboard.press("Tab")
    settle(frame, host)
    found["open, paused, searching"] = run_axe(frame)
    # Without the snippet's script: a fixed frame, a link to the full page.
    host.goto(site.host("paras", theme=theme, script=False), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-link').hidden")
    found["no-script host"] = host_axe(host)
    found["no-script frame"] = run_axe(frame)
    # On its own: opened.
    page = open_page(context, site.url("river", f"?theme={theme}"), expand=True)
    found["page, open"] = run_axe(page)
    page.keyboard.press("Space")
    wait_for(page, f"{AUDIO}.currentTime > 0.2")
    found["page, playing"] = run_axe(page)
    assert {state: v for state, v in found.items() if v} == {}


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_axe_without_the_player_script(context_factory: Any, site: Site, scheme: str) -> None:
    """The page as a browser without JavaScript shows it (axe itself needs script to run,
    so the page is served without its own)."""
    context = context_factory(color_scheme=scheme)

    def strip(route: Any) -> None:
        body = route.fetch().text()
        route.fulfill(body=re.sub(r"<script>.*?</script>", "", body, flags=re.S),
                      content_type="text/html; charset=utf-8")

    context.route("**/*.html", strip)
    page = open_page(context, site.url("paras"), js=False)
    assert page.locator("audio[controls]").is_visible()
    assert run_axe(page) == []


class Walk:
    """Presses keys in the player (in its frame, or on its own) and, after every key and
    once scrolling has settled, checks that the focused element can be seen whole."""

    def __init__(self, keyboard_page: Any, doc: Any, host: Any = None) -> None:
        self.keys = keyboard_page.keyboard
        self.doc = doc
        self.host = host
        self.log: list[str] = []

    def press(self, key: str, times: int = 1) -> str:
        for _ in range(times):
            self.keys.press(key)
            settle(*([self.doc, self.host] if self.host else [self.doc]))
            name = focused(self.doc)
            self.log.append(f"{key} → {name}")
            problem = focus_problem(self.doc, self.host)
            assert problem is None, f"after {' · '.join(self.log[-6:])}: {problem}"
        return focused(self.doc)

    def tab_until(self, name: str, *, back: bool = False, limit: int = 80) -> None:
        for _ in range(limit):
            if self.press("Shift+Tab" if back else "Tab") == name:
                return
        raise AssertionError(f"never reached {name}: {self.log[-10:]}")


def walk_the_player(walk: Any, doc: Any, chapters: int, *, framed: bool) -> None:
    """The whole player by keyboard: the bar; opening; every download and chapter; a
    chapter played (follow-along runs while the keys go on); the transcript by arrows; a
    search and its results; the settings; back out with Escape and Shift+Tab."""
    walk.tab_until("np-more-button")
    if doc.get_attribute("#np-more-button", "aria-expanded") != "true":
        walk.press("Enter")
    walk.tab_until("chapter")
    walk.press("Tab", chapters - 1)
    walk.press("Enter")  # plays from the last chapter
    wait_for(doc, f"!{AUDIO}.paused")
    walk.press("Shift+Tab", chapters - 1)  # back up the chapters while it plays
    walk.press("Enter")
    walk.tab_until("np-search")
    walk.keys.type("खेल")
    wait_for(doc, "document.getElementById('np-found').textContent")
    walk.press("Tab")
    assert focused(doc) == "result"
    walk.press("Enter")  # plays from the first sentence found
    walk.tab_until("cue")
    walk.press("End")
    walk.press("ArrowUp", 3)
    walk.press("Home")
    walk.press("Enter")
    walk.tab_until("np-shortcuts")
    walk.press("Escape")
    assert focused(doc) == "np-more-button"
    assert doc.get_attribute("#np-more-button", "aria-expanded") == "false"
    walk.tab_until("np-play", back=True)
    walk.press("Space")
    if framed:
        walk.press("Shift+Tab")  # out of the frame, into the article


@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_keyboard_walk_never_hides_the_focus_in_an_article(
    context_factory: Any, site: Site, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height})
    host = context.new_page()
    host.goto(site.host("paras"), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    host.evaluate("(h => { h.tabIndex = -1; h.focus(); })(document.querySelector('h1'))")
    walk = Walk(host, frame, host)
    walk.press("Tab")
    assert focused(frame) == "np-play"
    walk_the_player(walk, frame, len(site.episodes["paras"].timeline.chapters), framed=True)
    assert frame.evaluate(f"{AUDIO}.currentTime") > 0


@pytest.mark.parametrize(("width", "height"), [(320, 640), (1280, 800), (1280, 400)])
def test_keyboard_walk_never_hides_the_focus_on_its_own(
    context_factory: Any, site: Site, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height})
    page = open_page(context, site.url("paras"), expand=True)
    page.evaluate("(m => { m.tabIndex = -1; m.focus(); })(document.getElementById('np-main'))")
    walk = Walk(page, page)
    walk_the_player(walk, page, len(site.episodes["paras"].timeline.chapters), framed=False)


def test_short_window_scrolls_as_one_page(context_factory: Any, site: Site) -> None:
    """At 400 % zoom a 1280×1024 screen is 320×256 CSS px: the bar is not kept on top (it
    would leave almost nothing for the text), the whole page scrolls."""
    context = context_factory(viewport={"width": 320, "height": 256})
    page = open_page(context, site.url("paras"), expand=True)
    assert page.evaluate("getComputedStyle(document.getElementById('np-more')).overflowY") \
        == "visible"
    assert page.evaluate("document.documentElement.scrollHeight > innerHeight")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    walk = Walk(page, page)
    walk.tab_until("np-shortcuts")
