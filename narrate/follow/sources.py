"""What a site publishes: its feeds (RSS 2.0, Atom, JSON Feed) and sitemaps, as items.

:func:`detect` tells from the bytes (and the Content-Type) whether a document is a feed or
a sitemap at all; :func:`parse_source` reads it into a :class:`Listing` of :class:`Item`.
Pure: bytes in, data out, no network.

- RSS and Atom are read by ``feedparser``, the well-kept parser for every feed dialect
  (``content:encoded``, Atom ``content``, ``dc:creator``, categories, dates in any of the
  formats sites really write). Its input is wrapped in a stream (a string would be taken
  for a file name or a URL), and it never resolves external entities.
- JSON Feed (1.0 and 1.1) is JSON: read with :mod:`json` (feedparser 6 does not know it).
- Sitemaps (``urlset``, Google News ``news:news``) and sitemap indexes are read with lxml,
  with a parser that resolves no entity, loads no DTD and touches no network; a gzipped
  sitemap is inflated with the same size cap as any body.

A document that is not well formed (truncated, a stray ``&``) is still read for what it
holds, but the listing says so (``well_formed`` False): its content is never taken as a
whole article, and an item missing from it is not taken as removed. A cut-off document
(its root element never closed) also loses its last item, which may be cut short.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
import html
import io
import json
import re
import time
import zlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Literal
from urllib.parse import urljoin

from lxml import etree

from narrate.errors import ArticleError
from narrate.follow.canonical import canonical_url
from narrate.publish.index import IST

Kind = Literal["rss", "atom", "jsonfeed", "sitemap", "sitemapindex"]

#: Largest inflated sitemap (the sitemaps protocol allows 50 MB uncompressed).
MAX_SITEMAP_BYTES = 50 * 1024 * 1024
JSON_FEED_VERSION = "https://jsonfeed.org/version/"
#: The root element that makes each kind, after any declaration, comment or doctype.
_ROOT = re.compile(
    rb"\A(?:\s|<\?[^>]*\?>|<!--.*?-->|<!DOCTYPE[^>[]*(?:\[.*?\])?\s*>)*"
    rb"<(?:[A-Za-z_][\w.-]*:)?(?P<name>rss|feed|RDF|urlset|sitemapindex)[\s>/]",
    re.DOTALL,
)
_KINDS: Mapping[bytes, Kind] = {
    b"rss": "rss", b"RDF": "rss", b"feed": "atom",
    b"urlset": "sitemap", b"sitemapindex": "sitemapindex",
}
_TAG = re.compile(r"<[^>]*>")
#: How a whole XML source ends: its root element closed.
_CLOSED = re.compile(rb"</(?:[A-Za-z_][\w.-]*:)?(?:rss|feed|RDF|urlset|sitemapindex)>\s*\Z")


class SourceError(ArticleError):
    """A feed or sitemap that cannot be read at all."""


@dataclass(frozen=True)
class Item:
    """One article a source lists. ``link`` is the address as given (the one fetched);
    ``url`` its canonical form (the episode's key). ``content`` is the HTML or text the
    source carries of the article itself (``content:encoded``, Atom ``content``, JSON
    Feed ``content_html``): maybe the whole article, maybe a teaser."""

    link: str
    url: str
    title: str | None = None
    published: dt.datetime | None = None
    updated: dt.datetime | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    content: str | None = None
    summary: str | None = None

    @property
    def date(self) -> dt.datetime | None:
        """When the source says the article appeared (else when it last changed)."""
        return self.published or self.updated

    def digest(self) -> str:
        """What the source says of the article's text, as a hash: a new one means the
        article may have changed (a correction). Categories and the spelling of the link
        are left out: they are not the article's words."""
        said = [self.title, _iso(self.published), _iso(self.updated), self.content,
                self.summary]
        return hashlib.sha256(json.dumps(said, ensure_ascii=False).encode()).hexdigest()

    def to_json(self) -> dict[str, Any]:
        return {"link": self.link, "url": self.url, "title": self.title,
                "published": _iso(self.published), "updated": _iso(self.updated),
                "author": self.author, "categories": list(self.categories),
                "content": self.content, "summary": self.summary}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> Item:
        return cls(
            link=str(data["link"]), url=str(data["url"]), title=data.get("title"),
            published=_parse_iso(data.get("published")),
            updated=_parse_iso(data.get("updated")), author=data.get("author"),
            categories=tuple(data.get("categories") or ()), content=data.get("content"),
            summary=data.get("summary"),
        )


@dataclass(frozen=True)
class Child:
    """A sitemap an index names."""

    url: str
    lastmod: dt.datetime | None = None


@dataclass(frozen=True)
class Listing:
    """A source as read: its items (or, for a sitemap index, the sitemaps it names)."""

    kind: Kind
    items: tuple[Item, ...] = ()
    children: tuple[Child, ...] = ()
    title: str | None = None
    well_formed: bool = True
    problem: str | None = None


def _iso(moment: dt.datetime | None) -> str | None:
    return None if moment is None else moment.isoformat()


def _parse_iso(value: object) -> dt.datetime | None:
    return w3c_datetime(value) if isinstance(value, str) else None


def w3c_datetime(value: str | None) -> dt.datetime | None:
    """A sitemap or JSON Feed date (W3C/ISO 8601: ``2025-08-14``, ``…T10:30:00+05:30``,
    ``…Z``) as an aware datetime; a bare date is midnight in India; None when unreadable."""
    if not value or not value.strip():
        return None
    text = value.strip()
    try:
        if len(text) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text), dt.time(), tzinfo=IST)
        moment = dt.datetime.fromisoformat(text.replace("z", "Z"))
    except ValueError:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _clean(text: object) -> str | None:
    """Text without tags, entities or runs of whitespace; None when nothing is left."""
    if not isinstance(text, str):
        return None
    plain = " ".join(html.unescape(_TAG.sub(" ", text)).split())
    return plain or None


# -- detection -----------------------------------------------------------------------------


def _inflate(data: bytes, url: str, limit: int) -> bytes:
    """A gzipped body inflated, at most ``limit`` bytes (more is refused, never made)."""
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, limit + 1)
    except zlib.error as e:
        raise SourceError(url, f"not valid gzip ({e})") from e
    if len(out) > limit:
        raise SourceError(url, f"inflates to more than {limit:,} bytes")
    return out


def _body(data: bytes, url: str) -> bytes:
    if data[:2] == b"\x1f\x8b":
        return _inflate(data, url, MAX_SITEMAP_BYTES)
    return data.removeprefix(b"\xef\xbb\xbf")


def detect(data: bytes, content_type: str | None = None) -> Kind | None:
    """The kind of source ``data`` is, or None for anything else (an article's page)."""
    try:
        body = _body(data, "")
    except SourceError:
        return None
    head = body[:4096].lstrip()
    if head.startswith(b"{"):
        kind: Kind | None = "jsonfeed" if JSON_FEED_VERSION.encode() in head else None
        return kind
    found = _ROOT.match(head)
    if found is not None:
        return _KINDS[found.group("name")]
    if head.startswith(b"<") and content_type and any(
        t in content_type.lower() for t in ("rss", "atom")
    ):
        return "rss"  # declared a feed; feedparser says what it really is
    return None


# -- parsing -------------------------------------------------------------------------------


def parse_source(data: bytes, url: str, content_type: str | None = None) -> Listing:
    """Read the feed or sitemap ``data`` fetched from ``url`` (relative links resolve
    against it). A document of no known kind is a :class:`SourceError`."""
    kind = detect(data, content_type)
    if kind is None:
        raise SourceError(url, "not a feed or sitemap (RSS, Atom, JSON Feed, XML sitemap)")
    body = _body(data, url)
    if kind == "jsonfeed":
        return _json_feed(body, url)
    cut = _CLOSED.search(body[-1024:]) is None  # cut off: its last item may be cut too
    listing = _sitemap(body, url, cut) if kind in ("sitemap", "sitemapindex") else _feed(
        body, url, content_type, cut)
    if cut:
        return dataclasses.replace(listing, well_formed=False,
                                   problem=listing.problem or "the document is cut off")
    return listing


def _struct_time(value: object) -> dt.datetime | None:
    if not isinstance(value, time.struct_time):
        return None
    try:
        return dt.datetime(*value[:6], tzinfo=dt.UTC)
    except (ValueError, OverflowError):
        return None


def _entry_content(entry: Mapping[str, Any]) -> str | None:
    """The entry's own content (not its summary): HTML first, then any."""
    contents = [c for c in entry.get("content") or () if c.get("value")]
    contents.sort(key=lambda c: "html" not in str(c.get("type", "")))
    return str(contents[0]["value"]) if contents else None


def _entry_author(entry: Mapping[str, Any]) -> str | None:
    detail = entry.get("author_detail") or {}
    return _clean(detail.get("name")) or _clean(entry.get("author"))


def _categories(tags: Iterable[Mapping[str, Any]]) -> tuple[str, ...]:
    found: list[str] = []
    for tag in tags:
        name = _clean(tag.get("label")) or _clean(tag.get("term"))
        if name and name not in found:
            found.append(name)
    return tuple(found)


def _item(link: object, **fields: Any) -> Item | None:
    if not isinstance(link, str) or not link.strip():
        return None
    link = link.strip()
    if not link.lower().startswith(("http://", "https://")):
        return None
    return Item(link=link, url=canonical_url(link), **fields)


def _feed(body: bytes, url: str, content_type: str | None, cut: bool) -> Listing:
    import feedparser  # the feed dialects; imported when a feed is met

    parsed = feedparser.parse(
        io.BytesIO(body),
        response_headers={"content-location": url,
                          "content-type": content_type or "application/xml"},
    )
    version = str(parsed.get("version") or "")
    problem = str(parsed.get("bozo_exception")) if parsed.get("bozo") else None
    if not version and not parsed.entries:
        raise SourceError(url, f"not a readable feed ({problem or 'no feed found'})")
    items = []
    for entry in parsed.entries[:-1] if cut else parsed.entries:
        item = _item(
            entry.get("link"),
            title=_clean(entry.get("title")),
            published=_struct_time(entry.get("published_parsed")),
            # only the entry's own (feedparser would hand its publication date instead)
            updated=_struct_time(entry.get("updated_parsed")
                                 if "updated_parsed" in entry else None),
            author=_entry_author(entry),
            categories=_categories(entry.get("tags") or ()),
            content=_entry_content(entry),
            summary=entry.get("summary") or None,
        )
        if item is not None:
            items.append(item)
    kind: Kind = "atom" if version.startswith("atom") else "rss"
    return Listing(kind, tuple(items), title=_clean(parsed.feed.get("title")),
                   well_formed=problem is None, problem=problem)


def _json_feed(body: bytes, url: str) -> Listing:
    try:
        data = json.loads(body.decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as e:
        raise SourceError(url, f"not valid JSON Feed ({e})") from e
    if not isinstance(data, dict) or not str(data.get("version", "")).startswith(
            JSON_FEED_VERSION):
        raise SourceError(url, "not a JSON Feed (no https://jsonfeed.org/version/ field)")
    raw_items = data.get("items")
    items = []
    default_authors = _json_authors(data)
    for raw in raw_items if isinstance(raw_items, list) else ():
        if not isinstance(raw, dict):
            continue
        link = raw.get("url") or raw.get("external_url")
        if isinstance(link, str):
            link = urljoin(url, link)
        tags = raw.get("tags")
        tags = tags if isinstance(tags, list) else []
        item = _item(
            link,
            title=_clean(raw.get("title")),
            published=_parse_iso(raw.get("date_published")),
            updated=_parse_iso(raw.get("date_modified")),
            author=_json_authors(raw) or default_authors,
            categories=tuple(dict.fromkeys(t for t in (_clean(t) for t in tags) if t)),
            content=raw.get("content_html") or raw.get("content_text") or None,
            summary=raw.get("summary") if isinstance(raw.get("summary"), str) else None,
        )
        if item is not None:
            items.append(item)
    return Listing("jsonfeed", tuple(items), title=_clean(data.get("title")),
                   well_formed=isinstance(raw_items, list))


def _json_authors(data: Mapping[str, Any]) -> str | None:
    """JSON Feed 1.1 ``authors`` (or 1.0 ``author``): their names, joined."""
    authors = data.get("authors")
    if not isinstance(authors, list):
        authors = [data["author"]] if isinstance(data.get("author"), dict) else []
    names = [_clean(a.get("name")) for a in authors if isinstance(a, dict)]
    return ", ".join(n for n in names if n) or None


#: Sitemaps are read with no entity resolved, no DTD loaded and no network touched.
_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False,
         "dtd_validation": False, "huge_tree": False, "remove_comments": True,
         "remove_pis": True}


def _local(element: Any) -> str:
    tag = element.tag
    return etree.QName(tag).localname if isinstance(tag, str) else ""


def _child_text(element: Any, *path: str) -> str | None:
    """The text of the first descendant along ``path`` (local names, any namespace)."""
    current = element
    for name in path:
        current = next((c for c in current if _local(c) == name), None)
        if current is None:
            return None
    text = current.text
    return text.strip() if isinstance(text, str) and text.strip() else None


def _sitemap(body: bytes, url: str, cut: bool) -> Listing:
    problem = None
    try:
        root = etree.fromstring(body, etree.XMLParser(**_SAFE))
    except etree.XMLSyntaxError as e:
        problem = str(e)
        root = etree.fromstring(body, etree.XMLParser(recover=True, **_SAFE))
        if root is None:
            raise SourceError(url, f"not a readable sitemap ({problem})") from e
    elements = list(root)[:-1] if cut else list(root)
    if _local(root) == "sitemapindex":
        children = []
        for element in elements:
            loc = _child_text(element, "loc") if _local(element) == "sitemap" else None
            if loc and loc.lower().startswith(("http://", "https://")):
                children.append(Child(loc, w3c_datetime(_child_text(element, "lastmod"))))
        return Listing("sitemapindex", children=tuple(children), well_formed=problem is None,
                       problem=problem)
    items = []
    for element in elements:
        if _local(element) != "url":
            continue
        title = _child_text(element, "news", "title")
        published = w3c_datetime(_child_text(element, "news", "publication_date"))
        item = _item(_child_text(element, "loc"), title=_clean(title), published=published,
                     updated=w3c_datetime(_child_text(element, "lastmod")))
        if item is not None:
            items.append(item)
    return Listing("sitemap", tuple(items), well_formed=problem is None, problem=problem)
