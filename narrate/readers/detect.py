"""Which reader an article needs: forced, by file extension, by Content-Type, by content.

The order goes from what the user said to what we guess: ``--format`` wins, then the
extension a file (or URL path) was given, then the server's Content-Type, then a look at
the text itself; plain text is what is left.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath
from typing import Literal
from urllib.parse import urlsplit

from narrate.errors import ArticleError

Format = Literal["txt", "md", "html", "json"]
FORMATS: tuple[Format, ...] = ("txt", "md", "html", "json")

#: Names a user may give ``fmt``, and extensions, mapped to a reader.
FORMAT_NAMES: dict[str, Format] = {
    "txt": "txt",
    "text": "txt",
    "md": "md",
    "markdown": "md",
    "mdown": "md",
    "mkd": "md",
    "html": "html",
    "htm": "html",
    "xhtml": "html",
    "json": "json",
}
#: Content-Types that settle the format; ``text/plain`` does not (servers send it for .md).
CONTENT_TYPES: dict[str, Format] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/json": "json",
    "text/json": "json",
    "text/markdown": "md",
    "text/x-markdown": "md",
}

#: An HTML document: a doctype or one of the tags every page has, near the start.
HTML_START = re.compile(
    r"\A\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*)*<(?:!doctype\s+html|html|head|body|meta|title"
    r"|article|main|div|section|p|h[1-6]|span|br)\b",
    re.IGNORECASE | re.DOTALL,
)
#: YAML front matter, an ATX heading, or a setext ``===`` underline. A ``---`` line alone is
#: not a sign: plain text uses it as a separator.
MARKDOWN_SIGNS = re.compile(r"\A---[ \t]*\r?\n|^#{1,6}[ \t]+\S|^={3,}[ \t]*$", re.MULTILINE)


def normalize_format(fmt: str, source: str) -> Format:
    """The reader for a user-given format name, or ArticleError listing the choices."""
    found = FORMAT_NAMES.get(fmt.strip().lower().lstrip("."))
    if found is None:
        raise ArticleError(source, f"unknown format {fmt!r} (choose txt, md, html or json)")
    return found


def by_extension(source: str) -> Format | None:
    """The reader named by the extension of a path, or of a URL's path."""
    path = urlsplit(source).path if "://" in source else source
    if path.endswith(("/", "\\")):
        return None
    suffix = PurePosixPath(path.replace("\\", "/")).suffix.lower().lstrip(".")
    return FORMAT_NAMES.get(suffix) if suffix else None


def by_content_type(content_type: str | None) -> Format | None:
    """The reader a server's Content-Type names, ignoring parameters such as charset."""
    if not content_type:
        return None
    return CONTENT_TYPES.get(content_type.split(";", 1)[0].strip().lower())


def by_content(text: str) -> Format:
    """Guess from the text: a JSON object, an HTML page, Markdown signs, else plain text."""
    start = text.lstrip("\ufeff \t\r\n")
    if start.startswith("{"):
        return "json"
    if HTML_START.match(start):
        return "html"
    if MARKDOWN_SIGNS.search(start):
        return "md"
    return "txt"


def choose(text: str, *, source: str, fmt: str | None, content_type: str | None) -> Format:
    """Pick the reader for ``text`` from the most to the least explicit hint."""
    if fmt:
        return normalize_format(fmt, source)
    return by_extension(source) or by_content_type(content_type) or by_content(text)
