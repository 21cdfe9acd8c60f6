"""Broken input of any kind ends in ArticleError, never another exception (mutagen's habit);
and whatever the reader makes of a text, it never invents or reorders a word."""

from __future__ import annotations

import contextlib
import os

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from narrate.errors import ArticleError
from narrate.readers import parse_article
from narrate.readers.assemble import HEADING_JOINER
from narrate.readers.text import split_blocks, take_title

from .support import body_words

FORMATS = st.sampled_from([None, "txt", "md", "html", "json"])
SETTINGS = settings(
    max_examples=int(os.environ.get("NARRATE_FUZZ_EXAMPLES", "150")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)

#: Pieces of every format, so random texts often look like articles and reach deep code.
PIECES = st.sampled_from(
    [
        "पाठ", "शीर्षक", "क्या", "है", "?", "।", ",", " ", "\n", "\n\n", "\r\n", "\t",
        "date 2025-12-08 ", "date 2025-99-99 ", "# ", "## ", "---\n", "title: ", "- ",
        "> ", "```", "**", "[क](http://x)", "![a](b)", "<p>", "</p>", "<h2>", "</h2>",
        "<br>", "<b>", "</b>", "<script>", "<div class='ad'>", "</div>", "<html><body>",
        "{", "}", "[", "]", '"', ":", '"sections"', '"text"', '"title"', "null", "1",
        "यह भी पढ़ें", "स्टेम सेल", "\ufeff", "\x00", "\u200d", "&amp;", "<!--",
    ]
)  # fmt: skip


@SETTINGS
@given(st.binary(max_size=2000), FORMATS)
def test_random_bytes_raise_only_article_error(data: bytes, fmt: str | None) -> None:
    try:
        parse_article(data, source="fuzz", fmt=fmt)
    except ArticleError as e:
        assert e.source == "fuzz" and "\n" not in str(e)


@SETTINGS
@given(st.lists(PIECES, max_size=80).map("".join), FORMATS)
def test_article_like_text_raises_only_article_error(text: str, fmt: str | None) -> None:
    with contextlib.suppress(ArticleError):
        parse_article(text.encode("utf-8", "surrogatepass"), source="fuzz", fmt=fmt)


@SETTINGS
@given(
    st.lists(
        st.sampled_from(["पाठ", "क्या", "है?", "यह", "सेल", "स्टेम", "।", "\n\n", "\n"]), max_size=60
    )
)
def test_plain_text_never_invents_or_reorders_a_word(pieces: list[str]) -> None:
    text = " ".join(pieces)
    try:
        article = parse_article(text.encode(), source="fuzz.txt")
    except ArticleError:
        return
    remaining = iter(text.split())
    assert all(word in remaining for word in body_words(article)), "a subsequence of the source"


FUSED_WORDS = ["पाठ", "क्या", "होते", "हैं", "है?", "यह", "सेल", "स्टेम", "काम", "नया", "।", "बढ़ा"]


@SETTINGS
@given(
    st.lists(
        st.lists(st.sampled_from(FUSED_WORDS), min_size=1, max_size=25).map(" ".join),
        min_size=1,
        max_size=6,
    )
)
def test_plain_text_loses_only_labels(paragraphs: list[str]) -> None:
    """Everything heard (title line, announced headings, paragraphs) is the source in order,
    minus at most two label words per detected heading."""
    text = "\n\n".join(paragraphs)
    try:
        article = parse_article(text.encode(), source="fuzz.txt")
    except ArticleError:
        return
    title_line = take_title(split_blocks(text))[0] is not None
    heard = article.title.split() if title_line else []
    for section in article.sections:
        joined = section.title.replace(HEADING_JOINER, " ")  # empty headings fold into the next
        heard += joined.split() if section.heading else []
        heard += [w for p in section.paragraphs for w in p.split()]
    remaining = iter(text.split())
    assert all(word in remaining for word in heard), "heard words keep the source's order"
    headings = sum(1 for s in article.sections if s.heading)
    assert len(text.split()) - len(heard) <= 2 * headings
