"""The starter artwork: square JPEG that Apple accepts, the title wrapped at spaces only."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest

from narrate.ffmpeg import ffmpeg_exe
from narrate.publish import cover
from narrate.publish.artwork import check_artwork
from narrate.publish.cover import draw_cover, letters, wrap


def test_wrap_breaks_at_spaces_only_and_keeps_every_word() -> None:
    title = "किसानों की प्रिय ख़बरें: धर्म, क्षेत्र और श्रृंगार की दुनिया से रोज़ाना"
    lines = wrap(title)
    assert 1 < len(lines) <= cover.MAX_LINES
    assert " ".join(lines) == title
    assert all(letters(line) <= 14 for line in lines)
    assert wrap("हमारी ख़बरें") == ["हमारी ख़बरें"]
    assert wrap("   ") == []
    many = " ".join(["शब्द"] * 40)
    assert len(wrap(many)) == cover.MAX_LINES and " ".join(wrap(many)) == many


def test_letters_count_no_marks() -> None:
    assert letters("क्षेत्र") == 4  # क ष त र; viramas and vowel signs take no room
    assert letters("ख़बरें") == 3


def _pixels(path: Path, size: int = 8) -> bytes:
    return subprocess.run(
        [ffmpeg_exe(), "-nostdin", "-loglevel", "error", "-i", str(path), "-vf",
         f"scale={size}:{size}", "-f", "rawvideo", "-pix_fmt", "gray", "-"],
        capture_output=True, check=True,
    ).stdout


@pytest.mark.parametrize(
    "title", ["हमारी ख़बरें", 'Daily %{localtime} \\ : \' " ; [x] हिंदी', "क" * 80]
)
def test_draws_a_square_jpeg_apple_accepts(tmp_path: Path, title: str) -> None:
    path = draw_cover(title, tmp_path / "artwork.jpg")
    info = check_artwork(path)
    assert (info.format, info.width, info.height, info.colour) == ("JPEG", 1400, 1400, "RGB")
    assert [p.name for p in tmp_path.iterdir()] == ["artwork.jpg"]  # nothing left behind
    # Text was drawn (the middle is not plain background) and stays inside the picture.
    pixels = _pixels(path, 16)
    assert len(set(pixels)) > 2
    edge = pixels[:16] + pixels[-16:]
    assert max(edge) - min(edge) < 8


def test_a_different_title_draws_a_different_picture(tmp_path: Path) -> None:
    one = draw_cover("हमारी ख़बरें", tmp_path / "a.jpg")
    two = draw_cover("खेल जगत", tmp_path / "b.jpg")
    assert _pixels(one, 32) != _pixels(two, 32)


def test_the_font_is_checked_by_hash(monkeypatch: pytest.MonkeyPatch) -> None:
    assert len(cover.font_bytes()) > 100_000
    cover.font_bytes.cache_clear()
    monkeypatch.setattr(cover, "FONT_SHA256", "0" * 64)
    try:
        with pytest.raises(cover.PublishError, match="not the expected file"):
            cover.font_bytes()
    finally:
        cover.font_bytes.cache_clear()
