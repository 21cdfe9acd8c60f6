"""The LAME tag: parsing, CRC, exact padding."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from mutagen.mp3 import MP3

from narrate.mix import lame

from .conftest import FFMPEG, decoded_samples


def encode(path: Path, seconds: float, *, label: str | None = "LAME3.100",
           channels: int = 1) -> Path:
    command = [FFMPEG, "-nostdin", "-loglevel", "error", "-f", "lavfi", "-i",
               f"sine=f=330:r=44100:d={seconds}", "-ac", str(channels), "-c:a", "libmp3lame",
               "-b:a", "96k", "-id3v2_version", "0"]
    if label:
        command += ["-metadata:s:a:0", f"encoder={label}"]
    subprocess.run([*command, "-y", str(path)], check=True)
    return path


def test_crc16_is_crc16_arc() -> None:
    assert lame.crc16(b"123456789") == 0xBB3D


def test_ffmpegs_own_tag_crc_is_reproduced(tmp_path: Path) -> None:
    mp3 = encode(tmp_path / "a.mp3", 1.0)
    head = mp3.read_bytes()[:8192]
    tag = lame.parse(head)
    assert tag is not None
    frame = bytearray(head[tag.frame_start :])
    crc_at = tag.lame - tag.frame_start + 34
    assert lame._tag_crc(frame, crc_at) == int.from_bytes(frame[crc_at : crc_at + 2], "big")
    assert head[tag.lame : tag.lame + 9] == b"LAME3.100"


@pytest.mark.parametrize("channels", [1, 2])
def test_set_exact_length_fixes_ffmpegs_short_padding(tmp_path: Path, channels: int) -> None:
    mp3 = encode(tmp_path / "a.mp3", 14.42, channels=channels)
    expected = 14420 * 441 // 10
    tag = lame.parse(mp3.read_bytes()[:8192])
    assert tag is not None and tag.samples == expected + 29  # ffmpeg 7+ writes 29 too few
    assert lame.set_exact_length(mp3, expected)
    assert decoded_samples(mp3) == expected
    assert MP3(mp3).info.length == pytest.approx(14.42, abs=1e-6)
    assert lame.set_exact_length(mp3, expected)  # idempotent


def test_without_the_lame_label_mutagen_ignores_delay_and_padding(tmp_path: Path) -> None:
    """Why the encode labels the tag: the same file, labelled as ffmpeg does, reads 31 ms long."""
    plain = encode(tmp_path / "plain.mp3", 10.0, label=None)
    labelled = encode(tmp_path / "labelled.mp3", 10.0)
    assert MP3(labelled).info.length == pytest.approx(10.0, abs=1e-6)
    assert MP3(plain).info.length > 10.02
    assert decoded_samples(plain) == decoded_samples(labelled) == 441000


def test_files_without_a_tag_are_left_alone(tmp_path: Path) -> None:
    other = tmp_path / "x.mp3"
    other.write_bytes(b"\xff\xfb\x90\x00" + bytes(600))
    assert lame.parse(other.read_bytes()) is None
    assert not lame.set_exact_length(other, 1000)
    assert other.read_bytes() == b"\xff\xfb\x90\x00" + bytes(600)


#: The lowpass LAME 3.100 itself chose (lame_get_lowpassfreq after lame_init_params, CBR,
#: no --lowpass; read from Debian's libmp3lame 3.100-6 through ctypes) by rate, channels
#: and kbps.
LAME_LOWPASS = {
    (22050, 1, 32): 8250, (22050, 1, 64): 11025, (22050, 2, 32): 5500, (22050, 2, 48): 7500,
    (22050, 2, 64): 11000, (22050, 2, 96): 11025, (24000, 1, 48): 11250,
    (24000, 1, 64): 12000, (24000, 2, 64): 11000, (32000, 1, 64): 16000,
    (32000, 2, 96): 15100, (44100, 1, 32): 8250, (44100, 1, 48): 11250,
    (44100, 1, 64): 16500, (44100, 1, 96): 20500, (44100, 2, 64): 11000,
    (44100, 2, 96): 15100, (44100, 2, 128): 17000, (44100, 2, 160): 17500,
    (44100, 2, 192): 18600, (48000, 1, 96): 20500, (48000, 2, 128): 17000,
}


@pytest.mark.parametrize(("key", "expected"), sorted(LAME_LOWPASS.items()))
def test_lowpass_is_the_one_lame_picks(key: tuple[int, int, int], expected: int) -> None:
    rate, channels, kbps = key
    assert lame.lame_lowpass(kbps, rate, channels) == expected


@pytest.mark.parametrize(("channels", "lowpass"), [(1, 205), (2, 151)])
def test_the_tag_becomes_a_true_lame_tag(tmp_path: Path, channels: int, lowpass: int) -> None:
    mp3 = encode(tmp_path / "a.mp3", 3.0, channels=channels)
    before = lame.parse(mp3.read_bytes()[:8192])
    assert before is not None
    head = mp3.read_bytes()[:8192]
    at = before.lame
    assert (head[at + 9], head[at + 10], head[at + 20]) == (0, 0, 0)  # as ffmpeg writes it
    assert lame.set_exact_length(mp3, before.samples)
    data = mp3.read_bytes()
    tag = data[at : at + 36]
    # The bytes `lame -b 96` (3.100) writes for the same input: CBR, lowpass, ATH type 4
    # with NsPsytune, the bitrate.
    assert (tag[9], tag[10], tag[19], tag[20]) == (0x01, lowpass, 0x14, 96)
    # LAME's CRC: every byte of the frame before the field.
    assert int.from_bytes(tag[34:36], "big") == lame.crc16(data[: at + 34])
    # What ffmpeg wrote and knows stays: delay, padding, music length and CRC.
    assert tag[21:24] == head[at + 21 : at + 24] and tag[28:34] == head[at + 28 : at + 34]
    # mutagen reads it as LAME's own ("-b 96"), as it reads a file LAME made.
    info = MP3(mp3).info
    assert info.encoder_settings == "-b 96"
    assert info.length == pytest.approx(3.0, abs=1e-6)
    assert lame.set_exact_length(mp3, before.samples)  # idempotent with LAME's CRC
    assert mp3.read_bytes() == data
