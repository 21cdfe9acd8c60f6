"""The whole path from an article to a published episode, as one function per article.

``build_episode`` is a pure function of the article, the settings and the clip cache (plus
the engine it is handed), so any executor can run it. It reads, scripts, synthesizes,
renders, tags and writes the sidecars; every file lands through a temporary file and a
rename, so an interrupted build leaves nothing half-written in the output folder.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from narrate.cache import ClipCache
from narrate.engines.base import Engine, engine_spec
from narrate.engines.limiter import AdaptiveLimiter
from narrate.errors import PublishError, UsageError
from narrate.fsutil import SLUG_MAX_BYTES, atomic_path, inside, remove_temps, safe_slug
from narrate.mix import MixSettings, render_episode, write_tags
from narrate.model import Episode, Script, Synthesis, Timeline
from narrate.publish.chapters import chapters_json
from narrate.publish.embed import render_embed_page
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
    fmt: str | None = None
    timeout: float = 15.0
    engine_options: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)


def episode_paths(out_dir: Path, slug: str) -> dict[str, Path]:
    """The files of episode ``slug``, each checked to stay inside ``out_dir``."""
    names = {
        "audio": f"{slug}.mp3",
        "chapters_json": f"{slug}.chapters.json",
        "captions": f"{slug}.vtt",
        "chapters_vtt": f"{slug}.chapters.vtt",
        "page": f"{slug}.html",
    }
    return {key: inside(out_dir, name) for key, name in names.items()}


def load_script(source: str, engine: str, settings: BuildSettings) -> Script:
    """Read the article at ``source`` and turn it into the script engine ``engine`` (a
    registry name, ``auto`` included) will say.

    Costs no request to the engine, so a batch can decide from the script whether an
    episode is already up to date.
    """
    article = read_article(source, fmt=settings.fmt, timeout=settings.timeout)
    return build_script(
        article, max_chars=engine_spec(engine).max_chars, lexicon=settings.lexicon
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
) -> Episode:
    """Narrate the article at ``source`` with ``engine`` into ``settings.out_dir``.

    ``limiter`` shares one budget of requests in flight between the articles of a batch;
    ``script`` is the article's script when the caller already has it (see
    :func:`load_script`); ``slug`` the episode's slug when the caller chose it (a batch
    keeps two articles with one title apart), else :func:`episode_slug`.
    """
    settings.mix.validate()
    if settings.cover and not settings.cover.is_file():
        raise UsageError(f"cover image {settings.cover} does not exist")
    if script is None:
        script = load_script(source, engine.name, settings)
    cache = cache or ClipCache(settings.cache_dir)
    synthesis = synthesize(
        script, engine, cache, jobs=settings.jobs, limiter=limiter, progress=progress
    )

    out_dir = settings.out_dir
    try:
        out_dir.mkdir(parents=True, exist_ok=True)
    except OSError as e:
        raise PublishError(f"cannot create the output folder {out_dir}: {e.strerror}") from e
    slug = slug or episode_slug(script, source)
    paths = episode_paths(out_dir, slug)

    # Every file is written to a temporary name first; the renames happen together at the
    # end, so an interrupted build leaves the folder as it was.
    try:
        timeline = _write_episode(script, synthesis, slug, paths, settings)
    except BaseException:
        for path in paths.values():
            remove_temps(path)
        raise

    episode = Episode(
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
    log.info("built %s (%d ms, engine %s)", paths["audio"], timeline.duration_ms, synthesis.engine)
    return episode


def _write_episode(
    script: Script,
    synthesis: Synthesis,
    slug: str,
    paths: dict[str, Path],
    settings: BuildSettings,
) -> Timeline:
    """Render, tag and write every file of the episode through temporary names."""
    description = describe(script)
    with contextlib.ExitStack() as stack:
        tmp = {
            key: stack.enter_context(atomic_path(path, suffix=path.suffix))
            for key, path in paths.items()
        }
        timeline = render_episode(script, synthesis, tmp["audio"], settings.mix)
        write_tags(
            tmp["audio"],
            script=script,
            timeline=timeline,
            podcast=settings.podcast,
            description=description,
            engine=synthesis.engine,
            cover=settings.cover,
        )
        tmp["chapters_json"].write_text(
            chapters_json(timeline, title=script.title), encoding="utf-8"
        )
        tmp["captions"].write_text(captions_vtt(timeline), encoding="utf-8")
        tmp["chapters_vtt"].write_text(chapters_vtt(timeline), encoding="utf-8")
        page = render_embed_page(
            slug=slug, title=script.title, timeline=timeline, description=description
        )
        tmp["page"].write_text(page, encoding="utf-8")
    return timeline
