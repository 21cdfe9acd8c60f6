"""Start-up stays lean: ``narrate --help`` loads no audio, network or article library."""

from __future__ import annotations

import json
import subprocess
import sys

import narrate.cli.build as build_cli
from narrate.pipeline import DEFAULT_PODCAST

#: What only a build needs (each costs tens of milliseconds to import).
HEAVY = ("pydub", "mutagen", "requests", "gtts", "trafilatura", "lxml", "narrate.pipeline",
         "narrate.mix", "narrate.readers", "narrate.text.normalize", "narrate.batch")


def test_help_imports_nothing_heavy() -> None:
    code = (
        "import sys, json\n"
        "from narrate.cli import cli\n"
        "try:\n"
        "    cli.main(['--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert json.loads(done.stdout.strip().splitlines()[-1]) == []
    assert "build" in done.stdout


def test_the_default_help_shows_is_the_library_s() -> None:
    assert build_cli.DEFAULT_PODCAST == DEFAULT_PODCAST


def test_the_kokoro_choices_help_shows_are_the_engine_s() -> None:
    from narrate.cli import _options
    from narrate.engines import kokoro_engine

    assert tuple(kokoro_engine.VOICES) == _options.KOKORO_VOICES
    assert _options.KOKORO_DEFAULT_VOICE == kokoro_engine.DEFAULT_VOICE
    assert _options.KOKORO_SPEEDS == kokoro_engine.SPEED_RANGE
