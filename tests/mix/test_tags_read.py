"""Reading an episode's tag back within bounds: the frames the index and the feed need,
as mutagen reads them, whatever else the tag holds; a length that is not believable is none."""

from __future__ import annotations

from pathlib import Path

import mutagen.id3 as id3
import pytest

from narrate.errors import PublishError
from narrate.mix.tags import TagInfo, audio_length_ms, read_tag_info
from tests.fakes.google import tiny_mp3


def _tagged(path: Path, version: int) -> Path:
    """A tone with a tag of the frames the index reads, among others (a picture, a TXXX)."""
    path.write_bytes(tiny_mp3())
    tags = id3.ID3()
    tags.add(id3.TXXX(encoding=3, desc="x", text="ऊपर"))
    tags.add(id3.APIC(encoding=0, mime="image/png", type=3, desc="", data=b"\xff\x00" * 500))
    tags.add(id3.TIT2(encoding=1, text="शीर्षक \xff"))
    tags.add(id3.COMM(encoding=3, lang="hin", desc="", text="विवरण"))
    tags.add(id3.TLEN(encoding=0, text="1234"))
    tags.add(id3.TDRC(encoding=0, text="2025-09-27"))
    tags.add(id3.TPE1(encoding=3, text="संवाददाता"))
    tags.add(id3.TALB(encoding=3, text="ख़बरें"))
    tags.save(path, v2_version=version)
    return path


@pytest.mark.parametrize("version", [3, 4])
def test_tag_info_reads_what_mutagen_reads(tmp_path: Path, version: int) -> None:
    info = read_tag_info(_tagged(tmp_path / "a.mp3", version))
    assert info == TagInfo(title="शीर्षक \xff", date="2025-09-27", description="विवरण",
                           duration_ms=1234, artist="संवाददाता", album="ख़बरें")


@pytest.mark.parametrize("tlen", ["9" * 5000, "१२३", "²", "-5", "12.5"])
def test_an_unbelievable_tlen_is_no_length(tmp_path: Path, tlen: str) -> None:
    path = _tagged(tmp_path / "a.mp3", 3)
    tags = id3.ID3(path)
    tags.add(id3.TLEN(encoding=3, text=tlen))
    tags.save(path, v2_version=3)
    assert read_tag_info(path).duration_ms is None


def test_an_mp3_without_a_tag_has_no_tag_info(tmp_path: Path) -> None:
    path = tmp_path / "a.mp3"
    path.write_bytes(tiny_mp3())
    assert read_tag_info(path) == TagInfo()
    assert 150 <= audio_length_ms(path) <= 300
    (tmp_path / "b.mp3").write_bytes(b"not audio at all" * 100)
    with pytest.raises(PublishError, match="not an MP3 file"):
        audio_length_ms(tmp_path / "b.mp3")
