"""Screenshots of every state of the player for a person to look at (tests/browser/
screenshots/, ignored by git): in an article page, compact and open, paused and playing,
with and without the snippet's script, light and dark; on its own; searching."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from tests.browser.conftest import Site
from tests.browser.pages import AUDIO, open_page, settle, wait_for, wait_for_frame

WIDTHS = [(320, 640), (390, 844), (768, 1024), (1280, 900)]


def shoot(doc: Any, path: Path, *, full_page: bool = False) -> None:
    doc.screenshot(path=str(path), full_page=full_page)
    assert path.stat().st_size > 5_000


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_screenshots(
    context_factory: Any, site: Site, screenshots: Path, theme: str, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height}, device_scale_factor=1)
    name = f"{width}-{theme}"
    host = context.new_page()
    host.goto(site.host("paras", theme=theme), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-button').hidden")
    shoot(host, screenshots / f"host-{name}-1-compact.png")
    frame.evaluate(f"{AUDIO}.currentTime = 4; {AUDIO}.play()")
    wait_for(frame, f"!{AUDIO}.paused && {AUDIO}.currentTime > 4.2")
    shoot(host, screenshots / f"host-{name}-2-playing.png")
    frame.click("#np-more-button")
    wait_for(host, "document.querySelector('iframe').getBoundingClientRect().height > 300")
    frame.evaluate(f"{AUDIO}.pause()")
    settle(frame)
    shoot(host, screenshots / f"host-{name}-3-open.png")
    # The same article with the snippet's script stripped.
    host.goto(site.host("paras", theme=theme, script=False), wait_until="load")
    frame = wait_for_frame(host)
    wait_for(frame, "!document.getElementById('np-more-link').hidden")
    shoot(host, screenshots / f"host-{name}-4-noscript.png")
    # The player page on its own (the snippet's plain link), searching the transcript.
    page = open_page(context, site.url("paras", f"?theme={theme}"), expand=True)
    page.evaluate(f"{AUDIO}.currentTime = 1")  # the title and date, highlighted
    wait_for(page, "document.querySelector('#cue-1[aria-current=true]')")
    settle(page)
    shoot(page, screenshots / f"page-{name}-0-title.png")
    page = open_page(context, site.url("river", f"?theme={theme}"), expand=True)
    cue = site.episodes["river"].timeline.cues[4]
    page.evaluate(f"{AUDIO}.currentTime = {cue.start_ms / 1000 + 0.1}")
    wait_for(page, "document.querySelector('.cue[aria-current=true]')")
    settle(page)
    shoot(page, screenshots / f"page-{name}-1-open.png")
    page.fill("#np-search", "शिविर")
    wait_for(page, "document.getElementById('np-found').textContent")
    page.focus("#np-results button")
    settle(page)
    shoot(page, screenshots / f"page-{name}-2-search.png")
