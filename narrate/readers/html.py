"""HTML news pages: the article only, never the page around it.

The steps, each a small function below:

1. metadata from the whole page: title from ``<h1>`` (else ``og:title``, else ``<title>``),
   date from the published-time meta, ``<time datetime>`` or JSON-LD, author from meta;
2. :mod:`~narrate.readers.htmlclean` removes what is never the article: scripts, navigation,
   headers and footers, asides, figures and captions, forms, ads, share bars, cookie
   banners, "यह भी पढ़ें" boxes, bylines and tags (by tag, ARIA role, class/id words and
   box labels);
3. trafilatura extracts the main text from the cleaned page, keeping ``<h2>``-``<h6>`` as
   headings; :func:`_trust_library` checks that it kept every heading and most of the text,
   else careful lxml rules (:func:`fallback_blocks`) read the article container in order;
4. paragraphs that are still chrome ("यह भी पढ़ें: …", "विज्ञापन") are dropped, and a short
   paragraph made only of bold text (``<p><strong>उपशीर्षक</strong></p>``, a common way to
   write sub-headings) is a heading.
"""

from __future__ import annotations

import bisect
import datetime as dt
import json
import logging
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from typing import Any

import lxml.etree
import lxml.html
import trafilatura

from narrate.errors import ArticleError
from narrate.model import Article, Link, Table, TablePart
from narrate.readers import jsonld
from narrate.readers.assemble import (
    DEVANAGARI_LETTER,
    Draft,
    build_article,
    clean,
    ends_sentence,
    parse_date,
    text_date,
)
from narrate.readers.htmlclean import (
    DROP_TAGS,
    HTML_BLOCKS,
    clean_page,
    is_chrome_text,
    letters,
    text_of,
    text_outside_navigation,
)
from narrate.readers.tables import read_table
from narrate.readers.text import is_heading_line

log = logging.getLogger(__name__)

# --- reading order ---------------------------------------------------------------------

HTML_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
HTML_BOLD = frozenset({"b", "strong"})
#: trafilatura's XML: ``head`` is a heading, ``lb`` a line break, ``hi rend="#b"`` bold.
XML_BLOCKS = frozenset({"doc", "main", "p", "list", "item", "quote", "head", "div", "row", "cell"})
XML_SKIP = frozenset({"comments", "graphic", "table", "code", "figure"})
#: What the lxml rules never read. A ``<table>`` that is still in the cleaned page holds
#: most of its text (:func:`~narrate.readers.htmlclean.clean_page` keeps it): an old
#: portal's layout table around the story, which is read like a ``<div>``.
LAYOUT_SKIP = DROP_TAGS - {"table"}
#: Where the article usually is, most specific first.
CONTAINERS = (
    "//*[@itemprop='articleBody']",
    "//article",
    "//main",
    "//*[@role='main']",
    "//body",
)
#: Where the title's ``<h1>`` is, most likely first.
TITLE_PATHS = (
    "//article//h1",
    "//main//h1",
    "//h1[not(ancestor::header or ancestor::nav or ancestor::footer)]",
    "//h1",
)
#: trafilatura is trusted only if it kept at least this share of the fallback's letters.
MIN_LIBRARY_SHARE = 0.5


@dataclass(frozen=True)
class Block:
    """A heading or a paragraph of the article, in reading order."""

    text: str
    heading: bool = False
    links: tuple[Link, ...] = ()
    table: TablePart | None = None


def parse(text: str, source: str) -> Article:
    """Read an HTML page: the article's title, date, author and text."""
    root = parse_html(text, source)
    if not letters(text_outside_navigation(root)) and not article_body_blocks(root):
        raise ArticleError(source, missing_article([]) or "no article text found")
    title = find_title(root)
    date = find_date(root)
    author = find_author(root)
    tables = read_tables(root)
    time_headings(root)
    cleaned = clean_page(root)
    fallback = tidy_blocks(fallback_blocks(cleaned))
    library = extract_with_trafilatura(cleaned)
    blocks = (
        library if library is not None and _trust_library(library, fallback, title) else fallback
    )
    log.debug("html: using %s", "trafilatura" if blocks is library else "the lxml rules")
    ld_body = article_body_blocks(root)
    if _devanagari_letters(ld_body) > LD_BODY_GAIN * _devanagari_letters(blocks):
        log.debug("html: using the JSON-LD articleBody (the page shows only part of it)")
        blocks = ld_body
    missing = missing_article(blocks)
    if missing is not None:
        raise ArticleError(source, missing)
    blocks = with_tables(with_links(blocks, cleaned), tables)
    return build_article(
        source=source,
        title=title,
        drafts=drafts_from(blocks, title),
        date=date,
        author=author,
    )


def parse_html(text: str, source: str) -> lxml.html.HtmlElement:
    """An lxml tree of the page; lxml is given UTF-8 bytes so an XML declaration is fine."""
    parser = lxml.html.HTMLParser(encoding="utf-8", remove_comments=True, remove_pis=True)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8", "surrogatepass"), parser)
    except (lxml.etree.LxmlError, ValueError) as e:
        raise ArticleError(source, f"not a readable HTML page ({e})") from e
    if not isinstance(root, lxml.html.HtmlElement):
        raise ArticleError(source, "not a readable HTML page")
    if any(e.type_name == "ERR_RESOURCE_LIMIT" for e in parser.error_log):
        # libxml2 stops at 256 levels and drops the rest: say so rather than read half a page
        raise ArticleError(source, "HTML nested too deeply to read (over 256 levels)")
    return root


# --- metadata -----------------------------------------------------------------------------


def _first(root: lxml.html.HtmlElement, paths: Iterable[str]) -> str | None:
    """The first non-empty text any of ``paths`` finds."""
    for path in paths:
        for found in root.xpath(path):
            text = text_of(found)
            if text:
                return text
    return None


def find_title(root: lxml.html.HtmlElement) -> str | None:
    """``<h1>`` of the article, else the page's first ``<h1>``, ``og:title`` or ``<title>``.

    An ``<h1>`` in the page's header or navigation is the site's logo, so it comes last.
    Of ``<title>`` only the part before " | " is kept: the rest is the site's name.
    """
    heading = _first(root, TITLE_PATHS)
    if heading:
        return heading
    meta = _first(root, ("//meta[@property='og:title']/@content",))
    if meta:
        return meta
    page = _first(root, ("//title",))
    return _without_site_name(page) if page else None


#: What separates a page title from the site's name: "खबर | साइट", "खबर - साइट".
SITE_SEPARATORS = (" | ", " - ", " – ", " — ")
#: The site's name after the last separator is at most this many words.
SITE_NAME_WORDS = 4


def _without_site_name(page_title: str) -> str:
    """A ``<title>`` without the site's name after it: "पेज का शीर्षक | साइट का नाम" and
    "गेहूं की खरीद शुरू - कृषि पोर्टल" are the pages "पेज का शीर्षक" and "गेहूं की खरीद शुरू"."""
    title = page_title.split(" | ")[0].strip()
    for separator in SITE_SEPARATORS[1:]:
        head, found, tail = title.rpartition(separator)
        if found and head.strip() and len(tail.split()) <= SITE_NAME_WORDS:
            return head.strip()
    return title


def find_date(root: lxml.html.HtmlElement) -> dt.date | None:
    """Published date: the published-time meta, then ``<time datetime>``, then JSON-LD,
    then the text of a byline or dateline element."""
    for path in (
        "//meta[@property='article:published_time']/@content",
        "//meta[@name='article:published_time']/@content",
        "//meta[@itemprop='datePublished']/@content",
        "//*[@itemprop='datePublished']/@datetime",
        "//article//time/@datetime",
        "//main//time/@datetime",
        "//time/@datetime",
    ):
        for value in root.xpath(path):
            date = parse_date(str(value))
            if date is not None:
                return date
    for data in _json_ld(root):
        date = parse_date(jsonld.find(data, "datePublished"))
        if date is not None:
            return date
    return _byline_date(root)


#: Class or id of an element that holds the article's byline or publication date.
_DATE_HOLDER = re.compile(r"byline|dateline|publish|posted|post-?date|article-?date|timestamp",
                          re.IGNORECASE)
#: ... and of one that holds another date (an update, a related story).
_OTHER_DATE = re.compile(r"update|modif|related|comment", re.IGNORECASE)
#: The longest byline read for a date: a byline is a line, not a paragraph.
BYLINE_MAX_CHARS = 200


def _byline_date(root: lxml.html.HtmlElement) -> dt.date | None:
    """The date a byline or dateline element writes as text ("नई दिल्ली | 2 दिसंबर 2026"),
    when no metadata gives one: the first such element in the article (else the page)."""
    scope = root.xpath("//article") or root.xpath("//main") or [root]
    for element in scope[0].iter():
        if not isinstance(element.tag, str):
            continue
        names = f"{element.get('class') or ''} {element.get('id') or ''}"
        if not _DATE_HOLDER.search(names) or _OTHER_DATE.search(names):
            continue
        text = element.text_content()
        if len(text) <= BYLINE_MAX_CHARS:
            date = text_date(text)
            if date is not None:
                return date
    return None


def find_author(root: lxml.html.HtmlElement) -> str | None:
    """Author from ``<meta name="author">``, then JSON-LD, then a ``rel="author"`` link."""
    meta = _first(root, ("//meta[@name='author']/@content",))
    if meta:
        return meta
    for data in _json_ld(root):
        names = jsonld.author_names(jsonld.find(data, "author"))
        if names:
            return names
    return _first(root, ("//a[@rel='author']",))


def _json_ld(root: lxml.html.HtmlElement) -> Iterator[Any]:
    """Parsed JSON-LD blocks; broken ones are skipped (metadata is optional)."""
    for script in root.xpath("//script[@type='application/ld+json']"):
        try:
            yield json.loads(script.text or "")
        except (ValueError, RecursionError):
            continue


# --- tables and live-blog times ----------------------------------------------------------

#: Elements inside a cell that make a table a page's layout, not a table of figures.
LAYOUT_CELL_CONTENT = ("p", "div", "table", "ul", "ol", "h1", "h2", "h3", "h4", "h5", "h6")
#: A table whose cells hold more than this many characters on average is layout.
DATA_CELL_MAX_CHARS = 80


def _cells(row: Any) -> list[Any]:
    return [c for c in row if _local(c) in ("td", "th")]


def _is_data_table(table: Any, rows: list[Any]) -> bool:
    """A table of figures (a header, a caption, or a grid of short cells), not an old
    portal's layout table around the story."""
    if table.xpath(".//td//" + " | .//td//".join(LAYOUT_CELL_CONTENT)):
        return False
    cells = [c for row in rows for c in _cells(row)]
    if not cells:
        return False
    if sum(len(text_of(c)) for c in cells) / len(cells) > DATA_CELL_MAX_CHARS:
        return False
    has_header = bool(table.xpath(".//th")) or table.find("caption") is not None
    return has_header or (len(rows) >= 2 and all(len(_cells(r)) >= 2 for r in rows))


def _table_of(table: Any) -> Table | None:
    rows = [r for r in table.iter("tr") if r.xpath("ancestor::table[1]")[0] is table]
    if not _is_data_table(table, rows):
        return None
    caption_element = table.find("caption")
    caption = text_of(caption_element) if caption_element is not None else ""
    parent = table.getparent()
    if not caption and parent is not None and _local(parent) == "figure":
        figcaption = parent.find("figcaption")
        caption = text_of(figcaption) if figcaption is not None else ""
    header: tuple[str, ...] = ()
    body: list[tuple[str, ...]] = []
    for row in rows:
        cells = _cells(row)
        in_head = row.xpath("ancestor::thead") != []
        if not header and not body and (in_head or all(_local(c) == "th" for c in cells)):
            header = tuple(text_of(c) for c in cells)
        else:
            body.append(tuple(text_of(c) for c in cells))
    return Table(caption, header, tuple(body))


#: A table's spoken paragraphs, each with the part of the table it reads.
ReadTable = list[tuple[str, TablePart]]


def read_tables(root: lxml.html.HtmlElement) -> list[ReadTable]:
    """Replace each table of figures by the paragraphs it is read as
    (:func:`~narrate.readers.tables.read_table`): caption, then row by row, or one
    sentence saying a table too large to read aloud was left out. Never silently dropped:
    the cleaning rules would remove a ``<table>`` (or the ``<figure>`` around it).
    Returns the tables read, in the page's order, for :func:`with_tables`."""
    found_tables: list[ReadTable] = []
    for table in list(root.iter("table")):
        if table.getparent() is None or table.xpath("ancestor::table"):
            continue
        found = _table_of(table)
        if found is None:
            continue
        read = read_table(found)
        if read:
            found_tables.append(read)
        paragraphs = [paragraph for paragraph, _ in read]
        target = table
        parent = table.getparent()
        if parent is not None and _local(parent) == "figure":
            target = parent
        replacement = lxml.html.Element("div")
        for paragraph in paragraphs:
            p = lxml.html.Element("p")
            p.text = paragraph
            replacement.append(p)
        replacement.tail = target.tail
        target.getparent().replace(target, replacement)
    return found_tables


def with_tables(blocks: list[Block], tables: list[ReadTable]) -> list[Block]:
    """``blocks`` with the table part each table's paragraph reads, so the transcript can
    show the table: each paragraph of each table (in the page's order) is given to the
    first paragraph block after the previous one's that has its text. A paragraph the
    extraction lost (a JSON-LD body, say) is simply not marked."""
    where: dict[str, list[int]] = {}
    for i, block in enumerate(blocks):
        if not block.heading:
            where.setdefault(block.text, []).append(i)
    parts: dict[int, TablePart] = {}
    at = 0
    for read in tables:
        for paragraph, part in read:
            places = where.get(paragraph, [])
            k = bisect.bisect_left(places, at)
            if k < len(places):
                parts[places[k]] = part
                at = places[k] + 1
    return [replace(b, table=parts[i]) if i in parts else b for i, b in enumerate(blocks)]


#: Separates a live-blog update's time from its heading in the chapter title.
TIME_JOINER = " — "


def _time_before(heading: Any) -> tuple[Any, str] | None:
    """The element holding only a ``<time>`` right before ``heading``, and its text."""
    previous = heading.getprevious()
    if previous is None or (previous.tail or "").strip():
        return None
    times = [previous] if _local(previous) == "time" else previous.xpath(".//time")
    if len(times) != 1 or clean(text_of(previous)) != clean(text_of(times[0])):
        return None
    said = clean(text_of(times[0]))
    if not any(ch.isdigit() for ch in said):
        match = re.search(r"T(\d{2}:\d{2})", times[0].get("datetime") or "")
        said = match.group(1) if match else ""
    return (previous, said) if said else None


def time_headings(root: lxml.html.HtmlElement) -> None:
    """A live blog's update times open their own chapters: a ``<time>`` right before a
    heading (alone in its element) becomes the start of that heading ("12:40 PM — आयकर की
    नई दरें घोषित"), however many updates the page has; otherwise the cleaning rules drop it
    (a timestamp) or it is read at the end of the previous update."""
    for heading in list(root.iter("h2", "h3", "h4", "h5", "h6")):
        found = _time_before(heading)
        if found is None:
            continue
        element, said = found
        heading.text = f"{said}{TIME_JOINER}{heading.text or ''}"
        element.drop_tree()


# --- reading the text in order --------------------------------------------------------


class _Reader:
    """Turns an element tree into :class:`Block` s in reading order.

    Block elements start and end a paragraph; headings become heading blocks; a line break
    ends a paragraph when the text before it ends a sentence or another break follows
    (``<br><br>`` between paragraphs of a div-based page), else it is a space. A paragraph
    made only of bold text that looks like a heading is a heading: many Hindi sites write
    sub-headings as ``<p><strong>…</strong></p>`` or ``<b>…</b><br><br>``.
    """

    def __init__(
        self,
        *,
        blocks: frozenset[str],
        is_heading: Callable[[Any], bool],
        is_bold: Callable[[Any], bool],
        skip: frozenset[str],
        line_break: str,
    ) -> None:
        self.block_tags = blocks
        self.is_heading = is_heading
        self.is_bold = is_bold
        self.skip = skip
        self.line_break = line_break
        self.out: list[Block] = []
        self.buffer: list[str] = []
        self.bold: list[str] = []  # text of bold elements since the last flush
        self.in_bold = False

    def read(self, element: Any) -> list[Block]:
        """The blocks of ``element`` and everything in it."""
        self._walk(element)
        self._flush()
        return self.out

    def _flush(self) -> None:
        """End the paragraph being collected; a short all-bold one is a sub-heading."""
        text = clean("".join(self.buffer))
        bold = clean("".join(self.bold))
        self.buffer.clear()
        self.bold.clear()
        if not text:
            return
        all_bold = bold.replace(" ", "") == text.replace(" ", "")
        self.out.append(Block(text, heading=all_bold and is_heading_line(text)))

    def _walk(self, element: Any) -> None:
        tag = _local(element)
        if tag in self.skip or not tag:
            return
        if self.is_heading(element):
            self._flush()
            text = text_of(element)
            if text:
                self.out.append(Block(text, heading=True))
            return
        if tag == self.line_break:
            if ends_sentence(clean("".join(self.buffer))) or _break_follows(element):
                self._flush()
            else:
                self.buffer.append(" ")
            return
        block = tag in self.block_tags
        if block:
            self._flush()
        outer_bold = self.is_bold(element) and not self.in_bold
        if outer_bold:
            self.bold.append(text_of(element))
            self.in_bold = True
        self.buffer.append(element.text or "")
        for child in element:
            self._walk(child)
            self.buffer.append(child.tail or "")
        if outer_bold:
            self.in_bold = False
        if block:
            self._flush()


def _break_follows(element: Any) -> bool:
    """True if another line break follows with no text between: ``<br><br>``."""
    return not (element.tail or "").strip() and _local(element.getnext()) == _local(element)


def _local(element: Any) -> str:
    """Lower-case tag name; '' for comments, processing instructions and None."""
    if element is None or not isinstance(element.tag, str):
        return ""
    return str(element.tag).rsplit("}", 1)[-1].lower()  # no QName: HTML allows odd tag names


def fallback_blocks(page: lxml.html.HtmlElement) -> list[Block]:
    """The hand-written rules: read the article's container of the cleaned page in order."""
    return _Reader(
        blocks=HTML_BLOCKS,
        is_heading=lambda e: _local(e) in HTML_HEADINGS,
        is_bold=lambda e: _local(e) in HTML_BOLD,
        skip=LAYOUT_SKIP,
        line_break="br",
    ).read(find_container(page))


def find_container(page: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The element that holds the story: the ``<article>`` with the ``<h1>`` or the most
    text, else ``<main>``, else the body."""
    for path in CONTAINERS:
        found = [e for e in page.xpath(path) if isinstance(e, lxml.html.HtmlElement)]
        if found:
            with_title = [e for e in found if e.xpath(".//h1")]
            return max(with_title or found, key=lambda e: letters(text_of(e)))
    return page


def extract_with_trafilatura(page: lxml.html.HtmlElement) -> list[Block] | None:
    """trafilatura's main text as blocks, or None if it found nothing or failed.

    A failure inside the library is not the user's problem while the lxml rules can still
    read the page, so any exception is logged and the rules take over.
    """
    html = lxml.html.tostring(page, encoding="unicode")
    try:
        xml = trafilatura.extract(
            html,
            output_format="xml",
            include_comments=False,
            include_tables=False,
            include_images=False,
            include_links=False,
            include_formatting=True,
            deduplicate=False,
        )
    except Exception as e:  # a third-party bug must not stop the fallback
        log.debug("trafilatura failed: %r", e)
        return None
    if not xml:
        return None
    try:
        doc = lxml.etree.fromstring(xml)
    except lxml.etree.LxmlError as e:
        log.debug("trafilatura returned unreadable XML: %r", e)
        return None
    main = doc.find("main")
    if main is None:
        return None
    blocks = _Reader(
        blocks=XML_BLOCKS,
        is_heading=lambda e: _local(e) == "head",
        is_bold=lambda e: _local(e) == "hi" and "#b" in (e.get("rend") or ""),
        skip=XML_SKIP,
        line_break="lb",
    ).read(main)
    return tidy_blocks(blocks) or None


def tidy_blocks(blocks: list[Block]) -> list[Block]:
    """Drop "यह भी पढ़ें …" lines and lone "विज्ञापन" labels that survived extraction."""
    return [b for b in blocks if not is_chrome_text(b.text)]


def _devanagari_letters(blocks: Iterable[Block]) -> int:
    """How much Hindi text blocks hold: the measure for "kept most of the text"."""
    return sum(len(DEVANAGARI_LETTER.findall(b.text)) for b in blocks)


def _merged_into_text(heading: str, after: Block | None, paragraphs: list[str]) -> bool:
    """True if a heading was run into a paragraph: the paragraph is the heading, or starts
    with it, or holds it right before the start of the text that followed it."""
    follow = " ".join(after.text.split()[:3]) if after is not None else ""
    return any(
        p == heading or p.startswith(heading + " ") or (follow and f"{heading} {follow}" in p)
        for p in paragraphs
    )


def _lost_headings(library: list[Block], fallback: list[Block], title: str | None) -> list[str]:
    """Headings the rules found that trafilatura kept only as text, or dropped while keeping
    the paragraph under them: then its sections would be wrong. (Dropping the title heading
    is fine: the title comes from the page's metadata.)"""
    kept = {b.text for b in library if b.heading}
    paragraphs = [b.text for b in library if not b.heading]
    lost = []
    for i, block in enumerate(fallback):
        if not block.heading or block.text in kept:
            continue
        after = fallback[i + 1] if i + 1 < len(fallback) else None
        dropped = block.text != title and after is not None and not after.heading
        if _merged_into_text(block.text, after, paragraphs) or (
            dropped and after is not None and after.text in paragraphs
        ):
            lost.append(block.text)
    return lost


def _trust_library(library: list[Block], fallback: list[Block], title: str | None) -> bool:
    """Use trafilatura unless it lost headings or most of the text the rules found."""
    lost = _lost_headings(library, fallback, title)
    if lost:
        log.debug("trafilatura lost headings %s", lost)
        return False
    if _devanagari_letters(library) < MIN_LIBRARY_SHARE * _devanagari_letters(fallback):
        log.debug("trafilatura kept too little text")
        return False
    return True


# --- links ----------------------------------------------------------------------------


def with_links(blocks: list[Block], page: lxml.html.HtmlElement) -> list[Block]:
    """``blocks`` with the links of the cleaned page: each ``<a href>`` whose text is in a
    paragraph is given to the first such paragraph at or after the previous link's (the
    page's order). The text stays spoken; the address is never read aloud. Which
    addresses are kept (http, https, mailto) is decided in
    :func:`~narrate.readers.assemble.is_public_href`."""
    found: list[list[Link]] = [[] for _ in blocks]
    at = 0
    for anchor in page.iter("a"):
        text, href = clean(text_of(anchor)), (anchor.get("href") or "").strip()
        if not text or not href:
            continue
        where = next(
            (i for i in range(at, len(blocks)) if not blocks[i].heading and text in blocks[i].text),
            None,
        )
        if where is not None:
            found[where].append(Link(text, href))
            at = where
    return [replace(b, links=tuple(f)) if f else b for b, f in zip(blocks, found, strict=True)]


# --- is there an article at all? ------------------------------------------------------

#: The JSON-LD ``articleBody`` replaces the page's text when it holds this many times the
#: Hindi letters: the page shows a teaser (a paywall, "read more") of a longer story.
LD_BODY_GAIN = 1.5
#: Paragraph separator inside ``articleBody``: a line break.
#: Short paragraphs that are a notice instead of an article, by what they say, with what
#: the page then is and the probable cause for the one-line error.
NOTICES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (
        re.compile(
            r"सब्सक्राइब|सदस्यता ल|लॉग ?इन|लॉगिन|प्रीमियम लेख|subscribe|sign in|log ?in",
            re.IGNORECASE,
        ),
        "only a subscription or login notice",
        "the article is behind a paywall; save the page while logged in and pass the file",
    ),
    (
        re.compile(
            r"(?<![0-9])404(?![0-9])|पेज नहीं मिला|पृष्ठ नहीं मिला|मौजूद नहीं है|not found",
            re.IGNORECASE,
        ),
        "only a 'page not found' notice",
        "a wrong address, or the article was removed",
    ),
    (
        re.compile(r"जावास्क्रिप्ट|javascript", re.IGNORECASE),
        "only a notice to turn on JavaScript",
        "the site builds its pages in the browser; save the page from a browser and pass it",
    ),
)
#: A notice is short: a paragraph of more words is article text whatever it mentions.
NOTICE_MAX_WORDS = 30


def article_body_blocks(root: lxml.html.HtmlElement) -> list[Block]:
    """The paragraphs of a JSON-LD ``articleBody`` (schema.org NewsArticle), if any."""
    for data in _json_ld(root):
        body = jsonld.find(data, "articleBody")
        if isinstance(body, str) and body.strip():
            return [Block(clean(p)) for p in jsonld.PARAGRAPH.split(body) if clean(p)]
    return []


def _notice(text: str) -> tuple[str, str] | None:
    """What a short paragraph is when it is a notice rather than article text."""
    if len(text.split()) > NOTICE_MAX_WORDS:
        return None
    for pattern, what, cause in NOTICES:
        if pattern.search(text):
            return what, cause
    return None


def missing_article(blocks: list[Block]) -> str | None:
    """Why the page holds no article, as the reason of a one-line error, or None.

    A failed extraction (navigation and scripts only), a paywall stub or a "page not
    found" page served with status 200 must never become an episode titled "होम": the
    page has no paragraph at all, or every paragraph is a short notice.
    """
    paragraphs = [b.text for b in blocks if not b.heading]
    notices = [_notice(p) for p in paragraphs]
    if any(n is None for n in notices):
        return None
    if not paragraphs:
        what = "only navigation, links and scripts"
        cause = "the article is loaded by JavaScript, or this is not an article page"
    else:
        what, cause = next(n for n in notices if n is not None)
    return f"no article text found: the page has {what}. Probable cause: {cause}"


# --- sections -------------------------------------------------------------------------


def drafts_from(blocks: list[Block], title: str | None) -> list[Draft]:
    """Sections from blocks: every heading starts one, the title heading is not a section.

    Before the title heading, only full sentences are kept: short lines there are kickers,
    breadcrumbs and datelines.
    """
    at_title = next((i for i, b in enumerate(blocks) if b.heading and b.text == title), None)
    if at_title is not None:
        before = [b for b in blocks[:at_title] if not b.heading and _has_sentence_end(b.text)]
        blocks = before + blocks[at_title + 1 :]
    drafts = [Draft(None)]
    for block in blocks:
        if block.heading:
            drafts.append(Draft(block.text))
        else:
            drafts[-1].add(block.text, block.table)
            drafts[-1].links.extend(block.links)
    return drafts


def _has_sentence_end(text: str) -> bool:
    """True if the text has a danda, "?" or "!" anywhere: it is prose, not a label."""
    return any(ch in text for ch in "।॥?!")
