"""The whole path from an article to a published episode, as one function per article.

Two steps, so that the machine that renders need not be the one that publishes:

- :func:`stage_episode` reads, scripts, synthesizes, renders, tags and writes the sidecars
  of one article into a *staging folder* (by default a new folder in this run's work area
  ``<out>/.narrate/runs/<run>/``, see :class:`~narrate.publish.store.Workspace`), where no
  reader looks. Temporary audio (the PCM scratch) lives there too.
- :func:`publish_staged` switches the staged files in as the episode's live version and
  updates the store, the embed page, ``episodes.json`` and ``feed.xml``. A driver that has
  a finished episode's files (a cluster's workers rendered them) calls it with that
  :class:`~narrate.model.Episode`.

:func:`build_episode` is both, for one article.

**The episode switch.** A reader of the folder (a web server, a podcast app) finds an
episode through a *pointer*: ``feed.xml``, ``episodes.json`` or the embed page
``<slug>.html``. Each pointer is one file replaced with one rename, and names one version of
the episode's four media files (MP3, chapters JSON, captions, chapters track). Versions are
never changed after they are published: a rebuild writes a new version beside the live one
(``<slug>.<v>.mp3``, …; the first build of a slug has the plain ``<slug>.mp3``), and the
store's transaction that makes it live is the moment of the switch. In order, under the
folder's publish lock: the version is reserved (``pending``, owned by this run), the staged
files are renamed to its names, one transaction makes it live and the former live version
``previous``, the page and then the index and the feed are replaced, and last the files of
the version before ``previous`` are deleted. A kill at any point leaves every pointer naming
a version whose files are all there (the previous version is kept until the *next* switch,
so a page or feed not yet replaced still finds its files); the next run sweeps the files of
versions never made live and rewrites any pointer that lags the store.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrate.cache import ClipCache
from narrate.config import PodcastConfig, check_config
from narrate.engines.base import Engine, engine_spec
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import PublishError, UsageError
from narrate.fsutil import SLUG_MAX_BYTES, atomic_write_text, inside, safe_slug
from narrate.mix import MixSettings, render_episode, write_tags
from narrate.model import Article, Episode, Script, Synthesis, Timeline
from narrate.publish.artwork import image_info
from narrate.publish.chapters import chapters_json
from narrate.publish.embed import render_embed_page
from narrate.publish.feed import write_public
from narrate.publish.index import iso, new_guid, read_tag_info, source_key
from narrate.publish.store import Store, Version, Workspace, workspace
from narrate.publish.vtt import captions_vtt, chapters_vtt
from narrate.readers import read_article
from narrate.script import build_script, describe
from narrate.synth import DEFAULT_JOBS, ProgressCallback, synthesize
from narrate.text.lexicon import Lexicon

log = logging.getLogger(__name__)

DEFAULT_PODCAST = "narrate"


@dataclass(frozen=True)
class BuildSettings:
    """Everything that shapes an episode besides the article and the engine."""

    out_dir: Path = Path("audio")
    engine: str = "auto"
    cache_dir: Path | None = None
    lexicon: Lexicon | None = None
    jobs: int = DEFAULT_JOBS
    mix: MixSettings = field(default_factory=MixSettings)
    podcast: str = DEFAULT_PODCAST
    cover: Path | None = None
    #: The podcast's author (narrate.toml): the MP3's artist when the article names none.
    author: str | None = None
    fmt: str | None = None
    timeout: float = 15.0
    engine_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    #: Reads the sources it knows (a feed's items, see :mod:`narrate.follow.reader`) and
    #: returns None for the others, which the readers read as usual.
    article_reader: Callable[[str], Article | None] | None = None


def episode_paths(out_dir: Path, slug: str, version: str = "") -> dict[str, Path]:
    """The files of version ``version`` of episode ``slug`` (``""``: the plain names), each
    checked to stay inside ``out_dir``. The page has one name for every version."""
    stem = f"{slug}.{version}" if version else slug
    names = {
        "audio": f"{stem}.mp3",
        "chapters_json": f"{stem}.chapters.json",
        "captions": f"{stem}.vtt",
        "chapters_vtt": f"{stem}.chapters.vtt",
        "page": f"{slug}.html",
    }
    return {key: inside(out_dir, name) for key, name in names.items()}


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
        check_config(config)


def _check_cover(cover: Path) -> None:
    """The cover embedded in the MP3: a readable JPEG or PNG (any size)."""
    try:
        with cover.open("rb") as f:
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
    stage_dir: Path | None = None,
) -> Episode:
    """Narrate the article at ``source`` with ``engine`` into ``stage_dir`` (a new folder
    in this run's work area of ``settings.out_dir`` unless given): the MP3, chapters JSON,
    captions and chapters track under the plain names of :func:`episode_paths`. Nothing a
    reader of the output folder sees changes: see :func:`publish_staged`.

    ``limiter`` shares one budget of requests in flight between the articles of a batch;
    ``script`` is the article's script when the caller already has it (see
    :func:`load_script`); ``slug`` the episode's slug when the caller chose it (a batch
    keeps two articles with one title apart), else :func:`episode_slug`.
    """
    check_settings(settings)
    if script is None:
        script = load_script(source, engine.name, settings)
    cache = cache or ClipCache(settings.cache_dir)
    if stage_dir is None:
        stage_dir = workspace_of(settings.out_dir).stage()
    cache.spill_to(stage_dir.parent / "clips")
    synthesis = synthesize(
        script, engine, cache, jobs=settings.jobs, limiter=limiter, progress=progress
    )
    slug = slug or episode_slug(script, source)
    paths = episode_paths(stage_dir, slug)
    timeline = _write_episode(script, synthesis, paths, settings, stage_dir)
    log.info("staged %s (%d ms, engine %s)", paths["audio"], timeline.duration_ms,
             synthesis.engine)
    return Episode(
        slug=slug,
        title=script.title,
        source=source,
        audio=paths["audio"],
        chapters_json=paths["chapters_json"],
        captions=paths["captions"],
        chapters_vtt=paths["chapters_vtt"],
        engine=synthesis.engine,
        timeline=timeline,
        chunks=len(synthesis.clips),
        requests=synthesis.requests,
        cache_hits=synthesis.cache_hits,
        retries=synthesis.retries,
    )


def _clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def build_episode(
    source: str,
    engine: Engine,
    settings: BuildSettings,
    *,
    cache: ClipCache | None = None,
    progress: ProgressCallback | None = None,
    limiter: AdaptiveLimiter | None = None,
    script: Script | None = None,
    slug: str | None = None,
    config: PodcastConfig | None = None,
    now: dt.datetime | None = None,
) -> Episode:
    """:func:`stage_episode` then :func:`publish_staged` into ``settings.out_dir``: the
    published episode (its paths are the live files)."""
    staged = stage_episode(source, engine, settings, cache=cache, progress=progress,
                           limiter=limiter, script=script, slug=slug)
    return publish_staged(settings.out_dir, staged, config=config, now=now or _clock())


# -- the folder ----------------------------------------------------------------------------


def workspace_of(
    out_dir: Path, config: PodcastConfig | None = None, now: dt.datetime | None = None
) -> Workspace:
    """This process's run in ``out_dir``; the first call sweeps what killed runs left (and
    rewrites the feed with ``config`` if that left it behind the store)."""
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(f"cannot create the output folder {out_dir}: {e.strerror}") from e
    ws = workspace(out_dir)
    if not ws.swept:
        ws.swept = True
        recover(out_dir, ws, config, now)
    return ws


def recover(out_dir: Path, ws: Workspace, config: PodcastConfig | None = None,
            now: dt.datetime | None = None) -> bool:
    """Sweep killed runs' leftovers (see :meth:`Workspace.sweep`) and bring every pointer
    (pages, ``episodes.json``, ``feed.xml`` when ``config`` is given) back in line with the
    store. True when something was left to clean."""
    store = Store(out_dir)
    with ws.publishing():
        dead, doomed = ws.sweep(store)
        _remove_versions(out_dir, store, doomed)
        if not dead and not doomed:
            return False
        live_pages = store.pages()
        for slug, (_version, page) in live_pages.items():
            path = episode_paths(out_dir, slug)["page"]
            try:
                current = path.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                current = None
            if current != page:
                log.info("%s lagged its episode's live version; rewritten", path.name)
                atomic_write_text(path, page, tmp_dir=ws.dir)
        write_public(out_dir, config, now=now or _clock(), tmp_dir=ws.dir)
    return True


def _remove_versions(out_dir: Path, store: Store, versions: list[Version]) -> None:
    """Delete the files of ``versions`` (doomed: neither live nor previous), and the page of
    a slug no version is live under any more; then forget them."""
    if not versions:
        return
    live = {v.slug for v in store.versions("live", "previous")}
    for version in versions:
        for kind, path in episode_paths(out_dir, version.slug, version.version).items():
            if kind == "page" and version.slug in live:
                continue
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    store.forget(versions)


def publish_staged(
    out_dir: Path,
    episode: Episode,
    *,
    config: PodcastConfig | None = None,
    now: dt.datetime,
    fingerprint: str | None = None,
) -> Episode:
    """Switch the staged ``episode`` (files anywhere on the output folder's file system,
    e.g. from :func:`stage_episode`) in as its slug's live version, and record it: the
    store (index and, with ``fingerprint``, the build manifest), the embed page,
    ``episodes.json``, and ``feed.xml`` when ``config`` has a base URL. See the module
    docstring for the order and why a kill anywhere leaves nothing mixed. Returns the
    episode with its published paths.
    """
    ws = workspace_of(out_dir)
    store = Store(out_dir)
    slug = episode.slug
    key = source_key(episode.source, slug)
    info = read_tag_info(episode.audio)
    description = info.description or episode.title
    staged = {"audio": episode.audio, "chapters_json": episode.chapters_json,
              "captions": episode.captions, "chapters_vtt": episode.chapters_vtt}
    with ws.publishing():
        version = store.reserve(slug, key, ws.run_id)
        paths = episode_paths(out_dir, slug, version)
        try:
            for kind, path in staged.items():
                path.replace(paths[kind])
        except OSError as e:
            for kind in staged:  # what moved goes; the live version is untouched
                paths[kind].unlink(missing_ok=True)
            store.drop(slug, version)
            raise PublishError(f"cannot move {slug}'s files into {out_dir} ({e.strerror or e})."
                               " Probable cause: the staging folder is on another file "
                               "system, or the output folder is not writable") from e
        page = render_embed_page(
            slug=slug, title=episode.title, timeline=episode.timeline,
            description=description, audio_name=paths["audio"].name,
            captions_name=paths["captions"].name, chapters_vtt_name=paths["chapters_vtt"].name,
            artist=info.artist, album=info.album,
        )
        row = {
            "key": key, "guid": new_guid(key), "slug": slug, "title": episode.title,
            "description": description, "duration_ms": episode.timeline.duration_ms,
            "first_built": iso(now), "updated": iso(now), "date": info.date,
            "source": episode.source, "version": version,
        }
        _, doomed = store.switch(row, page=page, fingerprint=fingerprint, now=iso(now),
                                 takeover=_warn_takeover(episode.source))
        try:
            atomic_write_text(paths["page"], page, tmp_dir=ws.dir)
        except OSError as e:
            raise PublishError(f"cannot write {paths['page']} ({e.strerror or e})") from e
        write_public(out_dir, config, now=now, tmp_dir=ws.dir)
        _remove_versions(out_dir, store, doomed)
    with contextlib.suppress(OSError):  # the staging folder, now empty, if it was ours
        if episode.audio.parent.is_relative_to(ws.dir):
            episode.audio.parent.rmdir()
    log.info("published %s (version %s)", paths["audio"], version or "plain")
    return dataclasses.replace(
        episode, audio=paths["audio"], chapters_json=paths["chapters_json"],
        captions=paths["captions"], chapters_vtt=paths["chapters_vtt"],
    )


def _warn_takeover(source: str) -> Callable[[dict[str, Any]], None]:
    def warn(other: dict[str, Any]) -> None:
        log.warning("episode %r (%s) was overwritten by %s, which has the same slug; "
                    "it leaves the feed", other["title"], other["source"], source)
    return warn


def _write_episode(
    script: Script,
    synthesis: Synthesis,
    paths: dict[str, Path],
    settings: BuildSettings,
    work_dir: Path,
) -> Timeline:
    """Render, tag and write the episode's media files into the staging folder."""
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
    paths["chapters_json"].write_text(chapters_json(timeline, title=script.title),
                                      encoding="utf-8")
    paths["captions"].write_text(captions_vtt(timeline), encoding="utf-8")
    paths["chapters_vtt"].write_text(chapters_vtt(timeline), encoding="utf-8")
    return timeline
