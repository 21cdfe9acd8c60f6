"""The click group every command registers on, and options shared between commands."""

from __future__ import annotations

import click

from narrate import __version__


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrate")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
def cli(debug: bool) -> None:
    """Turn a Hindi news article into a podcast-style MP3 with chapters."""
