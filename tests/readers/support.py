"""Shared helpers for the reader tests: fixture articles and golden files.

Golden files live in ``tests/fixtures/articles/golden/<fixture name>.json``. To regenerate
them after an intended change, run::

    NARRATE_UPDATE_GOLDEN=1 .venv/bin/pytest tests/readers -q

and review the diff before committing.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from narrate.model import Article

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "articles"
GOLDEN = FIXTURES / "golden"
UPDATE_GOLDEN = os.environ.get("NARRATE_UPDATE_GOLDEN") == "1"
ARTICLE_SUFFIXES = {".txt", ".md", ".html", ".json"}


def fixture_files() -> list[Path]:
    """Every fixture article (the golden folder and the README excluded)."""
    return sorted(
        p
        for p in FIXTURES.iterdir()
        if p.is_file() and p.suffix in ARTICLE_SUFFIXES and p.name != "README.md"
    )


def article_json(article: Article) -> dict[str, object]:
    """What a golden file holds: everything a listener meets, not where it came from."""
    return {
        "title": article.title,
        "date": article.date.isoformat() if article.date else None,
        "author": article.author,
        "sections": [
            {"title": s.title, "heading": s.heading, "paragraphs": list(s.paragraphs)}
            for s in article.sections
        ],
    }


def check_golden(name: str, article: Article) -> None:
    """Compare with ``golden/<name>.json``, or write it when NARRATE_UPDATE_GOLDEN=1."""
    path = GOLDEN / f"{name}.json"
    got = article_json(article)
    if UPDATE_GOLDEN:
        GOLDEN.mkdir(exist_ok=True)
        text = json.dumps(got, ensure_ascii=False, indent=2, sort_keys=True) + "\n"
        path.write_text(text, encoding="utf-8")
        return
    assert path.exists(), f"no golden file {path}; run with NARRATE_UPDATE_GOLDEN=1"
    assert got == json.loads(path.read_text(encoding="utf-8"))


def words(text: str) -> list[str]:
    return text.split()


def spoken_words(article: Article) -> list[str]:
    """Every word a listener hears, in order: title, announced headings, paragraphs."""
    out = words(article.title)
    for section in article.sections:
        if section.heading:
            out += words(section.title)
        for paragraph in section.paragraphs:
            out += words(paragraph)
    return out


def body_words(article: Article) -> list[str]:
    return [w for s in article.sections for p in s.paragraphs for w in words(p)]
