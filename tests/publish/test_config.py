"""narrate.toml: the starter file, every key checked, one line naming the key when wrong."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from narrate.cli import podcast as _podcast  # noqa: F401  registers init/feed/serve
from narrate.config import (
    STARTER,
    ConfigError,
    PodcastConfig,
    apply_overrides,
    load_config,
    parse_config,
    read_config,
    write_starter,
)
from narrate.errors import UsageError
from tests.cli.conftest import run_cli  # noqa: F401  the fixture

GOOD = {
    "title": "हमारी ख़बरें",
    "description": "दिन की ख़बरें",
    "author": "डेस्क",
    "owner_name": "डेस्क",
    "owner_email": "podcast@example.com",
}


def test_the_starter_file_is_valid_toml_and_a_valid_config(tmp_path: Path) -> None:
    path = tmp_path / "narrate.toml"
    write_starter(path)
    assert path.read_text(encoding="utf-8") == STARTER
    config = read_config(path)
    assert config.language == "hi"
    assert config.category == "News"
    assert config.explicit is False
    assert config.base_url is None  # commented out: the feed waits for it
    assert config.artwork == str(tmp_path / "artwork.jpg")  # relative to the file
    assert "#" in STARTER  # commented


def test_init_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    path = tmp_path / "narrate.toml"
    path.write_text("keep me", encoding="utf-8")
    with pytest.raises(ConfigError, match="already exists"):
        write_starter(path)
    assert path.read_text(encoding="utf-8") == "keep me"
    write_starter(path, force=True)
    assert tomllib.loads(path.read_text(encoding="utf-8"))["podcast"]["language"] == "hi"


def test_defaults_and_base_url_gets_a_trailing_slash() -> None:
    config = parse_config({"podcast": {**GOOD, "base_url": "https://example.com/pod"}})
    assert config == PodcastConfig(**GOOD, base_url="https://example.com/pod/")
    assert config.feed_url == "https://example.com/pod/feed.xml"


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"title": ""}, "podcast.title: expected a non-empty string"),
        ({"title": 3}, "podcast.title: expected a non-empty string, got 3"),
        ({"owner_email": "nobody"}, "podcast.owner_email: expected an e-mail address"),
        ({"explicit": "no"}, "podcast.explicit: expected true or false, got 'no'"),
        ({"locked": 1}, "podcast.locked: expected true or false"),
        ({"language": "Hindi"}, "podcast.language: expected a language code"),
        ({"category": "Newz"}, "podcast.category: expected an Apple Podcasts category"),
        ({"base_url": "example.com"}, "podcast.base_url: expected an absolute http(s) URL"),
        ({"base_url": "ftp://x/"}, "podcast.base_url: expected an absolute http(s) URL"),
        ({"link": "/home"}, "podcast.link: expected an absolute http(s) URL"),
        ({"colour": "red"}, "podcast.colour: unknown key"),
    ],
)
def test_a_wrong_value_is_one_line_naming_the_key(change: dict[str, object], expected: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_config({"podcast": {**GOOD, **change}}, source="narrate.toml")
    message = str(info.value)
    assert message.startswith("narrate.toml: ")
    assert expected in message
    assert "\n" not in message
    assert isinstance(info.value, UsageError) and info.value.exit_code == 2


@pytest.mark.parametrize("key", ["title", "description", "author", "owner_name", "owner_email"])
def test_a_missing_required_key_is_named(key: str) -> None:
    values = {k: v for k, v in GOOD.items() if k != key}
    with pytest.raises(ConfigError, match=rf"podcast\.{key} is missing"):
        parse_config({"podcast": values})


def test_no_podcast_table() -> None:
    with pytest.raises(ConfigError, match=r"\[podcast\] table"):
        parse_config({"title": "x"})


def test_broken_toml_and_missing_file(tmp_path: Path) -> None:
    bad = tmp_path / "narrate.toml"
    bad.write_text("[podcast\ntitle = ", encoding="utf-8")
    with pytest.raises(ConfigError, match="not valid TOML"):
        read_config(bad)
    with pytest.raises(ConfigError, match="no such settings file"):
        load_config(tmp_path / "missing.toml")


def test_load_finds_the_file_in_the_working_folder_and_applies_overrides(tmp_path: Path) -> None:
    assert load_config(cwd=tmp_path) is None
    write_starter(tmp_path / "narrate.toml")
    overrides = {"base_url": "http://127.0.0.1:9/x", "title": None}
    config = load_config(cwd=tmp_path, overrides=overrides)
    assert config is not None
    assert config.base_url == "http://127.0.0.1:9/x/"
    assert config.title == "हमारी ख़बरें"


def test_a_wrong_override_names_the_key() -> None:
    config = parse_config({"podcast": GOOD})
    with pytest.raises(ConfigError, match=r"command line: podcast\.base_url"):
        apply_overrides(config, {"base_url": "not a url"})


def test_init_and_feed_commands(  # type: ignore[no-untyped-def]
    run_cli,  # noqa: F811  the imported fixture
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    first = run_cli("init")
    assert first.code == 0, first.err
    assert (tmp_path / "narrate.toml").is_file()
    again = run_cli("init")
    assert again.code == 2 and "already exists" in again.err
    # The starter has no base_url: the feed says which key is missing, in one line.
    (tmp_path / "audio").mkdir()
    feed = run_cli("feed")
    assert feed.code == 2
    assert "podcast.base_url" in feed.err and feed.err.count("\n") == 1
