"""``narrate engines`` and ``narrate cache`` through click's CliRunner (click 8.1 and 8.2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

import narrate.cli.engines  # noqa: F401  registers the commands (also done by narrate.cli)
from narrate.cache import ClipCache
from narrate.cli._group import cli
from narrate.cli.engines import human_bytes
from tests.fakes import google as fake
from tests.fakes.google import FakeGoogle

VOICE = {"engine": "espeak", "version": "1", "voice": "hi", "language": "hi"}


def test_engines_when_google_answers(google: FakeGoogle) -> None:
    result = CliRunner().invoke(cli, ["engines"])
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0].split() == ["engine", "usable", "max", "chars", "format", "now"]
    assert lines[1].split()[:4] == ["gtts", "yes", "100", "mp3"]
    assert lines[2].split()[:4] == ["espeak", "yes", "300", "wav"]
    assert lines[3].split()[:4] == ["kokoro", "yes", "300", "wav"]
    assert "kokoro model: Kokoro-82M v1.0 int8 ONNX, 92.4 MB" in result.output
    assert "installed and intact" in result.output
    assert "hf_alpha (female, default), hf_beta (female), hm_omega (male)" in result.output
    assert lines[-1].endswith("now: gtts")


def test_engines_when_google_is_down(google: FakeGoogle) -> None:
    google.answer(fake.connection_refused())
    result = CliRunner().invoke(cli, ["engines", "--json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    rows = {row["name"]: row for row in data["engines"]}
    assert rows["gtts"]["usable"] is False
    assert rows["gtts"]["detail"] == "cannot reach translate.google.com: the connection was refused"
    assert rows["espeak"]["usable"] is True
    assert rows["kokoro"]["usable"] is True
    assert data["auto"] == "kokoro"
    kokoro = data["kokoro"]
    assert (kokoro["installed"], kokoro["intact"], kokoro["model_bytes"]) == (True, True, 92361271)
    assert [v["name"] for v in kokoro["voices"] if v["default"]] == ["hf_alpha"]


def test_cache_shows_location_and_size(tmp_path: Path) -> None:
    cache = ClipCache(tmp_path)
    cache.put(VOICE, "एक", "wav", b"x" * 1500)
    cache.put(VOICE, "दो", "wav", b"x" * 500)
    result = CliRunner().invoke(cli, ["cache", "--cache-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output == f"cache: {tmp_path}\nclips: 2 (2.0 kB)\n"


def test_cache_follows_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NARRATE_CACHE_DIR", str(tmp_path / "env"))
    result = CliRunner().invoke(cli, ["cache"])
    assert result.output.splitlines() == [f"cache: {tmp_path / 'env'}", "clips: 0 (0 B)"]


def test_cache_clear(tmp_path: Path) -> None:
    ClipCache(tmp_path).put(VOICE, "एक", "wav", b"x" * 10)
    result = CliRunner().invoke(cli, ["cache", "--cache-dir", str(tmp_path), "--clear"])
    assert result.exit_code == 0, result.output
    assert result.output == f"removed 1 clips (10 B) from {tmp_path}\n"
    assert ClipCache(tmp_path).size().files == 0


@pytest.mark.parametrize("command", ["engines", "cache"])
def test_commands_are_documented(command: str) -> None:
    result = CliRunner().invoke(cli, [command, "--help"])
    assert result.exit_code == 0
    assert (cli.commands[command].help or "").strip()
    assert "Usage:" in result.output


@pytest.mark.parametrize(
    ("size", "shown"),
    [(0, "0 B"), (999, "999 B"), (1000, "1.0 kB"), (1_500_000, "1.5 MB"), (3 * 10**9, "3.0 GB")],
)
def test_human_bytes(size: int, shown: str) -> None:
    assert human_bytes(size) == shown
