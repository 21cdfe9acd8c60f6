"""The click group every command registers on, and options shared between commands."""

from __future__ import annotations

import difflib

import click

from narrate import __version__
from narrate.errors import UsageError


class Commands(click.Group):
    """narrate's commands; a name that is none of them is one line naming the closest."""

    def resolve_command(self, ctx: click.Context, args: list[str]
                        ) -> tuple[str | None, click.Command | None, list[str]]:
        name = args[0] if args else ""
        if args and self.get_command(ctx, name) is None and not name.startswith("-"):
            close = difflib.get_close_matches(name, self.list_commands(ctx), n=1, cutoff=0.6)
            hint = f"; did you mean {close[0]}?" if close else ""
            raise UsageError(f"no command {name!r}{hint} (narrate --help lists them)")
        return super().resolve_command(ctx, args)


@click.group(cls=Commands, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="narrate")
@click.option("--debug", is_flag=True, help="Show tracebacks and debug logging.")
def cli(debug: bool) -> None:
    """Turn a Hindi news article into a podcast-style MP3 with chapters."""
