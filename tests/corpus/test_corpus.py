"""The corpus: Hindi articles in the shapes real news takes, each with what a Hindi editor
expects of it (``golden/<file>.json``, written by hand, never generated).

Every rule of the readers and the script is judged on all of them at once: a change that
fixes one article and breaks another fails here. Each article is checked for

* its title, date, the chapter titles and the first chapter's title;
* where each chapter's spoken body starts (a word never moves from a heading into the body,
  nor from the body into the heading);
* at least 97 % of its words spoken, in order (the words a reader of the page reads:
  the whole text file; Markdown and JSON without syntax; the ``data-spoken`` parts of an
  HTML page, which the readers never look at);
* its links, where it has some: text spoken, the address kept, never a ``javascript:`` one;

and a page with no article in it is one clear error, never an episode.
"""

from __future__ import annotations

import difflib
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import lxml.html
import pytest
import yaml

from narrate.errors import ArticleError
from narrate.model import Link, Script
from narrate.readers import read_article
from narrate.script import build_script
from tests.corpus import measure

HERE = Path(__file__).parent
ARTICLES = HERE / "articles"
GOLDEN = HERE / "golden"
FILES = sorted(p for p in ARTICLES.iterdir() if p.is_file())
#: Share of the article's words that must be spoken, in order.
SPOKEN_SHARE = 0.97



def _golden(path: Path) -> dict[str, Any]:
    data: dict[str, Any] = json.loads((GOLDEN / f"{path.name}.json").read_text("utf-8"))
    return data


def _words(text: str) -> list[str]:
    return measure.WORD.findall(unicodedata.normalize("NFC", text).casefold())


# --- the words a reader of each format reads (independent of narrate's readers) -------------


def _txt_words(text: str) -> list[str]:
    text = re.sub(r"\A\s*date\s+\d{4}-\d{2}-\d{2}", " ", text)
    return _words(text)


def _md_words(text: str) -> list[str]:
    title = ""
    if text.startswith("---\n"):
        front, text = text[4:].split("\n---\n", 1)
        meta = yaml.safe_load(front)
        title = str(meta.get("title", ""))
        text = re.sub(r"\A\s*# .*\n", "", text) if title else text
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", text)  # links: their text
    text = re.sub(r"^\s*(?:#+|[-*+]|\d+\.)\s+", "", text, flags=re.MULTILINE)
    return _words(f"{title}\n{text}")


def _json_words(text: str) -> list[str]:
    data = json.loads(text)
    if "articleBody" in data:  # schema.org NewsArticle
        return _words(f"{data.get('headline') or ''}\n{data['articleBody']}")
    parts = [data.get("title") or ""]
    for section in data["sections"]:
        parts += [section.get("title") or "", section["text"]]
    return _words("\n".join(parts))


def _html_words(text: str) -> list[str]:
    root = lxml.html.document_fromstring(text.encode("utf-8"))
    parts, bodies = [], []  # a JSON-LD articleBody (in the head) comes after the <h1>
    for element in root.xpath("//*[@data-spoken]"):
        if element.tag == "script":
            bodies.append(json.loads(element.text)["articleBody"])
        elif element.tag == "table":  # cell by cell; headers are named in the rows
            for header in element.xpath(".//th"):
                header.getparent().remove(header)
            parts.append(" ".join(element.itertext()))
        else:
            parts.append(element.text_content())
    return _words("\n".join(parts + bodies))


READERS = {".txt": _txt_words, ".md": _md_words, ".json": _json_words, ".html": _html_words}


def reference_words(path: Path) -> list[str]:
    """The words a reader of the article reads, found without narrate's readers."""
    return READERS[path.suffix](path.read_text("utf-8"))


def _spoken_words(script: Script) -> list[str]:
    return [w for c in script.chunks for w in _words(c.display)]


def _script(path: Path) -> Script:
    return build_script(read_article(str(path)))


# --- the tests --------------------------------------------------------------------------------


def test_the_corpus_is_big_enough_and_every_article_has_a_golden_file() -> None:
    assert len(FILES) >= 24
    assert sorted(p.name for p in GOLDEN.iterdir()) == sorted(f"{p.name}.json" for p in FILES)
    shapes = {p.suffix for p in FILES}
    assert shapes == {".txt", ".md", ".json", ".html"}


ARTICLE_FILES = [p for p in FILES if "error" not in _golden(p)]
EMPTY_PAGES = [p for p in FILES if "error" in _golden(p)]


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.name for p in ARTICLE_FILES])
def test_titles_date_and_chapters(path: Path) -> None:
    golden = _golden(path)
    article = read_article(str(path))
    script = build_script(article)
    got = {
        "title": script.title,
        "date": script.date.isoformat() if script.date else None,
        "first_chapter": script.sections[0].title,
        "sections": [
            {
                "title": s.title,
                "body_starts": next(c.display for c in s.chunks if c.kind == "body").split()[0],
            }
            for s in script.sections
        ],
    }
    expected = {k: golden[k] for k in got}
    assert got == expected
    if "author" in golden:
        assert article.author == golden["author"]


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.name for p in ARTICLE_FILES])
def test_no_word_moves_between_heading_and_body(path: Path) -> None:
    """A section's announced heading is exactly its title, and its title's words are not
    repeated at the start of its body (a word pulled out of the heading)."""
    script = _script(path)
    for section in script.sections:
        headings = [c.display for c in section.chunks if c.kind == "heading"]
        if headings:
            assert " ".join(headings) == section.title
        body = next(c.display for c in section.chunks if c.kind == "body").split()
        last = section.title.split()[-1].strip("?!।")
        assert not (headings and body[0].strip("?!।,") == last and len(body) > 1
                    and body[1].strip("?!।,") == last), section.title


@pytest.mark.parametrize("path", ARTICLE_FILES, ids=[p.name for p in ARTICLE_FILES])
def test_words_are_spoken_in_order(path: Path) -> None:
    reference = reference_words(path)
    assert reference, "no words a reader reads (an HTML article marks them data-spoken)"
    spoken = _spoken_words(_script(path))
    matcher = difflib.SequenceMatcher(None, reference, spoken, autojunk=False)
    kept = sum(block.size for block in matcher.get_matching_blocks())
    missing = [
        " ".join(reference[i1:i2])
        for op, i1, i2, _, _ in matcher.get_opcodes()
        if op in ("delete", "replace")
    ]
    assert kept >= SPOKEN_SHARE * len(reference), f"{kept}/{len(reference)}; not spoken: {missing}"


@pytest.mark.parametrize("path", EMPTY_PAGES, ids=[p.name for p in EMPTY_PAGES])
def test_a_page_without_an_article_is_an_error(path: Path) -> None:
    with pytest.raises(ArticleError) as caught:
        _script(path)
    message = str(caught.value)
    assert _golden(path)["error"] in message
    assert "\n" not in message


LINKED = [p for p in ARTICLE_FILES if "links" in _golden(p)]


@pytest.mark.parametrize("path", LINKED, ids=[p.name for p in LINKED])
def test_links_keep_their_address_and_are_never_spoken(path: Path) -> None:
    expected = [Link(text, href) for text, href in _golden(path)["links"]]
    article = read_article(str(path))
    assert [link for s in article.sections for link in s.links] == expected
    script = build_script(article)
    carried = [link for c in script.chunks for link in c.links]
    assert carried == expected
    for chunk in script.chunks:
        for link in chunk.links:
            assert link.text in chunk.display
        assert "http" not in chunk.text and "javascript" not in chunk.text


# --- what a newsreader says: the editor-marked readings and the tables --------------------

TUNING = [p for p in ARTICLE_FILES if not _golden(p).get("heldout")]
HELD_OUT = [p for p in ARTICLE_FILES if _golden(p).get("heldout")]
#: The share of editor-marked readings the held-out articles must get right.
HELD_OUT_READINGS = 0.95


@pytest.mark.parametrize("path", TUNING, ids=[p.name for p in TUNING])
def test_every_marked_reading_is_said_as_a_newsreader_says_it(path: Path) -> None:
    marks = measure.readings(_script(path), _golden(path).get("readings", []))
    assert [(w, s) for w, s, ok in marks if not ok] == []


def test_held_out_articles_are_read_right() -> None:
    """Articles never tuned on (goldens written before the first run): the share of
    readings right over all of them (``python -m tests.corpus.measure`` shows each)."""
    assert len(HELD_OUT) >= 4
    marks = [m for p in HELD_OUT for m in measure.readings(_script(p), _golden(p)["readings"])]
    right = sum(ok for *_, ok in marks)
    assert right >= HELD_OUT_READINGS * len(marks), [m for m in marks if not m[2]]


TABLED = [p for p in ARTICLE_FILES if _golden(p).get("tables")]


@pytest.mark.parametrize("path", TABLED, ids=[p.name for p in TABLED])
def test_no_table_is_dropped_without_a_spoken_notice(path: Path) -> None:
    assert all(measure.tables_kept(_script(path), _golden(path)["tables"]))


@pytest.mark.parametrize("path", TABLED, ids=[p.name for p in TABLED])
def test_every_table_reaches_the_script_with_its_cells(path: Path) -> None:
    """The chunks that read a table (its rows, or the notice said instead) carry the table
    as written, for the transcript and the embed to show: each table of the golden file
    is one of them, its rows named by their first cells."""
    carried = {c.table.table: None for c in _script(path).chunks if c.table is not None}
    first_cells = [[row[0] for row in table.rows] for table in carried]
    for labels in _golden(path)["tables"]:
        assert any(cells[: len(labels)] == labels for cells in first_cells), (labels, first_cells)


def test_the_label_rules_leave_ordinary_prose_alone() -> None:
    """The fused-heading rules split at most one ordinary paragraph of the corpus when
    asked about each one alone (``python -m tests.corpus.fused_headings`` shows why no
    rule for a heading with no label is kept: every candidate splits prose or places most
    boundaries wrong)."""
    from tests.corpus import fused_headings

    counts = fused_headings.score(fused_headings.current, fused_headings.cases())
    assert counts["prose split"] <= 1
    assert counts["seen right"] >= 10
