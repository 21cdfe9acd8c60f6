"""The embed page in headless Chromium: the compact bar in its iframe and how it grows,
accessibility, keyboard, follow-along, no-JS, escaping, the transcript's shape."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import ARTICLES, Site
from tests.browser.pages import (
    AUDIO,
    focused,
    iframe_height,
    open_page,
    play_buttons,
    settle,
    tab_stops,
    visible_in_frame,
    wait_for,
    wait_for_frame,
)

EPISODES = ["evil", "river", "paras"]


@pytest.mark.parametrize("js", [True, False])
def test_page_makes_no_outside_request(
    context_factory: Any, site: Site, js: bool
) -> None:
    context = context_factory(java_script_enabled=js)
    page = open_page(context, site.url("river"), js=js)
    page.wait_for_timeout(300)
    assert context.requests
    assert [u for u in context.requests if not u.startswith(site.base_url)] == []


def test_on_its_own_the_page_opens_chapters_and_transcript(
    context_factory: Any, site: Site
) -> None:
    page = context_factory().new_page()
    page.goto(site.url("river"), wait_until="load")
    page.wait_for_selector("#np-controls:not([hidden])")
    assert page.get_attribute("#np-more-button", "aria-expanded") == "true"
    assert page.locator("#np-transcript").is_visible()


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


@pytest.mark.parametrize("width", [390, 1280])
def test_keyboard_walk_reaches_every_control_in_order(
    context_factory: Any, site: Site, width: int
) -> None:
    episode = site.episodes["river"]
    context = context_factory(viewport={"width": width, "height": 800})
    page = open_page(context, site.url("river"))
    # The compact bar: its controls, then nothing else. The volume slider is in the bar
    # where there is room for it, else with the settings.
    wide = width >= 640
    assert tab_stops(page) == [
        "np-play", "np-mute", *(["np-volume"] if wide else []), "np-back", "np-seek", "np-fwd",
        "np-speed", "np-more-button",
    ]
    # Opened: Tab goes on from the button into what it opened.
    page.focus("#np-more-button")
    page.keyboard.press("Enter")
    stops = tab_stops(page, from_top=False)
    expected = (
        ["a:ऑडियो (MP3)", "np-text", "a:कैप्शन (WebVTT)"]
        + ["chapter"] * len(episode.timeline.chapters)
        + ["np-follow", "np-search", "cue", *([] if wide else ["np-volume"]), "np-shortcuts"]
    )
    assert stops == expected
    # Enter on a chapter plays from its start.
    chapter = episode.timeline.chapters[2]
    page.focus("#np-chapters li:nth-child(3) button")
    page.keyboard.press("Enter")
    current = wait_for(page, f"{AUDIO}.currentTime")
    assert abs(current - chapter.start_ms / 1000) < 0.25
    assert page.get_attribute("#np-chapters li:nth-child(3) button", "aria-current") == "true"
    assert page.locator("#np-chapters [aria-current]").count() == 1


def test_controls_and_shortcuts(context_factory: Any, site: Site) -> None:
    context = context_factory()
    page = open_page(context, site.url("river"), expand=True)
    audio = AUDIO
    # The captions track (kind captions, srclang hi) loads every cue from the served VTT.
    wait_for(page, "document.querySelector('track[kind=captions]').readyState === 2")
    cues = page.evaluate(f"{audio}.textTracks[0].cues.length")
    assert cues == len(site.episodes["river"].timeline.cues)
    page.click("#np-fwd")
    assert abs(page.evaluate(f"{audio}.currentTime") - 15) < 0.01
    page.click("#np-back")
    assert page.evaluate(f"{audio}.currentTime") == 0
    # The seek bar: a slider that says where we are, moved by the keyboard.
    page.focus("#np-seek")
    page.keyboard.press("End")
    duration = page.evaluate(f"{audio}.duration")
    assert abs(page.evaluate(f"{audio}.currentTime") - duration) < 1  # whole seconds
    page.keyboard.press("Home")
    page.keyboard.press("ArrowRight")
    assert page.evaluate(f"{audio}.currentTime") == 5  # five seconds a key
    valuetext = page.get_attribute("#np-seek", "aria-valuetext") or ""
    assert valuetext.endswith(" में से 0:05") and valuetext.startswith("0:")
    for key, expected in (("ArrowUp", 10), ("ArrowLeft", 5), ("ArrowDown", 0), ("PageUp", 30),
                          ("PageDown", 0)):
        page.keyboard.press(key)
        assert page.evaluate(f"{audio}.currentTime") == expected, key
    page.keyboard.press("Home")
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
    page = open_page(context, site.url("river"), expand=True)
    audio = "document.getElementById('np-audio')"
    # Set the time: the sentence heard then is marked, and only it.
    for index in (1, len(cues) // 2, len(cues) - 1):
        middle = (cues[index].start_ms + cues[index].end_ms) / 2000
        page.evaluate(f"{audio}.currentTime = {middle}")
        marked = "document.querySelector('.cue[aria-current=true]')?.id"
        wait_for(page, f"{marked} === 'cue-{index + 1}'")
        assert page.locator(".cue[aria-current]").count() == 1
    # Follow along scrolled the last sentence into view, below the player's bar.
    wait_for(
        page,
        f"""(() => {{ const r = document.getElementById('cue-{len(cues)}').getBoundingClientRect();
            const top = document.getElementById('np-player').getBoundingClientRect().bottom;
            const box = document.getElementById('np-more').getBoundingClientRect();
            return r.top >= Math.max(top, box.top) && r.bottom <= Math.min(innerHeight, box.bottom);
            }})()""",
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
        page = open_page(context, site.url(key), expand=True)
        assert page.evaluate("document.documentElement.scrollWidth") <= width
        small = page.evaluate(
            """[...document.querySelectorAll('button, select, input, a.button, #np-chapters a')]
               .filter(e => e.getClientRects().length)
               .map(e => [e.id || e.textContent.trim(), e.getBoundingClientRect()])
               .filter(([, r]) => r.width < 24 || r.height < 24).map(([n]) => n)"""
        )
        assert small == []
        # The speed label stays beside its selector (on one line, no wrap between them).
        if width >= 360:
            label, select = (page.locator(s).bounding_box() for s in ("label[for=np-speed]",
                                                                       "#np-speed"))
            assert label and select
            middle = label["y"] + label["height"] / 2
            assert abs(middle - (select["y"] + select["height"] / 2)) < 4
            assert 0 <= select["x"] - (label["x"] + label["width"]) < 16


#: Records the ``behavior`` of every scrollBy call (the page's follow-along scrolling).
RECORD_SCROLLS = """window.__scrolls = [];
for (const o of [Element.prototype, window]) {
  const f = o.scrollBy;
  o.scrollBy = function (a) {
    window.__scrolls.push(a && a.behavior); return f.apply(this, arguments);
  };
}"""


@pytest.mark.parametrize(("motion", "behavior"), [("reduce", "auto"), ("no-preference", "smooth")])
def test_follow_along_scrolls_smoothly_unless_reduced_motion(
    context_factory: Any, site: Site, motion: str, behavior: str
) -> None:
    context = context_factory(reduced_motion=motion, viewport={"width": 1280, "height": 500})
    context.add_init_script(RECORD_SCROLLS)
    page = open_page(context, site.url("river"), expand=True)
    last = site.episodes["river"].timeline.cues[-1]
    page.evaluate(f"{AUDIO}.currentTime = {last.start_ms / 1000 + 0.1}")
    assert set(wait_for(page, "window.__scrolls.length && window.__scrolls")) == {behavior}
    settle(page)
    assert page.evaluate("document.documentElement.scrollTop") == 0  # the box scrolled


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_keyboard_focus_is_visible(
    context_factory: Any, site: Site, screenshots: Path, scheme: str
) -> None:
    context = context_factory(viewport={"width": 1280, "height": 900})
    page = open_page(context, site.url("river", f"?theme={scheme}"), expand=True)
    page.evaluate("document.activeElement.blur()")
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


# -- the compact player in its iframe ---------------------------------------------------------


@pytest.mark.parametrize("width", [320, 390, 1280])
@pytest.mark.parametrize("script", [True, False])
def test_compact_bar_fits_a_160px_frame(
    context_factory: Any, site: Site, width: int, script: bool
) -> None:
    context = context_factory(viewport={"width": width, "height": 800})
    host = context.new_page()
    host.goto(site.host("paras", script=script), wait_until="load")
    frame = wait_for_frame(host)
    more = "#np-more-button" if script else "#np-more-link"
    wait_for(frame, f"!document.querySelector('{more}').hidden")
    assert iframe_height(host) <= 160
    if not script:
        assert iframe_height(host) == 160
    assert frame.evaluate("scrollY") == 0
    for selector in ("#np-play", "#np-elapsed", "#np-duration", "#np-seek", more):
        assert visible_in_frame(frame, selector), (selector, width)
    # Nothing hidden below the bar: the frame's document is no taller than the frame.
    assert frame.evaluate("document.documentElement.scrollHeight <= innerHeight")
    assert frame.evaluate("document.documentElement.scrollWidth <= innerWidth")


def test_opening_the_transcript_grows_the_frame_through_the_snippet(
    context_factory: Any, site: Site
) -> None:
    context = context_factory(viewport={"width": 390, "height": 800})
    host = context.new_page()
    host.goto(site.host("paras"), wait_until="load")
    frame = wait_for_frame(host)
    compact = iframe_height(host)
    assert 100 <= compact <= 160
    frame.click("#np-more-button")
    assert frame.get_attribute("#np-more-button", "aria-expanded") == "true"
    grown = wait_for(host, "(h => h > 300 && h)(document.querySelector('iframe')"
                           ".getBoundingClientRect().height)")
    # Up to 85 % of the window: the rest scrolls inside the frame under the sticky bar.
    assert grown <= 0.85 * 800 + 1
    frame.evaluate("document.getElementById('np-transcript').lastElementChild.scrollIntoView()")
    assert visible_in_frame(frame, "#np-play") and visible_in_frame(frame, "#np-more-button")
    frame.click("#np-more-button")
    wait_for(host, f"document.querySelector('iframe').getBoundingClientRect().height <= {compact}")


def test_the_frame_ignores_messages_from_other_windows(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 1280, "height": 800})
    host = context.new_page()
    host.goto(site.host("paras"), wait_until="load")
    wait_for_frame(host)
    before = iframe_height(host)
    host.evaluate("window.postMessage({type: 'narrate:height', height: 5000}, '*')")
    host.wait_for_timeout(200)
    assert iframe_height(host) == before


def test_exactly_one_play_control_in_the_accessibility_tree(
    context_factory: Any, site: Site
) -> None:
    page = open_page(context_factory(), site.url("river"))
    assert play_buttons(page) == ["चलाएँ"]
    page.click("#np-more-button")
    assert play_buttons(page) == ["चलाएँ"]
    # Without script the native player is the one (and this check does see it).
    page = open_page(context_factory(java_script_enabled=False), site.url("river"), js=False)
    native = play_buttons(page)
    assert len(native) == 1 and native != ["चलाएँ"]


def test_transcript_paragraphs_headings_and_links_as_in_the_article(
    context_factory: Any, site: Site
) -> None:
    from narrate.readers import read_article

    article = read_article(str(ARTICLES / "paras.md"))
    page = open_page(context_factory(), site.url("paras"), expand=True)
    paragraphs = page.locator("#np-transcript p.para")
    assert paragraphs.count() == sum(len(s.paragraphs) for s in article.sections)
    expected = [" ".join(p.split()) for s in article.sections for p in s.paragraphs]
    assert [" ".join(t.split()) for t in paragraphs.all_inner_texts()] == expected
    headings = [s.title for s in article.sections if s.heading]
    assert page.locator("#np-transcript h3").all_inner_texts() == headings
    # The title and the date are separate lines.
    title = page.locator(".cue-title .title-text").bounding_box()
    date = page.locator(".cue-title .title-date").bounding_box()
    assert title and date and date["y"] >= title["y"] + title["height"] - 1
    assert page.inner_text(".cue-title .title-date") == "2 सितंबर 2025"
    # One real link; the javascript: one stays text. Its sentence is no button (no control
    # inside a control), the link is reachable by keyboard.
    links = page.locator("#np-transcript a")
    assert links.count() == 1
    assert links.get_attribute("href") == "https://yas.gov.in/olympics?x=1&y=2"
    assert links.inner_text() == "खेल मंत्रालय की वेबसाइट"
    assert links.evaluate("a => a.closest('.cue').getAttribute('role')") is None
    assert "सूची" in page.inner_text("#np-transcript")
    assert page.evaluate("window.__pwned") is None
