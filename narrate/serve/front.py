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

The page itself (its escaping and its Content-Security-Policy) is
:func:`narrate.publish.front.render_page`, the one publishing writes as ``index.html``.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote, urlsplit

from narrate.publish.feed import ATOM, FEED_NAME, ITUNES
from narrate.publish.front import DEFAULT_TITLE, Listed, content_security_policy, render_page
from narrate.publish.index import INDEX_NAME
from narrate.serve.files import is_served, read_served

log = logging.getLogger(__name__)

#: Larger public files than this are not read for the page (a folder of 50,000 episodes
#: has an ``episodes.json`` of about 30 MB).
READ_LIMIT = 64 << 20


@dataclass(frozen=True)
class Show:
    """What narrate.toml says of the podcast: its title, and its artwork as an absolute
    path or an http(s) URL. Either may be unknown."""

    title: str | None = None
    artwork: str | None = None


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
