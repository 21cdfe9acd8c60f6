"""Pieces of the pipeline that are not covered end to end."""

from __future__ import annotations

from narrate.model import Chunk, Script, ScriptSection
from narrate.pipeline import _description


def _script(*displays: str) -> Script:
    chunks = tuple(Chunk(text=d, display=d, kind="body") for d in displays)
    return Script(title="t", date=None, sections=(ScriptSection("s", chunks),))


def test_description_is_more_than_a_dateline() -> None:
    script = _script("नई दिल्ली, 14/02/2026:", "भारत ने मैच जीता। " * 20, "अंत।")
    text = _description(script)
    assert text.startswith("नई दिल्ली, 14/02/2026: भारत ने मैच जीता।")
    assert 160 <= len(text) <= 301
    assert text.endswith("…")
    assert "अंत" not in text


def test_short_article_description_is_all_of_it() -> None:
    assert _description(_script("एक।", "दो।")) == "एक। दो।"
