"""The LAME/Info tag of an encoded MP3: what makes players report its exact duration.

An MP3 encoder adds silence before (encoder delay) and after (padding to a whole frame) the
audio. ffmpeg writes both into the LAME tag of the first (Info) frame, and players that read
it (ffmpeg, browsers, Apple, mutagen) trim them. Two things need help:

- readers such as mutagen trust the tag only when its encoder string starts with ``LAME``;
  ffmpeg writes its own name. The encode sets the label (see ``render.LAME_TAG_LABEL``).
- for some lengths ffmpeg's muxer writes a padding a few dozen samples short (when LAME needs
  a last frame of nothing but padding), so the decoded file is up to ~1 ms longer than its
  input. :func:`set_exact_length` rewrites the padding from the sample count we know.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from pathlib import Path

log = logging.getLogger(__name__)

_RATES = {3: (44100, 48000, 32000), 2: (22050, 24000, 16000), 0: (11025, 12000, 8000)}
#: The CRC of the tag covers this many bytes of the frame (the field itself counted as 0).
_CRC_SPAN = 190
_LAME_CRC = 34  # offset of the tag CRC within the LAME tag
_LAME_DELAY = 21  # offset of the 3 bytes of delay (12 bits) and padding (12 bits)


def crc16(data: bytes) -> int:
    """CRC-16/ARC (reflected polynomial 0xA001), as LAME and ffmpeg use for the tag."""
    crc = 0
    for byte in data:
        crc ^= byte
        for _ in range(8):
            crc = (crc >> 1) ^ 0xA001 if crc & 1 else crc >> 1
    return crc


@dataclass(frozen=True)
class LameTag:
    """Where the fields are in the first frame (offsets from the frame start)."""

    frame_start: int
    frames: int
    samples_per_frame: int
    lame: int
    delay: int
    padding: int

    @property
    def samples(self) -> int:
        """Samples a tag-aware decoder outputs."""
        return self.frames * self.samples_per_frame - self.delay - self.padding


def _skip_id3(head: bytes) -> int:
    if head[:3] != b"ID3" or len(head) < 10:
        return 0
    size = 0
    for b in head[6:10]:
        size = (size << 7) | (b & 0x7F)
    return 10 + size


def parse(head: bytes) -> LameTag | None:
    """The LAME tag in ``head`` (the first few KiB of the file), or None if there is none."""
    start = _skip_id3(head)
    h = head[start : start + 4]
    if len(h) < 4 or h[0] != 0xFF or h[1] & 0xE0 != 0xE0 or (h[1] >> 1) & 3 != 1:
        return None  # not an MPEG layer III frame
    version = (h[1] >> 3) & 3
    if version not in _RATES:
        return None
    mono = (h[3] >> 6) & 3 == 3
    if version == 3:
        side, spf = (17 if mono else 32), 1152
    else:
        side, spf = (9 if mono else 17), 576
    xing = start + 4 + side
    if head[xing : xing + 4] not in (b"Xing", b"Info"):
        return None
    flags = int.from_bytes(head[xing + 4 : xing + 8], "big")
    if not flags & 1:
        return None  # no frame count: nothing to compute a length from
    frames = int.from_bytes(head[xing + 8 : xing + 12], "big")
    lame = xing + 8 + 4 * (flags & 1) + 4 * ((flags >> 1) & 1) + 100 * ((flags >> 2) & 1)
    lame += 4 * ((flags >> 3) & 1)
    if len(head) < lame + 36 or len(head) < start + _CRC_SPAN:
        return None
    packed = int.from_bytes(head[lame + _LAME_DELAY : lame + _LAME_DELAY + 3], "big")
    return LameTag(
        frame_start=start,
        frames=frames,
        samples_per_frame=spf,
        lame=lame,
        delay=packed >> 12,
        padding=packed & 0xFFF,
    )


def _tag_crc(frame: bytearray, crc_at: int) -> int:
    data = bytearray(frame[:_CRC_SPAN])
    if crc_at + 2 <= _CRC_SPAN:
        data[crc_at : crc_at + 2] = b"\0\0"
    return crc16(bytes(data))


def set_exact_length(path: Path, samples: int) -> bool:
    """Rewrite the LAME tag's padding so tag-aware readers see exactly ``samples`` samples.

    Returns True when the tag now says so (already did, or was fixed); False (and changes
    nothing) when there is no tag or its CRC is not the one this code knows how to compute.
    """
    with path.open("r+b") as f:
        head = f.read(8192)
        tag = parse(head)
        if tag is None:
            log.warning("%s has no LAME tag; players may report a slightly longer duration", path)
            return False
        if tag.samples == samples:
            return True
        padding = tag.frames * tag.samples_per_frame - tag.delay - samples
        if not 0 <= padding <= 0xFFF:
            log.warning("%s: cannot express %d samples in the LAME tag", path, samples)
            return False
        frame = bytearray(head[tag.frame_start : tag.frame_start + max(_CRC_SPAN, tag.lame + 36)])
        lame = tag.lame - tag.frame_start
        crc_at = lame + _LAME_CRC
        if _tag_crc(frame, crc_at) != int.from_bytes(frame[crc_at : crc_at + 2], "big"):
            log.warning("%s: unexpected LAME tag CRC; padding left as ffmpeg wrote it", path)
            return False
        packed = (tag.delay << 12) | padding
        frame[lame + _LAME_DELAY : lame + _LAME_DELAY + 3] = packed.to_bytes(3, "big")
        frame[crc_at : crc_at + 2] = _tag_crc(frame, crc_at).to_bytes(2, "big")
        f.seek(tag.frame_start)
        f.write(frame)
    log.debug("%s: LAME padding %d -> %d", path, tag.padding, padding)
    return True
