"""Helpers for driving the player page in Chromium: opening it, waiting (the page's CSP
forbids the eval Playwright's wait_for_function needs), axe-core, focus and frames."""

from __future__ import annotations

import json
import time
from functools import cache
from pathlib import Path
from typing import Any

import pytest

#: axe-core's rule tags for WCAG 2.0, 2.1 and 2.2, levels A and AA.
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
AUDIO = "document.getElementById('np-audio')"


@cache
def axe_source() -> str:
    axe = pytest.importorskip(
        "axe_playwright_python", reason="axe-playwright-python (axe-core) is not installed"
    )
    return (Path(axe.__file__).parent / "axe.min.js").read_text(encoding="utf-8")


def run_axe(doc: Any, *, iframes: bool = True) -> list[dict[str, Any]]:
    """axe-core's WCAG 2.2 AA violations in a page or frame, as short dicts. Without
    ``iframes``, the document alone (the frames it holds are checked on their own)."""
    doc.evaluate(axe_source())
    options = json.dumps({"runOnly": {"type": "tag", "values": AXE_TAGS}, "iframes": iframes})
    result = doc.evaluate(f"axe.run(document, {options})")
    return [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]]}
        for v in result["violations"]
    ]


def open_page(
    context: Any, url: str, *, js: bool = True, expand: bool = False, blur: bool = True
) -> Any:
    """The player page, with chapters and transcript opened (``expand``) or closed by the
    compact bar's button. (On its own the page opens them; in a frame it starts compact.)"""
    page = context.new_page()
    page.goto(url, wait_until="load")
    if js:
        page.wait_for_selector("#np-controls:not([hidden])")
        opened = page.get_attribute("#np-more-button", "aria-expanded") == "true"
        if opened != expand:
            page.click("#np-more-button")
            if blur:
                page.evaluate("document.activeElement.blur()")
        page.wait_for_selector("#np-transcript", state="visible" if expand else "hidden")
    return page


def wait_for(doc: Any, expression: str, timeout_s: float = 5.0) -> Any:
    """Poll a JS expression until it is truthy."""
    deadline = time.monotonic() + timeout_s
    value = None
    while time.monotonic() < deadline:
        value = doc.evaluate(expression)
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"{expression} stayed {value!r} for {timeout_s} s")


#: Resolves once nothing has scrolled for three animation frames (smooth scrolling takes a
#: few hundred ms), or after ``limit`` frames (then returns false).
_SETTLE = """(async limit => {
  const where = () => [scrollX, scrollY, ...[...document.querySelectorAll('*')]
    .filter(e => e.scrollTop).map(e => e.scrollTop)].join();
  const frame = () => new Promise(r => requestAnimationFrame(() => r()));
  let last = where(), still = 0;
  for (let i = 0; i < limit; i++) {
    await frame();
    const now = where();
    still = now === last ? still + 1 : 0;
    last = now;
    if (still >= 3) return true;
  }
  return false;
})"""


def settle(*docs: Any, frames: int = 240) -> None:
    """Wait until nothing scrolls any more in these pages or frames."""
    for doc in docs:
        assert doc.evaluate(f"{_SETTLE}({frames})"), "the page kept scrolling"


def focused(doc: Any) -> str:
    """A short name for what has the focus: an id, 'cue', 'chapter', 'result', 'body'."""
    return str(
        doc.evaluate(
            """(() => { const e = document.activeElement;
                 if (!e || e === document.body) return 'body';
                 if (e.classList.contains('cue')) return 'cue';
                 if (e.closest('#np-chapters')) return 'chapter';
                 if (e.closest('#np-results')) return 'result';
                 return e.id || e.tagName.toLowerCase() + ':' + e.textContent.trim(); })()"""
        )
    )


#: The focused element's box, the part of the window where it can be seen (below the bar
#: when it scrolls under it), and whether something else is drawn over its middle.
_FOCUS_BOX = """(() => {
  const e = document.activeElement;
  if (!e || e === document.body || e === document.documentElement) return null;
  const r = (e.getClientRects()[0] || e.getBoundingClientRect());
  const bar = document.getElementById('np-player'), more = document.getElementById('np-more');
  let top = 0, bottom = innerHeight;
  if (!bar.contains(e)) {
    const b = bar.getBoundingClientRect();
    if (b.bottom > 0 && getComputedStyle(bar).position !== 'static') top = b.bottom;
    if (more.contains(e) && /auto|scroll/.test(getComputedStyle(more).overflowY)) {
      const m = more.getBoundingClientRect();
      top = Math.max(top, m.top); bottom = Math.min(bottom, m.top + more.clientHeight);
    }
  }
  const x = Math.min(Math.max(r.left + r.width / 2, 0), innerWidth - 1);
  const y = Math.min(Math.max(r.top + r.height / 2, 0), innerHeight - 1);
  const hit = document.elementFromPoint(x, y);
  return {top: r.top, bottom: r.bottom, left: r.left, right: r.right, viewTop: top,
          viewBottom: bottom, width: innerWidth, covered: !(hit && (e === hit || e.contains(hit)))};
})()"""


def focus_problem(doc: Any, host: Any = None, frame_selector: str = "iframe") -> str | None:
    """Why the focused element cannot be seen whole (outside the window, under the bar,
    covered), or None. With ``host``, ``doc`` is a frame in it and the frame's box must
    show the element inside the host's window too."""
    box = doc.evaluate(_FOCUS_BOX)
    if box is None:
        return None
    slack = 0.5
    if box["top"] < box["viewTop"] - slack or box["bottom"] > box["viewBottom"] + slack:
        return f"{focused(doc)} at {box['top']:.0f}–{box['bottom']:.0f} px, visible " \
               f"{box['viewTop']:.0f}–{box['viewBottom']:.0f}"
    if box["left"] < -slack or box["right"] > box["width"] + slack:
        return f"{focused(doc)} at x {box['left']:.0f}–{box['right']:.0f}"
    if box["covered"]:
        return f"{focused(doc)} is covered by another element"
    if host is not None:
        frame = host.evaluate(
            f"(() => {{ const r = document.querySelector({json.dumps(frame_selector)})"
            ".getBoundingClientRect(); return [r.top, innerHeight]; })()"
        )
        top, bottom = frame[0] + box["top"], frame[0] + box["bottom"]
        if top < -slack or bottom > frame[1] + slack:
            return f"{focused(doc)} at {top:.0f}–{bottom:.0f} px of the host's {frame[1]} px"
    return None


def tab_stops(page: Any, *, from_top: bool = True) -> list[str]:
    """What Tab focuses, in order, from the top of the page (or from the focused element)
    until focus leaves the page."""
    if from_top:  # focus <main> itself, so that Tab starts at the first control
        page.evaluate("(m => { m.tabIndex = -1; m.focus(); })(document.getElementById('np-main'))")
    stops: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        name = focused(page)
        if name == "body" and stops:
            break
        if not stops or stops[-1] != name or name in ("chapter", "result"):
            stops.append(name)
    return stops


def wait_for_frame(host: Any) -> Any:
    """The player's frame in an article page, once its script has run."""
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        for frame in host.frames:
            if frame != host.main_frame and ".html" in frame.url:
                frame.wait_for_load_state("load")
                frame.wait_for_selector("#np-controls:not([hidden])")
                return frame
        host.wait_for_timeout(50)  # lets Playwright take in the frame's events
    raise AssertionError(f"the player's iframe did not load: {[f.url for f in host.frames]}")


def visible_in_frame(frame: Any, selector: str) -> bool:
    """Whether the element is wholly inside the frame's viewport as it is (no scrolling)."""
    return bool(
        frame.evaluate(
            f"""(() => {{ const e = document.querySelector({json.dumps(selector)});
                const r = e.getBoundingClientRect();
                return r.width > 0 && r.height > 0 && r.top >= 0 && r.left >= 0
                    && r.bottom <= innerHeight && r.right <= innerWidth; }})()"""
        )
    )


def iframe_height(host: Any) -> float:
    return float(host.evaluate("document.querySelector('iframe').getBoundingClientRect().height"))


def play_buttons(page: Any) -> list[str]:
    """Names of the buttons in Chromium's accessibility tree that play the audio."""
    cdp = page.context.new_cdp_session(page)
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    names = []
    for node in tree:
        role = node.get("role", {}).get("value")
        name = str(node.get("name", {}).get("value", ""))
        plays = "चलाएँ" in name or "play" in name.lower()
        if role == "button" and not node.get("ignored") and plays:
            names.append(name)
    return names
