"""Choosing the reader: forced, by extension, by Content-Type, by content."""

from __future__ import annotations

import pytest

from narrate.errors import ArticleError
from narrate.readers.detect import by_content, by_content_type, by_extension, choose


@pytest.mark.parametrize(
    ("source", "fmt"),
    [
        ("a.txt", "txt"),
        ("dir.v2/A.TEXT", "txt"),
        ("a.md", "md"),
        ("a.markdown", "md"),
        ("a.htm", "html"),
        ("a.xhtml", "html"),
        ("a.json", "json"),
        ("https://example.com/news/story.html?id=3#top", "html"),
        ("https://example.com/news/story", None),
        ("https://example.com/feed.md/", None),
        ("<stdin>", None),
        ("notes", None),
        ("a.php", None),
    ],
)
def test_by_extension(source: str, fmt: str | None) -> None:
    assert by_extension(source) == fmt


@pytest.mark.parametrize(
    ("content_type", "fmt"),
    [
        ("text/html; charset=UTF-8", "html"),
        ("application/xhtml+xml", "html"),
        ("application/json", "json"),
        ("text/markdown", "md"),
        ("text/plain; charset=utf-8", None),  # servers send it for .md files too
        ("application/octet-stream", None),
        (None, None),
        ("", None),
    ],
)
def test_by_content_type(content_type: str | None, fmt: str | None) -> None:
    assert by_content_type(content_type) == fmt


@pytest.mark.parametrize(
    ("text", "fmt"),
    [
        ('  {"title": "x"}', "json"),
        ("<!DOCTYPE html><html><body><p>पाठ</p></body></html>", "html"),
        ("<?xml version='1.0'?>\n<html><body>पाठ</body></html>", "html"),
        ("<!-- saved page -->\n<div>पाठ</div>", "html"),
        ("<p>पाठ</p>", "html"),
        ("---\ntitle: x\n---\nपाठ", "md"),
        ("शीर्षक\n\n## भाग\n\nपाठ", "md"),
        ("शीर्षक\n======\n\nपाठ", "md"),
        (" date 2025-12-08 पाठ।\n\nदूसरा पाठ।", "txt"),
        ("पाठ <b>मोटा</b> है।", "txt"),  # a tag inside text does not make a page
        ("#हैशटैग के साथ पाठ।", "txt"),
        ("पाठ\n---\nअलग", "txt"),  # a plain-text separator line
    ],
)
def test_by_content(text: str, fmt: str) -> None:
    assert by_content(text) == fmt


def test_choose_order() -> None:
    page = "<html><body><p>पाठ</p></body></html>"
    assert choose(page, source="a.txt", fmt="html", content_type=None) == "html"
    assert choose(page, source="a.txt", fmt=None, content_type="text/html") == "txt"
    assert choose(page, source="http://x/a", fmt=None, content_type="application/json") == "json"
    assert choose(page, source="http://x/a", fmt=None, content_type="text/plain") == "html"


@pytest.mark.parametrize(("name", "fmt"), [("TXT", "txt"), ("markdown", "md"), (".htm", "html")])
def test_format_names(name: str, fmt: str) -> None:
    assert choose("", source="a", fmt=name, content_type=None) == fmt


def test_unknown_format_name() -> None:
    with pytest.raises(ArticleError) as e:
        choose("", source="a.txt", fmt="docx", content_type=None)
    assert str(e.value) == "a.txt: unknown format 'docx' (choose txt, md, html or json)"
