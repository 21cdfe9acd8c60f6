"""``narrate init`` writes settings that work as written: the next build publishes a feed,
and each MP3 carries the configured author and artwork."""

from __future__ import annotations

from pathlib import Path

import pytest
from mutagen.id3 import ID3

from narrate.config import read_config
from narrate.publish.artwork import check_artwork

ARTICLE = """# नदी का जलस्तर

शहर में बारिश हो रही है। नदी का जलस्तर बढ़ गया है।

## राहत

नगर निगम ने राहत शिविर बनाए हैं।
"""


def test_init_then_build_works_as_written(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    result = run_cli("init")
    assert result.code == 0, result.err
    assert "artwork.jpg" in result.out
    config = read_config(tmp_path / "narrate.toml")
    assert config.artwork == str(tmp_path / "artwork.jpg")
    info = check_artwork(tmp_path / "artwork.jpg")
    assert (info.width, info.height, info.format) == (1400, 1400, "JPEG")
    (tmp_path / "river.md").write_text(ARTICLE, encoding="utf-8")
    result = run_cli("build", "river.md", "--engine", "espeak", "--quiet",
                     "--base-url", "https://example.com/pod/")
    assert result.code == 0, result.err
    assert (tmp_path / "audio" / "feed.xml").is_file()
    (mp3,) = (tmp_path / "audio").glob("*.mp3")
    tags = ID3(mp3)
    assert tags["TPE1"].text == [config.author]  # the article names no author
    (apic,) = tags.getall("APIC")
    assert apic.data == (tmp_path / "artwork.jpg").read_bytes()


def test_init_keeps_an_existing_artwork(
    run_cli, tmp_path: Path, monkeypatch: pytest.MonkeyPatch  # type: ignore[no-untyped-def]
) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / "artwork.jpg").write_bytes(b"mine")
    assert run_cli("init").code == 0
    assert (tmp_path / "artwork.jpg").read_bytes() == b"mine"
    assert run_cli("init").code == 2  # the settings file exists: --force to replace
