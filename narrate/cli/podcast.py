"""``narrate init``, ``narrate feed`` and ``narrate serve``: the output folder as a podcast."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar

import click

from narrate.cli._group import cli
from narrate.cli._options import folder_argument
from narrate.config import CONFIG_NAME, ConfigError, PodcastConfig, load_config, write_starter

F = TypeVar("F", bound=Callable[..., Any])


def podcast_options(func: F) -> F:
    """``--config FILE`` and ``--base-url URL``, shared by ``build`` and ``feed``."""
    func = click.option(
        "--base-url",
        metavar="URL",
        help="URL the output folder is served from (overrides base_url in narrate.toml).",
    )(func)
    func = click.option(
        "--config",
        "config_path",
        type=click.Path(dir_okay=False, path_type=Path),
        help=f"Podcast settings file [default: ./{CONFIG_NAME} if present].",
    )(func)
    return func


def resolve_config(config_path: Path | None, base_url: str | None) -> PodcastConfig | None:
    """The podcast settings with the command line's overrides, or None without a file."""
    config = load_config(config_path, overrides={"base_url": base_url})
    if config is None and base_url is not None:
        raise ConfigError(
            f"--base-url needs the podcast's settings: no {CONFIG_NAME} here. "
            "Probable cause: run narrate init, or pass --config FILE"
        )
    return config


def warn_publishing(config: PodcastConfig | None) -> None:
    """One warning line for each setting a careful publisher would not publish a feed
    with (:func:`narrate.config.feed_concerns`), when a feed will be written."""
    from narrate.config import feed_concerns

    if config is None or not config.base_url:
        return
    for concern in feed_concerns(config):
        click.echo(f"narrate: warning: {concern}", err=True)


def configured_artwork(config: PodcastConfig | None) -> Path | None:
    """The podcast's artwork file (narrate.toml), embedded in each MP3 unless ``--cover``
    names another; None for an artwork URL or a file that is not there (the feed step says
    what is wrong with it)."""
    if config is None or not config.artwork or "://" in config.artwork:
        return None
    path = Path(config.artwork)
    return path if path.is_file() else None


def now() -> dt.datetime:
    """The clock every command uses: UTC, whole seconds."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


@cli.command("init")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    default=Path(CONFIG_NAME),
    show_default=True,
    help="Where to write the settings file.",
)
@click.option("--force", is_flag=True, help="Replace an existing file.")
def init_command(config_path: Path, force: bool) -> None:
    """Write a commented starter narrate.toml (podcast title, owner, base URL, artwork) and,
    beside it, a square artwork.jpg drawn from the podcast's title, so that the settings
    work as written (replace the picture with your own when you have one)."""
    from narrate.config import read_config
    from narrate.publish.cover import draw_cover

    write_starter(config_path, force=force)
    config = read_config(config_path)
    drawn = ""
    if config.artwork and "://" not in config.artwork:
        artwork = Path(config.artwork)
        if force or not artwork.exists():
            draw_cover(config.title, artwork)
            drawn = f" and {artwork.name} (1400 px, drawn from the title)"
    click.echo(
        f"wrote {config_path}{drawn}: fill in the podcast's details and base_url; "
        "replace the artwork with your own square JPEG or PNG of 1400 to 3000 px"
    )


@cli.command("feed")
@folder_argument
@podcast_options
def feed_command(folder: Path, config_path: Path | None, base_url: str | None) -> None:
    """Regenerate FOLDER/feed.xml (default: audio/) from the episodes in the folder."""
    from narrate.errors import PublishError
    from narrate.publish.folder import OutputFolder

    if not folder.is_dir():  # what was named first: settings are for a folder that exists
        raise PublishError(f"{folder} is not a folder. Probable cause: nothing built yet "
                           "(narrate build ARTICLE --out FOLDER), or another folder was meant")
    config = resolve_config(config_path, base_url)
    if config is None:
        raise ConfigError(
            f"no {CONFIG_NAME} in this folder: the feed needs the podcast's title, owner and "
            "base URL. Probable cause: run narrate init, or pass --config FILE"
        )
    warn_publishing(config)
    with OutputFolder(folder) as out:
        path = out.regenerate_feed(config, now=now())
        count = len(out.index())
    click.echo(f"{path}  {count} episode{'s' if count != 1 else ''} · {config.feed_url}")


@cli.command("serve")
@folder_argument
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True,
              help="Port to listen on (0 picks a free one).")
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on; 0.0.0.0 lets other devices on the network in.")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Podcast settings for the front page's title and artwork [default: ./{CONFIG_NAME} "
    "if present].",
)
def serve_command(folder: Path, port: int, host: str, config_path: Path | None) -> None:
    """Serve FOLDER (default: audio/) over HTTP to preview the podcast: a front page with
    each episode's player, byte ranges, the right types, CORS on captions and chapters,
    nothing hidden or outside the folder."""
    from narrate.serve.front import Show
    from narrate.serve.server import make_folder_server, serve_forever, server_url

    config = load_config(config_path)
    show = Show(config.title, config.artwork) if config is not None else Show()
    server = make_folder_server(folder, host=host, port=port, show=show)
    url = server_url(server)
    feed = f" (feed: {url}feed.xml)" if (folder / "feed.xml").is_file() else ""
    click.echo(f"serving {folder} at {url}{feed}; Ctrl-C to stop", err=True)
    if host not in ("127.0.0.1", "::1", "localhost"):
        click.echo(f"narrate: note: {host} is reachable from other devices", err=True)
    serve_forever(server)
