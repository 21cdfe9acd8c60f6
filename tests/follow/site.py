"""A Hindi news site on a local port, for following: pages, RSS, Atom, sitemaps, faults.

:class:`NewsSite` holds the articles (the test changes them between rounds: publishes new
ones, corrects one, removes one) and :func:`serve` answers HTTP for it from a thread:

- ``/news/<section>/<n>.html`` an article page (``<h1>``, ``<time>``, author meta, the
  text, ``<link rel=canonical>``); ``/m/news/…`` the same page under a second address;
- ``/rss.xml`` RSS 2.0 (links with campaign parameters; every third item carries the
  whole article in ``content:encoded``, the others a teaser), ``/atom.xml`` Atom (links
  to AMP twins ``/amp/news/…``), ``/sitemap.xml`` a sitemap index naming
  ``/sitemap-news.xml`` (Google News);
- ``robots.txt``, ETag and Last-Modified with 304s, a log of every request;
- faults: ``down`` (``"503"``, ``"reset"``: every answer), 404 and empty pages, a
  redirect loop, malformed, truncated, empty and 10,000-item feeds.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import hashlib
import html
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from lxml import etree

IST = dt.timezone(dt.timedelta(hours=5, minutes=30))
SECTIONS = ("खेल", "व्यापार", "देश")
SECTION_PATHS = {"खेल": "khel", "व्यापार": "vyapar", "देश": "desh"}
PLACES = ("दिल्ली", "मुंबई", "पटना", "जयपुर", "भोपाल", "लखनऊ", "चेन्नई", "कोलकाता", "पुणे",
          "इंदौर")
EVENTS = ("नई सड़क खुली", "बाज़ार में तेज़ी", "टीम ने मैच जीता", "बारिश से राहत",
          "स्कूलों में छुट्टी", "मेट्रो का विस्तार", "किसानों को मदद")
SENTENCES = (
    "स्थानीय प्रशासन ने आज इस बारे में जानकारी दी।",
    "अधिकारियों के मुताबिक काम तय समय पर पूरा हो जाएगा।",
    "लोगों ने इस फ़ैसले का स्वागत किया है।",
    "विशेषज्ञों का कहना है कि इसका असर आने वाले महीनों में दिखेगा।",
    "शहर के कई इलाक़ों में इसकी चर्चा हो रही है।",
    "सरकार ने इसके लिए अलग से बजट रखा है।",
)
NS_NEWS = "http://www.google.com/schemas/sitemap-news/0.9"
NS_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
NS_ATOM = "http://www.w3.org/2005/Atom"
NS_CONTENT = "http://purl.org/rss/1.0/modules/content/"
NS_DC = "http://purl.org/dc/elements/1.1/"


@dataclass
class Article:
    n: int
    section: str
    title: str
    published: dt.datetime | None
    paragraphs: list[str]
    updated: dt.datetime | None = None
    author: str = "संवाददाता"

    @property
    def path(self) -> str:
        return f"/news/{SECTION_PATHS[self.section]}/{self.n}.html"

    @property
    def date(self) -> dt.datetime | None:
        return self.updated or self.published


def make_article(n: int, published: dt.datetime | None) -> Article:
    """Article ``n``: a unique title, three paragraphs of Hindi, long enough (over 700
    characters) for its RSS ``content:encoded`` to be the whole article."""
    place, event = PLACES[n % len(PLACES)], EVENTS[n % len(EVENTS)]
    title = f"{place} में {event}: रिपोर्ट {n}"
    paragraphs = [
        f"{place} में आज {event}। यह रिपोर्ट संख्या {n} है। " + " ".join(SENTENCES[:3]),
        " ".join(SENTENCES[3:]) + f" {place} के लोगों ने कहा कि वे इंतज़ार कर रहे थे।",
        " ".join(SENTENCES) + " आगे की जानकारी मिलते ही ख़बर अपडेट की जाएगी।",
        f"{place} से हमारे संवाददाता की यह रिपोर्ट पूरी पढ़ने के लिए धन्यवाद।",
    ]
    return Article(n, SECTIONS[n % len(SECTIONS)], title, published, paragraphs)


@dataclass
class NewsSite:
    """The site's state; the handler reads it under ``lock``."""

    articles: dict[int, Article] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    log: list[tuple[str, str, int, dict[str, str]]] = field(default_factory=list)
    down: str | None = None
    base: str = ""
    #: Answers given once each, first, per path (429s, 503s): status and headers.
    queued: dict[str, list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    #: Seconds to wait before answering, per path.
    delay: dict[str, float] = field(default_factory=dict)
    in_flight: int = 0
    peak: int = 0

    def publish(self, *numbers: int, start: dt.datetime | None = None) -> None:
        """Publish articles ``numbers``, one an hour from ``start``."""
        start = start or dt.datetime(2025, 8, 1, 9, 0, tzinfo=IST)
        with self.lock:
            for n in numbers:
                self.articles[n] = make_article(n, start + dt.timedelta(hours=n))

    def correct(self, n: int, sentence: str, when: dt.datetime) -> None:
        with self.lock:
            article = self.articles[n]
            article.paragraphs[1] = sentence + " " + article.paragraphs[1]
            article.updated = when

    def remove(self, n: int) -> None:
        with self.lock:
            del self.articles[n]

    def requests_to(self, path_prefix: str = "") -> list[tuple[str, str, int, dict[str, str]]]:
        with self.lock:
            return [r for r in self.log if r[1].startswith(path_prefix)]

    # -- documents -----------------------------------------------------------------------

    def page(self, article: Article, *, twin: bool = False) -> bytes:
        body = "".join(f"<p>{html.escape(p)}</p>" for p in article.paragraphs)
        when = (f'<time datetime="{article.published.isoformat()}">'
                f"{article.published:%d-%m-%Y}</time>" if article.published else "")
        return (
            f'<!DOCTYPE html><html lang="hi"><head><meta charset="utf-8">'
            f"<title>{html.escape(article.title)} | हमारी साइट</title>"
            f'<link rel="canonical" href="{self.base}{article.path}">'
            f'<meta name="author" content="{article.author}"></head><body>'
            f'<nav><a href="/">होम</a> <a href="/khel">खेल</a></nav><main><article>'
            f"<h1>{html.escape(article.title)}</h1>{when}{body}</article></main>"
            f"<footer>© हमारी साइट{' (m)' if twin else ''}</footer></body></html>"
        ).encode()

    def _sorted(self) -> list[Article]:
        return sorted(self.articles.values(), key=lambda a: -a.n)

    def rss(self) -> bytes:
        rss = etree.Element("rss", version="2.0", nsmap={"content": NS_CONTENT, "dc": NS_DC})
        channel = etree.SubElement(rss, "channel")
        etree.SubElement(channel, "title").text = "हमारी साइट"
        etree.SubElement(channel, "link").text = self.base + "/"
        for a in self._sorted():
            item = etree.SubElement(channel, "item")
            etree.SubElement(item, "title").text = a.title
            etree.SubElement(item, "link").text = (
                f"{self.base}{a.path}?utm_source=rss&utm_medium=feed")
            etree.SubElement(item, "guid", isPermaLink="false").text = f"id-{a.n}"
            if a.published is not None:
                etree.SubElement(item, "pubDate").text = email.utils.format_datetime(
                    a.published)
            etree.SubElement(item, "category").text = a.section
            etree.SubElement(item, f"{{{NS_DC}}}creator").text = a.author
            etree.SubElement(item, "description").text = a.paragraphs[0][:80] + "…"
            if a.n % 3 == 0:
                full = "".join(f"<p>{html.escape(p)}</p>" for p in a.paragraphs)
                etree.SubElement(item, f"{{{NS_CONTENT}}}encoded").text = etree.CDATA(full)
        return etree.tostring(rss, xml_declaration=True, encoding="UTF-8")

    def atom(self) -> bytes:
        feed = etree.Element(f"{{{NS_ATOM}}}feed", nsmap={None: NS_ATOM})
        etree.SubElement(feed, f"{{{NS_ATOM}}}title").text = "हमारी साइट"
        etree.SubElement(feed, f"{{{NS_ATOM}}}id").text = self.base + "/"
        newest = max((a.date for a in self.articles.values() if a.date), default=None)
        etree.SubElement(feed, f"{{{NS_ATOM}}}updated").text = (
            newest or dt.datetime(2025, 1, 1, tzinfo=IST)).isoformat()
        for a in self._sorted():
            entry = etree.SubElement(feed, f"{{{NS_ATOM}}}entry")
            etree.SubElement(entry, f"{{{NS_ATOM}}}title").text = a.title
            path = a.path if a.n % 2 else "/amp" + a.path  # AMP twins of the even ones
            etree.SubElement(entry, f"{{{NS_ATOM}}}link", rel="alternate",
                             href=self.base + path)
            etree.SubElement(entry, f"{{{NS_ATOM}}}id").text = f"tag:site,{a.n}"
            if a.date is not None:
                etree.SubElement(entry, f"{{{NS_ATOM}}}updated").text = a.date.isoformat()
            etree.SubElement(entry, f"{{{NS_ATOM}}}category", term=a.section)
            etree.SubElement(entry, f"{{{NS_ATOM}}}summary").text = a.paragraphs[0][:80]
        return etree.tostring(feed, xml_declaration=True, encoding="UTF-8")

    def sitemap_index(self) -> bytes:
        root = etree.Element(f"{{{NS_SITEMAP}}}sitemapindex", nsmap={None: NS_SITEMAP})
        sitemap = etree.SubElement(root, f"{{{NS_SITEMAP}}}sitemap")
        etree.SubElement(sitemap, f"{{{NS_SITEMAP}}}loc").text = self.base + "/sitemap-news.xml"
        now = dt.datetime.now(IST)  # a wrong date on one article is not the sitemap's
        newest = max((a.date for a in self.articles.values() if a.date and a.date <= now),
                     default=None)
        if newest is not None:
            etree.SubElement(sitemap, f"{{{NS_SITEMAP}}}lastmod").text = newest.isoformat()
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def sitemap_news(self) -> bytes:
        root = etree.Element(f"{{{NS_SITEMAP}}}urlset", nsmap={None: NS_SITEMAP,
                                                               "news": NS_NEWS})
        for a in self._sorted():
            url = etree.SubElement(root, f"{{{NS_SITEMAP}}}url")
            etree.SubElement(url, f"{{{NS_SITEMAP}}}loc").text = self.base + a.path
            if a.date is not None:
                etree.SubElement(url, f"{{{NS_SITEMAP}}}lastmod").text = a.date.isoformat()
            news = etree.SubElement(url, f"{{{NS_NEWS}}}news")
            etree.SubElement(news, f"{{{NS_NEWS}}}title").text = a.title
            if a.published is not None:
                etree.SubElement(news, f"{{{NS_NEWS}}}publication_date").text = (
                    a.published.isoformat())
        return etree.tostring(root, xml_declaration=True, encoding="UTF-8")

    def big_rss(self, count: int) -> bytes:
        items = "".join(
            f"<item><title>खबर {i}</title><link>{self.base}/bulk/{i}.html</link>"
            f"<pubDate>{email.utils.format_datetime(dt.datetime(2024, 1, 1, tzinfo=IST) + dt.timedelta(minutes=i))}</pubDate></item>"  # noqa: E501
            for i in range(count))
        return (f'<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"><channel>'
                f"<title>bulk</title>{items}</channel></rss>").encode()

    def route(self, path: str) -> tuple[int, bytes, str, dict[str, str]]:
        """Status, body, content type and extra headers for ``path``."""
        xml = "application/xml; charset=utf-8"
        with self.lock:
            if path == "/robots.txt":
                return 200, b"User-agent: *\nDisallow: /private/\n", "text/plain", {}
            if path == "/rss.xml":
                return 200, self.rss(), "application/rss+xml", {}
            if path == "/atom.xml":
                return 200, self.atom(), "application/atom+xml", {}
            if path == "/sitemap.xml":
                return 200, self.sitemap_index(), xml, {}
            if path == "/sitemap-news.xml":
                return 200, self.sitemap_news(), xml, {}
            if path.startswith("/loop-"):
                target = "/loop-b" if path == "/loop-a" else "/loop-a"
                return 302, b"", "text/plain", {"Location": target}
            if path.startswith("/bulk/"):
                return 200, self.page(make_article(int(path[6:-5]), None)), "text/html", {}
            for prefix in ("", "/amp", "/m"):
                for article in self.articles.values():
                    if path == prefix + article.path:
                        return (200, self.page(article, twin=prefix == "/m"),
                                "text/html; charset=utf-8", {})
            if path == "/nav.html":
                return (200, b"<html><body><nav><a href='/'>home</a></nav></body></html>",
                        "text/html", {})
        return 404, "<h1>पेज नहीं मिला</h1>".encode(), "text/html; charset=utf-8", {}


class _Handler(BaseHTTPRequestHandler):
    site: NewsSite
    extra: dict[str, tuple[int, bytes, str, dict[str, str]]]

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        site = self.site
        path = self.path.split("?", 1)[0]
        with site.lock:
            site.in_flight += 1
            site.peak = max(site.peak, site.in_flight)
            queued = site.queued.get(path)
            answer = queued.pop(0) if queued else None
        try:
            time.sleep(site.delay.get(path, 0.0))
            if answer is not None:
                with site.lock:
                    site.log.append(("GET", self.path, answer[0], dict(self.headers)))
                self.send_response(answer[0])
                for name, value in answer[1].items():
                    self.send_header(name, value)
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self._answer(site, path)
        finally:
            with site.lock:
                site.in_flight -= 1

    def _answer(self, site: NewsSite, path: str) -> None:
        if site.down == "reset":
            with site.lock:
                site.log.append(("GET", self.path, 0, dict(self.headers)))
            self.close_connection = True
            self.connection.close()
            return
        if site.down == "503":
            status, body, ctype, headers = 503, b"down", "text/plain", {"Retry-After": "0"}
        elif path in self.extra:
            status, body, ctype, headers = self.extra[path]
        else:
            status, body, ctype, headers = site.route(path)
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if status == 200 and self.headers.get("If-None-Match") == etag:
            status, body = 304, b""
        with site.lock:
            site.log.append(("GET", self.path, status, dict(self.headers)))
        self.send_response(status)
        if status in (200, 304):
            self.send_header("ETag", etag)
        self.send_header("Content-Type", ctype)
        self.send_header("Content-Length", str(len(body)))
        for name, value in headers.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)


@dataclass
class Served:
    site: NewsSite
    server: ThreadingHTTPServer
    extra: dict[str, tuple[int, bytes, str, dict[str, str]]]

    @property
    def base(self) -> str:
        return self.site.base

    def url(self, path: str) -> str:
        return self.base + path


def serve(site: NewsSite) -> Iterator[Served]:
    """Serve ``site`` on a free loopback port until the generator is closed."""
    extra: dict[str, tuple[int, bytes, str, dict[str, str]]] = {}
    handler = type("Handler", (_Handler,), {"site": site, "extra": extra})
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    site.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(site, server, extra)
    finally:
        server.shutdown()
        server.server_close()
