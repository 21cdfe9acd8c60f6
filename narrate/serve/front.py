"""The front page of ``narrate serve``: the podcast for a person, not a file list.

It shows the podcast's title and artwork, then each episode (newest first) with a link to
its player page ``<slug>.html`` (the MP3 when the page is missing), its date and length, and
the feed's address only when the folder has a ``feed.xml``. It is made on each request
from what a reader of the folder may see (``episodes.json``, ``feed.xml``, the files being
there), so ``narrate watch`` and ``narrate serve`` side by side show each new episode at
once; versioned duplicates and sidecar files are never listed.

Where the facts come from, first found wins:

- title: narrate.toml (:class:`Show`, given by the command), the feed's channel title,
  else "पॉडकास्ट";
- artwork: narrate.toml's artwork when it is an http(s) URL or a file inside the folder,
  else the feed's ``itunes:image`` (as a relative URL when it names a file of the folder);
- episodes: ``episodes.json``, else the plainly named MP3s of the folder.

Every value is escaped by :func:`narrate.publish.embed.render`; the page carries a
Content-Security-Policy that allows its one inline style (by hash) and images only (the
artwork, also the page's icon, so that no browser asks for a ``favicon.ico`` that is not
there).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from narrate.publish.embed import Markup, clock, iso_duration, render
from narrate.serve.files import is_served, read_served

log = logging.getLogger(__name__)

INDEX_NAME = "episodes.json"
FEED_NAME = "feed.xml"
#: Larger public files than this are not read for the page (a folder of 50,000 episodes
#: has an ``episodes.json`` of about 30 MB).
READ_LIMIT = 64 << 20
DEFAULT_TITLE = "पॉडकास्ट"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
ATOM = "http://www.w3.org/2005/Atom"
#: Hindi month names, as the player pages write dates.
MONTHS = ("जनवरी", "फ़रवरी", "मार्च", "अप्रैल", "मई", "जून", "जुलाई", "अगस्त", "सितंबर",
          "अक्टूबर", "नवंबर", "दिसंबर")

STYLE = """\
:root { color-scheme: light dark; --fg: #1b1b1b; --bg: #fff; --muted: #4a4a4a;
  --accent: #0a58ca; --line: #c9ced4; }
@media (prefers-color-scheme: dark) { :root { --fg: #ececec; --bg: #121212;
  --muted: #bdbdbd; --accent: #8ab4f8; --line: #4a4a4a; } }
body { margin: 0; color: var(--fg); background: var(--bg);
  font: 1.0625rem/1.7 system-ui, "Noto Sans Devanagari", "Nirmala UI", Mangal,
  "Lohit Devanagari", sans-serif; }
main { max-width: 46rem; margin: 0 auto; padding: 1rem; overflow-wrap: break-word; }
header { display: flex; gap: 1rem; align-items: center; flex-wrap: wrap;
  border-bottom: 1px solid var(--line); padding-bottom: 1rem; }
header img { width: 8rem; height: 8rem; object-fit: cover; border-radius: .5rem; }
h1 { font-size: 1.6rem; line-height: 1.35; margin: 0; }
h2 { font-size: 1.2rem; margin: 1.25rem 0 .5rem; }
h3 { font-size: 1.1rem; line-height: 1.45; margin: 0; }
a { color: var(--accent); text-underline-offset: .15em; }
a:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.feed { margin: .25rem 0 0; color: var(--muted); }
.feed a { word-break: break-all; }
ol { list-style: none; margin: 0; padding: 0; }
li { padding: .75rem 0; border-bottom: 1px solid var(--line); }
.meta { color: var(--muted); margin: .1rem 0 0; font-size: .95rem; }
li p { margin: .25rem 0 0; }
"""

PAGE = """\
<!doctype html>
<html lang="hi">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<meta name="generator" content="narrate">
<title>{title}</title>
<link rel="icon" href="{icon}">
{alternate}<style>{style}</style>
</head>
<body>
<main>
<header>
{artwork}<div>
<h1>{title}</h1>
{feed}</div>
</header>
<h2 id="episodes">{heading}</h2>
{episodes}
</main>
</body>
</html>
"""


@dataclass(frozen=True)
class Show:
    """What narrate.toml says of the podcast: its title, and its artwork as an absolute
    path or an http(s) URL. Either may be unknown."""

    title: str | None = None
    artwork: str | None = None


@dataclass(frozen=True)
class Listed:
    """One episode on the front page; ``href`` is relative to the folder."""

    title: str
    href: str
    published: dt.datetime | None = None
    duration_ms: int | None = None
    description: str = ""


@dataclass(frozen=True)
class FeedFacts:
    """What the front page takes from ``feed.xml``: its own address, title and image URL."""

    url: str
    title: str | None = None
    image: str | None = None


@dataclass(frozen=True)
class Page:
    html: str
    headers: Mapping[str, str]


def front_page(root: Path, show: Show) -> Page:
    """The front page of the folder ``root`` (resolved)."""
    feed = read_feed(root)
    title = show.title or (feed.title if feed else None) or DEFAULT_TITLE
    artwork = _artwork(root, show, feed)
    html = render_page(title, artwork, feed.url if feed else None, read_episodes(root))
    return Page(html, {"Cache-Control": "no-cache",
                       "Content-Security-Policy": content_security_policy(artwork)})


def content_security_policy(artwork: str | None) -> str:
    """Nothing but the page's own style and, when there is one, the artwork's origin."""
    digest = base64.b64encode(hashlib.sha256(STYLE.encode("utf-8")).digest()).decode()
    image = "'self' data:"  # data: for the empty icon of a podcast without artwork
    if artwork and urlsplit(artwork).scheme in ("http", "https"):
        parts = urlsplit(artwork)
        image += f" {parts.scheme}://{parts.netloc}"
    return "; ".join([
        "default-src 'none'", f"style-src 'sha256-{digest}'", f"img-src {image}",
        "base-uri 'none'", "form-action 'none'",
    ])


def render_page(
    title: str, artwork: str | None, feed_url: str | None, episodes: Sequence[Listed]
) -> str:
    """The page's HTML: every value escaped, URLs given relative or absolute http(s)."""
    alternate = Markup("")
    feed = Markup("")
    if feed_url:
        alternate = render(
            '<link rel="alternate" type="application/rss+xml" title="{title}" href="{url}">\n',
            title=title, url=feed_url,
        )
        feed = render(
            '<p class="feed">फ़ीड का पता (पॉडकास्ट ऐप में जोड़ें): <a href="{url}">{url}</a></p>\n',
            url=feed_url,
        )
    image = Markup("")
    if artwork:
        image = render('<img src="{src}" alt="" width="160" height="160">\n', src=artwork)
    if episodes:
        items = Markup("\n".join(_item(e) for e in episodes))
        listing = render('<ol aria-labelledby="episodes">\n{items}\n</ol>', items=items)
    else:
        listing = Markup("<p>अभी कोई एपिसोड नहीं है।</p>")
    return render(
        PAGE, title=title, icon=artwork or "data:,", alternate=alternate, style=Markup(STYLE),
        artwork=image, feed=feed,
        heading=f"एपिसोड ({len(episodes)})", episodes=listing,
    )


def hindi_date(moment: dt.datetime) -> str:
    """``27 सितंबर 2025``: the day as its own time zone has it."""
    return f"{moment.day} {MONTHS[moment.month - 1]} {moment.year}"


def _item(episode: Listed) -> Markup:
    meta: list[Markup] = []
    if episode.published is not None:
        meta.append(render('<time datetime="{iso}">{text}</time>',
                           iso=episode.published.date().isoformat(),
                           text=hindi_date(episode.published)))
    if episode.duration_ms:
        meta.append(render('<time datetime="{iso}">{text}</time>',
                           iso=iso_duration(episode.duration_ms),
                           text=clock(episode.duration_ms)))
    details = Markup("")
    if meta:
        details = render('\n<p class="meta">{meta}</p>', meta=Markup(" · ".join(meta)))
    if episode.description and episode.description.strip() != episode.title.strip():
        details = Markup(details + render("\n<p>{text}</p>", text=episode.description))
    return render(
        '<li><article>\n<h3><a href="{href}">{title}</a></h3>{details}\n</article></li>',
        href=episode.href, title=episode.title, details=details,
    )


# -- what the folder says --------------------------------------------------------------------


def _href(root: Path, names: Sequence[object]) -> str | None:
    """The relative URL of the first of ``names`` that is served."""
    for name in names:
        if isinstance(name, str) and name and is_served(root, name):
            return quote(name)
    return None


def _listed(root: Path, raw: Any) -> Listed | None:
    if not isinstance(raw, dict) or not isinstance(raw.get("files"), dict):
        return None
    files = raw["files"]
    href = _href(root, [files.get("page"), files.get("audio")])
    title = raw.get("title")
    if href is None or not isinstance(title, str) or not title.strip():
        return None
    published = None
    if isinstance(raw.get("published"), str):
        try:
            published = dt.datetime.fromisoformat(raw["published"])
        except ValueError:
            published = None
    duration = raw.get("duration_ms")
    description = raw.get("description")
    return Listed(
        title=title,
        href=href,
        published=published,
        duration_ms=duration if isinstance(duration, int) and duration > 0 else None,
        description=description if isinstance(description, str) else "",
    )


def read_episodes(root: Path) -> list[Listed]:
    """The folder's episodes, newest first, each with a served page or MP3."""
    data = read_served(root, INDEX_NAME, READ_LIMIT)
    if data is not None:
        try:
            doc = json.loads(data)
        except ValueError:
            log.warning("%s is not valid JSON; listing the folder's MP3s", INDEX_NAME)
        else:
            raw = doc.get("episodes") if isinstance(doc, dict) else None
            if isinstance(raw, list):
                return [e for e in (_listed(root, r) for r in raw) if e is not None]
    return _plain_mp3s(root)


def _plain_mp3s(root: Path) -> list[Listed]:
    """The MP3s with plain names (``<slug>.mp3``, no version) newest first, for a folder
    without ``episodes.json``."""
    found: list[tuple[float, Listed]] = []
    try:
        candidates = [p for p in root.iterdir() if p.suffix == ".mp3" and "." not in p.stem]
    except OSError:
        return []
    for mp3 in candidates:
        href = _href(root, [f"{mp3.stem}.html", mp3.name])
        if href is None:
            continue
        try:
            mtime = mp3.stat().st_mtime
        except OSError:
            continue
        found.append((mtime, Listed(mp3.stem, href)))
    return [listed for _, listed in sorted(found, key=lambda f: (-f[0], f[1].title))]


def read_feed(root: Path) -> FeedFacts | None:
    """The feed's address (its ``atom:link rel="self"``, else ``feed.xml``), title and image,
    or None when the folder has no feed to serve."""
    data = read_served(root, FEED_NAME, READ_LIMIT)
    if data is None:
        return None
    from lxml import etree  # only for the front page

    parser = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False)
    try:
        channel = etree.fromstring(data, parser).find("channel")
    except etree.XMLSyntaxError:
        return FeedFacts(FEED_NAME)
    if channel is None:
        return FeedFacts(FEED_NAME)
    url = FEED_NAME
    for link in channel.iterfind(f"{{{ATOM}}}link"):
        href = link.get("href") or ""
        if link.get("rel") == "self" and urlsplit(href).scheme in ("http", "https"):
            url = href
            break
    image = channel.find(f"{{{ITUNES}}}image")
    return FeedFacts(
        url=url,
        title=(channel.findtext("title") or "").strip() or None,
        image=image.get("href") if image is not None else None,
    )


def _artwork(root: Path, show: Show, feed: FeedFacts | None) -> str | None:
    """The artwork's URL for the page (see the module docstring), or None."""
    if show.artwork:
        if urlsplit(show.artwork).scheme in ("http", "https"):
            return show.artwork
        try:
            name = Path(show.artwork).resolve().relative_to(root).as_posix()
        except (OSError, ValueError):
            name = ""
        if name and is_served(root, name):
            return quote(name)
    if feed is None or not feed.image:
        return None
    base = unquote(feed.url[: -len(FEED_NAME)]) if feed.url.endswith(FEED_NAME) else ""
    image = unquote(feed.image)
    if base and image.startswith(base) and is_served(root, image[len(base):]):
        return quote(image[len(base):])
    return feed.image if urlsplit(feed.image).scheme in ("http", "https") else None
