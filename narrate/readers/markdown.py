"""Markdown with optional YAML front matter (``title``, ``date``, ``author``).

What is read aloud is what a reader of the rendered page reads: headings, paragraphs, list
items and quotes, with link text kept and URLs, emphasis markers, images, code blocks,
and raw HTML blocks left out. A table is read row by row
(:mod:`~narrate.readers.tables`).

* The first ``#`` is the article's title, unless the front matter has one: then the front
  matter wins and that ``#`` is neither title nor section.
* Every other heading (``##`` to ``######``, and later ``#``) starts a section of its own.
  Podcast chapters are a flat list, and each heading deserves to be announced before its
  text; a ``##`` with nothing under it before a ``###`` becomes "खेल: क्रिकेट".
* Text before the first section heading is the introduction (not announced).
* Each list item is its own paragraph: the paragraph boundary gives the pause a list needs,
  without inventing punctuation the article does not have.
* Inline code is kept as the word it is in the sentence; code blocks are skipped.
"""

from __future__ import annotations

import re
from typing import Any

import yaml
from markdown_it import MarkdownIt
from markdown_it.token import Token

from narrate.errors import ArticleError
from narrate.model import Article, Link, Table
from narrate.readers.assemble import Draft, build_article, parse_date
from narrate.readers.tables import read_table

#: YAML front matter: ``---`` on the first line, closed by ``---`` or ``...``.
FRONT_MATTER = re.compile(r"\A---[ \t]*\n(.*?\n)?(?:---|\.\.\.)[ \t]*(?:\n|\Z)", re.DOTALL)

#: Block tokens whose whole content is skipped (opening type -> closing type).
SKIPPED_BLOCKS: dict[str, str] = {}
#: Leaf block tokens that are skipped: code, raw HTML.
SKIPPED_LEAVES = frozenset({"fence", "code_block", "html_block"})
#: Inline tokens whose text is read.
INLINE_TEXT = frozenset({"text", "text_special", "code_inline"})
#: Inline tokens that become a space.
INLINE_BREAKS = frozenset({"softbreak", "hardbreak"})


class _FrontMatterLoader(yaml.SafeLoader):
    """SafeLoader that leaves dates as text, so a bad date cannot fail the whole block."""


_FrontMatterLoader.yaml_implicit_resolvers = {
    first: [(tag, regex) for tag, regex in resolvers if tag != "tag:yaml.org,2002:timestamp"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}


def _parser() -> MarkdownIt:
    """CommonMark with tables and strikethrough recognised (so they are not read as text)
    and raw HTML recognised (so it can be skipped rather than read out as tags).

    Every link target is accepted as a link: markdown-it leaves ``[text](javascript:…)``
    as literal text, which would read the script aloud. Nothing is rendered from these
    tokens; which targets are kept is decided by
    :func:`~narrate.readers.assemble.is_public_href`."""
    parser = MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"])
    parser.validateLink = _any_link  # type: ignore[method-assign]
    return parser


def _any_link(url: str) -> bool:
    """Every link is a link (see :func:`_parser`)."""
    return True


def parse(text: str, source: str) -> Article:
    """Read a Markdown article."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    meta, body = split_front_matter(text, source)
    title = _meta_text(meta, "title", source)
    drafts: list[Draft] = [Draft(None)]
    tokens = _parser().parse(body)
    seen_h1 = False
    i = 0
    while i < len(tokens):
        token = tokens[i]
        if token.type == "table_open":
            table, i = _read_table(tokens, i)
            for paragraph, part in read_table(table):
                drafts[-1].add(paragraph, part)
            continue
        if token.type in SKIPPED_BLOCKS:
            i = _skip_to(tokens, i, SKIPPED_BLOCKS[token.type])
            continue
        if token.type == "heading_open":
            heading = inline_text(tokens[i + 1])
            if token.tag == "h1" and not seen_h1:
                seen_h1 = True
                title = title or heading  # front matter wins; this ``#`` is then dropped
            else:
                drafts.append(Draft(heading))
            i += 3  # heading_open, inline, heading_close
            continue
        if token.type == "inline":
            drafts[-1].paragraphs.append(inline_text(token))
            drafts[-1].links.extend(inline_links(token))
        i += 1
    return build_article(
        source=source,
        title=title,
        drafts=drafts,
        date=parse_date(meta.get("date")),
        author=_meta_author(meta, source),
    )


def _read_table(tokens: list[Token], start: int) -> tuple[Table, int]:
    """The table opened at ``start`` (header row and body rows), and the index after it."""
    end = _skip_to(tokens, start, "table_close")
    header: tuple[str, ...] = ()
    rows: list[tuple[str, ...]] = []
    cells: list[str] = []
    in_head = False
    for token in tokens[start:end]:
        if token.type == "thead_open":
            in_head = True
        elif token.type == "thead_close":
            in_head = False
        elif token.type == "tr_open":
            cells = []
        elif token.type == "inline":
            cells.append(inline_text(token))
        elif token.type == "tr_close":
            if in_head:
                header = tuple(cells)
            else:
                rows.append(tuple(cells))
    return Table("", header, tuple(rows)), end


def _skip_to(tokens: list[Token], start: int, closing: str) -> int:
    """The index after the token that closes the block opened at ``start``."""
    for j in range(start + 1, len(tokens)):
        if tokens[j].type == closing and tokens[j].level == tokens[start].level:
            return j + 1
    return len(tokens)


def inline_text(token: Token) -> str:
    """The words of an inline token: link text without URL, no emphasis, images or HTML."""
    parts: list[str] = []
    for child in token.children or ():
        if child.type in INLINE_TEXT:
            parts.append(child.content)
        elif child.type in INLINE_BREAKS:
            parts.append(" ")
    return "".join(parts)


def inline_links(token: Token) -> list[Link]:
    """The links of an inline token: each link's text (as :func:`inline_text` reads it) and
    its address. Which addresses are kept is decided once for every format
    (:func:`~narrate.readers.assemble.is_public_href`)."""
    links: list[Link] = []
    href: str | None = None
    text: list[str] = []
    for child in token.children or ():
        if child.type == "link_open":
            href, text = str(child.attrGet("href") or ""), []
        elif child.type == "link_close" and href is not None:
            links.append(Link("".join(text), href))
            href = None
        elif href is not None and child.type in INLINE_TEXT:
            text.append(child.content)
    return links


def split_front_matter(text: str, source: str) -> tuple[dict[str, Any], str]:
    """YAML front matter as a mapping, and the Markdown after it.

    A block between ``---`` lines that is not a mapping is not front matter (a thematic
    break around a line of text); YAML that does not parse is an error, since the author
    clearly meant metadata.
    """
    match = FRONT_MATTER.match(text)
    if match is None:
        return {}, text
    try:
        meta = yaml.load(match.group(1) or "", Loader=_FrontMatterLoader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        where = f" at line {mark.line + 2}" if mark is not None else ""
        problem = getattr(e, "problem", None) or "not valid YAML"
        raise ArticleError(source, f"invalid front matter{where}: {problem}") from e
    except RecursionError as e:
        raise ArticleError(source, "invalid front matter: nested too deeply") from e
    if meta is None:
        return {}, text[match.end() :]
    if not isinstance(meta, dict):
        return {}, text
    return meta, text[match.end() :]


def _meta_text(meta: dict[str, Any], key: str, source: str) -> str | None:
    """A front matter field that must be text (numbers are taken as written)."""
    value = meta.get(key)
    if value is None or value == "":
        return None
    if isinstance(value, str | int | float) and not isinstance(value, bool):
        return str(value)
    raise ArticleError(source, f"front matter '{key}' must be text, not {type(value).__name__}")


def _meta_author(meta: dict[str, Any], source: str) -> str | None:
    """``author`` as text; a list of names is joined with commas."""
    value = meta.get("author")
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return ", ".join(value) or None
    return _meta_text(meta, "author", source)
