"""A page with tables in Chromium: the transcript shows each table as a table (a labelled
region that scrolls sideways on its own when the table is wider than the page), each row
read aloud is a cue that plays when clicked anywhere and is highlighted whole while it is
heard, the page's text download and its search show the cells, and axe-core finds nothing
at 320 and 1280 px. Screenshots for a person to look at go to tests/browser/screenshots/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from narrate.model import Cue
from tests.browser.conftest import Site
from tests.browser.pages import AUDIO, focus_problem, open_page, run_axe, settle, wait_for

WIDTHS = [(320, 640), (1280, 800)]
WIDE = "document.getElementById('np-table-1')"
#: The row that is current (its index in the table, the header row being 0), or -1.
CURRENT_ROW = (
    "(c => c && c.closest('tr') ? c.closest('tr').rowIndex : -1)"
    "(document.querySelector('#np-transcript .cue[aria-current=true]'))"
)


def rows_read(site: Site) -> dict[int, list[Cue]]:
    """The cues that read each row of the first table, by row."""
    rows: dict[int, list[Cue]] = {}
    for cue in site.episodes["table"].timeline.cues:
        if cue.table is not None and cue.table.kind == "row":
            rows.setdefault(cue.table.row, []).append(cue)
    return rows


def background(page: Any, selector: str) -> str:
    return str(page.evaluate(
        f"getComputedStyle(document.querySelector({selector!r})).backgroundColor"
    ))


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_axe_finds_nothing_on_a_page_with_tables(
    context_factory: Any, site: Site, theme: str, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height})
    page = open_page(context, site.url("table", f"?theme={theme}"), expand=True)
    found = {"open": run_axe(page)}
    page.click("#np-table-1 tbody tr:nth-child(2) td:nth-child(3)")
    wait_for(page, f"{CURRENT_ROW} === 2")
    page.evaluate(f"{AUDIO}.pause()")
    settle(page)
    found["a row playing"] = run_axe(page)
    page.focus("#np-table-1")
    page.keyboard.press("ArrowRight")
    found["the table's box focused"] = run_axe(page)
    assert {state: v for state, v in found.items() if v} == {}


def test_a_wide_table_scrolls_in_its_own_box_at_320_px(context_factory: Any, site: Site) -> None:
    context = context_factory(viewport={"width": 320, "height": 640})
    page = open_page(context, site.url("table"), expand=True)
    # The page never scrolls sideways; the six columns do, in their box, inside the window.
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    more = "document.getElementById('np-more')"
    assert page.evaluate(f"{more}.scrollWidth <= {more}.clientWidth")
    assert page.evaluate(f"{WIDE}.scrollWidth > {WIDE}.clientWidth")
    assert page.evaluate(f"{WIDE}.getBoundingClientRect().right") <= 320
    # A keyboard reaches the box (a labelled region) and scrolls it, and sees it focused.
    assert page.evaluate(f"{WIDE}.getAttribute('role')") == "region"
    page.focus("#np-table-1")
    settle(page)
    assert focus_problem(page) is None
    page.keyboard.press("ArrowRight")
    wait_for(page, f"{WIDE}.scrollLeft > 0")
    assert page.evaluate(f"{AUDIO}.paused")  # the arrow scrolled the table, nothing else
    # At 1280 px the same table needs no scrolling.
    wide = open_page(context_factory(viewport={"width": 1280, "height": 800}),
                     site.url("table"), expand=True)
    assert wide.evaluate(f"{WIDE}.scrollWidth <= {WIDE}.clientWidth")


def test_a_row_plays_from_its_start_wherever_it_is_clicked(
    context_factory: Any, site: Site
) -> None:
    rows = rows_read(site)
    assert sorted(rows) == [0, 1, 2, 3]
    assert any(len(cues) > 1 for cues in rows.values())  # a row longer than one caption
    page = open_page(context_factory(viewport={"width": 1280, "height": 800}),
                     site.url("table"), expand=True)
    for row, cell in ((0, 4), (2, 1), (3, 6)):  # a figure, the row's name, the last cell
        page.click(f"#np-table-1 tbody tr:nth-child({row + 1}) > :nth-child({cell})")
        wait_for(page, f"!{AUDIO}.paused")
        page.evaluate(f"{AUDIO}.pause()")
        start = rows[row][0].start_ms / 1000
        assert start - 0.05 <= page.evaluate(f"{AUDIO}.currentTime") < start + 1.5
        wait_for(page, f"{CURRENT_ROW} === {row + 1}")
    # While any cue of a row is heard the row is current, and highlighted whole.
    split = next(cues for cues in rows.values() if len(cues) > 1)
    page.evaluate(f"{AUDIO}.currentTime = {split[-1].start_ms / 1000 + 0.05}")
    row = split[0].table.row if split[0].table else -1
    wait_for(page, f"{CURRENT_ROW} === {row + 1}")
    current = f"#np-table-1 tbody tr:nth-child({row + 1}) td:last-child"
    other = f"#np-table-1 tbody tr:nth-child({(row + 1) % 4 + 1}) td:last-child"
    assert background(page, current) == background(page, ".cue[aria-current=true]")
    assert background(page, current) != background(page, other)
    # The row's cue is a button a keyboard plays.
    page.focus("#np-table-1 tbody tr:nth-child(2) .cue")
    assert page.evaluate("document.activeElement.getAttribute('role')") == "button"
    page.keyboard.press("Enter")
    wait_for(page, f"!{AUDIO}.paused")
    page.evaluate(f"{AUDIO}.pause()")
    assert abs(page.evaluate(f"{AUDIO}.currentTime") - rows[1][0].start_ms / 1000) < 1.5


def test_the_text_download_and_search_show_the_cells(
    context_factory: Any, site: Site, tmp_path: Path
) -> None:
    page = open_page(context_factory(), site.url("table"), expand=True)
    with page.expect_download() as info:
        page.click("#np-text")
    info.value.save_as(tmp_path / "t.txt")
    blocks = (tmp_path / "t.txt").read_text(encoding="utf-8").rstrip("\n").split("\n\n")
    table = blocks.index("दलों की सीटें और वोट") + 1
    assert blocks[table].split("\n")[:3] == [
        "| दल | लड़ी सीटें | जीती सीटें | बदलाव | वोट (%) | गठबंधन |",
        "| --- | --- | --- | --- | --- | --- |",
        "| भाजपा | 101 | 89 | +15 | 20.1 | एनडीए |",
    ]
    notice = next(i for i, b in enumerate(blocks) if b.startswith("यहां लेख में एक तालिका है"))
    assert blocks[notice + 1] == "ज़िलेवार मतदान"
    assert len(blocks[notice + 2].split("\n")) == 2 + 16
    assert "| <script>window.__pwned=1</script> नालंदा | 57.7 |" in blocks[notice + 2]
    assert page.evaluate("window.__pwned") is None
    # Search finds a figure of a row, and lists the row as the page shows it.
    page.fill("#np-search", "+42")
    wait_for(page, "document.getElementById('np-found').textContent")
    assert page.inner_text("#np-results button .time + span") == (
        "जदयू | 101 | 85 | +42 | 19.3 | एनडीए"
    )
    page.click("#np-results button")
    wait_for(page, f"{CURRENT_ROW} === 2")


@pytest.mark.parametrize("theme", ["light", "dark"])
@pytest.mark.parametrize(("width", "height"), WIDTHS)
def test_table_screenshots(
    context_factory: Any, site: Site, screenshots: Path, theme: str, width: int, height: int
) -> None:
    context = context_factory(viewport={"width": width, "height": height}, device_scale_factor=1)
    page = open_page(context, site.url("table", f"?theme={theme}"), expand=True)
    row = rows_read(site)[1][0]
    page.evaluate(f"{AUDIO}.currentTime = {row.start_ms / 1000 + 0.05}")
    wait_for(page, f"{CURRENT_ROW} === 2")
    settle(page)
    path = screenshots / f"table-{width}-{theme}-1-row.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000
    page.focus("#np-table-2")
    page.evaluate("document.getElementById('np-table-2').scrollIntoView()")
    settle(page)
    path = screenshots / f"table-{width}-{theme}-2-left-out.png"
    page.screenshot(path=str(path))
    assert path.stat().st_size > 5_000
