"""What the player offers beyond play and pause, in Chromium: lock-screen controls (Media
Session), the place and speed remembered per episode (and nothing breaks when storage is
blocked), volume and mute, the keys, transcript downloads and search, drawn icons, the
host's theme, and hosts without the snippet's script."""

from __future__ import annotations

import base64
import re
import struct
from pathlib import Path
from typing import Any

import pytest

from narrate.publish.embed import SNIPPET_SCRIPT, embed_snippet, render_embed_page
from tests.browser.conftest import Site
from tests.browser.pages import (
    AUDIO,
    focused,
    iframe_height,
    open_page,
    wait_for,
    wait_for_frame,
)

#: Records the action handlers the page registers with the Media Session API, so a test can
#: do what the lock screen or a headset would.
RECORD_HANDLERS = """window.__handlers = {};
if (navigator.mediaSession) {
  const session = navigator.mediaSession, set = session.setActionHandler.bind(session);
  session.setActionHandler = (name, f) => { window.__handlers[name] = f; return set(name, f); };
}"""


def now(doc: Any) -> float:
    return float(doc.evaluate(f"{AUDIO}.currentTime"))


def loaded(doc: Any) -> None:
    wait_for(doc, f"{AUDIO}.readyState >= 1")


def chapter_starts(site: Site, key: str) -> list[float]:
    return [c.start_ms / 1000 for c in site.episodes[key].timeline.chapters]


# -- Media Session ---------------------------------------------------------------------------


def test_media_session_metadata_and_handlers(context_factory: Any, site: Site) -> None:
    context = context_factory()
    context.add_init_script(RECORD_HANDLERS)
    page = open_page(context, site.url("river"))
    loaded(page)
    meta = page.evaluate(
        "(m => ({title: m.title, artist: m.artist, album: m.album, artwork: m.artwork}))"
        "(navigator.mediaSession.metadata)"
    )
    episode = site.episodes["river"]
    assert meta["title"] == episode.title
    assert meta["artist"] == "समाचार <डेस्क>"  # text, as written
    assert meta["album"] == "आज की ख़बरें"
    # Without an artwork file the page draws one: a 512 px PNG, no request.
    src = meta["artwork"][0]["src"]
    assert src.startswith("data:image/png;base64,")
    png = base64.b64decode(src.split(",", 1)[1])
    assert png[:8] == b"\x89PNG\r\n\x1a\n" and struct.unpack(">II", png[16:24]) == (512, 512)
    assert meta["artwork"][0]["sizes"] == "512x512"

    handlers = set(page.evaluate("Object.keys(window.__handlers)"))
    assert {"play", "pause", "seekbackward", "seekforward", "seekto", "previoustrack",
            "nexttrack", "stop"} <= handlers
    call = "window.__handlers[{!r}]({})"
    starts = chapter_starts(site, "river")
    page.evaluate(call.format("nexttrack", "{action: 'nexttrack'}"))
    assert now(page) == pytest.approx(starts[1], abs=0.01)
    page.evaluate(call.format("nexttrack", "{action: 'nexttrack'}"))
    assert now(page) == pytest.approx(starts[2], abs=0.01)
    # Previous: within 3 s of a chapter's start, the chapter before; later, its own start.
    page.evaluate(call.format("previoustrack", "{action: 'previoustrack'}"))
    assert now(page) == pytest.approx(starts[1], abs=0.01)
    page.evaluate(f"{AUDIO}.currentTime = {starts[1] + 5}")
    page.evaluate(call.format("previoustrack", "{action: 'previoustrack'}"))
    assert now(page) == pytest.approx(starts[1], abs=0.01)
    # The last chapter has no next.
    page.evaluate(f"{AUDIO}.currentTime = {starts[-1] + 1}")
    page.evaluate(call.format("nexttrack", "{action: 'nexttrack'}"))
    assert now(page) == pytest.approx(starts[-1] + 1, abs=0.01)
    page.evaluate(call.format("seekto", "{action: 'seekto', seekTime: 10}"))
    assert now(page) == pytest.approx(10, abs=0.01)
    page.evaluate(call.format("seekforward", "{action: 'seekforward'}"))
    assert now(page) == pytest.approx(25, abs=0.01)
    page.evaluate(call.format("seekbackward", "{action: 'seekbackward', seekOffset: 5}"))
    assert now(page) == pytest.approx(20, abs=0.01)
    page.evaluate(call.format("play", "{action: 'play'}"))
    wait_for(page, f"!{AUDIO}.paused && navigator.mediaSession.playbackState === 'playing'")
    page.evaluate(call.format("pause", "{action: 'pause'}"))
    wait_for(page, f"{AUDIO}.paused && navigator.mediaSession.playbackState === 'paused'")
    page.evaluate(call.format("stop", "{action: 'stop'}"))
    assert now(page) == 0


def test_media_session_artist_defaults_to_the_site_and_artwork_is_the_given_file(
    context_factory: Any, site: Site
) -> None:
    context = context_factory()
    page = open_page(context, site.url("evil"))  # built without an artist
    assert page.evaluate("navigator.mediaSession.metadata.artist") == "127.0.0.1"
    # A page given an artwork file in its folder names it, resolved to its URL.
    episode = site.episodes["paras"]
    html = render_embed_page(slug="with-art", title=episode.title, timeline=episode.timeline,
                             audio_name=episode.audio.name,
                             captions_name=episode.files["captions"].name,
                             chapters_vtt_name=episode.files["chapters_vtt"].name,
                             artwork_name="कवर.png")
    (site.folder / "with-art.html").write_text(html, encoding="utf-8")
    page = open_page(context, site.base_url + "with-art.html")
    art = page.evaluate("navigator.mediaSession.metadata.artwork.map(a => a.src)")
    assert art == [site.base_url + "%E0%A4%95%E0%A4%B5%E0%A4%B0.png"]


# -- remembered ------------------------------------------------------------------------------


def test_place_and_speed_are_remembered_per_episode(context_factory: Any, site: Site) -> None:
    context = context_factory()
    river = open_page(context, site.url("river"))
    loaded(river)
    river.click("#np-fwd")
    river.select_option("#np-speed", "1.5")
    paras = open_page(context, site.url("paras"))
    loaded(paras)
    paras.focus("#np-seek")
    paras.keyboard.press("PageUp")
    paras.select_option("#np-speed", "0.75")
    for page in (river, paras):
        page.reload(wait_until="load")
        loaded(page)
    assert now(river) == pytest.approx(15, abs=0.2)
    assert river.input_value("#np-speed") == "1.5"
    assert river.evaluate(f"{AUDIO}.playbackRate") == 1.5
    assert river.text_content("#np-elapsed") == "0:15"
    assert river.evaluate("+document.getElementById('np-seek').value") == pytest.approx(15, abs=0.2)
    assert now(paras) == pytest.approx(30, abs=0.2)
    assert paras.evaluate(f"{AUDIO}.playbackRate") == 0.75
    # An episode not yet heard starts at its beginning, at the speed last chosen.
    evil = open_page(context, site.url("evil"))
    loaded(evil)
    assert now(evil) == 0 and evil.input_value("#np-speed") == "0.75"
    # A link to a time (#t=) wins over the remembered place.
    river.goto("about:blank")
    river.goto(site.url("river") + "#t=7", wait_until="load")
    loaded(river)
    assert now(river) == pytest.approx(7, abs=0.2)
    # Heard to the end: next time from the start.
    river.evaluate(f"{AUDIO}.currentTime = {AUDIO}.duration - 0.3; {AUDIO}.play()")
    wait_for(river, f"{AUDIO}.ended", timeout_s=10)
    river.goto(site.url("river"), wait_until="load")
    loaded(river)
    assert now(river) == 0


def test_shortcut_opt_out_volume_and_mute_are_remembered(context_factory: Any, site: Site) -> None:
    context = context_factory()
    page = open_page(context, site.url("river"), expand=True)
    page.uncheck("#np-shortcuts")
    page.focus("#np-volume")
    page.keyboard.press("ArrowLeft", delay=0)
    for _ in range(11):
        page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{AUDIO}.volume") == pytest.approx(0.4)
    page.click("#np-mute")
    page.reload(wait_until="load")
    page.wait_for_selector("#np-controls:not([hidden])")
    assert not page.is_checked("#np-shortcuts")
    assert page.evaluate(f"{AUDIO}.volume") == pytest.approx(0.4)
    assert page.evaluate(f"{AUDIO}.muted") is True
    assert page.get_attribute("#np-mute", "aria-pressed") == "true"
    assert page.get_attribute("#np-volume", "aria-valuetext") == "म्यूट, 40%"
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("l")  # shortcuts stay off
    assert now(page) == 0


@pytest.mark.parametrize(
    "blocker",
    [
        # Storage refused outright (privacy settings, a blocked third-party frame).
        "Object.defineProperty(window, 'localStorage', "
        "{get() { throw new DOMException('blocked', 'SecurityError'); }});",
        # Storage there but full.
        "Storage.prototype.setItem = function () "
        "{ throw new DOMException('full', 'QuotaExceededError'); };",
        # Storage holding something that is not ours.
        "localStorage.setItem('narrate:prefs', '{not json');"
        "localStorage.setItem('narrate:place:' + location.pathname.replace(/\\.html?$/, ''),"
        " '{\"t\": \"x\", \"rate\": 99}');",
    ],
    ids=["blocked", "full", "garbage"],
)
def test_player_works_when_storage_fails(context_factory: Any, site: Site, blocker: str) -> None:
    context = context_factory()
    context.add_init_script(blocker)
    page = open_page(context, site.url("paras"), expand=True, blur=False)
    errors: list[str] = []
    page.on("pageerror", lambda e: errors.append(str(e)))
    loaded(page)
    page.click("#np-fwd")
    page.select_option("#np-speed", "1.25")
    page.uncheck("#np-shortcuts")
    page.click("#np-play")
    wait_for(page, f"!{AUDIO}.paused")
    page.click("#np-play")
    page.reload(wait_until="load")
    page.wait_for_selector("#np-controls:not([hidden])")
    loaded(page)
    assert errors == []
    assert page.input_value("#np-speed") in ("1", "1.25")
    assert page.evaluate(f"{AUDIO}.playbackRate") == float(page.input_value("#np-speed"))
    page.click("#np-play")
    wait_for(page, f"!{AUDIO}.paused")
    assert errors == []


# -- volume, mute and keys -------------------------------------------------------------------


def test_volume_and_mute(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 1280, "height": 800})
    page = open_page(context, site.url("river"))
    assert page.locator("#np-volume-bar #np-volume").is_visible()  # in the bar when wide
    pressed = "document.getElementById('np-mute').getAttribute('aria-pressed')"
    page.click("#np-mute")
    assert page.evaluate(f"{AUDIO}.muted") is True
    wait_for(page, f"{pressed} === 'true'")
    assert page.locator("#np-mute .i-muted").is_visible()
    assert page.locator("#np-mute .i-sound").is_hidden()
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("m")
    assert page.evaluate(f"{AUDIO}.muted") is False
    wait_for(page, f"{pressed} === 'false'")
    page.focus("#np-volume")
    page.keyboard.press("End")
    page.keyboard.press("ArrowLeft")
    assert page.evaluate(f"{AUDIO}.volume") == pytest.approx(0.95)
    wait_for(page, "document.getElementById('np-volume').getAttribute('aria-valuetext') === '95%'")
    page.keyboard.press("Home")
    assert page.evaluate(f"{AUDIO}.volume") == 0
    # Narrow: the slider moves to the settings in the panel; mute stays in the bar.
    page.set_viewport_size({"width": 390, "height": 800})
    wait_for(page, "!!document.querySelector('#np-volume-panel #np-volume')")
    assert page.locator("#np-mute").is_visible()
    assert page.locator("#np-volume").is_hidden()
    page.click("#np-more-button")
    assert page.locator("#np-volume").is_visible()


def test_space_escape_and_shortcuts(context_factory: Any, site: Site) -> None:
    context = context_factory()
    page = open_page(context, site.url("river"), expand=True)
    loaded(page)
    paused = f"{AUDIO}.paused"
    # Space plays and pauses from anywhere in the player...
    page.keyboard.press("Space")
    wait_for(page, f"!{paused}")
    page.focus("#np-seek")
    page.keyboard.press("Space")
    wait_for(page, paused)
    page.evaluate("document.getElementById('np-transcript').querySelector('h3').tabIndex = -1")
    page.focus("#np-transcript h3")
    page.keyboard.press("Space")
    wait_for(page, f"!{paused}")
    page.keyboard.press("Space")
    wait_for(page, paused)
    # ... except where Space has its own meaning: a button does what it says.
    page.evaluate(f"{AUDIO}.currentTime = 20")
    page.focus("#np-back")
    page.keyboard.press("Space")
    assert now(page) == pytest.approx(5, abs=0.01) and page.evaluate(paused)
    page.focus("#np-search")
    page.keyboard.press("Space")
    assert page.evaluate(paused) and page.input_value("#np-search") == " "
    # k, j, l, <, > from anywhere; never while typing in the search field.
    page.focus("#np-search")
    page.keyboard.type("kjl<>")
    assert page.evaluate(paused) and now(page) == pytest.approx(5, abs=0.01)
    page.evaluate("document.activeElement.blur()")
    page.keyboard.press("l")
    assert now(page) == pytest.approx(20, abs=0.01)
    page.keyboard.press(">")
    assert page.input_value("#np-speed") == "1.25"
    page.keyboard.press("<")
    page.keyboard.press("<")
    assert page.input_value("#np-speed") == "0.75"
    # Escape: a search with text is cleared first (the field's own Escape); then the panel
    # closes and the focus goes to the button that opens it.
    page.fill("#np-search", "यमुना")
    page.focus("#np-search")
    page.keyboard.press("Escape")
    assert page.input_value("#np-search") == ""
    assert page.get_attribute("#np-more-button", "aria-expanded") == "true"
    page.focus("#np-chapters button")
    page.keyboard.press("Escape")
    assert page.locator("#np-more").is_hidden()
    assert page.get_attribute("#np-more-button", "aria-expanded") == "false"
    assert focused(page) == "np-more-button"


def test_escape_shrinks_the_frame(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 390, "height": 800})
    host = context.new_page()
    host.goto(site.host("river"), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    compact = iframe_height(host)
    frame.focus("#np-more-button")
    host.keyboard.press("Enter")
    wait_for(host, "document.querySelector('iframe').getBoundingClientRect().height > 300")
    host.keyboard.press("Tab")
    host.keyboard.press("Escape")
    wait_for(host, f"document.querySelector('iframe').getBoundingClientRect().height <= {compact}")
    assert focused(frame) == "np-more-button"


# -- the transcript --------------------------------------------------------------------------


def test_transcript_downloads_as_text_and_webvtt(
    context_factory: Any, site: Site, tmp_path: Path
) -> None:
    episode = site.episodes["paras"]
    page = open_page(context_factory(), site.url("paras"), expand=True)
    with page.expect_download() as info:
        page.click("#np-text")
    download = info.value
    assert download.suggested_filename == f"{episode.slug}.txt"
    download.save_as(tmp_path / "t.txt")
    text = (tmp_path / "t.txt").read_text(encoding="utf-8")
    # Blocks as the page shows them: title, date, headings and paragraphs, blank lines apart.
    blocks = text.rstrip("\n").split("\n\n")
    assert blocks[0] == "ओलंपिक मेडल की होड़\n2 सितंबर 2025"
    assert "हॉकी" in blocks and "कुश्ती और मुक्केबाज़ी" in blocks
    assert blocks[1] == (
        "भारतीय दल इस बार पहले से बड़ा है। खिलाड़ियों ने महीनों तक विदेश में अभ्यास किया।"
    )
    assert blocks[-1] == "पूरी सूची खेल मंत्रालय की वेबसाइट पर है।"
    words = " ".join(text.split())
    for cue in episode.timeline.cues:
        assert " ".join(cue.text.split()) in words
    with page.expect_download() as info:
        page.click("text=कैप्शन")
    download = info.value
    assert download.suggested_filename == f"{episode.slug}.vtt"
    download.save_as(tmp_path / "c.vtt")
    assert (tmp_path / "c.vtt").read_bytes() == episode.files["captions"].read_bytes()


def test_transcript_search(context_factory: Any, site: Site) -> None:
    episode = site.episodes["river"]
    page = open_page(context_factory(), site.url("river"), expand=True)
    query = "शिविर"
    expected = [c for c in episode.timeline.cues if query in c.text]
    assert len(expected) >= 2
    page.fill("#np-search", query)
    status = "document.getElementById('np-found').textContent"
    assert wait_for(page, status) == f"{len(expected)} वाक्यों में मिला"
    results = page.locator("#np-results button")
    assert results.count() == len(expected)
    assert page.locator(".cue.found").count() == len(expected)
    for i, cue in enumerate(expected):
        assert " ".join(cue.text.split()) in results.nth(i).inner_text()
        assert set(results.nth(i).locator("mark").all_inner_texts()) == {query}
    # A result plays from its sentence.
    results.nth(1).click()
    wait_for(page, f"!{AUDIO}.paused")
    assert now(page) >= expected[1].start_ms / 1000 - 0.01
    page.evaluate(f"{AUDIO}.pause()")
    page.fill("#np-search", "कुछ नहीं मिलेगा")
    assert wait_for(page, f"{status} === 'नहीं मिला' && {status}")
    assert page.locator("#np-results").is_hidden()
    page.fill("#np-search", "")
    wait_for(page, f"{status} === ''")
    assert page.locator(".cue.found").count() == 0
    # Latin text is found whatever its case; markup in it stays text.
    page = open_page(page.context, site.url("evil"), expand=True)
    page.fill("#np-search", "WINDOW.__PWNED")
    wait_for(page, status)
    assert page.locator("#np-results button").count() >= 1
    assert "<script>" in page.inner_text("#np-results")
    assert page.evaluate("window.__pwned") is None


# -- icons ------------------------------------------------------------------------------------


#: Symbols a font might lack (arrows, geometric shapes, media controls, emoji).
SYMBOLS = re.compile("[\u2190-\u21ff\u2300-\u23ff\u25a0-\u25ff\u2600-\u27bf\u2b00-\u2bff"
                     "\U0001f000-\U0001faff]")


def test_icons_are_drawn_not_glyphs(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 1280, "height": 800}, device_scale_factor=1)
    page = open_page(context, site.url("river"))
    # Every icon is an SVG with shapes and no text, so no font is involved in drawing it.
    icons = page.evaluate(
        """[...document.querySelectorAll('.icon')].map(i => ({tag: i.tagName,
             text: i.textContent, shapes: i.querySelectorAll('path').length,
             shown: i.getClientRects().length > 0,
             box: [i.getBoundingClientRect().width, i.getBoundingClientRect().height]}))"""
    )
    assert len(icons) >= 8
    for icon in icons:
        assert icon["tag"] == "svg" and icon["text"] == "" and icon["shapes"] >= 1
        if icon["shown"]:
            assert min(icon["box"]) >= 16
    assert SYMBOLS.findall(page.inner_text("body")) == []
    # And they paint: the play button's pixels change between paused and playing, and its
    # icon covers a good part of it in the contrasting colour.
    paused = page.locator("#np-play").screenshot()
    page.keyboard.press("Space")
    wait_for(page, f"!{AUDIO}.paused")
    page.wait_for_timeout(100)
    playing = page.locator("#np-play").screenshot()
    assert paused != playing
    for shot in (paused, playing):
        assert light_pixels(page, shot) > 60


def light_pixels(page: Any, png: bytes) -> int:
    """How many near-white pixels a PNG has (the icon on the blue button), counted by the
    browser's own image decoder."""
    data = base64.b64encode(png).decode()
    return int(page.evaluate(
        f"""(async () => {{
          const bytes = Uint8Array.from(atob('{data}'), c => c.charCodeAt(0));
          const img = await createImageBitmap(new Blob([bytes], {{type: 'image/png'}}));
          const c = new OffscreenCanvas(img.width, img.height), g = c.getContext('2d');
          g.drawImage(img, 0, 0);
          const d = g.getImageData(0, 0, img.width, img.height).data;
          let n = 0;
          for (let i = 0; i < d.length; i += 4) if (d[i] > 220 && d[i+1] > 220 && d[i+2] > 220) n++;
          return n; }})()"""
    ))


# -- the host's theme ------------------------------------------------------------------------


BACKGROUND = "getComputedStyle(document.body).backgroundColor"
LIGHT, DARK = "rgb(255, 255, 255)", "rgb(18, 18, 18)"


@pytest.mark.parametrize("scheme", ["light", "dark"])
@pytest.mark.parametrize(("theme", "light_os", "dark_os"), [
    ("light", LIGHT, LIGHT), ("dark", DARK, DARK), ("auto", LIGHT, DARK),
])
def test_the_host_chooses_the_theme(
    context_factory: Any, site: Site, scheme: str, theme: str, light_os: str, dark_os: str
) -> None:
    context = context_factory(color_scheme=scheme)
    host = context.new_page()
    host.goto(site.host("river", theme=theme), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    frame.click("#np-more-button")
    assert frame.evaluate(BACKGROUND) == (light_os if scheme == "light" else dark_os)
    assert frame.evaluate("document.documentElement.dataset.theme") == (
        "dark" if frame.evaluate(BACKGROUND) == DARK else "light"
    )


def test_no_theme_is_light_and_a_host_can_switch_it(context_factory: Any, site: Site) -> None:
    # The issue: a light-only news page read on a dark system showed a black player.
    context = context_factory(color_scheme="dark")
    page = open_page(context, site.url("river"))
    assert page.evaluate(BACKGROUND) == LIGHT
    host = context.new_page()
    host.goto(site.host("river"), wait_until="load")
    frame = wait_for_frame(host)
    assert frame.evaluate(BACKGROUND) == LIGHT
    # A host with its own dark switch tells the player.
    post = "document.querySelector('iframe').contentWindow.postMessage({}, '*')"
    host.evaluate(post.format("{type: 'narrate:theme', theme: 'dark'}"))
    wait_for(frame, f"{BACKGROUND} === '{DARK}'")
    host.evaluate(post.format("{type: 'narrate:theme', theme: 'bogus'}"))
    host.evaluate(post.format("{type: 'narrate:theme', theme: 'light'}"))
    wait_for(frame, f"{BACKGROUND} === '{LIGHT}'")


# -- hosts without the snippet's script ------------------------------------------------------


def test_a_host_without_script_opens_the_full_page(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 390, "height": 800})
    host = context.new_page()
    host.goto(site.host("paras", script=False), wait_until="load")
    frame = wait_for_frame(host)
    link = frame.locator("#np-more-link")
    wait_for(frame, "!document.getElementById('np-more-link').hidden")
    assert frame.locator("#np-more-button").is_hidden()
    assert link.get_attribute("target") == "_blank"
    assert "नए टैब में" in (link.text_content() or "")
    assert iframe_height(host) == 160
    # Listen a while, then read on: the full page opens in a new tab at that place, and the
    # frame stops.
    frame.evaluate(f"{AUDIO}.currentTime = 12; {AUDIO}.play()")
    wait_for(frame, f"!{AUDIO}.paused")
    frame.focus("#np-more-link")
    with context.expect_page() as info:
        host.keyboard.press("Enter")
    page = info.value
    page.wait_for_load_state("load")
    assert re.search(r"\.html\?theme=light#t=1[23]$", page.url), page.url
    assert frame.evaluate(f"{AUDIO}.paused")
    page.wait_for_selector("#np-controls:not([hidden])")
    assert page.locator("#np-transcript").is_visible()
    loaded(page)
    assert now(page) == pytest.approx(12, abs=1.5)
    # Nothing blank under the bar: the frame is the bar's colour to its bottom.
    assert frame.evaluate("getComputedStyle(document.querySelector('main')).backgroundColor") \
        == frame.evaluate("getComputedStyle(document.getElementById('np-player'))"
                          ".backgroundColor")
    assert frame.evaluate("document.querySelector('main').getBoundingClientRect().height") \
        >= 160


def test_a_tall_fixed_frame_opens_in_place(context_factory: Any, site: Site) -> None:
    """A host that strips scripts but gives the iframe room: the panel opens inside."""
    episode = site.episodes["paras"]
    snippet = re.sub(r"<script>.*?</script>\n", "", embed_snippet(
        episode.slug, site.base_url, episode.title)).replace('height="160"', 'height="600"')
    (site.folder / "host-tall.html").write_text(f"<!doctype html><title>x</title>{snippet}",
                                                encoding="utf-8")
    host = context_factory().new_page()
    host.goto(site.base_url.replace("127.0.0.1", "localhost") + "host-tall.html")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    frame.click("#np-more-button")
    assert frame.locator("#np-transcript").is_visible()
    assert iframe_height(host) == 600


def test_an_older_snippet_that_resizes_without_answering(
    context_factory: Any, site: Site
) -> None:
    """Snippets pasted before the player asked for an answer still resize the frame: the
    player sees its frame take the height it reported."""
    episode = site.episodes["paras"]
    old_script = SNIPPET_SCRIPT.replace(';e.source.postMessage({type:"narrate:host"},"*")', "")
    assert old_script != SNIPPET_SCRIPT
    snippet = embed_snippet(episode.slug, site.base_url, episode.title).replace(
        SNIPPET_SCRIPT, old_script)
    (site.folder / "host-old.html").write_text(f"<!doctype html><title>x</title>{snippet}",
                                               encoding="utf-8")
    host = context_factory(viewport={"width": 1280, "height": 800}).new_page()
    host.goto(site.base_url.replace("127.0.0.1", "localhost") + "host-old.html")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    assert iframe_height(host) < 160
    frame.click("#np-more-button")
    wait_for(host, "document.querySelector('iframe').getBoundingClientRect().height > 300")


# -- self-contained ---------------------------------------------------------------------------


def test_everything_stays_inside_the_folder_and_the_policy(
    context_factory: Any, site: Site
) -> None:
    context = context_factory()
    context.add_init_script(RECORD_HANDLERS)
    page = open_page(context, site.url("paras"), expand=True)
    console: list[str] = []
    page.on("console", lambda m: console.append(m.text))
    loaded(page)
    page.keyboard.press("Space")
    wait_for(page, f"{AUDIO}.currentTime > 1")
    page.fill("#np-search", "खेल")
    with page.expect_download():
        page.click("#np-text")
    page.evaluate("window.__handlers.nexttrack({action: 'nexttrack'})")
    page.reload(wait_until="load")
    outside = [u for u in context.requests
               if re.match(r"https?:", u) and not u.startswith(site.base_url)]
    assert outside == []
    assert [m for m in console if "Content Security Policy" in m] == []


def test_the_frame_follows_what_the_panel_holds(context_factory: Any, site: Site) -> None:
    """Search results make the open panel taller and the frame grows; cleared, it shrinks
    back (the panel's scrolling box is measured by what it holds, not by its own size)."""
    context = context_factory(viewport={"width": 1280, "height": 2000})
    host = context.new_page()
    host.goto(site.host("paras"), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    frame.click("#np-more-button")
    opened = wait_for(host, "(h => h > 300 && h)(document.querySelector('iframe')"
                            ".getBoundingClientRect().height)")
    assert opened < 0.85 * 2000  # the whole panel, not the cap
    assert frame.evaluate("document.getElementById('np-more').scrollHeight"
                          " <= document.getElementById('np-more').clientHeight + 1")
    frame.fill("#np-search", "ने")
    grown = wait_for(host, f"(h => h > {opened} + 100 && h)(document.querySelector('iframe')"
                           ".getBoundingClientRect().height)")
    frame.fill("#np-search", "")
    wait_for(host, f"Math.abs(document.querySelector('iframe').getBoundingClientRect().height"
                   f" - {opened}) < 2")
    assert grown > opened
