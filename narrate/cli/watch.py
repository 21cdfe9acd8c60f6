"""``narrate watch``: keep a folder in step with a site's feeds and sitemaps."""

from __future__ import annotations

import datetime as dt
import re
import signal
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from narrate.cli._group import cli
from narrate.cli._options import EngineCommand, EngineName, out_dir_option
from narrate.cli.build import DEFAULT_PODCAST
from narrate.cli.podcast import (
    configured_artwork,
    now,
    podcast_options,
    resolve_config,
    warn_publishing,
)
from narrate.errors import NarrateError, UsageError
from narrate.synth import DEFAULT_JOBS, resolve_engine

if TYPE_CHECKING:
    from narrate.follow.watch import Event, Watcher

_DURATION = re.compile(r"^(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?$")
#: IST, as dates without a time are read (the publisher's day).
_IST = dt.timezone(dt.timedelta(hours=5, minutes=30), "IST")


def parse_duration(text: str) -> float:
    """``10m``, ``90s``, ``1h30m`` or plain seconds (``600``) as seconds."""
    value = text.strip().lower()
    if re.fullmatch(r"\d+(\.\d+)?", value):
        seconds = float(value)
    else:
        found = _DURATION.match(value)
        if not value or found is None:
            raise UsageError(f"--every takes a duration such as 10m, 90s or 1h30m; not {text!r}")
        hours, minutes, secs = (int(g or 0) for g in found.groups())
        seconds = float(hours * 3600 + minutes * 60 + secs)
    if seconds <= 0:
        raise UsageError(f"--every must be more than 0 seconds, not {text!r}")
    return seconds


def parse_since(text: str | None) -> dt.datetime | None:
    """``--since``: a date (midnight in India) or an ISO date-time (UTC unless it says)."""
    if text is None:
        return None
    try:
        if len(text.strip()) == 10:
            return dt.datetime.combine(dt.date.fromisoformat(text.strip()), dt.time(),
                                       tzinfo=_IST)
        moment = dt.datetime.fromisoformat(text.strip())
    except ValueError as e:
        raise UsageError(f"--since takes a date such as 2025-08-01 (or an ISO date-time); "
                         f"not {text!r}") from e
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _stop_on_signals(watcher: Watcher) -> dict[int, Any]:
    """Ctrl-C or SIGTERM stops the watcher's waits, then does what it does for every
    command (the handler before: the first unwinds like Ctrl-C, stopping the articles in
    progress with nothing half-published; a second means now)."""
    held = (signal.SIGINT, signal.SIGTERM)
    previous: dict[int, Any] = {}

    def stop(signum: int, frame: object) -> None:
        watcher.stop()
        handler = previous.get(signum)
        if callable(handler):
            handler(signum, frame)
        raise KeyboardInterrupt(f"signal {signum}")

    for number in held:
        previous[number] = signal.signal(number, stop)
    return previous


@cli.command("watch", cls=EngineCommand)
@click.argument("sources", nargs=-1, required=True)
@click.option("--every", default="10m", show_default=True, metavar="DURATION",
              help="Time between rounds: 10m, 90s, 1h30m.")
@click.option("--since", metavar="DATE",
              help="Leave out articles dated before DATE (YYYY-MM-DD): a site's archive.")
@click.option("--limit", type=click.IntRange(1, None), metavar="N",
              help="On a source's first round, only its N newest articles; the rest of its "
              "archive is never built.")
@click.option("--by", "by", type=click.Choice(["category"]),
              help="Also publish one podcast feed per category (feed-<category>.xml).")
@click.option("--once", is_flag=True, help="One round, then exit (1 if anything failed).")
@click.option("--rounds", type=click.IntRange(1, None), metavar="N",
              help="N rounds, then exit.")
@click.option("--per-host", type=click.IntRange(1, 16), default=2, show_default=True,
              help="Most requests in flight to one site.")
@click.option("--engine", type=EngineName(), default="auto", show_default=True,
              help="Speech engine.")
@click.option("--lexicon", type=click.Path(dir_okay=False, path_type=Path),
              help="TSV of word and how to say it, for names and brands.")
@click.option("--timeout", type=float, default=15.0, show_default=True,
              help="Seconds to wait for a site's answer.")
@out_dir_option("Folder the episodes and feeds are written to.")
@click.option("--cache-dir", type=click.Path(file_okay=False, path_type=Path),
              envvar="NARRATE_CACHE_DIR", help="Clip cache folder (env NARRATE_CACHE_DIR).")
@click.option("--jobs", type=click.IntRange(1, 64), default=DEFAULT_JOBS, show_default=True,
              help="Most requests in flight to Google at once.")
@click.option("--workers", type=click.IntRange(1, 256),
              help="Articles worked on at once [default: the number of cores].")
@podcast_options
def watch_command(
    sources: tuple[str, ...],
    every: str,
    since: str | None,
    limit: int | None,
    by: str | None,
    once: bool,
    rounds: int | None,
    per_host: int,
    engine: str,
    lexicon: Path | None,
    timeout: float,
    out_dir: Path,
    cache_dir: Path | None,
    jobs: int,
    workers: int | None,
    config_path: Path | None,
    base_url: str | None,
    **engine_settings: Any,
) -> None:
    """Follow a news site: every --every, ask each SOURCE (an RSS, Atom or JSON feed, an
    XML sitemap or sitemap index) what is new with one conditional request, narrate each
    new article into --out, rebuild an article whose text changed (a correction: same
    GUID, new enclosure), and publish the feed. One line per article built, skipped or
    failed. The state lives in the folder's store: a restarted watcher resumes, and two
    watchers on one folder never build the same article twice."""
    from narrate.cpus import cores
    from narrate.engines.registry import candidates
    from narrate.follow.feeds import FeedsSpec, read_feeds_table
    from narrate.follow.http import PoliteClient, Politeness
    from narrate.follow.watch import Watcher, WatchOptions
    from narrate.pipeline import BuildSettings
    from narrate.publish.artwork import check_podcast_artwork
    from narrate.publish.folder import OutputFolder
    from narrate.text.lexicon import load_lexicon

    if any(not s.lower().startswith(("http://", "https://")) for s in sources):
        raise UsageError("narrate watch follows http(s) feeds and sitemaps; for files, use "
                         "narrate build")
    every_s = parse_duration(every)
    config = resolve_config(config_path, base_url)
    if config is not None:
        check_podcast_artwork(config)
    warn_publishing(config)
    feeds = read_feeds_table(Path(config.source)) if config is not None else None
    if by == "category":
        feeds = feeds or FeedsSpec(by_category=True)
    if feeds is not None and (config is None or not config.base_url):
        raise UsageError("feeds per category need the podcast's settings with a base_url. "
                         "Probable cause: run narrate init, then set base_url")
    # --voice, --speed and the engines' own options, for each engine the watcher may use
    options = {spec.name: spec.settings(engine_settings) for spec in candidates(engine)}
    settings = BuildSettings(
        engine=engine, cache_dir=cache_dir,
        lexicon=load_lexicon(lexicon) if lexicon else None, jobs=jobs,
        podcast=config.title if config else DEFAULT_PODCAST,
        cover=configured_artwork(config), author=config.author if config else None,
        timeout=timeout, engine_options=options,
    )
    choice = resolve_engine(engine, options=options)
    if choice.note:
        click.echo(f"narrate: {choice.note}", err=True)
    watch = WatchOptions(
        sources=tuple(sources), every_s=every_s, since=parse_since(since), limit=limit,
        rounds=1 if once else rounds, workers=workers or cores(), feeds=feeds,
    )

    def say(event: Event) -> None:
        stamp = now().strftime("%Y-%m-%dT%H:%M:%SZ")
        click.echo(f"{stamp} {event.line()}", err=event.kind == "failed")

    client = PoliteClient(Politeness(per_host=per_host, timeout=timeout))
    with OutputFolder(out_dir) as folder:  # one run in the folder for the watcher's life
        watcher = Watcher(folder, choice.engine, settings, watch, client, config=config,
                          now=now, on_event=say)
        previous = _stop_on_signals(watcher)
        try:
            reports = watcher.run()
        finally:
            for number, handler in previous.items():
                signal.signal(number, handler)
    last = reports[-1] if reports else None
    if once and last is not None and last.failed:
        raise NarrateError(f"the round had failures: {last.count('failed')} articles, "
                           f"{last.failed_sources} sources (see the lines above)")
