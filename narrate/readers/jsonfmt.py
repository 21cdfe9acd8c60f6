"""JSON articles: ``{"title", "date", "author", "sections": [{"title", "text"}]}``, or a
schema.org ``NewsArticle`` as CMSs export it and pages embed it as JSON-LD
(``{"headline", "datePublished", "author", "articleBody"}``, alone, in a list or in an
``@graph``).

``sections[].text`` may hold several paragraphs separated by blank lines; each line of
``articleBody`` is a paragraph. A missing or
empty section title means the section has no heading (it is named by its first words and
not announced); a missing article title is made from the first words. Wrong types are
errors that name the field, so a typo is found at once.
"""

from __future__ import annotations

import json
import re
from typing import Any

from narrate.errors import ArticleError
from narrate.model import Article
from narrate.readers import jsonld
from narrate.readers.assemble import Draft, build_article, parse_date

#: The longest integer converted exactly (Python refuses more than 4,300 digits by default).
MAX_INT_DIGITS = 4000
#: Paragraph separator inside ``sections[].text``: a blank line.
BLANK_LINE = re.compile(r"\r?\n[^\S\r\n]*\r?\n")


def parse(text: str, source: str) -> Article:
    """Read a JSON article."""
    data = load_json(text, source)
    news = _news_article(data)
    if news is not None:
        return _parse_news_article(news, source)
    if not isinstance(data, dict):
        raise ArticleError(
            source, f"JSON must be an object with a 'sections' list, not {_kind(data)}"
        )
    sections = data.get("sections")
    if not isinstance(sections, list):
        raise ArticleError(source, "JSON has no 'sections' list (nor a schema.org 'articleBody')")
    if not sections:
        raise ArticleError(source, "JSON 'sections' list is empty")
    return build_article(
        source=source,
        title=_optional_text(data, "title", source, "JSON"),
        drafts=[_draft(section, n, source) for n, section in enumerate(sections)],
        date=parse_date(data.get("date")),
        author=_optional_text(data, "author", source, "JSON"),
    )


def _news_article(data: Any) -> dict[str, Any] | None:
    """The schema.org article in ``data``: an object with a text ``articleBody``, alone, in
    a list or in an ``@graph`` (the first one), or None."""
    if isinstance(data, dict) and isinstance(data.get("@graph"), list):
        data = data["@graph"]
    candidates = data if isinstance(data, list) else [data]
    for item in candidates:
        if isinstance(item, dict) and isinstance(item.get("articleBody"), str) \
                and "sections" not in item:
            return item
    return None


def _parse_news_article(news: dict[str, Any], source: str) -> Article:
    title = news.get("headline") or news.get("name")
    date = news.get("datePublished") or news.get("dateCreated")
    return build_article(
        source=source,
        title=title if isinstance(title, str) else None,
        drafts=[Draft(None, jsonld.PARAGRAPH.split(news["articleBody"]))],
        date=parse_date(date) if isinstance(date, str) else None,
        author=jsonld.author_names(news.get("author")),
    )


def load_json(text: str, source: str) -> Any:
    """Parse JSON, turning every failure into a one-line reason with the line number."""
    try:
        return json.loads(text, parse_int=_number)
    except json.JSONDecodeError as e:
        raise ArticleError(
            source, f"invalid JSON at line {e.lineno}, column {e.colno}: {e.msg}"
        ) from e
    except RecursionError as e:
        raise ArticleError(source, "invalid JSON: nested too deeply") from e


def _number(digits: str) -> int | float:
    """A JSON integer; one too long for Python's integer conversion (4,300 digits) becomes
    a float (infinity), as a huge exponent does: an article reads no number's value."""
    return int(digits) if len(digits) <= MAX_INT_DIGITS else float(digits)


def _kind(value: Any) -> str:
    """A JSON type name for messages."""
    names = {
        list: "a list",
        str: "a string",
        bool: "true/false",
        int: "a number",
        float: "a number",
    }
    return "null" if value is None else names.get(type(value), type(value).__name__)


def _optional_text(data: dict[str, Any], key: str, source: str, where: str) -> str | None:
    """A field that may be missing or null, but is text when present."""
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ArticleError(source, f"{where} '{key}' must be a string, not {_kind(value)}")
    return value


def _draft(section: Any, n: int, source: str) -> Draft:
    """One ``sections[n]`` entry: an object with text and, usually, a title."""
    where = f"sections[{n}]"
    if not isinstance(section, dict):
        raise ArticleError(source, f"JSON {where} must be an object, not {_kind(section)}")
    if "text" not in section:
        raise ArticleError(source, f"JSON {where} has no 'text'")
    text = _optional_text(section, "text", source, f"JSON {where}") or ""
    title = _optional_text(section, "title", source, f"JSON {where}")
    return Draft(title, BLANK_LINE.split(text))
