"""Options shared by the commands that read an article, and the one function they call."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TypeVar

import click

from narrate.engines.base import ENGINE_CHOICES

F = TypeVar("F", bound=Callable[..., Any])

FORMATS = ("txt", "md", "html", "json")


def out_dir_option(help: str) -> Callable[[F], F]:
    """``--out DIR`` (default ``audio``), the folder episodes live in."""
    option: Callable[[F], F] = click.option(
        "--out",
        "out_dir",
        type=click.Path(file_okay=False, path_type=Path),
        default=Path("audio"),
        show_default=True,
        help=help,
    )
    return option


#: ``[FOLDER]``, the output folder a command reads (default ``audio``).
folder_argument = click.argument(
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    default=Path("audio"),
    required=False,
)


def _stacked(command: F, options: Sequence[Callable[[Any], Any]]) -> F:
    """``command`` with ``options``, shown in ``--help`` in the order given."""
    for option in reversed(options):
        command = option(command)
    return command


def article_options(command: F) -> F:
    """--engine, --lexicon, --format and --timeout, as every article command takes them."""
    options = [
        click.option(
            "--engine",
            type=click.Choice(ENGINE_CHOICES),
            default="auto",
            show_default=True,
            help="Speech engine (its limits shape the chunks).",
        ),
        click.option(
            "--lexicon",
            type=click.Path(dir_okay=False, path_type=Path),
            help="TSV of word and how to say it, for names and brands.",
        ),
        click.option(
            "--format",
            "fmt",
            type=click.Choice(FORMATS),
            help="Article format (default: from the extension or the content).",
        ),
        click.option(
            "--timeout",
            type=float,
            default=15.0,
            show_default=True,
            help="Seconds to wait for an article URL.",
        ),
    ]
    return _stacked(command, options)


#: Kokoro's voices, default and speeds, without importing the engine (narrate --help stays
#: fast); tests/cli/test_startup.py checks they are the engine's.
KOKORO_VOICES = ("hf_alpha", "hf_beta", "hm_omega", "hm_psi")
KOKORO_DEFAULT_VOICE = "hf_alpha"
KOKORO_SPEEDS = (0.5, 2.0)


def kokoro_options(command: F) -> F:
    """--voice and --speed, Kokoro's options."""
    options = [
        click.option(
            "--voice",
            type=click.Choice(KOKORO_VOICES),
            default=KOKORO_DEFAULT_VOICE,
            show_default=True,
            help="kokoro: Hindi voice (hf_* female, hm_* male).",
        ),
        click.option(
            "--speed",
            type=click.FloatRange(*KOKORO_SPEEDS),
            default=1.0,
            show_default=True,
            help="kokoro: speaking speed (1 is the voice's own pace).",
        ),
    ]
    return _stacked(command, options)
