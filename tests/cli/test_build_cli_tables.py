"""One end-to-end build of the corpus's budget page (a table read row by row, a table too
large to read aloud): the embed page shows both as tables whose read rows are cues, the
plain-text transcript shows their cells in columns, and the captions stay what was said."""

from __future__ import annotations

import json
from pathlib import Path

import lxml.html
import pytest

BUDGET = Path(__file__).resolve().parents[1] / "corpus" / "articles" / "business-budget-table.html"


@pytest.mark.slow
def test_the_budget_page_is_built_with_its_tables_shown(
    run_cli, tmp_path: Path  # type: ignore[no-untyped-def]
) -> None:
    out = tmp_path / "out"
    result = run_cli("build", str(BUDGET), "--out", str(out), "--engine", "espeak", "--json")
    assert result.code == 0, result.err
    (episode,) = json.loads(result.out)["episodes"]

    page = lxml.html.fromstring(Path(out / f"{episode['slug']}.html").read_bytes())
    transcript = page.get_element_by_id("np-transcript")
    allocation, states = transcript.xpath(".//div[@role='region']")
    table = allocation.find("table")
    assert table.find("caption").text_content() == "प्रमुख मंत्रालयों का आवंटन"
    assert [th.text_content() for th in table.xpath("thead//th[@scope='col']")] == [
        "मंत्रालय", "आवंटन (₹ करोड़)", "बदलाव (%)"
    ]
    rows = [[cell.text_content() for cell in tr] for tr in table.xpath("tbody/tr")]
    assert rows[0] == ["रक्षा", "6,81,210", "+9.5"]
    assert rows[4] == ["ग्रामीण विकास", "1,90,406", "-3.2"]
    # Each row read aloud is one cue, in its row header, in time order.
    cues = table.xpath("tbody/tr/th[@scope='row']/span[@class='cue']")
    starts = [int(c.get("data-start")) for c in cues]
    assert len(cues) == 5 and starts == sorted(starts)
    assert table.xpath("caption/span[@class='cue']")
    # The table too large to read aloud: the notice as said, then the whole table.
    assert states.getprevious().text_content().startswith("यहां लेख में एक तालिका है")
    assert len(states.xpath(".//tbody/tr")) == 17 and not states.xpath(".//*[@class='cue']")
    assert states.xpath(".//tbody/tr[1]/*/text()") == ["उत्तर प्रदेश", "2,55,172"]

    text = Path(out / f"{episode['slug']}.txt").read_text(encoding="utf-8")
    blocks = text.split("\n\n")
    lines = blocks[blocks.index("प्रमुख मंत्रालयों का आवंटन") + 1].split("\n")
    assert [line.split("|")[1].strip() for line in lines] == [
        "मंत्रालय", "------------", "रक्षा", "सड़क परिवहन", "रेलवे", "गृह", "ग्रामीण विकास"
    ]
    assert lines[2].endswith("|      6,81,210 |      +9.5 |")  # figures to the right
    assert "9.5% अधिक" not in text and "| उत्तर प्रदेश" in text and "| पंजाब " in text
    # The captions stay the sentences that were said.
    captions = Path(episode["captions"]).read_text(encoding="utf-8")
    assert "रक्षा: ₹6,81,210 करोड़, 9.5% अधिक।" in captions and "|" not in captions
