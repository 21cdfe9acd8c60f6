"""``narrate embed``: the snippet that puts an episode's player on the article's page."""

from __future__ import annotations

from pathlib import Path

import click

from narrate.cli._group import cli
from narrate.cli._options import out_dir_option
from narrate.config import CONFIG_NAME, load_config
from narrate.publish.embed import DEFAULT_THEME, THEMES, embed_snippet, find_embed


@cli.command("embed")
@click.argument("slug")
@out_dir_option("Folder the episodes were built into.")
@click.option(
    "--base-url",
    metavar="URL",
    help="Where that folder is published (https://example.com/audio) [default: base_url "
    f"in ./{CONFIG_NAME}]; without either the snippet's links are relative.",
)
@click.option(
    "--theme",
    type=click.Choice(THEMES),
    default=DEFAULT_THEME,
    show_default=True,
    help="The article page's theme: the player is light or dark to match it, or (auto) "
    "follows the reader's system setting; use auto only if the page itself does.",
)
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help=f"Podcast settings file [default: ./{CONFIG_NAME} if present].",
)
def embed_command(
    slug: str, out_dir: Path, base_url: str | None, theme: str, config_path: Path | None
) -> None:
    """Print the HTML to paste into the article for episode SLUG: an iframe of its player
    page (SLUG.html) with a title, the few lines of script that let the frame grow when the
    reader opens the transcript, and a plain link to the same page."""
    page = find_embed(out_dir, slug)
    if base_url is None:
        config = load_config(config_path)
        base_url = config.base_url if config is not None else None
    click.echo(embed_snippet(page.slug, base_url, page.title, theme=theme), nl=False)
