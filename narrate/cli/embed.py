"""``narrate embed``: the snippet that puts an episode's player on the article's page."""

from __future__ import annotations

from pathlib import Path

import click

from narrate.cli._group import cli
from narrate.cli._options import out_dir_option
from narrate.publish.embed import embed_snippet, find_embed


@cli.command("embed")
@click.argument("slug")
@out_dir_option("Folder the episodes were built into.")
@click.option(
    "--base-url",
    metavar="URL",
    help="Where that folder is published (https://example.com/audio); "
    "without it the snippet's links are relative.",
)
def embed_command(slug: str, out_dir: Path, base_url: str | None) -> None:
    """Print the HTML to paste into the article for episode SLUG: an iframe of its player
    page (SLUG.html) with a title, and a plain link to the same page."""
    page = find_embed(out_dir, slug)
    click.echo(embed_snippet(page.slug, base_url, page.title), nl=False)
