"""``narrate build``: articles to episodes (MP3 with chapters, chapters JSON, WebVTT)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import click

from narrate.cli._group import cli
from narrate.cli._options import article_options
from narrate.cli._progress import ChunkBar
from narrate.cli.podcast import now, podcast_options, resolve_config
from narrate.errors import UsageError
from narrate.fsutil import remove_temps
from narrate.mix import MixSettings
from narrate.pipeline import DEFAULT_PODCAST, BuildSettings, Episode, build_episode
from narrate.publish.feed import publish_episode
from narrate.synth import DEFAULT_JOBS, resolve_engine
from narrate.text.lexicon import load_lexicon

#: ``--pause NAME=MS`` names and the MixSettings field each one sets.
PAUSES = {
    "clause": "clause_pause_ms",
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


def format_duration(ms: int) -> str:
    seconds = round(ms / 1000)
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def summary(episode: Episode) -> str:
    """One line a person reads after each episode."""
    cost = (
        f"{episode.chunks} chunks, {episode.cache_hits} from cache, "
        f"{episode.requests} synthesized"
    )
    if episode.retries:
        cost += f", {episode.retries} retried"
    return (
        f"{episode.audio}  {format_duration(episode.timeline.duration_ms)} · "
        f"{len(episode.timeline.chapters)} chapters · engine {episode.engine} · {cost}"
    )


@cli.command("build")
@click.argument("articles", nargs=-1, required=True)
@article_options
@click.option(
    "--out",
    "out_dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("audio"),
    show_default=True,
    help="Folder the episodes are written to.",
)
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
@click.option("--json", "as_json", is_flag=True, help="Print the episodes as JSON.")
@click.option("--quiet", "-q", is_flag=True, help="No progress bar or summary lines.")
@click.option(
    "--loudness", type=float, help="Target loudness in LUFS [default: -19 mono, -16 stereo]."
)
@click.option("--bitrate", default="96k", show_default=True, help="MP3 bit rate (CBR).")
@click.option("--stereo", is_flag=True, help="Encode stereo instead of mono.")
@click.option("--intro", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Music or jingle played before the title (faded).")
@click.option("--outro", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Music or jingle played after the last words (faded).")
@click.option("--cover", type=click.Path(dir_okay=False, exists=True, path_type=Path),
              help="Cover image (JPEG or PNG) embedded in the MP3.")
@click.option("--podcast", help="Podcast name written into the tags [default: the title in "
              f"narrate.toml, else {DEFAULT_PODCAST!r}].")
@podcast_options
@click.option("--pause", "pauses", multiple=True, metavar="NAME=MS",
              help="Pause length: clause, sentence, paragraph, section, heading, title.")
@click.option(
    "--tld", default="com", show_default=True, help="gTTS: Google host's top-level domain."
)
@click.option("--slow", is_flag=True, help="gTTS: read slowly.")
@click.option("--rate", type=click.IntRange(80, 450), default=175, show_default=True,
              help="espeak: words per minute.")
@click.option("--pitch", type=click.IntRange(0, 99), default=50, show_default=True,
              help="espeak: pitch.")
def build_command(
    articles: tuple[str, ...],
    engine: str,
    lexicon: Path | None,
    fmt: str | None,
    timeout: float,
    out_dir: Path,
    cache_dir: Path | None,
    jobs: int,
    as_json: bool,
    quiet: bool,
    loudness: float | None,
    bitrate: str,
    stereo: bool,
    intro: Path | None,
    outro: Path | None,
    cover: Path | None,
    podcast: str | None,
    config_path: Path | None,
    base_url: str | None,
    pauses: tuple[str, ...],
    tld: str,
    slow: bool,
    rate: int,
    pitch: int,
) -> None:
    """Narrate each ARTICLE into an episode in --out: an MP3 with one chapter per section,
    Podcasting 2.0 chapters JSON, WebVTT captions and a WebVTT chapters track. The folder's
    episode index is updated, and feed.xml regenerated when a base URL is configured.

    ARTICLE is a file, - for standard input, or an http(s) URL.
    """
    config = resolve_config(config_path, base_url)
    mix = MixSettings(
        loudness_lufs=loudness,
        bitrate=bitrate,
        stereo=stereo,
        intro=intro,
        outro=outro,
        **parse_pauses(pauses),
    )
    mix.validate()
    options: dict[str, dict[str, Any]] = {
        "gtts": {"tld": tld, "slow": slow},
        "espeak": {"rate": rate, "pitch": pitch},
    }
    settings = BuildSettings(
        out_dir=out_dir,
        engine=engine,
        cache_dir=cache_dir,
        lexicon=load_lexicon(lexicon) if lexicon else None,
        jobs=jobs,
        mix=mix,
        podcast=podcast or (config.title if config else DEFAULT_PODCAST),
        cover=cover,
        fmt=fmt,
        timeout=timeout,
        engine_options=options,
    )
    choice = resolve_engine(engine, options=options)
    if choice.note and not quiet:
        click.echo(f"narrate: {choice.note}", err=True)
    episodes = []
    for source in articles:
        bar = ChunkBar(Path(source).name, quiet=quiet or as_json)
        try:
            episode = build_episode(source, choice.engine, settings, progress=bar)
        finally:
            bar.close()
        try:
            publish_episode(out_dir, episode, config, now=now())
        except BaseException:
            for name in ("episodes.json", "feed.xml"):
                remove_temps(out_dir / name)
            raise
        episodes.append(episode)
        if not quiet and not as_json:
            click.echo(summary(episode))
    if as_json:
        click.echo(
            json.dumps({"episodes": [e.to_json() for e in episodes]}, ensure_ascii=False, indent=2)
        )

