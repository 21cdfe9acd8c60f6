"""Readers: an article in plain text, Markdown, HTML or JSON becomes an :class:`Article`.

:func:`read_article` takes a path, ``-`` for standard input, or an http(s) URL;
:func:`parse_article` does the pure part (decode, detect the format, parse) on bytes.
Every failure is an :class:`~narrate.errors.ArticleError` naming the source and the reason.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import BinaryIO

from narrate.errors import ArticleError
from narrate.model import Article
from narrate.readers import html, jsonfmt, markdown, text
from narrate.readers.decode import decode
from narrate.readers.detect import FORMATS, Format, choose
from narrate.readers.source import load

__all__ = ["FORMATS", "Format", "parse_article", "read_article"]

log = logging.getLogger(__name__)

#: The parser of each format: ``(text, source) -> Article``.
PARSERS: dict[Format, Callable[[str, str], Article]] = {
    "txt": text.parse,
    "md": markdown.parse,
    "html": html.parse,
    "json": jsonfmt.parse,
}


def read_article(
    source: str,
    *,
    stdin: BinaryIO | None = None,
    timeout: float = 15.0,
    fmt: str | None = None,
) -> Article:
    """Read the article at ``source``: a path, ``-`` (``stdin``, by default the process's
    standard input) or an http(s) URL fetched with ``timeout`` seconds."""
    loaded = load(source, stdin=stdin, timeout=timeout)
    return parse_article(
        loaded.data, source=loaded.source, fmt=fmt, content_type=loaded.content_type
    )


def parse_article(
    data: bytes,
    *,
    source: str,
    fmt: str | None = None,
    content_type: str | None = None,
) -> Article:
    """Decode ``data``, pick its format (``fmt``, else extension of ``source``, else
    ``content_type``, else the content) and parse it. Pure: no files, no network."""
    decoded = decode(data, source)
    chosen = choose(decoded, source=source, fmt=fmt, content_type=content_type)
    log.debug("%s: reading as %s", source, chosen)
    try:
        return PARSERS[chosen](decoded, source)
    except RecursionError as e:
        raise ArticleError(source, f"too deeply nested to read as {chosen}") from e
