"""Artwork headers read directly: a square 1400–3000 px JPEG or PNG in RGB, else why not."""

from __future__ import annotations

import os
import struct
import sys
import zlib
from pathlib import Path

import pytest

from narrate.errors import PublishError
from narrate.publish.artwork import ImageInfo, check_artwork, image_info
from tests.limits import measure


def _chunk(kind: bytes, data: bytes) -> bytes:
    return (
        struct.pack(">I", len(data)) + kind + data
        + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    )


def png_bytes(width: int, height: int, colour_type: int = 2) -> bytes:
    """A real, decodable PNG of one flat colour (8-bit)."""
    channels = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}[colour_type]
    row = b"\x00" + bytes([200, 80, 40, 255][:channels]) * width
    chunks = [_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, colour_type, 0, 0, 0))]
    if colour_type == 3:
        chunks.append(_chunk(b"PLTE", bytes([200, 80, 40])))
    chunks.append(_chunk(b"IDAT", zlib.compress(row * height, 9)))
    chunks.append(_chunk(b"IEND", b""))
    return b"\x89PNG\r\n\x1a\n" + b"".join(chunks)


def jpeg_header(width: int, height: int, components: int = 3, *, sof: int = 0xC0) -> bytes:
    """SOI, an APP0 (JFIF), an EXIF-sized APP1, a DQT and the frame header: enough to read."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\x00\x01\x01\x00\x00\x01\x00\x01\x00\x00"
    app1 = b"\xff\xe1" + struct.pack(">H", 2 + 3000) + b"Exif\x00\x00" + b"\x00" * 2994
    dqt = b"\xff\xdb" + struct.pack(">H", 67) + b"\x00" + bytes(range(64))
    frame = struct.pack(">HBHHB", 8 + 3 * components, 8, height, width, components)
    frame += b"".join(bytes([i + 1, 0x11, 0]) for i in range(components))
    return b"\xff\xd8" + app0 + app1 + dqt + bytes([0xFF, sof]) + frame + b"\xff\xd9"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (png_bytes(1400, 1400), ImageInfo("PNG", 1400, 1400, "RGB")),
        (png_bytes(3, 2, 6), ImageInfo("PNG", 3, 2, "RGB")),
        (png_bytes(3, 3, 3), ImageInfo("PNG", 3, 3, "RGB")),
        (png_bytes(3, 3, 0), ImageInfo("PNG", 3, 3, "grayscale")),
        (png_bytes(3, 3, 4), ImageInfo("PNG", 3, 3, "grayscale")),
        (jpeg_header(3000, 3000), ImageInfo("JPEG", 3000, 3000, "RGB")),
        (jpeg_header(1500, 1400, sof=0xC2), ImageInfo("JPEG", 1500, 1400, "RGB")),
        (jpeg_header(1500, 1500, 1), ImageInfo("JPEG", 1500, 1500, "grayscale")),
        (jpeg_header(1500, 1500, 4), ImageInfo("JPEG", 1500, 1500, "CMYK")),
        (b"GIF89a" + b"\x00" * 20, None),
        (b"", None),
        (b"\xff\xd8\xff\xd9", None),
        (b"\x89PNG\r\n\x1a\n\x00\x00", None),
    ],
)
def test_header_table(data: bytes, expected: ImageInfo | None) -> None:
    assert image_info(data) == expected


@pytest.mark.parametrize(
    ("data", "suffix", "message"),
    [
        (png_bytes(1400, 1500), ".png", "1400×1500 px, not square"),
        (jpeg_header(1000, 1000), ".jpg", "1000×1000 px, outside 1400–3000 px"),
        (jpeg_header(3001, 3001), ".jpg", "outside 1400–3000 px"),
        (jpeg_header(1400, 1400, 4), ".jpg", "its colours are CMYK, not RGB"),
        (jpeg_header(1400, 1400, 1), ".jpg", "its colours are grayscale, not RGB"),
        (png_bytes(1400, 1400, 0), ".png", "grayscale, not RGB"),
        (b"GIF89a", ".gif", "not a JPEG or PNG image"),
    ],
)
def test_wrong_artwork_says_what_is_wrong(
    tmp_path: Path, data: bytes, suffix: str, message: str
) -> None:
    path = tmp_path / f"art{suffix}"
    path.write_bytes(data)
    with pytest.raises(PublishError) as info:
        check_artwork(path)
    assert message in str(info.value)
    assert str(path) in str(info.value) and "\n" not in str(info.value)


def test_good_artwork(tmp_path: Path) -> None:
    png = tmp_path / "art.png"
    png.write_bytes(png_bytes(1400, 1400))
    assert check_artwork(png).mime_type == "image/png"
    jpg = tmp_path / "art.jpg"
    jpg.write_bytes(jpeg_header(3000, 3000))
    assert check_artwork(jpg).mime_type == "image/jpeg"


def test_missing_artwork(tmp_path: Path) -> None:
    with pytest.raises(PublishError, match="cannot be read"):
        check_artwork(tmp_path / "nope.png")


@pytest.mark.parametrize("kind", ["fifo", "dev-zero"])
def test_artwork_that_is_not_a_regular_file_is_refused_at_once(tmp_path: Path, kind: str) -> None:
    """A FIFO named art.png would block the build in open(); /dev/zero never ends."""
    art = tmp_path / "art.png"
    if kind == "fifo":
        os.mkfifo(art)
    else:
        art.symlink_to("/dev/zero")
    probe = ("import sys; from pathlib import Path; from narrate.publish.artwork import "
             "check_artwork\ntry:\n    check_artwork(Path(sys.argv[1]))\n"
             "except Exception as e:\n    print(e)")
    run = measure([sys.executable, "-c", probe, str(art)], timeout=20)
    assert run.code == 0 and "not a regular file" in run.stdout, run
