"""The ``narrate`` command line: click only, and the one place where errors become exit codes.

Each command lives in its own module under :mod:`narrate.cli` and calls one library
function; :func:`main` turns :class:`~narrate.errors.NarrateError` into one line on stderr
and its exit code. A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import logging
import signal
import sys
import traceback

import click

from narrate.cli._group import cli
from narrate.errors import NarrateError

# Importing the command modules registers their commands on ``cli``.
from narrate.cli import build as _build  # noqa: F401  isort: skip
from narrate.cli import embed as _embed  # noqa: F401  isort: skip
from narrate.cli import engines as _engines  # noqa: F401  isort: skip
from narrate.cli import podcast as _podcast  # noqa: F401  isort: skip
from narrate.cli import script as _script  # noqa: F401  isort: skip
from narrate.cli import watch as _watch  # noqa: F401  isort: skip

__all__ = ["cli", "main"]


def main(argv: list[str] | None = None) -> None:
    """Entry point of the ``narrate`` console script."""
    args = sys.argv[1:] if argv is None else argv
    debug = "--debug" in args
    logging.basicConfig(
        level=logging.DEBUG if debug else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    # SIGTERM unwinds like Ctrl-C, so temporary files are removed on the way out.
    previous = signal.signal(signal.SIGTERM, _terminate)
    try:
        cli.main(args=args, prog_name="narrate", standalone_mode=False)
    except click.exceptions.Abort:
        click.echo("narrate: interrupted", err=True)
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("narrate: interrupted", err=True)
        sys.exit(130)
    except NarrateError as e:
        if debug:
            traceback.print_exc()
        click.echo(f"narrate: error: {e}", err=True)
        sys.exit(e.exit_code)
    except BrokenPipeError:
        sys.exit(1)
    except Exception as e:  # a bug: say so in one line unless --debug
        if debug:
            traceback.print_exc()
        click.echo(
            f"narrate: internal error: {type(e).__name__}: {e} (run with --debug for details)",
            err=True,
        )
        sys.exit(1)
    finally:
        signal.signal(signal.SIGTERM, previous)


def _terminate(signum: int, frame: object) -> None:
    raise KeyboardInterrupt(f"signal {signum}")
