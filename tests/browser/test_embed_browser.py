"""The embed page in headless Chromium: accessibility, keyboard, follow-along, no-JS, escaping."""

from __future__ import annotations

import json
import time
from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Site

AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
EPISODES = ["evil", "river"]


def axe_source() -> str:
    axe = pytest.importorskip(
        "axe_playwright_python", reason="axe-playwright-python (axe-core) is not installed"
    )
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def open_page(context: Any, url: str, *, js: bool = True) -> Any:
    page = context.new_page()
    page.goto(url, wait_until="load")
    if js:
        page.wait_for_selector("#np-controls:not([hidden])")
    return page


def wait_for(page: Any, expression: str, timeout_s: float = 5.0) -> Any:
    """Poll a JS expression until it is truthy (Playwright's wait_for_function needs eval,
    which the page's Content-Security-Policy forbids)."""
    deadline = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < deadline:
        value = page.evaluate(expression)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{expression} stayed {value!r} for {timeout_s} s")


def run_axe(page: Any) -> list[dict[str, Any]]:
    page.evaluate(axe_source())
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}})
    result = page.evaluate(f"axe.run(document, {options})")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize("key", EPISODES)
def test_axe_finds_no_wcag22_aa_violations(
    context_factory: Any, site: Site, key: str, scheme: str
) -> None:
    context = context_factory(color_scheme=scheme, viewport={"width": 1280, "height": 800})
    page = open_page(context, site.url(key))
    assert run_axe(page) == []
    # Again with a chapter and a sentence marked current (their colours are checked too).
    cue = site.episodes[key].timeline.cues[2]
    page.evaluate(f"document.getElementById('np-audio').currentTime = {cue.start_ms / 1000 + 0.1}")
    wait_for(page, "document.querySelector('.cue[aria-current=true]')")
    assert run_axe(page) == []


@pytest.mark.parametrize("js", [True, False])
def test_page_makes_no_outside_request(
    context_factory: Any, site: Site, js: bool
) -> None:
    context = context_factory(java_script_enabled=js)
    page = open_page(context, site.url("river"), js=js)
    page.wait_for_timeout(300)
    assert context.requests
    assert [u for u in context.requests if not u.startswith(site.base_url)] == []


def test_script_in_title_and_text_stays_inert(context_factory: Any, site: Site) -> None:
    context = context_factory()
    page = open_page(context, site.url("evil"))
    assert page.evaluate("window.__pwned") is None
    assert "<script>window.__pwned=1</script>" in page.inner_text("h1")
    assert "<script>" in page.title()
    assert page.locator("main script, main img, h1 b").count() == 0
    assert "<script>" in page.inner_text("#np-transcript")
    assert page.locator("body > script").count() == 1  # the player, nothing else


def test_without_javascript_audio_transcript_and_chapter_links_work(
    context_factory: Any, site: Site
) -> None:
    episode = site.episodes["river"]
    context = context_factory(java_script_enabled=False)
    page = open_page(context, site.url("river"), js=False)
    audio = page.locator("audio#np-audio")
    assert audio.get_attribute("controls") is not None
    assert audio.get_attribute("preload") == "metadata"
    assert audio.get_attribute("autoplay") is None
    assert audio.is_visible()
    assert page.locator("#np-controls").is_hidden()
    # The transcript is on the page, every cue, as written.
    text = page.inner_text("#np-transcript")
    for cue in episode.timeline.cues:
        assert cue.text.split()[0] in text
    # Chapter links are media fragments of the episode's MP3, and the server honours Range.
    links = page.locator("#np-chapters a")
    assert links.count() == len(episode.timeline.chapters)
    for i, chapter in enumerate(episode.timeline.chapters):
        href = links.nth(i).get_attribute("href")
        assert href is not None and href.endswith(f"#t={chapter.start_ms / 1000:g}")
    last = links.nth(links.count() - 1)
    target = site.base_url + (last.get_attribute("href") or "").split("#")[0]
    response = context.request.get(target, headers={"Range": "bytes=100-199"})
    assert response.status == 206
    assert response.headers["content-type"] == "audio/mpeg"
    assert len(response.body()) == 100
    # Following a chapter link opens the audio at that time (Chromium's media document).
    last.click()
    page.wait_for_load_state("load")
    assert page.url.split("#")[1] == f"t={episode.timeline.chapters[-1].start_ms / 1000:g}"
    media = page.locator("video, audio")
    assert media.count() == 1
    start = episode.timeline.chapters[-1].start_ms / 1000
    current = wait_for(page, "(document.querySelector('video,audio')||{}).currentTime || 0")
    assert abs(current - start) < 0.5
    # The metadata of the page's own audio loads without script too.
    page.go_back()
    duration = wait_for(page, "document.getElementById('np-audio').duration")
    assert abs(duration - episode.duration_s) < 0.5


def focused(page: Any) -> str:
    return str(
        page.evaluate(
            """(() => { const e = document.activeElement;
                 if (!e || e === document.body) return 'body';
                 if (e.classList.contains('cue')) return 'cue';
                 if (e.closest('#np-chapters')) return 'chapter';
                 return e.id || e.tagName.toLowerCase() + ':' + e.textContent.trim(); })()"""
        )
    )


def test_keyboard_walk_reaches_every_control_in_order(context_factory: Any, site: Site) -> None:
    episode = site.episodes["river"]
    context = context_factory(viewport={"width": 1280, "height": 800})
    page = open_page(context, site.url("river"))
    stops: list[str] = []
    for _ in range(60):
        page.keyboard.press("Tab")
        name = focused(page)
        if name == "body" and stops:
            break
        if not stops or stops[-1] != name or name == "chapter":
            stops.append(name)
    # The audio element's own controls (several tab stops inside it) count as one.
    download = next(s for s in stops if "MP3" in s)
    expected = (
        ["np-audio", "np-play", "np-back", "np-fwd", "np-speed", "np-follow", download]
        + ["chapter"] * len(episode.timeline.chapters)
        + ["cue", "np-shortcuts"]
    )
    assert stops[: len(expected)] == expected
    # Enter on a chapter plays from its start.
    chapter = episode.timeline.chapters[2]
    page.focus("#np-chapters li:nth-child(3) button")
    page.keyboard.press("Enter")
    current = wait_for(page, "document.getElementById('np-audio').currentTime")
    assert abs(current - chapter.start_ms / 1000) < 0.25
    assert page.get_attribute("#np-chapters li:nth-child(3) button", "aria-current") == "true"
    assert page.locator("#np-chapters [aria-current]").count() == 1


def test_controls_and_shortcuts(context_factory: Any, site: Site) -> None:
    context = context_factory()
    page = open_page(context, site.url("river"))
    audio = "document.getElementById('np-audio')"
    # The captions track (kind captions, srclang hi) loads every cue from the served VTT.
    wait_for(page, "document.querySelector('track[kind=captions]').readyState === 2")
    cues = page.evaluate(f"{audio}.textTracks[0].cues.length")
    assert cues == len(site.episodes["river"].timeline.cues)
    page.click("#np-fwd")
    assert abs(page.evaluate(f"{audio}.currentTime") - 15) < 0.01
    page.click("#np-back")
    assert page.evaluate(f"{audio}.currentTime") == 0
    page.select_option("#np-speed", "1.5")
    assert page.evaluate(f"{audio}.playbackRate") == 1.5
    page.click("#np-play")
    wait_for(page, f"!{audio}.paused")
    label = "document.querySelector('#np-play .label').textContent"
    assert wait_for(page, f"{label} === 'रोकें'")
    page.click("#np-play")
    wait_for(page, f"{audio}.paused")
    assert wait_for(page, f"{label} === 'चलाएँ'")
    page.click("#np-follow")
    assert page.get_attribute("#np-follow", "aria-pressed") == "false"
    # Shortcuts act from the page, never while typing in a field, and can be switched off.
    page.evaluate(f"document.activeElement.blur(); {audio}.currentTime = 0")
    page.keyboard.press("l")
    assert abs(page.evaluate(f"{audio}.currentTime") - 15) < 0.01
    page.evaluate(
        "document.querySelector('main').insertAdjacentHTML('afterbegin', '<input id=field>')"
    )
    page.focus("#field")
    page.keyboard.type("jkl")
    assert page.input_value("#field") == "jkl"
    assert abs(page.evaluate(f"{audio}.currentTime") - 15) < 0.01
    assert page.evaluate(f"{audio}.paused")
    page.uncheck("#np-shortcuts")
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("j")
    assert abs(page.evaluate(f"{audio}.currentTime") - 15) < 0.01


def test_highlight_follows_playback_and_sentences_seek(context_factory: Any, site: Site) -> None:
    episode = site.episodes["river"]
    cues = episode.timeline.cues
    context = context_factory(viewport={"width": 1280, "height": 600})
    page = open_page(context, site.url("river"))
    audio = "document.getElementById('np-audio')"
    # Set the time: the sentence heard then is marked, and only it.
    for index in (1, len(cues) // 2, len(cues) - 1):
        middle = (cues[index].start_ms + cues[index].end_ms) / 2000
        page.evaluate(f"{audio}.currentTime = {middle}")
        marked = "document.querySelector('.cue[aria-current=true]')?.id"
        wait_for(page, f"{marked} === 'cue-{index + 1}'")
        assert page.locator(".cue[aria-current]").count() == 1
    # Follow along scrolled the last sentence into view, clear of the sticky player.
    wait_for(
        page,
        f"""(() => {{ const r = document.getElementById('cue-{len(cues)}').getBoundingClientRect();
            const top = document.getElementById('np-player').getBoundingClientRect().bottom;
            return r.top >= top && r.bottom <= innerHeight; }})()""",
    )
    # Real playback (muted) moves the highlight on.
    page.evaluate(f"{audio}.currentTime = {cues[0].start_ms / 1000}")
    page.evaluate(f"{audio}.muted = true; {audio}.play()")
    wait_for(page, f"{audio}.currentTime > {cues[1].start_ms / 1000 + 0.3}", timeout_s=15)
    page.evaluate(f"{audio}.pause()")
    now_ms = page.evaluate(f"{audio}.currentTime") * 1000
    marked = page.get_attribute(".cue[aria-current=true]", "id")
    started = [i for i, c in enumerate(cues) if c.start_ms <= now_ms + 1]
    assert marked == f"cue-{started[-1] + 1}"
    # Clicking a sentence plays from its start; Enter on a sentence too.
    target = len(cues) - 2
    page.click(f"#cue-{target + 1}")
    start = cues[target].start_ms / 1000
    current = wait_for(page, f"{audio}.currentTime >= {start - 0.01} && {audio}.currentTime")
    assert abs(current - cues[target].start_ms / 1000) < 0.5
    page.evaluate(f"{audio}.pause()")
    page.focus("#cue-2")
    page.keyboard.press("Enter")
    current = page.evaluate(f"{audio}.currentTime")
    assert abs(current - cues[1].start_ms / 1000) < 0.25
    # Arrow keys move between sentences (one tab stop for the transcript).
    page.keyboard.press("ArrowDown")
    assert focused(page) == "cue"
    assert page.evaluate("document.activeElement.id") == "cue-3"
    assert page.locator(".cue[tabindex='0']").count() == 1


@pytest.mark.parametrize("key", EPISODES)
def test_targets_are_at_least_24px_and_the_page_reflows(
    context_factory: Any, site: Site, key: str
) -> None:
    for width in (1280, 390, 320):
        context = context_factory(viewport={"width": width, "height": 800})
        page = open_page(context, site.url(key))
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        small = page.evaluate(
            """[...document.querySelectorAll('button, select, input, a.button, #np-chapters a')]
               .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()])
               .filter(([, r]) => r.width < 24 || r.height < 24).map(([n]) => n)"""
        )
        assert small == []


def test_reduced_motion_means_no_smooth_scrolling(context_factory: Any, site: Site) -> None:
    context = context_factory(reduced_motion="reduce")
    page = open_page(context, site.url("river"))
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "auto"
    context = context_factory(reduced_motion="no-preference")
    page = open_page(context, site.url("river"))
    assert page.evaluate("getComputedStyle(document.documentElement).scrollBehavior") == "smooth"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("device", "width", "height"), [("wide", 1280, 900), ("phone", 390, 844)])
def test_screenshots(
    context_factory: Any,
    site: Site,
    screenshots: Path,
    scheme: str,
    device: str,
    width: int,
    height: int,
) -> None:
    context = context_factory(
        color_scheme=scheme, viewport={"width": width, "height": height}, device_scale_factor=1
    )
    for key in EPISODES:
        page = open_page(context, site.url(key))
        cue = site.episodes[key].timeline.cues[3]
        page.evaluate(
            f"document.getElementById('np-audio').currentTime = {cue.start_ms / 1000 + 0.1}"
        )
        wait_for(page, "document.querySelector('.cue[aria-current=true]')")
        page.evaluate("window.scrollTo(0, 0)")
        path = screenshots / f"{key}-{device}-{scheme}.png"
        page.screenshot(path=str(path), full_page=True)
        assert path.stat().st_size > 10_000


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_visible(
    context_factory: Any, site: Site, screenshots: Path, scheme: str
) -> None:
    context = context_factory(color_scheme=scheme, viewport={"width": 1280, "height": 900})
    page = open_page(context, site.url("river"))
    for _ in range(30):
        page.keyboard.press("Tab")
        if focused(page) == "chapter":
            break
    style = page.evaluate(
        "(() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, s.outlineWidth]; })()"
    )
    assert style == ["solid", "3px"]
    page.screenshot(path=str(screenshots / f"river-wide-{scheme}-focus.png"))
