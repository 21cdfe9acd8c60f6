"""Golden files: every fixture article read into the Article a listener would expect.

Regenerate with ``NARRATE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/readers`` (see conftest).
"""

from __future__ import annotations

import unicodedata
from pathlib import Path

import pytest

from narrate.readers import read_article

from .support import FIXTURES, GOLDEN, UPDATE_GOLDEN, check_golden, fixture_files

FILES = fixture_files()


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_fixture_matches_golden(path: Path) -> None:
    check_golden(path.name, read_article(str(path)))


@pytest.mark.parametrize("path", FILES, ids=[p.name for p in FILES])
def test_article_invariants(path: Path) -> None:
    """What every reader promises, whatever the article."""
    article = read_article(str(path))
    assert article.source == str(path)
    assert article.title and article.sections
    for section in article.sections:
        assert section.title
        assert section.paragraphs, "every section has at least one paragraph"
        if section.heading:
            assert section.paragraphs[0] != section.title
        for text in (section.title, *section.paragraphs):
            assert text == unicodedata.normalize("NFC", text)
            assert text == " ".join(text.split()), "whitespace is collapsed"


def test_every_golden_has_a_fixture() -> None:
    if UPDATE_GOLDEN:
        pytest.skip("regenerating")
    names = {p.name for p in FILES}
    orphans = [g.name for g in GOLDEN.glob("*.json") if g.stem not in names]
    assert not orphans


@pytest.mark.parametrize(
    "variant",
    ["chip-title-fused-crlf.txt", "chip-title-fused-utf16.txt", "chip-title-fused-utf8bom.txt"],
)
def test_encodings_and_line_endings_read_the_same(variant: str) -> None:
    """Windows line endings, UTF-16 with BOM and UTF-8 with BOM change nothing."""
    plain = read_article(str(FIXTURES / "chip-title-fused.txt"))
    other = read_article(str(FIXTURES / variant))
    assert (other.title, other.sections, other.date) == (plain.title, plain.sections, plain.date)
