"""``narrate build``: articles to episodes (MP3 with chapters, chapters JSON, WebVTT)."""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

import click

from narrate.cli._group import cli
from narrate.cli._options import SettingsCommand, article_options, out_dir_option
from narrate.cli.podcast import (
    configured_artwork,
    now,
    podcast_options,
    resolve_config,
    warn_publishing,
)
from narrate.config import PodcastConfig
from narrate.errors import UsageError
from narrate.model import clock
from narrate.synth import DEFAULT_JOBS, ProgressCallback, resolve_engine

if TYPE_CHECKING:  # the pipeline is imported when a build runs, so --help starts fast
    from narrate.batch.results import ArticleResult, BatchReport
    from narrate.batch.runners import Runner
    from narrate.engines.base import Engine
    from narrate.model import Episode
    from narrate.pipeline import BuildSettings
    from narrate.publish.folder import OutputFolder
    from narrate.text.lexicon import Lexicon

#: narrate.pipeline.DEFAULT_PODCAST, which --help shows without importing the pipeline
#: (tests/cli/test_startup.py checks they agree).
DEFAULT_PODCAST = "narrate"

#: ``--pause NAME=MS`` names and the MixSettings field each one sets.
PAUSES = {
    "clause": "clause_pause_ms",
    "phrase": "phrase_pause_ms",
    "sentence": "sentence_pause_ms",
    "paragraph": "paragraph_pause_ms",
    "section": "section_pause_ms",
    "heading": "heading_pause_ms",
    "title": "title_pause_ms",
}


def parse_pauses(values: tuple[str, ...]) -> dict[str, int]:
    """``("sentence=600", "section=2000")`` to MixSettings keywords."""
    out: dict[str, int] = {}
    for value in values:
        name, _, ms = value.partition("=")
        if name not in PAUSES or not ms.isdigit():
            known = ", ".join(PAUSES)
            raise UsageError(
                f"--pause takes NAME=MILLISECONDS with NAME one of {known}; not {value!r}"
            )
        out[PAUSES[name]] = int(ms)
    return out


def summary(episode: Episode) -> str:
    """One line a person reads after each episode."""
    cost = (
        f"{episode.chunks} chunks, {episode.cache_hits} from cache, "
        f"{episode.requests} synthesized"
    )
    if episode.retries:
        cost += f", {episode.retries} retried"
    return (
        f"{episode.audio}  {clock(episode.timeline.duration_ms)} · "
        f"{len(episode.timeline.chapters)} chapters · engine {episode.engine} · {cost}"
    )


def cluster_runner(
    address: str | None, engine: Engine, settings: BuildSettings, folder: OutputFolder,
    workers: int | None,
) -> contextlib.AbstractContextManager[Runner | None]:
    """``--cluster``: the Dask cluster the articles are built on (imported only then)."""
    if not address:
        return contextlib.nullcontext()
    try:
        from narrate.cluster import open_cluster
    except ImportError as e:
        if e.name not in ("distributed", "dask"):
            raise
        raise UsageError(
            "--cluster needs Dask distributed: pip install 'narrate-hindi[cluster]'"
        ) from e
    return open_cluster(address, engine, settings, folder, workers=workers)


def result_line(result: ArticleResult) -> str:
    """One line a person reads after each article of a batch."""
    if result.episode is not None:
        return summary(result.episode)
    if result.status == "skipped":
        return f"{result.source}  unchanged since the last build; skipped ({result.slug})"
    error = result.error or "failed"
    if error.startswith(f"{result.source}: "):  # most errors name the file already
        error = error[len(result.source) + 2:]
    return f"{result.source}  FAILED: {error}"


class BatchBar:
    """``[#####     ] 12/100 articles · 10 built · 1 skipped · 1 failed`` on a terminal.

    Per-article lines are printed above it; :meth:`close` clears it.
    """

    def __init__(self, total: int, *, quiet: bool = False, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = not quiet and total > 1 and self.stream.isatty()
        self.total = total
        self.counts = {"built": 0, "skipped": 0, "failed": 0}
        self._lock = threading.Lock()

    def clear(self) -> None:
        if self.enabled:
            self.stream.write("\r\x1b[2K")
            self.stream.flush()

    def add(self, result: ArticleResult) -> None:
        with self._lock:
            self.counts[result.status] += 1
            if not self.enabled:
                return
            done = sum(self.counts.values())
            width = 24
            filled = width * done // self.total
            line = (
                f"[{'#' * filled}{' ' * (width - filled)}] {done}/{self.total} articles · "
                f"{self.counts['built']} built · {self.counts['skipped']} skipped · "
                f"{self.counts['failed']} failed"
            )
            self.stream.write("\r\x1b[2K" + line)
            self.stream.flush()


def report_json(report: BatchReport, *, batch: bool) -> str:
    """``--json``: ``{"episodes": [...]}``, one entry per episode built, exactly the
    contract of a single build. A batch (more than one article) adds ``"articles"``: the
    result of every article started, in the order given (``built``, ``skipped`` when
    unchanged, ``failed`` with the reason), then those ``not_started`` after --fail-fast."""
    episodes = [r.episode.to_json() for r in report.built if r.episode is not None]
    data: dict[str, object] = {"episodes": episodes}
    if batch:
        data["articles"] = [
            *(r.to_json() for r in report.results),
            *({"source": s, "status": "not_started"} for s in report.not_started),
        ]
    return json.dumps(data, ensure_ascii=False, indent=2)


@cli.command("build", cls=SettingsCommand)
@click.argument("articles", nargs=-1, required=True)
@article_options
@out_dir_option("Folder the episodes are written to.")
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    envvar="NARRATE_CACHE_DIR",
    help="Clip cache folder (default: the user's cache folder; env NARRATE_CACHE_DIR).",
)
@click.option(
    "--jobs",
    type=click.IntRange(1, 64),
    default=DEFAULT_JOBS,
    show_default=True,
    help="Most requests in flight to Google at once.",
)
@click.option(
    "--workers",
    type=click.IntRange(1, 256),
    help="Articles worked on at once [default: the number of cores].",
)
@click.option(
    "--cluster",
    metavar="ADDRESS",
    envvar="NARRATE_CLUSTER",
    help="Narrate on a Dask cluster: its scheduler (tcp://host:8786), or 'local' for one "
    "worker process per core (--workers of them) on this machine. Needs "
    "narrate-hindi[cluster]; env NARRATE_CLUSTER.",
)
@click.option("--fail-fast", is_flag=True, help="Stop starting articles at the first failure.")
@click.option("--force", is_flag=True, help="Rebuild episodes whose article did not change.")
@click.option("--json", "as_json", is_flag=True,
              help="Print every article's result (and the built episodes) as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary lines.")
@click.option(
    "--loudness", type=float, help="Target loudness in LUFS [default: -19 mono, -16 stereo]."
)
@click.option("--bitrate", default="96k", show_default=True, help="MP3 bit rate (CBR).")
@click.option("--stereo", is_flag=True, help="Encode stereo instead of mono.")
@click.option("--intro", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Music bed: it opens the episode, goes down under the spoken title, "
              "comes back up and fades out.")
@click.option("--duck", type=click.FloatRange(0, 40), default=12.0, show_default=True,
              metavar="DB", help="How far the intro goes down under the title, in dB.")
@click.option("--outro", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Music or jingle played after the last words (faded).")
@click.option("--cover", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Cover image (JPEG or PNG) embedded in the MP3 [default: the artwork in "
              "narrate.toml].")
@click.option("--podcast", help="Podcast name written into the tags [default: the title in "
              f"narrate.toml, else {DEFAULT_PODCAST!r}].")
@podcast_options
@click.option("--pause", "pauses", multiple=True, metavar="NAME=MS",
              help="Pause length: clause, sentence, paragraph, section, heading, title.")
def build_command(
    articles: tuple[str, ...],
    engine: str,
    lexicon: Path | None,
    fmt: str | None,
    timeout: float,
    out_dir: Path,
    cache_dir: Path | None,
    jobs: int,
    workers: int | None,
    cluster: str | None,
    fail_fast: bool,
    force: bool,
    as_json: bool,
    quiet: bool,
    loudness: float | None,
    bitrate: str,
    stereo: bool,
    intro: Path | None,
    duck: float,
    outro: Path | None,
    cover: Path | None,
    podcast: str | None,
    config_path: Path | None,
    base_url: str | None,
    pauses: tuple[str, ...],
    **engine_settings: Any,
) -> None:
    """Narrate each ARTICLE into an episode in --out: an MP3 with one chapter per section,
    Podcasting 2.0 chapters JSON, WebVTT captions, a WebVTT chapters track and a plain-text
    transcript. The folder's episode index is updated, and feed.xml regenerated when a base
    URL is configured.

    ARTICLE is a file, a folder (its .txt, .md, .html and .json files, recursively, except
    README-like files), a glob such as 'news/**/*.md', - for standard input, or an http(s)
    URL. --workers articles are narrated at once, sharing one budget of requests to
    Google. An article that fails is reported and skipped; the others are published and
    the exit code is 1. Episodes whose article and settings did not change since the last
    build are skipped without a request (--force rebuilds them).
    """
    from narrate.batch.run import run_batch
    from narrate.batch.sources import expand_sources
    from narrate.cli._progress import ChunkBar
    from narrate.cpus import cores
    from narrate.engines.registry import AUTO, candidates
    from narrate.follow.build import after_build, expand_feeds
    from narrate.mix import MixSettings
    from narrate.pipeline import BuildSettings
    from narrate.publish.artwork import check_podcast_artwork
    from narrate.publish.feed import FEED_NAME
    from narrate.publish.folder import OutputFolder

    config = resolve_config(config_path, base_url)
    if config is not None:
        check_podcast_artwork(config)  # before the engine probe and any synthesis
    warn_publishing(config)
    mix = MixSettings(
        loudness_lufs=loudness,
        bitrate=bitrate,
        stereo=stereo,
        intro=intro,
        outro=outro,
        music_duck_db=duck,
        **parse_pauses(pauses),
    )
    mix.validate()
    # --voice, --speed and the engines' own options (see EngineCommand), for each engine
    # this build may use: the chosen one, or auto's.
    options = {spec.name: spec.settings(engine_settings) for spec in candidates(engine)}
    settings = BuildSettings(
        engine=engine,
        cache_dir=cache_dir,
        lexicon=_load_rules(lexicon or _pronunciation(config)),
        jobs=jobs,
        mix=mix,
        podcast=podcast or (config.title if config else DEFAULT_PODCAST),
        cover=cover or configured_artwork(config),
        author=config.author if config else None,
        fmt=fmt,
        timeout=timeout,
        engine_options=options,
    )
    sources = expand_sources(articles, exclude=out_dir)
    expansion = expand_feeds(sources, timeout=timeout, fmt=fmt)  # a feed is its articles
    sources = expansion.sources
    settings = dataclasses.replace(settings, article_reader=expansion.reader)
    quiet_lines = quiet or as_json
    bar = BatchBar(len(sources), quiet=quiet_lines)
    # One article: its bar is on the screen from the start, through auto's probe.
    chunk_bar = ChunkBar(Path(sources[0]).name, quiet=quiet_lines) if len(sources) == 1 \
        else None
    try:
        if chunk_bar is not None and engine == AUTO:
            chunk_bar.phase("asking whether Google answers")
        choice = resolve_engine(engine, options=options)
        if chunk_bar is not None:
            chunk_bar.phase("reading the article")
        said = threading.Lock()
        noted: list[str] = []

        def on_start(source: str) -> None:
            """auto's choice, said once, when an article is to be spoken (not for a run that
            builds nothing)."""
            with said:
                if choice.note is None or quiet or noted:
                    return
                noted.append(source)
            line = f"narrate: {choice.note}"
            if chunk_bar is not None:
                chunk_bar.say(line)
            else:
                bar.clear()
                click.echo(line, err=True)

        def progress_for(source: str) -> ProgressCallback | None:
            return chunk_bar

        def on_result(result: ArticleResult) -> None:
            if chunk_bar is not None:
                chunk_bar.close()
            bar.clear()
            if not quiet_lines and not (len(sources) == 1 and result.status == "failed"):
                click.echo(result_line(result), err=result.status == "failed")
            bar.add(result)

        with OutputFolder(out_dir) as folder:
            with cluster_runner(cluster, choice.engine, settings, folder, workers) as runner:
                report = run_batch(
                    sources,
                    choice.engine,
                    settings,
                    folder=folder,
                    workers=workers or cores(),
                    fail_fast=fail_fast,
                    config=config,
                    now=now,
                    on_result=on_result,
                    progress_for=progress_for,
                    on_start=on_start,
                    force=force,
                    runner=runner,
                )
            bar.clear()
            if chunk_bar is not None:
                chunk_bar.close()
            after_build(folder, config, expansion, now())  # categories, and their feeds
            if folder.feed_written and config is not None and not quiet_lines:
                count = len(folder.index())
                click.echo(f"{folder.path / FEED_NAME}  {count} episode"
                           f"{'s' if count != 1 else ''} · {config.feed_url}")
    finally:
        bar.clear()
        if chunk_bar is not None:
            chunk_bar.close()
    if as_json:
        click.echo(report_json(report, batch=len(sources) > 1))
    failed = report.failed
    if len(sources) == 1 and failed and failed[0].exception is not None:
        raise failed[0].exception  # one article: its own error and exit code, as before
    error = report.error()
    if error is not None:
        raise error


def _load_rules(path: Path | None) -> Lexicon | None:
    from narrate.text.lexicon import load_lexicon

    return load_lexicon(path) if path is not None else None


def _pronunciation(config: PodcastConfig | None) -> Path | None:
    """The pronunciation file narrate.toml names, if any (``--lexicon`` overrides it)."""
    return Path(config.pronunciation) if config is not None and config.pronunciation else None
