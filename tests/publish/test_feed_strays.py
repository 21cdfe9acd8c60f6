"""``narrate feed`` in a folder with stray files: each bad file is skipped with one warning
naming it, the rest of the feed is written, and only files that exist are advertised.

The command runs as its own process (a FIFO must not hang it; a huge tag must not take
minutes or a gigabyte), measured alone under an address-space cap.
"""

from __future__ import annotations

import os
import shutil
import struct
from pathlib import Path
from urllib.parse import unquote

import mutagen.id3
import pytest
from lxml import etree

from narrate.publish.feed import PODCAST
from tests.limits import Measured, measure_narrate
from tests.publish.test_artwork import png_bytes
from tests.publish.test_feed import NOW, UNDATED, build, podcast_config, publish_episode

pytestmark = pytest.mark.slow

NS = {"podcast": PODCAST}
BASE = "https://news.example.com/"
CONFIG = (
    '[podcast]\ntitle = "t"\ndescription = "d"\nauthor = "a"\nowner_name = "o"\n'
    f'owner_email = "desk@news.in"\nartwork = "art.png"\nbase_url = "{BASE}"\n'
)


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A folder with one published episode (built once for the module)."""
    work = tmp_path_factory.mktemp("built")
    (work / "undated.md").write_text(UNDATED, encoding="utf-8")
    out = work / "audio"
    publish_episode(out, build(work / "undated.md", out, work / "cache"), podcast_config(work),
                    now=NOW)
    return out


@pytest.fixture
def folder(built: Path, tmp_path: Path) -> Path:
    """A copy of the built folder, with the podcast's settings beside it."""
    out = tmp_path / "audio"
    shutil.copytree(built, out)
    (tmp_path / "art.png").write_bytes(png_bytes(1400, 1400))
    (tmp_path / "narrate.toml").write_text(CONFIG, encoding="utf-8")
    return out


def good_mp3(folder: Path) -> Path:
    (mp3,) = [p for p in folder.glob("*.mp3") if p.is_file() and not p.is_symlink()
              and p.stem.startswith("भारतीय")]
    return mp3


def feed(folder: Path) -> Measured:
    return measure_narrate("feed", str(folder), cwd=folder.parent, timeout=60)


def items(folder: Path) -> dict[str, etree._Element]:
    """The feed's items by their MP3's name."""
    root = etree.parse(str(folder / "feed.xml")).getroot()
    found = {}
    for item in root.findall("channel/item"):
        url = item.find("enclosure").get("url")
        found[unquote(url.rsplit("/", 1)[1])] = item
    return found


def retagged(source: Path, target: Path, **frames: str) -> Path:
    """A copy of the MP3 ``source`` with its tag replaced by text ``frames`` (none: no tag)."""
    shutil.copyfile(source, target)
    mutagen.id3.delete(target)
    if frames:
        tags = mutagen.id3.ID3()
        for name, text in frames.items():
            tags.add(getattr(mutagen.id3, name)(encoding=3, text=text))
        tags.save(target, v2_version=3)
    return target


def test_bad_files_are_skipped_with_one_warning_each(folder: Path, tmp_path: Path) -> None:
    good = good_mp3(folder)
    (folder / "empty.mp3").write_bytes(b"")
    (folder / "text.mp3").write_text("यह ऑडियो नहीं है\n", encoding="utf-8")
    (folder / "folder.mp3").mkdir()
    os.mkfifo(folder / "pipe.mp3")
    (folder / "zero.mp3").symlink_to("/dev/zero")
    elsewhere = shutil.copyfile(good, tmp_path / "elsewhere.mp3")
    (folder / "outside.mp3").symlink_to(elsewhere)
    retagged(good, folder / "long-tlen.mp3", TIT2="लंबा TLEN", TLEN="9" * 5000)
    retagged(good, folder / "untagged.mp3")
    run = feed(folder)
    assert run.code == 0, run.stderr
    assert "Traceback" not in run.stderr and "internal error" not in run.stderr
    bad = ["empty.mp3", "text.mp3", "folder.mp3", "pipe.mp3", "zero.mp3", "outside.mp3"]
    lines = run.stderr.strip().splitlines()
    assert len(lines) == len(bad), run.stderr
    for name in bad:
        assert sum(name in line for line in lines) == 1, (name, run.stderr)
    assert set(items(folder)) == {good.name, "long-tlen.mp3", "untagged.mp3"}
    assert "3 episodes" in run.stdout
    length = items(folder)["long-tlen.mp3"].findtext("{http://www.itunes.com/dtds/podcast-1.0.dtd}duration")
    assert length == items(folder)[good.name].findtext(
        "{http://www.itunes.com/dtds/podcast-1.0.dtd}duration")  # measured, not the TLEN


def test_only_sidecars_that_exist_are_advertised(folder: Path) -> None:
    good = good_mp3(folder)
    good.with_suffix(".chapters.json").unlink()
    retagged(good, folder / "copied-in.mp3", TIT2="बाहर से आया")
    run = feed(folder)
    assert run.code == 0, run.stderr
    found = items(folder)
    assert found[good.name].find("podcast:chapters", NS) is None
    transcript = found[good.name].find("podcast:transcript", NS)
    assert unquote(transcript.get("url")).endswith(good.stem + ".vtt")
    assert found["copied-in.mp3"].find("podcast:chapters", NS) is None
    assert found["copied-in.mp3"].find("podcast:transcript", NS) is None


def _synchsafe(n: int) -> bytes:
    return bytes([(n >> 21) & 0x7F, (n >> 14) & 0x7F, (n >> 7) & 0x7F, n & 0x7F])


def test_a_huge_text_frame_costs_neither_minutes_nor_gigabytes(folder: Path) -> None:
    """120 MB: one TIT2 frame of 60 million one-letter values (what makes mutagen's text
    splitting slow) in front of real audio."""
    good = good_mp3(folder)
    audio = retagged(good, folder.parent / "audio-only.mp3").read_bytes()
    values = 60_000_000
    size = 1 + 2 * values
    with (folder / "huge.mp3").open("wb") as f:
        f.write(b"ID3\x03\x00\x00" + _synchsafe(10 + size))
        f.write(b"TIT2" + struct.pack(">I", size) + b"\x00\x00" + b"\x00")
        for _ in range(values // 1_000_000):
            f.write(b"a\x00" * 1_000_000)
        f.write(audio)
    run = feed(folder)
    assert run.code == 0, run.stderr
    assert set(items(folder)) == {good.name, "huge.mp3"}
    assert run.cpu_s < 5 and run.peak_mb < 150, run
