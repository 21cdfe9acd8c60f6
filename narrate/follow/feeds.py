"""Categories become podcasts: one feed per category beside the main feed.

A news site's feed files each article under categories (खेल, व्यापार, देश…). With
``narrate watch --by category``, or a ``[feeds]`` table in ``narrate.toml``, each category
is published as a podcast of its own: ``feed-<category>.xml`` beside ``feed.xml``, with its
own title, ``podcast:guid`` (from its own URL) and artwork, listing the same episode
files as the main feed. ::

    [feeds]
    by = "category"                    # one feed per category the site gives
    only = ["खेल", "व्यापार"]           # optional: just these
    [feeds."खेल"]                       # optional, per category
    title = "खेल की ख़बरें"
    description = "…"
    artwork = "khel.jpg"               # square 1400-3000 px JPEG/PNG, relative to the file

A category without artwork of its own gets one drawn from its title
(``artwork-<category>.jpg``, like ``narrate init``'s), once.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

from narrate.config import ConfigError, PodcastConfig
from narrate.errors import PublishError
from narrate.fsutil import atomic_path, atomic_write_bytes, safe_slug
from narrate.publish.artwork import check_artwork
from narrate.publish.feed import feed_xml, file_url, present
from narrate.publish.index import load_index
from narrate.publish.store import Store

log = logging.getLogger(__name__)

FEED_PREFIX = "feed-"
ARTWORK_PREFIX = "artwork-"
_TABLE_KEYS = frozenset({"by", "only"})
_CATEGORY_KEYS = frozenset({"title", "description", "artwork"})


@dataclass(frozen=True)
class FeedsSpec:
    """Which category feeds to publish, and what each is called."""

    by_category: bool = False
    only: frozenset[str] | None = None
    overrides: Mapping[str, Mapping[str, str]] = field(default_factory=dict)

    def wanted(self, category: str) -> bool:
        return self.by_category and (self.only is None or category in self.only)


def read_feeds_table(path: Path | None) -> FeedsSpec | None:
    """The ``[feeds]`` table of the settings file at ``path``, checked; None without one."""
    if path is None or not path.is_file():
        return None
    source = str(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as e:
        raise ConfigError(f"{source}: cannot be read ({e})") from e
    table = data.get("feeds")
    if table is None:
        return None
    if not isinstance(table, dict):
        raise ConfigError(f"{source}: feeds: expected a table")
    by = table.get("by", "category")
    if by != "category":
        raise ConfigError(f"{source}: feeds.by: expected \"category\", got {by!r}")
    only = table.get("only")
    if only is not None and (not isinstance(only, list)
                             or not all(isinstance(c, str) and c.strip() for c in only)):
        raise ConfigError(f"{source}: feeds.only: expected a list of category names")
    overrides: dict[str, dict[str, str]] = {}
    for name, value in table.items():
        if name in _TABLE_KEYS:
            continue
        if not isinstance(value, dict):
            raise ConfigError(f"{source}: feeds.{name}: unknown key (expected by, only, or a "
                              "table per category with title, description, artwork)")
        for key, text in value.items():
            if key not in _CATEGORY_KEYS or not isinstance(text, str) or not text.strip():
                raise ConfigError(f"{source}: feeds.{name}.{key}: expected one of title, "
                                  "description, artwork, as a non-empty string")
        overrides[name] = {k: v.strip() for k, v in value.items()}
        if "artwork" in overrides[name] and "://" not in overrides[name]["artwork"]:
            overrides[name]["artwork"] = str((path.resolve().parent
                                              / overrides[name]["artwork"]).resolve())
    return FeedsSpec(True, frozenset(c.strip() for c in only) if only else None, overrides)


def feed_name(category: str) -> str:
    return f"{FEED_PREFIX}{safe_slug(category, fallback='category')}.xml"


def _artwork_url(out_dir: Path, config: PodcastConfig, category: str, title: str,
                 given: str | None, tmp_dir: Path | None) -> str:
    """The category's artwork URL: its own (copied into the folder), else one drawn."""
    base = config.base_url or ""
    stem = f"{ARTWORK_PREFIX}{safe_slug(category, fallback='category')}"
    if given and urlsplit(given).scheme in ("http", "https"):
        return given
    if given:
        source = Path(given)
        info = check_artwork(source)
        name = f"{stem}.{'png' if info.format == 'PNG' else 'jpg'}"
        data = source.read_bytes()
        target = out_dir / name
        if not target.is_file() or target.read_bytes() != data:
            try:
                atomic_write_bytes(target, data, tmp_dir=tmp_dir)
            except OSError as e:
                raise PublishError(f"cannot copy the artwork to {target} ({e.strerror})") from e
        return file_url(base, name)
    name = f"{stem}.jpg"
    if not (out_dir / name).is_file():
        from narrate.publish.cover import draw_cover

        draw_cover(title, out_dir / name)
    return file_url(base, name)


def write_category_feeds(
    store: Store,
    config: PodcastConfig,
    spec: FeedsSpec,
    categories: Mapping[str, list[str]],
    *,
    now: dt.datetime,
    tmp_dir: Path | None = None,
) -> list[Path]:
    """Write ``feed-<category>.xml`` for every wanted category of ``categories`` (episode
    key to its categories) into the folder of ``store``, each replaced atomically. Returns
    the feeds written."""
    if not config.base_url:
        return []
    out_dir = store.out_dir
    entries = load_index(store)
    by_category: dict[str, list[str]] = {}
    for key, names in categories.items():
        for name in names:
            if spec.wanted(name):
                by_category.setdefault(name, []).append(key)
    written = []
    for category in sorted(by_category):
        keys = set(by_category[category])
        own = spec.overrides.get(category, {})
        title = own.get("title") or f"{config.title}: {category}"
        feed_config = dataclasses.replace(
            config, title=title, description=own.get("description") or title)
        artwork = _artwork_url(out_dir, config, category, title, own.get("artwork"), tmp_dir)
        items = present(out_dir, [e for e in entries if e.key in keys])
        name = feed_name(category)
        data = feed_xml(feed_config, items, artwork_url=artwork, now=now, name=name)
        path = out_dir / name
        try:
            with atomic_path(path, suffix=".xml", tmp_dir=tmp_dir) as tmp:
                tmp.write_bytes(data)
        except OSError as e:
            raise PublishError(f"cannot write {path} ({e.strerror or e})") from e
        written.append(path)
    if written:
        log.info("wrote %d category feeds", len(written))
    return written
