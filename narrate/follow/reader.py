"""The article of each item: from the source's own content, or from its page.

An :class:`ItemReader` is the ``article_reader`` a batch is given
(:attr:`narrate.pipeline.BuildSettings.article_reader`): for each source it knows (an
item's canonical URL, or a URL given on the command line and already fetched) it returns
the :class:`~narrate.model.Article`; for any other it returns None and the usual readers
run.

- An item whose source carries the whole article (``content:encoded``, Atom ``content``,
  JSON Feed ``content_html``: at least :data:`WHOLE_MIN_CHARS` characters of text, not
  ending in a "read more") is read from that content: no page is fetched.
- Otherwise its page is fetched with the polite client and read by the HTML reader
  (JSON-LD included).
- Either way, the item's title, date and author fill what the page lacks; a date in the
  future is today.
- A page whose ``<link rel="canonical">`` names another article the sources list is a
  :class:`DuplicateArticle`: the same article under two URLs makes one episode.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import logging
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin

import lxml.html

from narrate.errors import ArticleError
from narrate.follow.canonical import canonical_url, same_site
from narrate.follow.http import FetchError, PoliteClient
from narrate.follow.sources import Item
from narrate.model import Article
from narrate.publish.index import IST
from narrate.readers import parse_article
from narrate.readers.source import Loaded

log = logging.getLogger(__name__)

#: The least text (characters, tags left out) a source's content needs to be taken as the
#: whole article. Teasers and first paragraphs are shorter; a news article is longer.
WHOLE_MIN_CHARS = 700
#: How a teaser ends: an ellipsis or a "read more" link text (Hindi and English).
TEASER_END = re.compile(
    r"(?:…|\.\.\.|\[…\]|\[\.\.\.\]|read more|continue reading|आगे पढ़ें|और पढ़ें|"
    r"पूरी खबर पढ़ें|पूरी ख़बर पढ़ें|पढ़ना जारी रखें)\W*$",
    re.IGNORECASE,
)
_TAG = re.compile(r"<[^>]*>")
#: The page's HTML is read for its canonical link in the first part only (the head).
_HEAD_BYTES = 256 * 1024


class DuplicateArticle(ArticleError):
    """The page is another listed article under a second URL."""

    def __init__(self, url: str, of: str) -> None:
        self.of = of
        super().__init__(url, f"the same article as {of} (its page says so); not built twice")


def merge(items: Sequence[Item]) -> Item:
    """One item from what several sources say of one article: the first title, author and
    date given, every category, and the longest content."""
    first = items[0]
    contents = [i.content for i in items if i.content]
    links = [i.link for i in items]
    return dataclasses.replace(
        first,
        link=next((link for link in links if canonical_url(link) == link), first.link),
        title=next((i.title for i in items if i.title), None),
        published=next((i.published for i in items if i.published), None),
        updated=max((i.updated for i in items if i.updated), default=None),
        author=next((i.author for i in items if i.author), None),
        categories=tuple(dict.fromkeys(c for i in items for c in i.categories)),
        content=max(contents, key=len) if contents else None,
        summary=next((i.summary for i in items if i.summary), None),
    )


def text_of(content: str) -> str:
    return " ".join(html.unescape(_TAG.sub(" ", content)).split())


def is_whole(content: str | None) -> bool:
    """Whether a source's content is the whole article (see the module docstring)."""
    if not content:
        return False
    text = text_of(content)
    return len(text) >= WHOLE_MIN_CHARS and TEASER_END.search(text[-40:]) is None


def content_hash(article: Article) -> str:
    """A hash of the article's words: what a correction changes."""
    said = repr((article.title, [(s.title, s.paragraphs) for s in article.sections]))
    return hashlib.sha256(said.encode("utf-8")).hexdigest()


def _day(moment: dt.datetime | None, today: dt.date) -> dt.date | None:
    """The item's date as the publisher's day (India); a future one is ``today``."""
    if moment is None:
        return None
    return min(moment.astimezone(IST).date(), today)


def _page_title(data: bytes) -> bool:
    """Whether the page names its title (``<h1>``, ``og:title`` or ``<title>``)."""
    try:
        root = lxml.html.document_fromstring(data[:_HEAD_BYTES] or b"<html/>")
    except (lxml.etree.LxmlError, ValueError):
        return False
    return bool(root.xpath("//h1[normalize-space()] | //meta[@property='og:title']/@content"
                           " | //title[normalize-space()]"))


def canonical_link(data: bytes, base: str) -> str | None:
    """The page's ``<link rel="canonical">``, absolute and canonical, or None."""
    try:
        root = lxml.html.document_fromstring(data[:_HEAD_BYTES] or b"<html/>")
    except (lxml.etree.LxmlError, ValueError):
        return None
    found: list[Any] = root.xpath("//link[translate(@rel, 'CANONICAL', 'canonical') = "
                                  "'canonical']/@href")
    if not found:
        return None
    href = urljoin(base, str(found[0]).strip())
    return canonical_url(href) if href.lower().startswith(("http://", "https://")) else None


@dataclass
class ItemReader:
    """Articles for the sources it knows; None for the rest (see the module docstring).

    ``items`` maps a canonical URL to what its sources say of it; ``pages`` holds pages
    already fetched (a URL given on the command line was fetched once to see whether it
    is a feed); ``errors`` the fetches that failed, raised when the article is read.
    ``known`` tells whether a canonical URL is another listed article."""

    client: PoliteClient | None
    items: Mapping[str, Item]
    pages: dict[str, Loaded] = dataclasses.field(default_factory=dict)
    errors: Mapping[str, ArticleError] = dataclasses.field(default_factory=dict)
    known: Callable[[str], bool] | None = None
    today: Callable[[], dt.date] = lambda: dt.datetime.now(IST).date()
    #: Content hashes of the articles read, by URL (the watcher records them).
    hashes: dict[str, str] = dataclasses.field(default_factory=dict)
    #: URLs read from their source's content, without fetching a page.
    from_content: set[str] = dataclasses.field(default_factory=set)

    def __call__(self, source: str) -> Article | None:
        if source in self.errors:
            raise self.errors[source]
        page = self.pages.pop(source, None)  # read once: its bytes go
        if page is not None:
            return parse_article(page.data, source=page.source,
                                 content_type=page.content_type)
        item = self.items.get(source)
        if item is None:
            return None
        if is_whole(item.content):
            article = self._from_content(item)
            self.from_content.add(source)
        else:
            article = self._from_page(item, source)
        article = self._fill(article, item)
        self.hashes[source] = content_hash(article)
        return article

    def _from_content(self, item: Item) -> Article:
        title = html.escape(item.title or "")
        heading = f"<h1>{title}</h1>" if title else ""
        page = (f"<!DOCTYPE html><html lang=\"hi\"><head><meta charset=\"utf-8\">"
                f"<title>{title}</title></head><body><article>{heading}{item.content}"
                "</article></body></html>")
        return parse_article(page.encode("utf-8"), source=item.url, fmt="html")

    def _from_page(self, item: Item, source: str) -> Article:
        if self.client is None:
            raise ArticleError(source, "cannot fetch its page here")
        try:
            fetched = self.client.get(item.link, accept="text/html,application/xhtml+xml")
        except FetchError as e:
            raise FetchError(source, e.reason, status=e.status,
                             transient=e.transient) from e
        canonical = canonical_link(fetched.body, fetched.final_url)
        if (canonical and canonical != source and same_site(canonical, source)
                and self.known is not None and self.known(canonical)):
            raise DuplicateArticle(source, canonical)
        article = parse_article(fetched.body, source=source,
                                content_type=fetched.content_type)
        if item.title and not _page_title(fetched.body):
            article = dataclasses.replace(article, title=" ".join(item.title.split()))
        return article

    def _fill(self, article: Article, item: Item) -> Article:
        """The item's date and author where the article has none; never a future date."""
        today = self.today()
        date = article.date
        date = min(date, today) if date is not None else _day(item.date, today)
        return dataclasses.replace(article, date=date, author=article.author or item.author)
