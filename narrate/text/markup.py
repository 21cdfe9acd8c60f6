"""Rules for mark-up left in the text: HTML entities and tags, Markdown links, images and
emphasis, citation marks. Each is a ``str -> str`` rule whose docstring says what it prevents.
"""

from __future__ import annotations

import html
import re

from narrate.text.chars import SPACES, WORD_CHAR, clean

# --- mark-up -------------------------------------------------------------------------


def unescape_entities(text: str) -> str:
    """Prevent "&amp;", "&nbsp;" or "&#2325;" from being read out: HTML entities become the
    characters they stand for, before any other rule looks at the text."""
    if "&" not in text:
        return text
    return clean(html.unescape(text))


_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_ATTRIBUTE = r"""\s+[A-Za-z_:][-A-Za-z0-9_:.]*(?:\s*=\s*(?:"[^"<>]*"|'[^'<>]*'|[^\s"'=<>`]+))?"""
_TAG = re.compile(rf"</?(?P<name>[A-Za-z][A-Za-z0-9-]*)(?:{_ATTRIBUTE})*\s*/?>")
#: Tags that sit inside a word or a sentence; any other tag separates words.
_INLINE_TAGS = frozenset(
    {
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "dfn", "em", "font", "i",
        "ins", "kbd", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub",
        "sup", "time", "tt", "u", "var", "wbr",
    }
)  # fmt: skip
_AUTOLINK = re.compile(r"<((?:https?|ftp)://[^<>\s]+|[^<>\s@]+@[^<>\s]+)>", re.IGNORECASE)
_MD_IMAGE = re.compile(r"!\[([^\[\]]*)\]\([^()]*\)")
_MD_LINK = re.compile(r"\[([^\[\]]*)\]\([^()]*\)")
_MD_REFERENCE_LINK = re.compile(r"\[([^\[\]]+)\]\[[^\[\]]*\]")
_CITATION = re.compile(r"\[[0-9]{1,3}\]")


def _strip_markup_once(text: str) -> str:
    text = _COMMENT.sub("", text)
    text = _AUTOLINK.sub(r"\1", text)
    text = _TAG.sub(lambda m: "" if m["name"].lower() in _INLINE_TAGS else " ", text)
    text = _MD_IMAGE.sub(r"\1", text)
    text = _MD_LINK.sub(r"\1", text)
    text = _MD_REFERENCE_LINK.sub(r"\1", text)
    return _CITATION.sub("", text)


def strip_markup(text: str) -> str:
    """Prevent leftover mark-up from being read out: HTML tags and comments go, a Markdown
    link or image becomes its text, citation marks such as [1] go (a heading's # or a
    bullet at the start is dropped by :func:`tidy`). Repeated until nothing changes, so
    that "<<b>b>" cannot leave a tag behind."""
    if "<" not in text and "[" not in text:
        return text
    while True:
        stripped = _strip_markup_once(text)
        if stripped == text:
            return stripped
        text = stripped


_EMPHASIS_INSIDE = re.compile(rf"(?<={WORD_CHAR})(?:[*_`]|~~)+(?={WORD_CHAR})")
_EMPHASIS = re.compile(r"[*_`]+|~~+")


def strip_emphasis(text: str) -> str:
    """Prevent Markdown emphasis from being read out: *, _, ` and ~~ go; between two words
    ("a_b", "5*3") they become a space rather than joining them. Last of the mark-up
    rules, it also collapses the spaces they leave, so that the reading rules (and the
    lexicon) meet single spaces the first time as they do the second."""
    text = _EMPHASIS_INSIDE.sub(" ", text)
    return SPACES.sub(" ", _EMPHASIS.sub("", text)).strip()
