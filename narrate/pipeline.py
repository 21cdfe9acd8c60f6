"""The whole path from an article to a published episode, as one function per article.

Two steps, so that the machine that renders need not be the one that publishes:

- :func:`stage_episode` reads, scripts, synthesizes, renders, tags and writes the sidecars
  of one article into a *staging folder* the caller gives (usually a new folder in this
  run's work area, :meth:`~narrate.publish.folder.OutputFolder.stage`), where no reader
  looks. Temporary audio (the PCM scratch) lives there too.
- :meth:`~narrate.publish.folder.OutputFolder.publish` switches the staged files in as the
  episode's live version and updates the store, the embed page, ``episodes.json`` and
  ``feed.xml`` (see :mod:`narrate.publish.folder` for the order, and why a kill anywhere
  leaves nothing mixed). A driver that has a finished episode's files (a cluster's workers
  rendered them) calls it with that :class:`~narrate.model.Episode`.

:func:`build_episode` is both, for one article.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrate.cache import ClipCache
from narrate.config import PodcastConfig
from narrate.engines.base import Engine
from narrate.engines.limiter import AdaptiveLimiter
from narrate.engines.registry import engine_spec
from narrate.errors import UsageError
from narrate.fsutil import SLUG_MAX_BYTES, open_regular, safe_slug
from narrate.mix import MixSettings, render_episode, write_tags
from narrate.model import Article, Episode, Script, Synthesis, Timeline, reaches
from narrate.publish.artwork import check_podcast_artwork, image_info
from narrate.publish.files import MEDIA, media_paths
from narrate.publish.folder import OutputFolder, utc_now
from narrate.readers import read_article
from narrate.script import build_script, describe
from narrate.stop import Stop
from narrate.synth import DEFAULT_JOBS, ProgressCallback, synthesize
from narrate.text.lexicon import Lexicon

log = logging.getLogger(__name__)

DEFAULT_PODCAST = "narrate"


@dataclass(frozen=True)
class BuildSettings:
    """Everything that shapes an episode besides the article and the engine. Each field
    says how it reaches the episode's files (:data:`narrate.model.Reach`), which is what
    the build fingerprint reads: a field that says nothing counts by its value."""

    #: The engine's name: the engine's identity and the script's chunking are fingerprinted.
    engine: str = field(default="auto", metadata=reaches("engine"))
    cache_dir: Path | None = field(default=None, metadata=reaches("none"))
    #: Pronunciation rules: they change the script, which is fingerprinted.
    lexicon: Lexicon | None = field(default=None, metadata=reaches("script"))
    jobs: int = field(default=DEFAULT_JOBS, metadata=reaches("none"))
    mix: MixSettings = field(default_factory=MixSettings)
    #: The podcast's name: the MP3's album.
    podcast: str = DEFAULT_PODCAST
    #: The image embedded in the MP3, by its bytes.
    cover: Path | None = field(default=None, metadata=reaches("file"))
    #: The podcast's author (narrate.toml): the MP3's artist when the article names none.
    author: str | None = field(default=None, metadata=reaches("fallback"))
    fmt: str | None = field(default=None, metadata=reaches("script"))
    timeout: float = field(default=15.0, metadata=reaches("none"))
    engine_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict,
                                                            metadata=reaches("engine"))
    #: Reads the sources it knows (a feed's items, see :mod:`narrate.follow.reader`) and
    #: returns None for the others, which the readers read as usual.
    article_reader: Callable[[str], Article | None] | None = field(
        default=None, metadata=reaches("script"))


def load_script(source: str, engine: str, settings: BuildSettings) -> Script:
    """Read the article at ``source`` and turn it into the script engine ``engine`` (a
    registry name, ``auto`` included) will say.

    Costs no request to the engine, so a batch can decide from the script whether an
    episode is already up to date.
    """
    article = settings.article_reader(source) if settings.article_reader else None
    if article is None:
        article = read_article(source, fmt=settings.fmt, timeout=settings.timeout)
    spec = engine_spec(engine)
    return build_script(
        article, max_chars=spec.max_chars, lexicon=settings.lexicon, phonemes=spec.phonemes
    )


def episode_slug(script: Script, source: str, n: int = 1) -> str:
    """The slug of the episode of ``script``: its title, else the source's file name. The
    ``n``-th article of that title in one folder (``n`` > 1) gets ``-n`` after it, the
    title's part cut shorter so the whole stays within the slug's length."""
    fallback = safe_slug(Path(source).stem if source not in ("-", "") else "episode",
                         fallback="episode")
    if n <= 1:
        return safe_slug(script.title, fallback=fallback)
    suffix = f"-{n}"
    room = SLUG_MAX_BYTES - len(suffix)
    return safe_slug(script.title, fallback=fallback, max_bytes=room) + suffix


def check_settings(settings: BuildSettings, config: PodcastConfig | None = None) -> None:
    """Everything about the settings that can fail, checked before any synthesis: the mix,
    the cover, and the podcast's artwork when a feed will be written."""
    settings.mix.validate()
    if settings.cover is not None:
        _check_cover(settings.cover)
    if config is not None:
        check_podcast_artwork(config)


def _check_cover(cover: Path) -> None:
    """The cover embedded in the MP3: a readable JPEG or PNG (any size)."""
    try:
        with open_regular(cover) as f:  # a FIFO named cover.jpg must not hang the build
            head = f.read(256 * 1024)
    except OSError as e:
        raise UsageError(f"cover image {cover} cannot be read ({e.strerror or e})") from e
    if cover.suffix.lower() not in (".jpg", ".jpeg", ".png") or image_info(head) is None:
        raise UsageError(f"cover image {cover}: not a JPEG or PNG image (by its name and its "
                         "first bytes). Probable cause: the wrong file")


def stage_episode(
    source: str,
    engine: Engine,
    settings: BuildSettings,
    *,
    cache: ClipCache | None = None,
    progress: ProgressCallback | None = None,
    limiter: AdaptiveLimiter | None = None,
    script: Script | None = None,
    slug: str | None = None,
    stage_dir: Path,
    stop: Stop | None = None,
) -> Episode:
    """Narrate the article at ``source`` with ``engine`` into the empty folder
    ``stage_dir``: every file of one version of the episode
    (:data:`~narrate.publish.files.MEDIA`) under its plain name. Nothing a reader of the output
    folder sees changes: see :meth:`~narrate.publish.folder.OutputFolder.publish`. Clips
    the cache cannot take go beside ``stage_dir`` (``clips/``).

    ``limiter`` shares one budget of requests in flight between the articles of a batch;
    ``script`` is the article's script when the caller already has it (see
    :func:`load_script`); ``slug`` the episode's slug when the caller chose it (a batch
    keeps two articles with one title apart), else :func:`episode_slug`. ``stop`` ends the
    work at once when it is set (:class:`~narrate.stop.Cancelled`).
    """
    check_settings(settings)
    if script is None:
        script = load_script(source, engine.name, settings)
    cache = cache or ClipCache(settings.cache_dir)
    cache.spill_to(stage_dir.parent / "clips")
    synthesis = synthesize(
        script, engine, cache, jobs=settings.jobs, limiter=limiter, progress=progress,
        stop=stop,
    )
    if stop is not None:
        stop.check()  # stopped while the last chunk finished: nothing is rendered
    slug = slug or episode_slug(script, source)
    paths = media_paths(stage_dir, slug)
    timeline = _write_episode(script, synthesis, paths, settings, stage_dir)
    log.info("staged %s (%d ms, engine %s)", paths["audio"], timeline.duration_ms,
             synthesis.engine)
    return Episode(
        slug=slug,
        title=script.title,
        source=source,
        files=paths,
        engine=synthesis.engine,
        timeline=timeline,
        chunks=len(synthesis.clips),
        requests=synthesis.requests,
        cache_hits=synthesis.cache_hits,
        retries=synthesis.retries,
    )


def build_episode(
    source: str,
    engine: Engine,
    settings: BuildSettings,
    folder: OutputFolder,
    *,
    cache: ClipCache | None = None,
    progress: ProgressCallback | None = None,
    limiter: AdaptiveLimiter | None = None,
    script: Script | None = None,
    slug: str | None = None,
    config: PodcastConfig | None = None,
    now: dt.datetime | None = None,
) -> Episode:
    """:func:`stage_episode` into ``folder``'s work area, then publish it there: the
    published episode (its paths are the live files)."""
    staged = stage_episode(source, engine, settings, cache=cache, progress=progress,
                           limiter=limiter, script=script, slug=slug, stage_dir=folder.stage())
    return folder.publish(staged, config=config, now=now or utc_now())


def _write_episode(
    script: Script,
    synthesis: Synthesis,
    paths: dict[str, Path],
    settings: BuildSettings,
    work_dir: Path,
) -> Timeline:
    """Render and tag the MP3, then write every file of the table that has a writer
    (:data:`~narrate.publish.files.MEDIA`) into the staging folder."""
    description = describe(script)
    timeline = render_episode(script, synthesis, paths["audio"], settings.mix, work_dir=work_dir)
    write_tags(
        paths["audio"],
        script=script,
        timeline=timeline,
        podcast=settings.podcast,
        description=description,
        engine=synthesis.engine,
        cover=settings.cover,
        author=settings.author,
    )
    for file in MEDIA:
        if file.write is not None:
            paths[file.key].write_text(file.write(script, timeline), encoding="utf-8")
    return timeline
