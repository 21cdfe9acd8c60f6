"""Readers: an article in plain text, Markdown, HTML or JSON becomes an :class:`Article`.

:func:`read_article` takes a path, ``-`` for standard input, or an http(s) URL;
:func:`parse_article` does the pure part (decode, detect the format, parse) on bytes.
Every failure is an :class:`~narrate.errors.ArticleError` naming the source and the reason.
"""

from __future__ import annotations

import importlib
import logging
from typing import BinaryIO

from narrate.errors import ArticleError
from narrate.model import Article
from narrate.readers.decode import decode
from narrate.readers.detect import FORMATS, Format, choose
from narrate.readers.source import load

__all__ = ["FORMATS", "Format", "parse_article", "read_article"]

log = logging.getLogger(__name__)

#: The module whose ``parse(text, source) -> Article`` reads each format. Imported on first
#: use, so a command that never meets HTML does not load trafilatura at start-up.
PARSERS: dict[Format, str] = {
    "txt": "narrate.readers.text",
    "md": "narrate.readers.markdown",
    "html": "narrate.readers.html",
    "json": "narrate.readers.jsonfmt",
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
    parse = importlib.import_module(PARSERS[chosen]).parse
    try:
        article: Article = parse(decoded, source)
        return article
    except RecursionError as e:
        raise ArticleError(source, f"too deeply nested to read as {chosen}") from e
