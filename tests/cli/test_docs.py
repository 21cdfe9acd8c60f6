"""The README documents every command, and every command has help text."""

from __future__ import annotations

from pathlib import Path

from narrate.cli import cli

README = (Path(__file__).parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_command_is_documented_in_the_readme() -> None:
    for name, command in cli.commands.items():
        assert f"### `narrate {name}" in README, f"README has no section for narrate {name}"
        assert command.help, f"narrate {name} has no help text"


def test_readme_gives_the_two_commands() -> None:
    assert "script/demo" in README and "script/test" in README
