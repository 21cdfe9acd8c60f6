"""Podcast artwork: Apple Podcasts wants a square JPEG or PNG, 1400 to 3000 pixels, in RGB.

The image header is read directly (no imaging library is needed to know a size): a PNG's
``IHDR`` chunk gives width, height and colour type; a JPEG's start-of-frame marker gives
height, width and the number of components (1 is grayscale, 4 is CMYK or YCCK, 3 is the
YCbCr or RGB Apple accepts).
"""

from __future__ import annotations

import struct
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

from narrate.config import ConfigError, PodcastConfig
from narrate.errors import PublishError
from narrate.fsutil import open_regular

MIN_SIZE = 1400
MAX_SIZE = 3000

_PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
#: PNG colour types: 2 truecolour, 3 indexed (an RGB palette), 6 truecolour with alpha.
_PNG_COLOURS = {0: "grayscale", 2: "RGB", 3: "RGB", 4: "grayscale", 6: "RGB"}
#: JPEG start-of-frame markers (baseline, extended, progressive, lossless, …); C4, C8 and CC
#: share the range but are not frames.
_SOF = frozenset(range(0xC0, 0xD0)) - {0xC4, 0xC8, 0xCC}
_JPEG_COMPONENTS = {1: "grayscale", 3: "RGB", 4: "CMYK"}
#: Markers without a length field.
_STANDALONE = frozenset({0x01, *range(0xD0, 0xD8)})


@dataclass(frozen=True)
class ImageInfo:
    format: str  # "JPEG" or "PNG"
    width: int
    height: int
    colour: str  # "RGB", "grayscale" or "CMYK"

    @property
    def mime_type(self) -> str:
        return "image/png" if self.format == "PNG" else "image/jpeg"


def _png_info(data: bytes) -> ImageInfo | None:
    if len(data) < 26 or data[12:16] != b"IHDR":
        return None
    width, height, _depth, colour_type = struct.unpack(">IIBB", data[16:26])
    colour = _PNG_COLOURS.get(colour_type)
    return None if colour is None else ImageInfo("PNG", width, height, colour)


def _jpeg_info(data: bytes) -> ImageInfo | None:
    pos = 2
    while pos + 4 <= len(data):
        if data[pos] != 0xFF:
            return None
        marker = data[pos + 1]
        if marker == 0xFF:  # fill byte
            pos += 1
            continue
        if marker in _STANDALONE:
            pos += 2
            continue
        if marker in (0xD9, 0xDA):  # end of image, start of scan: no frame header before it
            return None
        (length,) = struct.unpack(">H", data[pos + 2 : pos + 4])
        if marker in _SOF:
            if pos + 10 > len(data):
                return None
            height, width, components = struct.unpack(">HHB", data[pos + 5 : pos + 10])
            colour = _JPEG_COMPONENTS.get(components, f"{components} components")
            return ImageInfo("JPEG", width, height, colour)
        pos += 2 + length
    return None


def image_info(data: bytes) -> ImageInfo | None:
    """Format, size and colour model from the header of a PNG or JPEG; None for anything else."""
    if data.startswith(_PNG_SIGNATURE):
        return _png_info(data)
    if data.startswith(b"\xff\xd8"):
        return _jpeg_info(data)
    return None


def check_artwork(path: Path) -> ImageInfo:
    """The artwork's header, or PublishError saying what keeps it out of Apple Podcasts."""
    try:
        with open_regular(path) as f:  # a FIFO named art.png must not hang the build
            data = f.read(256 * 1024)  # EXIF and ICC blocks can precede a JPEG's frame header
    except OSError as e:
        raise PublishError(f"artwork {path} cannot be read ({e.strerror or e})") from e
    info = image_info(data)
    if info is None:
        raise PublishError(f"artwork {path}: not a JPEG or PNG image. Expected a square "
                           f"{MIN_SIZE}–{MAX_SIZE} px JPEG or PNG in RGB")
    problems = []
    if info.width != info.height:
        problems.append(f"it is {info.width}×{info.height} px, not square")
    if min(info.width, info.height) < MIN_SIZE or max(info.width, info.height) > MAX_SIZE:
        problems.append(f"it is {info.width}×{info.height} px, outside {MIN_SIZE}–{MAX_SIZE} px")
    if info.colour != "RGB":
        problems.append(f"its colours are {info.colour}, not RGB")
    if problems:
        raise PublishError(
            f"artwork {path}: {'; '.join(dict.fromkeys(problems))}. "
            f"Expected a square {MIN_SIZE}–{MAX_SIZE} px JPEG or PNG in RGB"
        )
    return info


def check_podcast_artwork(config: PodcastConfig) -> None:
    """What publishing the feed will need, checked before a build synthesizes anything:
    the artwork (present, a square 1400–3000 px RGB JPEG or PNG) whenever it is set or a
    feed will be written (a base URL is set)."""
    if config.artwork is None:
        if config.base_url:
            raise ConfigError(f"{config.source}: podcast.artwork is missing: expected a square "
                              "1400–3000 px JPEG or PNG in RGB (Apple Podcasts requires one)")
        return
    if urlsplit(config.artwork).scheme in ("http", "https"):
        return
    try:
        check_artwork(Path(config.artwork))
    except PublishError as e:
        raise ConfigError(f"{config.source}: podcast.artwork: {e}") from e
