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


def test_narrate_help_reads_no_engine_registry() -> None:
    """The engines' entry points are read when a command's options are needed, not for the
    list of commands."""
    code = (
        "from narrate.cli import cli\n"
        "from narrate.engines.registry import registered\n"
        "try:\n"
        "    cli.main(['--help'], standalone_mode=False)\n"
        "except SystemExit:\n"
        "    pass\n"
        "print(registered.cache_info().currsize)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          check=True)
    assert done.stdout.strip().splitlines()[-1] == "0"


def test_build_help_shows_the_engines_specs() -> None:
    """--engine, --voice, --speed and each engine's own options come from the specs."""
    from click.testing import CliRunner

    from narrate.cli import cli
    from narrate.engines.registry import registered

    shown = " ".join(CliRunner().invoke(cli, ["build", "--help"]).output.split())
    for spec in registered().values():
        assert spec.name in shown
        for voice in spec.voices:
            assert voice.name in shown
        if spec.speed is not None:
            assert f"{spec.name} {spec.speed[0]:g}-{spec.speed[1]:g}" in shown
        for option in spec.options:
            assert option.flag in shown and option.help in shown


def test_the_kokoro_engine_speaks_its_spec_s_voices() -> None:
    from narrate.engines import kokoro_engine
    from narrate.engines.builtin import KOKORO

    assert list(kokoro_engine.VOICES) == [v.name for v in KOKORO.voices]
    assert kokoro_engine.KokoroEngine().voice == KOKORO.default_voice
    assert kokoro_engine.KokoroEngine.max_chars == KOKORO.max_chars
