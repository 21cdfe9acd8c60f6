"""The ``narrate`` command line: click only, and the one place where errors become exit codes.

Each command lives in its own module under :mod:`narrate.cli` and calls one library
function; :func:`main` turns :class:`~narrate.errors.NarrateError` into one line on stderr
and its exit code. A traceback is shown only with ``--debug``.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import traceback
from typing import TextIO

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
    stream = logging.StreamHandler()
    stream.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s") if debug
                         else Said())
    logging.basicConfig(level=logging.DEBUG if debug else logging.WARNING,
                        handlers=[stream])
    interrupts = Interrupts(sys.stderr)
    previous = {signum: signal.signal(signum, interrupts) for signum in Interrupts.SIGNALS}
    try:
        # click's own main() would print an empty line of its own on Ctrl-C
        with cli.make_context("narrate", list(args)) as ctx:
            cli.invoke(ctx)
    except click.exceptions.Abort:
        click.echo("narrate: interrupted", err=True)
        interrupts.end()
        sys.exit(130)
    except click.ClickException as e:
        e.show()
        sys.exit(e.exit_code)
    except click.exceptions.Exit as e:
        sys.exit(e.exit_code)
    except KeyboardInterrupt:
        click.echo("narrate: interrupted", err=True)
        interrupts.end()
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
        if not interrupts.count:  # else a second signal, while the process ends, means now
            for signum, handler in previous.items():
                signal.signal(signum, handler)


class Said(logging.Formatter):
    """The library's warnings as narrate's own lines (``narrate: warning: …``); the
    logger's name and the level's capitals are for ``--debug``."""

    def format(self, record: logging.LogRecord) -> str:
        return f"narrate: {record.levelname.lower()}: {record.getMessage()}"


class Interrupts:
    """What Ctrl-C (SIGINT) and SIGTERM do: the first says ``stopping…`` and unwinds like
    Ctrl-C (a :class:`KeyboardInterrupt` in the main thread: the work in progress is
    stopped, not waited out, see :mod:`narrate.stop`; nothing is half-published and this
    run's work area is removed on the way out); a second one, while that happens, ends the
    process at once with exit code 130, as distributed restores the previous handler "to
    allow for quicker exit if the user sends the signal again". Whatever a second signal
    leaves (a work area) is swept by the next run, as after a kill."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __init__(self, stream: TextIO) -> None:
        self.stream = stream
        self.count = 0

    def __call__(self, signum: int, frame: object) -> None:
        self.count += 1
        if self.count > 1:
            self._say("narrate: interrupted")
            os._exit(130)
        again = "Ctrl-C again" if signum == signal.SIGINT else "a second SIGTERM"
        self._say(f"narrate: stopping… ({again} stops at once)")
        raise KeyboardInterrupt(f"signal {signum}")

    @property
    def stopping(self) -> bool:
        """Whether a signal came already: the next one ends the process at once."""
        return self.count > 0

    def end(self) -> None:
        """After a signal has been handled (the work stopped, the work area removed, the
        last line said): end the process now, with exit code 130. A thread still inside a
        call no stop reaches (a request to Google waiting for its timeout) is not waited
        for: everything it could write is either atomic or in the work area the next run
        sweeps, as after a kill. Without a signal (an interrupt raised by code) nothing
        happens here."""
        if not self.count:
            return
        for stream in (sys.stdout, sys.stderr):
            with contextlib.suppress(Exception):
                stream.flush()
        logging.shutdown()
        os._exit(130)

    def _say(self, line: str) -> None:
        """One line on stderr, written with one system call: a signal handler may run while
        the main thread is inside a write to the same stream (a progress bar's)."""
        try:
            clear = "\r\x1b[2K" if self.stream.isatty() else ""
            os.write(self.stream.fileno(), f"{clear}{line}\n".encode())
        except (OSError, ValueError, AttributeError):  # no real stream (a test's)
            pass
