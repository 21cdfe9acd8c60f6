"""``feed.xml``: RSS 2.0 with the iTunes and Podcasting 2.0 namespaces, built with lxml.

Elements are built as a tree and serialized by lxml, so article text (``<``, ``&``, quotes,
``]]>``) is always escaped as text; characters XML 1.0 cannot carry at all (most C0 controls)
are dropped. URLs are the configured base URL plus the percent-encoded UTF-8 file name.

The channel's ``podcast:guid`` is the UUIDv5, in the namespace the Podcasting 2.0 spec
defines, of the feed URL without its scheme and trailing slashes
(https://podcastindex.org/namespace/1.0#guid).
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import re
import stat
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import quote

from lxml import etree

from narrate import __version__
from narrate.config import ConfigError, PodcastConfig, normalize_base_url
from narrate.errors import PublishError
from narrate.fsutil import read_bounded
from narrate.publish.artwork import check_artwork
from narrate.publish.files import EPISODE_FILES
from narrate.publish.front import FRONT_NAME, Listed, ours, render_page
from narrate.publish.index import IndexEntry, load_index, replace_if_changed, save_index
from narrate.publish.store import Store

log = logging.getLogger(__name__)

FEED_NAME = "feed.xml"
ITUNES = "http://www.itunes.com/dtds/podcast-1.0.dtd"
PODCAST = "https://podcastindex.org/namespace/1.0"
ATOM = "http://www.w3.org/2005/Atom"
NSMAP = {"itunes": ITUNES, "podcast": PODCAST, "atom": ATOM}
#: The namespace UUID of ``podcast:guid``, fixed by the Podcasting 2.0 spec.
PODCAST_GUID_NAMESPACE = uuid.UUID("ead4c236-bf58-58c6-a2c6-a6b28d128cb6")
#: The largest artwork copied into the folder: far above any podcast artwork (a 3000 px PNG
#: photograph is some 20 MB).
MAX_ARTWORK_BYTES = 64 * 1024 * 1024

#: Characters XML 1.0 allows; anything else cannot be written even escaped.
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def xml_text(text: str) -> str:
    """``text`` without the characters XML 1.0 cannot carry (C0 controls, lone surrogates)."""
    return _NOT_XML.sub("", text)


def podcast_guid(feed_url: str) -> str:
    """UUIDv5 of ``feed_url`` without its scheme (``https://``) and trailing slashes."""
    bare = re.sub(r"^[A-Za-z][A-Za-z0-9+.-]*://", "", feed_url.strip()).rstrip("/")
    return str(uuid.uuid5(PODCAST_GUID_NAMESPACE, bare))


def file_url(base_url: str, name: str) -> str:
    """The absolute URL of ``name`` (relative, ``/``-separated) under ``base_url``."""
    return base_url + quote(name, safe="/")


def rfc822(moment: dt.datetime) -> str:
    return email.utils.format_datetime(moment)


@dataclass(frozen=True)
class FeedItem:
    """An index entry and what the feed needs of its files: the MP3's size, and which of
    them are not in the folder (a file that is not there is not advertised)."""

    entry: IndexEntry
    size: int  # bytes of the MP3
    has_page: bool = True  # its player page <slug>.html is in the folder
    absent: frozenset[str] = frozenset()  # keys of its files missing from the folder


def _sub(parent: Any, tag: str, content: str | None = None, **attrib: str) -> Any:
    """A child element: ``content`` as its text, ``attrib`` as attributes (both escaped)."""
    element = etree.SubElement(parent, tag, {k: xml_text(v) for k, v in attrib.items()})
    if content is not None:
        element.text = xml_text(content)
    return element


def _itunes(name: str) -> str:
    return f"{{{ITUNES}}}{name}"


def _podcast(name: str) -> str:
    return f"{{{PODCAST}}}{name}"


def _channel(channel: Any, config: PodcastConfig, feed_url: str, artwork_url: str) -> None:
    base = config.base_url or ""
    _sub(channel, "title", config.title)
    _sub(channel, "link", config.link or base)  # the site, else the folder's front page
    _sub(channel, "description", config.description)
    _sub(channel, "language", config.language)
    _sub(channel, "generator", f"narrate {__version__}")
    _sub(channel, f"{{{ATOM}}}link", href=feed_url, rel="self", type="application/rss+xml")
    _sub(channel, _itunes("image"), href=artwork_url)
    category = _sub(channel, _itunes("category"), text=config.category)
    if config.subcategory:
        _sub(category, _itunes("category"), text=config.subcategory)
    _sub(channel, _itunes("explicit"), "true" if config.explicit else "false")
    _sub(channel, _itunes("author"), config.author)
    owner = _sub(channel, _itunes("owner"))
    _sub(owner, _itunes("name"), config.owner_name)
    _sub(owner, _itunes("email"), config.owner_email)
    _sub(channel, _itunes("type"), "episodic")
    _sub(channel, _podcast("guid"), podcast_guid(feed_url))
    _sub(channel, _podcast("locked"), "yes" if config.locked else "no", owner=config.owner_email)


def _item(channel: Any, item: FeedItem, config: PodcastConfig) -> None:
    """One episode: its files named by their role in :data:`EPISODE_FILES`."""
    base = config.base_url or ""
    entry = item.entry
    urls = {key: file_url(base, path.name) for key, path in entry.files(Path()).items()}
    element = _sub(channel, "item")
    _sub(element, "title", entry.title)
    if item.has_page:  # the episode's own web page: its player
        _sub(element, "link", urls["page"])
    _sub(element, "description", entry.description)
    _sub(element, "guid", entry.guid, isPermaLink="false")
    _sub(element, "pubDate", rfc822(entry.published))
    for file in EPISODE_FILES:
        if file.feed == "enclosure":
            _sub(element, "enclosure", url=urls[file.key], length=str(item.size),
                 type=file.media_type)
    _sub(element, _itunes("duration"), str(entry.duration_ms // 1000))  # as model.clock
    _sub(element, _itunes("episodeType"), "full")
    _sub(element, _itunes("explicit"), "true" if config.explicit else "false")
    for file in EPISODE_FILES:
        if file.key in item.absent:
            continue
        if file.feed == "chapters":
            _sub(element, _podcast("chapters"), url=urls[file.key], type=file.media_type)
        elif file.feed == "transcript":
            rel = {"rel": file.rel} if file.rel else {}
            _sub(element, _podcast("transcript"), url=urls[file.key], type=file.media_type,
                 language=config.language, **rel)


def feed_xml(
    config: PodcastConfig,
    items: Sequence[FeedItem],
    *,
    artwork_url: str,
    now: dt.datetime,
    name: str = FEED_NAME,
) -> bytes:
    """The feed document ``name`` (its URL and ``podcast:guid`` follow from it) for
    ``items`` (in the order given), UTF-8 with a declaration."""
    if not config.base_url:
        raise ConfigError(f"{config.source}: podcast.base_url is not set: expected the URL "
                          "the folder is served from (or pass --base-url)")
    # A config made in code may hold an unencoded base URL; every URL written is ASCII.
    base_url = normalize_base_url(config.base_url)
    config = replace(config, base_url=base_url)
    feed_url = file_url(base_url, name)
    rss = etree.Element("rss", {"version": "2.0"}, nsmap=NSMAP)
    channel = _sub(rss, "channel")
    _channel(channel, config, feed_url, artwork_url)
    _sub(channel, "lastBuildDate", rfc822(now))
    for item in items:
        _item(channel, item, config)
    data: bytes = etree.tostring(rss, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


# -- the folder ------------------------------------------------------------------------------


def place_artwork(out_dir: Path, config: PodcastConfig, *, tmp_dir: Path | None = None
                  ) -> str | None:
    """The podcast's artwork as a file of ``out_dir``: its name there (``/``-separated),
    after copying it in when it lives elsewhere (only when the copy there differs). None
    without an artwork, or for an http(s) URL (nothing to place)."""
    if not config.artwork or config.artwork.startswith(("http://", "https://")):
        return None
    source = Path(config.artwork)
    info = check_artwork(source)
    root = out_dir.resolve()
    if source.resolve().is_relative_to(root):
        return source.resolve().relative_to(root).as_posix()
    name = "artwork.png" if info.format == "PNG" else "artwork.jpg"
    try:
        data = read_bounded(source, MAX_ARTWORK_BYTES)
    except OSError as e:
        raise PublishError(f"artwork {source} cannot be read ({e.strerror or e})") from e
    replace_if_changed(root / name, data, tmp_dir=tmp_dir)
    return name


def publish_artwork(out_dir: Path, config: PodcastConfig, *, tmp_dir: Path | None = None) -> str:
    """The artwork's URL: checked, and copied into ``out_dir`` when it lives elsewhere."""
    if not config.artwork:
        raise ConfigError(f"{config.source}: podcast.artwork is missing: expected a square "
                          "1400–3000 px JPEG or PNG in RGB (Apple Podcasts requires one)")
    name = place_artwork(out_dir, config, tmp_dir=tmp_dir)
    return config.artwork if name is None else file_url(config.base_url or "", name)


def present(out_dir: Path, entries: Sequence[IndexEntry]) -> list[FeedItem]:
    """The entries whose MP3 is a regular file in ``out_dir``, with its size and the files
    the feed would name that are not there (a missing MP3 is named)."""
    items = []
    for entry in entries:
        files = entry.files(out_dir)
        try:
            found = files["audio"].stat()
        except OSError:
            found = None
        if found is None or not stat.S_ISREG(found.st_mode):
            log.warning("%s is in the index but its MP3 is %s; left out of the feed",
                        entry.slug, "missing" if found is None else "not a regular file")
            continue
        absent = frozenset(f.key for f in EPISODE_FILES
                           if f.feed in ("chapters", "transcript") and not files[f.key].is_file())
        items.append(FeedItem(entry, found.st_size, has_page=files["page"].is_file(),
                              absent=absent))
    return items


#: What changes in the feed each time it is made, whatever it says.
_LAST_BUILD = re.compile(rb"<lastBuildDate>[^<]*</lastBuildDate>")


def write_public(
    store: Store, config: PodcastConfig | None, *, now: dt.datetime,
    tmp_dir: Path | None = None,
) -> bool:
    """Derive ``episodes.json`` and, when ``config`` has a base URL, ``feed.xml``, the
    artwork it names and the folder's front page ``index.html`` from the folder's
    ``store``: each replaced atomically, and only when what it says changed (temporary
    files in ``tmp_dir`` when given). A folder without episodes gets no feed. True when
    ``feed.xml`` was written. Call under the folder's publish lock (see
    :meth:`narrate.publish.folder.OutputFolder.write_public`)."""
    out_dir = store.out_dir
    entries = load_index(store)
    save_index(out_dir, entries, tmp_dir=tmp_dir)
    if config is None or not config.base_url:
        log.info("feed not written: no base_url in narrate.toml (or --base-url)")
        return False
    items = present(out_dir, entries)
    if not items:
        log.info("feed not written: the folder has no episode yet")
        return False
    artwork_url = publish_artwork(out_dir, config, tmp_dir=tmp_dir)
    data = feed_xml(config, items, artwork_url=artwork_url, now=now)
    path = out_dir / FEED_NAME
    written = replace_if_changed(path, data, tmp_dir=tmp_dir, ignoring=_LAST_BUILD)
    if written:
        log.info("wrote %s (%d episodes)", path, len(items))
    write_front_page(out_dir, config, items, tmp_dir=tmp_dir)
    return written


def write_front_page(out_dir: Path, config: PodcastConfig, items: Sequence[FeedItem], *,
                     tmp_dir: Path | None = None) -> None:
    """The folder's ``index.html``: the podcast's front page (:mod:`narrate.publish.front`),
    which the feed's channel ``<link>`` names when no ``link`` is set, so that a static web
    server has a page there too. A folder's own ``index.html`` is left as it is."""
    path = out_dir / FRONT_NAME
    try:
        current = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        current = None
    if current is not None and not ours(current):
        log.info("%s is the folder's own; not replaced by the front page", path)
        return
    base = normalize_base_url(config.base_url or "")
    name = place_artwork(out_dir, config, tmp_dir=tmp_dir)
    artwork = quote(name) if name else config.artwork
    listed = []
    for item in items:
        files = item.entry.files(Path())
        href = files["page"] if item.has_page else files["audio"]
        listed.append(Listed(item.entry.title, quote(href.name), item.entry.published,
                             item.entry.duration_ms, item.entry.description))
    html = render_page(config.title, artwork, file_url(base, FEED_NAME), listed)
    replace_if_changed(path, html.encode("utf-8"), tmp_dir=tmp_dir)
