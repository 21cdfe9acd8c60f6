"""TPE1: the article's author, else the podcast's configured author, else the podcast."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from mutagen.id3 import ID3

from narrate.mix import write_tags
from narrate.model import Script

from .test_tags import _script, _timeline, silent_mp3  # noqa: F401  a fixture


@pytest.fixture
def mp3(tmp_path: Path, silent_mp3: Path) -> Path:  # noqa: F811  the fixture above
    path = tmp_path / "episode.mp3"
    shutil.copyfile(silent_mp3, path)
    return path


def _artist(mp3: Path, script: Script, author: str | None) -> list[str]:
    write_tags(mp3, script=script, timeline=_timeline(), podcast="narrate पॉडकास्ट",
               description="d", engine="e", author=author)
    return list(ID3(mp3)["TPE1"].text)


def test_the_configured_author_when_the_article_has_none(mp3: Path) -> None:
    anonymous = Script(title="t", date=None, sections=_script().sections)
    assert _artist(mp3, anonymous, "समाचार डेस्क") == ["समाचार डेस्क"]
    assert _artist(mp3, anonymous, None) == ["narrate पॉडकास्ट"]
    # The article's own author wins over the configured one.
    assert _artist(mp3, _script(), "समाचार डेस्क") == ["narrate समाचार डेस्क"]
