"""Where following meets building: feeds expanded for ``narrate build``, and the one call
that builds a list of articles.

Kept thin on purpose: :func:`build_articles` is the only place the follow package asks the
batch (:func:`narrate.batch.run.run_batch`) for episodes, :func:`publish_feeds` the only
place it takes the folder's publish lock (the folder is the caller's
:class:`~narrate.publish.folder.OutputFolder`), and
``narrate.follow.state._episode_of`` the only place it asks the store which episode an
article became.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from narrate.errors import ArticleError
from narrate.follow.feeds import FeedsSpec, write_category_feeds
from narrate.follow.http import PoliteClient, Politeness
from narrate.follow.reader import ItemReader, merge
from narrate.follow.sources import Child, Item, Listing, detect, parse_source
from narrate.readers.source import Loaded, fetch, is_url

if TYPE_CHECKING:
    from narrate.batch.results import ArticleResult, BatchReport
    from narrate.config import PodcastConfig
    from narrate.engines.base import Engine
    from narrate.pipeline import BuildSettings
    from narrate.publish.folder import OutputFolder

log = logging.getLogger(__name__)

#: What a feed or sitemap request accepts.
SOURCE_ACCEPT = ("application/rss+xml, application/atom+xml, application/feed+json, "
                 "application/xml;q=0.9, text/xml;q=0.9, */*;q=0.5")
#: The most sitemaps of one index read in one go: the newest (by their ``lastmod``).
MAX_CHILD_SITEMAPS = 100


def newest_children(children: Iterable[Child], since: dt.datetime | None = None) -> list[Child]:
    """An index's sitemaps newest first (undated ones after, in the index's order), those
    last changed before ``since`` left out, at most :data:`MAX_CHILD_SITEMAPS`."""
    dated = [c for c in children if c.lastmod is not None]
    undated = [c for c in children if c.lastmod is None]
    dated.sort(key=lambda c: c.lastmod or dt.datetime.min, reverse=True)
    if since is not None:
        dated = [c for c in dated if c.lastmod is not None and c.lastmod >= since]
    return (dated + undated)[:MAX_CHILD_SITEMAPS]


@dataclass
class Expansion:
    """``narrate build``'s sources with every feed and sitemap replaced by its articles."""

    sources: list[str]
    reader: ItemReader | None = None
    categories: dict[str, list[str]] = field(default_factory=dict)


def _listing_items(listing: Listing, url: str, client: PoliteClient) -> list[Item]:
    """A listing's items; a sitemap index's are those of its sitemaps (each failing alone)."""
    if listing.kind != "sitemapindex":
        return list(listing.items)
    items: list[Item] = []
    for child in newest_children(listing.children):
        try:
            fetched = client.get(child.url, accept=SOURCE_ACCEPT)
            items.extend(parse_source(fetched.body, fetched.final_url,
                                      fetched.content_type).items)
        except ArticleError as e:
            log.warning("%s (a sitemap of %s) is left out: %s", child.url, url, e)
    return items


#: URLs given to ``narrate build`` fetched at once (as a batch's workers would).
PREFETCH_THREADS = 8


def _fetch_all(sources: Sequence[str], timeout: float
               ) -> Iterator[tuple[str, Loaded | ArticleError | str]]:
    """Each source with its fetched bytes (or the error), in order; a path or ``-``
    comes back as itself. The URLs are fetched several at a time."""
    def one(source: str) -> Loaded | ArticleError | str:
        if not is_url(source):
            return source
        try:
            return fetch(source, timeout=timeout)
        except ArticleError as e:
            return e

    with ThreadPoolExecutor(PREFETCH_THREADS, thread_name_prefix="narrate-fetch") as pool:
        yield from zip(sources, pool.map(one, sources), strict=True)


def expand_feeds(sources: Sequence[str], *, timeout: float, fmt: str | None = None,
                 client: PoliteClient | None = None) -> Expansion:
    """Each http(s) source is fetched once (as the readers fetch an article); a feed or
    sitemap among them becomes its articles (by canonical URL, each once, in the order
    given), read by an :class:`ItemReader`; any other page is handed to the reader as
    fetched, and a fetch that failed fails that article with its reason. ``fmt`` (a
    forced format) means no source is a feed."""
    if fmt is not None or not any(is_url(s) for s in sources):
        return Expansion(list(sources))
    client = client or PoliteClient(Politeness(timeout=timeout))
    out: list[str] = []
    items: dict[str, Item] = {}
    pages: dict[str, Loaded] = {}
    errors: dict[str, ArticleError] = {}
    for source, loaded in _fetch_all(sources, timeout):
        if isinstance(loaded, str):
            out.append(source)
            continue
        try:
            if isinstance(loaded, ArticleError):
                raise loaded
            if detect(loaded.data, loaded.content_type) is None:
                pages[source] = loaded
                out.append(source)
                continue
            listing = parse_source(loaded.data, source, loaded.content_type)
        except ArticleError as e:
            errors[source] = e
            out.append(source)
            continue
        found = _listing_items(listing, source, client)
        if not found:
            errors[source] = ArticleError(source, f"the {listing.kind} lists no article")
            out.append(source)
        for item in found:
            if item.url in items:
                items[item.url] = merge([items[item.url], item])
            else:
                items[item.url] = item
                out.append(item.url)
        log.info("%s: %d articles", source, len(found))
    reader = ItemReader(client, items, pages, errors)
    return Expansion(out, reader, {u: list(i.categories) for u, i in items.items()})


def build_articles(
    urls: Sequence[str],
    reader: ItemReader,
    engine: Engine,
    settings: BuildSettings,
    *,
    folder: OutputFolder,
    config: PodcastConfig | None,
    workers: int,
    now: Callable[[], dt.datetime],
    on_result: Callable[[ArticleResult], None],
) -> BatchReport:
    """Build the articles ``urls`` (read by ``reader``) into ``folder``: each published as
    it finishes, unchanged ones skipped, failures isolated."""
    from narrate.batch.run import run_batch

    return run_batch(
        list(urls), engine, dataclasses.replace(settings, article_reader=reader),
        folder=folder, workers=workers, config=config, now=now, on_result=on_result,
    )



def publish_feeds(folder: OutputFolder, config: PodcastConfig, spec: FeedsSpec,
                  categories: Mapping[str, list[str]], now: dt.datetime) -> list[Path]:
    """Write the category feeds (see :mod:`narrate.follow.feeds`) under the folder's
    publish lock, so they land in order with the main feed."""
    work = folder.work
    with work.publishing():
        return write_category_feeds(folder.store, config, spec, categories, now=now,
                                    tmp_dir=work.dir)


def after_build(folder: OutputFolder, config: PodcastConfig | None, expansion: Expansion,
                now: dt.datetime) -> list[Path]:
    """After ``narrate build`` of feeds: note the articles' categories in the folder's
    state, and write the category feeds when ``narrate.toml`` has a ``[feeds]`` table."""
    from narrate.follow.feeds import read_feeds_table
    from narrate.follow.state import FollowState

    if not expansion.categories:
        return []
    state = FollowState(folder.store)
    state.note_categories(expansion.categories, now)
    spec = read_feeds_table(Path(config.source)) if config is not None else None
    if config is None or spec is None or not config.base_url:
        return []
    return publish_feeds(folder, config, spec, state.categories(), now)
