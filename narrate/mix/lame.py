"""The LAME/Info tag of an encoded MP3: what makes players report its exact duration.

An MP3 encoder adds silence before (encoder delay) and after (padding to a whole frame) the
audio. ffmpeg writes both into the LAME tag of the first (Info) frame, and players that read
it (ffmpeg, browsers, Apple, mutagen) trim them. Two things need help:

- readers such as mutagen trust the tag only when its encoder string starts with ``LAME``;
  ffmpeg writes its own name. The encode sets the label (see ``render.LAME_TAG_LABEL``).
- for some lengths ffmpeg's muxer writes a padding a few dozen samples short (when LAME needs
  a last frame of nothing but padding), so the decoded file is up to ~1 ms longer than its
  input. :func:`set_exact_length` rewrites the padding from the sample count we know.
- a tag labelled LAME should be one: ffmpeg leaves the method, lowpass and bitrate bytes at
  zero and computes the tag CRC over its own span (the first 190 bytes of the frame, the CRC
  field zeroed). :func:`set_exact_length` fills those three fields as LAME 3.100 does for a
  CBR encode with libmp3lame's defaults (the lowpass from LAME's bandwidth table, checked
  against the library itself for every rate and bitrate narrate uses) and writes the CRC as
  LAME computes it: over every byte of the frame before the CRC field. The fields ffmpeg
  filled (delay, padding, music length, music CRC) and those it leaves unknown (replay gain,
  noise shaping, preset) stay as they are.
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
_LAME_METHOD = 9  # tag revision (high nibble, 0) and VBR method (low nibble; 1 is CBR)
_LAME_LOWPASS = 10  # lowpass frequency in units of 100 Hz
_LAME_FLAGS = 19  # ATH type (low nibble) and encoder flags
_LAME_BITRATE = 20  # CBR: the bitrate in kbps (ABR: the average; VBR: the minimum)
_CBR = 0x01
#: LAME 3.100's defaults for an encode that sets no ATH or psy option (libmp3lame through
#: ffmpeg): ATH type 4, and the NsPsytune model bit set.
_DEFAULT_FLAGS = 0x04 | 0x10
#: kbps by bitrate index for MPEG-1 and for MPEG-2/2.5, layer III.
_BITRATES = {
    3: (0, 32, 40, 48, 56, 64, 80, 96, 112, 128, 160, 192, 224, 256, 320),
    2: (0, 8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160),
}
_BITRATES[0] = _BITRATES[2]
#: LAME's optimum_bandwidth table (lame.c): kbps -> lowpass Hz for CBR.
_BANDWIDTH = (
    (8, 2000), (16, 3700), (24, 3900), (32, 5500), (40, 7000), (48, 7500), (56, 10000),
    (64, 11000), (80, 13500), (96, 15100), (112, 15600), (128, 17000), (160, 17500),
    (192, 18600), (224, 19400), (256, 19700), (320, 20500),
)


def lame_lowpass(kbps: int, sample_rate: int, channels: int) -> int:
    """The lowpass (Hz) LAME 3.100 picks for a CBR encode without ``--lowpass``: the table
    entry of the nearest bitrate, ×1.5 for mono, at most 20.5 kHz and half the rate."""
    lowpass: float = min(_BANDWIDTH, key=lambda entry: (abs(entry[0] - kbps), entry[0]))[1]
    if channels == 1:
        lowpass *= 1.5
    return int(min(lowpass, 20500, sample_rate / 2))


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
    sample_rate: int = 44100
    channels: int = 2
    kbps: int = 0
    cbr: bool = False

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
    rate_index = (h[2] >> 2) & 3
    if rate_index == 3:
        return None
    if version == 3:
        side, spf = (17 if mono else 32), 1152
    else:
        side, spf = (9 if mono else 17), 576
    xing = start + 4 + side
    if head[xing : xing + 4] not in (b"Xing", b"Info"):
        return None
    kbps = _BITRATES[version][h[2] >> 4]
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
        sample_rate=_RATES[version][rate_index],
        channels=1 if mono else 2,
        kbps=kbps,
        cbr=head[xing : xing + 4] == b"Info",  # LAME and ffmpeg write "Info" for CBR
    )


def _tag_crc(frame: bytearray, crc_at: int) -> int:
    """The tag CRC as ffmpeg computes it: the first 190 bytes, the CRC field as zeros."""
    data = bytearray(frame[:_CRC_SPAN])
    if crc_at + 2 <= _CRC_SPAN:
        data[crc_at : crc_at + 2] = b"\0\0"
    return crc16(bytes(data))


def lame_crc(frame: bytes | bytearray, crc_at: int) -> int:
    """The tag CRC as LAME computes it (VbrTag.c): every byte before the CRC field."""
    return crc16(bytes(frame[:crc_at]))


def set_exact_length(path: Path, samples: int) -> bool:
    """Make the LAME tag say exactly ``samples`` samples, and make it a true LAME tag.

    The padding is rewritten from ``samples``; for a CBR file the method, lowpass and
    bitrate bytes are filled as LAME 3.100 fills them; the CRC is LAME's. Returns True when
    the tag now says so; False (and changes nothing) when there is no tag, ``samples``
    cannot be expressed, or the tag's CRC is neither ffmpeg's nor LAME's (not a tag this
    code understands).
    """
    with path.open("r+b") as f:
        head = f.read(8192)
        tag = parse(head)
        if tag is None:
            log.warning("%s has no LAME tag; players may report a slightly longer duration", path)
            return False
        padding = tag.frames * tag.samples_per_frame - tag.delay - samples
        if not 0 <= padding <= 0xFFF:
            log.warning("%s: cannot express %d samples in the LAME tag", path, samples)
            return False
        frame = bytearray(head[tag.frame_start : tag.frame_start + max(_CRC_SPAN, tag.lame + 36)])
        lame = tag.lame - tag.frame_start
        crc_at = lame + _LAME_CRC
        stored = int.from_bytes(frame[crc_at : crc_at + 2], "big")
        if stored not in (_tag_crc(frame, crc_at), lame_crc(frame, crc_at)):
            log.warning("%s: unexpected LAME tag CRC; tag left as written", path)
            return False
        packed = (tag.delay << 12) | padding
        frame[lame + _LAME_DELAY : lame + _LAME_DELAY + 3] = packed.to_bytes(3, "big")
        if tag.cbr and tag.kbps:
            frame[lame + _LAME_METHOD] = _CBR  # revision 0, CBR
            lowpass = lame_lowpass(tag.kbps, tag.sample_rate, tag.channels)
            frame[lame + _LAME_LOWPASS] = min(255, (lowpass + 50) // 100)
            if frame[lame + _LAME_FLAGS] == 0:
                frame[lame + _LAME_FLAGS] = _DEFAULT_FLAGS
            frame[lame + _LAME_BITRATE] = min(255, tag.kbps)
        frame[crc_at : crc_at + 2] = lame_crc(frame, crc_at).to_bytes(2, "big")
        if frame != head[tag.frame_start : tag.frame_start + len(frame)]:
            f.seek(tag.frame_start)
            f.write(frame)
    log.debug("%s: LAME padding %d -> %d", path, tag.padding, padding)
    return True
